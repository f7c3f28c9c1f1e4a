"""Module-level functions with App Connect's signatures: `createAppointment({user, authHeader, payload})` becomes
`create_appointment(user=..., auth_header=..., payload=...)`.

Each call goes to the Clio host named by `user["hostname"]` (as App Connect's connector does; missing means the US)
through the process-wide pool (see _pool): connections, TLS sessions and the SSL context are made once per process
and origin and reused by every call, while the token stays the call's own. The writeable calendar is cached
process-wide (and across processes with `shared_state`), so a warm create is one request on a warm connection. A
`transport` passed in `client_options` is the caller's own pool: borrowed for the call, not closed, as before.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Unpack

import httpx

from ._client import AsyncClioCalendar, ClioCalendar, _checked_transport
from ._config import CLIO_API_VERSION, region_for, settings_for
from ._deadline import DEFAULT_DEADLINE
from ._pool import async_pools, sync_pool
from ._shared_state import state_for
from ._types import (
    AppointmentPatch,
    AppointmentPayload,
    AppointmentRange,
    CancelResult,
    ClientOptions,
    CreateResult,
    ListResult,
    LooseJson,
    UpdateResult,
)

__all__ = [
    "acancel_appointment",
    "acreate_appointment",
    "alist_appointments",
    "arefresh_appointment",
    "aupdate_appointment",
    "cancel_appointment",
    "create_appointment",
    "list_appointments",
    "refresh_appointment",
    "update_appointment",
]

User = Mapping[str, Any] | None


class _BorrowedTransport(httpx.BaseTransport):
    """Sends through the caller's transport and leaves closing it to the caller."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)

    def close(self) -> None:
        pass


class _AsyncBorrowedTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        pass


_OPTION_NAMES = frozenset(ClientOptions.__annotations__)


def _check_options(options: ClientOptions) -> None:
    unknown = sorted(set(options) - _OPTION_NAMES)
    if unknown:
        raise TypeError(
            f"unexpected client option(s): {', '.join(unknown)}; expected {', '.join(sorted(_OPTION_NAMES))}"
        )


def _client_arguments(user: User, options: ClientOptions) -> dict[str, Any]:
    """The client settings the sync and async functions share: App Connect's user record picks the region."""
    _check_options(options)
    return {
        "region": region_for(user, options.get("region", "us")),
        "base_url": options.get("base_url"),
        "timeout": options.get("timeout", 30.0),
        "max_retries": options.get("max_retries", 2),
        "deadline": options.get("deadline", DEFAULT_DEADLINE),
        "api_version": options.get("api_version", CLIO_API_VERSION),
    }


@contextmanager
def _sync_client(user: User, auth_header: str, options: ClientOptions) -> Iterator[ClioCalendar]:
    """A client for one call: on the process-wide pool, or on the caller's own transport when one is given."""
    arguments = _client_arguments(user, options)
    # Checked here, before it is wrapped: the wrapper is always a transport.
    transport = _checked_transport(options.get("transport"), httpx.BaseTransport, "create_appointment and its siblings")
    shared_state = options.get("shared_state")
    if transport is not None:
        with ClioCalendar(
            auth_header, transport=_BorrowedTransport(transport), shared_state=shared_state, **arguments
        ) as calendar:
            yield calendar
        return
    settings = settings_for(auth_header, **arguments)
    state = state_for(shared_state)
    with sync_pool().engine(settings) as engine:
        yield ClioCalendar._on_engine(settings, engine, state)


@asynccontextmanager
async def _async_client(user: User, auth_header: str, options: ClientOptions) -> AsyncIterator[AsyncClioCalendar]:
    arguments = _client_arguments(user, options)
    transport = _checked_transport(
        options.get("transport"), httpx.AsyncBaseTransport, "acreate_appointment and its siblings"
    )
    shared_state = options.get("shared_state")
    if transport is not None:
        async with AsyncClioCalendar(
            auth_header, transport=_AsyncBorrowedTransport(transport), shared_state=shared_state, **arguments
        ) as calendar:
            yield calendar
        return
    settings = settings_for(auth_header, **arguments)
    state = state_for(shared_state)
    try:
        pool = await async_pools()
    except RuntimeError:
        # Not in an asyncio event loop (trio, say): no loop to keep a pool in, so a client for this call alone.
        async with AsyncClioCalendar(auth_header, shared_state=shared_state, **arguments) as calendar:
            yield calendar
        return
    async with pool.engine(settings) as engine:
        yield AsyncClioCalendar._on_engine(settings, engine, state)


