"""The process-wide pool behind the module-level functions, which App Connect calls once per request.

Each call used to build a client: a new SSL context (tens of milliseconds: the CA bundle is parsed each time), a new
TCP connection and a full TLS handshake. Here a call borrows an *engine* instead: an httpx client with its connection
pool, its transport policy and its URL memo, one per Clio origin and client settings (timeout, API version, retry
policy), made on first use and kept. One SSL context serves every engine, sync and async, for the life of the process.

- The token stays per call. An engine serves every user, so it holds no credentials: its auth reads the token of
  the call in progress from the call's scope (see _scope), which each thread and each asyncio task has its own of.
  A request outside a call is refused before it is sent, never sent with another call's token. Nothing else of one
  user's reaches another's requests: the engines keep no cookies (their jar refuses every cookie, so a `Set-Cookie`
  from Clio or a proxy in front of it, a bot-management cookie say, is never sent on), and a connection carries no
  credentials from one request to the next.
- Threads share the sync engines (httpx's sync pool is thread-safe). An httpx.AsyncClient belongs to the event loop
  it first ran in, so async engines are per loop (see _loop_resources), closed when that loop shuts down.
- At most MAX_ENGINES per pool; past that the least recently used is retired, and closed once no call is using it.
- The sync engines close at interpreter exit; a forked child forgets its parent's (their connections are the
  parent's) and makes its own.

A transport passed in with `transport=` is not pooled here: the caller's transport is its own pool, borrowed per call
as before.
"""

from __future__ import annotations

import atexit
import os
import ssl
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Generator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx

from clio_calendar_api import Client

from . import _client
from ._config import ClientSettings
from ._errors import ConfigurationError
from ._http import AsyncUrlCachingClient, UrlCachingClient
from ._loop_resources import LoopResources
from ._responses import araise_for_status, raise_for_status
from ._scope import current_scope
from ._transport import TransportPolicy, build_async_transport, build_transport

__all__ = [
    "MAX_ENGINES",
    "AsyncPool",
    "CallerAuth",
    "SyncPool",
    "aclose_pools",
    "async_pools",
    "close_pools",
    "sync_pool",
]

MAX_ENGINES = 16


class CallerAuth(httpx.Auth):
    """`Authorization: Bearer <the token of the call in progress>`; refuses to send a request made outside a call."""

    __slots__ = ()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        scope = current_scope()
        if scope is None:
            raise ConfigurationError("a pooled Clio client was used outside a call; it has no token to send")
        request.headers["Authorization"] = f"Bearer {scope.token}"
        yield request

    def __repr__(self) -> str:
        return "<CallerAuth: the token of the call in progress>"


# -- one SSL context for the process ---------------------------------------------------------------------------------

_ssl_guard = threading.Lock()
_ssl_context: tuple[tuple[str, str], ssl.SSLContext] | None = None


def _ssl_environment() -> tuple[str, str]:
    return os.environ.get("SSL_CERT_FILE", ""), os.environ.get("SSL_CERT_DIR", "")


def ssl_context() -> ssl.SSLContext:
    """httpx's default verification context (certifi's CAs, or SSL_CERT_FILE / SSL_CERT_DIR when set), made once;
    made again only if those variables change. An SSLContext is safe to share between threads and event loops."""
    global _ssl_context
    environment = _ssl_environment()
    with _ssl_guard:
        if _ssl_context is None or _ssl_context[0] != environment:
            _ssl_context = (environment, httpx.create_ssl_context())
        return _ssl_context[1]


# -- engines ---------------------------------------------------------------------------------------------------------

EngineKey = tuple[str, tuple[float | None, ...], str, TransportPolicy, tuple[str, str]]


def _key(settings: ClientSettings, policy: TransportPolicy) -> EngineKey:
    """What an engine is made from: a change of any of it (the CA files SSL_CERT_FILE / SSL_CERT_DIR name, too) is
    a new engine, so a call never goes out with settings other than its own."""
    timeout = settings.timeout
    timeouts = (timeout.connect, timeout.read, timeout.write, timeout.pool)
    return settings.base_url, timeouts, settings.api_version, policy, _ssl_environment()


def _options(settings: ClientSettings) -> dict[str, Any]:
    options = _client._httpx_options(settings)
    options["auth"] = CallerAuth()
    options["cookies"] = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))  # keeps none, sends none
    return options


@dataclass(eq=False)
class Engine:
    """A shared client for one origin and set of settings: `api` (the generated client) and `policy`."""

    api: Client
    policy: TransportPolicy
    users: int = 0
    retired: bool = False


def _sync_engine(settings: ClientSettings, policy: TransportPolicy) -> Engine:
    http = UrlCachingClient(
        transport=build_transport(httpx.HTTPTransport(verify=ssl_context()), policy),
        event_hooks={"response": [raise_for_status]},
        **_options(settings),
    )
    return Engine(Client(base_url=settings.base_url).set_httpx_client(http), policy)


