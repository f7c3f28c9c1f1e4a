"""The semantics table of DESIGN.md, row by row, on the pure mapping functions (no HTTP)."""

from __future__ import annotations

import collections
import math
import types
from datetime import UTC, datetime
from typing import Any

import pytest

from clio_appointments._mapping import (
    IDEMPOTENCY_PROPERTY,
    PayloadError,
    appointment_from_entry,
    contact_id,
    contact_ids,
    create_body,
    listed_appointment_from_entry,
    parse_date_time,
    parse_duration_ms,
    read_appointment_id,
    read_create_payload,
    read_patch,
    read_range,
    update_body,
)
from clio_calendar_api.models.calendar_entry import CalendarEntry

from .conftest import assert_valid

START = "2024-03-15T14:00:00Z"


def body_for(payload: dict[str, Any], calendar_id: int = 101) -> dict[str, Any]:
    body = create_body(read_create_payload(payload), calendar_id, "key-1", "00000000000000000001-attempt")
    assert_valid("CalendarEntryCreateRequest", body)
    return body["data"]


# ---- contacts --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("42", 42),
        (" 42 ", 42),
        ("\t42\n", 42),
        (42, 42),
        (42.0, 42),
        ("042", 42),
        ("0" * 40 + "42", 42),
        (2**53, 2**53),
        (float(2**53), 2**53),
        (2**63 - 1, 2**63 - 1),
        (str(2**63 - 1), 2**63 - 1),
        # Refused where JavaScript's Number() coerces.
        ("abc", None),
        ("", None),
        (" ", None),
        (None, None),
        (True, None),
        (False, None),
        (1.5, None),
        (-3, None),
        ("-3", None),
        (0, None),
        ("0", None),
        ("1e3", None),
        ("0x10", None),
        ("+5", None),
        ("4 2", None),
        ("４２", None),  # full-width digits
        ("٤٢", None),  # Arabic-Indic digits
        (2**70, None),
        (str(2**70), None),
        (2**63, None),
        (float(2**53 + 2), None),
        (math.nan, None),
        (math.inf, None),
        ([42], None),
        ({"id": 42}, None),  # an object is only unwrapped one level, by contact_ids
    ],
)
def test_contact_id(given: object, expected: int | None) -> None:
    assert contact_id(given) == expected


def test_contact_ids_unwrap_objects_dedupe_and_keep_order() -> None:
    given = [{"id": "42"}, 7, " 42 ", {"id": 7}, {"id": {"id": 9}}, {"name": "x"}, [3], "abc", 42.0, {"id": "8"}]
    assert contact_ids(given) == [42, 7, 8]


@pytest.mark.parametrize("contacts", ["42", b"42", bytearray(b"42"), 42, {"id": 42}, True, {42}])
def test_contacts_that_are_not_a_sequence_are_refused(contacts: object) -> None:
    """A bare id, an object or text where a list was meant is refused, not quietly stored without the person (the
    connector drops it; App Connect's own request contract refuses it)."""
    with pytest.raises(PayloadError, match="contacts must be a list"):
        read_create_payload({"startTimeUtc": START, "contacts": contacts})
    with pytest.raises(PayloadError, match="contacts must be a list"):
        read_patch({"contacts": contacts})


@pytest.mark.parametrize(
    "contacts",
    [
        ["42", {"id": 201}],
        ("42", {"id": 201}),
        range(42, 43),
        collections.UserList(["42", {"id": 201}]),
        ["42", types.MappingProxyType({"id": 201})],
    ],
    ids=["list", "tuple", "range", "UserList", "mapping"],
)
def test_contacts_may_be_any_sequence_of_ids_or_id_objects(contacts: object) -> None:
    wanted = [42] if isinstance(contacts, range) else [42, 201]
    data = body_for({"startTimeUtc": START, "contacts": contacts})
    assert [a["id"] for a in data["attendees"]] == wanted
    patch = read_patch({"contacts": contacts})
    assert patch.attendee_ids == tuple(wanted)


def test_no_contacts_add_no_attendees() -> None:
    assert "attendees" not in body_for({"startTimeUtc": START, "contacts": None})
    assert "attendees" not in body_for({"startTimeUtc": START})
    assert read_patch({"contacts": None}).attendee_ids is None


