"""httpx transports that run the emulator in-process, sync and async, with no socket.

Both translate an injected dropped connection into the httpx transport error a real one gives, and honour the
request's read timeout (httpx's ASGITransport ignores timeouts), so delay faults can make clients time out.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio
import httpx
from anyio.from_thread import BlockingPortal
from starlette.types import ASGIApp

from ._errors import ConnectionDropped

__all__ = ["EmulatorAsyncTransport", "EmulatorTransport", "PortalThread"]

T = TypeVar("T")


def _read_timeout(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout") or {}
    value = timeout.get("read") if isinstance(timeout, dict) else None
    return float(value) if isinstance(value, int | float) else None


class EmulatorAsyncTransport(httpx.AsyncBaseTransport):
    """An `httpx.AsyncBaseTransport` running the app in the caller's event loop."""

    def __init__(self, app: ASGIApp) -> None:
        self._inner = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            with anyio.fail_after(_read_timeout(request)):
                return await self._inner.handle_async_request(request)
        except ConnectionDropped:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a complete response.", request=request
            ) from None
        except TimeoutError:
            raise httpx.ReadTimeout("The emulator did not answer within the read timeout.", request=request) from None


class PortalThread:
    """An event loop on a daemon thread, reached through an anyio blocking portal (as Starlette's TestClient does).

    A daemon thread, so a transport nobody closed cannot keep the interpreter from exiting.
    """

    def __init__(self, name: str = "clio-emulator-portal") -> None:
        self._ready = threading.Event()
        self._portal: BlockingPortal | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
        self._ready.wait()

    def _run(self) -> None:
        async def main() -> None:
            async with BlockingPortal() as portal:
                self._portal = portal
                self._ready.set()
                await portal.sleep_until_stopped()

        anyio.run(main)

    def call(self, func: Callable[[], Awaitable[T]]) -> T:
        """Run `func()` on the loop; blocks the calling thread (never the loop's own) until it is done."""
        assert self._portal is not None
        return self._portal.call(func)

    def start_soon(self, func: Callable[[T], Awaitable[object]], arg: T) -> None:
        """Start `func(arg)` on the loop without waiting for it; from any thread but the loop's own."""
        assert self._portal is not None
        self._portal.start_task_soon(func, arg)

    def stop(self, cancel: bool = False) -> None:
        """Stop the loop once its tasks are done (`cancel`: cancel them first) and join the thread."""
        if self._portal is not None:
            self._portal.call(self._portal.stop, cancel)
        self._thread.join()


class EmulatorTransport(httpx.BaseTransport):
    """A sync `httpx.BaseTransport`: each request runs the app on a private event-loop thread.

    Safe to share between threads; `close()` (or closing the httpx.Client that owns it) stops the thread.
    """

    def __init__(self, app: ASGIApp) -> None:
        self._async = EmulatorAsyncTransport(app)
        self._lock = threading.Lock()
        self._loop: PortalThread | None = None
        self._closed = False

    def _portal(self) -> PortalThread:
        with self._lock:
            if self._closed:
                raise RuntimeError("this emulator transport is closed")
            if self._loop is None:
                self._loop = PortalThread()
            return self._loop

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # the body as bytes, which the async transport can stream too

        async def exchange() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            response = await self._async.handle_async_request(request)
            content = await response.aread()
            return response.status_code, response.headers.raw, content

        status, headers, content = self._portal().call(exchange)
        return httpx.Response(status, headers=headers, content=content)

    def close(self) -> None:
        with self._lock:
            loop, self._loop, self._closed = self._loop, None, True
        if loop is not None:
            loop.stop()
