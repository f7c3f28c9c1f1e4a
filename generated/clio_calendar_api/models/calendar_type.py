from typing import Literal

CalendarType = Literal["AccountCalendar", "AdhocCalendar", "UserCalendar"]

CALENDAR_TYPE_VALUES: set[CalendarType] = {
    "AccountCalendar",
    "AdhocCalendar",
    "UserCalendar",
}


def check_calendar_type(value: str) -> CalendarType:
    if value in CALENDAR_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALENDAR_TYPE_VALUES!r}")
