"""One deadline per call: attempts, Retry-After sleeps, backoff and pacing waits all fit inside it."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

import clio_appointments._client as client_module
from clio_appointments import AsyncClioCalendar, ClioCalendar, ClioTimeoutError, ConfigurationError, ServerError
from clio_appointments._transport import TransportPolicy

from .conftest import AUTH, FakeClio

PAYLOAD = {"title": "Intake", "startTimeUtc": "2024-03-15T14:00:00Z", "durationMinutes": 30}


class Clock:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()

    def policy(max_retries: int) -> TransportPolicy:
        return TransportPolicy(
            max_retries=max_retries,
            sleep=clock.sleep,
            async_sleep=clock.async_sleep,
            monotonic=lambda: clock.now,
            clock=lambda: clock.now,
        )

    monkeypatch.setattr(client_module, "_make_policy", policy)
    return clock


def _busy(retry_after: str) -> httpx.Response:
    return httpx.Response(
        503, json={"error": {"type": "Busy", "message": "later"}}, headers={"Retry-After": retry_after}
    )


def _run(mode: str, clio: FakeClio, method: str, *args: Any, **options: Any) -> Any:
    options.setdefault("transport", clio.transport)
    if mode == "sync":
        with ClioCalendar(AUTH, **options) as calendar:
            return getattr(calendar, method)(*args)

    async def go() -> Any:
        async with AsyncClioCalendar(AUTH, **options) as calendar:
            return await getattr(calendar, method)(*args)

    return asyncio.run(go())


def test_retry_after_waits_that_outlast_the_deadline_are_not_slept(mode: str, clio: FakeClio, clock: Clock) -> None:
    """Clio answers 503 with Retry-After: 60, twice; a call with a 90 s deadline waits once, then hands back the
    503 (with its retry_after) instead of sleeping past the deadline."""
    entry = clio.add_entry()
    path = f"/api/v4/calendar_entries/{entry['id']}.json"
    for _ in range(3):
        clio.fail("GET", path, _busy("60"))
    with pytest.raises(ServerError) as caught:
        _run(mode, clio, "refresh_appointment", entry["id"], deadline=90, timeout=5)
    assert caught.value.retry_after == 60
    assert clock.slept == [60.0]
    assert len(clio.calls("GET", path)) == 2


def test_no_time_left_before_an_attempt_is_a_timeout_with_the_key(mode: str, clio: FakeClio, clock: Clock) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        clock.now += 11  # the key lookup takes 11 s of a 10 s deadline
        return clio(request)

    with pytest.raises(ClioTimeoutError) as caught:
        _run(
            mode,
            clio,
            "create_appointment",
            {**PAYLOAD, "idempotencyKey": "late-key"},
            deadline=10,
            transport=httpx.MockTransport(slow),
        )
    assert [r.method for r in clio.requests] == ["GET"]  # nothing was sent after the deadline passed
    assert caught.value.may_have_reached_clio is False
    assert caught.value.idempotency_key == "late-key"
    assert clio.entries == {}


def test_each_attempt_gets_at_most_what_is_left(mode: str, clio: FakeClio, clock: Clock) -> None:
    entry = clio.add_entry()
    path = f"/api/v4/calendar_entries/{entry['id']}.json"
    clio.fail("GET", path, _busy("20"))
    timeouts: list[dict[str, float]] = []

    def record(request: httpx.Request) -> httpx.Response:
        timeouts.append(dict(request.extensions["timeout"]))
        return clio(request)

    _run(mode, clio, "refresh_appointment", entry["id"], deadline=30, timeout=25, transport=httpx.MockTransport(record))
    first, second = timeouts
    assert set(first.values()) == {25.0}
    assert list(second.values()) == [pytest.approx(10.0)] * 4  # 30 s deadline, 20 s already waited


@pytest.mark.parametrize("bad", [0, -1, float("inf"), float("nan"), "60", True, 3601])
def test_a_bad_deadline_is_refused_before_anything_is_sent(bad: object) -> None:
    with pytest.raises(ConfigurationError, match="deadline"):
        ClioCalendar(AUTH, deadline=bad)  # type: ignore[arg-type]


def test_an_async_answer_that_trickles_cannot_outlast_the_deadline(clio: FakeClio) -> None:
    """Each read is quick, the whole answer is not: the async call still ends at its deadline, with an error that
    says the create may have reached Clio and carries its key."""

    class Trickle(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            for _ in range(50):
                await asyncio.sleep(0.05)
                yield b" "

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            clio(request)
            return httpx.Response(201, stream=Trickle(), headers={"content-type": "application/json"})
        return clio(request)

    async def main() -> None:
        async with AsyncClioCalendar(AUTH, transport=httpx.MockTransport(handler), deadline=0.5, timeout=1) as c:
            await c.create_appointment(PAYLOAD)

    with pytest.raises(ClioTimeoutError) as caught:  # without the overall bound, the create succeeds after 2.5 s
        asyncio.run(main())
    assert caught.value.may_have_reached_clio is True
    assert caught.value.idempotency_key is not None
