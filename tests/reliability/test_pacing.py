"""The pacing half of the transport policy: budget arithmetic on a fake clock, and its use by the transports."""

from __future__ import annotations

import asyncio
import math

import httpx
import pytest

from clio_appointments._pacing import Pacer, _registry, clear_pacers, pacer_for
from clio_appointments._transport import TransportPolicy, build_async_transport, build_transport

from .conftest import AUTH, TOKEN, FakeTime

NOW = 1_700_000_000.0
URL = "https://app.clio.com/api/v4/calendar_entries.json"


def budget(limit: int, remaining: int, reset: float) -> httpx.Headers:
    return httpx.Headers(
        {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining), "X-RateLimit-Reset": str(reset)}
    )


def warmed(limit: int, remaining: int, reset: float) -> Pacer:
    """A pacer that has seen one answer with this budget."""
    pacer = Pacer()
    turn = pacer.reserve(NOW, 60.0)
    assert turn.ticket is not None and turn.delay == 0.0
    pacer.complete(turn.ticket, budget(limit, remaining, reset), NOW)
    return pacer


def test_plentiful_budget_grants_every_turn_at_once() -> None:
    pacer = warmed(50, 49, NOW + 60)
    turns = [pacer.reserve(NOW, 60.0) for _ in range(24)]
    assert all(t.delay == 0.0 and t.ticket is not None for t in turns)


def test_low_budget_is_spread_evenly_until_the_reset() -> None:
    pacer = warmed(10, 4, NOW + 10)
    turns = [pacer.reserve(NOW, 60.0) for _ in range(4)]
    assert [t.delay for t in turns] == pytest.approx([0.0, 2.5, 5.0, 7.5])
    assert all(t.ticket is not None for t in turns)
    # Nothing left: the fifth caller is told to come back at the reset, without a turn.
    fifth = pacer.reserve(NOW, 60.0)
    assert fifth.ticket is None and fifth.delay == pytest.approx(10.0)


def test_burst_then_spread_never_grants_more_than_the_budget() -> None:
    pacer = warmed(40, 39, NOW + 2)
    granted = [t for t in (pacer.reserve(NOW, 60.0) for _ in range(100)) if t.ticket is not None]
    assert len(granted) == 39
    immediate = [t for t in granted if t.delay == 0.0]
    assert len(immediate) == 20  # down to half the limit at once, then one slot at a time
    assert max(t.delay for t in granted) < 2.0


def test_spread_slots_advance_with_the_clock() -> None:
    pacer = warmed(10, 2, NOW + 10)
    assert pacer.reserve(NOW + 4, 60.0).delay == 0.0  # first of the two: now
    second = pacer.reserve(NOW + 4, 60.0)
    assert second.delay == pytest.approx(3.0)  # half of the 6 s left


def test_cold_pacer_sends_one_probe_and_holds_the_rest() -> None:
    pacer = Pacer()
    probe = pacer.reserve(NOW, 60.0)
    assert probe.ticket is not None and probe.delay == 0.0
    waiting = pacer.reserve(NOW, 60.0)
    assert waiting.ticket is None and 0 < waiting.delay <= 0.05
    pacer.complete(probe.ticket, budget(50, 49, NOW + 60), NOW)
    assert pacer.reserve(NOW, 60.0).ticket is not None


def test_a_failed_probe_lets_the_next_caller_probe() -> None:
    pacer = Pacer()
    probe = pacer.reserve(NOW, 60.0)
    assert probe.ticket is not None
    pacer.complete(probe.ticket, None, NOW)  # no response at all
    assert pacer.reserve(NOW, 60.0).ticket is not None


def test_a_released_turn_lets_the_next_caller_probe() -> None:
    pacer = Pacer()
    probe = pacer.reserve(NOW, 60.0)
    assert probe.ticket is not None
    pacer.release(probe.ticket)
    assert pacer.reserve(NOW, 60.0).ticket is not None


def test_server_without_budget_headers_is_not_paced() -> None:
    pacer = Pacer()
    probe = pacer.reserve(NOW, 60.0)
    assert probe.ticket is not None
    pacer.complete(probe.ticket, httpx.Headers({"Content-Type": "application/json"}), NOW)
    turns = [pacer.reserve(NOW, 60.0) for _ in range(200)]
    assert all(t.ticket is not None and t.delay == 0.0 for t in turns)


def test_an_expired_window_goes_back_to_one_probe() -> None:
    pacer = warmed(10, 0, NOW + 5)
    assert pacer.reserve(NOW + 1, 60.0).ticket is None
    after = NOW + 5.0
    probe = pacer.reserve(after, 60.0)
    assert probe.ticket is not None and probe.delay == 0.0
    assert pacer.reserve(after, 60.0).ticket is None
    pacer.complete(probe.ticket, budget(10, 9, after + 10), after)
    assert pacer.reserve(after, 60.0).ticket is not None


