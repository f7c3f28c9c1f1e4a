"""The Clio v4 endpoints of the spec, as Starlette routes over the store.

Every route first settles `X-API-VERSION` (410 for a version the emulator does not know) and refuses query
parameters the operation does not take, then answers; successful answers name the version used.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._body import MAX_BODY_BYTES, entry_changes, parse_json
from ._errors import ApiError
from ._fields import FieldSelection, parse_fields, project
from ._gateway import USER_KEY
from ._model import CalendarFilters, EntryFilters, Page
from ._params import CURSOR_ORDER, QueryParams, encode_page_token
from ._spec import FieldCatalog, Spec
from ._store import Store, etag_matches
from ._timefmt import parse_rfc3339
from ._versions import HEADER as VERSION_HEADER
from ._versions import requested_version

__all__ = ["NOT_IMPLEMENTED", "ClioApi"]

_INT64_MAX = 2**63 - 1
_WHO_AM_I = "/api/v4/users/who_am_i.json"
_CALENDARS = "/api/v4/calendars.json"
_CALENDAR = "/api/v4/calendars/{id}.json"
_ENTRIES = "/api/v4/calendar_entries.json"
_ENTRY = "/api/v4/calendar_entries/{id}.json"
_CONTACT = "/api/v4/contacts/{id}.json"
_CALENDAR_ORDERS = ("id(asc)", "id(desc)", "name(asc)", "name(desc)")
_ENTRY_ORDERS = (CURSOR_ORDER,)
_CALENDAR_TYPES = ("AccountCalendar", "AdhocCalendar", "UserCalendar")
_SOURCES = ("web", "mobile")

# Query parameters Clio's published spec documents for these operations that the emulator does not implement. They
# are refused with a 400 naming them, never ignored: a list filtered by one would silently return everything.
# Parameters Clio does not document at all are refused too (a misspelt filter must not list everything either).
NOT_IMPLEMENTED: dict[tuple[str, str], tuple[str, ...]] = {
    # Needs users who are no longer active; every emulated user is.
    ("GET", _CALENDARS): ("filter_inactive_users",),
    # `expanded` needs recurrence rules expanded into occurrences; `owner_entries_across_all_users` needs entries on
    # calendars the user cannot see.
    ("GET", _ENTRIES): ("expanded", "owner_entries_across_all_users"),
    # Filters `custom_field_values`, which the emulated contacts do not have.
    ("GET", _CONTACT): ("custom_field_ids[]",),
}

Handler = Callable[[Request], Awaitable[Response]]


def _user(request: Request) -> int:
    return int(request.scope[USER_KEY])


def _path_id(request: Request, kind: str) -> int:
    record_id = int(request.path_params["id"])
    if not 1 <= record_id <= _INT64_MAX:
        raise ApiError(404, f"{kind} {record_id} was not found.")
    return record_id


def _nested(selection: FieldSelection) -> frozenset[str]:
    return frozenset(name for name, sub in selection if sub is not None)


async def _body(request: Request) -> Any:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiError(413, f"The request body is larger than {MAX_BODY_BYTES} bytes.")
        chunks.append(chunk)
    return parse_json(b"".join(chunks))


def _unmodified_since(record: dict[str, Any], header: str) -> bool:
    """Whether the record was not updated after the IF-MODIFIED-SINCE date; a date that cannot be read is ignored,
    as RFC 9110 says."""
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:  # "-0000": a UTC time from an unknown zone (RFC 5322)
        since = since.replace(tzinfo=UTC)
    updated = parse_rfc3339(str(record.get("updated_at", "")))
    if updated is None:
        return False
    # An HTTP date has whole seconds, so the record's time is compared at that precision.
    return updated // 1_000_000 <= int(since.timestamp())


def _one(request: Request, record: dict[str, Any], selection: FieldSelection, status: int = 200) -> Response:
    """A single record, with its ETag, and IF-NONE-MATCH / IF-MODIFIED-SINCE handling on GET."""
    tag = record["etag"]
    headers = {"ETag": tag}
    if request.method in ("GET", "HEAD"):
        if_none_match = request.headers.get("if-none-match")
        if_modified_since = request.headers.get("if-modified-since")
        # RFC 9110: with IF-NONE-MATCH, IF-MODIFIED-SINCE is not looked at.
        if if_none_match is not None:
            if etag_matches(if_none_match, tag):
                return Response(status_code=304, headers=headers)
        elif if_modified_since is not None and _unmodified_since(record, if_modified_since):
            return Response(status_code=304, headers=headers)
    return JSONResponse({"data": project(record, selection)}, status_code=status, headers=headers)


def _page(
    request: Request,
    records: list[dict[str, Any]],
    selection: FieldSelection,
    total: int,
    page: Page,
    more: bool,
    limit: int,
) -> Response:
    """A list page; its links are the same query (filters, fields, limit, order) moved on, as full URLs."""
    paging: dict[str, str] = {}
    if page.cursor:
        if more and records:
            token = encode_page_token(int(records[-1]["id"]))
            paging["next"] = str(request.url.include_query_params(page_token=token))
    else:
        if page.offset > 0:
            paging["previous"] = str(request.url.include_query_params(offset=max(0, page.offset - limit)))
        if more:
            # Past the first 10,000 records this link is answered 422, as Clio's is.
            paging["next"] = str(request.url.include_query_params(offset=page.offset + page.limit))
    meta: dict[str, Any] = {"paging": paging, "records": total}
    return JSONResponse({"data": [project(r, selection) for r in records], "meta": meta})


class ClioApi:
    """The routes for every operation in the spec; the user id comes from the gateway."""

    def __init__(self, store: Store, spec: Spec) -> None:
        self.store = store
        self.spec = spec
        self.catalogs: dict[str, FieldCatalog] = {
            name: spec.catalog(name) for name in ("User", "Calendar", "CalendarEntry", "Contact")
        }

    def routes(self) -> list[Route]:
        return [
            Route(_WHO_AM_I, self._gate(_WHO_AM_I, self.who_am_i), methods=["GET"]),
            Route(_CALENDARS, self._gate(_CALENDARS, self.list_calendars), methods=["GET"]),
            Route("/api/v4/calendars/{id:int}.json", self._gate(_CALENDAR, self.get_calendar), methods=["GET"]),
            Route(_ENTRIES, self._gate(_ENTRIES, self.entries), methods=["GET", "POST"]),
            Route(
                "/api/v4/calendar_entries/{id:int}.json",
                self._gate(_ENTRY, self.entry),
                methods=["GET", "PATCH", "DELETE"],
            ),
            Route("/api/v4/contacts/{id:int}.json", self._gate(_CONTACT, self.get_contact), methods=["GET"]),
        ]

    def _gate(self, path: str, handler: Handler) -> Handler:
        """`handler` behind the version and query-parameter checks; its answers name the version used."""
        methods = self.spec.document["paths"][path]
        allowed = {
            method.upper(): self.spec.query_parameters(method, path) for method in methods if method != "parameters"
        }

        async def endpoint(request: Request) -> Response:
            version = requested_version(request.headers.get(VERSION_HEADER))
            method = "GET" if request.method == "HEAD" else request.method
            _check_query(request, method, path, allowed.get(method, frozenset()))
            response = await handler(request)
            response.headers[VERSION_HEADER] = version
            return response

        return endpoint

    def _fields(self, request: Request, schema: str) -> FieldSelection:
        return parse_fields(request.query_params.get("fields"), self.catalogs[schema])

    async def who_am_i(self, request: Request) -> Response:
        selection = self._fields(request, "User")
        return _one(request, self.store.user(_user(request)), selection)

    async def get_contact(self, request: Request) -> Response:
        selection = self._fields(request, "Contact")
        return _one(request, self.store.contact(_path_id(request, "Contact")), selection)

    async def get_calendar(self, request: Request) -> Response:
        selection = self._fields(request, "Calendar")
        return _one(request, self.store.calendar(_user(request), _path_id(request, "Calendar")), selection)

    async def list_calendars(self, request: Request) -> Response:
        selection = self._fields(request, "Calendar")
        q = QueryParams(request.query_params)
        order = q.choice("order", _CALENDAR_ORDERS)
        page = q.page(order)
        filters = CalendarFilters(
            ids=q.ids("ids[]"),
            owner=q.boolean("owner"),
            writeable=q.boolean("writeable"),
            visible=q.boolean("visible"),
            source=q.choice("source", _SOURCES) or "web",
            type=q.choice("type", _CALENDAR_TYPES),
            created_since_us=q.time("created_since"),
            updated_since_us=q.time("updated_since"),
            order=order or "id(asc)",
        )
        records, total, more = self.store.calendars(_user(request), filters, page)
        return _page(request, records, selection, total, page, more, q.limit())

    async def entries(self, request: Request) -> Response:
        if request.method == "POST":
            return await self._create_entry(request)
        selection = self._fields(request, "CalendarEntry")
        q = QueryParams(request.query_params)
        property_name = q.text("external_property_name")
        property_value = q.text("external_property_value")
        if property_value is not None and property_name is None:
            raise ApiError(400, "Query parameter 'external_property_value' needs 'external_property_name'.")
        page = q.page(q.choice("order", _ENTRY_ORDERS))
        # Clio: "Use the keyword `null` to match those without" a matter.
        without_matter = q.text("matter_id") == "null"
        filters = EntryFilters(
            ids=q.ids("ids[]"),
            calendar_id=q.record_id("calendar_id"),
            from_us=q.time("from"),
            to_us=q.time("to"),
            query=q.text("query"),
            is_all_day=q.boolean("is_all_day"),
            visible=q.boolean("visible"),
            source=q.choice("source", _SOURCES) or "web",
            matter_id=None if without_matter else q.record_id("matter_id"),
            without_matter=without_matter,
            has_court_rule=q.boolean("has_court_rule"),
            property_name=property_name,
            property_value=property_value,
            created_since_us=q.time("created_since"),
            updated_since_us=q.time("updated_since"),
        )
        records, total, more = self.store.entries(_user(request), filters, page, _nested(selection))
        return _page(request, records, selection, total, page, more, q.limit())

    async def _create_entry(self, request: Request) -> Response:
        # `fields` first: a bad one must be refused before anything is written.
        selection = self._fields(request, "CalendarEntry")
        changes = entry_changes(self.spec, "POST", _ENTRIES, await _body(request), creating=True)
        user_id = _user(request)
        entry_id = self.store.create_entry(user_id, changes)
        record = self.store.entry(user_id, entry_id, _nested(selection))
        return JSONResponse({"data": project(record, selection)}, status_code=201, headers={"ETag": record["etag"]})

    async def entry(self, request: Request) -> Response:
        entry_id = _path_id(request, "Calendar entry")
        user_id = _user(request)
        if request.method == "DELETE":
            self.store.delete_entry(user_id, entry_id)
            return Response(status_code=204)
        selection = self._fields(request, "CalendarEntry")
        if request.method == "PATCH":
            changes = entry_changes(self.spec, "PATCH", _ENTRY, await _body(request), creating=False)
            self.store.update_entry(user_id, entry_id, changes, request.headers.get("if-match"))
        return _one(request, self.store.entry(user_id, entry_id, _nested(selection)), selection)


def _check_query(request: Request, method: str, path: str, allowed: frozenset[str]) -> None:
    """A 400 naming the first query parameter the operation does not take (see NOT_IMPLEMENTED)."""
    for name in sorted(set(request.query_params.keys()) - allowed):
        shown = repr(name[:60] + ("..." if len(name) > 60 else ""))
        if name in NOT_IMPLEMENTED.get((method, path), ()):
            raise ApiError(
                400,
                f"Query parameter {shown} is documented by Clio for {method} {path} but not implemented here.",
            )
        raise ApiError(400, f"Query parameter {shown} is not one {method} {path} takes.")
