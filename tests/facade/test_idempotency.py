"""Creates are never duplicated and never silently lost: the idempotency key and the reconciliation after ambiguous
failures of the POST. Every test runs for ClioCalendar and AsyncClioCalendar."""

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
    (prop,) = body["data"]["external_properties"]
    assert prop["name"] == IDEMPOTENCY_PROPERTY
    return str(prop["value"])


def _server_error() -> httpx.Response:
    return httpx.Response(503, json={"error": {"type": "ServiceUnavailable", "message": "try later"}})


AMBIGUOUS: list[Callable[[], httpx.Response | Exception]] = [
    _server_error,
    lambda: httpx.Response(500, text="oops"),
    lambda: httpx.ReadTimeout("no answer"),
    lambda: httpx.RemoteProtocolError("Server disconnected without sending a response."),
    lambda: httpx.ReadError("connection reset"),
]
AMBIGUOUS_IDS = ["503", "500", "read-timeout", "dropped", "reset"]

# Clio's application answered: it is done with the request, so a lookup that finds nothing means nothing was stored.
ANSWERED = AMBIGUOUS[:2]
ANSWERED_IDS = AMBIGUOUS_IDS[:2]
# Nothing says whether Clio is still working on the request (a gateway gave up, the client timed out, the connection
# broke): a lookup that finds nothing proves nothing, so the create is not posted again.
STILL_RUNNING: list[Callable[[], httpx.Response | Exception]] = [
    lambda: httpx.Response(502, text="<html>Bad Gateway</html>"),
    lambda: httpx.Response(504, json={"error": {"type": "GatewayTimeout", "message": "upstream timed out"}}),
    *AMBIGUOUS[2:],
]
STILL_RUNNING_IDS = ["502", "504", *AMBIGUOUS_IDS[2:]]


def test_each_create_has_a_fresh_uuid4_key(calendar: Runner, clio: FakeClio) -> None:
    calendar.create_appointment(PAYLOAD)
    calendar.create_appointment(PAYLOAD)
    first, second = (_key(b) for b in clio.bodies("POST"))
    assert first != second
    assert uuid.UUID(first).version == 4


def test_the_key_is_not_in_the_result(calendar: Runner, clio: FakeClio) -> None:
    result = calendar.create_appointment({**PAYLOAD, "idempotencyKey": "my-key-1"})
    assert "my-key-1" not in json.dumps(result)
    assert set(result["appointment"]) == {
        "id",
        "thirdPartyAppointmentId",
        "title",
        "description",
        "startTimeUtc",
        "durationMinutes",
        "status",
        "contactId",
        "attendees",
    }
    assert result["appointment"]["attendees"] == [{"id": 201, "name": "Jane Smith", "type": "Contact"}]


def test_caller_keys_by_payload_or_keyword(calendar: Runner, clio: FakeClio) -> None:
    calendar.create_appointment({**PAYLOAD, "idempotencyKey": "from-payload"})
    calendar.create_appointment(PAYLOAD, idempotency_key="from-keyword")
    assert [_key(b) for b in clio.bodies("POST")] == ["from-payload", "from-keyword"]
    lookups = clio.calls("GET", ENTRIES)
    assert [r.url.params["external_property_value"] for r in lookups] == ["from-payload", "from-keyword"]


@pytest.mark.parametrize("failure", AMBIGUOUS, ids=AMBIGUOUS_IDS)
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
    assert "attendees{id,name,type}" in lookup.url.params["fields"]
    assert len(clio.calls("POST")) == 1


@pytest.mark.parametrize("failure", ANSWERED, ids=ANSWERED_IDS)
def test_not_committed_is_posted_again_with_the_same_key(
    calendar: Runner, clio: FakeClio, sleeps: Sleeps, failure: Callable[[], httpx.Response | Exception]
) -> None:
    clio.fail("POST", ENTRIES, failure())
    result = calendar.create_appointment(PAYLOAD)
    assert len(clio.entries) == 1
    assert result["appointmentId"] == next(iter(clio.entries.values()))["id"]
    first, second = clio.bodies("POST")
    assert first == second  # same body, same key
    assert [r.method for r in clio.requests[1:]] == ["POST", "GET", "POST"]
    assert sleeps.seconds  # a pause before posting again


@pytest.mark.parametrize("failure", STILL_RUNNING, ids=STILL_RUNNING_IDS)
def test_outcome_unknown_is_not_posted_again_but_raised_with_the_key(
    calendar: Runner, clio: FakeClio, sleeps: Sleeps, failure: Callable[[], httpx.Response | Exception]
) -> None:
    clio.fail("POST", ENTRIES, failure())
    with pytest.raises(ClioError) as caught:
        calendar.create_appointment(PAYLOAD)
    key = _key(clio.bodies("POST")[0])
    assert caught.value.idempotency_key == key
    assert any(key in note for note in caught.value.__notes__)
    assert [r.method for r in clio.requests[1:]] == ["POST", "GET"]  # looked up, never posted twice
    assert sleeps.seconds  # a pause before looking, for a request still landing
    assert clio.entries == {}
    # Creating again with the key is safe: looked up first, then created once.
    result = calendar.create_appointment(PAYLOAD, idempotency_key=key)
    assert len(clio.entries) == 1
    assert result["appointmentId"] == next(iter(clio.entries.values()))["id"]
    assert [_key(b) for b in clio.bodies("POST")] == [key, key]


