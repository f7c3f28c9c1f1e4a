"""Fixtures for the facade tests: a small stateful fake Clio behind httpx.MockTransport, a runner that drives
ClioCalendar and AsyncClioCalendar through the same calls, and the spec's request schemas as validators."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import jsonschema
import pytest
import referencing
import yaml

import clio_appointments._client as client_module
from clio_appointments import AsyncClioCalendar, ClioCalendar
from clio_appointments._calendar_cache import SHARED_CACHE
from clio_appointments._pacing import clear_pacers
from clio_appointments._transport import TransportPolicy

SPEC_PATH = __import__("pathlib").Path(__file__).resolve().parents[2] / "openapi" / "clio-v4-calendar.yaml"
TOKEN = "facade-secret-token-4b1d"
AUTH = f"Bearer {TOKEN}"
ENTRIES = "/api/v4/calendar_entries.json"
CALENDARS = "/api/v4/calendars.json"
CONTACTS = "/api/v4/contacts/"


# ---- the spec's request schemas -------------------------------------------------------------------------------------


def _load_validators() -> dict[str, jsonschema.protocols.Validator]:
    spec = yaml.safe_load(SPEC_PATH.read_text())
    resource = referencing.Resource.from_contents(spec, default_specification=referencing.jsonschema.DRAFT202012)
    registry = referencing.Registry().with_resource("urn:clio-spec", resource)
    cls = jsonschema.Draft202012Validator
    return {
        name: cls(
            {"$ref": f"urn:clio-spec#/components/schemas/{name}"},
            registry=registry,
            format_checker=cls.FORMAT_CHECKER,
        )
        for name in ("CalendarEntryCreateRequest", "CalendarEntryUpdateRequest")
    }


VALIDATORS = _load_validators()


def assert_valid(schema: str, body: Any) -> None:
    """Fails with every violation when `body` does not satisfy the spec's `schema`."""
    errors = sorted(VALIDATORS[schema].iter_errors(body), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


# ---- a fake Clio ---------------------------------------------------------------------------------------------------


def _error(status: int, kind: str, message: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"error": {"type": kind, "message": message}}, headers=headers)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class Fault:
    """Answer the next request matching `method` and `path` with `outcome` (a response or an exception to raise).

    With `commit=True`, the request is first handled normally (the entry is created), then the answer is replaced:
    the "Clio did it but the caller never heard" case. With `commit="late"`, the answer goes out first and the
    request is handled only when the test calls `FakeClio.land()`: a write that commits after the caller gave up.
    """

    method: str
    path: str
    outcome: httpx.Response | Exception
    commit: bool | str = False


