"""ClioCalendar and AsyncClioCalendar against a fake Clio: every test runs once per client (`mode`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from clio_appointments import (
    APIStatusError,
    AuthenticationError,
    ClioCalendar,
    ClioConnectionError,
    ClioTimeoutError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)

from .conftest import CALENDARS, ENTRIES, TOKEN, FakeClio, Runner

PAYLOAD = {
    "title": "Intake call with Jane Smith",
    "summary": "Initial consultation",
    "startTimeUtc": "2024-03-15T14:00:00.000Z",
    "durationMinutes": 60,
    "contacts": ["201", {"id": 202}, "junk", 201],
}
NOT_FOUND = {
    "successful": False,
    "returnMessage": {"message": "Appointment not found in Clio.", "messageType": "warning", "ttl": 5000},
}


# ---- create -----------------------------------------------------------------------------------------------------


def test_create_returns_app_connects_shape(calendar: Runner, clio: FakeClio) -> None:
    result = calendar.create_appointment(PAYLOAD)
    entry_id = str(clio.next_id - 1)
    assert result == {
        "appointmentId": entry_id,
        "appointment": {
            "id": entry_id,
            "thirdPartyAppointmentId": entry_id,
            "title": "Intake call with Jane Smith",
            "description": "Initial consultation",
            "startTimeUtc": "2024-03-15T14:00:00.000Z",
            "durationMinutes": 60,
            "status": "scheduled",
            "contactId": "",
            "attendees": [
                {"id": 201, "name": "Jane Smith", "type": "Contact"},
                {"id": 202, "name": "John Doe", "type": "Contact"},
            ],
        },
    }


def test_cold_create_looks_the_calendar_up_as_the_reference_does(calendar: Runner, clio: FakeClio) -> None:
    calendar.create_appointment(PAYLOAD)
    lookup, post = clio.requests
    assert lookup.method == "GET" and lookup.url.path == CALENDARS
    assert dict(lookup.url.params) == {
        "owner": "true",
        "writeable": "true",
        "visible": "true",
        "type": "UserCalendar",
        "order": "id(desc)",
        "limit": "1",
        "fields": "id",
    }
    assert post.method == "POST" and post.url.path == ENTRIES
    assert json.loads(post.content)["data"]["calendar_owner"] == {"id": 101}


def test_warm_create_is_one_request_with_fields_for_everything(calendar: Runner, clio: FakeClio) -> None:
    calendar.create_appointment(PAYLOAD)
    clio.requests.clear()
    calendar.create_appointment(PAYLOAD)
    (post,) = clio.requests
    assert post.method == "POST"
    fields = post.url.params["fields"]
    for name in ("id", "summary", "description", "start_at", "end_at", "attendees{id,name,type}"):
        assert name in fields.split(",") or name in fields


def test_calendar_cache_is_shared_by_clients_on_the_same_token(
    make_calendar: Callable[..., Runner], clio: FakeClio
) -> None:
    make_calendar(clio.transport).create_appointment(PAYLOAD)
    clio.requests.clear()
    make_calendar(clio.transport).create_appointment(PAYLOAD)
    assert [r.method for r in clio.requests] == ["POST"]
    # Another Clio host is another key.
    clio.requests.clear()
    make_calendar(clio.transport, region="eu").create_appointment(PAYLOAD)
    assert [r.method for r in clio.requests] == ["GET", "POST"]


def test_fallback_calendar_query(calendar: Runner, clio: FakeClio) -> None:
    clio.calendars = [{"id": 77, "owner": False, "writeable": True, "visible": True, "type": "AdhocCalendar"}]
    result = calendar.create_appointment(PAYLOAD)
    assert "appointmentId" in result
    first, second, post = clio.requests
    assert "owner" in first.url.params and "owner" not in second.url.params and "type" not in second.url.params
    assert dict(second.url.params) == {
        "writeable": "true",
        "visible": "true",
        "order": "id(desc)",
        "limit": "1",
        "fields": "id",
    }
    assert json.loads(post.content)["data"]["calendar_owner"] == {"id": 77}


def test_no_writeable_calendar(calendar: Runner, clio: FakeClio) -> None:
    clio.calendars = [{"id": 5, "owner": True, "writeable": False, "visible": True, "type": "UserCalendar"}]
    assert calendar.create_appointment(PAYLOAD) == {
        "successful": False,
        "returnMessage": {"message": "No writeable calendar found in Clio.", "messageType": "warning", "ttl": 5000},
    }
    assert clio.calls("POST") == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"startTimeUtc": "garbage"}, "startTimeUtc"),
        ({}, "startTimeUtc"),
        ({"startTimeUtc": "2024-03-15T14:00:00Z", "durationMinutes": "abc"}, "durationMinutes"),
        ({"startTimeUtc": "2024-03-15T14:00:00Z", "durationMinutes": -5}, "durationMinutes"),
        ({"startTimeUtc": "2024-03-15T14:00:00Z", "title": ["x"]}, "title"),
        (None, "payload"),
    ],
)
def test_bad_payload_never_reaches_clio(calendar: Runner, clio: FakeClio, payload: Any, field: str) -> None:
    result = calendar.create_appointment(payload)
    assert result["successful"] is False
    assert result["returnMessage"]["messageType"] == "warning"
    assert result["returnMessage"]["ttl"] == 5000
    assert field in result["returnMessage"]["message"]
    assert clio.requests == []


@pytest.mark.parametrize("refusal", [404, 403])
def test_cached_calendar_gone_is_looked_up_again_once(calendar: Runner, clio: FakeClio, refusal: int) -> None:
    calendar.create_appointment(PAYLOAD)
    # The cached calendar 101 disappears (404) or loses write access (403); 102 is the user's calendar now.
    if refusal == 404:
        clio.calendars[0]["id"] = 102
    else:
        clio.calendars[0]["writeable"] = False
        clio.calendars.append({"id": 102, "owner": True, "writeable": True, "visible": True, "type": "UserCalendar"})
    clio.requests.clear()
    result = calendar.create_appointment(PAYLOAD)
    assert "appointmentId" in result
    assert [(r.method, r.url.path) for r in clio.requests] == [
        ("POST", ENTRIES),
        ("GET", CALENDARS),
        ("POST", ENTRIES),
    ]
    first, second = clio.bodies("POST")
    assert first["data"]["calendar_owner"] == {"id": 101}
    assert second["data"]["calendar_owner"] == {"id": 102}
    # Same create, same key; each POST is an attempt of its own, stamped when it was sent.
    keys, attempts = ([p for p in body["data"]["external_properties"]] for body in (first, second))
    assert keys[0] == attempts[0]
    assert first["data"]["external_properties"][1]["value"] < second["data"]["external_properties"][1]["value"]
    clio.requests.clear()
    calendar.create_appointment(PAYLOAD)
    assert [r.method for r in clio.requests] == ["POST"]


def test_calendar_refusal_with_same_calendar_is_raised(calendar: Runner, clio: FakeClio) -> None:
    calendar.create_appointment(PAYLOAD)
    clio.fail("POST", ENTRIES, httpx.Response(403, json={"error": {"type": "Forbidden", "message": "read only"}}))
    with pytest.raises(PermissionDeniedError):
        calendar.create_appointment(PAYLOAD)
    assert len(clio.calls("POST")) == 2  # the first create, and this one: no blind retry


def test_fresh_calendar_refused_is_not_retried(calendar: Runner, clio: FakeClio) -> None:
    clio.fail("POST", ENTRIES, httpx.Response(403, json={"error": {"type": "Forbidden", "message": "no"}}))
    with pytest.raises(PermissionDeniedError) as caught:
        calendar.create_appointment(PAYLOAD)
    assert caught.value.path == ENTRIES
    assert len(clio.calls("POST")) == 1


def test_clio_validation_error_carries_its_message(calendar: Runner, clio: FakeClio) -> None:
    refusal = {"error": {"type": "RecordInvalid", "message": "Validation failed: Summary is too long"}}
    clio.fail("POST", ENTRIES, httpx.Response(422, json=refusal))
    with pytest.raises(ValidationError) as caught:
        calendar.create_appointment(PAYLOAD)
    assert caught.value.clio_message == "Validation failed: Summary is too long"
    assert caught.value.status_code == 422
    # The contacts were looked up (Clio knows both), so the 422 is Clio's own and is raised as it is.
    assert [r.url.path for r in clio.calls("GET") if "contacts" in r.url.path] == [
        "/api/v4/contacts/201.json",
        "/api/v4/contacts/202.json",
    ]


# ---- list -------------------------------------------------------------------------------------------------------


def test_list_follows_every_page_with_from_and_to(calendar: Runner, clio: FakeClio) -> None:
    clio.page_size = 2
    for day in range(10, 17):
        clio.add_entry(summary=f"day {day}", start_at=f"2024-03-{day}T09:00:00Z", end_at=f"2024-03-{day}T09:30:00Z")
    result = calendar.list_appointments({"startDate": "2024-03-11", "endDate": "2024-03-15"})
    assert [a["title"] for a in result["appointments"]] == [f"day {d}" for d in range(11, 16)]
    pages = clio.calls("GET", ENTRIES)
    assert len(pages) == 3
    for page in pages:
        assert page.url.params["from"] == "2024-03-11T00:00:00.000Z"
        assert page.url.params["to"] == "2024-03-15T23:59:59.999Z"
        assert page.url.host == "app.clio.com"
    assert "page_token" not in pages[0].url.params
    assert [p.url.params["page_token"] for p in pages[1:]] == ["2", "4"]
    first = result["appointments"][0]
    assert first == {
        "id": first["id"],
        "thirdPartyAppointmentId": first["id"],
        "title": "day 11",
        "description": "",
        "participantName": "",
        "startTimeUtc": "2024-03-11T09:00:00.000Z",
        "durationMinutes": 30,
        "status": "scheduled",
        "contactId": "",
        "attendees": [],
    }


def test_list_more_than_one_clio_page(calendar: Runner, clio: FakeClio) -> None:
    for n in range(450):
        clio.add_entry(summary=f"n{n}")
    result = calendar.list_appointments(None)
    assert len(result["appointments"]) == 450
    assert len(clio.calls("GET", ENTRIES)) == 3
    assert all(r.url.params["limit"] == "200" for r in clio.calls("GET", ENTRIES))


def test_list_never_follows_next_to_another_host(calendar: Runner, clio: FakeClio) -> None:
    page = {"data": [], "meta": {"paging": {"next": "https://evil.example/api/v4/calendar_entries.json?page_token=2"}}}
    clio.fail("GET", ENTRIES, httpx.Response(200, json=page))
    calendar.list_appointments({"startDate": "2024-03-11"})
    assert [r.url.host for r in clio.requests] == ["app.clio.com", "app.clio.com"]
    assert clio.requests[1].url.params["page_token"] == "2"


def test_list_paging_loop_and_tokenless_next_are_errors(calendar: Runner, clio: FakeClio) -> None:
    looping = {
        "data": [],
        "meta": {"paging": {"next": "https://app.clio.com/api/v4/calendar_entries.json?page_token=A"}},
    }
    for _ in range(2):
        clio.fail("GET", ENTRIES, httpx.Response(200, json=looping))
    with pytest.raises(UnexpectedResponseError, match="page"):
        calendar.list_appointments(None)
    clio.fail(
        "GET", ENTRIES, httpx.Response(200, json={"data": [], "meta": {"paging": {"next": "https://app.clio.com/x"}}})
    )
    with pytest.raises(UnexpectedResponseError, match="page_token"):
        calendar.list_appointments(None)


def test_list_bad_range_is_a_warning(calendar: Runner, clio: FakeClio) -> None:
    result = calendar.list_appointments({"startDate": "yesterday"})
    assert result["successful"] is False
    assert "range.startDate" in result["returnMessage"]["message"]
    assert clio.requests == []


def test_list_maps_all_day_and_open_ended_entries(calendar: Runner, clio: FakeClio) -> None:
    clio.add_entry(summary="all day", start_at="2024-03-15", end_at="2024-03-16", all_day=True)
    clio.add_entry(summary="open", start_at="2024-03-15T09:00:00+01:00", end_at=None)
    clio.add_entry(
        summary="people",
        attendees=[{"id": 201, "name": "Jane Smith", "type": "Contact"}, {"id": 9, "name": "Ada", "type": "Calendar"}],
    )
    by_title = {a["title"]: a for a in calendar.list_appointments(None)["appointments"]}
    assert by_title["all day"]["startTimeUtc"] == "2024-03-15T00:00:00.000Z"
    assert by_title["all day"]["durationMinutes"] == 1440
    assert by_title["open"]["startTimeUtc"] == "2024-03-15T08:00:00.000Z"
    assert by_title["open"]["durationMinutes"] == 0
    assert by_title["people"]["attendees"] == [
        {"id": 201, "name": "Jane Smith", "type": "Contact"},
        {"id": 9, "name": "Ada", "type": "Calendar"},
    ]


# ---- update, refresh, cancel --------------------------------------------------------------------------------------


def test_update_sends_only_what_the_patch_names(calendar: Runner, clio: FakeClio) -> None:
    entry = clio.add_entry(summary="Old", description="Keep me")
    etag = entry["etag"]
    result = calendar.update_appointment(entry["id"], {"title": "New"})
    assert clio.bodies("PATCH") == [{"data": {"summary": "New"}}]
    # Read first, then changed on condition that nothing changed in between.
    assert [r.method for r in clio.requests] == ["GET", "PATCH"]
    assert clio.calls("PATCH")[0].headers["if-match"] == etag
    assert result["appointment"]["title"] == "New"
    assert result["appointment"]["description"] == "Keep me"


def test_update_start_keeps_length(calendar: Runner, clio: FakeClio) -> None:
    entry = clio.add_entry(start_at="2024-03-15T14:00:00Z", end_at="2024-03-15T14:45:00Z")
    result = calendar.update_appointment(int(entry["id"]), {"startTimeUtc": "2024-03-20T10:00:00+01:00"})
    assert clio.bodies("PATCH") == [
        {"data": {"start_at": "2024-03-20T09:00:00.000Z", "end_at": "2024-03-20T09:45:00.000Z"}}
    ]
    assert result["appointment"]["durationMinutes"] == 45
    assert [r.method for r in clio.requests] == ["GET", "PATCH"]


def test_update_contacts_replace_contacts_and_keep_users(calendar: Runner, clio: FakeClio) -> None:
    entry = clio.add_entry(
        attendees=[
            {"id": 201, "name": "Jane Smith", "type": "Contact"},
            {"id": 9, "name": "Ada Lovelace", "type": "Calendar"},
        ]
    )
    result = calendar.update_appointment(entry["id"], {"contacts": [{"id": "202"}, "nope"]})
    assert clio.bodies("PATCH") == [
        {"data": {"attendees": [{"id": 201, "type": "Contact", "_destroy": True}, {"id": 202, "type": "Contact"}]}}
    ]
    assert result["appointment"]["attendees"] == [
        {"id": 9, "name": "Ada Lovelace", "type": "Calendar"},
        {"id": 202, "name": "John Doe", "type": "Contact"},
    ]


def test_update_with_nothing_to_change_sends_no_patch(calendar: Runner, clio: FakeClio) -> None:
    entry = clio.add_entry(attendees=[{"id": 201, "name": "Jane Smith", "type": "Contact"}])
    result = calendar.update_appointment(entry["id"], {"contacts": [201]})
    assert result["appointment"]["attendees"] == [{"id": 201, "name": "Jane Smith", "type": "Contact"}]
    assert clio.calls("PATCH") == []
    assert calendar.update_appointment(entry["id"], {})["appointment"]["id"] == entry["id"]
    assert clio.calls("PATCH") == []


def test_status_only_patch_is_not_supported(calendar: Runner, clio: FakeClio) -> None:
    result = calendar.update_appointment("5000", {"status": "confirmed"})
    assert result == {
        "successful": False,
        "returnMessage": {
            "message": "Clio does not support appointment status changes.",
            "messageType": "warning",
            "ttl": 5000,
        },
    }
    assert clio.requests == []


def test_update_bad_patch_and_missing_entry(calendar: Runner, clio: FakeClio) -> None:
    bad = calendar.update_appointment("5000", {"durationMinutes": float("nan")})
    assert bad["successful"] is False and "durationMinutes" in bad["returnMessage"]["message"]
    assert calendar.update_appointment("abc", {"title": "x"})["returnMessage"]["message"].startswith(
        "Invalid appointment: appointmentId"
    )
    assert clio.requests == []
    assert calendar.update_appointment("424242", {"title": "x"}) == NOT_FOUND
    assert calendar.update_appointment("424242", {"contacts": []}) == NOT_FOUND


def test_refresh(calendar: Runner, clio: FakeClio) -> None:
    entry = clio.add_entry(summary="Now")
    assert calendar.refresh_appointment(entry["id"])["appointment"]["title"] == "Now"
    assert clio.requests[0].url.params["fields"].startswith("id,")
    assert calendar.refresh_appointment("424242") == NOT_FOUND
    assert calendar.refresh_appointment(None)["successful"] is False


def test_cancel_and_cancel_again(calendar: Runner, clio: FakeClio) -> None:
    entry = clio.add_entry()
    assert calendar.cancel_appointment(entry["id"]) == {
        "successful": True,
        "returnMessage": {"message": "Appointment cancelled successfully.", "messageType": "success", "ttl": 5000},
    }
    again = calendar.cancel_appointment(entry["id"])
    assert again["successful"] is True
    assert again["returnMessage"]["messageType"] == "warning"
    assert "not found" in again["returnMessage"]["message"]
    assert [r.method for r in clio.requests] == ["DELETE", "DELETE"]
    assert calendar.cancel_appointment("x")["successful"] is False
    assert len(clio.requests) == 2


# ---- errors -------------------------------------------------------------------------------------------------------


def _raises_without_token(call: Callable[[], object], expected: type[Exception]) -> Exception:
    with pytest.raises(expected) as caught:
        call()
    error = caught.value
    for text in (str(error), repr(error), repr(vars(error))):
        assert TOKEN not in text
    assert error.__context__ is None or TOKEN not in repr(error.__context__)
    return error


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (422, ValidationError),
        (400, APIStatusError),
        (500, ServerError),
        (302, APIStatusError),
    ],
)
def test_status_errors_are_typed(calendar: Runner, clio: FakeClio, status: int, expected: type[Exception]) -> None:
    clio.add_entry()
    response = httpx.Response(
        status,
        json={"error": {"type": "X", "message": "Clio says no"}},
        headers={"Location": "https://evil.example/steal"},
    )
    clio.fail("GET", "/api/v4/calendar_entries/5000.json", response)
    error = _raises_without_token(lambda: calendar.refresh_appointment("5000"), expected)
    assert isinstance(error, APIStatusError)
    assert error.status_code == status
    assert error.path == "/api/v4/calendar_entries/5000.json"
    # Redirects are never followed: the token stays with Clio.
    assert all(r.url.host == "app.clio.com" for r in clio.requests)


def test_rate_limit_carries_retry_after(make_calendar: Callable[..., Runner], clio: FakeClio) -> None:
    calendar = make_calendar(clio.transport, max_retries=0)
    clio.fail(
        "GET",
        CALENDARS,
        httpx.Response(429, json={"error": {"type": "RateLimited", "message": "slow"}}, headers={"Retry-After": "7"}),
    )
    error = _raises_without_token(lambda: calendar.create_appointment(PAYLOAD), RateLimitError)
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7.0


def test_error_bodies_that_are_not_json(calendar: Runner, clio: FakeClio) -> None:
    clio.fail("DELETE", "/api/v4/calendar_entries/1.json", httpx.Response(502, text="<html>Bad gateway</html>"))
    clio.fail("DELETE", "/api/v4/calendar_entries/1.json", httpx.Response(502, text="<html>Bad gateway</html>"))
    clio.fail("DELETE", "/api/v4/calendar_entries/1.json", httpx.Response(502, text="<html>Bad gateway</html>"))
    error = _raises_without_token(lambda: calendar.cancel_appointment(1), ServerError)
    assert isinstance(error, ServerError)
    assert error.clio_message is None
    assert len(clio.requests) == 3  # the transport retried the DELETE twice


@pytest.mark.parametrize(
    ("exception", "expected", "reached"),
    [
        (httpx.ConnectError("refused"), ClioConnectionError, False),
        (httpx.ConnectTimeout("slow"), ClioTimeoutError, False),
        (httpx.ReadTimeout("slow"), ClioTimeoutError, True),
        (httpx.RemoteProtocolError("dropped"), ClioConnectionError, True),
        (httpx.ReadError("reset"), ClioConnectionError, True),
    ],
)
def test_network_errors_are_typed(
    make_calendar: Callable[..., Runner], clio: FakeClio, exception: Exception, expected: type[Exception], reached: bool
) -> None:
    calendar = make_calendar(clio.transport, max_retries=0)
    clio.fail("GET", "/api/v4/calendar_entries/7.json", exception)
    error = _raises_without_token(lambda: calendar.refresh_appointment(7), expected)
    assert isinstance(error, ClioConnectionError)
    assert error.may_have_reached_clio is reached
    assert error.path == "/api/v4/calendar_entries/7.json"
    assert error.__context__ is None


def test_exception_text_is_scrubbed_of_the_token(make_calendar: Callable[..., Runner], clio: FakeClio) -> None:
    calendar = make_calendar(clio.transport, max_retries=0)
    clio.fail("GET", "/api/v4/calendar_entries/7.json", httpx.ReadError(f"peer said Bearer {TOKEN}"))
    error = _raises_without_token(lambda: calendar.refresh_appointment(7), ClioConnectionError)
    assert "***" in str(error)


@pytest.mark.parametrize(
    "answer",
    [
        {"text": "not json"},
        {"json": {"nothing": True}},
        {"json": {"data": {"id": "1", "start_at": "not a date"}}},
        {"json": {"data": {"summary": "no id"}}},
        {"json": {"data": {"id": "1", "attendees": [{"id": 1, "type": "Robot"}]}}},
        {"status_code": 204},
    ],
)
def test_unreadable_success_is_an_error(calendar: Runner, clio: FakeClio, answer: dict[str, Any]) -> None:
    clio.fail("GET", "/api/v4/calendar_entries/7.json", httpx.Response(**{"status_code": 200, **answer}))
    _raises_without_token(lambda: calendar.refresh_appointment(7), UnexpectedResponseError)


def test_a_broken_transport_is_not_disguised(calendar: Runner, clio: FakeClio) -> None:
    clio.fail("GET", "/api/v4/calendar_entries/7.json", KeyError("bug in the transport"))
    with pytest.raises(KeyError, match="bug in the transport"):
        calendar.refresh_appointment(7)


def test_every_request_carries_the_bearer_token_and_json_accept(calendar: Runner, clio: FakeClio) -> None:
    calendar.create_appointment(PAYLOAD)
    calendar.list_appointments(None)
    assert clio.requests
    for request in clio.requests:
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert request.headers["accept"] == "application/json"


def test_bare_token_is_sent_as_bearer() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        return httpx.Response(204)

    with ClioCalendar(f"  {TOKEN} ", transport=httpx.MockTransport(handler)) as calendar:
        calendar.cancel_appointment(1)
    assert seen == [f"Bearer {TOKEN}"]