def test_gives_up_after_max_retries_with_the_typed_error(make_calendar: Callable[..., Runner], clio: FakeClio) -> None:
    calendar = make_calendar(clio.transport, max_retries=2)
    for _ in range(3):
        clio.fail("POST", ENTRIES, _server_error())
    with pytest.raises(ServerError) as caught:
        calendar.create_appointment(PAYLOAD)
    assert caught.value.status_code == 503
    assert len(clio.calls("POST")) == 3
    assert len(clio.calls("GET", ENTRIES)) == 3  # reconciled after every attempt, the last included
    assert clio.entries == {}
    assert len({_key(b) for b in clio.bodies("POST")}) == 1


def test_max_retries_zero_still_reconciles_but_never_posts_again(
    make_calendar: Callable[..., Runner], clio: FakeClio
) -> None:
    calendar = make_calendar(clio.transport, max_retries=0)
    clio.fail("POST", ENTRIES, httpx.ReadTimeout("slow"), commit=True)
    assert "appointmentId" in calendar.create_appointment(PAYLOAD)
    clio.fail("POST", ENTRIES, httpx.ReadTimeout("slow"))
    with pytest.raises(ClioTimeoutError):
        calendar.create_appointment(PAYLOAD)
    assert len(clio.calls("POST")) == 2
    assert len(clio.calls("GET", ENTRIES)) == 2
    assert len(clio.entries) == 1


def test_failed_lookup_raises_the_original_error(make_calendar: Callable[..., Runner], clio: FakeClio) -> None:
    calendar = make_calendar(clio.transport, max_retries=1)
    clio.fail("POST", ENTRIES, httpx.RemoteProtocolError("dropped"))
    for _ in range(2):  # the lookup and the transport's retry of it
        clio.fail("GET", ENTRIES, _server_error())
    with pytest.raises(ClioConnectionError) as caught:
        calendar.create_appointment(PAYLOAD)
    assert "RemoteProtocolError" in str(caught.value)
    assert len(clio.calls("POST")) == 1  # unknown outcome: no second POST


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (lambda: httpx.ConnectError("refused"), ClioConnectionError),
        (lambda: httpx.ConnectTimeout("no route"), ClioTimeoutError),
        (lambda: httpx.Response(422, json={"error": {"type": "RecordInvalid", "message": "bad"}}), ValidationError),
        (lambda: httpx.Response(429, json={"error": {"type": "RateLimited", "message": "wait"}}), RateLimitError),
    ],
)
def test_definite_failures_are_not_reconciled(
    make_calendar: Callable[..., Runner],
    clio: FakeClio,
    failure: Callable[[], httpx.Response | Exception],
    expected: type[Exception],
) -> None:
    calendar = make_calendar(clio.transport, max_retries=0)
    clio.fail("POST", ENTRIES, failure())
    with pytest.raises(expected):
        calendar.create_appointment(PAYLOAD)
    assert clio.calls("GET", ENTRIES) == []


def test_connect_errors_are_retried_by_the_transport(calendar: Runner, clio: FakeClio) -> None:
    clio.fail("POST", ENTRIES, httpx.ConnectError("refused"))
    assert "appointmentId" in calendar.create_appointment(PAYLOAD)
    assert len(clio.calls("POST")) == 2
    assert clio.calls("GET", ENTRIES) == []
    assert len(clio.entries) == 1


def test_unreadable_success_is_reconciled_but_never_reposted(calendar: Runner, clio: FakeClio) -> None:
    clio.fail("POST", ENTRIES, httpx.Response(201, text="<html>"), commit=True)
    assert "appointmentId" in calendar.create_appointment(PAYLOAD)
    clio.fail("POST", ENTRIES, httpx.Response(201, text="<html>"))
    with pytest.raises(UnexpectedResponseError):
        calendar.create_appointment(PAYLOAD)
    assert len(clio.calls("POST")) == 2


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


def test_posting_again_waits_as_clio_asked(calendar: Runner, clio: FakeClio, sleeps: Sleeps) -> None:
    busy = httpx.Response(503, json={"error": {"type": "Busy", "message": "later"}}, headers={"Retry-After": "3"})
    clio.fail("POST", ENTRIES, busy)
    assert "appointmentId" in calendar.create_appointment(PAYLOAD)
    assert sleeps.seconds == [3.0]
