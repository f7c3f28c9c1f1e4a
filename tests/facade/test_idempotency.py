"""The create guarantee against a fake Clio that fails the way real infrastructure does: after the write committed,
with the write landing late, with the lookup failing too. Every test runs for ClioCalendar and AsyncClioCalendar."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from clio_appointments import (
    ClioConnectionError,
    ClioError,
    ClioTimeoutError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)
from clio_appointments._mapping import IDEMPOTENCY_PROPERTY

from .conftest import ENTRIES, FakeClio, Runner, Sleeps

PAYLOAD = {"title": "Intake", "startTimeUtc": "2024-03-15T14:00:00Z", "durationMinutes": 30, "contacts": [201]}


def _key(body: dict[str, Any]) -> str:
    (value,) = [p["value"] for p in body["data"]["external_properties"] if p["name"] == IDEMPOTENCY_PROPERTY]
    return str(value)


def _html(status: int) -> Callable[[], httpx.Response]:
    return lambda: httpx.Response(
        status, text=f"<html><body>{status}</body></html>", headers={"content-type": "text/html"}
    )


# Every way a POST can fail while Clio may have stored the entry: Clio's own 5xx, a proxy's 5xx page (Cloudflare's
# 520/524 included), a 4xx page that is not Clio's answer, a timeout, a dropped or reset connection, an unreadable
# success.
AMBIGUOUS: dict[str, Callable[[], httpx.Response | Exception]] = {
    "500": lambda: httpx.Response(500, json={"error": {"type": "InternalError", "message": "oops"}}),
    "502-html": _html(502),
    "503": lambda: httpx.Response(503, json={"error": {"type": "ServiceUnavailable", "message": "try later"}}),
    "504-html": _html(504),
    "520-html": _html(520),
    "524-html": _html(524),
    "404-html": _html(404),
    "408": lambda: httpx.Response(408, text=""),
    "read-timeout": lambda: httpx.ReadTimeout("no answer"),
    "dropped": lambda: httpx.RemoteProtocolError("Server disconnected without sending a response."),
    "reset": lambda: httpx.ReadError("connection reset"),
    "unreadable-201": lambda: httpx.Response(201, text="<html>"),
}


def test_each_create_has_a_fresh_uuid4_key(calendar: Runner, clio: FakeClio) -> None:
    calendar.create_appointment(PAYLOAD)
    calendar.create_appointment(PAYLOAD)
    first, second = (_key(b) for b in clio.bodies("POST"))
    assert first != second
    assert uuid.UUID(first).version == 4


def test_the_key_is_not_in_the_result(calendar: Runner, clio: FakeClio) -> None:
    result = calendar.create_appointment({**PAYLOAD, "idempotencyKey": "my-key-1"})
    assert "my-key-1" not in json.dumps(result)
    assert result["appointment"]["attendees"] == [{"id": 201, "name": "Jane Smith", "type": "Contact"}]


def test_caller_keys_by_payload_or_keyword(calendar: Runner, clio: FakeClio) -> None:
    calendar.create_appointment({**PAYLOAD, "idempotencyKey": "from-payload"})
    calendar.create_appointment(PAYLOAD, idempotency_key="from-keyword")
    assert [_key(b) for b in clio.bodies("POST")] == ["from-payload", "from-keyword"]
    lookups = clio.calls("GET", ENTRIES)
    # Each caller key is looked up before its POST and checked again after it.
    values = [r.url.params["external_property_value"] for r in lookups]
    assert values == ["from-payload", "from-payload", "from-keyword", "from-keyword"]
    assert all("external_properties{name,value}" in r.url.params["fields"] for r in lookups)


@pytest.mark.parametrize("failure", AMBIGUOUS.values(), ids=AMBIGUOUS.keys())
def test_committed_then_failed_is_found_not_duplicated(
    calendar: Runner, clio: FakeClio, failure: Callable[[], httpx.Response | Exception]
) -> None:
    clio.fail("POST", ENTRIES, failure(), commit=True)
    result = calendar.create_appointment(PAYLOAD)
    assert len(clio.entries) == 1
    (entry,) = clio.entries.values()
    assert result["appointmentId"] == entry["id"]
    assert result["appointment"]["attendees"] == [{"id": 201, "name": "Jane Smith", "type": "Contact"}]
    lookup = clio.calls("GET", ENTRIES)[-1]
    assert lookup.url.params["external_property_name"] == IDEMPOTENCY_PROPERTY
    assert lookup.url.params["external_property_value"] == _key(clio.bodies("POST")[0])
    assert len(clio.calls("POST")) == 1


@pytest.mark.parametrize("failure", AMBIGUOUS.values(), ids=AMBIGUOUS.keys())
def test_not_found_after_an_ambiguous_failure_raises_with_the_key_and_never_posts_again(
    calendar: Runner, clio: FakeClio, failure: Callable[[], httpx.Response | Exception]
) -> None:
    clio.fail("POST", ENTRIES, failure(), commit="late")
    with pytest.raises(ClioError) as caught:
        calendar.create_appointment(PAYLOAD)
    key = _key(clio.bodies("POST")[0])
    assert caught.value.idempotency_key == key
    assert caught.value.may_have_reached_clio is True
    assert any(key in note for note in caught.value.__notes__)
    assert [r.method for r in clio.requests[1:]] == ["POST", "GET"]  # looked up, never posted twice
    # The write commits late, after the caller was told the outcome is unknown; creating again with the key finds it.
    assert clio.land() == 1
    result = calendar.create_appointment(PAYLOAD, idempotency_key=key)
    assert len(clio.entries) == 1
    assert result["appointmentId"] == next(iter(clio.entries.values()))["id"]
    assert len(clio.calls("POST")) == 1


def test_a_late_commit_after_the_retry_converges_on_the_retrys_entry(calendar: Runner, clio: FakeClio) -> None:
    clio.fail("POST", ENTRIES, httpx.ReadTimeout("gave up"), commit="late")
    with pytest.raises(ClioTimeoutError) as caught:
        calendar.create_appointment(PAYLOAD)
    key = caught.value.idempotency_key
    assert key is not None
    retried = calendar.create_appointment(PAYLOAD, idempotency_key=key)
    assert clio.land() == 1  # the original lands after the retry stored its own entry
    assert len(clio.entries) == 2
    # Creating again with the key, at any time, converges on one entry: the oldest, which the caller already has.
    again = calendar.create_appointment(PAYLOAD, idempotency_key=key)
    assert again == retried
    assert [e["id"] for e in clio.entries.values()] == [retried["appointmentId"]]


def test_a_late_commit_landing_just_before_the_retrys_post_wins(calendar: Runner, clio: FakeClio) -> None:
    clio.fail("POST", ENTRIES, _html(524)(), commit="late")
    with pytest.raises(ServerError) as caught:
        calendar.create_appointment(PAYLOAD)
    key = caught.value.idempotency_key
    assert key is not None
    clio.land_before = "POST"  # lands after the retry's lookup found nothing, before its POST arrives
    result = calendar.create_appointment(PAYLOAD, idempotency_key=key)
    # The retry's own POST made a second entry; its check afterwards kept the oldest and deleted its own.
    assert len(clio.entries) == 1
    assert result["appointmentId"] == next(iter(clio.entries.values()))["id"]
    assert [r.method for r in clio.requests if r.method == "DELETE"] == ["DELETE"]


def test_a_failed_lookup_keeps_the_key_on_the_posts_own_error(
    make_calendar: Callable[..., Runner], clio: FakeClio
) -> None:
    calendar = make_calendar(clio.transport, max_retries=1)
    clio.fail("POST", ENTRIES, _html(500)(), commit=True)
    for _ in range(2):  # the lookup and the transport's retry of it
        clio.fail("GET", ENTRIES, httpx.Response(503, json={"error": {"type": "Busy", "message": "later"}}))
    with pytest.raises(ServerError) as caught:
        calendar.create_appointment(PAYLOAD)
    error = caught.value
    assert error.status_code == 500  # the POST's own error, not the lookup's
    assert error.idempotency_key == _key(clio.bodies("POST")[0])
    assert error.may_have_reached_clio is True
    assert any("failed too" in note for note in error.__notes__)
    assert len(clio.calls("POST")) == 1
    # The documented recovery: create again with the key. It was stored, so that is the answer.
    result = calendar.create_appointment(PAYLOAD, idempotency_key=error.idempotency_key)
    assert [e["id"] for e in clio.entries.values()] == [result["appointmentId"]]


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (lambda: httpx.ConnectError("refused"), ClioConnectionError),
        (lambda: httpx.ConnectTimeout("no route"), ClioTimeoutError),
        (lambda: httpx.Response(422, json={"error": {"type": "RecordInvalid", "message": "bad"}}), ValidationError),
        (lambda: httpx.Response(429, json={"error": {"type": "RateLimited", "message": "wait"}}), RateLimitError),
    ],
)
def test_definite_failures_are_not_looked_up(
    make_calendar: Callable[..., Runner],
    clio: FakeClio,
    failure: Callable[[], httpx.Response | Exception],
    expected: type[ClioError],
) -> None:
    calendar = make_calendar(clio.transport, max_retries=0)
    clio.fail("POST", ENTRIES, failure())
    with pytest.raises(expected) as caught:
        calendar.create_appointment(PAYLOAD)
    assert clio.calls("GET", ENTRIES) == []
    assert caught.value.may_have_reached_clio is False
    assert caught.value.idempotency_key == _key(clio.bodies("POST")[0])
    assert clio.entries == {}


def test_a_rate_limit_longer_than_the_cap_is_raised_at_once_not_retried_early(
    calendar: Runner, clio: FakeClio, sleeps: Sleeps
) -> None:
    clio.fail(
        "POST",
        ENTRIES,
        httpx.Response(
            429, json={"error": {"type": "RateLimited", "message": "wait"}}, headers={"Retry-After": "3600"}
        ),
    )
    with pytest.raises(RateLimitError) as caught:
        calendar.create_appointment(PAYLOAD)
    assert caught.value.retry_after == 3600
    assert len(clio.calls("POST")) == 1
    assert sleeps.seconds == []


def test_a_rate_limit_within_the_cap_is_waited_out_then_posted_again(
    calendar: Runner, clio: FakeClio, sleeps: Sleeps
) -> None:
    clio.fail(
        "POST",
        ENTRIES,
        httpx.Response(429, json={"error": {"type": "RateLimited", "message": "wait"}}, headers={"Retry-After": "3"}),
    )
    assert "appointmentId" in calendar.create_appointment(PAYLOAD)
    assert sleeps.seconds == [3.0]
    assert len(clio.calls("POST")) == 2
    assert len(clio.entries) == 1


def test_server_errors_carry_retry_after(calendar: Runner, clio: FakeClio) -> None:
    busy = httpx.Response(503, json={"error": {"type": "Busy", "message": "later"}}, headers={"Retry-After": "7"})
    clio.fail("POST", ENTRIES, busy)
    with pytest.raises(ServerError) as caught:
        calendar.create_appointment(PAYLOAD)
    assert caught.value.retry_after == 7.0
    assert len(clio.calls("POST")) == 1


def test_connect_errors_are_retried_by_the_transport(calendar: Runner, clio: FakeClio) -> None:
    clio.fail("POST", ENTRIES, httpx.ConnectError("refused"))
    assert "appointmentId" in calendar.create_appointment(PAYLOAD)
    assert len(clio.calls("POST")) == 2
    assert clio.calls("GET", ENTRIES) == []
    assert len(clio.entries) == 1


def test_an_unreadable_success_is_never_posted_again(calendar: Runner, clio: FakeClio) -> None:
    clio.fail("POST", ENTRIES, httpx.Response(201, text="<html>"))
    with pytest.raises(UnexpectedResponseError) as caught:
        calendar.create_appointment(PAYLOAD)
    assert caught.value.may_have_reached_clio is True
    assert caught.value.idempotency_key is not None
    assert len(clio.calls("POST")) == 1


def test_the_callers_key_never_creates_a_second_appointment(calendar: Runner, clio: FakeClio) -> None:
    """A caller retrying after a crash passes the same key: the first entry is the answer, nothing is posted."""
    first = calendar.create_appointment(PAYLOAD, idempotency_key="order-77")
    clio.requests.clear()
    again = calendar.create_appointment({**PAYLOAD, "idempotencyKey": "order-77"})
    assert again == first
    assert [r.method for r in clio.requests] == ["GET"]
    assert len(clio.entries) == 1
    # Without a key of its own, a warm create is a single POST.
    clio.requests.clear()
    calendar.create_appointment(PAYLOAD)
    assert [r.method for r in clio.requests] == ["POST"]


def test_entries_sharing_a_key_are_reduced_to_the_oldest(calendar: Runner, clio: FakeClio) -> None:
    prop = [{"id": 1, "name": IDEMPOTENCY_PROPERTY, "value": "order-9"}]
    ids = [clio.add_entry(summary=f"copy {n}", external_properties=prop)["id"] for n in range(3)]
    result = calendar.create_appointment(PAYLOAD, idempotency_key="order-9")
    assert result["appointmentId"] == ids[0]
    assert [e["id"] for e in clio.entries.values()] == [ids[0]]
    assert clio.calls("POST") == []


def test_the_lookup_trusts_only_entries_that_carry_the_key(calendar: Runner, clio: FakeClio) -> None:
    """A filter that is not an exact match (a prefix, case-folding) must not turn someone else's entry into ours."""
    other = clio.add_entry(
        summary="Someone else's", external_properties=[{"id": 1, "name": IDEMPOTENCY_PROPERTY, "value": "ORDER-1"}]
    )
    loose = {"data": [other], "meta": {"records": 1, "paging": {}}}
    clio.fail("GET", ENTRIES, httpx.Response(200, json=loose))
    result = calendar.create_appointment(PAYLOAD, idempotency_key="order-1")
    assert result["appointmentId"] != other["id"]
    assert len(clio.calls("POST")) == 1
    assert other["id"] in {e["id"] for e in clio.entries.values()}  # and it was not deleted as a duplicate


