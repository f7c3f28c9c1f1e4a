from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.calendar_permission import CalendarPermission, check_calendar_permission
from ..models.calendar_source import CalendarSource, check_calendar_source
from ..models.calendar_type import CalendarType, check_calendar_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="Calendar")


@_attrs_define
class Calendar:
    """A calendar, with the current user's permission on it.

    Attributes:
        id (int | Unset):
        etag (str | Unset):
        name (str | Unset):
        color (str | Unset): Display colour, one of Clio's palette as `#RRGGBB`.
        light_color (str | Unset): Accent colour that complements `color`.
        permission (CalendarPermission | Unset): The user's permission on the calendar; owner and editor can write.
        type_ (CalendarType | Unset):
        visible (bool | Unset):
        source (CalendarSource | Unset):
        court_rules_default_calendar (bool | Unset):
        created_at (datetime.datetime | Unset):
        updated_at (datetime.datetime | Unset):
    """

    id: int | Unset = UNSET
    etag: str | Unset = UNSET
    name: str | Unset = UNSET
    color: str | Unset = UNSET
    light_color: str | Unset = UNSET
    permission: CalendarPermission | Unset = UNSET
    type_: CalendarType | Unset = UNSET
    visible: bool | Unset = UNSET
    source: CalendarSource | Unset = UNSET
    court_rules_default_calendar: bool | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        etag = self.etag

        name = self.name

        color = self.color

        light_color = self.light_color

        permission: str | Unset = UNSET
        if not isinstance(self.permission, Unset):
            permission = self.permission

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_

        visible = self.visible

        source: str | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source

        court_rules_default_calendar = self.court_rules_default_calendar

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
        if name is not UNSET:
            field_dict["name"] = name
        if color is not UNSET:
            field_dict["color"] = color
        if light_color is not UNSET:
            field_dict["light_color"] = light_color
        if permission is not UNSET:
            field_dict["permission"] = permission
        if type_ is not UNSET:
            field_dict["type"] = type_
        if visible is not UNSET:
            field_dict["visible"] = visible
        if source is not UNSET:
            field_dict["source"] = source
        if court_rules_default_calendar is not UNSET:
            field_dict["court_rules_default_calendar"] = court_rules_default_calendar
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        etag = d.pop("etag", UNSET)

        name = d.pop("name", UNSET)

        color = d.pop("color", UNSET)

        light_color = d.pop("light_color", UNSET)

        _permission = d.pop("permission", UNSET)
        permission: CalendarPermission | Unset
        if isinstance(_permission, Unset):
            permission = UNSET
        else:
            permission = check_calendar_permission(_permission)

        _type_ = d.pop("type", UNSET)
        type_: CalendarType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = check_calendar_type(_type_)

        visible = d.pop("visible", UNSET)

        _source = d.pop("source", UNSET)
        source: CalendarSource | Unset
        if isinstance(_source, Unset):
            source = UNSET
        else:
            source = check_calendar_source(_source)

        court_rules_default_calendar = d.pop("court_rules_default_calendar", UNSET)

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

        calendar = cls(
            id=id,
            etag=etag,
            name=name,
            color=color,
            light_color=light_color,
            permission=permission,
            type_=type_,
            visible=visible,
            source=source,
            court_rules_default_calendar=court_rules_default_calendar,
            created_at=created_at,
            updated_at=updated_at,
        )

        calendar.additional_properties = d
        return calendar

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
