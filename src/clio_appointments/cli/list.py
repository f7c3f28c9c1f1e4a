"""`clio-appointments list`: App Connect's listAppointments over a range of whole UTC days, every page."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ._common import UsageError, add_connection_options, execute

if TYPE_CHECKING:
    from .. import AppointmentRange, ClioCalendar, ListResult
    from ._render import Output

HELP = "List appointments, for one day (--day) or a range (--from/--to); all of them without either."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--day", metavar="YYYY-MM-DD", help="one UTC day (the same as --from DAY --to DAY)")
    parser.add_argument(
        "--from", dest="start", metavar="DATE", help="first UTC day (YYYY-MM-DD, inclusive) or an RFC 3339 date-time"
    )
    parser.add_argument(
        "--to", dest="end", metavar="DATE", help="last UTC day (YYYY-MM-DD, inclusive) or an RFC 3339 date-time"
    )
    add_connection_options(parser)


def _range(args: argparse.Namespace) -> AppointmentRange:
    if args.day is not None:
        if args.start is not None or args.end is not None:
            raise UsageError("--day cannot be combined with --from or --to")
        return {"startDate": args.day, "endDate": args.day}
    window: AppointmentRange = {}
    if args.start is not None:
        window["startDate"] = args.start
    if args.end is not None:
        window["endDate"] = args.end
    return window


def _title(args: argparse.Namespace) -> str:
    if args.day is not None:
        return str(args.day)
    if args.start is not None or args.end is not None:
        return f"{args.start or 'the beginning'} to {args.end or 'the end'}"
    return "All appointments"


def run(args: argparse.Namespace) -> int:
    def call(calendar: ClioCalendar, window: AppointmentRange) -> ListResult:
        return calendar.list_appointments(window or None)

    def show(out: Output, result: ListResult) -> None:
        if "appointments" in result:
            out.appointments(result["appointments"], _title(args))

    return execute(args, lambda: _range(args), call, show)
