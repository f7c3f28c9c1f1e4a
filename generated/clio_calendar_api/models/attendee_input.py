from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.attendee_type import AttendeeType, check_attendee_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="AttendeeInput")


@_attrs_define
class AttendeeInput:
    """An attendee to add (`id` and `type`), or one to remove from an existing entry (`_destroy: true`). Clio's spec leaves
    both optional; without them Clio answers 422.

        Attributes:
            id (int | Unset):
            type_ (AttendeeType | Unset): `Contact` for a contact, `Calendar` for a user's calendar (a firm member).
            field_destroy (bool | Unset):
    """

    id: int | Unset = UNSET
    type_: AttendeeType | Unset = UNSET
    field_destroy: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_

        field_destroy = self.field_destroy

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if type_ is not UNSET:
            field_dict["type"] = type_
        if field_destroy is not UNSET:
            field_dict["_destroy"] = field_destroy

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        _type_ = d.pop("type", UNSET)
        type_: AttendeeType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = check_attendee_type(_type_)

        field_destroy = d.pop("_destroy", UNSET)

        attendee_input = cls(
            id=id,
            type_=type_,
            field_destroy=field_destroy,
        )

        return attendee_input