def test_attendees_are_contacts_and_omitted_when_none_are_valid() -> None:
    data = body_for({"startTimeUtc": START, "contacts": ["42", {"id": 201}, "x"]})
    assert data["attendees"] == [{"id": 42, "type": "Contact"}, {"id": 201, "type": "Contact"}]
    assert "attendees" not in body_for({"startTimeUtc": START, "contacts": ["", None, True, "0x10"]})
    assert "attendees" not in body_for({"startTimeUtc": START, "contacts": []})


# ---- title / summary ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "summary", "description"),
    [
        ({"title": "T", "summary": "S"}, "T", "S"),
        ({"summary": "S"}, "S", "S"),
        ({"title": "T"}, "T", ""),
        ({}, "Appointment", ""),
        ({"title": None, "summary": None}, "Appointment", ""),
        # `??` only skips null/missing, not falsy values.
        ({"title": "", "summary": "S"}, "", "S"),
        ({"summary": ""}, "", ""),
    ],
)
def test_title_and_summary(payload: dict[str, Any], summary: str, description: str) -> None:
    data = body_for({"startTimeUtc": START, **payload})
    assert (data["summary"], data["description"]) == (summary, description)


@pytest.mark.parametrize("field", ["title", "summary"])
@pytest.mark.parametrize("value", [5, True, ["a"], {"a": 1}, 1.5])
def test_non_text_title_or_summary_is_refused(field: str, value: object) -> None:
    with pytest.raises(PayloadError) as caught:
        read_create_payload({"startTimeUtc": START, field: value})
    assert caught.value.field == field
    assert field in caught.value.message


def test_text_that_cannot_be_encoded_is_refused() -> None:
    with pytest.raises(PayloadError, match="title"):
        read_create_payload({"startTimeUtc": START, "title": "bad \ud800 surrogate"})


# ---- start -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2024-03-15T14:00:00Z", "2024-03-15T14:00:00.000Z"),
        ("2024-03-15t14:00:00z", "2024-03-15T14:00:00.000Z"),
        ("2024-03-15T14:00:00.123Z", "2024-03-15T14:00:00.123Z"),
        ("2024-03-15T14:00:00.1239999Z", "2024-03-15T14:00:00.123Z"),  # cut, not rounded
        ("2024-03-15T14:00:00.5Z", "2024-03-15T14:00:00.500Z"),
        ("2024-03-15T14:00:00+02:00", "2024-03-15T12:00:00.000Z"),
        ("2024-03-15T14:00:00-05:30", "2024-03-15T19:30:00.000Z"),
        ("2024-03-15T00:30:00+01:00", "2024-03-14T23:30:00.000Z"),
        ("2024-03-15T14:00:00-00:00", "2024-03-15T14:00:00.000Z"),
        ("2024-03-15T14:00:00", "2024-03-15T14:00:00.000Z"),  # no zone: UTC, as moment.utc
        ("2024-02-29T10:00:00Z", "2024-02-29T10:00:00.000Z"),
    ],
)
def test_start_is_sent_as_utc_milliseconds(given: str, expected: str) -> None:
    assert body_for({"startTimeUtc": given})["start_at"] == expected


@pytest.mark.parametrize(
    "given",
    [
        "garbage",
        "",
        "2024-03-15",
        "2024-03-15T14:00Z",
        "2024-03-15 14:00:00Z",
        "2024-02-30T10:00:00Z",
        "2023-02-29T10:00:00Z",
        "2024-13-01T10:00:00Z",
        "2024-03-15T24:00:00Z",
        "2024-03-15T23:59:60Z",
        "2024-03-15T14:00:00+24:00",
        "2024-03-15T14:00:00+0200",
        "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "２０２４-03-15T14:00:00Z",
        " 2024-03-15T14:00:00Z",
        "2024-03-15T14:00:00Z\n",
        1710511200000,
        True,
        ["2024-03-15T14:00:00Z"],
    ],
)
def test_unparseable_start_is_refused_naming_the_field(given: object) -> None:
    with pytest.raises(PayloadError) as caught:
        read_create_payload({"startTimeUtc": given})
    assert caught.value.field == "startTimeUtc"
    assert "startTimeUtc" in caught.value.message