def test_a_failed_check_after_a_keyed_post_is_an_error_with_the_key_not_a_guess(
    make_calendar: Callable[..., Runner], clio: FakeClio
) -> None:
    """After the POST of a caller's key, the check for earlier entries with the key fails: the POST's entry may be
    a duplicate that a later lookup deletes, so the caller gets the key to settle it, not an id that may go away."""
    calendar = make_calendar(clio.transport, max_retries=0)
    original = clio._list_entries  # the lookup before the POST works, the check after it does not
    answers = iter([original, lambda request: httpx.Response(503, text="<html>busy</html>")])

    def flaky(request: httpx.Request) -> httpx.Response:
        return next(answers, original)(request)

    clio._list_entries = flaky  # type: ignore[method-assign]
    with pytest.raises(ServerError) as caught:
        calendar.create_appointment(PAYLOAD, idempotency_key="order-5")
    assert caught.value.idempotency_key == "order-5"
    assert caught.value.may_have_reached_clio is True
    clio._list_entries = original  # type: ignore[method-assign]
    result = calendar.create_appointment(PAYLOAD, idempotency_key="order-5")
    assert [e["id"] for e in clio.entries.values()] == [result["appointmentId"]]


# ---- found by an outside review: each broke an earlier version of the rule ------------------------------------------


