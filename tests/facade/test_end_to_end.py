"""The facade against the local emulator, in-process, sync and async: the same Clio behaviour the fake only imitates
(fields, filters, paging, permissions, faults that strike after the entry is stored)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from clio_appointments import ClioConnectionError, ServerError, create_appointment, list_appointments
from clio_emulator import SEED, Emulator, create_app

from .conftest import Runner

AUTH = f"Bearer {SEED.token}"
ENTRIES = "/api/v4/calendar_entries.json"
PAYLOAD = {
    "title": "Intake call with Jane Smith",
    "summary": "Initial consultation",
    "startTimeUtc": "2024-03-15T14:00:00Z",
    "durationMinutes": 45,
    "contacts": [201, {"id": "202"}, "junk", " 201 "],
}


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    app = create_app(rate_limit=None)
    emulator: Emulator = app.state.emulator
    yield emulator
    emulator.close()


class EmulatorRunner(Runner):
    """A Runner on the emulator, with the transport its mode needs and the seeded user's token."""

    def __init__(self, mode: str, emulator: Emulator, auth: str = AUTH, **options: Any) -> None:
        self.mode = mode
        self.loop = None
        if mode == "sync":
            from clio_appointments import ClioCalendar

            self.client = ClioCalendar(auth, transport=emulator.transport(), **options)
        else:
            from clio_appointments import AsyncClioCalendar

            self.loop = asyncio.new_event_loop()
            self.client = AsyncClioCalendar(auth, transport=emulator.async_transport(), **options)


@pytest.fixture
def connect(mode: str, emulator: Emulator) -> Iterator[Callable[..., Runner]]:
    runners: list[Runner] = []

    def make(auth: str = AUTH, **options: Any) -> Runner:
        runner = EmulatorRunner(mode, emulator, auth, **options)
        runners.append(runner)
        return runner

    yield make
    for runner in runners:
        runner.close()


def test_life_cycle(connect: Callable[..., Runner], emulator: Emulator) -> None:
    calendar = connect()
    created = calendar.create_appointment(PAYLOAD)
    entry_id = created["appointmentId"]
    assert created["appointment"] == {
        "id": entry_id,
        "thirdPartyAppointmentId": entry_id,
        "title": "Intake call with Jane Smith",
        "description": "Initial consultation",
        "startTimeUtc": "2024-03-15T14:00:00.000Z",
        "durationMinutes": 45,
        "status": "scheduled",
        "contactId": "",
        "attendees": [
            {"id": 201, "name": "Jane Smith", "type": "Contact"},
            {"id": 202, "name": "John Doe", "type": "Contact"},
        ],
    }
    # Partial: the description and attendees stay; moving keeps the 45 minutes.
    moved = calendar.update_appointment(entry_id, {"title": "Moved", "startTimeUtc": "2024-03-16T09:00:00+01:00"})
    assert moved["appointment"]["title"] == "Moved"
    assert moved["appointment"]["description"] == "Initial consultation"
    assert moved["appointment"]["startTimeUtc"] == "2024-03-16T08:00:00.000Z"
    assert moved["appointment"]["durationMinutes"] == 45
    assert len(moved["appointment"]["attendees"]) == 2
    replaced = calendar.update_appointment(entry_id, {"contacts": [{"id": 205}, 202]})
    assert sorted(a["id"] for a in replaced["appointment"]["attendees"]) == [202, 205]
    assert calendar.update_appointment(entry_id, {"status": "confirmed"})["successful"] is False
    assert calendar.refresh_appointment(entry_id) == replaced
    assert calendar.cancel_appointment(entry_id)["returnMessage"]["messageType"] == "success"
    assert calendar.cancel_appointment(entry_id)["successful"] is True  # already gone: reported, not raised
    assert calendar.refresh_appointment(entry_id)["returnMessage"]["message"] == "Appointment not found in Clio."
    assert emulator.calendar_entry_count() == 0


