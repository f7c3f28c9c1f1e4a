"""Which calendar a new appointment goes to: the reference connector's lookup, remembered per (host, token)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clio_calendar_api.models.calendar_list import CalendarList

from ._calendar_cache import CacheKey, CalendarCache
from ._errors import ClioError, NotFoundError, PermissionDeniedError, ValidationError
from ._requests import list_writeable_calendars
from ._steps import Flow

__all__ = ["CalendarChoice", "calendar_refused", "writeable_calendar"]

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


def writeable_calendar(cache: CalendarCache, key: CacheKey) -> Flow[CalendarChoice]:
    cached = cache.get(key)
    if cached is not None:
        return CalendarChoice(cached, fresh=False)
    for query in CALENDAR_QUERIES:
        page: CalendarList = (yield list_writeable_calendars(query)).value()
        for calendar in page.data:
            calendar_id = calendar.id
            if isinstance(calendar_id, int) and not isinstance(calendar_id, bool) and calendar_id > 0:
                cache.put(key, calendar_id)
                return CalendarChoice(calendar_id, fresh=True)
    return CalendarChoice(None, fresh=True)


def calendar_refused(error: ClioError) -> bool:
    """Clio's ways of saying the calendar is gone or not writeable any more."""
    if isinstance(error, NotFoundError | PermissionDeniedError):
        return True
    return isinstance(error, ValidationError) and "calendar" in (error.clio_message or "").lower()
