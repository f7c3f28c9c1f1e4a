"""One error hierarchy for everything that can go wrong talking to Clio.

    ClioError
    ├── ConfigurationError         bad region, base_url or auth header: nothing was sent
    ├── ClioConnectionError        no HTTP answer (DNS, refused, reset, dropped)
    │   └── ClioTimeoutError       no answer in time
    ├── UnexpectedResponseError    a success status with a body that is not what Clio documents
    └── APIStatusError             Clio answered with an error status
        ├── BadRequestError            400
        ├── AuthenticationError        401
        ├── PermissionDeniedError      403
        ├── NotFoundError              404
        ├── PreconditionFailedError    412
        ├── ValidationError            422 (carries Clio's message)
        ├── RateLimitError             429 (carries retry_after)
        └── ServerError                5xx

No error ever holds the access token: messages are built from the status, Clio's error body and the URL path, and
requests and responses are not kept on the exception.
"""

from __future__ import annotations

import json
import math
import time
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any

__all__ = [
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ClioConnectionError",
    "ClioError",
    "ClioTimeoutError",
    "ConfigurationError",
    "NotFoundError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "ServerError",
    "UnexpectedResponseError",
    "ValidationError",
    "error_for_status",
]


class ClioError(Exception):
    """Base of every error this SDK raises.

    On every error raised by a create after its payload was accepted, `idempotency_key` is the key the appointment
    was (or would have been) stored with, and `may_have_reached_clio` says whether Clio may have stored it. Creating
    again with that key returns the appointment if it was stored and creates it once if it was not, so it is always
    safe; when `may_have_reached_clio` is False nothing was stored.
    """

    idempotency_key: str | None = None
    may_have_reached_clio: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        # The default rebuilds an exception by calling the class with `args`, which for the subclasses below is the
        # finished message, not their constructor's arguments (a status code, say): the message came back doubled
        # and keyword-only attributes were lost. Rebuild without __init__ and restore the attributes as they were.
        return _restore, (type(self), self.args), self.__dict__


def _restore(cls: type[ClioError], args: tuple[Any, ...]) -> ClioError:
    """Unpickling: the error with its `args` (the message) as raised; pickle then restores its attributes."""
    return cls.__new__(cls, *args)


class ConfigurationError(ClioError, ValueError):
    """The client was set up with something unsafe or invalid; no request was made."""


class ClioConnectionError(ClioError):
    """Clio could not be reached, or the connection broke before an answer came back.

    `may_have_reached_clio` is False only when the request provably never left (no connection could be made).
    """

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        may_have_reached_clio: bool = True,
    ) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.may_have_reached_clio = may_have_reached_clio


class ClioTimeoutError(ClioConnectionError):
    """Clio did not answer within the configured timeout."""


class UnexpectedResponseError(ClioError):
    """Clio answered with a success status but a body unlike what its API documents (a write did take effect)."""

    def __init__(
        self, message: str, *, status_code: int | None = None, method: str | None = None, path: str | None = None
    ) -> None:
        where = f" on {method} {path}" if method and path else ""
        super().__init__(f"{message}{where}")
        self.status_code = status_code
        self.method = method
        self.path = path


class APIStatusError(ClioError):
    """Clio answered with an error status. `error_type` and `clio_message` are Clio's own words, when it sent them;
    `retry_after` is the wait its `Retry-After` header asked for, in seconds (None when it sent none)."""

    status_code: int

    def __init__(
        self,
        status_code: int,
        *,
        error_type: str | None = None,
        clio_message: str | None = None,
        method: str | None = None,
        path: str | None = None,
        headers: dict[str, str] | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.status_code = status_code
        self.error_type = error_type
        self.clio_message = clio_message
        self.method = method
        self.path = path
        # Only response headers worth keeping (rate limits); never request headers.
        self.headers = headers or {}
        self.retry_after = (
            retry_after if retry_after is not None else parse_retry_after(self.headers.get("retry-after"))
        )
        where = f" on {method} {path}" if method and path else ""
        detail = f": {clio_message}" if clio_message else ""
        kind = f" ({error_type})" if error_type else ""
        super().__init__(f"Clio answered {status_code}{kind}{where}{detail}")


class BadRequestError(APIStatusError):
    """400: Clio could not read the request (unknown field, bad parameter)."""


class AuthenticationError(APIStatusError):
    """401: the access token is missing, unknown, expired or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the user may not do this (for example, write to a calendar they can only view)."""


class NotFoundError(APIStatusError):
    """404: no such record, or none this user can see."""


class PreconditionFailedError(APIStatusError):
    """412: the record changed since the ETag given in If-Match."""


class ValidationError(APIStatusError):
    """422: Clio refused the body; `clio_message` says why."""


class RateLimitError(APIStatusError):
    """429: too many requests for this token; `retry_after` is how long Clio asked to wait, in seconds."""


class ServerError(APIStatusError):
    """5xx: Clio, or a proxy in front of it, failed; the request may or may not have taken effect. `retry_after` is
    set when the answer carried `Retry-After`."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    412: PreconditionFailedError,
    422: ValidationError,
    429: RateLimitError,
}

_KEPT_HEADERS = ("retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


def _parse_error_body(content: bytes) -> tuple[str | None, str | None]:
    """Clio's error body is {"error": {"type", "message"}}; anything else yields (None, None)."""
    try:
        body = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None, None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None, None
    error_type = error.get("type")
    message = error.get("message")
    return (
        error_type if isinstance(error_type, str) else None,
        message if isinstance(message, str) else None,
    )


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After in seconds from `now` (epoch seconds; default the current time): a number of seconds or an HTTP date
    (RFC 9110). None if absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        # parsedate_to_datetime gives a naive datetime for "-0000"; HTTP dates are always GMT.
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, when.timestamp() - (time.time() if now is None else now))
    return max(0.0, seconds) if math.isfinite(seconds) else None


def server_wait(status: int, headers: Any, now: float | None = None) -> float | None:
    """How long the server asked the client to wait, in seconds from `now`, if it said: `Retry-After`, and for a 429
    without it `X-RateLimit-Reset` (epoch seconds, or seconds from now when small)."""
    now = time.time() if now is None else now
    wait = parse_retry_after(headers.get("retry-after"), now)
    if wait is None and status == 429:
        reset = headers.get("x-ratelimit-reset")
        try:
            reset_at = float(reset) if reset is not None else math.nan
        except ValueError:
            reset_at = math.nan
        if math.isfinite(reset_at):
            wait = max(0.0, reset_at - now) if reset_at >= 1e9 else max(0.0, reset_at)
    return wait


def error_for_status(
    status_code: int,
    content: bytes,
    headers: dict[str, str] | Any,
    *,
    method: str | None = None,
    path: str | None = None,
) -> APIStatusError:
    """The typed error for an error response. `path` must be the URL path only (no query, no host)."""
    error_type, message = _parse_error_body(content)
    kept = {name: headers[name] for name in _KEPT_HEADERS if name in headers}
    common: dict[str, Any] = {
        "error_type": error_type,
        "clio_message": message,
        "method": method,
        "path": path,
        "headers": kept,
        "retry_after": server_wait(status_code, kept),
    }
    if status_code >= 500:
        return ServerError(status_code, **common)
    return _BY_STATUS.get(status_code, APIStatusError)(status_code, **common)
