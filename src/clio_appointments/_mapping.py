"""Pure mapping between App Connect's loose JSON and Clio's calendar entries. No I/O here.

Inbound: `read_create_payload`, `read_patch`, `read_range`, `read_mine_only` and `read_appointment_id` check
everything before any request is made and raise PayloadError (which becomes App Connect's warning) for anything
unsafe, a key the interface does not take included. `create_body` and `update_body` then build bodies that satisfy
the spec's request schemas.

Outbound: `appointment_from_entry` and `listed_appointment_from_entry` turn Clio entries (the generated client's
models) into App Connect appointments, as the reference connector does.

The rules are the semantics table in DESIGN.md; comments below say where they differ from JavaScript's coercions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ._types import (
    Appointment,
    AppointmentPatch,
    AppointmentPayload,
    AppointmentRange,
    Attendee,
    Failure,
    ListedAppointment,
    ReturnMessage,
)

if TYPE_CHECKING:
    from clio_calendar_api.models.calendar_entry import CalendarEntry

__all__ = [
    "ALREADY_GONE_MESSAGE",
    "ATTEMPT_PROPERTY",
    "CANCELLED_MESSAGE",
    "ENTRY_FIELDS",
    "IDEMPOTENCY_PROPERTY",
    "NOT_FOUND_MESSAGE",
    "NO_CALENDAR_MESSAGE",
    "OWN_ENTRY_FIELDS",
    "PATCH_KEYS",
    "PAYLOAD_KEYS",
    "RANGE_KEYS",
    "STATUS_NOT_SUPPORTED_MESSAGE",
    "EntryPatch",
    "NewEntry",
    "PayloadError",
    "UnreadableEntry",
    "Window",
    "added_contacts",
    "appointment_from_entry",
    "contact_id",
    "contact_ids",
    "create_body",
    "entry_start",
    "format_utc",
    "listed_appointment_from_entry",
    "on_own_calendar",
    "parse_date_time",
    "parse_duration_ms",
    "read_appointment_id",
    "read_create_payload",
    "read_mine_only",
    "read_patch",
    "read_range",
    "return_message",
    "unknown_contacts_warning",
    "update_body",
    "warning",
]

# Everything an App Connect appointment needs, attendee names included, so one request answers a create.
ENTRY_FIELDS = "id,etag,summary,description,start_at,end_at,all_day,attendees{id,name,type}"
# For mineOnly: Clio's `calendar_owner` of an entry is its calendar, with the user's `permission` on it ("owner" for
# a calendar the user owns, as the calendars list's `owner` filter means it). No extra request is needed.
OWN_ENTRY_FIELDS = f"{ENTRY_FIELDS},calendar_owner{{id,permission}}"
# The external property that makes a create idempotent (see _client: reconciliation after ambiguous failures).
IDEMPOTENCY_PROPERTY = "clio_appointments.idempotency_key"
# When the POST that stored an entry was sent (nanoseconds since the epoch, zero-padded, then a random tag): of the
# entries sharing a key, the one from the latest attempt is the one a caller was handed (see _create).
ATTEMPT_PROPERTY = "clio_appointments.attempt"

# App Connect's Clio connector (fa94f96) says these, word for word, with ttl 5000 for every one of them.
TTL = 5000
NOT_FOUND_MESSAGE = "Appointment not found in Clio."
NO_CALENDAR_MESSAGE = "No writeable calendar found in Clio."
STATUS_NOT_SUPPORTED_MESSAGE = "Clio does not support appointment status changes."
CANCELLED_MESSAGE = "Appointment cancelled successfully."
# The connector has no words for this (its DELETE throws on Clio's 404).
ALREADY_GONE_MESSAGE = "Appointment not found in Clio; it was already cancelled or deleted."

# The keys each interface takes, from the TypedDicts (in their order, for messages); any other key is refused.
PAYLOAD_KEYS: tuple[str, ...] = tuple(AppointmentPayload.__annotations__)
PATCH_KEYS: tuple[str, ...] = tuple(AppointmentPatch.__annotations__)
RANGE_KEYS: tuple[str, ...] = tuple(AppointmentRange.__annotations__)

_ASCII_WHITESPACE = " \t\n\r\f\v"
_MAX_INT64 = 2**63 - 1
# JSON has one number type; a float above 2**53 may already have lost digits of the id the caller meant.
_MAX_EXACT_FLOAT = 2**53
_MAX_DURATION_MINUTES = 525_600  # one year
_MS_PER_MINUTE = 60_000
_MAX_KEY_LENGTH = 200

_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?", re.ASCII)
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?([Zz]|[+-][0-9]{2}:[0-9]{2})?",
    re.ASCII,
)
# Visible ASCII: safe in a query string and in Clio's external property value.
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]+", re.ASCII)


class PayloadError(Exception):
    """The caller's input cannot be sent; `message` names the field and says what is expected."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.message = f"Invalid appointment: {field} {problem}."
        super().__init__(self.message)


