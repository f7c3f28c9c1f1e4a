from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.calendar_entry_create import CalendarEntryCreate


T = TypeVar("T", bound="CalendarEntryCreateRequest")


@_attrs_define
class CalendarEntryCreateRequest:
    """
    Attributes:
        data (CalendarEntryCreate):
    """

    data: CalendarEntryCreate

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
        from ..models.calendar_entry_create import CalendarEntryCreate  # noqa: PLC0415

        d = dict(src_dict)
        data = CalendarEntryCreate.from_dict(d.pop("data"))

        calendar_entry_create_request = cls(
            data=data,
        )

        return calendar_entry_create_request
