"""The conformance suite's checks of Clio's paging modes and X-API-VERSION: they pass against the emulator, and they
fail against servers that page or version the way Clio does not (the emulator as it used to be, among them)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clio_conformance import MARKER_PROPERTY, Behaviour, Outcome, RateLimitWaits, TestResult, Workspace
from clio_emulator import Emulator, EmulatorTransport

from .conftest import AUTH, CONTACTS, RewritingApp

SPEC_VERSION = "4.0.9"


def run(app: ASGIApp, emulator: Emulator, *, writes: bool = True) -> dict[str, TestResult]:
    results: list[TestResult] = []
    headers = {"Authorization": AUTH}
    with httpx.Client(base_url=emulator.base_url, transport=EmulatorTransport(app), headers=headers) as http:
        marked = None
        if writes:
            # Entries the run made, as the runner makes them (straight to the emulator, unbroken).
            with httpx.Client(base_url=emulator.base_url, transport=emulator.transport(), headers=headers) as direct:
                workspace = Workspace(direct, contact_ids=CONTACTS)
                for _ in range(3):
                    workspace.new_entry()
            marked = {"external_property_name": MARKER_PROPERTY, "external_property_value": workspace.run_id}
        Behaviour(http, spec_version=SPEC_VERSION, waits=RateLimitWaits(), on_result=results.append).run(marked)
    return {r.name: r for r in results}


def outcomes(results: dict[str, TestResult]) -> dict[str, Outcome]:
    return {name: r.outcome for name, r in results.items()}


def test_the_emulator_passes_every_check(emulator: Emulator) -> None:
    results = run(emulator.app, emulator)
    assert set(outcomes(results).values()) == {Outcome.PASSED}, {n: r.message for n, r in results.items()}
    assert len(results) == 9
    assert results["paging :: calendar entries by cursor"].message == "3 pages by page_token, ids ascending"
    assert results["paging :: calendar entries by offset"].message == "3 pages by offset"
    assert results["X-API-VERSION :: none asks for the default version"].message == "default version 4.0.9"
    # Few requests: a real account allows 50 a minute.
    assert sum(r.count for r in results.values()) <= 20


def test_without_writes_entry_paging_is_skipped(emulator: Emulator) -> None:
    results = outcomes(run(emulator.app, emulator, writes=False))
    assert results["paging :: calendar entries by cursor"] is Outcome.SKIPPED
    assert results["paging :: calendars by cursor with order=id(asc)"] is Outcome.PASSED


def _page_tokens_whatever_is_asked(method: str, path: str, document: Any) -> Any:
    """The emulator before issue 11: every next link carries a page_token, whatever the order."""
    paging = document.get("meta", {}).get("paging", {}) if isinstance(document, dict) else {}
    following = paging.get("next")
    if following:
        url = httpx.URL(following)
        offset = url.params.get("offset")
        if offset is not None:
            paging["next"] = str(url.copy_remove_param("offset").copy_add_param("page_token", f"p{offset}"))
    return document


def _offset_links_only(method: str, path: str, document: Any) -> Any:
    """A server that pages by offset even when asked for order=id(asc)."""
    paging = document.get("meta", {}).get("paging", {}) if isinstance(document, dict) else {}
    following = paging.get("next")
    if following and "page_token" in httpx.URL(following).params:
        paging["next"] = str(httpx.URL(following).copy_remove_param("page_token").copy_add_param("offset", "1"))
    return document


def _relative_links(method: str, path: str, document: Any) -> Any:
    paging = document.get("meta", {}).get("paging", {}) if isinstance(document, dict) else {}
    if paging.get("next"):
        url = httpx.URL(paging["next"])
        paging["next"] = url.raw_path.decode()
    return document


@pytest.mark.parametrize(
    ("rewrite", "failing"),
    [
        (
            _page_tokens_whatever_is_asked,
            {
                "paging :: calendars by offset without order",
                "paging :: calendars by offset with order=id(asc) and offset=0",
                "paging :: calendar entries by offset",
            },
        ),
        (
            _offset_links_only,
            {"paging :: calendars by cursor with order=id(asc)", "paging :: calendar entries by cursor"},
        ),
        (
            _relative_links,
            {
                "paging :: calendars by cursor with order=id(asc)",
                "paging :: calendars by offset without order",
                "paging :: calendars by offset with order=id(asc) and offset=0",
                "paging :: calendar entries by cursor",
                "paging :: calendar entries by offset",
            },
        ),
    ],
)
def test_paging_checks_catch_a_server_that_pages_otherwise(emulator: Emulator, rewrite: Any, failing: set[str]) -> None:
    results = outcomes(run(RewritingApp(emulator.app, rewrite), emulator))
    assert {name for name, outcome in results.items() if outcome is Outcome.FAILED} == failing


class IgnoresVersions:
    """A server that knows nothing of X-API-VERSION: never reads it, never names one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() != b"x-api-version"]}

        async def strip(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message["headers"] if k.lower() != b"x-api-version"]
                message = {**message, "headers": kept}
            await send(message)

        await self.app(scope, receive, strip)


class NoOffsetLimit:
    """A server that answers any offset (no 10,000-record limit)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = scope["query_string"].replace(b"offset=10000", b"offset=0")
            scope = {**scope, "query_string": query}
        await self.app(scope, receive, send)


def test_version_checks_catch_a_server_without_versions(emulator: Emulator) -> None:
    results = outcomes(run(IgnoresVersions(emulator.app), emulator, writes=False))
    assert {name for name, outcome in results.items() if outcome is Outcome.FAILED} == {
        "X-API-VERSION :: none asks for the default version",
        "X-API-VERSION :: 4.0.9 (the spec's) is served and named",
        "X-API-VERSION :: an unknown version is 410 Gone",
    }


def test_the_offset_limit_check_catches_a_server_without_one(emulator: Emulator) -> None:
    results = outcomes(run(NoOffsetLimit(emulator.app), emulator, writes=False))
    assert {name for name, outcome in results.items() if outcome is Outcome.FAILED} == {
        "paging :: offset paging stops at 10,000 records"
    }
