"""DESIGN.md's interface table, row by row, against App Connect's Clio connector at commit fa94f96
(ringcentral/rc-unified-crm-extension, src/connectors/clio/index.ts). Every test runs for both clients (`mode`).

Where the facade keeps the connector's behaviour the test pins the connector's exact words and ttl; where it differs
(the table's right-hand column) the test pins what the facade does instead. The paging row is proven in
test_clio_protocol.py (450 entries, cursor and offset mode); here only its interplay with the range and mineOnly.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from clio_appointments import ValidationError, list_appointments

from .conftest import AUTH, CALENDARS, CONTACTS, ENTRIES, FakeClio, Runner

START = "2024-03-15T14:00:00.000Z"
PAYLOAD: dict[str, Any] = {"title": "Intake", "startTimeUtc": START, "durationMinutes": 30}


def warning(message: str) -> dict[str, Any]:
    return {"successful": False, "returnMessage": {"message": message, "messageType": "warning", "ttl": 5000}}


NOT_FOUND = warning("Appointment not found in Clio.")


def contact_lookups(clio: FakeClio) -> list[str]:
    return [r.url.path.removeprefix(CONTACTS) for r in clio.calls("GET") if r.url.path.startswith(CONTACTS)]


# ---- listAppointments range ---------------------------------------------------------------------------------------


def _day_edges(clio: FakeClio) -> dict[str, dict[str, Any]]:
    """Entries around the range 2024-03-11 .. 2024-03-15, by title."""
    entries = {
        "began the day before": ("2024-03-10T23:45:00Z", "2024-03-11T00:15:00Z"),
        "first millisecond": ("2024-03-11T00:00:00Z", "2024-03-11T00:30:00Z"),
        "middle": ("2024-03-13T09:00:00+02:00", "2024-03-13T10:00:00+02:00"),
        "last second": ("2024-03-15T23:59:59Z", "2024-03-16T00:30:00Z"),
        "the day after": ("2024-03-16T00:00:00Z", "2024-03-16T00:30:00Z"),
        "long before, still running": ("2024-03-01T09:00:00Z", "2024-03-12T09:00:00Z"),
    }
    return {title: clio.add_entry(summary=title, start_at=start, end_at=end) for title, (start, end) in entries.items()}


def test_list_keeps_entries_that_start_within_the_inclusive_utc_days(calendar: Runner, clio: FakeClio) -> None:
    """The connector's selection: start in [startDate 00:00:00.000Z, endDate 23:59:59.999Z]. Clio's from/to select
    every entry that overlaps, so they only narrow what Clio sends."""
    _day_edges(clio)
    result = calendar.list_appointments({"startDate": "2024-03-11", "endDate": "2024-03-15"})
    assert [a["title"] for a in result["appointments"]] == ["first millisecond", "middle", "last second"]
    (page,) = clio.calls("GET", ENTRIES)
    assert page.url.params["from"] == "2024-03-11T00:00:00.000Z"
    assert page.url.params["to"] == "2024-03-15T23:59:59.999Z"
    # Clio sent the overlapping ones too; the facade left them out.
    assert len(json.loads(clio._list_entries(page).content)["data"]) == 5


def test_list_date_times_under_date_keys_stand_for_their_utc_day(calendar: Runner, clio: FakeClio) -> None:
    """moment.utc(range.startDate).startOf('day'), as the connector reads it."""
    _day_edges(clio)
    result = calendar.list_appointments({"startDate": "2024-03-11T18:00:00Z", "endDate": "2024-03-15T01:00:00+02:00"})
    # 2024-03-15T01:00+02:00 is 2024-03-14 in UTC: the last day is the 14th.
    assert [a["title"] for a in result["appointments"]] == ["first millisecond", "middle"]


def test_list_accepts_app_connects_documented_start_time_and_end_time(calendar: Runner, clio: FakeClio) -> None:
    """App Connect's interface docs name the range's keys startTime/endTime (ISO-8601): taken as given."""
    _day_edges(clio)
    result = calendar.list_appointments({"startTime": "2024-03-11T00:00:01Z", "endTime": "2024-03-15T23:59:59Z"})
    assert [a["title"] for a in result["appointments"]] == ["middle", "last second"]
    (page,) = clio.calls("GET", ENTRIES)
    assert page.url.params["from"] == "2024-03-11T00:00:01.000Z"
    assert page.url.params["to"] == "2024-03-15T23:59:59.000Z"
    clio.requests.clear()
    # A plain date under a time key is its whole day.
    days = calendar.list_appointments({"startTime": "2024-03-11", "endTime": "2024-03-15"})
    assert [a["title"] for a in days["appointments"]] == ["first millisecond", "middle", "last second"]


def test_list_without_a_range_lists_everything(calendar: Runner, clio: FakeClio) -> None:
    _day_edges(clio)
    for empty in (None, {}, {"startDate": None, "endDate": ""}):
        assert len(calendar.list_appointments(empty)["appointments"]) == 6
    assert all("from" not in r.url.params and "to" not in r.url.params for r in clio.calls("GET", ENTRIES))


def test_list_with_one_bound_is_open_on_the_other_side(calendar: Runner, clio: FakeClio) -> None:
    _day_edges(clio)
    after = calendar.list_appointments({"startDate": "2024-03-15"})
    assert [a["title"] for a in after["appointments"]] == ["last second", "the day after"]
    before = calendar.list_appointments({"endTime": "2024-03-11T00:00:00Z"})
    assert [a["title"] for a in before["appointments"]] == [
        "began the day before",
        "first millisecond",
        "long before, still running",
    ]


@pytest.mark.parametrize(
    ("range_", "named"),
    [
        ({"startDate": "2024-03-11", "startTime": "2024-03-11T00:00:00Z"}, "both startDate and startTime"),
        ({"endDate": "2024-03-11", "endTime": "2024-03-11T00:00:00Z"}, "both endDate and endTime"),
        ({"startDate": "2024-03-12", "endDate": "2024-03-11"}, "range starts after it ends"),
        ({"startTime": "2024-03-11T10:00:00Z", "endTime": "2024-03-11T09:00:00Z"}, "range starts after it ends"),
        ({"startTime": "soon"}, "range.startTime"),
        ({"endDate": "2024-02-30"}, "range.endDate"),
        ("this week", "range"),
    ],
)
def test_list_range_that_cannot_be_read_is_a_warning(
    calendar: Runner, clio: FakeClio, range_: object, named: str
) -> None:
    result = calendar.list_appointments(range_)
    assert result["successful"] is False
    assert named in result["returnMessage"]["message"]
    assert result["returnMessage"]["ttl"] == 5000
    assert clio.requests == []


def test_list_range_across_pages(calendar: Runner, clio: FakeClio) -> None:
    """The selection applies to every page Clio sends, not only the first (the connector reads one page)."""
    clio.page_size = 3
    for day in range(1, 11):
        clio.add_entry(
            summary=f"day {day}", start_at=f"2024-03-{day:02}T23:30:00Z", end_at=f"2024-03-{day + 1:02}T00:30:00Z"
        )
    result = calendar.list_appointments({"startDate": "2024-03-03", "endDate": "2024-03-08"})
    assert [a["title"] for a in result["appointments"]] == [f"day {d}" for d in range(3, 9)]
    assert len(clio.calls("GET", ENTRIES)) == 3  # 7 overlapping entries, 3 a page


# ---- listAppointments mineOnly ------------------------------------------------------------------------------------


def _calendars(clio: FakeClio) -> dict[str, dict[str, Any]]:
    clio.calendars = [
        {"id": 101, "owner": True, "writeable": True, "visible": True, "type": "UserCalendar"},
        {"id": 103, "owner": False, "writeable": True, "visible": True, "type": "AdhocCalendar"},
        {"id": 55, "owner": False, "writeable": False, "visible": True, "type": "UserCalendar"},
        {"id": 104, "owner": True, "writeable": True, "visible": False, "type": "AdhocCalendar"},
    ]
    return {
        "mine": clio.add_entry(summary="mine", calendar_owner_id=101),
        "team": clio.add_entry(summary="team", calendar_owner_id=103),
        "colleague's": clio.add_entry(summary="colleague's", calendar_owner_id=55),
        "my other calendar": clio.add_entry(summary="my other calendar", calendar_owner_id=104),
    }


def test_mine_only_keeps_the_entries_on_calendars_the_user_owns(calendar: Runner, clio: FakeClio) -> None:
    """Clio's `calendar_owner` of an entry is its calendar with the user's `permission` on it: "owner" is what the
    calendars list's `owner` filter means. Asked for in the same request: no extra round trip."""
    _calendars(clio)
    mine = calendar.list_appointments(None, mine_only=True)
    assert [a["title"] for a in mine["appointments"]] == ["mine", "my other calendar"]
    (page,) = clio.requests
    assert page.url.path == ENTRIES
    assert "calendar_owner{id,permission}" in page.url.params["fields"]
    everyone = calendar.list_appointments(None)
    assert len(everyone["appointments"]) == 4
    assert "calendar_owner" not in clio.requests[-1].url.params["fields"]