def test_warm_create_is_one_http_request(connect: Callable[..., Runner], emulator: Emulator) -> None:
    calendar = connect()
    calendar.create_appointment(PAYLOAD)
    before = emulator.request_count
    calendar.create_appointment(PAYLOAD)
    assert emulator.request_count - before == 1


def test_each_user_gets_their_own_calendar(connect: Callable[..., Runner], emulator: Emulator) -> None:
    connect().create_appointment(PAYLOAD)
    grace = connect(f"Bearer {SEED.second_token}")
    grace.create_appointment({**PAYLOAD, "title": "Grace's"})
    owners = {e["title"]: e for e in connect().list_appointments(None)["appointments"]}
    # Ada sees her own entry; Grace's went to Grace's calendar, which Ada can see (read only) too.
    assert set(owners) == {"Intake call with Jane Smith", "Grace's"}
    mine = connect(f"Bearer {SEED.second_token}").list_appointments(None)["appointments"]
    assert [a["title"] for a in mine] == ["Grace's"]


def test_list_reads_every_page_in_the_range(connect: Callable[..., Runner], emulator: Emulator) -> None:
    calendar = connect()
    for n in range(205):
        day = 10 + n % 3
        calendar.create_appointment(
            {"title": f"n{n}", "startTimeUtc": f"2024-04-{day}T09:00:00Z", "durationMinutes": 30}
        )
    before = emulator.request_count
    result = calendar.list_appointments({"startDate": "2024-04-10", "endDate": "2024-04-11"})
    titles = {a["title"] for a in result["appointments"]}
    assert titles == {f"n{n}" for n in range(205) if n % 3 != 2}
    assert len(result["appointments"]) == len(titles)
    assert emulator.request_count - before == 1  # 137 entries: one page
    everything = calendar.list_appointments(None)
    assert len(everything["appointments"]) == 205
    assert emulator.request_count - before == 3  # 200 + 5


def test_contacts_replace_contacts_but_keep_firm_users(connect: Callable[..., Runner], emulator: Emulator) -> None:
    """An entry with a firm user (type Calendar) among its attendees keeps that user when contacts change."""
    raw = httpx.Client(base_url=emulator.base_url, transport=emulator.transport(), headers={"Authorization": AUTH})
    with raw:
        created = raw.post(
            ENTRIES,
            params={"fields": "id"},
            json={
                "data": {
                    "summary": "With Grace",
                    "start_at": "2024-03-15T14:00:00Z",
                    "end_at": "2024-03-15T15:00:00Z",
                    "calendar_owner": {"id": 101},
                    "attendees": [{"id": 201, "type": "Contact"}, {"id": 102, "type": "Calendar"}],
                }
            },
        )
        assert created.status_code == 201, created.text
        entry_id = created.json()["data"]["id"]
    before = connect().refresh_appointment(entry_id)["appointment"]["attendees"]
    firm_users = [a for a in before if a["type"] == "Calendar"]
    assert firm_users
    after = connect().update_appointment(entry_id, {"contacts": [204]})["appointment"]["attendees"]
    assert [a for a in after if a["type"] == "Calendar"] == firm_users
    assert [a["id"] for a in after if a["type"] == "Contact"] == [204]


@pytest.mark.parametrize("drop", ["before_commit", "after_commit"])
def test_dropped_creates_are_neither_lost_nor_duplicated(
    connect: Callable[..., Runner], emulator: Emulator, drop: str
) -> None:
    calendar = connect()
    calendar.create_appointment(PAYLOAD)  # warm: the faults below hit only the create
    emulator.faults.add(method="POST", path=ENTRIES, drop=drop)
    second = {**PAYLOAD, "title": "Second"}
    if drop == "after_commit":
        # Stored before the connection broke: the key lookup finds it.
        result = calendar.create_appointment(second)
    else:
        # Not stored, but nothing says Clio is not still working on it: the caller gets the key, not a second POST.
        with pytest.raises(ClioConnectionError) as caught:
            calendar.create_appointment(second)
        assert caught.value.idempotency_key
        assert emulator.calendar_entry_count() == 1
        result = calendar.create_appointment(second, idempotency_key=caught.value.idempotency_key)
    assert result["appointment"]["title"] == "Second"
    titles = [a["title"] for a in calendar.list_appointments(None)["appointments"]]
    assert sorted(titles) == ["Intake call with Jane Smith", "Second"]


