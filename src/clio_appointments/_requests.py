"""The requests the operations make, as `Call`s through the generated client: one builder per Clio endpoint."""

from __future__ import annotations

from typing import Any

from clio_calendar_api.api.calendar_entries import (
    create_calendar_entry,
    delete_calendar_entry,
    get_calendar_entry,
    list_calendar_entries,
    update_calendar_entry,
)
from clio_calendar_api.api.calendars import list_calendars
from clio_calendar_api.api.contacts import get_contact as get_contact_endpoint
from clio_calendar_api.models.calendar_entry_list import CalendarEntryList
from clio_calendar_api.models.calendar_entry_show import CalendarEntryShow
from clio_calendar_api.models.calendar_list import CalendarList
from clio_calendar_api.models.contact_show import ContactShow

from ._mapping import ENTRY_FIELDS, IDEMPOTENCY_PROPERTY
from ._steps import Call, JsonBody

__all__ = [
    "KEYED_ENTRY_FIELDS",
    "PAGE_LIMIT",
    "delete_entry",
    "entries_with_key",
    "get_contact",
    "get_entry",
    "list_entries",
    "list_writeable_calendars",
    "patch_entry",
    "post_entry",
]

ENTRIES_PATH = "/api/v4/calendar_entries.json"
ENTRY_PATH = "/api/v4/calendar_entries/{}.json"
CALENDARS_PATH = "/api/v4/calendars.json"
CONTACT_PATH = "/api/v4/contacts/{}.json"
PAGE_LIMIT = 200
# An entry as the create lookup needs it: with its external properties, to check the key it really carries.
KEYED_ENTRY_FIELDS = f"{ENTRY_FIELDS},external_properties{{name,value}}"


def post_entry(body: dict[str, Any]) -> Call:
    return Call(
        create_calendar_entry,
        {"body": JsonBody(body), "fields": ENTRY_FIELDS},
        "POST",
        ENTRIES_PATH,
        CalendarEntryShow,
    )


def get_entry(entry_id: int) -> Call:
    return Call(
        get_calendar_entry,
        {"id": entry_id, "fields": ENTRY_FIELDS},
        "GET",
        ENTRY_PATH.format(entry_id),
        CalendarEntryShow,
    )


def patch_entry(entry_id: int, body: dict[str, Any], etag: str) -> Call:
    """A conditional PATCH: Clio refuses it with 412 if the entry changed since `etag` was read."""
    return Call(
        update_calendar_entry,
        {"id": entry_id, "body": JsonBody(body), "fields": ENTRY_FIELDS, "if_match": etag},
        "PATCH",
        ENTRY_PATH.format(entry_id),
        CalendarEntryShow,
    )


def delete_entry(entry_id: int) -> Call:
    return Call(delete_calendar_entry, {"id": entry_id}, "DELETE", ENTRY_PATH.format(entry_id), None)


def list_entries(query: dict[str, Any]) -> Call:
    """One page of entries; `query` holds the generated endpoint's keyword arguments."""
    return Call(list_calendar_entries, {"fields": ENTRY_FIELDS, **query}, "GET", ENTRIES_PATH, CalendarEntryList)


def entries_with_key(key: str, position: dict[str, Any] | None = None) -> Call:
    """A page of the entries whose idempotency property is `key`; `position` is where the page starts (see
    _operations.next_page)."""
    return Call(
        list_calendar_entries,
        {
            "external_property_name": IDEMPOTENCY_PROPERTY,
            "external_property_value": key,
            "fields": KEYED_ENTRY_FIELDS,
            "limit": PAGE_LIMIT,
            "order": "id(asc)",
            **(position or {}),
        },
        "GET",
        ENTRIES_PATH,
        CalendarEntryList,
    )


def list_writeable_calendars(query: dict[str, Any]) -> Call:
    return Call(list_calendars, {**query, "fields": "id"}, "GET", CALENDARS_PATH, CalendarList)


def get_contact(contact_id: int) -> Call:
    """Whether Clio has the contact: its id only."""
    return Call(
        get_contact_endpoint, {"id": contact_id, "fields": "id"}, "GET", CONTACT_PATH.format(contact_id), ContactShow
    )
