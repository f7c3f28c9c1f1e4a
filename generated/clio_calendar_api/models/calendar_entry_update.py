from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attendee_input import AttendeeInput
    from ..models.external_property_input import ExternalPropertyInput
    from ..models.matter_ref_input import MatterRefInput
    from ..models.record_ref_partial import RecordRefPartial


T = TypeVar("T", bound="CalendarEntryUpdate")


@_attrs_define
class CalendarEntryUpdate:
    """The fields to change; fields not sent are left as they are.

    Attributes:
        summary (str | Unset):
        description (str | Unset):
        location (str | Unset):
        start_at (datetime.datetime | Unset):
        end_at (datetime.datetime | Unset):
        all_day (bool | Unset):
        calendar_owner (RecordRefPartial | Unset): A reference to another record by id, where Clio documents the id as
            optional.
        attendees (list[AttendeeInput] | Unset):
        send_email_notification (bool | Unset):
        matter (MatterRefInput | Unset): The matter to link the entry to; `id` null links it to none (Clio's keyword
            `null`).
        external_properties (list[ExternalPropertyInput] | Unset):
        recurrence_rule (None | str | Unset): An iCalendar RRULE; `null` or `""` makes a recurring entry a single one.
    """

    summary: str | Unset = UNSET
    description: str | Unset = UNSET
    location: str | Unset = UNSET
    start_at: datetime.datetime | Unset = UNSET
    end_at: datetime.datetime | Unset = UNSET
    all_day: bool | Unset = UNSET
    calendar_owner: RecordRefPartial | Unset = UNSET
    attendees: list[AttendeeInput] | Unset = UNSET
    send_email_notification: bool | Unset = UNSET
    matter: MatterRefInput | Unset = UNSET
    external_properties: list[ExternalPropertyInput] | Unset = UNSET
    recurrence_rule: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        summary = self.summary

        description = self.description

        location = self.location

        start_at: str | Unset = UNSET
        if not isinstance(self.start_at, Unset):
            start_at = self.start_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")

        end_at: str | Unset = UNSET
        if not isinstance(self.end_at, Unset):
            end_at = self.end_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")

        all_day = self.all_day

        calendar_owner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.calendar_owner, Unset):
            calendar_owner = self.calendar_owner.to_dict()

        attendees: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.attendees, Unset):
            attendees = []
            for attendees_item_data in self.attendees:
                attendees_item = attendees_item_data.to_dict()
                attendees.append(attendees_item)

        send_email_notification = self.send_email_notification

        matter: dict[str, Any] | Unset = UNSET
        if not isinstance(self.matter, Unset):
            matter = self.matter.to_dict()

        external_properties: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.external_properties, Unset):
            external_properties = []
            for external_properties_item_data in self.external_properties:
                external_properties_item = external_properties_item_data.to_dict()
                external_properties.append(external_properties_item)

        recurrence_rule: None | str | Unset
        if isinstance(self.recurrence_rule, Unset):
            recurrence_rule = UNSET
        else:
            recurrence_rule = self.recurrence_rule

        field_dict: dict[str, Any] = {}

        field_dict.update({})
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
        if calendar_owner is not UNSET:
            field_dict["calendar_owner"] = calendar_owner
        if attendees is not UNSET:
            field_dict["attendees"] = attendees
        if send_email_notification is not UNSET:
            field_dict["send_email_notification"] = send_email_notification
        if matter is not UNSET:
            field_dict["matter"] = matter
        if external_properties is not UNSET:
            field_dict["external_properties"] = external_properties
        if recurrence_rule is not UNSET:
            field_dict["recurrence_rule"] = recurrence_rule

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attendee_input import AttendeeInput  # noqa: PLC0415
        from ..models.external_property_input import ExternalPropertyInput  # noqa: PLC0415
        from ..models.matter_ref_input import MatterRefInput  # noqa: PLC0415
        from ..models.record_ref_partial import RecordRefPartial  # noqa: PLC0415

        d = dict(src_dict)
        summary = d.pop("summary", UNSET)

        description = d.pop("description", UNSET)

        location = d.pop("location", UNSET)

        _start_at = d.pop("start_at", UNSET)
        start_at: datetime.datetime | Unset
        if isinstance(_start_at, Unset):
            start_at = UNSET
        else:
            start_at = datetime.datetime.fromisoformat(_start_at)

        _end_at = d.pop("end_at", UNSET)
        end_at: datetime.datetime | Unset
        if isinstance(_end_at, Unset):
            end_at = UNSET
        else:
            end_at = datetime.datetime.fromisoformat(_end_at)

        all_day = d.pop("all_day", UNSET)

        _calendar_owner = d.pop("calendar_owner", UNSET)
        calendar_owner: RecordRefPartial | Unset
        if isinstance(_calendar_owner, Unset):
            calendar_owner = UNSET
        else:
            calendar_owner = RecordRefPartial.from_dict(_calendar_owner)

        _attendees = d.pop("attendees", UNSET)
        attendees: list[AttendeeInput] | Unset = UNSET
        if _attendees is not UNSET:
            attendees = []
            for attendees_item_data in _attendees:
                attendees_item = AttendeeInput.from_dict(attendees_item_data)

                attendees.append(attendees_item)

        send_email_notification = d.pop("send_email_notification", UNSET)

        _matter = d.pop("matter", UNSET)
        matter: MatterRefInput | Unset
        if isinstance(_matter, Unset):
            matter = UNSET
        else:
            matter = MatterRefInput.from_dict(_matter)

        _external_properties = d.pop("external_properties", UNSET)
        external_properties: list[ExternalPropertyInput] | Unset = UNSET
        if _external_properties is not UNSET:
            external_properties = []
            for external_properties_item_data in _external_properties:
                external_properties_item = ExternalPropertyInput.from_dict(external_properties_item_data)

                external_properties.append(external_properties_item)

        def _parse_recurrence_rule(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recurrence_rule = _parse_recurrence_rule(d.pop("recurrence_rule", UNSET))

        calendar_entry_update = cls(
            summary=summary,
            description=description,
            location=location,
            start_at=start_at,
            end_at=end_at,
            all_day=all_day,
            calendar_owner=calendar_owner,
            attendees=attendees,
            send_email_notification=send_email_notification,
            matter=matter,
            external_properties=external_properties,
            recurrence_rule=recurrence_rule,
        )

        return calendar_entry_update
