"""The create guarantee against the emulator's adversarial faults: errors before and *after* the write committed,
writes that commit *late* (after the answer, after the retry), HTML pages from proxies, dropped connections and
client timeouts after the commit. In-process (sync and async) and over a real uvicorn socket.

The invariants, checked after everything has settled and the documented recovery ran (create again with the key the
error carries):
- never duplicated: one entry per key;
- never lost: a create that returned has its entry stored, under the id it returned;
- never unknown without a key: every ClioError a create raises carries `idempotency_key`, and when
  `may_have_reached_clio` is False nothing was stored.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from clio_appointments import ClioError, RateLimitError, ServerError
from clio_emulator import Emulator

from .emulated import ENTRIES, PAYLOAD, Sleeps, all_keys, async_calendar, sync_calendar, use_policy

TIMEOUT = 0.25  # the client's; an answer_delay of SLOW seconds after the commit makes it time out
SLOW = 0.6

# Every way the POST can go wrong, as real infrastructure makes it go wrong.
FAULTS: dict[str, dict[str, Any]] = {
    **{f"{s} before": {"status": s, "commit": "before"} for s in (500, 503)},
    **{f"{s} after": {"status": s, "commit": "after"} for s in (500, 503)},
    **{f"{s} html after": {"status": s, "commit": "after", "body": "html"} for s in (502, 504, 520, 524)},
    **{f"{s} html late": {"status": s, "commit": "late", "body": "html"} for s in (502, 503, 504, 524)},
    "503 late": {"status": 503, "commit": "late"},
    "404 html after": {"status": 404, "commit": "after", "body": "html"},
    "drop before commit": {"drop": "before_commit"},
    "drop after commit": {"drop": "after_commit"},
    "drop then late commit": {"drop": "before_commit", "commit": "late"},
    "timeout after commit": {"status": None, "answer_delay": SLOW},
    "429": {"status": 429},
    "429 Retry-After": {"status": 429, "retry_after": 1},
}
# Faults after which the entry exists (or will) although the POST failed.
STORED = {name for name, fault in FAULTS.items() if fault.get("commit") in ("after", "late")} | {
    "drop after commit",
    "timeout after commit",
}
LATE = {name for name, fault in FAULTS.items() if fault.get("commit") == "late"}
MODES = pytest.mark.parametrize("mode", ["sync", "async"])


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


def check_error(emulator: Emulator, error: ClioError) -> str:
    """Every create error carries its key; 'nothing was stored' is only said when true. Returns the key."""
    assert error.idempotency_key, f"an error without the create's key: {error!r}"
    if not error.may_have_reached_clio:
        assert error.idempotency_key not in all_keys(emulator), f"stored, although the error says not: {error!r}"
    else:
        assert any(error.idempotency_key in note for note in error.__notes__)
    return error.idempotency_key


def recover(mode: str, emulator: Emulator, result: dict[str, Any] | ClioError, **options: Any) -> dict[str, Any]:
    """The documented recovery: an error's key is created again until an answer comes."""
    for _ in range(3):
        if not isinstance(result, ClioError):
            return result
        result = create(mode, emulator, idempotency_key=check_error(emulator, result), **options)
    raise AssertionError(f"no answer after three creates with the key: {result!r}")


def assert_settled(emulator: Emulator, results: list[dict[str, Any]]) -> None:
    """One entry per key, no entry without a key, and every returned id is stored."""
    keys = all_keys(emulator)
    assert all(len(ids) == 1 for ids in keys.values()), f"duplicated keys: {keys}"
    assert sum(map(len, keys.values())) == emulator.calendar_entry_count(), "an entry without a key"
    stored = {ids[0] for ids in keys.values()}
    for result in results:
        assert result["appointmentId"] in stored, f"lost: {result['appointmentId']} is not stored"
        assert result["appointment"]["title"] == PAYLOAD["title"]


@MODES
@pytest.mark.parametrize("fault", FAULTS)
def test_one_fault_then_recovery_stores_exactly_one_entry(
    mode: str, fault: str, clio_emulator: Emulator, sleeps: Sleeps
) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, times=1, **FAULTS[fault])
    first = create(mode, clio_emulator)
    if isinstance(first, ClioError):
        check_error(clio_emulator, first)
        assert first.may_have_reached_clio == (fault not in {"429"}), f"{fault}: {first!r}"
    result = recover(mode, clio_emulator, first)
    clio_emulator.release_commits()  # a late write lands after the recovery
    clio_emulator.settle(10)
    if fault in LATE:
        # The late entry is a duplicate of the recovery's until the key is created again: that converges on the
        # entry the caller already has.
        assert create(mode, clio_emulator, idempotency_key=check_key(first)) == result
    assert_settled(clio_emulator, [result])
    assert clio_emulator.calendar_entry_count() == 1
    if fault == "429 Retry-After":
        assert 1.0 in sleeps.seconds  # the server's wait, not the (zero) backoff


