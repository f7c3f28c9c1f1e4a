"""Shared state's parts on fakeredis (with Lua): configuration, the calendar cache, the locks, the pacer's budget (the
same decisions as the in-process pacer, step for step), and what happens when Redis is not there."""

from __future__ import annotations

import asyncio
import logging
import random
import sys
import threading
import time
from typing import Any

import fakeredis
import httpx
import pytest

import clio_appointments
from clio_appointments import AsyncClioCalendar, ClioCalendar, ConfigurationError
from clio_appointments._calendar_cache import CalendarCache, cache_key
from clio_appointments._deadline import call_deadline
from clio_appointments._locks import NamedLocks
from clio_appointments._pacing import Pacer, Turn
from clio_appointments._shared_state import (
    ENVIRONMENT_VARIABLE,
    LOCAL_STATE,
    PREFIX,
    SharedCalendarCache,
    SharedLocks,
    SharedPacer,
    SharedState,
    redact,
    state_for,
)
from clio_emulator import create_app

from .conftest import LOOKUP, PAYLOAD, TOKEN
from .redis_server import free_port

URL = "redis://127.0.0.1:6379/0"


def keys_and_values(server: fakeredis.FakeServer) -> dict[str, Any]:
    client = fakeredis.FakeRedis(server=server, decode_responses=True)
    found: dict[str, Any] = {}
    for key in client.scan_iter("*"):
        kind = client.type(key)
        found[key] = (
            client.get(key)
            if kind == "string"
            else client.hgetall(key)
            if kind == "hash"
            else client.zrange(key, 0, -1, withscores=True)
        )
    return found


# -- configuration ---------------------------------------------------------------------------------------------------


