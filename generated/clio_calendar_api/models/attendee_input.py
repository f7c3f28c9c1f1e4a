from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.attendee_type import AttendeeType, check_attendee_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="AttendeeInput")


@_attrs_define
class AttendeeInput:
    """An attendee to add (`id` and `type`), or one to remove from an existing entry (`_destroy: true`).

    Attributes:
        id (int):
        type_ (AttendeeType): `Contact` for a contact, `Calendar` for a user's calendar (a firm member).
        field_destroy (bool | Unset):
    """

    id: int
    type_: AttendeeType
    field_destroy: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_: str = self.type_

        field_destroy = self.field_destroy

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "type": type_,
            }
        )
        if field_destroy is not UNSET:
            field_dict["_destroy"] = field_destroy

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = check_attendee_type(d.pop("type"))

        field_destroy = d.pop("_destroy", UNSET)

        attendee_input = cls(
            id=id,
            type_=type_,
            field_destroy=field_destroy,
        )

        return attendee_input