def return_message(message: str, kind: Literal["success", "warning"] = "warning") -> ReturnMessage:
    return {"message": message, "messageType": kind, "ttl": TTL}


def warning(message: str) -> Failure:
    return {"successful": False, "returnMessage": return_message(message)}


def unknown_contacts_warning(ids: Sequence[int], *, created: bool) -> Failure:
    """The warning for attendees Clio refused because it has no such contact; nothing was stored."""
    listed = ", ".join(str(i) for i in ids)
    which = f"Contact {listed} was" if len(ids) == 1 else f"Contacts {listed} were"
    outcome = "created" if created else "changed"
    return warning(f"{which} not found in Clio, so the appointment was not {outcome}.")


def _refuse_unknown_keys(value: Mapping[Any, Any], allowed: tuple[str, ...], what: str) -> None:
    """PayloadError naming every key of `value` that `allowed` does not have: a misspelt key is never ignored."""
    unknown = [key for key in value if key not in allowed]
    if not unknown:
        return
    names = ", ".join(_key_name(key) for key in unknown[:5])
    if len(unknown) > 5:
        names += f" and {len(unknown) - 5} more"
    plural = "s" if len(unknown) > 1 else ""
    raise PayloadError(what, f"has unknown key{plural} {names} (it takes {', '.join(allowed)})")


def _key_name(key: object) -> str:
    return repr(key[:40] if isinstance(key, str) else key)[:42]


# ---- scalars -------------------------------------------------------------------------------------------------------


