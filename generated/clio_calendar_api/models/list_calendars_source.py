from typing import Literal

ListCalendarsSource = Literal["mobile", "web"]

LIST_CALENDARS_SOURCE_VALUES: set[ListCalendarsSource] = {
    "mobile",
    "web",
}


def check_list_calendars_source(value: str) -> ListCalendarsSource:
    if value in LIST_CALENDARS_SOURCE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CALENDARS_SOURCE_VALUES!r}")
