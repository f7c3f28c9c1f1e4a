"""The Clio v4 endpoints of the spec, as Starlette routes over the store."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._body import MAX_BODY_BYTES, entry_changes, parse_json
from ._errors import ApiError
from ._fields import FieldSelection, parse_fields, project
from ._gateway import USER_KEY
from ._model import CalendarFilters, EntryFilters
from ._params import QueryParams, encode_page_token
from ._spec import FieldCatalog, Spec
from ._store import Store, etag_matches

__all__ = ["ClioApi"]

_INT64_MAX = 2**63 - 1
_ENTRIES = "/api/v4/calendar_entries.json"
_ENTRY = "/api/v4/calendar_entries/{id}.json"
_CALENDAR_ORDERS = ("id(asc)", "id(desc)", "name(asc)", "name(desc)")
_CALENDAR_TYPES = ("AccountCalendar", "AdhocCalendar", "UserCalendar")


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


def _one(request: Request, record: dict[str, Any], selection: FieldSelection, status: int = 200) -> Response:
    """A single record, with its ETag and IF-NONE-MATCH handling on GET."""
    tag = record["etag"]
    headers = {"ETag": tag}
    if request.method in ("GET", "HEAD"):
        if_none_match = request.headers.get("if-none-match")
        if if_none_match is not None and etag_matches(if_none_match, tag):
            return Response(status_code=304, headers=headers)
    return JSONResponse({"data": project(record, selection)}, status_code=status, headers=headers)


def _page(
    request: Request, records: list[dict[str, Any]], selection: FieldSelection, total: int, next_position: int | None
) -> Response:
    meta: dict[str, Any] = {"paging": {}, "records": total}
    if next_position is not None:
        # The same query (filters, fields, limit) with the next page's token, as a full URL.
        meta["paging"]["next"] = str(request.url.include_query_params(page_token=encode_page_token(next_position)))
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
            Route("/api/v4/users/who_am_i.json", self.who_am_i, methods=["GET"]),
            Route("/api/v4/calendars.json", self.list_calendars, methods=["GET"]),
            Route("/api/v4/calendars/{id:int}.json", self.get_calendar, methods=["GET"]),
            Route(_ENTRIES, self.entries, methods=["GET", "POST"]),
            Route("/api/v4/calendar_entries/{id:int}.json", self.entry, methods=["GET", "PATCH", "DELETE"]),
            Route("/api/v4/contacts/{id:int}.json", self.get_contact, methods=["GET"]),
        ]

    def _fields(self, request: Request, schema: str) -> FieldSelection:
        return parse_fields(request.query_params.get("fields"), self.catalogs[schema])

    async def who_am_i(self, request: Request) -> Response:
        selection = self._fields(request, "User")
        record = self.store.user(_user(request))
        return JSONResponse({"data": project(record, selection)})

    async def get_contact(self, request: Request) -> Response:
        selection = self._fields(request, "Contact")
        return _one(request, self.store.contact(_path_id(request, "Contact")), selection)

    async def get_calendar(self, request: Request) -> Response:
        selection = self._fields(request, "Calendar")
        return _one(request, self.store.calendar(_user(request), _path_id(request, "Calendar")), selection)

    async def list_calendars(self, request: Request) -> Response:
        selection = self._fields(request, "Calendar")
        q = QueryParams(request.query_params)
        q.choice("source", ("web", "mobile"))  # accepted and checked; visibility is the same for both sources
        filters = CalendarFilters(
            owner=q.boolean("owner"),
            writeable=q.boolean("writeable"),
            visible=q.boolean("visible"),
            type=q.choice("type", _CALENDAR_TYPES),
            created_since_us=q.time("created_since"),
            updated_since_us=q.time("updated_since"),
            order=q.choice("order", _CALENDAR_ORDERS) or "id(asc)",
        )
        limit = q.limit()
        offset = q.page_position()
        records, total = self.store.calendars(_user(request), filters, offset, limit)
        more = offset + len(records) < total
        return _page(request, records, selection, total, offset + limit if more else None)

    async def entries(self, request: Request) -> Response:
        if request.method == "POST":
            return await self._create_entry(request)
        selection = self._fields(request, "CalendarEntry")
        q = QueryParams(request.query_params)
        property_name = q.text("external_property_name")
        property_value = q.text("external_property_value")
        if property_value is not None and property_name is None:
            raise ApiError(400, "Query parameter 'external_property_value' needs 'external_property_name'.")
        filters = EntryFilters(
            calendar_id=q.record_id("calendar_id"),
            from_us=q.time("from"),
            to_us=q.time("to"),
            query=q.text("query"),
            is_all_day=q.boolean("is_all_day"),
            visible=q.boolean("visible"),
            matter_id=q.record_id("matter_id"),
            property_name=property_name,
            property_value=property_value,
            created_since_us=q.time("created_since"),
            updated_since_us=q.time("updated_since"),
        )
        limit = q.limit()
        records, total, more = self.store.entries(_user(request), filters, q.page_position(), limit, _nested(selection))
        next_position = int(records[-1]["id"]) if more and records else None
        return _page(request, records, selection, total, next_position)

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
