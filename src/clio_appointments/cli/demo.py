"""`clio-appointments demo`: the whole appointment life cycle on the embedded emulator, no account needed.

Everything runs in this process: the emulator is an ASGI app reached through an in-process httpx transport, so no
socket is opened and nothing leaves the machine. Each step prints what was sent and what App Connect gets back.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from . import MissingExtraError
from ._common import PROG, make_output

if TYPE_CHECKING:
    from clio_emulator import Emulator

    from .. import AppointmentRange, ClioCalendar
    from ._render import Output

HELP = "Create, list, update, refresh and cancel an appointment on the embedded Clio emulator (no account needed)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--day",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the day to book the appointment on (default: tomorrow, UTC)",
    )


@contextmanager
def _embedded_emulator() -> Iterator[Emulator]:
    try:
        from clio_emulator import create_app
    except ImportError as exc:
        raise MissingExtraError("emulator", exc.name or "starlette") from None
    # Rate limiting off: the demo is a handful of requests, and it shows the calls, not the throttle.
    emulator: Emulator = create_app(rate_limit=None).state.emulator
    try:
        yield emulator
    finally:
        emulator.close()


class _Steps:
    """Numbers the steps and tells how many HTTP requests each one took (the emulator counts them)."""

    def __init__(self, out: Output, emulator: Emulator) -> None:
        self.out = out
        self.emulator = emulator
        self.number = 0
        self._seen = emulator.request_count

    def start(self, title: str, subtitle: str = "") -> None:
        self.number += 1
        self.out.heading(f"{self.number}. {title}", subtitle)

    def requests(self, why: str = "") -> None:
        count = self.emulator.request_count - self._seen
        self._seen = self.emulator.request_count
        plural = "" if count == 1 else "s"
        self.out.line(f"{count} HTTP request{plural} to the emulator{': ' + why if why else ''}.", style="dim")


def _edit_in_clio(emulator: Emulator, appointment_id: str, description: str) -> None:
    """Change the entry behind the SDK's back, as someone in Clio's web app would, with a raw v4 PATCH."""
    import httpx

    with httpx.Client(
        base_url=emulator.base_url,
        transport=emulator.transport(),
        headers={"Authorization": f"Bearer {emulator.token}"},
    ) as clio:
        response = clio.patch(
            f"/api/v4/calendar_entries/{int(appointment_id)}.json", json={"data": {"description": description}}
        )
        response.raise_for_status()


def _lifecycle(out: Output, emulator: Emulator, calendar: ClioCalendar, day: date) -> bool:
    """The five App Connect calls in order; False as soon as one does not do what it should."""
    steps = _Steps(out, emulator)
    out.line(f"{PROG} demo: App Connect's appointment calls against a local Clio emulator.", style="bold")
    out.line(f"Signed in as the emulator's seeded user Ada Lovelace; requests go to {emulator.base_url} (in-process).")

    payload: dict[str, Any] = {
        "title": "Intake call with Jane Smith",
        "summary": "Initial consultation",
        "startTimeUtc": f"{day.isoformat()}T14:00:00Z",
        "durationMinutes": 60,
        "contacts": [201],
    }
    steps.start("Create", "createAppointment: App Connect sends this payload")
    out.data("payload", payload)
    created = calendar.create_appointment(payload)
    if "appointment" not in created:
        out.message(created["returnMessage"])
        return False
    appointment_id = created["appointmentId"]
    out.message({"message": f"Created appointment {appointment_id}.", "messageType": "success"})
    out.appointment(created["appointment"])
    steps.requests("find the writeable calendar (cached from now on), then POST the entry")

    day_range: AppointmentRange = {"startDate": day.isoformat(), "endDate": day.isoformat()}
    steps.start("List the day", f"listAppointments: {json.dumps(day_range)}")
    listed = calendar.list_appointments(day_range)
    if "appointments" not in listed:
        out.message(listed["returnMessage"])
        return False
    out.appointments(listed["appointments"], day.strftime("%a %d %b %Y"))
    steps.requests()

    patch: dict[str, Any] = {
        "title": "Intake call with Jane Smith and John Doe",
        "startTimeUtc": f"{day.isoformat()}T15:30:00Z",
        "durationMinutes": 45,
        "contacts": [201, 202],
    }
    steps.start("Update", "updateAppointment: only the fields in the patch change")
    out.data("patch", patch)
    updated = calendar.update_appointment(appointment_id, patch)
    if "appointment" not in updated:
        out.message(updated["returnMessage"])
        return False
    out.message({"message": f"Updated appointment {appointment_id}.", "messageType": "success"})
    out.appointment(updated["appointment"])
    steps.requests("read the current attendees, then PATCH")

    steps.start("Refresh", "Meanwhile someone edits the description in Clio; refreshAppointment picks it up")
    _edit_in_clio(emulator, appointment_id, "Initial consultation; bring the engagement letter")
    steps.requests("the edit in Clio (not through the SDK)")
    refreshed = calendar.refresh_appointment(appointment_id)
    if "appointment" not in refreshed:
        out.message(refreshed["returnMessage"])
        return False
    out.appointment(refreshed["appointment"])
    steps.requests()

    steps.start("Cancel", "cancelAppointment, then the day is listed again")
    cancelled = calendar.cancel_appointment(appointment_id)
    out.message(cancelled["returnMessage"])
    if not cancelled["successful"]:
        return False
    after = calendar.list_appointments(day_range)
    if "appointments" not in after:
        out.message(after["returnMessage"])
        return False
    out.appointments(after["appointments"], day.strftime("%a %d %b %Y"))
    steps.requests("DELETE, then list")
    return not after["appointments"]


def _next_steps(out: Output, emulator: Emulator) -> None:
    out.heading("Next")
    out.line(f"{emulator.request_count} HTTP requests in all, none of them over the network.")
    out.line(f"Run the emulator on a port:    {PROG} serve")
    out.line(f"Talk to it:                    {PROG} list --base-url http://127.0.0.1:8765 --token {emulator.token}")
    out.line(f"Use your Clio account:         CLIO_TOKEN=... {PROG} list --day {date.today().isoformat()} --region us")


def run(args: argparse.Namespace) -> int:
    out = make_output()
    day: date = args.day or (datetime.now(UTC) + timedelta(days=1)).date()
    import httpx

    from .. import ClioCalendar, ClioError

    with _embedded_emulator() as emulator:
        try:
            with ClioCalendar(
                f"Bearer {emulator.token}", base_url=emulator.base_url, transport=emulator.transport()
            ) as calendar:
                done = _lifecycle(out, emulator, calendar, day)
        except (ClioError, httpx.HTTPError) as exc:
            # Only a broken installation gets here: the emulator is seeded and unthrottled.
            print(f"{PROG} demo: {exc}", file=sys.stderr)
            return 1
        if not done:
            print(f"{PROG} demo: a step did not do what it should; see above.", file=sys.stderr)
            return 1
        _next_steps(out, emulator)
    return 0