def contact_id(value: object) -> int | None:
    """A Clio record id from App Connect's loose input, or None when it is not unambiguously one.

    Accepted: ints, whole floats up to 2**53, and ASCII-digit strings after trimming ASCII whitespace, all within 1 to
    2**63 - 1. JavaScript's Number() would also turn "", " ", null and true into 0 or 1 and read "1e3" and "0x10"
    as numbers; here those are dropped.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= _MAX_INT64 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and 1 <= value <= _MAX_EXACT_FLOAT else None
    if isinstance(value, str):
        digits = value.strip(_ASCII_WHITESPACE)
        if not _DIGITS.fullmatch(digits):
            return None
        # Leading zeros are harmless; more than 19 significant digits cannot be an int64 (and int() of a huge string
        # is slow or refused).
        significant = digits.lstrip("0")
        if len(significant) > 19:
            return None
        number = int(significant or "0")
        return number if 1 <= number <= _MAX_INT64 else None
    return None


def _is_contact_sequence(value: object) -> bool:
    """A list, a tuple or any other sequence; text and bytes are sequences too, but not of contacts."""
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray | memoryview)


def contact_ids(contacts: object) -> list[int]:
    """The valid ids in `contacts` (a sequence of ids or `{id}` objects), first occurrence kept, in order."""
    if not _is_contact_sequence(contacts):
        return []
    assert isinstance(contacts, Sequence)
    ids: dict[int, None] = {}
    for item in contacts:
        found = contact_id(item.get("id") if isinstance(item, Mapping) else item)
        if found is not None:
            ids.setdefault(found, None)
    return list(ids)


def _read_contacts(value: object) -> tuple[int, ...] | None:
    """`contacts` as attendee ids; None when it is not given. Anything that is not a sequence is refused: a bare id
    or an object where a list was meant would otherwise quietly store an appointment without the person."""
    if value is None:
        return None
    if not _is_contact_sequence(value):
        raise PayloadError("contacts", f"must be a list of contact ids or {{id}} objects, not {_kind(value)}")
    return tuple(contact_ids(value))


def format_utc(moment: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SS.sssZ`, as JavaScript's toISOString() writes it (cut, not rounded, to the millisecond)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _text(value: object, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise PayloadError(field, f"must be text, not {_kind(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PayloadError(field, "contains characters that cannot be sent (unpaired surrogates)") from None
    return value


def _kind(value: object) -> str:
    """The JSON kind of a value, for messages (never the value itself: it may be long or sensitive)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if _is_contact_sequence(value):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def parse_date_time(value: object, field: str) -> datetime:
    """An RFC 3339 date-time as an aware UTC datetime cut to the millisecond; no zone means UTC (as moment.utc)."""
    expected = "must be an RFC 3339 date-time such as 2024-03-15T14:00:00Z"
    if not isinstance(value, str):
        raise PayloadError(field, f"{expected}, not {_kind(value)}")
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        raise PayloadError(field, expected)
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    millis = int((fraction or "0")[:3].ljust(3, "0"))
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), millis * 1000, UTC)
        if zone and zone not in ("Z", "z"):
            hours, minutes = int(zone[1:3]), int(zone[4:6])
            if hours > 23 or minutes > 59:
                raise ValueError("offset out of range")
            offset = timedelta(hours=hours, minutes=minutes)
            moment = moment - offset if zone[0] == "+" else moment + offset
    except (ValueError, OverflowError):
        raise PayloadError(field, f"{expected} (this one is not a real date and time)") from None
    return moment


def parse_duration_ms(value: object, field: str = "durationMinutes") -> int:
    """Minutes as whole milliseconds (cut). None means 0, as `Number(x ?? 0)`; NaN, infinities, booleans, negative
    numbers, more than a year and non-decimal strings ("1e3", "0x10") are refused instead of coerced."""
    expected = f"must be a number of minutes from 0 to {_MAX_DURATION_MINUTES}"
    if value is None:
        return 0
    if isinstance(value, bool):
        raise PayloadError(field, f"{expected}, not a boolean")
    if isinstance(value, int):
        minutes = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise PayloadError(field, f"{expected}, not {value!r}")
        # Through the shortest decimal text of the float, so 0.3 minutes is 18000 ms, not 17999.
        minutes = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip(_ASCII_WHITESPACE)
        if not _DECIMAL.fullmatch(text):
            raise PayloadError(field, f"{expected} (digits, optionally with a decimal point)")
        minutes = Decimal(text)
    else:
        raise PayloadError(field, f"{expected}, not {_kind(value)}")
    if not 0 <= minutes <= _MAX_DURATION_MINUTES:
        raise PayloadError(field, expected)
    return int(minutes * _MS_PER_MINUTE)


def read_appointment_id(value: object) -> int:
    """Clio calendar entry ids are strings in bodies and integers in paths; both spellings are accepted."""
    found = contact_id(value)
    if found is None:
        raise PayloadError("appointmentId", "must be a Clio calendar entry id (a positive whole number)")
    return found