def check_key(result: dict[str, Any] | ClioError) -> str:
    assert isinstance(result, ClioError) and result.idempotency_key
    return result.idempotency_key


@MODES
@pytest.mark.parametrize(
    "fault", ["503 after", "524 html after", "drop after commit", "503 late", "timeout after commit"]
)
def test_a_failed_lookup_still_gives_the_key_and_recovery_finds_the_entry(
    mode: str, fault: str, clio_emulator: Emulator, sleeps: Sleeps
) -> None:
    # The POST fails after committing (or commits late), and the lookup that should find it fails on every attempt.
    clio_emulator.faults.add(method="POST", path=ENTRIES, times=1, **FAULTS[fault])
    clio_emulator.faults.add(method="GET", path=ENTRIES, times=3, status=503)
    first = create(mode, clio_emulator, max_retries=2)
    assert isinstance(first, ClioError), first
    assert first.may_have_reached_clio
    check_error(clio_emulator, first)
    clio_emulator.release_commits()
    clio_emulator.settle(10)
    assert clio_emulator.calendar_entry_count() == 1
    result = recover(mode, clio_emulator, first)
    assert_settled(clio_emulator, [result])


@MODES
@pytest.mark.parametrize("status", [500, 502, 503, 504, 520, 524])
def test_a_fault_that_never_clears_is_one_post_and_one_error_with_the_key(
    mode: str, status: int, clio_emulator: Emulator, sleeps: Sleeps
) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, times=None, status=status, body="html")
    result = create(mode, clio_emulator, max_retries=2)
    assert isinstance(result, ServerError), result
    assert result.status_code == status
    check_error(clio_emulator, result)
    assert clio_emulator.calendar_entry_count() == 0


@MODES
def test_a_long_retry_after_is_raised_with_it_never_retried_early(
    mode: str, clio_emulator: Emulator, sleeps: Sleeps
) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, times=None, status=429, retry_after=3600)
    result = create(mode, clio_emulator)
    assert isinstance(result, RateLimitError), result
    assert result.retry_after == 3600
    assert result.may_have_reached_clio is False
    assert sleeps.seconds == []
    assert clio_emulator.calendar_entry_count() == 0


@MODES
def test_same_key_callers_in_one_process_post_once_under_latency(
    mode: str, clio_emulator: Emulator, sleeps: Sleeps
) -> None:
    """Five callers with one key (a resent webhook) over a link with latency: one POST, one entry, one answer."""
    clio_emulator.faults.add(status=None, times=None, delay=0.02)  # every request takes 20 ms
    if mode == "async":

        async def run() -> list[Any]:
            async with async_calendar(clio_emulator) as calendar:
                return list(
                    await asyncio.gather(
                        *(calendar.create_appointment(dict(PAYLOAD), idempotency_key="hook-1") for _ in range(5))
                    )
                )

        results = asyncio.run(run())
    else:
        from concurrent.futures import ThreadPoolExecutor

        with sync_calendar(clio_emulator) as calendar, ThreadPoolExecutor(5) as pool:
            futures = [
                pool.submit(calendar.create_appointment, dict(PAYLOAD), idempotency_key="hook-1") for _ in range(5)
            ]
            results = [f.result() for f in futures]
    assert len({r["appointmentId"] for r in results}) == 1
    assert clio_emulator.calendar_entry_count() == 1


# ---- over a real socket: uvicorn on 127.0.0.1 ----------------------------------------------------------------------


SOCKET_FAULTS = ["timeout after commit", "drop before commit", "drop after commit", "524 html after", "504 html late"]


@MODES
@pytest.mark.parametrize("fault", SOCKET_FAULTS)
def test_over_a_socket_one_fault_then_recovery(
    mode: str, fault: str, clio_emulator_server: Emulator, sleeps: Sleeps
) -> None:
    emulator = clio_emulator_server
    assert emulator.base_url.startswith("http://127.0.0.1:")
    emulator.faults.add(method="POST", path=ENTRIES, times=1, **FAULTS[fault])
    first = create(mode, emulator, transport=None)
    result = recover(mode, emulator, first, transport=None)
    emulator.release_commits()
    emulator.settle(10)
    if fault in LATE:
        assert create(mode, emulator, idempotency_key=check_key(first), transport=None) == result
    assert_settled(emulator, [result])
    assert emulator.calendar_entry_count() == 1
