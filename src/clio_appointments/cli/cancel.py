"""`clio-appointments cancel ID`: App Connect's cancelAppointment (deletes the Clio calendar entry)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ._common import add_connection_options, execute

if TYPE_CHECKING:
    from .. import CancelResult, ClioCalendar
    from ._render import Output

HELP = "Cancel an appointment (delete it from Clio); one already gone is reported, not an error."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("appointment_id", metavar="ID", help="the appointment (Clio calendar entry) id")
    add_connection_options(parser)


def _show(out: Output, result: CancelResult) -> None:
    out.message(result["returnMessage"])


def run(args: argparse.Namespace) -> int:
    def call(calendar: ClioCalendar, appointment_id: str) -> CancelResult:
        return calendar.cancel_appointment(appointment_id)

    return execute(args, lambda: str(args.appointment_id), call, _show)
