"""Bad input: arbitrary JSON payloads, user records and auth headers through the module-level functions.

Every call must end in App Connect's result shape (success or `successful: false`) or a typed ClioError; nothing
else may escape. Every request that does go out is checked against the spec (path, method, query and path
parameters, body schema), must go to an allowlisted Clio host, and must carry a well-formed bearer token.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clio_appointments as ca
from clio_appointments._calendar_cache import SHARED_CACHE

from .spec_clio import SpecCheckingClio

CLIO_HOSTS = ["app.clio.com", "eu.app.clio.com", "ca.app.clio.com", "au.app.clio.com"]
BEARER = re.compile(r"Bearer [A-Za-z0-9\-._~+/]+=*", re.ASCII)
MESSAGE_TYPES = {"success", "warning", "danger"}


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`good` three times in four, so most examples get past the input checks
    and reach the requests."""
    return st.integers(0, 3).flatmap(lambda n: bad if n == 0 else good)


json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=6,
)

# Values that look like what App Connect sends, mixed with arbitrary JSON, so most examples get past the first check.
ZONES = [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
date_times = mostly(
    st.sampled_from(["2024-03-15T14:00:00Z", "2024-03-15T14:00:00.123+02:00", "2024-03-15t14:00:00z"])
    | st.datetimes(timezones=st.sampled_from(ZONES)).map(lambda d: d.isoformat()),
    st.sampled_from(["2024-02-30T00:00:00Z", "2024-03-15", "9999-12-31T23:59:59Z"]) | st.text(max_size=25),
)
numbers_ish = st.integers(-10, 600_000) | st.floats() | st.text("0123456789.e- ", max_size=8) | json_values
contacts = st.lists(
    st.integers() | st.text("0123456789 x", max_size=6) | st.fixed_dictionaries({"id": json_scalars}) | json_values,
    max_size=6,
)
create_like = st.fixed_dictionaries(
    {"startTimeUtc": date_times},
    optional={
        "title": mostly(st.text(max_size=20), json_values),
        "summary": mostly(st.text(max_size=20), json_values),
        "durationMinutes": mostly(st.integers(0, 600), numbers_ish),
        "contacts": mostly(contacts, json_values),
    },
)
anything_like = st.fixed_dictionaries(
    {},
    optional={
        "title": mostly(st.text(max_size=20), json_values),
        "summary": mostly(st.text(max_size=20), json_values),
        "startTimeUtc": mostly(date_times, json_values),
        "startTime": date_times,
        "durationMinutes": mostly(st.integers(0, 600), numbers_ish),
        "contacts": mostly(contacts, json_values),
        "status": st.sampled_from(["scheduled", "cancelled"]) | json_values,
        "idempotencyKey": st.text(max_size=10) | json_values,
        "startDate": st.sampled_from(["2024-03-15", "2024-13-01"]) | date_times,
        "endDate": st.sampled_from(["2024-03-16", "2024-03-14"]) | date_times,
    },
)


payloads = mostly(create_like | anything_like, json_values)
good_users = st.none() | st.fixed_dictionaries({"hostname": st.sampled_from(CLIO_HOSTS)}, optional={"id": json_values})
bad_users = json_values | st.fixed_dictionaries(
    {"hostname": st.sampled_from(["APP.CLIO.COM.", "evil.example", "app.clio.com.evil.example", ""]) | json_scalars}
)
users = mostly(good_users, bad_users)
good_auth = st.sampled_from(["Bearer good-token-1", "bearer  good-token-2", "good-token-3", "Bearer a.b_c~d+e/f=="])
bad_auth = (
    st.text(st.characters(codec="ascii"), max_size=24).map(lambda t: f"Bearer {t}")
    | st.sampled_from(["Basic dXNlcjpwYXNz", "Bearer a\r\nX-Evil: 1", "Bearer", ""])
    | st.text(max_size=24)
    | json_scalars
)
auth_headers = mostly(good_auth, bad_auth)
appointment_ids = st.integers() | st.text("0123456789", min_size=1, max_size=20) | json_values

OPERATIONS = ["list", "create", "update", "refresh", "cancel"]


def call(
    operation: str, user: Any, auth: Any, payload: Any, appointment_id: Any, transport: httpx.BaseTransport
) -> Any:
    common: dict[str, Any] = {"user": user, "auth_header": auth, "transport": transport, "max_retries": 0}
    if operation == "list":
        return ca.list_appointments(range=payload, **common)
    if operation == "create":
        return ca.create_appointment(payload=payload, **common)
    if operation == "update":
        return ca.update_appointment(appointment_id=appointment_id, patch=payload, **common)
    if operation == "refresh":
        return ca.refresh_appointment(appointment_id=appointment_id, **common)
    return ca.cancel_appointment(appointment_id=appointment_id, **common)


def is_return_message(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"message", "messageType", "ttl"}
        and isinstance(value["message"], str)
        and value["message"] != ""
        and value["messageType"] in MESSAGE_TYPES
        and type(value["ttl"]) is int
    )


