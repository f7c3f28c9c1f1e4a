"""Adjusting generated requests before they are sent: for safety on a real account, and to reach real behaviour.

Safety (every request that writes): ids in paths become entries the run created; new entries go to the user's
writeable calendar and carry the run's marker; attendees are only contacts the user named (--contact-id) or the
user's own calendar; matters are dropped (the suite knows none); nobody is emailed.

Reach (positive requests only): schema-valid values the server must still refuse because they depend on data
(`fields` naming fields the record lacks, page tokens it never gave out, an end before the start, a stale ETag)
are replaced by schema-valid values it can accept, so positive requests get past validation and their success
responses are what the checks see. Negative requests are left as generated, apart from the safety rules.

Every change assigns a new container to the case, so schemathesis revalidates what it knows about the case (a
negative request that a change made valid is then judged as a positive one).
"""

from __future__ import annotations

import copy
import json
import random
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._spec import FieldCatalog, field_catalog, spec_version

if TYPE_CHECKING:
    from ._typing import AnyCase
    from ._workspace import KnownIds, Workspace

__all__ = ["CALENDAR_PATH", "CONTACT_PATH", "ENTRIES_PATH", "ENTRY_PATH", "Shaper", "entry_id_of", "is_record_id"]

ENTRIES_PATH = "/api/v4/calendar_entries.json"
ENTRY_PATH = "/api/v4/calendar_entries/{id}.json"
CALENDAR_PATH = "/api/v4/calendars/{id}.json"
CONTACT_PATH = "/api/v4/contacts/{id}.json"
# How often a generated read asks for a record that exists rather than for the generated id.
_KNOWN_SHARE = 0.5
MAX_EXTERNAL_PROPERTIES = 5


def is_record_id(value: object) -> bool:
    """A positive whole number as JSON carries it (1 and 1.0 alike)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 1
    return isinstance(value, float) and value.is_integer() and value >= 1


def entry_id_of(value: object) -> int | None:
    """An entry id as it can appear in a path: a number, or the string form Clio's bodies use (links copy it)."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, int | float) and is_record_id(value):
        return int(value)
    return None


def _negative_locations(case: AnyCase) -> set[Any]:
    meta = case.meta
    if meta is None:
        return set()
    return {location for location, info in meta.components.items() if info.mode.is_negative}


def _stable_seed(case: AnyCase) -> int:
    """Changes are random but repeatable: seeded from what was generated."""
    text = json.dumps([case.method, case.path_parameters, case.query, case.body], default=str, sort_keys=True)
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _selection(catalog: FieldCatalog, rng: random.Random, required: tuple[str, ...]) -> str:
    names = catalog.names
    chosen = set(rng.sample(names, rng.randint(1, len(names)))) | set(required)
    parts: list[str] = []
    for name in names:  # in the schema's order, so the request reads naturally
        if name not in chosen:
            continue
        nested = catalog.nested.get(name)
        if nested and rng.random() < 0.6:
            sub = rng.sample(nested, rng.randint(1, len(nested)))
            parts.append(f"{name}{{{','.join(n for n in nested if n in sub)}}}")
        else:
            parts.append(name)
    return ",".join(parts)


