"""Shared pieces for the contract tests: the emulator in-process or served, and emulators that break the spec."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clio_emulator import SEED, Emulator, create_app, serve_in_thread

TOKEN = SEED.token
AUTH = f"Bearer {TOKEN}"
CONTACTS = (SEED.jane.id, SEED.john.id)


def workspace_client(emulator: Emulator) -> httpx.Client:
    """An httpx client to the emulator in-process, signed in as the seeded user."""
    return httpx.Client(base_url=emulator.base_url, transport=emulator.transport(), headers={"Authorization": AUTH})


class RecordingApp:
    """Passes requests through to `app`, remembering the method and path of each."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.requests: list[tuple[str, str]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.requests.append((scope["method"], scope["path"]))
        await self.app(scope, receive, send)


Rewrite = Callable[[str, str, Any], Any]


class RewritingApp:
    """Answers as `app` does, but JSON bodies pass through `rewrite(method, path, document)` first: a server that
    breaks the spec on purpose."""

    def __init__(self, app: ASGIApp, rewrite: Rewrite) -> None:
        self.app = app
        self.rewrite = rewrite

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            is_json = any(k.lower() == b"content-type" and b"json" in v for k, v in start.get("headers", []))
            if body and is_json:
                body = json.dumps(self.rewrite(scope["method"], scope["path"], json.loads(body))).encode()
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


def entry_id_as_integer(method: str, path: str, document: Any) -> Any:
    """The deliberate break: a calendar entry's `id` (a string in the spec) comes back as an integer."""
    if path.startswith("/api/v4/calendar_entries") and isinstance(document, dict):
        data = document.get("data")
        for entry in data if isinstance(data, list) else [data]:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"].isdigit():
                entry["id"] = int(entry["id"])
    return document


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    emulator: Emulator = create_app(rate_limit=None).state.emulator
    try:
        yield emulator
    finally:
        emulator.close()


@pytest.fixture
def serve() -> Iterator[Callable[[ASGIApp], str]]:
    """Serve an ASGI app with uvicorn on a free 127.0.0.1 port; returns its base URL; stopped after the test."""
    from contextlib import ExitStack

    with ExitStack() as stack:

        def start(app: ASGIApp) -> str:
            return stack.enter_context(serve_in_thread(app))

        yield start