def test_answers_correct_the_local_count() -> None:
    pacer = warmed(40, 39, NOW + 60)
    tickets = [pacer.reserve(NOW, 60.0).ticket for _ in range(10)]
    assert None not in tickets
    pacer.complete(tickets[0], budget(40, 38, NOW + 60), NOW)  # type: ignore[arg-type]
    pacer.complete(tickets[1], budget(40, 37, NOW + 60), NOW)  # type: ignore[arg-type]
    # The server says 25 left after the third of ten: 7 were granted after it, so 18 remain, whatever the local count.
    pacer.complete(tickets[2], budget(40, 25, NOW + 60), NOW)  # type: ignore[arg-type]
    granted = [t for t in (pacer.reserve(NOW, 60.0) for _ in range(40)) if t.ticket is not None]
    assert len(granted) == 18


def test_earlier_turns_still_on_their_way_are_counted_as_not_yet_seen() -> None:
    # Sync threads and async tasks overtake each other: the answer to the third turn may come before the first two
    # reached the server, so those two are still to be counted against the budget.
    pacer = warmed(40, 39, NOW + 60)
    tickets = [pacer.reserve(NOW, 60.0).ticket for _ in range(10)]
    pacer.complete(tickets[2], budget(40, 25, NOW + 60), NOW)  # type: ignore[arg-type]
    granted = [t for t in (pacer.reserve(NOW, 60.0) for _ in range(40)) if t.ticket is not None]
    assert len(granted) == 16
    # Their answers, older than the one the budget came from, change nothing.
    pacer.complete(tickets[0], budget(40, 39, NOW + 60), NOW)  # type: ignore[arg-type]
    pacer.complete(tickets[1], budget(40, 39, NOW + 60), NOW)  # type: ignore[arg-type]
    assert pacer.reserve(NOW, 60.0).ticket is None


def test_another_client_spending_the_budget_is_noticed() -> None:
    pacer = warmed(50, 49, NOW + 60)
    turn = pacer.reserve(NOW, 60.0)
    assert turn.ticket is not None
    pacer.complete(turn.ticket, budget(50, 0, NOW + 60), NOW)
    held = pacer.reserve(NOW, 60.0)
    assert held.ticket is None and held.delay == pytest.approx(60.0)


def test_waits_are_capped() -> None:
    pacer = warmed(50, 0, NOW + 3600)
    assert pacer.reserve(NOW, 60.0).delay == 60.0


def test_relative_reset_values_are_read_as_seconds_from_now() -> None:
    pacer = warmed(10, 0, 30)
    assert pacer.reserve(NOW, 600.0).delay == pytest.approx(30.0)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-RateLimit-Remaining": "5"},
        {"X-RateLimit-Reset": str(NOW + 10)},
        {"X-RateLimit-Remaining": "many", "X-RateLimit-Reset": str(NOW + 10)},
        {"X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "nan"},
        {"X-RateLimit-Remaining": "inf", "X-RateLimit-Reset": str(NOW + 10)},
    ],
)
def test_unreadable_budget_headers_are_ignored(headers: dict[str, str]) -> None:
    pacer = Pacer()
    probe = pacer.reserve(NOW, 60.0)
    assert probe.ticket is not None
    pacer.complete(probe.ticket, httpx.Headers(headers), NOW)
    assert all(pacer.reserve(NOW, 60.0).ticket is not None for _ in range(100))


def test_missing_limit_is_inferred_from_remaining() -> None:
    pacer = Pacer()
    probe = pacer.reserve(NOW, 60.0)
    assert probe.ticket is not None
    pacer.complete(probe.ticket, httpx.Headers({"X-RateLimit-Remaining": "9", "X-RateLimit-Reset": str(NOW + 10)}), NOW)
    delays = [pacer.reserve(NOW, 60.0).delay for _ in range(9)]
    assert delays[:4] == [0.0] * 4 and delays[5] > 0  # limit taken as 10: half of it at once


def test_registry_shares_one_pacer_per_origin_and_token_without_keeping_the_token() -> None:
    a = pacer_for("https://app.clio.com:443", AUTH)
    assert pacer_for("https://app.clio.com:443", AUTH) is a
    assert pacer_for("https://eu.app.clio.com:443", AUTH) is not a
    assert pacer_for("https://app.clio.com:443", "Bearer other") is not a
    assert TOKEN not in repr(_registry) and TOKEN not in repr(a)
    clear_pacers()
    assert pacer_for("https://app.clio.com:443", AUTH) is not a


