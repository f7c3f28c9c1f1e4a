from typing import Literal

CalendarPermission = Literal["editor", "limited_viewer", "none", "owner", "viewer"]

CALENDAR_PERMISSION_VALUES: set[CalendarPermission] = {
    "editor",
    "limited_viewer",
    "none",
    "owner",
    "viewer",
}


def check_calendar_permission(value: str) -> CalendarPermission:
    if value in CALENDAR_PERMISSION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALENDAR_PERMISSION_VALUES!r}")
