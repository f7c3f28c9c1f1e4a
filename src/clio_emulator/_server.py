"""Serving the emulator over a real socket with uvicorn: in a background thread (tests), or in the foreground."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp

from ._errors import ConnectionDropped

__all__ = ["base_url_for", "bind", "hide_dropped_connection_errors", "serve_in_thread", "tls_config"]

_STARTUP_TIMEOUT = 15.0


class _HideDroppedConnections(logging.Filter):
    """Uvicorn logs an app exception with a traceback; an injected dropped connection is not an error, and neither is
    a client that gave up (timed out) before its body was read, as happens under a delay fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, ConnectionDropped | ClientDisconnect)


def hide_dropped_connection_errors() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideDroppedConnections) for f in logger.filters):
        logger.addFilter(_HideDroppedConnections())


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready socket on host:port (port 0 picks a free one); OSError if it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio turns Nagle's algorithm off (TCP_NODELAY) only for sockets whose protocol says
    # TCP, and with protocol 0 every small response waited ~40 ms for a delayed acknowledgement.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def base_url_for(sock: socket.socket, *, tls: bool = False) -> str:
    """The base URL clients use for a socket from `bind`: `http://host:port` (`https` with `tls`), IPv6 in brackets."""
    host, port = sock.getsockname()[:2]
    scheme = "https" if tls else "http"
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


def tls_config(app: ASGIApp, server_pem: str | os.PathLike[str] | None, **options: Any) -> uvicorn.Config:
    """A uvicorn config for `app`, over TLS with `server_pem` (key and certificate chain, see loopback_tls) when
    given; loaded, so that the emulator can report the TLS handshakes its SSL context made."""
    if server_pem is not None:
        options.update(ssl_certfile=os.fspath(server_pem), ssl_keyfile=os.fspath(server_pem))
    config = uvicorn.Config(app, **options)
    config.load()
    emulator = getattr(getattr(app, "state", None), "emulator", None)
    if server_pem is not None and emulator is not None:
        emulator.tls_context = config.ssl
    return config


@contextmanager
def serve_in_thread(
    app: ASGIApp, host: str = "127.0.0.1", port: int = 0, *, server_pem: str | os.PathLike[str] | None = None
) -> Iterator[str]:
    """Serve `app` with uvicorn on a background thread; yields the base URL, stops the server on exit. With
    `server_pem` (see loopback_tls) it serves HTTPS."""
    sock = bind(host, port)
    # A short drain: a request stalled by a delay fault must not hold up the end of a test.
    config = tls_config(
        app, server_pem, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="clio-emulator-server", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + _STARTUP_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the emulator server did not start")
            time.sleep(0.01)
        yield base_url_for(sock, tls=server_pem is not None)
    finally:
        server.should_exit = True
        thread.join(_STARTUP_TIMEOUT)
        sock.close()
