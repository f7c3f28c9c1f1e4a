"""The facade's own scenario: App Connect payloads through clio_appointments, checked against what Clio stored.

Each good payload is created with ClioCalendar, read back with the generated client and compared with what the
payload meant; refused payloads must come back as warnings without a single request. Then the created
appointments are listed, updated, refreshed and cancelled. Every id is handed to the workspace as soon as it is
known, so cleanup deletes it whatever fails afterwards.
"""

from __future__ import annotations

import functools
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx

from clio_calendar_api.models.calendar_entry_show import CalendarEntryShow

from ._payloads import Expected, Refused, Row, payload_table, utc_text
from ._redact import Redactor
from ._results import Outcome, TestResult
from ._workspace import Workspace

__all__ = ["SUITE", "Scenario", "scenario_day"]

SUITE = "scenario"
READ_FIELDS = "id,summary,description,start_at,end_at,calendar_owner{id},attendees{id,name,type}"
APPOINTMENT_KEYS = {
    "id",
    "thirdPartyAppointmentId",
    "title",
    "description",
    "startTimeUtc",
    "durationMinutes",
    "status",
    "contactId",
    "attendees",
}

T = TypeVar("T")


class Mismatch(AssertionError):
    """What the facade returned or Clio stored is not what the payload meant."""


def scenario_day(seed: int) -> datetime:
    """A UTC day years ahead, different from run to run, so listing it back finds this run's appointments only."""
    return datetime(2042, 1, 1, tzinfo=UTC) + timedelta(days=random.Random(seed).randrange(4 * 365))


