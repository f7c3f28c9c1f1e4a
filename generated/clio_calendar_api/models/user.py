from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.user_subscription_type import UserSubscriptionType, check_user_subscription_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """A Clio user (a member of the firm).

    Attributes:
        id (int | Unset):
        etag (str | Unset):
        name (str | Unset):
        first_name (str | Unset):
        last_name (str | Unset):
        initials (str | Unset):
        email (str | Unset):
        enabled (bool | Unset):
        account_owner (bool | Unset):
        subscription_type (UserSubscriptionType | Unset):
        time_zone (str | Unset):
        default_calendar_id (int | None | Unset): The calendar new entries go to by default in Clio's web calendar.
        roles (list[str] | Unset):
        created_at (datetime.datetime | Unset):
        updated_at (datetime.datetime | Unset):
    """

    id: int | Unset = UNSET
    etag: str | Unset = UNSET
    name: str | Unset = UNSET
    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    initials: str | Unset = UNSET
    email: str | Unset = UNSET
    enabled: bool | Unset = UNSET
    account_owner: bool | Unset = UNSET
    subscription_type: UserSubscriptionType | Unset = UNSET
    time_zone: str | Unset = UNSET
    default_calendar_id: int | None | Unset = UNSET
    roles: list[str] | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        etag = self.etag

        name = self.name

        first_name = self.first_name

        last_name = self.last_name

        initials = self.initials

        email = self.email

        enabled = self.enabled

        account_owner = self.account_owner

        subscription_type: str | Unset = UNSET
        if not isinstance(self.subscription_type, Unset):
            subscription_type = self.subscription_type

        time_zone = self.time_zone

        default_calendar_id: int | None | Unset
        if isinstance(self.default_calendar_id, Unset):
            default_calendar_id = UNSET
        else:
            default_calendar_id = self.default_calendar_id

        roles: list[str] | Unset = UNSET
        if not isinstance(self.roles, Unset):
            roles = self.roles

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
        if first_name is not UNSET:
            field_dict["first_name"] = first_name
        if last_name is not UNSET:
            field_dict["last_name"] = last_name
        if initials is not UNSET:
            field_dict["initials"] = initials
        if email is not UNSET:
            field_dict["email"] = email
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if account_owner is not UNSET:
            field_dict["account_owner"] = account_owner
        if subscription_type is not UNSET:
            field_dict["subscription_type"] = subscription_type
        if time_zone is not UNSET:
            field_dict["time_zone"] = time_zone
        if default_calendar_id is not UNSET:
            field_dict["default_calendar_id"] = default_calendar_id
        if roles is not UNSET:
            field_dict["roles"] = roles
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

        first_name = d.pop("first_name", UNSET)

        last_name = d.pop("last_name", UNSET)

        initials = d.pop("initials", UNSET)

        email = d.pop("email", UNSET)

        enabled = d.pop("enabled", UNSET)

        account_owner = d.pop("account_owner", UNSET)

        _subscription_type = d.pop("subscription_type", UNSET)
        subscription_type: UserSubscriptionType | Unset
        if isinstance(_subscription_type, Unset):
            subscription_type = UNSET
        else:
            subscription_type = check_user_subscription_type(_subscription_type)

        time_zone = d.pop("time_zone", UNSET)

        def _parse_default_calendar_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        default_calendar_id = _parse_default_calendar_id(d.pop("default_calendar_id", UNSET))

        roles = cast(list[str], d.pop("roles", UNSET))

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

        user = cls(
            id=id,
            etag=etag,
            name=name,
            first_name=first_name,
            last_name=last_name,
            initials=initials,
            email=email,
            enabled=enabled,
            account_owner=account_owner,
            subscription_type=subscription_type,
            time_zone=time_zone,
            default_calendar_id=default_calendar_id,
            roles=roles,
            created_at=created_at,
            updated_at=updated_at,
        )

        user.additional_properties = d
        return user

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
