"""The facade's five interfaces end to end on the emulator, through the plugin's fixtures: in-process and socket."""

from __future__ import annotations

from typing import Any

import pytest

from clio_appointments import AsyncClioCalendar, ClioCalendar, ClioConnectionError
from clio_emulator import SEED, Emulator

PAYLOAD = {
    "title": "Intake call with Jane Smith",
    "summary": "Initial consultation",
    "startTimeUtc": "2024-03-15T14:00:00Z",
    "durationMinutes": 45,
    "contacts": [201, {"id": "204"}],
}


def life_cycle(calendar: Any, emulator: Emulator) -> None:
    created = calendar.create_appointment(PAYLOAD)
    appointment_id = created["appointmentId"]
    assert created["appointment"]["attendees"] == [
        {"id": 201, "name": "Jane Smith", "type": "Contact"},
        {"id": 204, "name": "María José García", "type": "Contact"},
    ]
    assert emulator.calendar_entry_count() == 1
    listed = calendar.list_appointments({"startDate": "2024-03-15", "endDate": "2024-03-15"})
    assert [a["id"] for a in listed["appointments"]] == [appointment_id]
    updated = calendar.update_appointment(appointment_id, {"title": "Moved", "contacts": [205]})
    assert updated["appointment"]["title"] == "Moved"
    refreshed = calendar.refresh_appointment(appointment_id)
    assert refreshed["appointment"]["attendees"] == [{"id": 205, "name": "Chen Wei", "type": "Contact"}]
    assert calendar.cancel_appointment(appointment_id)["successful"] is True
    assert emulator.calendar_entry_count() == 0


def test_facade_in_process(clio_calendar: ClioCalendar, clio_emulator: Emulator) -> None:
    life_cycle(clio_calendar, clio_emulator)


def test_facade_over_a_socket(clio_emulator_server: Emulator) -> None:
    with ClioCalendar(f"Bearer {SEED.token}", base_url=clio_emulator_server.base_url) as calendar:
        life_cycle(calendar, clio_emulator_server)


async def test_async_facade_in_process(clio_emulator: Emulator) -> None:
    async with AsyncClioCalendar(
        f"Bearer {clio_emulator.token}", base_url=clio_emulator.base_url, transport=clio_emulator.async_transport()
    ) as calendar:
        created = await calendar.create_appointment(PAYLOAD)
        refreshed = await calendar.refresh_appointment(created["appointmentId"])
        assert refreshed["appointment"]["title"] == PAYLOAD["title"]


@pytest.mark.parametrize("drop", ["before_commit", "after_commit"])
def test_a_dropped_create_is_neither_lost_nor_duplicated(
    clio_calendar: ClioCalendar, clio_emulator: Emulator, drop: str
) -> None:
    clio_calendar.list_appointments(None)  # warm up; the faults below only hit the create
    clio_emulator.faults.add(method="POST", path="/api/v4/calendar_entries.json", drop=drop)
    if drop == "after_commit":
        result = clio_calendar.create_appointment(PAYLOAD)  # the key lookup finds what was stored
    else:
        # Nothing was stored, but nothing says so: the caller gets the key that settles it, not a second POST.
        with pytest.raises(ClioConnectionError) as caught:
            clio_calendar.create_appointment(PAYLOAD)
        assert caught.value.idempotency_key
        assert clio_emulator.calendar_entry_count() == 0
        result = clio_calendar.create_appointment(PAYLOAD, idempotency_key=caught.value.idempotency_key)
    assert "appointmentId" in result, result
    assert clio_emulator.calendar_entry_count() == 1
