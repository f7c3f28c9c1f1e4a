"""The part of a Clio account the suite may touch, and the bookkeeping that lets it leave the account as it was.

Every calendar entry the run creates is tracked here (and carries a marker external property), so cleanup can
delete all of them at the end whatever happened in between. Requests that change or delete an entry only ever
name entries the run created: generated ids are swapped for one of those before anything is sent, so a run against
a real account cannot touch the user's own appointments.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import httpx

from clio_calendar_api import Client
from clio_calendar_api.api.calendar_entries import (
    create_calendar_entry,
    delete_calendar_entry,
    get_calendar_entry,
    list_calendar_entries,
)
from clio_calendar_api.api.calendars import list_calendars
from clio_calendar_api.models.calendar_entry_create_request import CalendarEntryCreateRequest
from clio_calendar_api.models.calendar_entry_list import CalendarEntryList
from clio_calendar_api.models.calendar_entry_show import CalendarEntryShow
from clio_calendar_api.models.calendar_list import CalendarList
from clio_calendar_api.types import Response

from ._pacing import RateLimitWaits

__all__ = ["MARKER_PROPERTY", "KnownIds", "SetupError", "Workspace"]

# Put on entries the run creates itself, so a final sweep finds any whose creation answer was lost.
MARKER_PROPERTY = "clio_conformance.run"
"""The external property every entry a run creates carries (the run's id), so cleanup finds them all."""
_SCRATCH_SUMMARY = "clio-appointments conformance (safe to delete)"
# Far enough ahead that a sandbox user's real appointments are not in the way of list filters.
_SCRATCH_START = "2041-06-01T09:00:00.000Z"
_SCRATCH_END = "2041-06-01T09:30:00.000Z"
_PAGE_LIMIT = 200
_MAX_SWEEP_PAGES = 50
_KNOWN_LIMIT = 5

# The facade's lookup order (the reference connector's): the user's own newest visible writeable calendar, then any.
_CALENDAR_QUERIES: tuple[dict[str, Any], ...] = (
    {"owner": True, "writeable": True, "visible": True, "type_": "UserCalendar", "order": "id(desc)", "limit": 1},
    {"writeable": True, "visible": True, "order": "id(desc)", "limit": 1},
    {"writeable": True, "order": "id(desc)", "limit": 1},
)


class SetupError(RuntimeError):
    """The account cannot be used for write tests (no writeable calendar, creates refused)."""


def _status(response: Response[Any]) -> int:
    return int(response.status_code)


class Workspace:
    """Tracks what the run created; `http` is an httpx.Client already pointed at the server with the token."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        contact_ids: tuple[int, ...] = (),
        waits: RateLimitWaits | None = None,
        run_id: str | None = None,
    ) -> None:
        self._api = Client(base_url=str(http.base_url)).set_httpx_client(http)
        self.contact_ids = contact_ids
        self.waits = waits or RateLimitWaits()
        self.run_id = run_id or uuid.uuid4().hex
        self._lock = threading.Lock()
        self._created: dict[int, str] = {}  # entry id -> what created it, for reports
        self._gone: set[int] = set()
        self._calendar_id: int | None = None
        self._live: int | None = None
        self._dead: int | None = None

    def __repr__(self) -> str:
        return f"<Workspace calendar={self._calendar_id} tracked={len(self._created)}>"

    @property
    def marker(self) -> dict[str, str]:
        return {"name": MARKER_PROPERTY, "value": self.run_id}

    # ---- requests, waiting out 429 ---------------------------------------------------------------------------------

    def _call(self, endpoint: Any, **kwargs: Any) -> Response[Any]:
        response: Response[Any] = self.waits.send(
            lambda: endpoint.sync_detailed(client=self._api, **kwargs), _status, lambda r: r.headers
        )
        return response

    # ---- the calendar ------------------------------------------------------------------------------------------------

    @property
    def calendar_id(self) -> int:
        if self._calendar_id is None:
            self._calendar_id = self.find_calendar()
        return self._calendar_id

    def find_calendar(self) -> int:
        """The writeable calendar the facade would pick; SetupError if there is none."""
        for query in _CALENDAR_QUERIES:
            response = self._call(list_calendars, fields="id,permission", **query)
            if _status(response) != 200 or not isinstance(response.parsed, CalendarList):
                raise SetupError(f"listing writeable calendars answered HTTP {_status(response)}")
            for calendar in response.parsed.data:
                if isinstance(calendar.id, int) and calendar.id > 0:
                    return calendar.id
        raise SetupError("the user has no writeable calendar, so nothing can be created")

    # ---- what the run created ------------------------------------------------------------------------------------

    def track(self, entry_id: int, origin: str) -> None:
        with self._lock:
            self._created.setdefault(entry_id, origin)
            self._gone.discard(entry_id)

    def gone(self, entry_id: int) -> None:
        """The entry was deleted (or found missing): nothing left to clean."""
        with self._lock:
            if entry_id in self._created:
                self._gone.add(entry_id)

    def owns(self, entry_id: object) -> bool:
        with self._lock:
            return isinstance(entry_id, int) and entry_id in self._created

    def remaining(self) -> list[int]:
        with self._lock:
            return [i for i in self._created if i not in self._gone]

    # ---- scratch entries -----------------------------------------------------------------------------------------

    def scratch_body(self) -> dict[str, Any]:
        return {
            "data": {
                "summary": _SCRATCH_SUMMARY,
                "start_at": _SCRATCH_START,
                "end_at": _SCRATCH_END,
                "calendar_owner": {"id": self.calendar_id},
                "send_email_notification": False,
                "external_properties": [self.marker],
            }
        }

    def new_entry(self, origin: str = "scratch entry") -> int:
        """A fresh entry for a test to change or delete; tracked for cleanup."""
        response = self._call(
            create_calendar_entry, body=CalendarEntryCreateRequest.from_dict(self.scratch_body()), fields="id"
        )
        if _status(response) != 201 or not isinstance(response.parsed, CalendarEntryShow):
            raise SetupError(f"creating a scratch calendar entry answered HTTP {_status(response)}")
        entry_id = int(str(response.parsed.data.id))
        self.track(entry_id, origin)
        return entry_id

    def live_entry(self) -> int:
        """One entry kept for PATCH requests (made on first use)."""
        if self._live is None or not self.owns(self._live) or self._live in self._gone:
            self._live = self.new_entry("entry for PATCH requests")
        return self._live

    def dead_entry(self) -> int:
        """The id of an entry the run created and deleted: ids are not reused, so it names nobody's data."""
        if self._dead is None:
            entry_id = self.new_entry("deleted entry (for requests to ids that do not exist)")
            problem = self.delete(entry_id)
            if problem is not None:
                raise SetupError(f"deleting a scratch calendar entry failed: {problem}")
            self._dead = entry_id
        return self._dead

    # ---- reading back ----------------------------------------------------------------------------------------------

    def read_entry(self, entry_id: int, fields: str) -> Response[Any]:
        """GET one entry through the generated client (its `parsed` is a CalendarEntryShow on 200)."""
        return self._call(get_calendar_entry, id=entry_id, fields=fields)

    # ---- cleanup ---------------------------------------------------------------------------------------------------

    def delete(self, entry_id: int) -> str | None:
        """Delete one entry; None when it is gone (deleted now or already), else what went wrong."""
        try:
            response = self._call(delete_calendar_entry, id=entry_id)
        except httpx.HTTPError as exc:
            return f"entry {entry_id}: {type(exc).__name__}"
        if _status(response) in (204, 404):
            self.gone(entry_id)
            return None
        return f"entry {entry_id}: HTTP {_status(response)}"

    def _marked(self) -> list[int]:
        """Entries carrying this run's marker, wherever they came from."""
        found: list[int] = []
        page_token: str | None = None
        for _ in range(_MAX_SWEEP_PAGES):
            kwargs: dict[str, Any] = {
                "external_property_name": MARKER_PROPERTY,
                "external_property_value": self.run_id,
                "fields": "id",
                "limit": _PAGE_LIMIT,
                # Cursor paging (Clio's Pagination guide): the links carry `page_token`, with no record limit.
                "order": "id(asc)",
            }
            if page_token is not None:
                kwargs["page_token"] = page_token
            response = self._call(list_calendar_entries, **kwargs)
            if _status(response) != 200 or not isinstance(response.parsed, CalendarEntryList):
                break
            found.extend(int(str(entry.id)) for entry in response.parsed.data)
            page_token = _next_token(response.parsed)
            if page_token is None:
                break
        return found

    def clean_up(self) -> list[str]:
        """Delete everything the run created; returns what could not be deleted (empty when all went)."""
        problems: list[str] = []
        for entry_id in self.remaining():
            problem = self.delete(entry_id)
            if problem is not None:
                problems.append(f"{problem} (created by {self._created.get(entry_id, 'the run')})")
        try:
            # Only entries nobody tracked (a create whose answer was lost); tracked ones were tried just above.
            leftovers = [i for i in self._marked() if i not in self._created]
        except httpx.HTTPError as exc:
            problems.append(f"could not look for marked entries: {type(exc).__name__}")
            leftovers = []
        for entry_id in leftovers:
            self.track(entry_id, "a request whose answer was lost")
            problem = self.delete(entry_id)
            if problem is not None:
                problems.append(problem)
        return problems


def _next_token(page: CalendarEntryList) -> str | None:
    meta = page.meta
    paging = getattr(meta, "paging", None)
    following = getattr(paging, "next_", None)
    if not isinstance(following, str) or not following:
        return None
    token = httpx.URL(following).params.get("page_token")
    return token or None


class KnownIds:
    """Ids of records that exist, found with GET requests only, so generated reads can also ask for real records
    (a random id only ever gets a 404, and the success response would never be checked)."""

    def __init__(self, http: httpx.Client, *, contact_ids: tuple[int, ...] = (), waits: RateLimitWaits | None = None):
        self._api = Client(base_url=str(http.base_url)).set_httpx_client(http)
        self._waits = waits or RateLimitWaits()
        self._contacts = list(contact_ids)
        self._cache: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<KnownIds {sorted(self._cache)}>"

    def _listed(self, endpoint: Any) -> list[int]:
        try:
            response: Response[Any] = self._waits.send(
                lambda: endpoint.sync_detailed(client=self._api, fields="id", limit=_KNOWN_LIMIT),
                _status,
                lambda r: r.headers,
            )
        except httpx.HTTPError:
            return []
        data = getattr(response.parsed, "data", None) if _status(response) == 200 else None
        found: list[int] = []
        for record in data if isinstance(data, list) else []:
            try:
                found.append(int(str(record.id)))
            except (TypeError, ValueError):
                continue
        return found

    def calendars(self) -> list[int]:
        with self._lock:
            if "calendars" not in self._cache:
                self._cache["calendars"] = self._listed(list_calendars)
            return self._cache["calendars"]

    def entries(self) -> list[int]:
        with self._lock:
            # Looked up again while there are none: a run that writes creates some as it goes.
            if not self._cache.get("entries"):
                self._cache["entries"] = self._listed(list_calendar_entries)
            return self._cache["entries"]

    def contacts(self) -> list[int]:
        return list(self._contacts)
