from typing import Literal

ListCalendarsOrder = Literal["id(asc)", "id(desc)", "name(asc)", "name(desc)"]

LIST_CALENDARS_ORDER_VALUES: set[ListCalendarsOrder] = {
    "id(asc)",
    "id(desc)",
    "name(asc)",
    "name(desc)",
}


def check_list_calendars_order(value: str) -> ListCalendarsOrder:
    if value in LIST_CALENDARS_ORDER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CALENDARS_ORDER_VALUES!r}")
