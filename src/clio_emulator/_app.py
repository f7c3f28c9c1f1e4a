"""`create_app` and the `Emulator` handle tests use to reach into a running app."""

from __future__ import annotations

import threading
import weakref
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
from ._faults import Fault, Faults
from ._gateway import Gateway
from ._ratelimit import RateLimiter
from ._seed import SEED
from ._server import hide_dropped_connection_errors
from ._spec import load_spec
from ._store import Store
from ._transport import EmulatorAsyncTransport, EmulatorTransport

__all__ = ["DEFAULT_BASE_URL", "Emulator", "create_app"]

# For in-process use. `.invalid` never resolves (RFC 6761): a client that forgets the emulator's transport fails
# at once instead of sending the token anywhere; https, because the facade refuses plain http off loopback.
DEFAULT_BASE_URL = "https://clio-emulator.invalid"


class Emulator:
    """A running emulator's state and controls, at `app.state.emulator`."""

    def __init__(self, store: Store, faults: Faults, limiter: RateLimiter | None, base_url: str) -> None:
        self.store = store
        self.faults = faults
        self.limiter = limiter
        self.base_url = base_url
        self.token = SEED.token
        self.app: Starlette
        self._count_lock = threading.Lock()
        self._requests = 0
        self._transports: weakref.WeakSet[EmulatorTransport] = weakref.WeakSet()

    @property
    def request_count(self) -> int:
        """HTTP requests received on Clio paths (admin paths not counted), answered or not."""
        with self._count_lock:
            return self._requests

    def _count_request(self) -> None:
        with self._count_lock:
            self._requests += 1

    def calendar_entry_count(self) -> int:
        """Calendar entries in the store, whoever can see them."""
        return self.store.entry_count()

    def transport(self) -> EmulatorTransport:
        """A sync httpx transport to this emulator, in-process; closed with its client or by `close()`."""
        transport = EmulatorTransport(self.app)
        self._transports.add(transport)
        return transport

    def async_transport(self) -> EmulatorAsyncTransport:
        """An async httpx transport to this emulator, in-process, in the caller's event loop."""
        return EmulatorAsyncTransport(self.app)

    def close(self) -> None:
        """Stop the sync transports' threads and close the store."""
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
    emulator = Emulator(store, Faults(faults or ()), limiter, base_url)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        hide_dropped_connection_errors()
        yield

    app = Starlette(
        routes=[*ClioApi(store, spec).routes(), *admin_routes(emulator.faults, lambda: _stats(emulator))],
        middleware=[
            Middleware(
                Gateway,
                store=store,
                faults=emulator.faults,
                limiter=lambda: emulator.limiter,
                counter=emulator._count_request,
            )
        ],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error, Exception: _server_error},
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False
    app.state.emulator = emulator
    emulator.app = app
    return app


def _stats(emulator: Emulator) -> dict[str, int]:
    return {"requests": emulator.request_count, "calendar_entries": emulator.calendar_entry_count()}
