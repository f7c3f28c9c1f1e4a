"""One transport policy for sync and async: retries with backoff, Retry-After, and pacing on Clio's budget.

The decision logic (`retry_delay`, `_Exchange`) is written once; `RetryTransport` and `AsyncRetryTransport` only
differ in how they send, sleep and discard a response.

What is retried:

| request | retried on |
|---|---|
| GET, HEAD, OPTIONS, PUT, DELETE, a PATCH with If-Match | 429, 502, 503, 504; connect errors, timeouts, drops |
| POST, a PATCH without If-Match, anything else | 429; errors proving nothing was sent (ConnectError, ...) |

A POST that timed out, lost its connection or got a 5xx may have created the entry, so it is handed back as is (the
final response, or the httpx exception); the facade reconciles by looking up the create's idempotency key. A PATCH
is only repeated when it is conditional: if the lost attempt was applied, the entry's ETag changed and the repeat is
refused with 412 instead of applying an attendee change twice.

Deadline: under a call's deadline (see _deadline), each attempt's timeouts are capped at what is left, a pacing wait
that would outlast it raises ClioTimeoutError, and a retry whose wait would outlast it is not made: the last answer
(or error) is handed back as it is.

Waits: `Retry-After` (seconds or an HTTP date) when the server sends one, then `X-RateLimit-Reset` for a 429,
otherwise exponential backoff with full jitter, `uniform(0, min(cap, base * 2**n))`. A server-requested wait longer
than `retry_after_cap` is not slept through: the response is returned so the caller sees the 429/503 (with its
`retry_after`) at once instead of blocking, and without retrying early into another refusal.

Nothing here logs headers or keeps the request; log lines carry the method, the URL path and the status.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

import httpx

from ._deadline import Deadline, current_deadline
from ._errors import server_wait
from ._pacing import PacerLike, Turn, pacer_for

__all__ = [
    "AsyncRetryTransport",
    "RetryTransport",
    "TransportPolicy",
    "build_async_transport",
    "build_transport",
    "retry_delay",
]

logger = logging.getLogger("clio_appointments.transport")

RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Methods that are safe to repeat against Clio: DELETE of a deleted entry is a 404. A PATCH can carry a relative
# attendee change (`_destroy`, add), so it is only safe to repeat with If-Match.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Errors that prove the request never left this process: safe to retry even for a create.
_NOT_SENT: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Errors after which a repeatable request may simply be sent again.
_TRANSIENT: tuple[type[Exception], ...] = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


async def _asyncio_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


@dataclass(frozen=True, slots=True)
class TransportPolicy:
    """How requests are retried and paced. Times are in seconds; the callables are injectable for tests."""

    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    retry_after_cap: float = 60.0
    pacing: bool = True
    sleep: Callable[[float], object] = field(default=time.sleep, repr=False, compare=False)
    async_sleep: Callable[[float], Awaitable[object]] = field(default=_asyncio_sleep, repr=False, compare=False)
    # Wall-clock seconds: X-RateLimit-Reset and Retry-After dates are absolute times.
    clock: Callable[[], float] = field(default=time.time, repr=False, compare=False)
    # Monotonic seconds: what call deadlines are measured on.
    monotonic: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)
    # Returns a float in [0, 1); drives the jitter.
    rng: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise ValueError("max_retries must be a whole number, 0 or more")
        for name in ("backoff_base", "backoff_cap", "retry_after_cap"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number of seconds, 0 or more")

    def backoff(self, retries_done: int) -> float:
        """Full jitter: uniform between 0 and the exponential ceiling for this retry."""
        ceiling = min(self.backoff_cap, self.backoff_base * (2.0 ** min(retries_done, 62)))
        return self.rng() * ceiling


def retry_delay(
    policy: TransportPolicy,
    method: str,
    retries_done: int,
    *,
    status: int | None = None,
    headers: Mapping[str, str] | None = None,
    error: BaseException | None = None,
    now: float | None = None,
    conditional: bool = False,
) -> float | None:
    """Seconds to wait before retrying, or None to stop and hand back this outcome (a response or an error).

    `conditional`: the request carries If-Match (a PATCH is repeatable only then). `now` is the policy's clock unless
    given; Retry-After dates and X-RateLimit-Reset are measured from it."""
    if retries_done >= policy.max_retries:
        return None
    repeatable = method.upper() in IDEMPOTENT_METHODS or (conditional and method.upper() == "PATCH")
    if error is not None:
        if isinstance(error, _NOT_SENT) or (repeatable and isinstance(error, _TRANSIENT)):
            return policy.backoff(retries_done)
        return None
    if status not in RETRY_STATUSES or (status != 429 and not repeatable):
        return None
    asked = server_wait(status, headers or {}, policy.clock() if now is None else now)
    if asked is None:
        return policy.backoff(retries_done)
    return asked if asked <= policy.retry_after_cap else None


class _Exchange:
    """The state of one logical request across its attempts: the shared half of the sync and async transports."""

    __slots__ = ("_conditional", "_deadline", "_method", "_pacer", "_path", "_policy", "_request", "_ticket", "retries")

    def __init__(self, policy: TransportPolicy, request: httpx.Request) -> None:
        self._policy = policy
        self._request = request
        self._method = request.method
        self._path = request.url.path
        self._conditional = "if-match" in request.headers
        self._deadline: Deadline | None = current_deadline()
        self.retries = 0
        self._ticket: int | None = None
        self._pacer: PacerLike | None = None
        authorization = request.headers.get("authorization")
        if policy.pacing and authorization:
            origin = f"{request.url.scheme}://{request.url.host}:{request.url.port}"
            self._pacer = pacer_for(origin, authorization)

    def turn(self) -> tuple[float, bool]:
        """(seconds to wait, whether to send after waiting); when not granted, wait and ask again."""
        if self._pacer is None:
            return 0.0, True
        return self._granted(self._pacer.reserve(self._policy.clock(), self._policy.retry_after_cap))

    async def aturn(self) -> tuple[float, bool]:
        """`turn` for the async transport: a shared pacer asks Redis without blocking the event loop."""
        if self._pacer is None:
            return 0.0, True
        return self._granted(await self._pacer.areserve(self._policy.clock(), self._policy.retry_after_cap))

    def _granted(self, granted: Turn) -> tuple[float, bool]:
        self._ticket = granted.ticket
        wait = max(0.0, granted.delay)
        if wait > 0 and self._deadline is not None and not self._deadline.allows(wait):
            raise self._deadline.expired(
                f"waiting {wait:.1f}s for the rate limit budget", method=self._method, path=self._path
            )
        return wait, granted.ticket is not None

    def start_attempt(self) -> None:
        """Cap this attempt's timeouts at what is left of the call's deadline; nothing left raises ClioTimeoutError."""
        if self._deadline is None:
            return
        left = self._deadline.remaining()
        if left <= 0:
            raise self._deadline.expired("before the request could be sent", method=self._method, path=self._path)
        timeouts = self._request.extensions.get("timeout") or {}
        self._request.extensions["timeout"] = {
            name: left if value is None else min(value, left)
            for name, value in {**dict.fromkeys(("connect", "read", "write", "pool")), **timeouts}.items()
        }

    def _fits(self, delay: float | None) -> float | None:
        """`delay`, or None when waiting it would outlast the call's deadline."""
        if delay is None or self._deadline is None or self._deadline.allows(delay):
            return delay
        return None

    def after_response(self, response: httpx.Response) -> float | None:
        now = self._policy.clock()
        if self._pacer is not None and self._ticket is not None:
            ticket, self._ticket = self._ticket, None
            self._pacer.complete(ticket, response.headers, now)
        return self._decide(response, now)

    async def aafter_response(self, response: httpx.Response) -> float | None:
        now = self._policy.clock()
        if self._pacer is not None and self._ticket is not None:
            ticket, self._ticket = self._ticket, None
            await self._pacer.acomplete(ticket, response.headers, now)
        return self._decide(response, now)

    def _decide(self, response: httpx.Response, now: float) -> float | None:
        delay = self._fits(
            retry_delay(
                self._policy,
                self._method,
                self.retries,
                status=response.status_code,
                headers=response.headers,
                now=now,
                conditional=self._conditional,
            )
        )
        if delay is not None:
            self._note_retry(f"status {response.status_code}", delay)
        return delay

    def after_error(self, error: BaseException) -> float | None:
        self.abandon()
        return self._after_abandoned(error)

    async def aafter_error(self, error: BaseException) -> float | None:
        await self.aabandon()
        return self._after_abandoned(error)

    def _after_abandoned(self, error: BaseException) -> float | None:
        delay = self._fits(
            retry_delay(
                self._policy,
                self._method,
                self.retries,
                error=error,
                now=self._policy.clock(),
                conditional=self._conditional,
            )
        )
        if delay is not None:
            self._note_retry(type(error).__name__, delay)
        return delay

    def abandon(self) -> None:
        """No response came back for the current turn (error or cancellation)."""
        if self._pacer is not None and self._ticket is not None:
            ticket, self._ticket = self._ticket, None
            self._pacer.complete(ticket, None, self._policy.clock())

    async def aabandon(self) -> None:
        if self._pacer is not None and self._ticket is not None:
            ticket, self._ticket = self._ticket, None
            await self._pacer.acomplete(ticket, None, self._policy.clock())

    def _note_retry(self, reason: str, delay: float) -> None:
        self.retries += 1
        # Method, path and status only: never headers, query strings or bodies.
        logger.info(
            "%s %s: %s; retry %d of %d in %.2fs",
            self._method,
            self._path,
            reason,
            self.retries,
            self._policy.max_retries,
            delay,
        )


