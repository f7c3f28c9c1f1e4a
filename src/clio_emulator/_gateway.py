"""The front door for Clio paths: count the request, rate-limit it, apply faults, authenticate it.

Runs as ASGI middleware in front of the routes; the admin paths under ADMIN_PREFIX go straight through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._errors import ConnectionDropped, error_response
from ._faults import Fault, Faults
from ._ratelimit import RateLimiter
from ._store import Store

__all__ = ["ADMIN_PREFIX", "USER_KEY", "Gateway"]

ADMIN_PREFIX = "/__emulator__"
# The authenticated user's id, in the ASGI scope the routes receive.
USER_KEY = "clio_emulator.user_id"


def bearer_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return token if scheme.lower() == "bearer" and token else None
    return None


def _with_headers(send: Send, extra: dict[str, str]) -> Send:
    if not extra:
        return send
    encoded = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *encoded]}
        await send(message)

    return wrapped


async def _drop(send: Send, status: int = 200) -> None:
    # Promise a body, then break the connection: a client sees the response cut short, as when a proxy or the
    # network drops it. The server closes the connection because the app raised after the response started.
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
        }
    )
    raise ConnectionDropped("connection dropped by an injected fault")


class Gateway:
    """ASGI middleware; `counter` is called once per request to a Clio path."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        store: Store,
        faults: Faults,
        limiter: Callable[[], RateLimiter | None],
        counter: Callable[[], None],
    ) -> None:
        self.app = app
        self.store = store
        self.faults = faults
        self.limiter = limiter
        self.counter = counter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        self.counter()
        token = bearer_token(scope)
        limiter = self.limiter()
        if limiter is not None:
            decision = limiter.hit(token or "")
            send = _with_headers(send, decision.headers())
            if not decision.allowed:
                message = f"Rate limit exceeded: {decision.limit} requests per {limiter.window:g} seconds."
                response = error_response(429, message, {"Retry-After": str(decision.retry_after)})
                await response(scope, receive, send)
                return
        fault = self.faults.take(scope["method"], scope["path"])
        if fault is not None and await self._fault_answered(fault, scope, receive, send):
            return
        user_id = self.store.user_id_for_token(token) if token else None
        if user_id is None:
            message = "The access token is missing." if token is None else "The access token is invalid or expired."
            await error_response(401, message, {"WWW-Authenticate": 'Bearer realm="Clio"'})(scope, receive, send)
            return
        scope = {**scope, USER_KEY: user_id}
        if fault is not None and fault.drop == "after_commit":
            await self._run_then_drop(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _fault_answered(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> bool:
        """Apply the parts of `fault` that come before the request is handled; True if it was answered."""
        if fault.delay:
            await anyio.sleep(fault.delay)
        if fault.drop == "before_commit":
            await _drop(send)
        if fault.drop == "none" and fault.status is not None:
            headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
            message = f"Injected fault: {fault.status} for {fault.method} {fault.path}."
            await error_response(fault.status, message, headers)(scope, receive, send)
            return True
        return False

    async def _run_then_drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        status: dict[str, Any] = {"code": 200}

        async def swallow(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]

        await self.app(scope, receive, swallow)
        # A 204 or 304 has no body to cut short, so the broken response claims 200 instead.
        await _drop(send, 200 if status["code"] in (204, 304) else status["code"])