def test_mine_only_with_a_range_and_pages(calendar: Runner, clio: FakeClio) -> None:
    _calendars(clio)
    clio.page_size = 1
    clio.add_entry(summary="mine, later", start_at="2024-04-01T09:00:00Z", end_at="2024-04-01T10:00:00Z")
    result = calendar.list_appointments({"startDate": "2024-03-15", "endDate": "2024-03-15"}, mine_only=True)
    assert [a["title"] for a in result["appointments"]] == ["mine", "my other calendar"]
    assert len(clio.calls("GET", ENTRIES)) == 4


def test_mine_only_never_keeps_an_entry_whose_calendar_is_unknown(calendar: Runner, clio: FakeClio) -> None:
    clio.add_entry(summary="no calendar", calendar_owner_id=999)
    assert calendar.list_appointments(None, mine_only=True) == {"appointments": []}
    assert len(calendar.list_appointments(None, mine_only=False)["appointments"]) == 1


@pytest.mark.parametrize("flag", ["true", 1, "yes"])
def test_mine_only_must_be_a_boolean(calendar: Runner, clio: FakeClio, flag: object) -> None:
    result = calendar.list_appointments(None, mine_only=flag)
    assert result["successful"] is False
    assert "mineOnly must be true or false" in result["returnMessage"]["message"]
    assert clio.requests == []


