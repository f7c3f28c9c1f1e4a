"""From httpx to the typed errors: authentication, error statuses, transport failures, unreadable answers."""

from __future__ import annotations

import traceback
from collections.abc import Generator
from typing import Any

import httpx

from ._errors import (
    ClioConnectionError,
    ClioError,
    ClioTimeoutError,
    UnexpectedResponseError,
    error_for_status,
)
from ._steps import Call

__all__ = ["BearerAuth", "araise_for_status", "checked", "connection_error", "raise_for_status", "unreadable"]


class BearerAuth(httpx.Auth):
    """Adds `Authorization: Bearer <token>` to every request; its repr never shows the token."""

    __slots__ = ("_header",)

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "<BearerAuth token=***>"


def _status_error(response: httpx.Response) -> ClioError:
    # The path only: queries can carry search text, and hosts are the caller's business.
    return error_for_status(
        response.status_code,
        response.content,
        response.headers,
        method=response.request.method,
        path=response.request.url.path,
    )


def raise_for_status(response: httpx.Response) -> None:
    """Response hook: error statuses become typed errors before the generated client parses anything (an HTML page
    from a proxy would otherwise fail its JSON parsing). Redirects are never followed (follow_redirects=False), so a
    3xx lands here too and the token stays put."""
    if response.status_code >= 300:
        response.read()
        raise _status_error(response)


async def araise_for_status(response: httpx.Response) -> None:
    if response.status_code >= 300:
        await response.aread()
        raise _status_error(response)


def connection_error(exc: httpx.HTTPError, call: Call, token: str) -> ClioConnectionError:
    """The typed error for an httpx exception; the message is scrubbed of the token just in case."""
    detail = str(exc).replace(token, "***") or type(exc).__name__
    message = f"{type(exc).__name__} on {call.method} {call.path}: {detail}"
    # Only these prove the request never left: nothing could have been created.
    never_sent = isinstance(
        exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout | httpx.UnsupportedProtocol
    )
    cls = ClioTimeoutError if isinstance(exc, httpx.TimeoutException) else ClioConnectionError
    return cls(message, method=call.method, path=call.path, may_have_reached_clio=not never_sent)


def unreadable(exc: Exception, call: Call) -> UnexpectedResponseError | None:
    """The typed error when `exc` comes from the generated client reading a success answer (error statuses never
    reach its parser, see raise_for_status); None for anything else, such as a bug in a transport, which must
    surface as itself."""
    parsing = any(frame.f_code.co_name in _PARSERS for frame, _ in traceback.walk_tb(exc.__traceback__))
    if not parsing:
        return None
    error = UnexpectedResponseError("Clio's answer could not be read", method=call.method, path=call.path)
    error.__cause__ = exc
    return error


# The generated endpoints' functions that turn an httpx.Response into models.
_PARSERS = frozenset({"_build_response", "_parse_response"})


def checked(parsed: object, call: Call) -> Any:
    """The parsed answer, if it is the model the call expects."""
    if call.expect is not None and not isinstance(parsed, call.expect):
        raise UnexpectedResponseError(
            "Clio's answer is not the documented success response", method=call.method, path=call.path
        )
    return parsed
