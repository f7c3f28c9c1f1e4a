from typing import Literal

ListCalendarEntriesSource = Literal["mobile", "web"]

LIST_CALENDAR_ENTRIES_SOURCE_VALUES: set[ListCalendarEntriesSource] = {
    "mobile",
    "web",
}


def check_list_calendar_entries_source(value: str) -> ListCalendarEntriesSource:
    if value in LIST_CALENDAR_ENTRIES_SOURCE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CALENDAR_ENTRIES_SOURCE_VALUES!r}")