def test_mine_only_through_the_module_function(clio: FakeClio) -> None:
    _calendars(clio)
    result = list_appointments(user=None, auth_header=AUTH, range=None, mine_only=True, transport=clio.transport)
    assert [a["title"] for a in result["appointments"]] == ["mine", "my other calendar"]


# ---- updateAppointment status-only patch, not found -----------------------------------------------------------------


@pytest.mark.parametrize("patch", [{"status": "confirmed"}, {"status": "cancelled", "title": None}])
def test_status_only_patch_has_the_connectors_words(calendar: Runner, clio: FakeClio, patch: dict[str, Any]) -> None:
    entry = clio.add_entry()
    assert calendar.update_appointment(entry["id"], patch) == warning(
        "Clio does not support appointment status changes."
    )
    assert clio.requests == []


def test_status_next_to_a_change_is_ignored_as_the_connector_does(calendar: Runner, clio: FakeClio) -> None:
    entry = clio.add_entry(summary="Old")
    result = calendar.update_appointment(entry["id"], {"status": "confirmed", "title": "New"})
    assert result["appointment"]["title"] == "New"
    assert clio.bodies("PATCH") == [{"data": {"summary": "New"}}]


def test_not_found_has_the_connectors_words(calendar: Runner, clio: FakeClio) -> None:
    assert calendar.refresh_appointment("424242") == NOT_FOUND
    assert calendar.update_appointment("424242", {"title": "x"}) == NOT_FOUND
    # Deleted between the read and the PATCH.
    entry = clio.add_entry()
    clio.fail("PATCH", f"/api/v4/calendar_entries/{entry['id']}.json", httpx.Response(404, json={}))
    assert calendar.update_appointment(entry["id"], {"title": "x"}) == NOT_FOUND


