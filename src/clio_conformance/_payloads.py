"""The facade scenario's table: createAppointment payloads and what each one means (DESIGN.md's semantics table).

A good row says what Clio must end up storing; a refused row names the field the warning must name, and nothing
may be sent for it. Rows that need existing contacts are only used when the run was given some (--contact-id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["Expected", "Refused", "Row", "payload_table", "utc_text"]


def utc_text(moment: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SS.sssZ`, the form the facade sends and the emulator returns."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class Expected:
    """What Clio must store for a good row (times as UTC text to the millisecond)."""

    summary: str
    description: str
    start: str
    end: str
    contacts: tuple[int, ...] = ()

    @property
    def minutes(self) -> int:
        """App Connect's durationMinutes for the stored interval (JavaScript's Math.round)."""
        start = datetime.fromisoformat(self.start)
        end = datetime.fromisoformat(self.end)
        return int((end - start) / timedelta(minutes=1) + 0.5)


@dataclass(frozen=True, slots=True)
class Refused:
    """A payload the facade must refuse without sending anything; the warning names `field`."""

    field: str


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    payload: dict[str, Any] = field(hash=False)
    expect: Expected | Refused
    contacts_needed: int = 0


def payload_table(day: datetime, contacts: tuple[int, ...]) -> list[Row]:
    """The rows for one run; `day` is a UTC midnight the run has to itself (it lists that day back)."""

    def at(hours: int, minutes: int = 0, seconds: int = 0, millis: int = 0) -> datetime:
        return day + timedelta(hours=hours, minutes=minutes, seconds=seconds, milliseconds=millis)

    date = day.strftime("%Y-%m-%d")
    c1, c2 = (*contacts, 0, 0)[:2]
    rows = [
        Row(
            "title and summary, one contact",
            {
                "title": "Conformance: intake call",
                "summary": "Initial consultation",
                "startTimeUtc": f"{date}T09:00:00Z",
                "durationMinutes": 45,
                "contacts": [c1],
            },
            Expected("Conformance: intake call", "Initial consultation", utc_text(at(9)), utc_text(at(9, 45)), (c1,)),
            contacts_needed=1,
        ),
        Row(
            "summary only, startTime with an offset, duration as text",
            {"summary": "Conformance: follow-up", "startTime": f"{date}T12:30:00+02:00", "durationMinutes": "30"},
            Expected("Conformance: follow-up", "Conformance: follow-up", utc_text(at(10, 30)), utc_text(at(11))),
        ),
        Row(
            "defaults: no title, no duration, no zone",
            {"startTimeUtc": f"{date}T13:00:00"},
            Expected("Appointment", "", utc_text(at(13)), utc_text(at(13))),
        ),
        Row(
            "null title falls back to summary; half a minute",
            {
                "title": None,
                "summary": "Conformance: short",
                "startTimeUtc": f"{date}T14:00:00.5Z",
                "durationMinutes": 0.5,
            },
            Expected(
                "Conformance: short",
                "Conformance: short",
                utc_text(at(14, millis=500)),
                utc_text(at(14, seconds=30, millis=500)),
            ),
        ),
        Row(
            "lowercase t and z, microseconds cut to milliseconds",
            {"title": "Conformance: precise", "startTimeUtc": f"{date}t15:15:30.123456z", "durationMinutes": 1.0001},
            Expected(
                "Conformance: precise",
                "",
                utc_text(at(15, 15, 30, 123)),
                # 1.0001 minutes is 60,006 ms.
                utc_text(at(15, 16, 30, 129)),
            ),
        ),
        Row(
            "loose contact ids: trimmed text, objects, whole floats; junk dropped, duplicates removed",
            {
                "title": "Conformance: loose contacts",
                "startTimeUtc": f"{date}T16:00:00Z",
                "durationMinutes": 15,
                "contacts": [f" {c1} ", {"id": c2}, float(c1), "1e3", "0x10", True, None, "", " ", -5, 0, "abc", [c2]],
            },
            Expected("Conformance: loose contacts", "", utc_text(at(16)), utc_text(at(16, 15)), (c1, c2)),
            contacts_needed=2,
        ),
        Row(
            "only junk contact ids: no attendees",
            {
                "title": "Conformance: no attendees",
                "startTimeUtc": f"{date}T17:00:00Z",
                "durationMinutes": 10,
                "contacts": ["1e3", "0x10", True, None, "", -1, 1.5],
            },
            Expected("Conformance: no attendees", "", utc_text(at(17)), utc_text(at(17, 10))),
        ),
        Row(
            "a year long, the longest allowed",
            {"title": "Conformance: a year", "startTimeUtc": f"{date}T18:00:00Z", "durationMinutes": 525_600},
            Expected("Conformance: a year", "", utc_text(at(18)), utc_text(at(18) + timedelta(days=365))),
        ),
        Row("no start time", {"title": "Conformance: no start"}, Refused("startTimeUtc")),
        Row("unparseable start time", {"startTimeUtc": "next Tuesday at noon"}, Refused("startTimeUtc")),
        Row(
            "negative duration",
            {"startTimeUtc": f"{date}T09:00:00Z", "durationMinutes": -5},
            Refused("durationMinutes"),
        ),
        Row(
            "duration in exponent notation",
            {"startTimeUtc": f"{date}T09:00:00Z", "durationMinutes": "1e3"},
            Refused("durationMinutes"),
        ),
        Row(
            "duration as a boolean",
            {"startTimeUtc": f"{date}T09:00:00Z", "durationMinutes": True},
            Refused("durationMinutes"),
        ),
        Row(
            "duration not a number",
            {"startTimeUtc": f"{date}T09:00:00Z", "durationMinutes": float("nan")},
            Refused("durationMinutes"),
        ),
        Row(
            "duration over a year",
            {"startTimeUtc": f"{date}T09:00:00Z", "durationMinutes": 525_601},
            Refused("durationMinutes"),
        ),
        Row("title not text", {"title": 42, "startTimeUtc": f"{date}T09:00:00Z"}, Refused("title")),
    ]
    return rows
