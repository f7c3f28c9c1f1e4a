"""Module-level functions with App Connect's signatures: `createAppointment({user, authHeader, payload})` becomes
`create_appointment(user=..., auth_header=..., payload=...)`.

Each call opens a client for the Clio host named by `user["hostname"]` (as App Connect's connector does; missing
means the US), makes the call and closes it. The writeable calendar is cached process-wide, so a warm create is still
one request. A `transport` passed in `client_options` is borrowed, not closed, so one transport can serve many calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

import httpx

from ._client import AsyncClioCalendar, ClioCalendar
from ._config import region_for
from ._errors import ConfigurationError
from ._types import CancelResult, ClientOptions, CreateResult, ListResult, UpdateResult

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


def _sync_client(user: User, auth_header: str, options: ClientOptions) -> ClioCalendar:
    _check_options(options)
    transport = options.get("transport")
    if transport is not None and not isinstance(transport, httpx.BaseTransport):
        raise ConfigurationError(f"transport must be an httpx.BaseTransport, not {type(transport).__name__}")
    return ClioCalendar(
        auth_header,
        region=region_for(user, options.get("region", "us")),
        base_url=options.get("base_url"),
        transport=_BorrowedTransport(transport) if transport is not None else None,
        timeout=options.get("timeout", 30.0),
        max_retries=options.get("max_retries", 2),
    )


def _async_client(user: User, auth_header: str, options: ClientOptions) -> AsyncClioCalendar:
    _check_options(options)
    transport = options.get("transport")
    if transport is not None and not isinstance(transport, httpx.AsyncBaseTransport):
        raise ConfigurationError(f"transport must be an httpx.AsyncBaseTransport, not {type(transport).__name__}")
    return AsyncClioCalendar(
        auth_header,
        region=region_for(user, options.get("region", "us")),
        base_url=options.get("base_url"),
        transport=_AsyncBorrowedTransport(transport) if transport is not None else None,
        timeout=options.get("timeout", 30.0),
        max_retries=options.get("max_retries", 2),
    )


def list_appointments(
    *, user: User, auth_header: str, range: object = None, **client_options: Unpack[ClientOptions]
) -> ListResult:
    with _sync_client(user, auth_header, client_options) as calendar:
        return calendar.list_appointments(range)


def create_appointment(
    *,
    user: User,
    auth_header: str,
    payload: object,
    idempotency_key: str | None = None,
    **client_options: Unpack[ClientOptions],
) -> CreateResult:
    with _sync_client(user, auth_header, client_options) as calendar:
        return calendar.create_appointment(payload, idempotency_key=idempotency_key)


def update_appointment(
    *, user: User, auth_header: str, appointment_id: object, patch: object, **client_options: Unpack[ClientOptions]
) -> UpdateResult:
    with _sync_client(user, auth_header, client_options) as calendar:
        return calendar.update_appointment(appointment_id, patch)


def refresh_appointment(
    *, user: User, auth_header: str, appointment_id: object, **client_options: Unpack[ClientOptions]
) -> UpdateResult:
    with _sync_client(user, auth_header, client_options) as calendar:
        return calendar.refresh_appointment(appointment_id)


def cancel_appointment(
    *, user: User, auth_header: str, appointment_id: object, **client_options: Unpack[ClientOptions]
) -> CancelResult:
    with _sync_client(user, auth_header, client_options) as calendar:
        return calendar.cancel_appointment(appointment_id)


async def alist_appointments(
    *, user: User, auth_header: str, range: object = None, **client_options: Unpack[ClientOptions]
) -> ListResult:
    async with _async_client(user, auth_header, client_options) as calendar:
        return await calendar.list_appointments(range)


async def acreate_appointment(
    *,
    user: User,
    auth_header: str,
    payload: object,
    idempotency_key: str | None = None,
    **client_options: Unpack[ClientOptions],
) -> CreateResult:
    async with _async_client(user, auth_header, client_options) as calendar:
        return await calendar.create_appointment(payload, idempotency_key=idempotency_key)


async def aupdate_appointment(
    *, user: User, auth_header: str, appointment_id: object, patch: object, **client_options: Unpack[ClientOptions]
) -> UpdateResult:
    async with _async_client(user, auth_header, client_options) as calendar:
        return await calendar.update_appointment(appointment_id, patch)


async def arefresh_appointment(
    *, user: User, auth_header: str, appointment_id: object, **client_options: Unpack[ClientOptions]
) -> UpdateResult:
    async with _async_client(user, auth_header, client_options) as calendar:
        return await calendar.refresh_appointment(appointment_id)


async def acancel_appointment(
    *, user: User, auth_header: str, appointment_id: object, **client_options: Unpack[ClientOptions]
) -> CancelResult:
    async with _async_client(user, auth_header, client_options) as calendar:
        return await calendar.cancel_appointment(appointment_id)
