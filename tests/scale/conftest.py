"""Fixtures for deployment at scale: a real redis-server, fakeredis, a TLS emulator, and clean process-wide state."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fakeredis
import pytest
import redis
import redis.asyncio

from clio_appointments import _pool, _shared_state
from clio_appointments._calendar_cache import SHARED_CACHE
from clio_appointments._pacing import clear_pacers
from clio_emulator import LoopbackTls, create_app, loopback_tls, serve_in_thread

from .redis_server import RedisServer

TOKEN = "emulator-token"
SECOND_TOKEN = "emulator-token-2"
PAYLOAD = {"title": "Scale", "startTimeUtc": "2024-03-15T14:00:00Z", "durationMinutes": 30, "contacts": [201]}
LOOKUP = "GET /api/v4/calendars.json"
POST = "POST /api/v4/calendar_entries.json"


@pytest.fixture(autouse=True)
def fresh_process_state() -> Iterator[None]:
    """Every test starts with empty caches, pacers, pools and no shared state, and leaves none behind."""

    def reset() -> None:
        SHARED_CACHE.clear()
        clear_pacers()
        _pool.close_pools()
        _pool._sync_pool = _pool.SyncPool()  # counts (`made`) start from 0
        for state in list(_shared_state._states.values()):
            if state.shared is not None:
                state.shared.close()
        _shared_state._states.clear()

    reset()
    yield
    reset()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> Iterator[str]:
    """The session's redis-server, emptied for this test."""
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    client.close()
    yield redis_server.url


@pytest.fixture
def fake_redis(monkeypatch: pytest.MonkeyPatch) -> fakeredis.FakeServer:
    """Every Redis client the SDK makes talks to one in-memory fakeredis server instead (with Lua)."""
    server = fakeredis.FakeServer()

    def sync_client(url: str, **options: Any) -> fakeredis.FakeRedis:
        return fakeredis.FakeRedis(server=server)

    def async_client(url: str, **options: Any) -> fakeredis.FakeAsyncRedis:
        return fakeredis.FakeAsyncRedis(server=server)

    monkeypatch.setattr(redis.Redis, "from_url", staticmethod(sync_client))
    monkeypatch.setattr(redis.asyncio.Redis, "from_url", staticmethod(async_client))
    return server


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> LoopbackTls:
    return loopback_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def trust_emulator_ca(tls_files: LoopbackTls, monkeypatch: pytest.MonkeyPatch) -> None:
    """The SDK's pool trusts the emulator's throwaway CA, as a user of `serve --tls` would make it do."""
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files.ca_pem))


class Served:
    """An emulator served over a real socket, and the app to count with."""

    def __init__(self, app: Any, base_url: str) -> None:
        self.app = app
        self.emulator = app.state.emulator
        self.base_url = base_url

    def answers(self, route: str) -> int:
        return int(self.emulator.answers_by_route().get(route, 0))

    def statuses(self) -> dict[int, int]:
        return dict(self.emulator.answers_by_status())

    def handshakes(self) -> int:
        stats = self.emulator.tls_handshakes()
        return int(stats["accepted"]) if stats else 0


@pytest.fixture
def tls_emulator(tls_files: LoopbackTls, trust_emulator_ca: None) -> Iterator[Served]:
    """The emulator over HTTPS on loopback (rate limit off); pools are closed before it stops, as at exit."""
    app = create_app(rate_limit=None)
    with serve_in_thread(app, server_pem=tls_files.server_pem) as base_url:
        try:
            yield Served(app, base_url)
        finally:
            _pool.close_pools()
    app.state.emulator.close()


def run_in_new_loop(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]