def test_missing_start_is_refused() -> None:
    for payload in ({}, {"startTimeUtc": None}, {"startTimeUtc": None, "startTime": None}):
        with pytest.raises(PayloadError, match="startTimeUtc is required"):
            read_create_payload(payload)


def test_start_time_is_the_fallback_and_named_when_wrong() -> None:
    assert body_for({"startTime": "2024-03-15T14:00:00Z"})["start_at"] == "2024-03-15T14:00:00.000Z"
    assert body_for({"startTimeUtc": START, "startTime": "junk"})["start_at"] == "2024-03-15T14:00:00.000Z"
    with pytest.raises(PayloadError) as caught:
        read_create_payload({"startTime": "junk"})
    assert caught.value.field == "startTime"


# ---- duration ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "end"),
    [
        (0, "2024-03-15T14:00:00.000Z"),
        (None, "2024-03-15T14:00:00.000Z"),
        (30, "2024-03-15T14:30:00.000Z"),
        ("45", "2024-03-15T14:45:00.000Z"),
        (" 45 ", "2024-03-15T14:45:00.000Z"),
        (30.0, "2024-03-15T14:30:00.000Z"),
        (1.5, "2024-03-15T14:01:30.000Z"),
        ("0.3", "2024-03-15T14:00:18.000Z"),
        (0.3, "2024-03-15T14:00:18.000Z"),
        (0.00001, "2024-03-15T14:00:00.000Z"),  # 0.6 ms, cut to the millisecond
        (525_600, "2025-03-15T14:00:00.000Z"),
    ],
)
def test_duration_sets_the_end(given: object, end: str) -> None:
    assert body_for({"startTimeUtc": START, "durationMinutes": given})["end_at"] == end


def test_missing_duration_is_zero() -> None:
    assert body_for({"startTimeUtc": START})["end_at"] == "2024-03-15T14:00:00.000Z"


@pytest.mark.parametrize(
    "given",
    [-5, "-5", math.nan, math.inf, -math.inf, "abc", "", "1e3", "0x10", "４５", True, False, 525_601, 2**70, [30], {}],
)
def test_bad_duration_is_refused(given: object) -> None:
    with pytest.raises(PayloadError) as caught:
        read_create_payload({"startTimeUtc": START, "durationMinutes": given})
    assert caught.value.field == "durationMinutes"


def test_duration_past_year_9999_is_refused() -> None:
    with pytest.raises(PayloadError, match="durationMinutes"):
        read_create_payload({"startTimeUtc": "9999-12-31T23:59:00Z", "durationMinutes": 5})


def test_parse_helpers_directly() -> None:
    assert parse_duration_ms(0) == 0
    assert parse_duration_ms("1") == 60_000
    assert parse_date_time("2024-03-15T14:00:00.999999Z", "x") == datetime(2024, 3, 15, 14, 0, 0, 999_000, UTC)


# ---- the rest of the body ------------------------------------------------------------------------------------------


def test_body_shape_calendar_notification_and_idempotency_key() -> None:
    data = body_for({"title": "Intake", "startTimeUtc": START, "durationMinutes": 60, "contacts": [67890]}, 1001)
    assert data == {
        "calendar_owner": {"id": 1001},
        "summary": "Intake",
        "description": "",
        "start_at": "2024-03-15T14:00:00.000Z",
        "end_at": "2024-03-15T15:00:00.000Z",
        "send_email_notification": False,
        "external_properties": [
            {"name": IDEMPOTENCY_PROPERTY, "value": "key-1"},
            {"name": "clio_appointments.attempt", "value": "00000000000000000001-attempt"},
        ],
        "attendees": [{"id": 67890, "type": "Contact"}],
    }


@pytest.mark.parametrize("payload", [None, [], "x", 5])
def test_payload_must_be_an_object(payload: object) -> None:
    with pytest.raises(PayloadError, match="payload must be an object"):
        read_create_payload(payload)