def _whole(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


@dataclass
class Shaper:
    """Applies the rules above; `workspace` is None for a read-only run (which sends no writes at all).

    `stateful`: in the stateful run a request to an entry the run did not create is sent to a deleted entry's id
    (the scenario meant an unknown id); otherwise PATCH goes to a live scratch entry and DELETE to a fresh one.
    """

    raw_spec: dict[str, Any]
    workspace: Workspace | None = None
    stateful: bool = False
    known: KnownIds | None = None
    _catalogs: dict[tuple[str, str], FieldCatalog | None] = field(default_factory=dict, init=False, repr=False)

    def catalog(self, path: str, method: str) -> FieldCatalog | None:
        key = (path, method.lower())
        if key not in self._catalogs:
            self._catalogs[key] = field_catalog(self.raw_spec, path, method)
        return self._catalogs[key]

    def __call__(self, case: AnyCase) -> frozenset[str]:
        """Shape `case` in place; returns the checks that must not judge it.

        The safety rules go first, whatever the case. A case that is positive afterwards (generated so, or made so
        by a safety rule that replaced its only invalid part) then gets the reach rules. A negative case whose
        invalid part had to be replaced is still sent (every other check applies), but `negative_data_rejection`
        would judge it by what was generated rather than by what was sent, so it is left out.
        """
        negative_before = _negative_locations(case)
        self._known_version(case)
        method = case.method.upper()
        path = case.operation.path
        writes = method != "GET" and self.workspace is not None
        if writes:
            self._safety(case, method, path)
        negative_after = _negative_locations(case) if negative_before else negative_before
        if not negative_after:
            if method == "GET" and not self.stateful:  # in the walk, ids come from the links
                self._reach_record(case, path)
            self._reach_query(case, path, method)
            self._reach_headers(case)
            if writes and self.workspace is not None and path in (ENTRIES_PATH, ENTRY_PATH):
                self._shape_body(case, method, True, self.workspace)
        if negative_before - negative_after:
            return frozenset({"negative_data_rejection"})
        return frozenset()

    def _safety(self, case: AnyCase, method: str, path: str) -> None:
        assert self.workspace is not None
        if path == ENTRY_PATH:
            self._own_path_id(case, method, self.workspace)
        if path in (ENTRIES_PATH, ENTRY_PATH) and method in ("POST", "PATCH"):
            self._shape_body(case, method, False, self.workspace)

    # ---- reads of one record -------------------------------------------------------------------------------------

    def _known_ids(self, path: str) -> list[int]:
        if path == ENTRY_PATH and self.workspace is not None:
            return [self.workspace.live_entry()]
        if self.known is None:
            return []
        if path == ENTRY_PATH:
            return self.known.entries()
        if path == CALENDAR_PATH:
            return self.known.calendars()
        if path == CONTACT_PATH:
            return self.known.contacts()
        return []

    def _reach_record(self, case: AnyCase, path: str) -> None:
        if "id" not in case.path_parameters:
            return
        rng = random.Random(_stable_seed(case))
        if rng.random() >= _KNOWN_SHARE:
            return
        known = self._known_ids(path)
        if known:
            case.path_parameters = {**case.path_parameters, "id": rng.choice(known)}

    # ---- query and headers ---------------------------------------------------------------------------------------

    def _reach_query(self, case: AnyCase, path: str, method: str) -> None:
        query = dict(case.query or {})
        before = dict(query)
        catalog = self.catalog(path, method)
        if "fields" in query and catalog is not None:
            # The created entry's id is what later requests (and cleanup) need.
            required = ("id",) if method == "POST" else ()
            query["fields"] = _selection(catalog, random.Random(_stable_seed(case)), required)
        # Page tokens only mean something when the server handed them out.
        query.pop("page_token", None)
        # A whole number generated as a float (600.0, valid for `type: integer`, as under `matter_id`'s anyOf)
        # is sent as the integer it is, not as the text "600.0".
        for name, value in query.items():
            query[name] = [_whole(v) for v in value] if isinstance(value, list) else _whole(value)
        if "external_property_value" in query and "external_property_name" not in query:
            del query["external_property_value"]
        if query != before:
            case.query = query

    def _reach_headers(self, case: AnyCase) -> None:
        # A generated IF-MATCH is a stale ETag, which Clio rightly answers with 412.
        headers = case.headers
        if headers is not None and any(name.lower() == "if-match" for name in headers):
            kept = type(headers)({k: v for k, v in headers.items() if k.lower() != "if-match"})
            case.headers = kept

    def _known_version(self, case: AnyCase) -> None:
        """A generated X-API-VERSION is a version Clio does not know, answered 410 Gone before anything else in the
        request is looked at: ask for the version the spec describes instead. Any string is schema-valid there, so
        this never changes whether a case is positive or negative; the version checks test the header itself."""
        headers = case.headers
        version = spec_version(self.raw_spec)
        if headers is None or all(k.lower() != "x-api-version" or v == version for k, v in headers.items()):
            return
        case.headers = type(headers)({k: (version if k.lower() == "x-api-version" else v) for k, v in headers.items()})

    # ---- safety: which entry a write names -------------------------------------------------------------------------

    def _own_path_id(self, case: AnyCase, method: str, workspace: Workspace) -> None:
        current = entry_id_of(case.path_parameters.get("id"))
        if current is not None and workspace.owns(current):
            return
        # Whatever was generated (a number, or text a server might still read as one) is replaced: only entries the
        # run created are ever changed or deleted.
        if self.stateful or method not in ("PATCH", "DELETE"):
            replacement = workspace.dead_entry()
        elif method == "PATCH":
            replacement = workspace.live_entry()
        else:
            replacement = workspace.new_entry("entry for DELETE requests")
        case.path_parameters = {**case.path_parameters, "id": replacement}

    # ---- safety and reach: bodies that write -----------------------------------------------------------------------

    def _shape_body(self, case: AnyCase, method: str, positive: bool, workspace: Workspace) -> None:
        if method not in ("POST", "PATCH"):
            return
        body = case.body
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            return
        new: dict[str, Any] = copy.deepcopy(body)
        data: dict[str, Any] = new["data"]
        if data.get("send_email_notification") is True:
            data["send_email_notification"] = False
        owner = data.get("calendar_owner")
        if isinstance(owner, dict) and is_record_id(owner.get("id")):
            data["calendar_owner"] = {**owner, "id": workspace.calendar_id}
        matter = data.get("matter")
        if isinstance(matter, dict) and is_record_id(matter.get("id")):
            del data["matter"]
        if isinstance(data.get("attendees"), list):
            data["attendees"] = self._attendees(data["attendees"], positive, workspace)
        if positive:
            self._order_times(data, method)
        if method == "POST":
            self._mark(data, positive, workspace)
        elif positive:
            # Property ids and names depend on what the entry already holds; the stateful run covers them.
            data.pop("external_properties", None)
        if new != body:
            case.body = new

    @staticmethod
    def _attendees(items: list[Any], positive: bool, workspace: Workspace) -> list[Any]:
        contacts = workspace.contact_ids
        kept: list[Any] = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                kept.append(item)
                continue
            attendee = dict(item)
            if positive and "type" not in attendee:
                attendee["type"] = "Contact" if contacts else "Calendar"
            if positive and "id" not in attendee:
                attendee["id"] = 1
            if is_record_id(attendee.get("id")):
                if attendee.get("type") == "Calendar":
                    attendee["id"] = workspace.calendar_id
                elif contacts:
                    attendee["id"] = contacts[index % len(contacts)]
                else:
                    continue  # no contact the user allowed: leave it out
            kept.append(attendee)
        return kept

    @staticmethod
    def _order_times(data: dict[str, Any], method: str) -> None:
        start, end = data.get("start_at"), data.get("end_at")
        if method == "PATCH" and (start is None) != (end is None):
            # One end alone could land on the wrong side of the stored other end.
            data["start_at"] = data["end_at"] = start if start is not None else end
            return
        start_moment, end_moment = _moment(start), _moment(end)
        if start_moment is not None and end_moment is not None and end_moment < start_moment:
            data["start_at"], data["end_at"] = end, start

    @staticmethod
    def _mark(data: dict[str, Any], positive: bool, workspace: Workspace) -> None:
        properties = data.get("external_properties")
        if properties is None:
            data["external_properties"] = [workspace.marker]
            return
        if not isinstance(properties, list):
            return
        if positive:
            # Names must be unique on an entry; a new property needs one.
            seen: set[str] = set()
            for index, item in enumerate(properties):
                if isinstance(item, dict):
                    name = item.get("name")
                    if not isinstance(name, str) or not name or name in seen or name == workspace.marker["name"]:
                        item["name"] = f"conformance.{index}"
                    seen.add(item["name"])
            del properties[MAX_EXTERNAL_PROPERTIES - 1 :]
        if len(properties) < MAX_EXTERNAL_PROPERTIES:
            properties.append(dict(workspace.marker))