class CountingTransport(httpx.BaseTransport):
    """Counts the requests the facade sends (a refused payload must send none)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner
        self._lock = threading.Lock()
        self.count = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.count += 1
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


@dataclass(frozen=True, slots=True)
class Stored:
    """A calendar entry as Clio returned it, reduced to what the payload decides."""

    summary: object
    description: object
    start: str | None
    end: str | None
    calendar_id: object
    contacts: tuple[int, ...]
    names: dict[int, str]


def _text_time(value: object) -> str | None:
    return utc_text(value) if isinstance(value, datetime) else None


def _expect(what: str, got: object, wanted: object) -> None:
    if got != wanted:
        raise Mismatch(f"{what}: expected {wanted!r}, got {got!r}")


class Scenario:
    """One pass through the table; `calendar` is a clio_appointments.ClioCalendar sending through `counter`."""

    def __init__(
        self,
        calendar: Any,
        counter: CountingTransport,
        workspace: Workspace,
        *,
        seed: int,
        redact: Redactor,
        on_step: Callable[[str], None] = lambda _: None,
        on_result: Callable[[TestResult], None] = lambda _: None,
    ) -> None:
        self.calendar = calendar
        self.counter = counter
        self.workspace = workspace
        self.redact = redact
        self.on_step = on_step
        self.on_result = on_result
        self.day = scenario_day(seed)
        self.results: list[TestResult] = []
        self.created: dict[str, tuple[int, Expected]] = {}  # row name -> (entry id, what it should hold)

    # ---- bookkeeping -------------------------------------------------------------------------------------------------

    def _record(self, name: str, outcome: Outcome, message: str = "", seconds: float = 0.0) -> None:
        result = TestResult(SUITE, name, outcome, self.redact(message), round(seconds, 3), 1)
        self.results.append(result)
        self.on_result(result)

    def _step(self, name: str, action: Callable[[], T]) -> T | None:
        self.on_step(f"scenario: {name}")
        started = time.monotonic()
        try:
            value = action()
        except Mismatch as exc:
            self._record(name, Outcome.FAILED, str(exc), time.monotonic() - started)
            return None
        except Exception as exc:  # the facade raised (ClioError) or the network failed: the step could not finish
            self._record(name, Outcome.ERROR, f"{type(exc).__name__}: {exc}", time.monotonic() - started)
            return None
        self._record(name, Outcome.PASSED, "", time.monotonic() - started)
        return value

    def _skip(self, name: str, reason: str) -> None:
        self._record(name, Outcome.SKIPPED, reason)

    # ---- reading Clio ----------------------------------------------------------------------------------------------

    def stored(self, entry_id: int) -> Stored | None:
        """The entry as Clio has it now; None when Clio says it does not exist."""
        response = self.workspace.read_entry(entry_id, READ_FIELDS)
        status = int(response.status_code)
        if status == 404:
            return None
        if status != 200 or not isinstance(response.parsed, CalendarEntryShow):
            raise Mismatch(f"reading entry {entry_id} back answered HTTP {status}")
        entry = response.parsed.data
        contacts: list[int] = []
        names: dict[int, str] = {}
        for attendee in entry.attendees if isinstance(entry.attendees, list) else []:
            if isinstance(attendee.id, int):
                names[attendee.id] = attendee.name if isinstance(attendee.name, str) else ""
                if attendee.type_ == "Contact":
                    contacts.append(attendee.id)
        owner = entry.calendar_owner
        return Stored(
            summary=entry.summary,
            description=entry.description,
            start=_text_time(entry.start_at),
            end=_text_time(entry.end_at),
            calendar_id=getattr(owner, "id", None),
            contacts=tuple(sorted(contacts)),
            names=names,
        )

    def _compare_stored(self, entry_id: int, wanted: Expected) -> Stored:
        stored = self.stored(entry_id)
        if stored is None:
            raise Mismatch(f"entry {entry_id} is not in Clio")
        _expect("summary", stored.summary, wanted.summary)
        # Clio may keep an empty description as null; App Connect shows both as "".
        _expect("description", stored.description or "", wanted.description)
        _expect("start_at", stored.start, wanted.start)
        _expect("end_at", stored.end, wanted.end)
        _expect("calendar_owner.id", stored.calendar_id, self.workspace.calendar_id)
        _expect("contact attendees", stored.contacts, tuple(sorted(wanted.contacts)))
        return stored

    @staticmethod
    def _compare_appointment(appointment: Any, wanted: Expected, what: str) -> None:
        if not isinstance(appointment, dict):
            raise Mismatch(f"{what}: not an appointment: {appointment!r}")
        _expect(f"{what} keys", set(appointment), APPOINTMENT_KEYS)
        _expect(f"{what} title", appointment["title"], wanted.summary)
        _expect(f"{what} description", appointment["description"], wanted.description)
        _expect(f"{what} startTimeUtc", appointment["startTimeUtc"], wanted.start)
        _expect(f"{what} durationMinutes", appointment["durationMinutes"], wanted.minutes)
        _expect(f"{what} status", appointment["status"], "scheduled")
        _expect(f"{what} contactId", appointment["contactId"], "")
        _expect(f"{what} thirdPartyAppointmentId", appointment["thirdPartyAppointmentId"], appointment["id"])
        contacts = sorted(a["id"] for a in appointment["attendees"] if a.get("type") == "Contact")
        _expect(f"{what} contact attendees", tuple(contacts), tuple(sorted(wanted.contacts)))

    # ---- the scenario ----------------------------------------------------------------------------------------------

    def run(self) -> list[TestResult]:
        rows = payload_table(self.day, self.workspace.contact_ids)
        for row in rows:
            if row.contacts_needed > len(self.workspace.contact_ids):
                self._skip(f"create :: {row.name}", f"needs {row.contacts_needed} existing contact ids (--contact-id)")
            elif isinstance(row.expect, Refused):
                self._step(f"refuse :: {row.name}", functools.partial(self._refuse, row))
            else:
                self._create_and_read(row)
        self._step("list :: the day's appointments", self._list)
        self._updates()
        for name, (entry_id, wanted) in list(self.created.items()):
            self._step(f"refresh :: {name}", functools.partial(self._refresh, entry_id, wanted))
        self._cancels()
        return self.results

    def _create_and_read(self, row: Row) -> None:
        wanted = row.expect
        assert isinstance(wanted, Expected)

        def create() -> int:
            result = self.calendar.create_appointment(row.payload)
            if "appointmentId" not in result:
                raise Mismatch(f"the facade refused a good payload: {result.get('returnMessage')}")
            entry_id = int(result["appointmentId"])
            self.workspace.track(entry_id, f"facade scenario ({row.name})")
            _expect("appointmentId", result["appointmentId"], result["appointment"]["id"])
            self._compare_appointment(result["appointment"], wanted, "createAppointment's appointment")
            return entry_id

        entry_id = self._step(f"create :: {row.name}", create)
        if entry_id is None:
            return
        self.created[row.name] = (entry_id, wanted)
        self._step(f"read back :: {row.name}", lambda: self._compare_stored(entry_id, wanted))

    def _refuse(self, row: Row) -> None:
        refused = row.expect
        assert isinstance(refused, Refused)
        before = self.counter.count
        result = self.calendar.create_appointment(row.payload)
        if "appointmentId" in result:
            self.workspace.track(int(result["appointmentId"]), f"facade scenario ({row.name})")
            raise Mismatch(f"the facade created an appointment from a payload it must refuse: {result!r}")
        _expect("successful", result.get("successful"), False)
        message = result["returnMessage"]
        _expect("messageType", message.get("messageType"), "warning")
        if refused.field not in message.get("message", ""):
            raise Mismatch(f"the warning does not name {refused.field}: {message.get('message')!r}")
        _expect("requests sent for a refused payload", self.counter.count - before, 0)

    def _list(self) -> None:
        date = self.day.strftime("%Y-%m-%d")
        listed = self.calendar.list_appointments({"startDate": date, "endDate": date})
        if "appointments" not in listed:
            raise Mismatch(f"listAppointments failed: {listed.get('returnMessage')}")
        by_id = {a["id"]: a for a in listed["appointments"]}
        for name, (entry_id, wanted) in self.created.items():
            appointment = by_id.get(str(entry_id))
            if appointment is None:
                raise Mismatch(f"appointment {entry_id} ({name}) is missing from listAppointments for {date}")
            _expect(f"{entry_id} participantName", appointment.pop("participantName", None), "")
            self._compare_appointment(appointment, wanted, f"listed appointment {entry_id}")

    def _updates(self) -> None:
        created = list(self.created.items())
        if len(created) < 2:
            self._skip("update :: title and duration", "needs two created appointments")
            return
        (first_name, (first, first_wanted)), (second_name, (second, second_wanted)) = created[:2]

        def retitle() -> None:
            patch = {"title": "Conformance: renamed", "durationMinutes": 60}
            start = datetime.fromisoformat(first_wanted.start)
            wanted = Expected(
                "Conformance: renamed",
                first_wanted.description,
                first_wanted.start,
                utc_text(start + timedelta(minutes=60)),
                first_wanted.contacts,
            )
            self._update(first, patch, wanted)
            self.created[first_name] = (first, wanted)

        def move() -> None:
            old_start = datetime.fromisoformat(second_wanted.start)
            length = datetime.fromisoformat(second_wanted.end) - old_start
            new_start = old_start + timedelta(hours=3)
            wanted = Expected(
                second_wanted.summary,
                second_wanted.description,
                utc_text(new_start),
                utc_text(new_start + length),
                second_wanted.contacts,
            )
            self._update(second, {"startTimeUtc": utc_text(new_start)}, wanted)
            self.created[second_name] = (second, wanted)

        self._step(f"update :: title and duration ({first_name})", retitle)
        self._step(f"update :: start only keeps the length ({second_name})", move)
        contacts = self.workspace.contact_ids
        if len(contacts) >= 2:

            def recontact() -> None:
                entry_id, wanted = self.created[first_name]
                changed = Expected(wanted.summary, wanted.description, wanted.start, wanted.end, (contacts[1],))
                self._update(entry_id, {"contacts": [contacts[1]]}, changed)
                self.created[first_name] = (entry_id, changed)

            self._step(f"update :: contacts replace the attendees ({first_name})", recontact)
        else:
            self._skip("update :: contacts replace the attendees", "needs 2 existing contact ids (--contact-id)")

        def status() -> None:
            before = self.counter.count
            result = self.calendar.update_appointment(first, {"status": "cancelled"})
            _expect("successful", result.get("successful"), False)
            _expect("requests sent for a status change", self.counter.count - before, 0)

        self._step("update :: a status change is refused", status)

    def _update(self, entry_id: int, patch: dict[str, Any], wanted: Expected) -> None:
        result = self.calendar.update_appointment(str(entry_id), patch)
        if "appointment" not in result:
            raise Mismatch(f"updateAppointment failed: {result.get('returnMessage')}")
        self._compare_appointment(result["appointment"], wanted, "updateAppointment's appointment")
        self._compare_stored(entry_id, wanted)

    def _refresh(self, entry_id: int, wanted: Expected) -> None:
        result = self.calendar.refresh_appointment(str(entry_id))
        if "appointment" not in result:
            raise Mismatch(f"refreshAppointment failed: {result.get('returnMessage')}")
        self._compare_appointment(result["appointment"], wanted, "refreshAppointment's appointment")
        stored = self._compare_stored(entry_id, wanted)
        for attendee in result["appointment"]["attendees"]:
            _expect(f"attendee {attendee['id']} name", attendee["name"], stored.names.get(attendee["id"]))

    def _cancels(self) -> None:
        for name, (entry_id, _) in list(self.created.items()):

            def cancel(entry_id: int = entry_id) -> None:
                result = self.calendar.cancel_appointment(str(entry_id))
                _expect("successful", result.get("successful"), True)
                _expect("messageType", result["returnMessage"].get("messageType"), "success")
                if self.stored(entry_id) is not None:
                    raise Mismatch(f"entry {entry_id} is still in Clio after cancelAppointment")
                self.workspace.gone(entry_id)

            self._step(f"cancel :: {name}", cancel)
        if not self.created:
            return
        entry_id = next(iter(self.created.values()))[0]

        def again() -> None:
            result = self.calendar.cancel_appointment(str(entry_id))
            _expect("successful", result.get("successful"), True)
            _expect("messageType", result["returnMessage"].get("messageType"), "warning")

        def refresh_gone() -> None:
            result = self.calendar.refresh_appointment(str(entry_id))
            _expect("successful", result.get("successful"), False)

        self._step("cancel :: an appointment already cancelled", again)
        self._step("refresh :: an appointment already cancelled", refresh_gone)