def test_server_errors_on_create(connect: Callable[..., Runner], emulator: Emulator) -> None:
    calendar = connect(max_retries=2)
    calendar.create_appointment(PAYLOAD)
    emulator.faults.add(method="POST", path=ENTRIES, status=503, times=2)
    # A 503 proves nothing about the write: the key is looked up, not found, and the error carries it.
    with pytest.raises(ServerError) as caught:
        calendar.create_appointment(PAYLOAD)
    assert caught.value.may_have_reached_clio is True
    assert emulator.calendar_entry_count() == 1
    # The documented recovery: create again with the key (after the second 503, it is stored once).
    key = caught.value.idempotency_key
    assert key is not None
    with pytest.raises(ServerError):
        calendar.create_appointment(PAYLOAD, idempotency_key=key)
    assert "appointmentId" in calendar.create_appointment(PAYLOAD, idempotency_key=key)
    assert emulator.calendar_entry_count() == 2


def test_module_functions_on_the_emulator(emulator: Emulator) -> None:
    transport = emulator.transport()
    user = {"hostname": "ca.app.clio.com", "id": "ada"}
    created = create_appointment(user=user, auth_header=AUTH, payload=PAYLOAD, transport=transport)
    listed = list_appointments(user=user, auth_header=AUTH, range=None, transport=transport)
    assert [a["id"] for a in listed["appointments"]] == [created["appointmentId"]]
    transport.close()


def test_a_contact_clio_does_not_know_against_the_emulator(connect: Callable[..., Runner], emulator: Emulator) -> None:
    """The emulator refuses the write with Clio's 422 body; the facade names the contact and nothing is stored."""
    calendar = connect()
    refused = calendar.create_appointment({**PAYLOAD, "contacts": [201, 999]})
    assert refused == {
        "successful": False,
        "returnMessage": {
            "message": "Contact 999 was not found in Clio, so the appointment was not created.",
            "messageType": "warning",
            "ttl": 5000,
        },
    }
    assert emulator.calendar_entry_count() == 0
    entry_id = calendar.create_appointment(PAYLOAD)["appointmentId"]
    unchanged = calendar.refresh_appointment(entry_id)
    result = calendar.update_appointment(entry_id, {"title": "New", "contacts": [{"id": 998}, 205]})
    assert (
        result["returnMessage"]["message"] == "Contact 998 was not found in Clio, so the appointment was not changed."
    )
    assert calendar.refresh_appointment(entry_id) == unchanged
    assert emulator.calendar_entry_count() == 1


def test_mine_only_against_the_emulator(connect: Callable[..., Runner], emulator: Emulator) -> None:
    """Ada owns calendar 101, edits the team's 103 and views Grace's 102: only 101's entries are hers."""
    ada = connect()
    ada.create_appointment({**PAYLOAD, "title": "Ada's"})
    connect(f"Bearer {SEED.second_token}").create_appointment({**PAYLOAD, "title": "Grace's"})
    raw = httpx.Client(base_url=emulator.base_url, transport=emulator.transport(), headers={"Authorization": AUTH})
    with raw:
        team = {"summary": "Team's", "start_at": "2024-03-15T09:00:00Z", "end_at": "2024-03-15T10:00:00Z"}
        created = raw.post(ENTRIES, json={"data": {**team, "calendar_owner": {"id": 103}}})
        assert created.status_code == 201, created.text
    everyone = ada.list_appointments({"startDate": "2024-03-15", "endDate": "2024-03-15"})
    assert sorted(a["title"] for a in everyone["appointments"]) == ["Ada's", "Grace's", "Team's"]
    before = emulator.request_count
    mine = ada.list_appointments({"startDate": "2024-03-15", "endDate": "2024-03-15"}, mine_only=True)
    assert [a["title"] for a in mine["appointments"]] == ["Ada's"]
    assert emulator.request_count - before == 1
