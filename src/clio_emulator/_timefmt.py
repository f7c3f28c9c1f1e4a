"""RFC 3339 timestamps in and out.

Times are kept as integer microseconds since the Unix epoch (UTC), cut to whole milliseconds, so the store can compare
and sort them and a time reads back exactly as it was stored. They are returned as UTC to the millisecond with a
`Z`, the form the spec's examples and the generated client use.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta, timezone

__all__ = ["format_micros", "now_micros", "parse_rfc3339"]

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))\Z", re.ASCII
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_rfc3339(text: str) -> int | None:
    """Microseconds since the epoch for an RFC 3339 date-time with a zone, or None if `text` is not one."""
    match = _RFC3339.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    try:
        offset = timedelta(0) if zulu else timedelta(hours=int(off_h), minutes=int(off_m))
        if sign == "-":
            offset = -offset
        # Fractions beyond milliseconds are cut, not rounded, so a time never moves into the next second.
        micros = int((fraction or "0").ljust(3, "0")[:3]) * 1000
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micros, tzinfo=timezone(offset)
        )
        # Converting to UTC first refuses times that only exist with their offset (year 1 at +01:00).
        return (moment.astimezone(UTC) - _EPOCH) // timedelta(microseconds=1)
    except (ValueError, OverflowError):
        return None


def format_micros(micros: int) -> str:
    """`2024-03-15T14:00:00.000Z`."""
    moment = _EPOCH + timedelta(microseconds=micros)
    # Formatted by hand: strftime does not zero-pad years before 1000 on every platform.
    text = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )
    return f"{text}.{moment.microsecond // 1000:03d}Z"


def now_micros() -> int:
    # Whole milliseconds, as they are returned: a record's stored and shown times then always agree.
    return time.time_ns() // 1_000_000 * 1000
