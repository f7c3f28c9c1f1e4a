from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.calendar_entry_update import CalendarEntryUpdate


T = TypeVar("T", bound="CalendarEntryUpdateRequest")


@_attrs_define
class CalendarEntryUpdateRequest:
    """
    Attributes:
        data (CalendarEntryUpdate): The fields to change; fields not sent are left as they are.
    """

    data: CalendarEntryUpdate

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.calendar_entry_update import CalendarEntryUpdate  # noqa: PLC0415

        d = dict(src_dict)
        data = CalendarEntryUpdate.from_dict(d.pop("data"))

        calendar_entry_update_request = cls(
            data=data,
        )

        return calendar_entry_update_request
