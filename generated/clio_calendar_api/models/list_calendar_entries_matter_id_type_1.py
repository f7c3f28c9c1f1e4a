from typing import Literal

ListCalendarEntriesMatterIdType1 = Literal["null"]

LIST_CALENDAR_ENTRIES_MATTER_ID_TYPE_1_VALUES: set[ListCalendarEntriesMatterIdType1] = {
    "null",
}


def check_list_calendar_entries_matter_id_type_1(value: str) -> ListCalendarEntriesMatterIdType1:
    if value in LIST_CALENDAR_ENTRIES_MATTER_ID_TYPE_1_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CALENDAR_ENTRIES_MATTER_ID_TYPE_1_VALUES!r}")
