"""`create_app` and the `Emulator` handle tests use to reach into a running app."""

from __future__ import annotations

import math
import random
import re
import ssl
import threading
import weakref
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from ._admin import admin_routes
from ._api import ClioApi
from ._errors import ApiError, error_response
from ._faults import MAX_DELAY, Fault, Faults
from ._gateway import Gateway
from ._ratelimit import RateLimiter
from ._seed import SEED
from ._server import hide_dropped_connection_errors
from ._spec import load_spec
from ._store import Store
from ._transport import EmulatorAsyncTransport, EmulatorTransport

__all__ = ["DEFAULT_BASE_URL", "Emulator", "create_app"]

Latency = float | tuple[float, float]

# For in-process use. `.invalid` never resolves (RFC 6761): a client that forgets the emulator's transport fails
# at once instead of sending the token anywhere; https, because the facade refuses plain http off loopback.
DEFAULT_BASE_URL = "https://clio-emulator.invalid"
"""The origin an in-process emulator reports (`Emulator.base_url`); `.invalid` never resolves, so nothing leaks out."""
_ID_SEGMENT = re.compile(r"/[0-9]+(?=[/.]|$)")


class Emulator:
    """A running emulator's state and controls, at `app.state.emulator`."""

    def __init__(
        self, store: Store, faults: Faults, limiter: RateLimiter | None, base_url: str, latency: Latency = 0.0
    ) -> None:
        self.store = store
        self.faults = faults
        self.limiter = limiter
        self.base_url = base_url
        self.token = SEED.token
        self.app: Starlette
        self._count_lock = threading.Lock()
        self._requests = 0
        self._in_flight = 0
        self._max_in_flight = 0
        self._latency = _latency_range(latency)
        self._random = random.Random(0)
        self._transports: weakref.WeakSet[EmulatorTransport] = weakref.WeakSet()
        self._by_route: Counter[str] = Counter()
        self._by_status: Counter[int] = Counter()
        # Set by `clio-appointments serve --tls` (and scripts/bench): the server's SSL context, whose OpenSSL session
        # statistics tell how many TLS handshakes clients made.
        self.tls_context: ssl.SSLContext | None = None

    @property
    def request_count(self) -> int:
        """HTTP requests received on Clio paths (admin paths not counted), answered or not."""
        with self._count_lock:
            return self._requests

    def _count_request(self) -> None:
        with self._count_lock:
            self._requests += 1

    def _count_answer(self, method: str, path: str, status: int) -> None:
        route = f"{method} {_ID_SEGMENT.sub('/{id}', path)}"
        with self._count_lock:
            self._by_route[route] += 1
            self._by_status[status] += 1

    def answers_by_route(self) -> dict[str, int]:
        """Answers given on Clio paths, by method and path with ids as `{id}`: e.g. how many calendar lookups
        (`GET /api/v4/calendars.json`) clients made, 429s included."""
        with self._count_lock:
            return dict(self._by_route)

    def answers_by_status(self) -> dict[int, int]:
        """Answers given on Clio paths, by status: e.g. how many 429s the rate limit sent."""
        with self._count_lock:
            return dict(self._by_status)

    def tls_handshakes(self) -> dict[str, int] | None:
        """Over TLS (`serve --tls`): handshakes completed (`accepted`), how many of them resumed a session
        (`resumed`), and how many failed; None over plain HTTP."""
        if self.tls_context is None:
            return None
        stats = self.tls_context.session_stats()
        return {
            "accepted": stats.get("accept_good", 0),
            "resumed": stats.get("hits", 0),
            "failed": stats.get("accept", 0) - stats.get("accept_good", 0),
        }

    @property
    def in_flight(self) -> int:
        """Requests on Clio paths inside the emulator right now (waiting out latency or a delay included)."""
        with self._count_lock:
            return self._in_flight

    @property
    def max_in_flight(self) -> int:
        """The most requests on Clio paths that were inside the emulator at once, since it started."""
        with self._count_lock:
            return self._max_in_flight

    def _track(self, change: int) -> None:
        with self._count_lock:
            self._in_flight += change
            self._max_in_flight = max(self._max_in_flight, self._in_flight)

    @property
    def latency(self) -> tuple[float, float]:
        """Every Clio request waits a time drawn uniformly from (low, high) seconds before anything else."""
        with self._count_lock:
            return self._latency

    def set_latency(self, latency: Latency) -> None:
        """Seconds each Clio request waits first (an async wait: concurrent requests overlap): a number, or a
        (low, high) range to draw from; 0 turns it off. ValueError if out of 0-600 s."""
        value = _latency_range(latency)
        with self._count_lock:
            self._latency = value

    def _draw_latency(self) -> float:
        with self._count_lock:
            low, high = self._latency
            return low if low == high else self._random.uniform(low, high)

    # Late writes (faults with commit="late"): see `Faults`.

    def pending_commits(self) -> int:
        """Late writes not applied yet (held, scheduled, or being applied)."""
        return self.faults.pending_commits()

    def release_commits(self, n: int | None = None) -> int:
        """Apply up to `n` (None: all) waiting late writes now, oldest first; returns how many were handled."""
        return self.faults.release_commits(n)

    def discard_commits(self, n: int | None = None) -> int:
        """Drop up to `n` (None: all) waiting late writes, oldest first, unapplied; returns how many."""
        return self.faults.discard_commits(n)

    def settle(self, timeout: float | None = 30.0) -> None:
        """Wait until every late write with a `commit_delay` has been applied; TimeoutError after `timeout`."""
        self.faults.settle(timeout)

    def calendar_entry_count(self) -> int:
        """Calendar entries in the store, whoever can see them."""
        return self.store.entry_count()

    def entries_by_external_property(self, name: str) -> dict[str, list[str]]:
        """Each value of the external property `name` -> ids of the entries carrying it, read from the store
        itself (no faults, rate limit or permissions in the way): what tests count duplicates with."""
        return self.store.entries_by_property(name)

    def transport(self) -> EmulatorTransport:
        """A sync httpx transport to this emulator, in-process; closed with its client or by `close()`."""
        transport = EmulatorTransport(self.app)
        self._transports.add(transport)
        return transport

    def async_transport(self) -> EmulatorAsyncTransport:
        """An async httpx transport to this emulator, in-process, in the caller's event loop."""
        return EmulatorAsyncTransport(self.app)

    def close(self) -> None:
        """Discard late writes still waiting, stop the sync transports' threads and close the store."""
        self.faults.close()
        for transport in list(self._transports):
            transport.close()
        self.store.close()

    def __repr__(self) -> str:
        return f"<Emulator base_url={self.base_url!r} entries={self.calendar_entry_count()}>"


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    # The router's own 404 (no such path) and 405 (with Allow), as JSON like every other error.
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"No endpoint at {request.url.path}."
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}."
    else:
        message = str(exc.detail)
    return error_response(exc.status_code, message, exc.headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    return error_response(500, "Internal emulator error.")


def create_app(
    db_path: str = ":memory:",
    seed: bool = True,
    rate_limit: int | None = 50,
    rate_window: float = 60.0,
    faults: Iterable[Fault | Mapping[str, Any]] | None = None,
    *,
    base_url: str = DEFAULT_BASE_URL,
    latency: Latency = 0.0,
) -> Starlette:
    """The emulator as an ASGI app; its `Emulator` is `app.state.emulator`.

    `db_path`: ":memory:" or a SQLite file that outlives the app. `seed`: add SEED's users, calendars, contacts and
    matters. `rate_limit`: requests per `rate_window` seconds per token; None or 0 turns the limit off, as
    `clio-appointments serve --rate-limit 0` does. `faults`: active from the first request. `base_url`: what
    `Emulator.base_url` reports for in-process use.
    """
    if rate_limit is not None and rate_limit < 0:
        raise ValueError(f"rate_limit must be None or 0 (no limit) or more, not {rate_limit}")
    spec = load_spec()
    store = Store(db_path, seed=seed)
    limiter = RateLimiter(rate_limit, rate_window) if rate_limit else None
    emulator = Emulator(store, Faults(faults or ()), limiter, base_url, latency)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        hide_dropped_connection_errors()
        yield

    app = Starlette(
        routes=[*ClioApi(store, spec).routes(), *admin_routes(emulator, lambda: _stats(emulator))],
        middleware=[
            Middleware(
                Gateway,
                store=store,
                faults=emulator.faults,
                limiter=lambda: emulator.limiter,
                counter=emulator._count_request,
                latency=emulator._draw_latency,
                in_flight=emulator._track,
                answered=emulator._count_answer,
            )
        ],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error, Exception: _server_error},
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False
    app.state.emulator = emulator
    emulator.app = app
    return app


def _stats(emulator: Emulator) -> dict[str, Any]:
    stats = {
        "requests": emulator.request_count,
        "answers_by_status": {str(status): n for status, n in sorted(emulator.answers_by_status().items())},
        "answers_by_route": dict(sorted(emulator.answers_by_route().items())),
        "calendar_entries": emulator.calendar_entry_count(),
        "in_flight": emulator.in_flight,
        "max_in_flight": emulator.max_in_flight,
        "latency": list(emulator.latency),
        "late_commits": emulator.faults.commit_stats(),
    }
    handshakes = emulator.tls_handshakes()
    if handshakes is not None:
        stats["tls_handshakes"] = handshakes
    return stats


def _latency_range(latency: object) -> tuple[float, float]:
    def seconds(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"latency must be seconds between 0 and {MAX_DELAY:g}, or a [low, high] pair of them")
        if not 0 <= value <= MAX_DELAY:
            raise ValueError(f"latency must be seconds between 0 and {MAX_DELAY:g}, or a [low, high] pair of them")
        return float(value)

    if isinstance(latency, tuple | list):
        if len(latency) != 2:
            raise ValueError("latency must be a number of seconds or a [low, high] pair")
        low, high = seconds(latency[0]), seconds(latency[1])
        if low > high:
            raise ValueError("latency's low end must not exceed its high end")
        return low, high
    value = seconds(latency)
    return value, value