def test_off_unless_asked(monkeypatch: pytest.MonkeyPatch, fake_redis: fakeredis.FakeServer) -> None:
    assert state_for(None) is LOCAL_STATE
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, " ")
    assert state_for(None) is LOCAL_STATE
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, URL)
    from_environment = state_for(None)
    assert from_environment.shared is not None and from_environment is state_for(URL)  # one per URL
    assert state_for(False) is LOCAL_STATE  # off, whatever the environment says


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("http://localhost:6379", "must be a Redis URL"),
        ("", "empty string"),
        (True, "must be a Redis URL"),
        (6379, "must be a Redis URL"),
        ("redis://host:port/0", "not a valid URL"),
        ("redis://local host", "whitespace"),
    ],
)
def test_a_bad_option_is_a_configuration_error(option: object, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        state_for(option)
    with pytest.raises(ConfigurationError, match=message):
        ClioCalendar(TOKEN, shared_state=option)  # type: ignore[arg-type]


def test_without_the_redis_library_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(ConfigurationError, match=r"clio-appointments\[redis\]"):
        state_for("redis://localhost:6379/0")


def test_the_password_never_shows(fake_redis: fakeredis.FakeServer) -> None:
    state = state_for("redis://user:s3cret@localhost:6379/0")
    assert "s3cret" not in repr(state.shared) and "s3cret" not in (state.shared.url if state.shared else "")
    assert redact("rediss://:pw@example.com:6380/1") == "rediss://:***@example.com:6380/1"
    assert redact("redis://localhost") == "redis://localhost"


# -- the calendar cache ----------------------------------------------------------------------------------------------


def test_a_calendar_looked_up_in_one_process_is_found_by_another(fake_redis: fakeredis.FakeServer) -> None:
    shared = SharedState(URL)
    first, second = SharedCalendarCache(CalendarCache(), shared), SharedCalendarCache(CalendarCache(), shared)
    key = cache_key("https://app.clio.com", "the-token")
    assert second.get(key) is None
    first.put(key, 42)
    assert second.get(key) == 42
    assert second.local.get(key) == 42  # kept locally: the next create asks nobody
    stored = keys_and_values(fake_redis)
    assert list(stored.values()) == ["42"]
    (name,) = stored
    assert name.startswith(f"{PREFIX}calendar:") and "the-token" not in name and key[1] not in name
    ttl = fakeredis.FakeRedis(server=fake_redis).pttl(name)
    assert 0 < ttl <= first.local.ttl * 1000


def test_discarding_forgets_only_the_calendar_it_names(fake_redis: fakeredis.FakeServer) -> None:
    shared = SharedState(URL)
    cache = SharedCalendarCache(CalendarCache(), shared)
    other = SharedCalendarCache(CalendarCache(), shared)
    key = cache_key("https://app.clio.com", "t")
    cache.put(key, 1)
    other.put(key, 2)  # someone found another calendar meanwhile
    cache.discard(key, 1)
    assert SharedCalendarCache(CalendarCache(), shared).get(key) == 2
    other.discard(key, 2)
    assert SharedCalendarCache(CalendarCache(), shared).get(key) is None


async def test_the_async_cache_is_the_same_cache(fake_redis: fakeredis.FakeServer) -> None:
    shared = SharedState(URL)
    key = cache_key("https://app.clio.com", "t")
    await SharedCalendarCache(CalendarCache(), shared).aput(key, 7)
    assert await SharedCalendarCache(CalendarCache(), shared).aget(key) == 7
    await SharedCalendarCache(CalendarCache(), shared).adiscard(key, 7)
    assert SharedCalendarCache(CalendarCache(), shared).get(key) is None


# -- locks -----------------------------------------------------------------------------------------------------------


def test_a_lock_held_in_one_process_makes_another_wait(fake_redis: fakeredis.FakeServer) -> None:
    shared = SharedState(URL)
    first, second = SharedLocks(NamedLocks(), shared), SharedLocks(NamedLocks(), shared)
    name = ("https://app.clio.com", "digest", "key-1")
    order: list[str] = []
    held = threading.Event()

    def other() -> None:
        held.wait()
        with second.hold(name):
            order.append("second")

    thread = threading.Thread(target=other)
    thread.start()
    with call_deadline(30, time.monotonic), first.hold(name):
        held.set()
        time.sleep(0.2)
        order.append("first")
        (key,) = keys_and_values(fake_redis)
        assert key == SharedLocks.redis_key(name) and "key-1" not in key
        assert 30_000 < fakeredis.FakeRedis(server=fake_redis).pttl(key) <= 35_000  # deadline + 5 s
    thread.join()
    assert order == ["first", "second"]
    assert keys_and_values(fake_redis) == {}  # let go


def test_a_waiter_gives_up_on_a_stuck_lock_and_goes_on_under_its_own(
    fake_redis: fakeredis.FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    shared = SharedState(URL)
    name = ("https://app.clio.com", "digest", "stuck")
    fakeredis.FakeRedis(server=fake_redis).set(SharedLocks.redis_key(name), "a crashed process", px=60_000)
    started = time.monotonic()
    with call_deadline(0.4, time.monotonic), SharedLocks(NamedLocks(), shared).hold(name):
        waited = time.monotonic() - started
    assert 0.15 <= waited < 0.4  # half its deadline
    assert "Gave up waiting for the shared lock" in caplog.text


async def test_async_locks_take_turns_too(fake_redis: fakeredis.FakeServer) -> None:
    shared = SharedState(URL)
    locks = [SharedLocks(NamedLocks(), shared) for _ in range(3)]
    name = ("https://app.clio.com", "digest", "k")
    inside = 0
    most = 0

    async def one(locks: SharedLocks) -> None:
        nonlocal inside, most
        async with locks.ahold(name):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.02)
            inside -= 1

    with call_deadline(30, time.monotonic):
        await asyncio.gather(*(one(each) for each in locks for _ in range(3)))
    assert most == 1


# -- the pacer's budget ----------------------------------------------------------------------------------------------


def headers(remaining: int, reset: float, limit: int | None = 40) -> httpx.Headers:
    values = {"X-RateLimit-Remaining": str(remaining), "X-RateLimit-Reset": repr(reset)}
    if limit is not None:
        values["X-RateLimit-Limit"] = str(limit)
    return httpx.Headers(values)


def same(a: Turn, b: Turn) -> bool:
    return a.ticket == b.ticket and abs(a.delay - b.delay) < 1e-4


@pytest.mark.parametrize("seed", range(12))
def test_the_shared_budget_decides_as_the_process_pacer_does(fake_redis: fakeredis.FakeServer, seed: int) -> None:
    """Random interleavings of turns and answers (out of order, lost, without headers): the Lua port hands out the
    same turns, with the same waits, as the in-process Pacer it was ported from."""
    rng = random.Random(seed)
    local, shared = Pacer(), SharedPacer(SharedState(URL), f"digest-{seed}", Pacer())
    now = 1_700_000_000.0
    window_end = now + 5
    served = 0
    unanswered: list[int] = []
    for _ in range(300):
        now += rng.choice([0.0, 0.001, 0.01, 0.1, 0.5])
        if now >= window_end:
            window_end = now + 5
            served = 0
        if unanswered and rng.random() < 0.45:
            ticket = unanswered.pop(rng.randrange(len(unanswered)))
            kind = rng.random()
            answer = (
                None
                if kind < 0.1
                else httpx.Headers({})
                if kind < 0.15 and seed % 3 == 0
                else headers(max(0, 40 - served), window_end, None if kind < 0.3 else 40)
            )
            served += 1
            local.complete(ticket, answer, now)
            shared.complete(ticket, answer, now)
            continue
        a, b = local.reserve(now, 60.0), shared.reserve(now, 60.0)
        assert same(a, b), (a, b)
        if a.ticket is not None:
            unanswered.append(a.ticket)


async def test_the_async_budget_is_the_same_budget(fake_redis: fakeredis.FakeServer) -> None:
    pacer = SharedPacer(SharedState(URL), "digest", Pacer())
    probe = await pacer.areserve(1000.0, 60.0)
    assert probe == Turn(0.0, 1)
    waiting = pacer.reserve(1000.0, 60.0)
    assert waiting.ticket is None  # one probe at a time, across processes
    await pacer.acomplete(1, headers(39, 1005.0), 1000.1)
    assert (await pacer.areserve(1000.2, 60.0)).ticket == 2


def test_pacing_keys_hold_no_token_and_expire(fake_redis: fakeredis.FakeServer) -> None:
    emulator = create_app(rate_limit=40, rate_window=5).state.emulator
    with ClioCalendar(TOKEN, base_url=emulator.base_url, transport=emulator.transport(), shared_state=URL) as calendar:
        for _ in range(3):
            assert "appointmentId" in calendar.create_appointment(dict(PAYLOAD))
    stored = keys_and_values(fake_redis)
    client = fakeredis.FakeRedis(server=fake_redis)
    assert any(":pace:" in key for key in stored) and any(":calendar:" in key for key in stored)
    for key, value in stored.items():
        assert TOKEN not in key and TOKEN not in repr(value)
        assert client.pttl(key) > 0, key
    budget = next(value for key, value in stored.items() if key.endswith(":budget"))
    assert budget["metered"] == "1" and budget["limit"] == "40"
    emulator.close()


# -- the facade on shared state --------------------------------------------------------------------------------------


def test_a_second_process_creates_without_a_lookup(fake_redis: fakeredis.FakeServer) -> None:
    from clio_appointments._calendar_cache import SHARED_CACHE

    emulator = create_app(rate_limit=None).state.emulator
    for _ in range(2):
        SHARED_CACHE.clear()  # as if in a new process: only Redis remembers
        with ClioCalendar(TOKEN, base_url=emulator.base_url, transport=emulator.transport(), shared_state=URL) as c:
            assert "appointmentId" in c.create_appointment(dict(PAYLOAD))
    assert emulator.answers_by_route()[LOOKUP] == 1
    emulator.close()


async def test_async_module_level_calls_share_state_through_redis(fake_redis: fakeredis.FakeServer) -> None:
    from clio_appointments._calendar_cache import SHARED_CACHE

    emulator = create_app(rate_limit=None).state.emulator
    transport = emulator.async_transport()
    for _ in range(2):
        SHARED_CACHE.clear()
        results = await asyncio.gather(
            *(
                clio_appointments.acreate_appointment(
                    user=None,
                    auth_header=TOKEN,
                    payload=dict(PAYLOAD),
                    base_url=emulator.base_url,
                    transport=transport,
                    shared_state=URL,
                )
                for _ in range(10)
            )
        )
        assert all("appointmentId" in result for result in results)
    assert emulator.answers_by_route()[LOOKUP] == 1
    emulator.close()


# -- Redis not there -------------------------------------------------------------------------------------------------


def test_redis_down_is_a_warning_not_a_failed_call(caplog: pytest.LogCaptureFixture) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    emulator = create_app(rate_limit=40, rate_window=5).state.emulator
    caplog.set_level(logging.WARNING, "clio_appointments.shared_state")
    with ClioCalendar(TOKEN, base_url=emulator.base_url, transport=emulator.transport(), shared_state=url) as c:
        for _ in range(5):
            assert "appointmentId" in c.create_appointment(dict(PAYLOAD), idempotency_key=f"k{_}")
    state = state_for(url)
    assert state.shared is not None and state.shared.down
    warnings = [record for record in caplog.records if "is unavailable" in record.getMessage()]
    assert len(warnings) == 1  # once per outage, not once per call
    assert "per process" in warnings[0].getMessage()
    assert state.shared._breaker.failures == 1  # and Redis is not asked again until the retry interval is over
    assert emulator.answers_by_route()[LOOKUP] == 1  # the process's own cache still works
    emulator.close()


async def test_redis_down_async(caplog: pytest.LogCaptureFixture) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    emulator = create_app(rate_limit=40, rate_window=5).state.emulator
    async with AsyncClioCalendar(
        TOKEN, base_url=emulator.base_url, transport=emulator.async_transport(), shared_state=url
    ) as calendar:
        results = await asyncio.gather(*(calendar.create_appointment(dict(PAYLOAD)) for _ in range(5)))
    assert all("appointmentId" in result for result in results)
    assert emulator.answers_by_route()[LOOKUP] == 1
    assert "is unavailable" in caplog.text
    emulator.close()