def is_failure(result: Any) -> bool:
    return (
        isinstance(result, dict)
        and set(result) == {"successful", "returnMessage"}
        and result["successful"] is False
        and is_return_message(result["returnMessage"])
    )


def is_appointment(value: Any) -> bool:
    keys = {
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
    return (
        isinstance(value, dict)
        and keys <= set(value)
        and isinstance(value["id"], str)
        and value["id"] == value["thirdPartyAppointmentId"]
        and isinstance(value["title"], str)
        and isinstance(value["description"], str)
        and type(value["durationMinutes"]) is int
        and value["status"] == "scheduled"
        and isinstance(value["attendees"], list)
    )


SHAPES: dict[str, Callable[[Any], bool]] = {
    "list": lambda r: (
        isinstance(r, dict) and set(r) == {"appointments"} and all(map(is_appointment, r["appointments"]))
    ),
    "create": lambda r: (
        isinstance(r, dict)
        and set(r) == {"appointmentId", "appointment"}
        and is_appointment(r["appointment"])
        and r["appointmentId"] == r["appointment"]["id"]
    ),
    "update": lambda r: isinstance(r, dict) and set(r) == {"appointment"} and is_appointment(r["appointment"]),
    "refresh": lambda r: isinstance(r, dict) and set(r) == {"appointment"} and is_appointment(r["appointment"]),
    "cancel": lambda r: (
        isinstance(r, dict)
        and set(r) == {"successful", "returnMessage"}
        and r["successful"] is True
        and is_return_message(r["returnMessage"])
    ),
}


@pytest.fixture(scope="module")
def clio(spec: dict[str, Any]) -> SpecCheckingClio:
    return SpecCheckingClio(spec)


class Tally:
    def __init__(self) -> None:
        self.examples = 0
        self.outcomes: dict[str, int] = {}

    def note(self, outcome: str) -> None:
        self.examples += 1
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


@pytest.mark.slow
def test_arbitrary_input_gets_a_clear_result_and_only_valid_requests(clio: SpecCheckingClio) -> None:
    tally = Tally()
    hosts_seen: set[str] = set()
    bad_auth: list[str] = []

    def check_request(request: httpx.Request) -> httpx.Response:
        hosts_seen.add(request.url.host)
        if request.url.scheme != "https" or request.url.host not in CLIO_HOSTS:
            clio.violations.append(f"request to a non-Clio origin {request.url.scheme}://{request.url.host}")
        if not BEARER.fullmatch(request.headers.get("authorization", "")):
            bad_auth.append(request.method)
        return clio(request)

    transport = httpx.MockTransport(check_request)

    @settings(
        max_examples=10_000,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(
        operation=st.sampled_from(OPERATIONS),
        user=users,
        auth=auth_headers,
        payload=payloads,
        appointment_id=appointment_ids,
        cold=st.booleans(),
    )
    def one(operation: str, user: Any, auth: Any, payload: Any, appointment_id: Any, cold: bool) -> None:
        if cold:
            SHARED_CACHE.clear()  # exercise the calendar lookup too, not only warm creates
        try:
            result = call(operation, user, auth, payload, appointment_id, transport)
        except ca.ConfigurationError as exc:
            assert str(exc)
            tally.note("ConfigurationError")
            return
        except ca.ClioError as exc:
            assert str(exc)
            tally.note(type(exc).__name__)
            return
        if is_failure(result):
            tally.note("failure shape")
            return
        assert SHAPES[operation](result), f"{operation} returned {result!r}"
        tally.note(f"{operation} ok")

    one()
    print(f"\nfuzz: {tally.examples} examples, {clio.requests} requests checked against the spec")
    print(f"fuzz outcomes: {tally.outcomes}")
    assert tally.examples >= 10_000
    assert clio.violations == [], clio.violations[:20]
    assert bad_auth == []
    assert hosts_seen <= set(CLIO_HOSTS)
    # The generators must reach the network, not only the input checks.
    assert sum(n for outcome, n in tally.outcomes.items() if outcome.endswith(" ok")) > 500