def list_appointments(
    *,
    user: User,
    auth_header: str,
    range: AppointmentRange | LooseJson | None = None,
    mine_only: bool = False,
    **client_options: Unpack[ClientOptions],
) -> ListResult:
    """App Connect's `listAppointments({user, authHeader, ...})`: `ClioCalendar.list_appointments` on the Clio host
    named by `user["hostname"]` (missing: the US), on the process-wide pool. `client_options` go to the client."""
    with _sync_client(user, auth_header, client_options) as calendar:
        return calendar.list_appointments(range, mine_only=mine_only)


def create_appointment(
    *,
    user: User,
    auth_header: str,
    payload: AppointmentPayload | LooseJson,
    idempotency_key: str | None = None,
    **client_options: Unpack[ClientOptions],
) -> CreateResult:
    """App Connect's `createAppointment({user, authHeader, payload})`: `ClioCalendar.create_appointment` on the Clio
    host named by `user["hostname"]` (missing: the US), on the process-wide pool. `client_options` go to the client."""
    with _sync_client(user, auth_header, client_options) as calendar:
        return calendar.create_appointment(payload, idempotency_key=idempotency_key)


def update_appointment(
    *,
    user: User,
    auth_header: str,
    appointment_id: object,
    patch: AppointmentPatch | LooseJson,
    **client_options: Unpack[ClientOptions],
) -> UpdateResult:
    """App Connect's `updateAppointment`: `ClioCalendar.update_appointment` on the Clio host named by
    `user["hostname"]` (missing: the US), on the process-wide pool. `client_options` go to the client."""
    with _sync_client(user, auth_header, client_options) as calendar:
        return calendar.update_appointment(appointment_id, patch)


def refresh_appointment(
    *, user: User, auth_header: str, appointment_id: object, **client_options: Unpack[ClientOptions]
) -> UpdateResult:
    """App Connect's `refreshAppointment`: `ClioCalendar.refresh_appointment` on the Clio host named by
    `user["hostname"]` (missing: the US), on the process-wide pool. `client_options` go to the client."""
    with _sync_client(user, auth_header, client_options) as calendar:
        return calendar.refresh_appointment(appointment_id)


def cancel_appointment(
    *, user: User, auth_header: str, appointment_id: object, **client_options: Unpack[ClientOptions]
) -> CancelResult:
    """App Connect's `cancelAppointment`: `ClioCalendar.cancel_appointment` on the Clio host named by
    `user["hostname"]` (missing: the US), on the process-wide pool. `client_options` go to the client."""
    with _sync_client(user, auth_header, client_options) as calendar:
        return calendar.cancel_appointment(appointment_id)


async def alist_appointments(
    *,
    user: User,
    auth_header: str,
    range: AppointmentRange | LooseJson | None = None,
    mine_only: bool = False,
    **client_options: Unpack[ClientOptions],
) -> ListResult:
    """The async twin of `list_appointments`, on the pool of the running event loop."""
    async with _async_client(user, auth_header, client_options) as calendar:
        return await calendar.list_appointments(range, mine_only=mine_only)


async def acreate_appointment(
    *,
    user: User,
    auth_header: str,
    payload: AppointmentPayload | LooseJson,
    idempotency_key: str | None = None,
    **client_options: Unpack[ClientOptions],
) -> CreateResult:
    """The async twin of `create_appointment`, on the pool of the running event loop."""
    async with _async_client(user, auth_header, client_options) as calendar:
        return await calendar.create_appointment(payload, idempotency_key=idempotency_key)


async def aupdate_appointment(
    *,
    user: User,
    auth_header: str,
    appointment_id: object,
    patch: AppointmentPatch | LooseJson,
    **client_options: Unpack[ClientOptions],
) -> UpdateResult:
    """The async twin of `update_appointment`, on the pool of the running event loop."""
    async with _async_client(user, auth_header, client_options) as calendar:
        return await calendar.update_appointment(appointment_id, patch)


async def arefresh_appointment(
    *, user: User, auth_header: str, appointment_id: object, **client_options: Unpack[ClientOptions]
) -> UpdateResult:
    """The async twin of `refresh_appointment`, on the pool of the running event loop."""
    async with _async_client(user, auth_header, client_options) as calendar:
        return await calendar.refresh_appointment(appointment_id)


async def acancel_appointment(
    *, user: User, auth_header: str, appointment_id: object, **client_options: Unpack[ClientOptions]
) -> CancelResult:
    """The async twin of `cancel_appointment`, on the pool of the running event loop."""
    async with _async_client(user, auth_header, client_options) as calendar:
        return await calendar.cancel_appointment(appointment_id)