def _idempotency_key(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= _MAX_KEY_LENGTH or not _IDEMPOTENCY_KEY.fullmatch(value):
        raise PayloadError("idempotencyKey", f"must be 1 to {_MAX_KEY_LENGTH} visible ASCII characters")
    return value


def _start(source: dict[str, Any]) -> tuple[str, object]:
    """`startTimeUtc ?? startTime`, with the name of whichever was used."""
    if source.get("startTimeUtc") is not None:
        return "startTimeUtc", source["startTimeUtc"]
    if source.get("startTime") is not None:
        return "startTime", source["startTime"]
    return "startTimeUtc", None


def _end(start: datetime, duration_ms: int, field: str) -> datetime:
    try:
        return start + timedelta(milliseconds=duration_ms)
    except OverflowError:
        raise PayloadError(field, "puts the end after the year 9999") from None


# ---- create ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewEntry:
    """A checked createAppointment payload."""

    summary: str
    description: str
    start: datetime
    end: datetime
    attendee_ids: tuple[int, ...]
    idempotency_key: str | None


def read_create_payload(payload: object, idempotency_key: object = None) -> NewEntry:
    if not isinstance(payload, dict):
        raise PayloadError("payload", f"must be an object, not {_kind(payload)}")
    _refuse_unknown_keys(payload, PAYLOAD_KEYS, "payload")
    title = _text(payload.get("title"), "title")
    summary = _text(payload.get("summary"), "summary")
    field, raw_start = _start(payload)
    if raw_start is None:
        raise PayloadError("startTimeUtc", "is required")
    start = parse_date_time(raw_start, field)
    end = _end(start, parse_duration_ms(payload.get("durationMinutes")), "durationMinutes")
    attendee_ids = _read_contacts(payload.get("contacts")) or ()
    key = _idempotency_key(payload.get("idempotencyKey"))
    given = _idempotency_key(idempotency_key)
    if key is not None and given is not None and key != given:
        raise PayloadError("idempotencyKey", "differs from the idempotency_key argument")
    return NewEntry(
        summary=title if title is not None else summary if summary is not None else "Appointment",
        description=summary if summary is not None else "",
        start=start,
        end=end,
        attendee_ids=attendee_ids,
        idempotency_key=key if key is not None else given,
    )


def create_body(entry: NewEntry, calendar_id: int, idempotency_key: str, attempt: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "calendar_owner": {"id": calendar_id},
        "summary": entry.summary,
        "description": entry.description,
        "start_at": format_utc(entry.start),
        "end_at": format_utc(entry.end),
        "send_email_notification": False,
        "external_properties": [
            {"name": IDEMPOTENCY_PROPERTY, "value": idempotency_key},
            {"name": ATTEMPT_PROPERTY, "value": attempt},
        ],
    }
    if entry.attendee_ids:
        data["attendees"] = [{"id": i, "type": "Contact"} for i in entry.attendee_ids]
    return {"data": data}


# ---- update ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EntryPatch:
    """A checked updateAppointment patch: None means "not named, leave it as it is"."""

    summary: str | None = None
    description: str | None = None
    start: datetime | None = None
    duration_ms: int | None = None
    attendee_ids: tuple[int, ...] | None = None
    names_status: bool = False

    @property
    def is_empty(self) -> bool:
        return (
            self.summary is None
            and self.description is None
            and self.start is None
            and self.duration_ms is None
            and self.attendee_ids is None
        )

    @property
    def needs_existing(self) -> bool:
        """Contacts need the current attendees; a start or a duration alone needs the other half of the interval."""
        return self.attendee_ids is not None or (self.start is None) != (self.duration_ms is None)


def read_patch(patch: object) -> EntryPatch:
    if not isinstance(patch, dict):
        raise PayloadError("patch", f"must be an object, not {_kind(patch)}")
    _refuse_unknown_keys(patch, PATCH_KEYS, "patch")
    field, raw_start = _start(patch)
    start = parse_date_time(raw_start, field) if raw_start is not None else None
    raw_duration = patch.get("durationMinutes")
    duration_ms = parse_duration_ms(raw_duration) if raw_duration is not None else None
    if start is not None and duration_ms is not None:
        _end(start, duration_ms, "durationMinutes")
    attendee_ids = _read_contacts(patch.get("contacts"))
    return EntryPatch(
        summary=_text(patch.get("title"), "title"),
        description=_text(patch.get("summary"), "summary"),
        start=start,
        duration_ms=duration_ms,
        attendee_ids=attendee_ids,
        names_status="status" in patch,
    )


def _as_utc(moment: object) -> datetime | None:
    """A datetime from Clio as aware UTC; Clio's zone-less times are UTC. Anything else (unparsed text) is None."""
    if not isinstance(moment, datetime):
        return None
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _cut_to_ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def update_body(patch: EntryPatch, existing: CalendarEntry | None) -> dict[str, Any]:
    """The PATCH body: only what the patch names. `existing` is required when `patch.needs_existing`."""
    data: dict[str, Any] = {}
    if patch.summary is not None:
        data["summary"] = patch.summary
    if patch.description is not None:
        data["description"] = patch.description
    if patch.start is not None or patch.duration_ms is not None:
        start, duration_ms = patch.start, patch.duration_ms
        current_start = _as_utc(getattr(existing, "start_at", None))
        if start is None:
            if current_start is None:
                raise PayloadError("startTimeUtc", "is required: the appointment in Clio has no start time")
            start = _cut_to_ms(current_start)
        if duration_ms is None:
            # Moving an appointment keeps its length.
            current_end = _as_utc(getattr(existing, "end_at", None))
            kept = current_end - current_start if current_start and current_end else timedelta(0)
            duration_ms = max(0, kept // timedelta(milliseconds=1))
        data["start_at"] = format_utc(start)
        data["end_at"] = format_utc(_end(start, duration_ms, "durationMinutes"))
    if patch.attendee_ids is not None:
        attendees = _attendee_changes(patch.attendee_ids, existing)
        if attendees:
            data["attendees"] = attendees
    return {"data": data}


def _attendee_changes(wanted: tuple[int, ...], existing: CalendarEntry | None) -> list[dict[str, Any]]:
    """Contacts not wanted any more are removed (`_destroy`), wanted ones not yet there are added; attendees of
    type Calendar (firm users) are left alone."""
    current: list[int] = []
    for attendee in _list(getattr(existing, "attendees", None)):
        found = contact_id(getattr(attendee, "id", None))
        if found is not None and getattr(attendee, "type_", None) == "Contact" and found not in current:
            current.append(found)
    keep = set(wanted)
    changes: list[dict[str, Any]] = [{"id": i, "type": "Contact", "_destroy": True} for i in current if i not in keep]
    changes += [{"id": i, "type": "Contact"} for i in wanted if i not in current]
    return changes


def added_contacts(body: dict[str, Any]) -> list[int]:
    """The contacts a create or update body adds as attendees (not those it removes)."""
    attendees = body.get("data", {}).get("attendees", [])
    return [a["id"] for a in attendees if a.get("type") == "Contact" and not a.get("_destroy")]


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# ---- list ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    """listAppointments' range: the appointments that *start* between `start` and `end`, both inclusive (None: open).

    Clio's `from` (entries ending at or after) and `to` (starting at or before) select every entry that overlaps
    the window, so they only narrow what Clio sends; `contains` makes the choice, as the connector does."""

    start: datetime | None = None
    end: datetime | None = None

    def contains(self, moment: datetime | None) -> bool:
        if moment is None:
            return self.start is None and self.end is None
        return (self.start is None or moment >= self.start) and (self.end is None or moment <= self.end)


_DAY_END = timedelta(days=1, milliseconds=-1)


def _range_bound(value: object, field: str, *, end: bool, whole_day: bool) -> datetime:
    """A date is its whole UTC day (its first or last millisecond). A date-time is taken as given, or, for the
    date-named keys (`whole_day`), as its UTC day: the connector reads `startDate` with moment's startOf('day')."""
    if isinstance(value, str) and (match := _DATE.fullmatch(value)):
        try:
            moment = datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
        except ValueError:
            raise PayloadError(field, "is not a real date") from None
    else:
        try:
            moment = parse_date_time(value, field)
        except PayloadError:
            raise PayloadError(field, "must be a date (YYYY-MM-DD) or an RFC 3339 date-time") from None
        if not whole_day:
            return moment
        moment = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if not end:
        return moment
    try:
        return moment + _DAY_END
    except OverflowError:
        return moment.replace(hour=23, minute=59, second=59, microsecond=999_000)


def _bound(value: Mapping[str, object], date_key: str, time_key: str, *, end: bool) -> datetime | None:
    given = [key for key in (date_key, time_key) if value.get(key) not in (None, "")]
    if not given:
        return None
    if len(given) == 2:
        raise PayloadError("range", f"has both {date_key} and {time_key}; give one of them")
    (key,) = given
    return _range_bound(value[key], f"range.{key}", end=end, whole_day=key == date_key)


def read_range(value: object) -> Window:
    """`{startDate, endDate}` (App Connect's server and connector) or `{startTime, endTime}` (its interface docs)."""
    if value is None:
        return Window()
    if not isinstance(value, dict):
        raise PayloadError("range", f"must be an object with startDate and endDate, not {_kind(value)}")
    _refuse_unknown_keys(value, RANGE_KEYS, "range")
    window = Window(
        start=_bound(value, "startDate", "startTime", end=False),
        end=_bound(value, "endDate", "endTime", end=True),
    )
    if window.start is not None and window.end is not None and window.start > window.end:
        raise PayloadError("range", "starts after it ends")
    return window


def read_mine_only(value: object) -> bool:
    """listAppointments' `mineOnly`: True, False or None (False)."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise PayloadError("mineOnly", f"must be true or false, not {_kind(value)}")
    return value


def on_own_calendar(entry: CalendarEntry) -> bool:
    """Whether the entry is on a calendar the user owns (its `calendar_owner`, read with OWN_ENTRY_FIELDS)."""
    return getattr(entry.calendar_owner, "permission", None) == "owner"


def entry_start(entry: CalendarEntry) -> datetime | None:
    """The entry's start as aware UTC, cut to the millisecond as App Connect's `startTimeUtc` is."""
    start = _as_utc(entry.start_at)
    return _cut_to_ms(start) if start is not None else None


# ---- Clio entry -> App Connect -------------------------------------------------------------------------------------


def _duration_minutes(start: datetime | None, end: datetime | None, all_day: object) -> int:
    """Whole minutes, rounded as JavaScript's Math.round, never negative; a missing end is 0 (a whole day for an
    all-day entry)."""
    if start is None:
        return 0
    if end is None:
        return 1440 if all_day is True else 0
    minutes = (end - start) / timedelta(minutes=1)
    return max(0, math.floor(minutes + 0.5))


def _attendees(entry: CalendarEntry) -> list[Attendee]:
    attendees: list[Attendee] = []
    for attendee in _list(entry.attendees):
        attendee_id = getattr(attendee, "id", None)
        if isinstance(attendee_id, bool) or not isinstance(attendee_id, int):
            continue
        name = getattr(attendee, "name", None)
        kind = getattr(attendee, "type_", None)
        attendees.append(
            {
                "id": attendee_id,
                "name": name if isinstance(name, str) else "",
                "type": kind if isinstance(kind, str) else "",
            }
        )
    return attendees


class UnreadableEntry(ValueError):
    """Clio's answer has no usable entry id."""


def appointment_from_entry(entry: CalendarEntry) -> Appointment:
    entry_id = entry.id
    if isinstance(entry_id, bool) or not isinstance(entry_id, str | int) or str(entry_id) == "":
        raise UnreadableEntry("calendar entry without an id")
    start = _as_utc(entry.start_at)
    summary, description = entry.summary, entry.description
    return {
        "id": str(entry_id),
        "thirdPartyAppointmentId": str(entry_id),
        "title": summary if isinstance(summary, str) else "",
        "description": description if isinstance(description, str) else "",
        "startTimeUtc": format_utc(start) if start is not None else None,
        "durationMinutes": _duration_minutes(start, _as_utc(entry.end_at), entry.all_day),
        "status": "scheduled",
        "contactId": "",
        "attendees": _attendees(entry),
    }


def listed_appointment_from_entry(entry: CalendarEntry) -> ListedAppointment:
    appointment = appointment_from_entry(entry)
    return {**appointment, "participantName": ""}
