"""Which calendar a new appointment goes to: the reference connector's lookup, remembered per (host, token).

The lookup is single-flight: callers that find nothing remembered take turns under a lock named for the (host,
token), and each looks at the cache again once it has the lock, so N concurrent first creates make one lookup, not N
(across processes too, when the lock and the cache are shared through Redis).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clio_calendar_api.models.calendar_list import CalendarList

from ._calendar_cache import CacheKey, CalendarStore
from ._errors import ClioError, NotFoundError, PermissionDeniedError, ValidationError
from ._requests import list_writeable_calendars
from ._steps import Flow, Hold, Recall, Release, Remember

__all__ = ["CalendarChoice", "calendar_refused", "lookup_lock", "writeable_calendar"]

# The reference connector's calendar lookup: the user's own newest visible writeable calendar, then any.
CALENDAR_QUERIES: tuple[dict[str, Any], ...] = (
    {"owner": True, "writeable": True, "visible": True, "type_": "UserCalendar", "order": "id(desc)", "limit": 1},
    {"writeable": True, "visible": True, "order": "id(desc)", "limit": 1},
)


@dataclass(frozen=True, slots=True)
class CalendarChoice:
    """The calendar to create on (None: the user has no writeable calendar) and whether it was just looked up."""

    calendar_id: int | None
    fresh: bool


def lookup_lock(key: CacheKey) -> tuple[str, ...]:
    """The lock one (host, token)'s lookups take turns under. An origin always holds "://", so no create lock (whose
    name starts with the origin) can have this name."""
    return ("calendar", *key)


def writeable_calendar(cache: CalendarStore, key: CacheKey) -> Flow[CalendarChoice]:
    cached = yield Recall(cache, key)
    if cached is not None:
        return CalendarChoice(cached, fresh=False)
    lock = lookup_lock(key)
    yield Hold(lock)
    # Whoever held the lock before us may have just looked it up. (On an error the flow ends, and the driver lets go
    # of every lock the flow holds.)
    cached = yield Recall(cache, key)
    if cached is not None:
        yield Release(lock)
        return CalendarChoice(cached, fresh=False)
    for query in CALENDAR_QUERIES:
        page: CalendarList = (yield list_writeable_calendars(query)).value()
        for calendar in page.data:
            calendar_id = calendar.id
            if isinstance(calendar_id, int) and not isinstance(calendar_id, bool) and calendar_id > 0:
                yield Remember(cache, key, calendar_id)
                yield Release(lock)
                return CalendarChoice(calendar_id, fresh=True)
    yield Release(lock)
    return CalendarChoice(None, fresh=True)


def calendar_refused(error: ClioError) -> bool:
    """Clio's ways of saying the calendar is gone or not writeable any more."""
    if isinstance(error, NotFoundError | PermissionDeniedError):
        return True
    return isinstance(error, ValidationError) and "calendar" in (error.clio_message or "").lower()