def test_a_late_write_numbered_before_the_retry_does_not_take_the_callers_entry(
    calendar: Runner, clio: FakeClio
) -> None:
    """Clio numbers a row when it is inserted and shows it when it commits: the first attempt's entry gets the lower
    id but appears after the retry's. The entry the caller was handed (and edited) is the one that stays."""
    clio.ids_at_insert = True
    clio.fail("POST", ENTRIES, _html(504)(), commit="late")
    with pytest.raises(ServerError) as caught:
        calendar.create_appointment(PAYLOAD)
    key = caught.value.idempotency_key
    retried = calendar.create_appointment(PAYLOAD, idempotency_key=key)
    calendar.update_appointment(retried["appointmentId"], {"title": "Edited"})
    assert clio.land() == 1
    (late,) = [e for e in clio.entries.values() if e["id"] != retried["appointmentId"]]
    assert int(late["id"]) < int(retried["appointmentId"])  # numbered first, shown last
    again = calendar.create_appointment(PAYLOAD, idempotency_key=key)
    assert again["appointmentId"] == retried["appointmentId"]
    assert again["appointment"]["title"] == "Edited"
    assert list(clio.entries) == [int(retried["appointmentId"])]


def test_the_lookup_reads_every_page_a_loose_filter_gives(calendar: Runner, clio: FakeClio) -> None:
    """A filter that is not applied (or not exact) hands back other entries first: the key's own entry on page 2 is
    still found, so nothing is posted again."""
    for n in range(250):
        clio.add_entry(external_properties=[{"id": 1, "name": IDEMPOTENCY_PROPERTY, "value": f"other-{n}"}])
    first = calendar.create_appointment(PAYLOAD, idempotency_key="order-1")
    original = clio._list_entries

    def ignoring_the_value(request: httpx.Request) -> httpx.Response:
        params = [(k, v) for k, v in request.url.params.multi_items() if k != "external_property_value"]
        return original(httpx.Request(request.method, request.url.copy_with(params=params)))

    clio._list_entries = ignoring_the_value  # type: ignore[method-assign]
    again = calendar.create_appointment(PAYLOAD, idempotency_key="order-1")
    assert again == first
    assert len(clio.calls("POST")) == 1
    assert any(r.url.params.get("page_token") == "200" for r in clio.calls("GET", ENTRIES))


