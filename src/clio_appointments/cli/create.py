"""`clio-appointments create PAYLOAD`: App Connect's createAppointment against Clio or an emulator."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ._common import add_connection_options, execute, read_json_argument

if TYPE_CHECKING:
    from .. import ClioCalendar, CreateResult
    from ._render import Output

HELP = "Create an appointment from an App Connect payload (JSON, @file or @- for stdin)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "payload",
        metavar="PAYLOAD",
        help='e.g. \'{"title": "Intake", "startTimeUtc": "2024-03-15T14:00:00Z", "durationMinutes": 60, '
        '"contacts": [201]}\'',
    )
    parser.add_argument(
        "--idempotency-key",
        metavar="KEY",
        help="the same key never creates a second appointment (default: a fresh one per call)",
    )
    add_connection_options(parser)


def _show(out: Output, result: CreateResult) -> None:
    if "appointment" in result:
        out.message({"message": f"Created appointment {result['appointmentId']}.", "messageType": "success"})
        out.appointment(result["appointment"])


def run(args: argparse.Namespace) -> int:
    def call(calendar: ClioCalendar, payload: Any) -> CreateResult:
        return calendar.create_appointment(payload, idempotency_key=args.idempotency_key)

    return execute(args, lambda: read_json_argument(args.payload, "PAYLOAD"), call, _show)
