from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExternalPropertyInput")


@_attrs_define
class ExternalPropertyInput:
    """A property to set. To change or remove an existing one, give its `id` (and `_destroy: true` to remove it).

    Attributes:
        id (int | Unset):
        name (str | Unset):
        value (str | Unset):
        field_destroy (bool | Unset):
    """

    id: int | Unset = UNSET
    name: str | Unset = UNSET
    value: str | Unset = UNSET
    field_destroy: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        value = self.value

        field_destroy = self.field_destroy

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if value is not UNSET:
            field_dict["value"] = value
        if field_destroy is not UNSET:
            field_dict["_destroy"] = field_destroy

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        name = d.pop("name", UNSET)

        value = d.pop("value", UNSET)

        field_destroy = d.pop("_destroy", UNSET)

        external_property_input = cls(
            id=id,
            name=name,
            value=value,
            field_destroy=field_destroy,
        )

        return external_property_input
