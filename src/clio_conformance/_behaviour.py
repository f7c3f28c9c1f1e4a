"""Clio's documented behaviour that a schema cannot express: its two paging modes and `X-API-VERSION`.

Paging, from Clio's Pagination guide (docs.developers.clio.com/api-docs/paging): with `order=id(asc)` and no
`offset`, `meta.paging.next` is a full URL carrying `page_token` (cursor paging, no record limit); without it, the
link carries `offset` (offset paging), and a page past the first 10,000 records is answered 422 ArgumentError.
Versioning, from the "Minor Versions" section of Clio's spec and its API Versioning Policy: a request without
`X-API-VERSION` gets the default version; a known version is served; an invalid one is answered 410 Gone; every
successful response names the version used in its own `X-API-VERSION`.

Every check works against any base URL (the emulator or a real account) with few requests, since Clio allows a
token 50 a minute. Links are followed by their query only, on the run's own base URL, so a link naming another
host never receives the token.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from ._pacing import RateLimitWaits
from ._results import Outcome, TestResult

__all__ = ["SUITE", "Behaviour"]

SUITE = "behaviour"
CALENDARS = "/api/v4/calendars.json"
ENTRIES = "/api/v4/calendar_entries.json"
WHO_AM_I = "/api/v4/users/who_am_i.json"
CURSOR_ORDER = "id(asc)"
OFFSET_RECORD_LIMIT = 10_000
# Never a v4 minor version ("Versions are of the form '4.X.Y'").
UNKNOWN_VERSION = "0.0.0"
# Pages followed per list at most: enough to see the links work, few enough for a rate-limited token.
_MAX_PAGES = 4


class Failed(AssertionError):
    """The server does not do what Clio documents."""


class _Skip(Exception):
    """The account has too little data for the check to mean anything."""


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise Failed(f"HTTP {response.status_code} with a body that is not JSON") from None


def _expect_status(response: httpx.Response, *statuses: int) -> Any:
    if response.status_code not in statuses:
        body = response.text[:300].strip()
        raise Failed(
            f"{response.request.method} {response.request.url.path} answered HTTP {response.status_code}"
            f" (expected {' or '.join(map(str, statuses))}): {body}"
        )
    return _json(response) if response.content else None


class Behaviour:
    """The checks; `http` is the run's client (base URL and token set), `waits` its rate-limit pacing."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        spec_version: str,
        waits: RateLimitWaits,
        on_result: Callable[[TestResult], None],
        on_step: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.http = http
        self.spec_version = spec_version
        self.waits = waits
        self.on_result = on_result
        self.on_step = on_step
        self.requests = 0

    # ---- plumbing --------------------------------------------------------------------------------------------------

    def _get(self, path: str, params: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
        def send() -> httpx.Response:
            self.requests += 1
            return self.http.get(path, params=params, headers=headers)

        return self.waits.send(send, lambda r: r.status_code, lambda r: r.headers)

    def _run(self, name: str, check: Callable[[], str]) -> None:
        self.on_step(f"{SUITE}: {name}")
        started, before = time.monotonic(), self.requests
        try:
            message = check()
            outcome = Outcome.PASSED
        except Failed as exc:
            message, outcome = str(exc), Outcome.FAILED
        except _Skip as exc:
            message, outcome = str(exc), Outcome.SKIPPED
        except httpx.HTTPError as exc:
            message, outcome = f"{type(exc).__name__}: {exc}", Outcome.ERROR
        seconds = round(time.monotonic() - started, 3)
        self.on_result(TestResult(SUITE, name, outcome, message, seconds, self.requests - before))

    def _pages(self, path: str, params: dict[str, Any], mode: str) -> tuple[list[int], list[httpx.URL]]:
        """The ids of up to _MAX_PAGES pages, following `meta.paging.next`; and each next link."""
        ids: list[int] = []
        links: list[httpx.URL] = []
        query: Any = params
        for _ in range(_MAX_PAGES):
            body = _expect_status(self._get(path, query), 200)
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise Failed(f"GET {path} answered without a `data` list")
            for record in data:
                record_id = str(record.get("id")) if isinstance(record, dict) else ""
                if not record_id.isdigit():
                    raise Failed(f"GET {path} listed a record without a numeric id: {str(record)[:100]}")
                ids.append(int(record_id))
            paging = (body.get("meta") or {}).get("paging") or {}
            following = paging.get("next")
            if not following:
                break
            link = httpx.URL(str(following))
            _check_link(path, link, params, mode)
            links.append(link)
            query = link.params  # its query only: the run's own host, never the link's
        return ids, links

    # ---- the checks ------------------------------------------------------------------------------------------------

    def run(self, marked: dict[str, str] | None = None) -> None:
        """Every check; `marked` filters entry lists to the run's own entries (needs writes), else they are skipped."""
        self._run("paging :: calendars by cursor with order=id(asc)", lambda: self._cursor(CALENDARS, {}))
        self._run("paging :: calendars by offset without order", lambda: self._offset(CALENDARS, {}, None))
        self._run(
            "paging :: calendars by offset with order=id(asc) and offset=0",
            lambda: self._offset(CALENDARS, {}, CURSOR_ORDER),
        )
        if marked is None:
            skipped = "needs --allow-writes (the run's own entries make the pages)"
            for name in ("cursor", "offset"):
                self.on_result(TestResult(SUITE, f"paging :: calendar entries by {name}", Outcome.SKIPPED, skipped))
        else:
            self._run("paging :: calendar entries by cursor", lambda: self._cursor(ENTRIES, marked))
            self._run("paging :: calendar entries by offset", lambda: self._offset(ENTRIES, marked, None))
        self._run("paging :: offset paging stops at 10,000 records", self._offset_limit)
        self._run("X-API-VERSION :: none asks for the default version", self._default_version)
        self._run(f"X-API-VERSION :: {self.spec_version} (the spec's) is served and named", self._spec_version)
        self._run("X-API-VERSION :: an unknown version is 410 Gone", self._unknown_version)

    def _cursor(self, path: str, filters: dict[str, str]) -> str:
        params = {**filters, "order": CURSOR_ORDER, "limit": "1", "fields": "id"}
        ids, links = self._pages(path, params, "cursor")
        if len(ids) < 2:
            raise _Skip(f"only {len(ids)} record(s) to list, so there is no second page")
        if ids != sorted(set(ids)):
            raise Failed(f"cursor pages are not in ascending id order without repeats: {ids}")
        return f"{len(links) + 1} pages by page_token, ids ascending"

    def _offset(self, path: str, filters: dict[str, str], order: str | None) -> str:
        params: dict[str, str] = {**filters, "limit": "1", "fields": "id"}
        if order is not None:
            params.update(order=order, offset="0")
        ids, links = self._pages(path, params, "offset")
        if len(ids) < 2:
            raise _Skip(f"only {len(ids)} record(s) to list, so there is no second page")
        offsets = [link.params.get("offset") for link in links]
        if offsets != [str(n) for n in range(1, len(links) + 1)]:
            raise Failed(f"the next links' offsets are {offsets}, not 1, 2, ...")
        if len(ids) != len(set(ids)):
            raise Failed(f"offset pages repeat records: {ids}")
        return f"{len(links) + 1} pages by offset"

    def _offset_limit(self) -> str:
        response = self._get(CALENDARS, {"offset": str(OFFSET_RECORD_LIMIT), "limit": "1", "fields": "id"})
        body = _expect_status(response, 422)
        error = body.get("error") if isinstance(body, dict) else None
        kind = error.get("type") if isinstance(error, dict) else None
        if kind != "ArgumentError":
            raise Failed(f"offset={OFFSET_RECORD_LIMIT} answered 422 with error type {kind!r}, not 'ArgumentError'")
        return "422 ArgumentError"

    def _default_version(self) -> str:
        response = self._get(WHO_AM_I, {"fields": "id"})
        _expect_status(response, 200)
        named = response.headers.get("X-API-VERSION")
        if not named or not named.startswith("4."):
            raise Failed(f"a successful answer names no 4.X.Y version in X-API-VERSION (got {named!r})")
        note = "" if named == self.spec_version else f"; the spec describes {self.spec_version}"
        return f"default version {named}{note}"

    def _spec_version(self) -> str:
        response = self._get(WHO_AM_I, {"fields": "id"}, {"X-API-VERSION": self.spec_version})
        _expect_status(response, 200)
        named = response.headers.get("X-API-VERSION")
        if named != self.spec_version:
            raise Failed(f"asked for {self.spec_version}, the answer names {named!r}")
        return f"served as {named}"

    def _unknown_version(self) -> str:
        response = self._get(WHO_AM_I, {"fields": "id"}, {"X-API-VERSION": UNKNOWN_VERSION})
        _expect_status(response, 410)
        return "410 Gone"


def _check_link(path: str, link: httpx.URL, params: dict[str, Any], mode: str) -> None:
    """A next link as Clio's guide shows it: a full URL to the same list, the same query, moved on by its mode."""
    if not link.is_absolute_url or link.path != path:
        raise Failed(f"meta.paging.next is not a full URL of {path}: {link}")
    query = link.params
    for name, value in params.items():
        if name != "offset" and query.get(name) != str(value):
            raise Failed(f"meta.paging.next dropped or changed {name}={value}: {link}")
    if mode == "cursor" and (not query.get("page_token") or "offset" in query):
        raise Failed(f"with order={CURSOR_ORDER} and no offset the next link must carry page_token, not offset: {link}")
    if mode == "offset" and ("page_token" in query or not query.get("offset")):
        raise Failed(f"offset paging's next link must carry offset, not page_token: {link}")
