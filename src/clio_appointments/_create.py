"""createAppointment and its guarantee: an appointment is never stored twice, and never lost without a key.

Clio has no server-side idempotency, so each create carries a key in an external property of the entry: the
caller's (`idempotency_key=`, or the payload's `idempotencyKey`) or a fresh UUID. `create` is the whole rule, top to
bottom:

- A POST is sent again only when Clio provably did not take it. The transport does that for 429 and for errors
  that prove nothing left this process; here, only a POST Clio refused because the cached calendar is gone.
- After any other failure (5xx from Clio or a proxy, a timeout or dropped connection after sending, an unreadable
  success) the key is looked up. An entry found is the result. Not found, or the lookup failed: the POST's own error
  is raised, with `may_have_reached_clio` True, since the entry may still commit later.
- Entries that carry the same key are this SDK's own duplicates (a late commit of an attempt whose answer was lost).
  Every lookup keeps one, deletes the others and returns the one it kept, so creating again with the key, at any
  time, converges on one entry. The one kept is the entry of the latest attempt (each POST stamps when it was sent),
  lowest id first among equals: an attempt is only made after a lookup found nothing, so the latest attempt's entry
  is the one a caller was handed, whether Clio numbers entries when they are inserted or when they commit.
- A lookup that cannot be conclusive (entries without their external properties, more pages than are read) is an
  error carrying the key, never "not found".
- Callers in one process that share a key go one at a time, so only the first posts and the others find its entry.
- Every ClioError raised after the payload was accepted carries `idempotency_key`; anything else that interrupts a
  create after its POST left (a cancellation, Ctrl-C) gets a note with the key.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from clio_calendar_api.models.calendar_entry import CalendarEntry
from clio_calendar_api.models.calendar_entry_list import CalendarEntryList
from clio_calendar_api.models.calendar_entry_show import CalendarEntryShow

from ._calendar import calendar_refused, writeable_calendar
from ._calendar_cache import CacheKey, CalendarStore
from ._errors import (
    APIStatusError,
    ClioConnectionError,
    ClioError,
    NotFoundError,
    RateLimitError,
    UnexpectedResponseError,
    ValidationError,
)
from ._mapping import (
    ATTEMPT_PROPERTY,
    IDEMPOTENCY_PROPERTY,
    NO_CALENDAR_MESSAGE,
    PayloadError,
    UnreadableEntry,
    appointment_from_entry,
    create_body,
    read_create_payload,
    unknown_contacts_warning,
    warning,
)
from ._operations import next_page, unknown_contacts
from ._requests import ENTRIES_PATH, delete_entry, entries_with_key, post_entry
from ._steps import Flow, Forget, Hold, Outcome
from ._types import CreateResult

__all__ = ["create", "refused_outright"]

logger = logging.getLogger("clio_appointments.create")


def create(cache: CalendarStore, account: CacheKey, payload: object, idempotency_key: object) -> Flow[CreateResult]:
    try:
        new = read_create_payload(payload, idempotency_key)
    except PayloadError as exc:
        return warning(exc.message)
    key = new.idempotency_key or str(uuid.uuid4())
    posted = False  # whether a POST of this call may have reached Clio
    try:
        if new.idempotency_key is not None:
            # The caller's key may have stored this appointment already (a retry after an unknown outcome, a resent
            # webhook): then that entry is the answer. A fresh key cannot exist yet, so it skips this lookup.
            yield Hold((*account, key))
            earlier = yield from stored_with_key(key)
            if earlier is not None:
                return _created(earlier)

        choice = yield from writeable_calendar(cache, account)
        if choice.calendar_id is None:
            return warning(NO_CALENDAR_MESSAGE)
        posted = True
        answer = yield post_entry(create_body(new, choice.calendar_id, key, _attempt()))
        if not answer.ok and not choice.fresh and refused_outright(answer.error) and calendar_refused(answer.error):
            # The cached calendar is gone or read-only now, and Clio refused the POST outright: look it up again.
            posted = False
            yield Forget(cache, account, choice.calendar_id)
            retry = yield from writeable_calendar(cache, account)
            if retry.calendar_id is None:
                return warning(NO_CALENDAR_MESSAGE)
            if retry.calendar_id != choice.calendar_id:
                posted = True
                answer = yield post_entry(create_body(new, retry.calendar_id, key, _attempt()))

        if answer.ok:
            shown: CalendarEntryShow = answer.value()
            if _entry_id(shown.data) is not None:
                if new.idempotency_key is None:
                    return _created(shown.data)
                # An earlier attempt with the caller's key may have committed after the lookup above: one entry
                # stays. If this check fails, the error says so (with the key) rather than hand out a guess.
                return _created((yield from stored_with_key(key)) or shown.data)
            # A success whose entry has no usable id: stored, but which entry is known only to the lookup.
            answer = Outcome(error=UnexpectedResponseError("Clio's answer to the create has no usable entry id"))

        error = answer.error
        assert error is not None
        if refused_outright(error):
            posted = False
            if isinstance(error, ValidationError) and new.attendee_ids:
                # Clio refused the entry (nothing is stored); if it is for a contact it does not know, say which.
                unknown = yield from unknown_contacts(new.attendee_ids)
                if unknown:
                    return unknown_contacts_warning(unknown, created=True)
            raise error
        try:
            found = yield from stored_with_key(key)
        except ClioError as lookup_error:
            error.add_note(f"Looking the appointment up by its key failed too: {lookup_error}")
            found = None
        if found is not None:
            return _created(found)
        raise error
    except ClioError as error:
        error.idempotency_key = key
        if posted:
            error.may_have_reached_clio = True
            error.add_note(_settle_with(key))
        raise
    except BaseException as interruption:  # a cancellation, Ctrl-C, or a failure below the SDK's error handling
        if posted:
            interruption.add_note(_settle_with(key))
        raise


def _settle_with(key: str) -> str:
    return (
        "The appointment may be stored by Clio, now or in a moment. Create it again with "
        f"idempotency_key={key!r}: that returns it if it was stored and creates it once if it was not."
    )


def _attempt() -> str:
    """This POST's stamp: sortable by when it was sent, unique even within a nanosecond."""
    return f"{time.time_ns():020d}-{uuid.uuid4().hex[:12]}"


