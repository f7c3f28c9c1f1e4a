from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attendee_input import AttendeeInput
    from ..models.external_property_new import ExternalPropertyNew
    from ..models.matter_ref_input import MatterRefInput
    from ..models.record_ref import RecordRef


T = TypeVar("T", bound="CalendarEntryCreate")


@_attrs_define
class CalendarEntryCreate:
    """
    Attributes:
        summary (str):
        start_at (datetime.datetime):
        end_at (datetime.datetime):
        calendar_owner (RecordRef): A reference to another record by id, where Clio requires the id.
        description (str | Unset):
        location (str | Unset):
        all_day (bool | Unset):
        attendees (list[AttendeeInput] | Unset):
        send_email_notification (bool | Unset): Whether Clio emails the attendees about the entry.
        matter (MatterRefInput | Unset): The matter to link the entry to; `id` null links it to none (Clio's keyword
            `null`).
        external_properties (list[ExternalPropertyNew] | Unset):
        recurrence_rule (str | Unset): An iCalendar RRULE, e.g. `FREQ=WEEKLY;COUNT=4`.
    """

    summary: str
    start_at: datetime.datetime
    end_at: datetime.datetime
    calendar_owner: RecordRef
    description: str | Unset = UNSET
    location: str | Unset = UNSET
    all_day: bool | Unset = UNSET
    attendees: list[AttendeeInput] | Unset = UNSET
    send_email_notification: bool | Unset = UNSET
    matter: MatterRefInput | Unset = UNSET
    external_properties: list[ExternalPropertyNew] | Unset = UNSET
    recurrence_rule: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        summary = self.summary

        start_at = self.start_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")

        end_at = self.end_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")

        calendar_owner = self.calendar_owner.to_dict()

        description = self.description

        location = self.location

        all_day = self.all_day

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

        recurrence_rule = self.recurrence_rule

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "summary": summary,
                "start_at": start_at,
                "end_at": end_at,
                "calendar_owner": calendar_owner,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if location is not UNSET:
            field_dict["location"] = location
        if all_day is not UNSET:
            field_dict["all_day"] = all_day
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
        from ..models.external_property_new import ExternalPropertyNew  # noqa: PLC0415
        from ..models.matter_ref_input import MatterRefInput  # noqa: PLC0415
        from ..models.record_ref import RecordRef  # noqa: PLC0415

        d = dict(src_dict)
        summary = d.pop("summary")

        start_at = datetime.datetime.fromisoformat(d.pop("start_at"))

        end_at = datetime.datetime.fromisoformat(d.pop("end_at"))

        calendar_owner = RecordRef.from_dict(d.pop("calendar_owner"))

        description = d.pop("description", UNSET)

        location = d.pop("location", UNSET)

        all_day = d.pop("all_day", UNSET)

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
        external_properties: list[ExternalPropertyNew] | Unset = UNSET
        if _external_properties is not UNSET:
            external_properties = []
            for external_properties_item_data in _external_properties:
                external_properties_item = ExternalPropertyNew.from_dict(external_properties_item_data)

                external_properties.append(external_properties_item)

        recurrence_rule = d.pop("recurrence_rule", UNSET)

        calendar_entry_create = cls(
            summary=summary,
            start_at=start_at,
            end_at=end_at,
            calendar_owner=calendar_owner,
            description=description,
            location=location,
            all_day=all_day,
            attendees=attendees,
            send_email_notification=send_email_notification,
            matter=matter,
            external_properties=external_properties,
            recurrence_rule=recurrence_rule,
        )

        return calendar_entry_create
