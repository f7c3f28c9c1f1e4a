from typing import Literal

ListCalendarEntriesOrder = Literal["id(asc)"]

LIST_CALENDAR_ENTRIES_ORDER_VALUES: set[ListCalendarEntriesOrder] = {
    "id(asc)",
}


def check_list_calendar_entries_order(value: str) -> ListCalendarEntriesOrder:
    if value in LIST_CALENDAR_ENTRIES_ORDER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CALENDAR_ENTRIES_ORDER_VALUES!r}")