def test_idempotency_key_from_payload_or_argument() -> None:
    assert read_create_payload({"startTimeUtc": START, "idempotencyKey": "abc-1"}).idempotency_key == "abc-1"
    assert read_create_payload({"startTimeUtc": START}, "abc-2").idempotency_key == "abc-2"
    assert read_create_payload({"startTimeUtc": START}).idempotency_key is None
    for bad in ("", "has space", "é", 5, "x" * 201):
        with pytest.raises(PayloadError, match="idempotencyKey"):
            read_create_payload({"startTimeUtc": START, "idempotencyKey": bad})
    with pytest.raises(PayloadError, match="differs"):
        read_create_payload({"startTimeUtc": START, "idempotencyKey": "a"}, "b")


# ---- appointment ids, ranges, patches ----------------------------------------------------------------------------


def test_appointment_id() -> None:
    assert read_appointment_id("12345") == 12345
    assert read_appointment_id(12345) == 12345
    for bad in ("abc", "", None, True, 0, -1, "1e3", 2**70, "../1"):
        with pytest.raises(PayloadError, match="appointmentId"):
            read_appointment_id(bad)


def test_range_whole_days_inclusive_and_date_times() -> None:
    window = read_range({"startDate": "2024-03-15", "endDate": "2024-03-16"})
    assert window.start == datetime(2024, 3, 15, tzinfo=UTC)
    assert window.end == datetime(2024, 3, 16, 23, 59, 59, 999_000, UTC)
    # A date-time under a date key stands for its UTC day, as the connector's moment.utc(...).startOf('day') reads it.
    window = read_range({"startDate": "2024-03-15T00:30:00+01:00", "endDate": "2024-03-16T23:30:00-01:00"})
    assert window.start == datetime(2024, 3, 14, tzinfo=UTC)
    assert window.end == datetime(2024, 3, 17, 23, 59, 59, 999_000, UTC)
    # App Connect's documented names take date-times as given; a plain date is its whole day.
    window = read_range({"startTime": "2024-03-15T10:00:00+01:00"})
    assert window.start == datetime(2024, 3, 15, 9, tzinfo=UTC)
    assert window.end is None
    window = read_range({"startTime": "2024-03-15", "endTime": "2024-03-16"})
    assert window.start == datetime(2024, 3, 15, tzinfo=UTC)
    assert window.end == datetime(2024, 3, 16, 23, 59, 59, 999_000, UTC)
    assert read_range(None).start is None
    assert read_range({}).end is None


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"startDate": "2024-02-30"}, "range.startDate"),
        ({"endDate": "soon"}, "range.endDate"),
        ({"startDate": 5}, "range.startDate"),
        ({"startDate": "2024-03-16", "endDate": "2024-03-15"}, "range"),
        ({"startTime": "2024-03-15T10:00:00Z", "endTime": "2024-03-15T09:59:59Z"}, "range"),
        ({"endTime": "tomorrow"}, "range.endTime"),
        ({"startDate": "2024-03-15", "startTime": "2024-03-15T10:00:00Z"}, "range"),
        ({"from": "2024-03-15"}, "range"),
        ("this week", "range"),
    ],
)
def test_bad_range_is_refused(given: object, field: str) -> None:
    with pytest.raises(PayloadError) as caught:
        read_range(given)
    assert caught.value.field == field


def _entry(**fields: Any) -> CalendarEntry:
    base: dict[str, Any] = {"id": "7", "start_at": "2024-03-15T14:00:00Z", "end_at": "2024-03-15T15:00:00Z"}
    return CalendarEntry.from_dict({**base, **fields})


def test_update_body_is_partial() -> None:
    assert update_body(read_patch({"title": "New"}), None) == {"data": {"summary": "New"}}
    assert update_body(read_patch({"summary": "Notes"}), None) == {"data": {"description": "Notes"}}
    both = update_body(read_patch({"startTimeUtc": "2024-04-01T09:00:00Z", "durationMinutes": 15}), None)
    assert both == {"data": {"start_at": "2024-04-01T09:00:00.000Z", "end_at": "2024-04-01T09:15:00.000Z"}}
    for body in (both, update_body(read_patch({"title": "x"}), None)):
        assert_valid("CalendarEntryUpdateRequest", body)


