from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attendee import Attendee
    from ..models.calendar import Calendar
    from ..models.external_property import ExternalProperty
    from ..models.matter_ref import MatterRef


T = TypeVar("T", bound="CalendarEntry")


@_attrs_define
class CalendarEntry:
    """An event on a calendar. Its `id` is a string here and an integer in paths. Without `fields`, only `id` and `etag`
    are present.

        Attributes:
            id (str | Unset):
            etag (str | Unset):
            summary (str | Unset):
            description (None | str | Unset):
            location (None | str | Unset):
            start_at (datetime.datetime | Unset):
            end_at (datetime.datetime | None | Unset):
            all_day (bool | Unset):
            recurrence_rule (None | str | Unset):
            parent_calendar_entry_id (int | None | Unset):
            court_rule (bool | Unset):
            permission (str | Unset): The current user's permission on the entry (owner, editor, viewer).
            calendar_owner_id (int | Unset):
            start_at_time_zone (None | str | Unset):
            time_entries_count (int | Unset):
            calendar_owner (Calendar | Unset): A calendar, with the current user's permission on it.
            matter (MatterRef | None | Unset):
            attendees (list[Attendee] | Unset):
            external_properties (list[ExternalProperty] | Unset):
            created_at (datetime.datetime | Unset):
            updated_at (datetime.datetime | Unset):
    """

    id: str | Unset = UNSET
    etag: str | Unset = UNSET
    summary: str | Unset = UNSET
    description: None | str | Unset = UNSET
    location: None | str | Unset = UNSET
    start_at: datetime.datetime | Unset = UNSET
    end_at: datetime.datetime | None | Unset = UNSET
    all_day: bool | Unset = UNSET
    recurrence_rule: None | str | Unset = UNSET
    parent_calendar_entry_id: int | None | Unset = UNSET
    court_rule: bool | Unset = UNSET
    permission: str | Unset = UNSET
    calendar_owner_id: int | Unset = UNSET
    start_at_time_zone: None | str | Unset = UNSET
    time_entries_count: int | Unset = UNSET
    calendar_owner: Calendar | Unset = UNSET
    matter: MatterRef | None | Unset = UNSET
    attendees: list[Attendee] | Unset = UNSET
    external_properties: list[ExternalProperty] | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.matter_ref import MatterRef  # noqa: PLC0415

        id = self.id

        etag = self.etag

        summary = self.summary

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

        start_at: str | Unset = UNSET
        if not isinstance(self.start_at, Unset):
            start_at = self.start_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")

        end_at: None | str | Unset
        if isinstance(self.end_at, Unset):
            end_at = UNSET
        elif isinstance(self.end_at, datetime.datetime):
            end_at = self.end_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        else:
            end_at = self.end_at

        all_day = self.all_day

        recurrence_rule: None | str | Unset
        if isinstance(self.recurrence_rule, Unset):
            recurrence_rule = UNSET
        else:
            recurrence_rule = self.recurrence_rule

        parent_calendar_entry_id: int | None | Unset
        if isinstance(self.parent_calendar_entry_id, Unset):
            parent_calendar_entry_id = UNSET
        else:
            parent_calendar_entry_id = self.parent_calendar_entry_id

        court_rule = self.court_rule

        permission = self.permission

        calendar_owner_id = self.calendar_owner_id

        start_at_time_zone: None | str | Unset
        if isinstance(self.start_at_time_zone, Unset):
            start_at_time_zone = UNSET
        else:
            start_at_time_zone = self.start_at_time_zone

        time_entries_count = self.time_entries_count

        calendar_owner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.calendar_owner, Unset):
            calendar_owner = self.calendar_owner.to_dict()

        matter: dict[str, Any] | None | Unset
        if isinstance(self.matter, Unset):
            matter = UNSET
        elif isinstance(self.matter, MatterRef):
            matter = self.matter.to_dict()
        else:
            matter = self.matter

        attendees: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.attendees, Unset):
            attendees = []
            for attendees_item_data in self.attendees:
                attendees_item = attendees_item_data.to_dict()
                attendees.append(attendees_item)

        external_properties: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.external_properties, Unset):
            external_properties = []
            for external_properties_item_data in self.external_properties:
                external_properties_item = external_properties_item_data.to_dict()
                external_properties.append(external_properties_item)

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if etag is not UNSET:
            field_dict["etag"] = etag
        if summary is not UNSET:
            field_dict["summary"] = summary
        if description is not UNSET:
            field_dict["description"] = description
        if location is not UNSET:
            field_dict["location"] = location
        if start_at is not UNSET:
            field_dict["start_at"] = start_at
        if end_at is not UNSET:
            field_dict["end_at"] = end_at
        if all_day is not UNSET:
            field_dict["all_day"] = all_day
        if recurrence_rule is not UNSET:
            field_dict["recurrence_rule"] = recurrence_rule
        if parent_calendar_entry_id is not UNSET:
            field_dict["parent_calendar_entry_id"] = parent_calendar_entry_id
        if court_rule is not UNSET:
            field_dict["court_rule"] = court_rule
        if permission is not UNSET:
            field_dict["permission"] = permission
        if calendar_owner_id is not UNSET:
            field_dict["calendar_owner_id"] = calendar_owner_id
        if start_at_time_zone is not UNSET:
            field_dict["start_at_time_zone"] = start_at_time_zone
        if time_entries_count is not UNSET:
            field_dict["time_entries_count"] = time_entries_count
        if calendar_owner is not UNSET:
            field_dict["calendar_owner"] = calendar_owner
        if matter is not UNSET:
            field_dict["matter"] = matter
        if attendees is not UNSET:
            field_dict["attendees"] = attendees
        if external_properties is not UNSET:
            field_dict["external_properties"] = external_properties
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attendee import Attendee  # noqa: PLC0415
        from ..models.calendar import Calendar  # noqa: PLC0415
        from ..models.external_property import ExternalProperty  # noqa: PLC0415
        from ..models.matter_ref import MatterRef  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        etag = d.pop("etag", UNSET)

        summary = d.pop("summary", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        _start_at = d.pop("start_at", UNSET)
        start_at: datetime.datetime | Unset
        if isinstance(_start_at, Unset):
            start_at = UNSET
        else:
            start_at = datetime.datetime.fromisoformat(_start_at)

        def _parse_end_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_at_type_0 = datetime.datetime.fromisoformat(data)

                return end_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        end_at = _parse_end_at(d.pop("end_at", UNSET))

        all_day = d.pop("all_day", UNSET)

        def _parse_recurrence_rule(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recurrence_rule = _parse_recurrence_rule(d.pop("recurrence_rule", UNSET))

        def _parse_parent_calendar_entry_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        parent_calendar_entry_id = _parse_parent_calendar_entry_id(d.pop("parent_calendar_entry_id", UNSET))

        court_rule = d.pop("court_rule", UNSET)

        permission = d.pop("permission", UNSET)

        calendar_owner_id = d.pop("calendar_owner_id", UNSET)

        def _parse_start_at_time_zone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        start_at_time_zone = _parse_start_at_time_zone(d.pop("start_at_time_zone", UNSET))

        time_entries_count = d.pop("time_entries_count", UNSET)

        _calendar_owner = d.pop("calendar_owner", UNSET)
        calendar_owner: Calendar | Unset
        if isinstance(_calendar_owner, Unset):
            calendar_owner = UNSET
        else:
            calendar_owner = Calendar.from_dict(_calendar_owner)

        def _parse_matter(data: object) -> MatterRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                matter_type_0 = MatterRef.from_dict(data)

                return matter_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MatterRef | None | Unset, data)

        matter = _parse_matter(d.pop("matter", UNSET))

        _attendees = d.pop("attendees", UNSET)
        attendees: list[Attendee] | Unset = UNSET
        if _attendees is not UNSET:
            attendees = []
            for attendees_item_data in _attendees:
                attendees_item = Attendee.from_dict(attendees_item_data)

                attendees.append(attendees_item)

        _external_properties = d.pop("external_properties", UNSET)
        external_properties: list[ExternalProperty] | Unset = UNSET
        if _external_properties is not UNSET:
            external_properties = []
            for external_properties_item_data in _external_properties:
                external_properties_item = ExternalProperty.from_dict(external_properties_item_data)

                external_properties.append(external_properties_item)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _updated_at = d.pop("updated_at", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)

        calendar_entry = cls(
            id=id,
            etag=etag,
            summary=summary,
            description=description,
            location=location,
            start_at=start_at,
            end_at=end_at,
            all_day=all_day,
            recurrence_rule=recurrence_rule,
            parent_calendar_entry_id=parent_calendar_entry_id,
            court_rule=court_rule,
            permission=permission,
            calendar_owner_id=calendar_owner_id,
            start_at_time_zone=start_at_time_zone,
            time_entries_count=time_entries_count,
            calendar_owner=calendar_owner,
            matter=matter,
            attendees=attendees,
            external_properties=external_properties,
            created_at=created_at,
            updated_at=updated_at,
        )

        calendar_entry.additional_properties = d
        return calendar_entry

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