@dataclass
class FakeClio:
    """The endpoints the facade uses, with Clio's envelope, filters, paging and errors. Every write body is checked
    against the spec's request schema; a violation fails the test."""

    calendars: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {"id": 101, "owner": True, "writeable": True, "visible": True, "type": "UserCalendar"},
            {"id": 55, "owner": False, "writeable": False, "visible": True, "type": "UserCalendar"},
        ]
    )
    contacts: dict[int, str] = field(default_factory=lambda: {201: "Jane Smith", 202: "John Doe", 42: "Ann Answer"})
    users: dict[int, str] = field(default_factory=lambda: {9: "Ada Lovelace"})
    page_size: int = 200
    requests: list[httpx.Request] = field(default_factory=list)
    entries: dict[int, dict[str, Any]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    next_id: int = 5000
    # Requests answered but not yet applied (faults with commit="late"), and when to apply them on their own.
    pending: list[tuple[httpx.Request, int | None]] = field(default_factory=list)
    land_before: str | None = None
    # As a relational database numbers rows: a late write takes its id when it arrives, and shows when it commits.
    ids_at_insert: bool = False
    _reserved: int | None = None

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def fail(self, method: str, path: str, outcome: httpx.Response | Exception, *, commit: bool | str = False) -> None:
        self.faults.append(Fault(method, path, outcome, commit))

    def land(self) -> int:
        """Apply the late writes now, oldest first; how many there were."""
        landed, self.pending = self.pending, []
        for request, reserved in landed:
            self._reserved = reserved
            self._route(request)
            self._reserved = None
        return len(landed)

    def calls(self, method: str | None = None, path: str | None = None) -> list[httpx.Request]:
        return [
            r for r in self.requests if (method is None or r.method == method) and (path is None or r.url.path == path)
        ]

    def bodies(self, method: str) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.calls(method)]

    def add_entry(self, **fields: Any) -> dict[str, Any]:
        entry_id = self._reserved
        if entry_id is None:
            entry_id = self.next_id
            self.next_id += 1
        entry = {
            "id": str(entry_id),
            "etag": f'"{entry_id}"',
            "summary": "Existing",
            "description": "",
            "start_at": "2024-03-15T14:00:00Z",
            "end_at": "2024-03-15T15:00:00Z",
            "all_day": False,
            "attendees": [],
            "external_properties": [],
            "calendar_owner_id": 101,
        }
        entry.update(fields)
        self.entries[entry_id] = entry
        return entry

    # -- dispatch -------------------------------------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.land_before == request.method:
            self.land_before = None
            self.land()
        for fault in self.faults:
            if fault.method == request.method and fault.path == request.url.path:
                self.faults.remove(fault)
                if fault.commit == "late":
                    reserved = None
                    if self.ids_at_insert:
                        reserved, self.next_id = self.next_id, self.next_id + 1
                    self.pending.append((request, reserved))
                elif fault.commit:
                    self._route(request)
                if isinstance(fault.outcome, Exception):
                    raise fault.outcome
                return fault.outcome
        return self._route(request)

    def _route(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != AUTH:
            return _error(401, "Unauthorized", "The access token is invalid")
        path, method = request.url.path, request.method
        if path == CALENDARS and method == "GET":
            return self._list_calendars(request)
        if path == ENTRIES and method == "GET":
            return self._list_entries(request)
        if path == ENTRIES and method == "POST":
            return self._create(request)
        if path.startswith(CONTACTS) and path.endswith(".json") and method == "GET":
            raw_id = path.removeprefix(CONTACTS).removesuffix(".json")
            name = self.contacts.get(int(raw_id)) if raw_id.isdigit() else None
            if name is None:
                return _error(404, "NotFound", "Contact not found")
            return httpx.Response(200, json={"data": {"id": int(raw_id), "name": name}})
        if path.startswith("/api/v4/calendar_entries/") and path.endswith(".json"):
            raw_id = path.removeprefix("/api/v4/calendar_entries/").removesuffix(".json")
            entry = self.entries.get(int(raw_id)) if raw_id.isdigit() else None
            if entry is None:
                return _error(404, "NotFound", "Calendar entry not found")
            if method == "GET":
                return httpx.Response(200, json={"data": entry})
            if method == "PATCH":
                return self._update(request, entry)
            if method == "DELETE":
                del self.entries[int(raw_id)]
                return httpx.Response(204)
        return _error(404, "NotFound", f"No route for {method} {path}")

    def _list_calendars(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        found = [
            {"id": c["id"]}
            for c in sorted(self.calendars, key=lambda c: -c["id"])
            if all(
                params.get(name) is None or str(c[name]).lower() == params[name]
                for name in ("owner", "writeable", "visible")
            )
            and (params.get("type") is None or c["type"] == params["type"])
        ]
        return httpx.Response(200, json={"data": found[: int(params.get("limit", 200))]})

    def _list_entries(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        found = sorted(self.entries.values(), key=lambda e: int(e["id"]))
        if "external_property_name" in params:
            found = [
                e
                for e in found
                if any(
                    p["name"] == params["external_property_name"]
                    and p["value"] == params.get("external_property_value", p["value"])
                    for p in e["external_properties"]
                )
            ]
        if "from" in params:
            found = [e for e in found if _instant(e["end_at"] or e["start_at"]) >= _instant(params["from"])]
        if "to" in params:
            found = [e for e in found if _instant(e["start_at"]) <= _instant(params["to"])]
        limit = min(int(params.get("limit", 200)), self.page_size)
        # As Clio: cursor paging (page_token) only for order=id(asc) without an offset, offset paging otherwise.
        cursor = params.get("order") == "id(asc)" and "offset" not in params
        offset = int(params.get("page_token", "0") if cursor else params.get("offset", "0"))
        meta: dict[str, Any] = {"records": len(found), "paging": {}}
        if offset + limit < len(found):
            following = {"page_token": str(offset + limit)} if cursor else {"offset": str(offset + limit)}
            meta["paging"]["next"] = str(request.url.copy_merge_params(following))
        data = [self._with_calendar(e) for e in found[offset : offset + limit]]
        return httpx.Response(200, json={"data": data, "meta": meta})

    def _with_calendar(self, entry: dict[str, Any]) -> dict[str, Any]:
        """The entry with Clio's `calendar_owner`: its calendar, with the user's permission on it."""
        calendar = next((c for c in self.calendars if c["id"] == entry.get("calendar_owner_id")), None)
        if calendar is None:
            return entry
        permission = "owner" if calendar["owner"] else "editor" if calendar["writeable"] else "viewer"
        return {**entry, "calendar_owner": {"id": calendar["id"], "permission": permission}}

    def _attendee(self, ref: dict[str, Any]) -> dict[str, Any] | None:
        names = self.contacts if ref["type"] == "Contact" else self.users
        name = names.get(ref["id"])
        return None if name is None else {"id": ref["id"], "type": ref["type"], "name": name}

    def _create(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        assert_valid("CalendarEntryCreateRequest", body)
        data = body["data"]
        calendar = next((c for c in self.calendars if c["id"] == data["calendar_owner"]["id"]), None)
        if calendar is None:
            return _error(404, "NotFound", "Calendar not found")
        if not calendar["writeable"]:
            return _error(403, "Forbidden", "You may not write to this calendar")
        attendees = [self._attendee(a) for a in data.get("attendees", [])]
        if None in attendees:
            return _error(422, "RecordInvalid", "Validation failed: Attendees is invalid")
        if _instant(data["end_at"]) < _instant(data["start_at"]):
            return _error(422, "RecordInvalid", "Validation failed: End at must be after start at")
        entry = self.add_entry(
            summary=data["summary"],
            description=data.get("description", ""),
            start_at=data["start_at"],
            end_at=data["end_at"],
            attendees=attendees,
            external_properties=[dict(p, id=i + 1) for i, p in enumerate(data.get("external_properties", []))],
            calendar_owner_id=calendar["id"],
        )
        return httpx.Response(201, json={"data": entry})

    def _update(self, request: httpx.Request, entry: dict[str, Any]) -> httpx.Response:
        if_match = request.headers.get("if-match")
        if if_match is not None and if_match != entry["etag"]:
            return _error(412, "PreconditionFailed", "The record has changed since it was read")
        # As Clio: a refused update changes nothing.
        if any(
            not ref.get("_destroy") and self._attendee(ref) is None
            for ref in json.loads(request.content)["data"].get("attendees", [])
        ):
            return _error(422, "RecordInvalid", "Validation failed: Attendees is invalid")
        entry["etag"] = f'"{entry["id"]}-{len(self.requests)}"'
        body = json.loads(request.content)
        assert_valid("CalendarEntryUpdateRequest", body)
        data = body["data"]
        for name in ("summary", "description", "start_at", "end_at"):
            if name in data:
                entry[name] = data[name]
        for ref in data.get("attendees", []):
            key = (ref["id"], ref["type"])
            current = [a for a in entry["attendees"] if (a["id"], a["type"]) != key]
            if ref.get("_destroy"):
                entry["attendees"] = current
            else:
                added = self._attendee(ref)
                if added is None:
                    return _error(422, "RecordInvalid", "Validation failed: Attendees is invalid")
                entry["attendees"] = [*current, added]
        return httpx.Response(200, json={"data": entry})


# ---- sync and async alike -----------------------------------------------------------------------------------------


class Runner:
    """Calls ClioCalendar or AsyncClioCalendar the same way, so one test covers both."""

    def __init__(self, mode: str, transport: httpx.MockTransport, **options: Any) -> None:
        self.mode = mode
        self.loop: asyncio.AbstractEventLoop | None = None
        self.client: ClioCalendar | AsyncClioCalendar
        if mode == "sync":
            self.client = ClioCalendar(AUTH, transport=transport, **options)
        else:
            self.loop = asyncio.new_event_loop()
            self.client = AsyncClioCalendar(AUTH, transport=transport, **options)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.client, name)
        if self.loop is None:
            return method  # type: ignore[no-any-return]
        loop = self.loop
        return lambda *args, **kwargs: loop.run_until_complete(method(*args, **kwargs))

    def close(self) -> None:
        if isinstance(self.client, ClioCalendar):
            self.client.close()
        else:
            assert self.loop is not None
            self.loop.run_until_complete(self.client.aclose())
            self.loop.close()


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def clio() -> FakeClio:
    return FakeClio()


@pytest.fixture
def make_calendar(mode: str) -> Iterator[Callable[..., Runner]]:
    runners: list[Runner] = []

    def make(transport: httpx.MockTransport, **options: Any) -> Runner:
        runner = Runner(mode, transport, **options)
        runners.append(runner)
        return runner

    yield make
    for runner in runners:
        runner.close()


@pytest.fixture
def calendar(make_calendar: Callable[..., Runner], clio: FakeClio) -> Runner:
    return make_calendar(clio.transport)


@dataclass
class Sleeps:
    seconds: list[float] = field(default_factory=list)


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sleeps]:
    """No test really sleeps: the transport policy's sleeps are recorded instead; caches and pacers start empty."""
    record = Sleeps()

    def sleep(seconds: float) -> None:
        record.seconds.append(seconds)

    async def async_sleep(seconds: float) -> None:
        record.seconds.append(seconds)
        await asyncio.sleep(0)  # still let other tasks run, as a real sleep would

    monkeypatch.setattr(
        client_module,
        "_make_policy",
        lambda max_retries: TransportPolicy(max_retries=max_retries, sleep=sleep, async_sleep=async_sleep),
    )
    SHARED_CACHE.clear()
    clear_pacers()
    yield record
    SHARED_CACHE.clear()
    clear_pacers()