def refused_outright(error: ClioError | None) -> bool:
    """Whether Clio provably did not store the entry: the request never left, or Clio itself refused it.

    A 4xx counts only with Clio's own error body: a proxy's page (HTML, or nothing) in front of Clio proves nothing
    about what happened behind it. A 429 refuses before any work is done, whoever sent it.
    """
    if isinstance(error, ClioConnectionError):
        return not error.may_have_reached_clio
    if isinstance(error, RateLimitError):
        return True
    if isinstance(error, APIStatusError):
        clio_said_so = error.error_type is not None or error.clio_message is not None
        return 400 <= error.status_code < 500 and error.status_code != 408 and clio_said_so
    return False


# A key has one entry, or a few duplicates: more pages than this means Clio's filter is not doing its job.
MAX_LOOKUP_PAGES = 5


def stored_with_key(key: str) -> Flow[CalendarEntry | None]:
    """The entry stored with `key`, or None. Duplicates (entries sharing the key) are deleted; the entry of the
    latest attempt stays (see the module's docstring)."""
    carrying: list[CalendarEntry] = []
    position: dict[str, Any] = {}
    for _ in range(MAX_LOOKUP_PAGES):
        call = entries_with_key(key, position)
        page: CalendarEntryList = (yield call).value()
        for entry in page.data:
            if not isinstance(entry.external_properties, list):
                raise UnexpectedResponseError(
                    "Clio's answer does not show the entries' external properties, so whether the appointment "
                    "exists cannot be told",
                    method=call.method,
                    path=call.path,
                )
        # Clio's filter is not trusted to be an exact match: only entries that carry the key themselves count.
        carrying += [entry for entry in page.data if _carries(entry, key)]
        following = next_page(page, call)
        if following is None:
            break
        name, value = following
        position = {name: int(value) if name == "offset" else value}
    else:
        raise UnexpectedResponseError(
            f"more than {MAX_LOOKUP_PAGES} pages of entries answer the lookup of one key, so whether the appointment "
            "exists cannot be told",
            method="GET",
            path=ENTRIES_PATH,
        )
    if not carrying:
        return None
    carrying.sort(key=lambda entry: _entry_id(entry) or 0)
    carrying.sort(key=_attempt_of, reverse=True)  # stable: among equal attempts, the lowest id first
    kept, *duplicates = carrying
    for duplicate in duplicates:
        gone = yield delete_entry(int(str(duplicate.id)))
        if not gone.ok and not isinstance(gone.error, NotFoundError):
            # The appointment itself is settled; the next lookup of this key deletes the duplicate.
            logger.warning("Could not delete duplicate appointment %s: %s", duplicate.id, gone.error)
    return kept


def _carries(entry: CalendarEntry, key: str) -> bool:
    return _entry_id(entry) is not None and _property(entry, IDEMPOTENCY_PROPERTY) == key


def _attempt_of(entry: CalendarEntry) -> str:
    """When the entry's POST was sent; "" for an entry without the stamp (which then counts as the earliest)."""
    return _property(entry, ATTEMPT_PROPERTY) or ""


def _property(entry: CalendarEntry, name: str) -> str | None:
    properties: Any = entry.external_properties
    for item in properties if isinstance(properties, list) else ():
        value = getattr(item, "value", None)
        if getattr(item, "name", None) == name and isinstance(value, str):
            return value
    return None


def _entry_id(entry: CalendarEntry) -> int | None:
    """The entry's id as Clio's ids are (a positive whole number, sent as a string), or None."""
    text = str(entry.id)
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else None


def _created(entry: CalendarEntry) -> CreateResult:
    try:
        appointment = appointment_from_entry(entry)
    except UnreadableEntry:
        raise UnexpectedResponseError("Clio's answer has a calendar entry without an id") from None
    return {"appointmentId": appointment["id"], "appointment": appointment}