# ---- cancelAppointment --------------------------------------------------------------------------------------------


def test_cancel_has_the_connectors_words_and_ttl(calendar: Runner, clio: FakeClio) -> None:
    entry = clio.add_entry()
    assert calendar.cancel_appointment(entry["id"]) == {
        "successful": True,
        "returnMessage": {"message": "Appointment cancelled successfully.", "messageType": "success", "ttl": 5000},
    }
    assert clio.entries == {}


def test_cancel_of_an_entry_already_gone_is_successful_with_a_warning(calendar: Runner, clio: FakeClio) -> None:
    assert calendar.cancel_appointment("424242") == {
        "successful": True,
        "returnMessage": {
            "message": "Appointment not found in Clio; it was already cancelled or deleted.",
            "messageType": "warning",
            "ttl": 5000,
        },
    }


# ---- no writeable calendar ----------------------------------------------------------------------------------------


def test_no_writeable_calendar_has_the_connectors_words(calendar: Runner, clio: FakeClio) -> None:
    clio.calendars = [{"id": 55, "owner": False, "writeable": False, "visible": True, "type": "UserCalendar"}]
    assert calendar.create_appointment(PAYLOAD) == warning("No writeable calendar found in Clio.")
    # The connector's two queries, then nothing.
    assert [(r.method, r.url.path) for r in clio.requests] == [("GET", CALENDARS), ("GET", CALENDARS)]


# ---- unknown payload keys -----------------------------------------------------------------------------------------


def test_a_misspelt_key_never_becomes_an_appointment(calendar: Runner, clio: FakeClio) -> None:
    """The connector would store "Appointment", 0 minutes: `title` is undefined and `durationMinutes` 0."""
    result = calendar.create_appointment({"titel": "Intake", "startTimeUtc": START, "duratonMinutes": 30})
    assert result == warning(
        "Invalid appointment: payload has unknown keys 'titel', 'duratonMinutes' (it takes title, summary, "
        "startTimeUtc, startTime, durationMinutes, contacts, idempotencyKey)."
    )
    assert clio.requests == []


def test_unknown_keys_in_a_patch_are_refused(calendar: Runner, clio: FakeClio) -> None:
    entry = clio.add_entry(summary="Keep")
    result = calendar.update_appointment(entry["id"], {"titel": "New"})
    assert result["successful"] is False
    assert result["returnMessage"]["message"] == (
        "Invalid appointment: patch has unknown key 'titel' (it takes title, summary, startTimeUtc, startTime, "
        "durationMinutes, contacts, status)."
    )
    assert clio.requests == []
    # A status next to an unknown key is not a status-only patch: the key is named.
    assert (
        "'colour'" in calendar.update_appointment(entry["id"], {"status": "x", "colour": 1})["returnMessage"]["message"]
    )


def test_unknown_keys_in_a_range_are_refused(calendar: Runner, clio: FakeClio) -> None:
    result = calendar.list_appointments({"from": "2024-03-11", "to": "2024-03-15"})
    assert result["returnMessage"]["message"] == (
        "Invalid appointment: range has unknown keys 'from', 'to' (it takes startDate, endDate, startTime, endTime)."
    )
    assert clio.requests == []