def test_moving_keeps_the_length_and_a_new_duration_keeps_the_start() -> None:
    existing = _entry(start_at="2024-03-15T14:00:00.250+01:00", end_at="2024-03-15T14:45:00.250+01:00")
    moved = update_body(read_patch({"startTimeUtc": "2024-04-01T09:00:00Z"}), existing)
    assert moved["data"] == {"start_at": "2024-04-01T09:00:00.000Z", "end_at": "2024-04-01T09:45:00.000Z"}
    longer = update_body(read_patch({"durationMinutes": "90"}), existing)
    assert longer["data"] == {"start_at": "2024-03-15T13:00:00.250Z", "end_at": "2024-03-15T14:30:00.250Z"}


def test_contacts_replace_contact_attendees_and_keep_calendar_attendees() -> None:
    existing = _entry(
        attendees=[
            {"id": 201, "type": "Contact", "name": "Jane Smith"},
            {"id": 9, "type": "Calendar", "name": "Ada Lovelace"},
            {"id": 202, "type": "Contact", "name": "John Doe"},
        ]
    )
    body = update_body(read_patch({"contacts": ["202", {"id": 42}, "junk"]}), existing)
    assert body["data"]["attendees"] == [
        {"id": 201, "type": "Contact", "_destroy": True},
        {"id": 42, "type": "Contact"},
    ]
    assert_valid("CalendarEntryUpdateRequest", body)
    cleared = update_body(read_patch({"contacts": []}), existing)
    assert cleared["data"]["attendees"] == [
        {"id": 201, "type": "Contact", "_destroy": True},
        {"id": 202, "type": "Contact", "_destroy": True},
    ]
    unchanged = update_body(read_patch({"contacts": [202, 201]}), existing)
    assert unchanged == {"data": {}}


def test_patch_flags() -> None:
    assert read_patch({"status": "confirmed"}).is_empty
    assert read_patch({"status": "confirmed"}).names_status
    assert read_patch({}).is_empty
    assert not read_patch({"title": "x", "status": "confirmed"}).is_empty
    assert read_patch({"contacts": []}).needs_existing
    assert read_patch({"durationMinutes": 5}).needs_existing
    assert not read_patch({"durationMinutes": 5, "startTimeUtc": START}).needs_existing
    assert read_patch({"contacts": None}).attendee_ids is None
    with pytest.raises(PayloadError, match="patch"):
        read_patch(["title"])


# ---- Clio entry -> App Connect appointment -----------------------------------------------------------------------


def test_entry_maps_to_app_connects_appointment() -> None:
    entry = _entry(
        id="12345",
        summary="Intake call",
        description=None,
        start_at="2024-03-15T10:00:00-04:00",
        end_at="2024-03-15T11:00:00-04:00",
        attendees=[{"id": 67890, "name": "Jane Smith", "type": "Contact"}, {"type": "Contact", "name": "no id"}],
    )
    assert appointment_from_entry(entry) == {
        "id": "12345",
        "thirdPartyAppointmentId": "12345",
        "title": "Intake call",
        "description": "",
        "startTimeUtc": "2024-03-15T14:00:00.000Z",
        "durationMinutes": 60,
        "status": "scheduled",
        "contactId": "",
        "attendees": [{"id": 67890, "name": "Jane Smith", "type": "Contact"}],
    }
    assert listed_appointment_from_entry(entry)["participantName"] == ""


@pytest.mark.parametrize(
    ("fields", "minutes"),
    [
        ({"end_at": None}, 0),
        ({"end_at": None, "all_day": True}, 1440),
        ({"start_at": "2024-03-15", "end_at": "2024-03-16", "all_day": True}, 1440),
        ({"end_at": "2024-03-15T14:00:29Z"}, 0),
        ({"end_at": "2024-03-15T14:00:30Z"}, 1),  # Math.round: half up
        ({"end_at": "2024-03-15T13:00:00Z"}, 0),  # never negative
    ],
)
def test_duration_from_the_entry(fields: dict[str, Any], minutes: int) -> None:
    assert appointment_from_entry(_entry(**fields))["durationMinutes"] == minutes


def test_entry_without_start_has_no_start_time() -> None:
    entry = CalendarEntry.from_dict({"id": "1"})
    assert appointment_from_entry(entry)["startTimeUtc"] is None
    assert appointment_from_entry(entry)["title"] == ""