class WindowServer:
    """A fixed-window limiter like Clio's, on the fake clock: `limit` requests per `window` seconds."""

    def __init__(self, ft: FakeTime, limit: int, window: float) -> None:
        self.ft, self.limit, self.window = ft, limit, window
        self.window_start = ft.now
        self.used = 0
        self.served = 0
        self.refused = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        now = self.ft.now
        if now >= self.window_start + self.window:
            self.window_start += self.window * math.floor((now - self.window_start) / self.window)
            self.used = 0
        reset = self.window_start + self.window
        if self.used >= self.limit:
            self.refused += 1
            retry = str(math.ceil(reset - now))
            headers = budget(self.limit, 0, reset)
            headers["Retry-After"] = retry
            return httpx.Response(429, headers=headers)
        self.used += 1
        self.served += 1
        return httpx.Response(201, headers=budget(self.limit, self.limit - self.used, reset), json={"data": {}})


def test_sequential_bulk_work_is_paced_to_the_limit_without_a_429(fake_time: FakeTime) -> None:
    server = WindowServer(fake_time, limit=40, window=2.0)
    policy = TransportPolicy(sleep=fake_time.sleep, async_sleep=fake_time.async_sleep, clock=fake_time.clock)
    start = fake_time.now
    with httpx.Client(transport=build_transport(httpx.MockTransport(server), policy)) as client:
        for _ in range(300):
            assert client.post(URL, json={"data": {}}, headers={"Authorization": AUTH}).status_code == 201
    assert server.refused == 0
    # 300 at 40 per 2 s needs 7 full windows and part of an eighth; pacing must not waste whole windows.
    assert 14.0 <= fake_time.now - start < 16.0


def test_async_and_sync_clients_on_one_token_share_the_budget(fake_time: FakeTime) -> None:
    server = WindowServer(fake_time, limit=10, window=60.0)
    policy = TransportPolicy(sleep=fake_time.sleep, async_sleep=fake_time.async_sleep, clock=fake_time.clock)
    with httpx.Client(transport=build_transport(httpx.MockTransport(server), policy)) as client:
        for _ in range(5):
            client.get(URL, headers={"Authorization": AUTH})

    async def more() -> None:
        transport = build_async_transport(httpx.MockTransport(server), policy)
        async with httpx.AsyncClient(transport=transport) as client:
            for _ in range(10):
                await client.get(URL, headers={"Authorization": AUTH})

    asyncio.run(more())
    assert server.refused == 0 and server.served == 15
    assert fake_time.now >= NOW + 60  # the async client waited for the window the sync one had spent


def test_plentiful_budget_never_sleeps(fake_time: FakeTime) -> None:
    server = WindowServer(fake_time, limit=1000, window=60.0)
    policy = TransportPolicy(sleep=fake_time.sleep, async_sleep=fake_time.async_sleep, clock=fake_time.clock)
    with httpx.Client(transport=build_transport(httpx.MockTransport(server), policy)) as client:
        for _ in range(100):
            client.post(URL, json={"data": {}}, headers={"Authorization": AUTH})
    assert fake_time.sleeps == []


def test_pacing_off_sends_straight_through(fake_time: FakeTime) -> None:
    server = WindowServer(fake_time, limit=5, window=60.0)
    policy = TransportPolicy(
        pacing=False, max_retries=0, sleep=fake_time.sleep, async_sleep=fake_time.async_sleep, clock=fake_time.clock
    )
    with httpx.Client(transport=build_transport(httpx.MockTransport(server), policy)) as client:
        statuses = [client.get(URL, headers={"Authorization": AUTH}).status_code for _ in range(8)]
    assert statuses.count(429) == 3 and fake_time.sleeps == []
    assert _registry == {}


def test_requests_without_a_token_are_not_paced(fake_time: FakeTime) -> None:
    policy = TransportPolicy(sleep=fake_time.sleep, clock=fake_time.clock)
    with httpx.Client(transport=build_transport(httpx.MockTransport(lambda r: httpx.Response(401)), policy)) as c:
        c.get(URL)
    assert _registry == {}


def test_cancelled_async_request_frees_the_probe(fake_time: FakeTime) -> None:
    async def run() -> int:
        started = asyncio.Event()

        async def hang(request: httpx.Request) -> httpx.Response:
            started.set()
            await asyncio.sleep(3600)
            raise AssertionError("unreachable")

        async def answer(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, headers=budget(50, 49, NOW + 60))

        policy = TransportPolicy(clock=fake_time.clock)
        async with httpx.AsyncClient(transport=build_async_transport(httpx.MockTransport(hang), policy)) as client:
            task = asyncio.create_task(client.get(URL, headers={"Authorization": AUTH}))
            await started.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        async with httpx.AsyncClient(transport=build_async_transport(httpx.MockTransport(answer), policy)) as client:
            response = await asyncio.wait_for(client.get(URL, headers={"Authorization": AUTH}), timeout=5)
            return response.status_code

    assert asyncio.run(run()) == 200