def test_many_or_odd_unknown_keys_are_named_briefly(calendar: Runner, clio: FakeClio) -> None:
    payload: dict[Any, Any] = {f"k{n}": n for n in range(7)}
    payload[3] = "not text"
    payload["x" * 100] = 1
    message = calendar.create_appointment({**PAYLOAD, **payload})["returnMessage"]["message"]
    assert "'k0', 'k1', 'k2', 'k3', 'k4' and 4 more" in message
    assert len(message) < 300
    assert clio.requests == []


def test_every_key_app_connect_documents_is_taken(calendar: Runner, clio: FakeClio) -> None:
    created = calendar.create_appointment(
        {
            "title": "Intake",
            "summary": "Notes",
            "startTimeUtc": START,
            "durationMinutes": 30,
            "contacts": [201],
            "idempotencyKey": "call-7",
        }
    )
    entry_id = created["appointmentId"]
    assert "appointmentId" in calendar.create_appointment({"startTime": START})
    patch = {"title": "T", "summary": "S", "startTimeUtc": START, "durationMinutes": 45, "contacts": [202]}
    assert "appointment" in calendar.update_appointment(entry_id, {**patch, "status": "scheduled"})
    assert "appointment" in calendar.update_appointment(entry_id, {"startTime": START, "durationMinutes": 15})


# ---- a contact Clio does not know ---------------------------------------------------------------------------------


def test_create_with_a_contact_clio_does_not_know(calendar: Runner, clio: FakeClio) -> None:
    result = calendar.create_appointment({**PAYLOAD, "contacts": [201, 999, "998"]})
    assert result == warning("Contacts 999, 998 were not found in Clio, so the appointment was not created.")
    assert clio.entries == {}
    assert len(clio.calls("POST")) == 1  # a definite refusal: never sent again
    assert contact_lookups(clio) == ["201.json", "999.json", "998.json"]


def test_create_with_a_key_and_a_contact_clio_does_not_know(calendar: Runner, clio: FakeClio) -> None:
    result = calendar.create_appointment({**PAYLOAD, "contacts": [999]}, idempotency_key="k-1")
    assert result == warning("Contact 999 was not found in Clio, so the appointment was not created.")
    assert clio.entries == {}


def test_update_with_a_contact_clio_does_not_know(calendar: Runner, clio: FakeClio) -> None:
    entry = clio.add_entry(attendees=[{"id": 201, "name": "Jane Smith", "type": "Contact"}])
    before = dict(entry)
    result = calendar.update_appointment(entry["id"], {"title": "New", "contacts": [202, 999]})
    assert result == warning("Contact 999 was not found in Clio, so the appointment was not changed.")
    assert clio.entries[int(entry["id"])] == before
    # Only the contacts the PATCH added are looked up.
    assert contact_lookups(clio) == ["202.json", "999.json"]


def test_a_422_about_something_else_is_raised(calendar: Runner, clio: FakeClio) -> None:
    body = {"error": {"type": "RecordInvalid", "message": "Validation failed: Summary is too long"}}
    clio.fail("POST", ENTRIES, httpx.Response(422, json=body))
    with pytest.raises(ValidationError, match="Summary is too long"):
        calendar.create_appointment({**PAYLOAD, "contacts": [201]})
    # No contacts added: no lookups at all.
    clio.requests.clear()
    clio.fail("POST", ENTRIES, httpx.Response(422, json=body))
    with pytest.raises(ValidationError):
        calendar.create_appointment(PAYLOAD)
    assert contact_lookups(clio) == []


def test_a_failed_contact_lookup_leaves_clios_422(make_calendar: Any, clio: FakeClio) -> None:
    calendar = make_calendar(clio.transport, max_retries=0)
    clio.fail("GET", f"{CONTACTS}999.json", httpx.Response(500, json={"error": {"type": "X", "message": "down"}}))
    with pytest.raises(ValidationError):
        calendar.create_appointment({**PAYLOAD, "contacts": [999]})
    assert clio.entries == {}
