"""Shared state on a real redis-server (started by the suite on a free loopback port): end to end through the facade,
what is stored, and Redis going away, hanging and coming back."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from pathlib import Path

import pytest
import redis

import clio_appointments
from clio_appointments import AsyncClioCalendar, ClioCalendar, _shared_state
from clio_appointments._calendar_cache import SHARED_CACHE
from clio_appointments._shared_state import PREFIX, state_for
from clio_emulator import create_app

from .conftest import LOOKUP, PAYLOAD, POST, SECOND_TOKEN, TOKEN
from .redis_server import RedisServer, free_port


def stored(url: str) -> dict[str, tuple[str, int]]:
    """Every key in Redis: (its value as text, its time to live in ms)."""
    client = redis.Redis.from_url(url, decode_responses=True)
    found: dict[str, tuple[str, int]] = {}
    for key in client.scan_iter("*"):
        kind = client.type(key)
        value = (
            client.get(key)
            if kind == "string"
            else client.hgetall(key)
            if kind == "hash"
            else client.zrange(key, 0, -1, withscores=True)
        )
        found[key] = (repr(value), client.pttl(key))
    client.close()
    return found


def test_sync_and_async_clients_share_one_lookup_and_store_no_token(redis_url: str) -> None:
    emulator = create_app(rate_limit=50, rate_window=60).state.emulator
    for token in (TOKEN, SECOND_TOKEN):
        SHARED_CACHE.clear()  # a new process: only Redis remembers
        with ClioCalendar(
            token, base_url=emulator.base_url, transport=emulator.transport(), shared_state=redis_url
        ) as calendar:
            assert "appointmentId" in calendar.create_appointment(dict(PAYLOAD), idempotency_key=f"{token}-sync")

        async def main(token: str = token) -> None:
            SHARED_CACHE.clear()
            async with AsyncClioCalendar(
                token, base_url=emulator.base_url, transport=emulator.async_transport(), shared_state=redis_url
            ) as calendar:
                results = await asyncio.gather(*(calendar.create_appointment(dict(PAYLOAD)) for _ in range(5)))
                assert all("appointmentId" in result for result in results)

        asyncio.run(main())
    assert emulator.answers_by_route()[LOOKUP] == 2  # one per token, for a sync client and an async one alike
    assert emulator.answers_by_route()[POST] == 12
    keys = stored(redis_url)
    assert {key.split(":")[2] for key in keys} == {"calendar", "pace"}  # the locks were let go
    for key, (value, ttl) in keys.items():
        assert key.startswith(PREFIX)
        for secret in (TOKEN, SECOND_TOKEN, f"{TOKEN}-sync"):
            assert secret not in key and secret not in value
        assert ttl > 0, key  # everything expires
    emulator.close()


def test_module_level_calls_with_the_environment_variable(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIO_APPOINTMENTS_REDIS_URL", redis_url)
    emulator = create_app(rate_limit=None).state.emulator
    transport = emulator.transport()
    for _ in range(3):
        SHARED_CACHE.clear()
        result = clio_appointments.create_appointment(
            user=None, auth_header=TOKEN, payload=dict(PAYLOAD), base_url=emulator.base_url, transport=transport
        )
        assert "appointmentId" in result
    assert emulator.answers_by_route()[LOOKUP] == 1
    assert any(":calendar:" in key for key in stored(redis_url))
    emulator.close()


def test_redis_going_away_and_coming_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(_shared_state, "DEFAULT_RETRY_INTERVAL", 0.2)
    caplog.set_level(logging.WARNING, "clio_appointments.shared_state")
    server = RedisServer(tmp_path / "redis").start()
    emulator = create_app(rate_limit=50, rate_window=60).state.emulator
    try:
        with ClioCalendar(
            TOKEN, base_url=emulator.base_url, transport=emulator.transport(), shared_state=server.url
        ) as calendar:
            assert "appointmentId" in calendar.create_appointment(dict(PAYLOAD))
            assert stored(server.url)
            server.stop()
            for n in range(5):  # every call goes on, on the process's own state
                assert "appointmentId" in calendar.create_appointment(dict(PAYLOAD), idempotency_key=f"down-{n}")
            assert "is unavailable" in caplog.text and "reachable again" not in caplog.text
            server.start()
            time.sleep(0.3)
            SHARED_CACHE.clear()
            assert "appointmentId" in calendar.create_appointment(dict(PAYLOAD))
            assert "reachable again" in caplog.text
            assert any(":calendar:" in key for key in stored(server.url))  # written to Redis again
        unavailable = [r for r in caplog.records if "is unavailable" in r.getMessage()]
        assert len(unavailable) == 1
    finally:
        server.stop()
        emulator.close()


def test_a_redis_that_hangs_costs_one_call_its_timeout_then_is_skipped(caplog: pytest.LogCaptureFixture) -> None:
    """A server that accepts connections and never answers (a hung Redis, a black-holed proxy)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    url = f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    emulator = create_app(rate_limit=50, rate_window=60).state.emulator
    try:
        with ClioCalendar(TOKEN, base_url=emulator.base_url, transport=emulator.transport(), shared_state=url) as c:
            timings = []
            for _ in range(5):
                started = time.monotonic()
                assert "appointmentId" in c.create_appointment(dict(PAYLOAD))
                timings.append(time.monotonic() - started)
        assert timings[0] < 2.0  # one read timeout (0.5 s), not one per Redis operation
        assert max(timings[1:]) < 0.25  # then Redis is skipped until the retry interval is over
        state = state_for(url)
        assert state.shared is not None and state.shared._breaker.failures == 1
        assert "is unavailable" in caplog.text
    finally:
        listener.close()
        emulator.close()


async def test_async_calls_fall_back_when_redis_is_down(caplog: pytest.LogCaptureFixture) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    emulator = create_app(rate_limit=50, rate_window=60).state.emulator
    results = await asyncio.gather(
        *(
            clio_appointments.acreate_appointment(
                user=None,
                auth_header=TOKEN,
                payload=dict(PAYLOAD),
                base_url=emulator.base_url,
                transport=emulator.async_transport(),
                shared_state=url,
            )
            for _ in range(10)
        )
    )
    assert all("appointmentId" in result for result in results)
    assert emulator.answers_by_route()[LOOKUP] == 1
    assert "is unavailable" in caplog.text
    emulator.close()


def test_each_event_loop_talks_to_redis_on_its_own_connection(redis_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """A redis.asyncio client belongs to its loop, like an httpx one: loop after loop (and the Lua scripts on each)
    keep working, and none of them falls back for want of a live connection."""
    emulator = create_app(rate_limit=50, rate_window=60).state.emulator

    async def main() -> None:
        async with AsyncClioCalendar(
            TOKEN, base_url=emulator.base_url, transport=emulator.async_transport(), shared_state=redis_url
        ) as calendar:
            assert "appointmentId" in await calendar.create_appointment(dict(PAYLOAD), idempotency_key=None)

    for _ in range(4):
        asyncio.run(main())
    assert "is unavailable" not in caplog.text
    state = state_for(redis_url)
    assert state.shared is not None and not state.shared.down
    assert state.shared._async.values() == []  # each loop's client was closed with its loop
    emulator.close()
