"""listAppointments, refreshAppointment, updateAppointment and cancelAppointment as flows (see _steps)."""

from __future__ import annotations

from typing import Any

import httpx

from clio_calendar_api.models.calendar_entry_list import CalendarEntryList
from clio_calendar_api.models.calendar_entry_show import CalendarEntryShow
from clio_calendar_api.types import Unset

from ._errors import NotFoundError, PreconditionFailedError, UnexpectedResponseError
from ._mapping import (
    NOT_FOUND_MESSAGE,
    STATUS_NOT_SUPPORTED_MESSAGE,
    PayloadError,
    appointment_from_entry,
    listed_appointment_from_entry,
    read_appointment_id,
    read_patch,
    read_range,
    update_body,
    warning,
)
from ._requests import ENTRIES_PATH, PAGE_LIMIT, delete_entry, get_entry, list_entries, patch_entry
from ._steps import Call, Flow
from ._types import AppointmentResult, CancelResult, ListedAppointment, ListResult, UpdateResult

__all__ = ["cancel", "list_appointments", "refresh", "update"]

# A runaway paging loop (a server that never stops handing out pages) ends here instead of exhausting memory.
MAX_PAGES = 10_000
# How often an update reads the entry again after Clio refused the PATCH because the entry changed meanwhile.
MAX_CONFLICTS = 3


def refresh(appointment_id: object) -> Flow[UpdateResult]:
    try:
        entry_id = read_appointment_id(appointment_id)
    except PayloadError as exc:
        return warning(exc.message)
    current = yield get_entry(entry_id)
    if isinstance(current.error, NotFoundError):
        return warning(NOT_FOUND_MESSAGE)
    shown: CalendarEntryShow = current.value()
    result: AppointmentResult = {"appointment": appointment_from_entry(shown.data)}
    return result


def update(appointment_id: object, patch: object) -> Flow[UpdateResult]:
    """Read the entry, work out the change from what it holds now, and PATCH it on condition that it has not changed
    since (If-Match). A lost answer or a concurrent change makes the PATCH fail with 412 instead of applying a stale
    attendee change; the entry is then read again and the change worked out again, a few times at most."""
    try:
        entry_id = read_appointment_id(appointment_id)
        changes = read_patch(patch)
    except PayloadError as exc:
        return warning(exc.message)
    if changes.is_empty:
        if changes.names_status:
            return warning(STATUS_NOT_SUPPORTED_MESSAGE)
        # Nothing to change: answer with the appointment as it is, as a refresh would.
        return (yield from refresh(entry_id))
    conflict: PreconditionFailedError | None = None
    for _ in range(MAX_CONFLICTS):
        current = yield get_entry(entry_id)
        if isinstance(current.error, NotFoundError):
            return warning(NOT_FOUND_MESSAGE)
        existing = current.value().data
        try:
            body = update_body(changes, existing)
        except PayloadError as exc:
            return warning(exc.message)
        if not body["data"]:
            # The entry already is what the patch asks for (perhaps by an earlier attempt of this very update).
            return {"appointment": appointment_from_entry(existing)}
        etag = existing.etag
        if not isinstance(etag, str) or not etag:
            raise UnexpectedResponseError("Clio's answer has no etag for the entry", method="GET", path=ENTRIES_PATH)
        changed = yield patch_entry(entry_id, body, etag)
        if isinstance(changed.error, NotFoundError):
            return warning(NOT_FOUND_MESSAGE)
        if isinstance(changed.error, PreconditionFailedError):
            conflict = changed.error
            continue
        shown: CalendarEntryShow = changed.value()
        return {"appointment": appointment_from_entry(shown.data)}
    assert conflict is not None
    raise conflict  # the entry kept changing under us


def cancel(appointment_id: object) -> Flow[CancelResult]:
    try:
        entry_id = read_appointment_id(appointment_id)
    except PayloadError as exc:
        failure = warning(exc.message)
        return {"successful": False, "returnMessage": failure["returnMessage"]}
    deleted = yield delete_entry(entry_id)
    if isinstance(deleted.error, NotFoundError):
        # Gone already (perhaps by an earlier attempt of this very DELETE): the appointment is not there, which is
        # what the caller wanted, so report it rather than raise.
        return {
            "successful": True,
            "returnMessage": {
                "message": "Appointment not found in Clio; it was already cancelled.",
                "messageType": "warning",
                "ttl": 5000,
            },
        }
    deleted.value()
    return {
        "successful": True,
        "returnMessage": {"message": "Appointment cancelled.", "messageType": "success", "ttl": 3000},
    }


def list_appointments(window_spec: object) -> Flow[ListResult]:
    try:
        window = read_range(window_spec)
    except PayloadError as exc:
        return warning(exc.message)
    # Clio pages by cursor only when ordered by id ascending; otherwise by offset, and never past 10,000 records.
    query: dict[str, Any] = {"limit": PAGE_LIMIT, "order": "id(asc)"}
    if window.start is not None:
        query["from_"] = window.start
    if window.end is not None:
        query["to"] = window.end
    appointments: list[ListedAppointment] = []
    seen: set[tuple[str, str]] = set()
    for _ in range(MAX_PAGES):
        call = list_entries(query)
        page: CalendarEntryList = (yield call).value()
        appointments.extend(listed_appointment_from_entry(entry) for entry in page.data)
        position = _next_page(page, call)
        if position is None:
            return {"appointments": appointments}
        if position in seen:
            raise UnexpectedResponseError(
                "Clio's paging went back to a page already read", method="GET", path=call.path
            )
        seen.add(position)
        name, value = position
        query[name] = int(value) if name == "offset" else value
    raise UnexpectedResponseError(f"Clio's paging did not end after {MAX_PAGES} pages", method="GET", path=ENTRIES_PATH)


def _next_page(page: CalendarEntryList, call: Call) -> tuple[str, str] | None:
    """Where the next page starts, from Clio's `meta.paging.next`: ("page_token", token) in cursor paging,
    ("offset", n) in offset paging; None on the last page.

    Only that parameter is taken from Clio's URL: the request goes to our own base URL with our own query, so the
    token never follows a link to another host."""
    meta = page.meta
    paging = None if isinstance(meta, Unset) else meta.paging
    following = None if paging is None or isinstance(paging, Unset) else paging.next_
    if following is None or isinstance(following, Unset) or following == "":
        return None
    try:
        params = httpx.URL(following).params
    except (httpx.InvalidURL, TypeError, ValueError):
        params = httpx.QueryParams()
    if params.get("page_token"):
        return "page_token", params["page_token"]
    offset = params.get("offset", "")
    if offset.isascii() and offset.isdigit():
        return "offset", offset
    raise UnexpectedResponseError(
        "Clio's next page link has neither a page_token nor an offset", method=call.method, path=call.path
    )