def _replayable(request: httpx.Request) -> None:
    """Make sure the body can be sent more than once (httpx keeps bytes bodies; a generator body is read once)."""
    if not isinstance(request.stream, httpx.ByteStream):
        request.read()


class RetryTransport(httpx.BaseTransport):
    """Wraps a sync transport with the policy's retries and pacing."""

    def __init__(self, inner: httpx.BaseTransport, policy: TransportPolicy) -> None:
        self._inner = inner
        self._policy = policy

    def __repr__(self) -> str:
        return f"<RetryTransport inner={type(self._inner).__name__} policy={self._policy!r}>"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._policy.max_retries:
            _replayable(request)
        exchange = _Exchange(self._policy, request)
        try:
            while True:
                while True:
                    wait, granted = exchange.turn()
                    if wait > 0:
                        self._policy.sleep(wait)
                    if granted:
                        break
                exchange.start_attempt()
                try:
                    response = self._inner.handle_request(request)
                except httpx.TransportError as error:
                    delay = exchange.after_error(error)
                    if delay is None:
                        raise
                else:
                    delay = exchange.after_response(response)
                    if delay is None:
                        return response
                    _discard(response)
                self._policy.sleep(delay)
        finally:
            exchange.abandon()

    def close(self) -> None:
        self._inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Wraps an async transport with the policy's retries and pacing."""

    def __init__(self, inner: httpx.AsyncBaseTransport, policy: TransportPolicy) -> None:
        self._inner = inner
        self._policy = policy

    def __repr__(self) -> str:
        return f"<AsyncRetryTransport inner={type(self._inner).__name__} policy={self._policy!r}>"

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._policy.max_retries and not isinstance(request.stream, httpx.ByteStream):
            await request.aread()
        exchange = _Exchange(self._policy, request)
        try:
            while True:
                while True:
                    wait, granted = await exchange.aturn()
                    if wait > 0:
                        await self._policy.async_sleep(wait)
                    if granted:
                        break
                exchange.start_attempt()
                try:
                    response = await self._inner.handle_async_request(request)
                except httpx.TransportError as error:
                    delay = await exchange.aafter_error(error)
                    if delay is None:
                        raise
                else:
                    delay = await exchange.aafter_response(response)
                    if delay is None:
                        return response
                    await _adiscard(response)
                await self._policy.async_sleep(delay)
        finally:
            await exchange.aabandon()

    async def aclose(self) -> None:
        await self._inner.aclose()


def _discard(response: httpx.Response) -> None:
    """Drain and close a response we are about to retry, so its connection can be reused."""
    try:
        response.read()
    except httpx.HTTPError:
        pass
    finally:
        response.close()


async def _adiscard(response: httpx.Response) -> None:
    try:
        await response.aread()
    except httpx.HTTPError:
        pass
    finally:
        await response.aclose()


def build_transport(inner: httpx.BaseTransport | None, policy: TransportPolicy | None = None) -> RetryTransport:
    """A sync transport applying `policy` (default: TransportPolicy()) around `inner` (default: HTTPTransport())."""
    return RetryTransport(inner if inner is not None else httpx.HTTPTransport(), policy or TransportPolicy())


def build_async_transport(
    inner: httpx.AsyncBaseTransport | None, policy: TransportPolicy | None = None
) -> AsyncRetryTransport:
    """The async twin of `build_transport`."""
    return AsyncRetryTransport(inner if inner is not None else httpx.AsyncHTTPTransport(), policy or TransportPolicy())
