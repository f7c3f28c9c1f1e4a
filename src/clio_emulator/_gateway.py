"""The front door for Clio paths: count the request, add latency, rate-limit it, apply faults, authenticate it.

Runs as ASGI middleware in front of the routes; the admin paths under ADMIN_PREFIX go straight through. A fault's
write runs the same way as an ordinary request (authentication, then the routes), before its answer (commit
"after"), instead of it ("before": never), or later on the emulator's late-commit thread ("late").
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

import anyio
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._body import MAX_BODY_BYTES
from ._errors import ConnectionDropped, error_response
from ._faults import Fault, Faults
from ._ratelimit import RateLimiter
from ._store import Store

__all__ = ["ADMIN_PREFIX", "USER_KEY", "Gateway", "fault_response"]

ADMIN_PREFIX = "/__emulator__"
# The authenticated user's id, in the ASGI scope the routes receive.
USER_KEY = "clio_emulator.user_id"

# What Cloudflare's own error pages call its 52x statuses.
_CDN_TITLES = {
    520: "Web server is returning an unknown error",
    521: "Web server is down",
    522: "Connection timed out",
    523: "Origin is unreachable",
    524: "A timeout occurred",
    525: "SSL handshake failed",
    526: "Invalid SSL certificate",
    530: "Origin DNS error",
}
_HTML_PAGE = """<!DOCTYPE html>
<html lang="en-US">
<head><meta charset="UTF-8"><title>app.clio.com | {status}: {title}</title></head>
<body>
<div id="cf-error-details">
<h1><span>Error</span> <span>{status}</span></h1>
<h2>{title}</h2>
<p>Ray ID: <strong>0000000000000000</strong> &bull; Performance &amp; security by Cloudflare</p>
</div>
</body>
</html>
"""


def bearer_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return token if scheme.lower() == "bearer" and token else None
    return None


def fault_response(fault: Fault) -> Response:
    """The answer a status fault gives: its status, `Retry-After` when set, and the body `fault.body` names."""
    assert fault.status is not None
    status = fault.status
    headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
    if fault.body == "empty":
        return Response(status_code=status, headers=headers)
    if fault.body == "html":
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        page = _HTML_PAGE.format(status=status, title=_CDN_TITLES.get(status, phrase))
        headers["CF-RAY"] = "0000000000000000-EMU"
        return Response(page, status_code=status, headers=headers, media_type="text/html; charset=UTF-8")
    message = f"Injected fault: {status} for {fault.method} {fault.path}."
    return error_response(status, message, headers)


def _with_headers(send: Send, extra: dict[str, str]) -> Send:
    if not extra:
        return send
    encoded = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *encoded]}
        await send(message)

    return wrapped


def _observed(send: Send, method: str, path: str, answered: Callable[[str, str, int], None]) -> Send:
    async def observed(message: Message) -> None:
        if message["type"] == "http.response.start":
            answered(method, path, message["status"])
        await send(message)

    return observed


async def _drop(send: Send, status: int = 200) -> None:
    # Promise a body, then break the connection: a client sees the response cut short, as when a proxy or the
    # network drops it. The server closes the connection because the app raised after the response started.
    # A 204 or 304 has no body to cut short, so the broken response claims 200 instead.
    await send(
        {
            "type": "http.response.start",
            "status": 200 if status in (204, 304) else status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
        }
    )
    raise ConnectionDropped("connection dropped by an injected fault")


async def _read_body(receive: Receive) -> bytes:
    """The request body (at most one byte past the API's limit, so an oversized one still gets its 413)."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_BODY_BYTES:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away before sending it all
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


class _Captured:
    """A `send` that keeps the response instead of sending it, to replay or replace later."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.status = 500  # if the app raised before answering

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        self.messages.append(message)

    async def replay(self, send: Send) -> None:
        for message in self.messages:
            await send(message)


class Gateway:
    """ASGI middleware; `counter` is called once per request to a Clio path, `in_flight(+1/-1)` around it,
    `latency()` gives the seconds to wait before handling it, and `answered(method, path, status)` is told the
    status each one was answered with (not called for a request whose answer never started)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        store: Store,
        faults: Faults,
        limiter: Callable[[], RateLimiter | None],
        counter: Callable[[], None],
        latency: Callable[[], float] | None = None,
        in_flight: Callable[[int], None] | None = None,
        answered: Callable[[str, str, int], None] | None = None,
    ) -> None:
        self.app = app
        self.store = store
        self.faults = faults
        self.limiter = limiter
        self.counter = counter
        self.latency = latency
        self.in_flight = in_flight
        self.answered = answered

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        self.counter()
        if self.answered is not None:
            send = _observed(send, scope["method"], scope["path"], self.answered)
        if self.in_flight is None:
            await self._front_door(scope, receive, send)
            return
        self.in_flight(1)
        try:
            await self._front_door(scope, receive, send)
        finally:
            self.in_flight(-1)

    async def _front_door(self, scope: Scope, receive: Receive, send: Send) -> None:
        latency = self.latency() if self.latency is not None else 0.0
        if latency > 0:
            await anyio.sleep(latency)
        limiter = self.limiter()
        if limiter is not None:
            decision = limiter.hit(bearer_token(scope) or "")
            send = _with_headers(send, decision.headers())
            if not decision.allowed:
                message = f"Rate limit exceeded: {decision.limit} requests per {limiter.window:g} seconds."
                response = error_response(429, message, {"Retry-After": str(decision.retry_after)})
                await response(scope, receive, send)
                return
        fault = self.faults.take(scope["method"], scope["path"])
        if fault is None:
            await self._handle(scope, receive, send)
        else:
            await self._with_fault(fault, scope, receive, send)

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The request itself: authenticate, then the routes."""
        token = bearer_token(scope)
        user_id = self.store.user_id_for_token(token) if token else None
        if user_id is None:
            message = "The access token is missing." if token is None else "The access token is invalid or expired."
            await error_response(401, message, {"WWW-Authenticate": 'Bearer realm="Clio"'})(scope, receive, send)
            return
        await self.app({**scope, USER_KEY: user_id}, receive, send)

    async def _answer(self, fault: Fault, scope: Scope, send: Send, handled_status: int = 200) -> None:
        """The fault's answer instead of the real one: a dropped connection or its status."""
        if fault.drop != "none":
            await _drop(send, handled_status)
        await fault_response(fault)(scope, _no_receive, send)

    async def _with_fault(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        if fault.delay:
            await anyio.sleep(fault.delay)
        if fault.commit == "before":
            await self._answer(fault, scope, send)
        elif fault.commit == "late":
            await self._answer_then_commit(fault, scope, receive, send)
        elif not fault.answer_delay and fault.drop == "none" and fault.status is None:
            await self._handle(scope, receive, send)  # nothing to replace: stream the real answer
        else:
            captured = _Captured()
            await self._handle(scope, receive, captured.send)
            if fault.answer_delay:
                await anyio.sleep(fault.answer_delay)
            if fault.drop == "none" and fault.status is None:
                await captured.replay(send)
            else:
                await self._answer(fault, scope, send, captured.status)

    async def _answer_then_commit(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        body = await _read_body(receive)
        original = dict(scope)

        async def apply() -> int:
            captured = _Captured()
            await self._handle(dict(original), _replay(body), captured.send)
            return captured.status

        item = self.faults.commits.hold(scope["method"], scope["path"], fault.commit_delay, apply)
        try:
            await self._answer(fault, scope, send)
        finally:
            self.faults.commits.arm(item)
