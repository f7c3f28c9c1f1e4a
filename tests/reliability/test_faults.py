"""Creates under every fault the emulator can inject: exactly one entry per success, a ClioError per failure, never
a duplicate. In-process (sync and async), and over a real uvicorn socket for drops and timeouts."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from clio_appointments import (
    ClioConnectionError,
    ClioError,
    ClioTimeoutError,
    RateLimitError,
    ServerError,
)
from clio_emulator import Emulator

from .emulated import ENTRIES, PAYLOAD, Sleeps, all_keys, async_calendar, sync_calendar, use_policy

TIMEOUT = 0.25  # the client's; a delay fault of SLOW seconds makes it time out
SLOW = 0.6

FAULTS: dict[str, dict[str, Any]] = {
    "500": {"status": 500},
    "502": {"status": 502},
    "503": {"status": 503},
    "504": {"status": 504},
    "429": {"status": 429},
    "429 Retry-After": {"status": 429, "retry_after": 1},
    "timeout": {"status": None, "delay": SLOW},
    "drop before commit": {"drop": "before_commit"},
    "drop after commit": {"drop": "after_commit"},
}
# Faults after which Clio may still be working on the create (a gateway gave up, the client timed out, the connection
# broke): when the key lookup finds nothing, the facade does not post again, since that could store the appointment
# twice; it raises the error with the create's idempotency key, and creating again with that key is safe.
UNKNOWN_OUTCOME = {"502", "504", "timeout", "drop before commit"}
# What a create gets when the fault never stops (every attempt meets it).
PERSISTENT: dict[str, type[ClioError] | None] = {
    "500": ServerError,
    "502": ServerError,
    "503": ServerError,
    "504": ServerError,
    "429": RateLimitError,
    "429 Retry-After": RateLimitError,
    "timeout": ClioTimeoutError,
    "drop before commit": ClioConnectionError,
    "drop after commit": None,  # the first attempt is stored, and the lookup finds it
}


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Sleeps:
    recorded = Sleeps()
    use_policy(monkeypatch, recorded)
    return recorded


def create(
    mode: str, emulator: Emulator, *, idempotency_key: str | None = None, **options: Any
) -> dict[str, Any] | ClioError:
    """One create through the facade; the ClioError it raised, if it did."""
    options.setdefault("timeout", TIMEOUT)
    if mode == "sync":
        with sync_calendar(emulator, **options) as calendar:
            try:
                return dict(calendar.create_appointment(dict(PAYLOAD), idempotency_key=idempotency_key))
            except ClioError as error:
                return error

    async def run() -> dict[str, Any] | ClioError:
        async with async_calendar(emulator, **options) as calendar:
            try:
                return dict(await calendar.create_appointment(dict(PAYLOAD), idempotency_key=idempotency_key))
            except ClioError as error:
                return error

    return asyncio.run(run())


def retry_if_outcome_unknown(
    mode: str, emulator: Emulator, fault: str, result: dict[str, Any] | ClioError, **options: Any
) -> dict[str, Any] | ClioError:
    """What a caller does with an unknown outcome: create again with the key the error carries."""
    if not isinstance(result, ClioError):
        return result
    assert fault in UNKNOWN_OUTCOME, f"{fault}: {result!r}"
    assert result.idempotency_key, f"{fault}: the error does not carry the create's key: {result!r}"
    assert isinstance(result, ClioConnectionError | ServerError)
    assert any(result.idempotency_key in note for note in result.__notes__)
    return create(mode, emulator, idempotency_key=result.idempotency_key, **options)


def assert_no_duplicates(emulator: Emulator) -> dict[str, list[str]]:
    keys = all_keys(emulator)
    assert all(len(ids) == 1 for ids in keys.values()), f"duplicated keys: {keys}"
    assert sum(map(len, keys.values())) == emulator.calendar_entry_count(), "an entry without a key"
    return keys


def assert_stored_once(emulator: Emulator, result: dict[str, Any]) -> None:
    keys = assert_no_duplicates(emulator)
    stored = [entry_id for ids in keys.values() for entry_id in ids]
    assert stored.count(result["appointmentId"]) == 1
    assert result["appointment"]["title"] == PAYLOAD["title"]
    assert result["appointment"]["durationMinutes"] == PAYLOAD["durationMinutes"]


MODES = pytest.mark.parametrize("mode", ["sync", "async"])


@MODES
@pytest.mark.parametrize("fault", FAULTS)
def test_one_fault_then_success_stores_exactly_one_entry(
    mode: str, fault: str, clio_emulator: Emulator, sleeps: Sleeps
) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, times=1, **FAULTS[fault])
    result = retry_if_outcome_unknown(mode, clio_emulator, fault, create(mode, clio_emulator))
    assert not isinstance(result, ClioError), f"{fault}: {result!r}"
    assert clio_emulator.calendar_entry_count() == 1
    assert_stored_once(clio_emulator, result)
    if fault == "429 Retry-After":
        assert 1.0 in sleeps.seconds  # the server's wait, not the (zero) backoff


@MODES
@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_that_never_clears_gives_a_clear_error_and_no_duplicate(
    mode: str, fault: str, clio_emulator: Emulator, sleeps: Sleeps
) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, times=None, **FAULTS[fault])
    result = create(mode, clio_emulator, max_retries=2)
    expected = PERSISTENT[fault]
    if expected is None:
        assert not isinstance(result, ClioError), f"{fault}: {result!r}"
        assert_stored_once(clio_emulator, result)
        return
    assert isinstance(result, expected), f"{fault}: {result!r}"
    assert str(result)  # a message a person can read
    if fault != "timeout":
        assert clio_emulator.calendar_entry_count() == 0
    assert_no_duplicates(clio_emulator)


@MODES
@pytest.mark.parametrize("fault", ["502", "503", "504", "timeout", "drop before commit", "drop after commit"])
def test_faults_on_the_reconciling_lookup_never_duplicate(
    mode: str, fault: str, clio_emulator: Emulator, sleeps: Sleeps
) -> None:
    # The create fails ambiguously after storing the entry, and the lookup that should find it fails once too.
    clio_emulator.faults.add(method="POST", path=ENTRIES, times=1, drop="after_commit")
    clio_emulator.faults.add(method="GET", path=ENTRIES, times=1, **FAULTS[fault])
    result = create(mode, clio_emulator)
    if isinstance(result, ClioError):
        # The lookup could not say either way: the caller is told, and nothing was posted twice.
        assert isinstance(result, ClioConnectionError | ServerError)
    else:
        assert_stored_once(clio_emulator, result)
    assert clio_emulator.calendar_entry_count() == 1
    assert_no_duplicates(clio_emulator)


@MODES
def test_max_retries_zero_still_never_duplicates(mode: str, clio_emulator: Emulator, sleeps: Sleeps) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, times=1, drop="after_commit")
    result = create(mode, clio_emulator, max_retries=0)
    assert not isinstance(result, ClioError)
    assert_stored_once(clio_emulator, result)


# ---- over a real socket: uvicorn on 127.0.0.1 ----------------------------------------------------------------------


SOCKET_FAULTS = ["timeout", "drop before commit", "drop after commit", "503"]


@MODES
@pytest.mark.parametrize("fault", SOCKET_FAULTS)
def test_over_a_socket_one_fault_then_success(
    mode: str, fault: str, clio_emulator_server: Emulator, sleeps: Sleeps
) -> None:
    emulator = clio_emulator_server
    assert emulator.base_url.startswith("http://127.0.0.1:")
    emulator.faults.add(method="POST", path=ENTRIES, times=1, **FAULTS[fault])
    result = create(mode, emulator, transport=None)
    if fault == "timeout":
        # The server goes on with the stalled request after the client gave up; let it finish before counting.
        time.sleep(SLOW + 0.3)
    result = retry_if_outcome_unknown(mode, emulator, fault, result, transport=None)
    assert not isinstance(result, ClioError), f"{fault}: {result!r}"
    assert emulator.calendar_entry_count() == 1, "a stalled create was committed after the client had re-posted it"
    assert_stored_once(emulator, result)


@MODES
@pytest.mark.parametrize("fault", SOCKET_FAULTS)
def test_over_a_socket_a_fault_that_never_clears(
    mode: str, fault: str, clio_emulator_server: Emulator, sleeps: Sleeps
) -> None:
    emulator = clio_emulator_server
    emulator.faults.add(method="POST", path=ENTRIES, times=None, **FAULTS[fault])
    result = create(mode, emulator, transport=None, max_retries=1)
    if fault == "timeout":
        time.sleep(SLOW + 0.3)
    expected = PERSISTENT[fault]
    if expected is None:
        assert not isinstance(result, ClioError), f"{fault}: {result!r}"
        assert_stored_once(emulator, result)
    else:
        assert isinstance(result, expected), f"{fault}: {result!r}"
    assert_no_duplicates(emulator)


# ---- a create that is committed after the client has given up ------------------------------------------------------


class CommitsLate:
    """ASGI wrapper: the next POST is received in full, then handled only after `delay` seconds, as a busy Clio (or
    one behind a proxy that buffers requests) does. With `edge_status`, the edge answers that status at once while
    the request goes on upstream, as a gateway timeout does. The emulator's own delay fault cannot show this: it
    reads the body after the delay, so a client that gave up leaves nothing to commit."""

    def __init__(self, app: Any, delay: float, edge_status: int | None = None) -> None:
        self.app, self.delay, self.edge_status, self.left = app, delay, edge_status, 1
        self.background: set[asyncio.Task[None]] = set()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not self.left:
            await self.app(scope, receive, send)
            return
        self.left -= 1
        messages = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        replay = iter(messages)

        async def receive_again() -> Any:
            return next(replay, None) or await receive()

        async def late() -> None:
            await asyncio.sleep(self.delay)
            await self.app(scope, receive_again, discard if self.edge_status else send)

        async def discard(message: Any) -> None:
            pass

        if self.edge_status is None:
            await late()
            return
        task = asyncio.create_task(late())
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        body = b'{"error":{"type":"GatewayTimeout","message":"upstream timed out"}}'
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": self.edge_status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


@pytest.mark.parametrize("edge_status", [None, 504])
def test_a_create_committed_after_the_client_gave_up_is_not_duplicated(
    edge_status: int | None, clio_emulator: Emulator, sleeps: Sleeps
) -> None:
    from clio_emulator import serve_in_thread

    late = CommitsLate(clio_emulator.app, delay=0.8, edge_status=edge_status)
    with serve_in_thread(late) as base_url:
        clio_emulator.base_url = base_url
        result = create("sync", clio_emulator, transport=None)
        time.sleep(1.2)  # let the stalled request finish on the server
        entries = clio_emulator.calendar_entry_count()
        # The caller is told the outcome is unknown; creating again with the key returns the late entry.
        fault = "504" if edge_status else "timeout"
        retried = retry_if_outcome_unknown("sync", clio_emulator, fault, result, transport=None)
        after_retry = clio_emulator.calendar_entry_count()
        clio_emulator.base_url = "https://clio-emulator.invalid"
    assert entries <= 1, f"{entries} entries for one create (result: {result!r})"
    assert isinstance(result, ClioError) and result.idempotency_key, result
    assert not isinstance(retried, ClioError), retried
    assert after_retry == 1
    assert_stored_once(clio_emulator, retried)
