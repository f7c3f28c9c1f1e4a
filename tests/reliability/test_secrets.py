"""Secrets: the token never appears in logs (any level, any logger, httpx and httpcore included), exception messages,
reprs or formatted tracebacks, on every error path, in-process and over a real socket."""

from __future__ import annotations

import asyncio
import io
import logging
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import clio_appointments as ca
from clio_appointments import AsyncClioCalendar, ClioCalendar
from clio_appointments._calendar_cache import SHARED_CACHE
from clio_appointments._pacing import _registry
from clio_emulator import Emulator, serve_in_thread

from .emulated import ENTRIES, PAYLOAD, Sleeps, use_policy

UNKNOWN_TOKEN = "unknown-token-9d8e7f6a5b4c"
FAULTS: dict[str, dict[str, Any]] = {
    "500": {"status": 500},
    "502": {"status": 502},
    "503": {"status": 503, "retry_after": 0},
    "504": {"status": 504},
    "429": {"status": 429, "retry_after": 0},
    "timeout": {"status": None, "delay": 0.5},
    "drop before commit": {"drop": "before_commit"},
    "drop after commit": {"drop": "after_commit"},
}

# The error paths the exercise must reach for the search to mean anything.
EVERY_KIND = {
    "ServerError",
    "RateLimitError",
    "ClioTimeoutError",
    "ClioConnectionError",
    "AuthenticationError",
    "ConfigurationError",
}


class Evidence:
    """Everything a token could leak into: log output, and the text of what each error path produced."""

    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.texts: list[str] = []
        self.errors: set[str] = set()

    def record(self, thing: object) -> None:
        self.texts.append(repr(thing))
        self.texts.append(str(thing))
        if isinstance(thing, BaseException):
            self.errors.add(type(thing).__name__)
            self.texts.append("".join(traceback.format_exception(thing)))
            self.texts.append(repr(vars(thing)))

    def attempt(self, action: Callable[[], object]) -> None:
        try:
            self.record(action())
        except Exception as error:  # every error path, typed or not, is evidence
            self.record(error)

    def search(self, *secrets: str) -> list[str]:
        everything = [self.stream.getvalue(), *self.texts]
        return [secret for secret in secrets for text in everything if secret in text]


@pytest.fixture
def evidence() -> Iterator[Evidence]:
    found = Evidence()
    handler = logging.StreamHandler(found.stream)
    # Everything a record holds, arguments and tracebacks included.
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s %(args)r"))
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    names = ["", "httpx", "httpcore", "clio_appointments", "clio_emulator", "uvicorn", "uvicorn.error", "asyncio"]
    saved = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        yield found
    finally:
        root.removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def exercise(evidence: Evidence, emulator: Emulator, base_url: str, transport: Any, atransport: Any) -> None:
    """Every error path of the facade against `emulator`, sync and async, recording what each produced."""
    token = emulator.token
    options: dict[str, Any] = {"base_url": base_url, "timeout": 0.2, "max_retries": 1}

    def sync(auth: str = token) -> ClioCalendar:
        return ClioCalendar(f"Bearer {auth}", transport=transport() if transport else None, **options)

    def asynchronous(auth: str = token) -> AsyncClioCalendar:
        return AsyncClioCalendar(f"Bearer {auth}", transport=atransport() if atransport else None, **options)

    async def async_create(auth: str = token) -> object:
        async with asynchronous(auth) as calendar:
            evidence.record(calendar)
            return await calendar.create_appointment(dict(PAYLOAD))

    def sync_create(auth: str = token) -> object:
        with sync(auth) as calendar:
            evidence.record(calendar)
            return calendar.create_appointment(dict(PAYLOAD))

    for fault in FAULTS.values():
        for method in ("POST", "GET"):
            emulator.faults.clear()
            emulator.faults.add(method=method, path=ENTRIES, times=None, **fault)
            evidence.attempt(sync_create)
            evidence.attempt(lambda: asyncio.run(async_create()))
            evidence.attempt(lambda: sync(token).list_appointments())
    emulator.faults.clear()
    SHARED_CACHE.clear()
    evidence.attempt(lambda: sync_create(UNKNOWN_TOKEN))  # 401
    evidence.attempt(lambda: asyncio.run(async_create(UNKNOWN_TOKEN)))
    with sync() as calendar:
        evidence.attempt(lambda: calendar.refresh_appointment("999999"))  # 404
        evidence.attempt(lambda: calendar.update_appointment("999999", {"title": "x"}))
        evidence.attempt(lambda: calendar.cancel_appointment("999999"))
        evidence.attempt(lambda: calendar.create_appointment({"startTimeUtc": "not a time"}))
    # Bad configuration: the token is in the input, and must not be echoed back.
    for auth in (f"Bearer {token}\r\nX-Evil: 1", f"Bearer {token} extra", f"Basic {token}", f"Bearer {token}\u00e9"):
        evidence.attempt(
            lambda auth=auth: ClioCalendar(auth, transport=httpx.MockTransport(lambda r: httpx.Response(200)))
        )
    for user in ({"hostname": "evil.example"}, {"hostname": 5}, ["x"]):
        evidence.attempt(
            lambda user=user: ca.create_appointment(user=user, auth_header=f"Bearer {token}", payload=dict(PAYLOAD))
        )
    evidence.attempt(lambda: ClioCalendar(f"Bearer {token}", base_url="http://example.com"))


def test_no_token_in_logs_errors_reprs_or_tracebacks_in_process(
    evidence: Evidence, clio_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_policy(monkeypatch, Sleeps())
    exercise(evidence, clio_emulator, clio_emulator.base_url, clio_emulator.transport, clio_emulator.async_transport)
    evidence.record(_registry)
    evidence.record(SHARED_CACHE)
    assert evidence.errors >= EVERY_KIND, evidence.errors
    assert evidence.search(clio_emulator.token, UNKNOWN_TOKEN) == []


def test_no_token_in_logs_errors_reprs_or_tracebacks_over_a_socket(
    evidence: Evidence, clio_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_policy(monkeypatch, Sleeps())
    with serve_in_thread(clio_emulator.app) as base_url:
        exercise(evidence, clio_emulator, base_url, None, None)
        # Connection refused: nothing listens on the port any more once the server is gone.
    evidence.attempt(lambda: ClioCalendar(f"Bearer {clio_emulator.token}", base_url=base_url).list_appointments())
    assert evidence.errors >= EVERY_KIND, evidence.errors
    logged = evidence.stream.getvalue()
    assert "httpcore" in logged and "httpx" in logged  # the network layers really were logging at DEBUG
    assert evidence.search(clio_emulator.token, UNKNOWN_TOKEN) == []
