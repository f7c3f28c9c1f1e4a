"""The module-level functions with App Connect's signatures, sync and async."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

import clio_appointments as ca
from clio_appointments import ConfigurationError

from .conftest import AUTH, TOKEN, FakeClio

PAYLOAD = {"title": "Intake", "startTimeUtc": "2024-03-15T14:00:00Z", "durationMinutes": 45, "contacts": ["201"]}


class CountingTransport(httpx.MockTransport):
    """A mock transport that remembers whether anyone closed it."""

    closed = False

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def call(mode: str, name: str, **kwargs: Any) -> Any:
    if mode == "sync":
        return getattr(ca, name)(**kwargs)
    return asyncio.run(getattr(ca, f"a{name}")(**kwargs))


@pytest.mark.parametrize(
    ("user", "host"),
    [
        ({"hostname": "eu.app.clio.com", "id": "u1"}, "eu.app.clio.com"),
        ({"hostname": "au.app.clio.com"}, "au.app.clio.com"),
        ({}, "app.clio.com"),
        (None, "app.clio.com"),
    ],
)
def test_host_comes_from_app_connects_user(mode: str, clio: FakeClio, user: Any, host: str) -> None:
    result = call(mode, "create_appointment", user=user, auth_header=AUTH, payload=PAYLOAD, transport=clio.transport)
    assert result["appointment"]["durationMinutes"] == 45
    assert {r.url.host for r in clio.requests} == {host}


def test_full_life_cycle_through_the_functions(mode: str, clio: FakeClio) -> None:
    common: dict[str, Any] = {"user": {"hostname": "app.clio.com"}, "auth_header": AUTH, "transport": clio.transport}
    created = call(mode, "create_appointment", payload=PAYLOAD, **common)
    entry_id = created["appointmentId"]
    listed = call(mode, "list_appointments", range={"startDate": "2024-03-15", "endDate": "2024-03-15"}, **common)
    assert [a["id"] for a in listed["appointments"]] == [entry_id]
    updated = call(mode, "update_appointment", appointment_id=entry_id, patch={"contacts": [202]}, **common)
    assert updated["appointment"]["attendees"] == [{"id": 202, "name": "John Doe", "type": "Contact"}]
    refreshed = call(mode, "refresh_appointment", appointment_id=entry_id, **common)
    assert refreshed == updated
    assert call(mode, "cancel_appointment", appointment_id=entry_id, **common)["successful"] is True
    assert call(mode, "refresh_appointment", appointment_id=entry_id, **common)["successful"] is False


def test_warm_create_through_the_functions_is_one_request(mode: str, clio: FakeClio) -> None:
    for _ in range(3):
        call(mode, "create_appointment", user=None, auth_header=AUTH, payload=PAYLOAD, transport=clio.transport)
    assert [r.method for r in clio.requests] == ["GET", "POST", "POST", "POST"]


def test_callers_transport_is_borrowed_not_closed(mode: str, clio: FakeClio) -> None:
    transport = CountingTransport(clio)
    call(mode, "cancel_appointment", user=None, auth_header=AUTH, appointment_id=1, transport=transport)
    assert transport.closed is False


def test_bad_hostname_is_refused_before_any_request(mode: str, clio: FakeClio) -> None:
    with pytest.raises(ConfigurationError) as caught:
        call(
            mode,
            "create_appointment",
            user={"hostname": "attacker.example"},
            auth_header=AUTH,
            payload=PAYLOAD,
            transport=clio.transport,
        )
    assert TOKEN not in str(caught.value)
    assert clio.requests == []


def test_options_are_checked(mode: str, clio: FakeClio) -> None:
    # App Connect's names become Python's (authHeader -> auth_header, mineOnly -> mine_only); others are refused.
    with pytest.raises(TypeError, match="mineOnly"):
        call(mode, "list_appointments", user=None, auth_header=AUTH, mineOnly=True, transport=clio.transport)
    wrong = httpx.AsyncHTTPTransport() if mode == "sync" else httpx.HTTPTransport()
    if mode == "sync":
        with pytest.raises(ConfigurationError, match="BaseTransport"):
            call(mode, "refresh_appointment", user=None, auth_header=AUTH, appointment_id=1, transport=wrong)
    else:
        with pytest.raises(ConfigurationError, match="AsyncBaseTransport"):
            call(mode, "refresh_appointment", user=None, auth_header=AUTH, appointment_id=1, transport=wrong)
    with pytest.raises(ConfigurationError, match="disagree"):
        call(
            mode,
            "refresh_appointment",
            user={"hostname": "eu.app.clio.com"},
            auth_header=AUTH,
            appointment_id=1,
            region="au",
            transport=clio.transport,
        )
    assert clio.requests == []


def test_explicit_base_url_wins(mode: str, clio: FakeClio) -> None:
    call(
        mode,
        "cancel_appointment",
        user={"hostname": "eu.app.clio.com"},
        auth_header=AUTH,
        appointment_id=1,
        base_url="http://127.0.0.1:8765",
        transport=clio.transport,
    )
    assert [str(r.url) for r in clio.requests] == ["http://127.0.0.1:8765/api/v4/calendar_entries/1.json"]


def test_package_import_is_lazy_and_complete() -> None:
    import subprocess
    import sys

    code = (
        "import sys, clio_appointments as c; "
        "assert 'httpx' not in sys.modules and 'clio_calendar_api' not in sys.modules, 'eager import'; "
        "missing = [n for n in c.__all__ if not hasattr(c, n)]; assert not missing, missing; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stdout.strip() == "ok", out.stderr