def _async_engine(settings: ClientSettings, policy: TransportPolicy) -> Engine:
    http = AsyncUrlCachingClient(
        transport=build_async_transport(httpx.AsyncHTTPTransport(verify=ssl_context()), policy),
        event_hooks={"response": [araise_for_status]},
        **_options(settings),
    )
    return Engine(Client(base_url=settings.base_url).set_async_httpx_client(http), policy)


class _Engines:
    """The bookkeeping both pools share: engines by key, least recently used first, and who is using each."""

    def __init__(self) -> None:
        self.guard = threading.Lock()
        self.engines: OrderedDict[EngineKey, Engine] = OrderedDict()
        self.made = 0

    def take(self, key: EngineKey, make: Any) -> tuple[Engine, list[Engine]]:
        """The engine for `key` (made if new), counted as in use; and the engines retired to make room that nobody
        is using, for the caller to close."""
        idle: list[Engine] = []
        with self.guard:
            engine = self.engines.get(key)
            if engine is None:
                engine = self.engines[key] = make()
                self.made += 1
                while len(self.engines) > MAX_ENGINES:
                    _, old = self.engines.popitem(last=False)
                    old.retired = True
                    if old.users == 0:
                        idle.append(old)
            else:
                self.engines.move_to_end(key)
            engine.users += 1
        return engine, idle

    def give_back(self, engine: Engine) -> bool:
        """Whether the engine is now retired and unused (the caller closes it)."""
        with self.guard:
            engine.users -= 1
            return engine.retired and engine.users == 0

    def retire_all(self) -> list[Engine]:
        with self.guard:
            engines = list(self.engines.values())
            self.engines.clear()
            for engine in engines:
                engine.retired = True
            return [engine for engine in engines if engine.users == 0]

    def __len__(self) -> int:
        with self.guard:
            return len(self.engines)


class SyncPool:
    def __init__(self) -> None:
        self._engines = _Engines()

    @contextmanager
    def engine(self, settings: ClientSettings) -> Iterator[Engine]:
        policy = _client._make_policy(settings.max_retries)
        engine, idle = self._engines.take(_key(settings, policy), lambda: _sync_engine(settings, policy))
        for old in idle:
            _close(old)
        try:
            yield engine
        finally:
            if self._engines.give_back(engine):
                _close(engine)

    def close(self) -> None:
        """Close every engine nobody is using; the others close when their calls end. Later calls make new ones."""
        for engine in self._engines.retire_all():
            _close(engine)

    @property
    def made(self) -> int:
        """How many engines this pool has made (each new one is a new connection pool)."""
        return self._engines.made

    def __len__(self) -> int:
        return len(self._engines)


class AsyncPool:
    """One event loop's engines."""

    def __init__(self) -> None:
        self._engines = _Engines()

    @asynccontextmanager
    async def engine(self, settings: ClientSettings) -> AsyncIterator[Engine]:
        policy = _client._make_policy(settings.max_retries)
        engine, idle = self._engines.take(_key(settings, policy), lambda: _async_engine(settings, policy))
        for old in idle:
            await _aclose(old)
        try:
            yield engine
        finally:
            if self._engines.give_back(engine):
                await _aclose(engine)

    async def aclose(self) -> None:
        for engine in self._engines.retire_all():
            await _aclose(engine)

    @property
    def made(self) -> int:
        return self._engines.made

    def __len__(self) -> int:
        return len(self._engines)


def _close(engine: Engine) -> None:
    engine.api.get_httpx_client().close()


async def _aclose(engine: Engine) -> None:
    await engine.api.get_async_httpx_client().aclose()


async def _aclose_pool(pool: AsyncPool) -> None:
    await pool.aclose()


_sync_pool = SyncPool()
_async_pools: LoopResources[AsyncPool] = LoopResources(AsyncPool, _aclose_pool)


def sync_pool() -> SyncPool:
    return _sync_pool


async def async_pools() -> AsyncPool:
    """The running event loop's pool."""
    return await _async_pools.get()


def close_pools() -> None:
    """Close the sync engines (at exit, or when a program wants its connections closed now)."""
    _sync_pool.close()


async def aclose_pools() -> None:
    """Close the running event loop's engines now, rather than when the loop shuts down."""
    await _async_pools.aclose_current()


# A forked child's pool as inherited from its parent: never used and never closed by the child (closing would take
# locks another thread of the parent may have held at the fork), and kept, so that the garbage collector does not
# close its sockets one by one either. The connections stay the parent's.
_inherited: list[SyncPool] = []


def _after_fork() -> None:
    global _sync_pool
    _inherited.append(_sync_pool)
    _sync_pool = SyncPool()


atexit.register(close_pools)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)
