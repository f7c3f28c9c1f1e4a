"""The validated shapes the API layer hands to the store: what to change, what to filter on."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AttendeeChange", "CalendarFilters", "EntryChanges", "EntryFilters", "Page", "PropertyChange"]


@dataclass(frozen=True)
class AttendeeChange:
    kind: str  # "Contact" or "Calendar"
    id: int
    destroy: bool = False


@dataclass(frozen=True)
class PropertyChange:
    id: int | None
    name: str | None
    value: str | None
    destroy: bool = False


@dataclass(frozen=True)
class EntryChanges:
    """A create (every required field set) or a partial update (None: leave as it is)."""

    summary: str | None = None
    description: str | None = None
    location: str | None = None
    start_us: int | None = None
    end_us: int | None = None
    all_day: bool | None = None
    recurrence_rule: str | None = None
    clear_recurrence: bool = False
    calendar_id: int | None = None
    matter_id: int | None = None
    clear_matter: bool = False  # `matter: {"id": null}`: link the entry to no matter
    attendees: tuple[AttendeeChange, ...] | None = None
    properties: tuple[PropertyChange, ...] | None = None


@dataclass(frozen=True)
class EntryFilters:
    ids: tuple[int, ...] | None = None
    calendar_id: int | None = None
    from_us: int | None = None
    to_us: int | None = None
    query: str | None = None
    is_all_day: bool | None = None
    visible: bool | None = None
    source: str = "web"  # the visibility `visible` refers to: "web" or "mobile"
    matter_id: int | None = None
    without_matter: bool = False  # `matter_id=null`
    has_court_rule: bool | None = None
    property_name: str | None = None
    property_value: str | None = None
    created_since_us: int | None = None
    updated_since_us: int | None = None


@dataclass(frozen=True)
class CalendarFilters:
    ids: tuple[int, ...] | None = None
    owner: bool | None = None
    writeable: bool | None = None
    visible: bool | None = None
    source: str = "web"
    type: str | None = None
    created_since_us: int | None = None
    updated_since_us: int | None = None
    order: str = "id(asc)"


@dataclass(frozen=True)
class Page:
    """Which page of a list to return, in one of Clio's two paging modes.

    Cursor paging (`after_id` set): the records with an id greater than `after_id`, by id ascending. Offset paging
    (`after_id` None): `limit` records from `offset`, in the list's order, within the first OFFSET_RECORD_LIMIT.
    """

    limit: int
    after_id: int | None = None
    offset: int = 0

    @property
    def cursor(self) -> bool:
        return self.after_id is not None
