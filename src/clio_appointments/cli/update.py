"""`clio-appointments update ID PATCH`: App Connect's updateAppointment; only what the patch names changes."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ._common import add_connection_options, execute, read_json_argument

if TYPE_CHECKING:
    from .. import ClioCalendar, UpdateResult
    from ._render import Output

HELP = "Change an appointment: only the fields the patch names (JSON, @file or @- for stdin)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("appointment_id", metavar="ID", help="the appointment (Clio calendar entry) id")
    parser.add_argument(
        "patch", metavar="PATCH", help='e.g. \'{"title": "Intake (moved)", "startTimeUtc": "2024-03-15T15:00:00Z"}\''
    )
    add_connection_options(parser)


def _show(out: Output, result: UpdateResult) -> None:
    if "appointment" in result:
        out.message({"message": f"Updated appointment {result['appointment']['id']}.", "messageType": "success"})
        out.appointment(result["appointment"])


def run(args: argparse.Namespace) -> int:
    def call(calendar: ClioCalendar, patch: Any) -> UpdateResult:
        return calendar.update_appointment(args.appointment_id, patch)

    return execute(args, lambda: read_json_argument(args.patch, "PATCH"), call, _show)