def test_a_lookup_that_cannot_be_conclusive_is_an_error_with_the_key_not_a_second_post(
    calendar: Runner, clio: FakeClio
) -> None:
    bare = {"data": [{"id": "77", "summary": "x"}], "meta": {"paging": {}}}  # no external_properties shown
    clio.fail("GET", ENTRIES, httpx.Response(200, json=bare))
    with pytest.raises(UnexpectedResponseError) as caught:
        calendar.create_appointment(PAYLOAD, idempotency_key="order-2")
    assert caught.value.idempotency_key == "order-2"
    assert clio.calls("POST") == []


def test_a_success_without_a_usable_id_is_looked_up(calendar: Runner, clio: FakeClio) -> None:
    clio.fail("POST", ENTRIES, httpx.Response(201, json={"data": {"id": "abc"}}), commit=True)
    result = calendar.create_appointment(PAYLOAD)
    (stored,) = clio.entries.values()
    assert result["appointmentId"] == stored["id"]
    assert len(clio.calls("POST")) == 1


def test_an_interruption_after_the_post_left_carries_the_key_in_a_note(clio: FakeClio) -> None:
    """Ctrl-C (or a task cancelled) while the answer is on its way: the entry may be stored, and the key that
    settles it is in the interruption's notes."""
    from clio_appointments import ClioCalendar

    from .conftest import AUTH

    def interrupted(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            clio(request)  # stored...
            raise KeyboardInterrupt  # ...and the answer never read
        return clio(request)

    with ClioCalendar(AUTH, transport=httpx.MockTransport(interrupted)) as calendar:
        with pytest.raises(KeyboardInterrupt) as caught:
            calendar.create_appointment(PAYLOAD)
        key = _key(clio.bodies("POST")[0])
        assert any(f"idempotency_key={key!r}" in note for note in caught.value.__notes__)
        result = calendar.create_appointment(PAYLOAD, idempotency_key=key)
    assert [e["id"] for e in clio.entries.values()] == [result["appointmentId"]]


def test_an_async_client_refuses_a_second_event_loop_before_sending(clio: FakeClio) -> None:
    import asyncio

    from clio_appointments import AsyncClioCalendar, ConfigurationError

    from .conftest import AUTH

    calendar = AsyncClioCalendar(AUTH, transport=clio.transport)
    asyncio.run(calendar.create_appointment(PAYLOAD))
    with pytest.raises(ConfigurationError, match="event loop"):
        asyncio.run(calendar.create_appointment(PAYLOAD))
    assert len(clio.calls("POST")) == 1


def test_a_rate_limit_that_only_names_its_reset_still_says_how_long(calendar: Runner, clio: FakeClio) -> None:
    limited = httpx.Response(
        429, json={"error": {"type": "RateLimited", "message": "x"}}, headers={"X-RateLimit-Reset": "3600"}
    )
    clio.fail("POST", ENTRIES, limited)
    with pytest.raises(RateLimitError) as caught:
        calendar.create_appointment(PAYLOAD)
    assert caught.value.retry_after == 3600
    assert len(clio.calls("POST")) == 1
