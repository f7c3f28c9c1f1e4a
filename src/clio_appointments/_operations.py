"""listAppointments, refreshAppointment, updateAppointment and cancelAppointment as flows (see _steps)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from clio_calendar_api.models.calendar_entry_list import CalendarEntryList
from clio_calendar_api.models.calendar_entry_show import CalendarEntryShow
from clio_calendar_api.types import Unset

from ._errors import NotFoundError, PreconditionFailedError, UnexpectedResponseError, ValidationError
from ._mapping import (
    ALREADY_GONE_MESSAGE,
    CANCELLED_MESSAGE,
    NOT_FOUND_MESSAGE,
    OWN_ENTRY_FIELDS,
    STATUS_NOT_SUPPORTED_MESSAGE,
    PayloadError,
    added_contacts,
    appointment_from_entry,
    entry_start,
    listed_appointment_from_entry,
    on_own_calendar,
    read_appointment_id,
    read_mine_only,
    read_patch,
    read_range,
    return_message,
    unknown_contacts_warning,
    update_body,
    warning,
)
from ._requests import ENTRIES_PATH, PAGE_LIMIT, delete_entry, get_contact, get_entry, list_entries, patch_entry
from ._steps import Call, Flow
from ._types import AppointmentResult, CancelResult, ListedAppointment, ListResult, UpdateResult

__all__ = ["cancel", "list_appointments", "next_page", "refresh", "unknown_contacts", "update"]

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
        if isinstance(changed.error, ValidationError) and added_contacts(body):
            unknown = yield from unknown_contacts(added_contacts(body))
            if unknown:
                return unknown_contacts_warning(unknown, created=False)
        shown: CalendarEntryShow = changed.value()
        return {"appointment": appointment_from_entry(shown.data)}
    assert conflict is not None
    raise conflict  # the entry kept changing under us


def unknown_contacts(ids: Sequence[int]) -> Flow[list[int]]:
    """The contacts among `ids` that Clio does not have (it answers 404 for them), in order.

    Asked only after Clio refused (422) a write that added these contacts as attendees: Clio does not document what
    its message says then, so each contact is looked up instead of reading the message. A lookup that fails for
    another reason ends the search; only contacts proven unknown are named (none: the caller raises Clio's 422)."""
    unknown: list[int] = []
    for contact in ids:
        found = yield get_contact(contact)
        if isinstance(found.error, NotFoundError):
            unknown.append(contact)
        elif not found.ok:
            break
    return unknown


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
        return {"successful": True, "returnMessage": return_message(ALREADY_GONE_MESSAGE)}
    deleted.value()
    return {"successful": True, "returnMessage": return_message(CANCELLED_MESSAGE, "success")}


def list_appointments(window_spec: object, mine_only: object = False) -> Flow[ListResult]:
    """The appointments that start within the range (all of them without one), on the user's own calendars only
    with `mine_only`. Clio's `from`/`to` narrow what Clio sends; the start decides, as in App Connect's connector."""
    try:
        window = read_range(window_spec)
        mine = read_mine_only(mine_only)
    except PayloadError as exc:
        return warning(exc.message)
    # Clio pages by cursor only when ordered by id ascending; otherwise by offset, and never past 10,000 records.
    query: dict[str, Any] = {"limit": PAGE_LIMIT, "order": "id(asc)"}
    if mine:
        query["fields"] = OWN_ENTRY_FIELDS
    if window.start is not None:
        query["from_"] = window.start
    if window.end is not None:
        query["to"] = window.end
    appointments: list[ListedAppointment] = []
    seen: set[tuple[str, str]] = set()
    for _ in range(MAX_PAGES):
        call = list_entries(query)
        page: CalendarEntryList = (yield call).value()
        appointments.extend(
            listed_appointment_from_entry(entry)
            for entry in page.data
            if window.contains(entry_start(entry)) and (not mine or on_own_calendar(entry))
        )
        position = next_page(page, call)
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


def next_page(page: CalendarEntryList, call: Call) -> tuple[str, str] | None:
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
