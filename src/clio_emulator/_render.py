"""Store rows as the records Clio returns (every field the spec declares), with their ETags."""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Any

from ._timefmt import format_micros

__all__ = ["attendee", "calendar", "contact", "entry", "etag", "external_property", "matter", "user"]

WRITEABLE = ("owner", "editor")


def etag(*parts: object) -> str:
    """A quoted strong ETag that changes whenever any of `parts` does."""
    digest = hashlib.md5(":".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()
    return f'"{digest}"'


def user(row: sqlite3.Row) -> dict[str, Any]:
    initials = "".join(part[:1] for part in (row["first_name"], row["last_name"]) if part)
    return {
        "id": row["id"],
        "etag": etag("User", row["id"], row["updated_us"]),
        "name": row["name"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "initials": initials,
        "email": row["email"],
        "enabled": True,
        "account_owner": row["id"] == 1,
        "subscription_type": "Attorney",
        "time_zone": "Eastern Time (US & Canada)",
        "default_calendar_id": row["default_calendar_id"],
        "roles": ["Admin"] if row["id"] == 1 else [],
        "created_at": format_micros(row["created_us"]),
        "updated_at": format_micros(row["updated_us"]),
    }


def calendar(row: sqlite3.Row) -> dict[str, Any]:
    """A calendar as one user sees it: `row` carries that user's `permission`, and `visible` for `source`."""
    return {
        "id": row["id"],
        "etag": etag("Calendar", row["id"], row["updated_us"], row["permission"], row["visible"], row["source"]),
        "name": row["name"],
        "color": row["color"],
        "light_color": row["light_color"],
        "permission": row["permission"],
        "type": row["type"],
        "visible": bool(row["visible"]),
        "source": row["source"],
        "court_rules_default_calendar": False,
        "created_at": format_micros(row["created_us"]),
        "updated_at": format_micros(row["updated_us"]),
    }


def contact(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "etag": etag("Contact", row["id"], row["updated_us"]),
        "name": row["name"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "type": row["type"],
        "primary_email_address": row["email"],
        "primary_phone_number": row["phone"],
        "created_at": format_micros(row["created_us"]),
        "updated_at": format_micros(row["updated_us"]),
    }


def matter(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "etag": etag("Matter", row["id"], row["updated_us"]),
        "display_number": row["display_number"],
        "description": row["description"],
    }


def attendee(row: sqlite3.Row) -> dict[str, Any]:
    """An attendee row joined with its contact or calendar: `name`, `email`, `enabled`, times."""
    is_calendar = row["kind"] == "Calendar"
    return {
        "id": row["ref_id"],
        "etag": etag(row["kind"], row["ref_id"], row["updated_us"]),
        "type": row["kind"],
        "name": row["name"],
        "email": row["email"],
        # A calendar attendee stands for a firm member, who is enabled; a contact has no such flag.
        "enabled": True if is_calendar and row["email"] is not None else None,
        "created_at": format_micros(row["created_us"]),
        "updated_at": format_micros(row["updated_us"]),
    }


def external_property(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "etag": etag("ExternalProperty", row["id"], row["updated_us"]),
        "name": row["name"],
        "value": row["value"],
        "created_at": format_micros(row["created_us"]),
        "updated_at": format_micros(row["updated_us"]),
    }


def entry(
    row: sqlite3.Row,
    calendar_record: dict[str, Any] | None,
    matter_record: dict[str, Any] | None,
    attendees: list[dict[str, Any]],
    properties: list[dict[str, Any]],
) -> dict[str, Any]:
    """An entry; `row` carries the user's `permission` on the entry's calendar."""
    end_us = row["end_us"]
    return {
        "id": str(row["id"]),
        "etag": entry_etag(row["id"], row["version"]),
        "summary": row["summary"],
        "description": row["description"],
        "location": row["location"],
        "start_at": format_micros(row["start_us"]),
        "end_at": None if end_us is None else format_micros(end_us),
        "all_day": bool(row["all_day"]),
        "recurrence_rule": row["recurrence_rule"],
        "parent_calendar_entry_id": None,
        "court_rule": False,
        "permission": row["permission"],
        "calendar_owner_id": row["calendar_id"],
        "start_at_time_zone": None,
        "time_entries_count": 0,
        "calendar_owner": calendar_record,
        "matter": matter_record,
        "attendees": attendees,
        "external_properties": properties,
        "created_at": format_micros(row["created_us"]),
        "updated_at": format_micros(row["updated_us"]),
    }


def entry_etag(entry_id: int, version: int) -> str:
    return etag("CalendarEntry", entry_id, version)
