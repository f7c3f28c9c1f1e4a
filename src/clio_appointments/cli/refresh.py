"""`clio-appointments refresh ID`: App Connect's refreshAppointment, the appointment as Clio has it now."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ._common import add_connection_options, execute

if TYPE_CHECKING:
    from .. import ClioCalendar, UpdateResult
    from ._render import Output

HELP = "Show an appointment as Clio has it now."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("appointment_id", metavar="ID", help="the appointment (Clio calendar entry) id")
    add_connection_options(parser)


def _show(out: Output, result: UpdateResult) -> None:
    if "appointment" in result:
        out.appointment(result["appointment"])


def run(args: argparse.Namespace) -> int:
    def call(calendar: ClioCalendar, appointment_id: str) -> UpdateResult:
        return calendar.refresh_appointment(appointment_id)

    return execute(args, lambda: str(args.appointment_id), call, _show)
