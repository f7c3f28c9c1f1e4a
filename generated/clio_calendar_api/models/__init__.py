"""Contains all the data models used in inputs/outputs"""

from .attendee import Attendee
from .attendee_input import AttendeeInput
from .attendee_type import AttendeeType
from .calendar import Calendar
from .calendar_entry import CalendarEntry
from .calendar_entry_create import CalendarEntryCreate
from .calendar_entry_create_request import CalendarEntryCreateRequest
from .calendar_entry_list import CalendarEntryList
from .calendar_entry_show import CalendarEntryShow
from .calendar_entry_update import CalendarEntryUpdate
from .calendar_entry_update_request import CalendarEntryUpdateRequest
from .calendar_list import CalendarList
from .calendar_permission import CalendarPermission
from .calendar_show import CalendarShow
from .calendar_source import CalendarSource
from .calendar_type import CalendarType
from .contact import Contact
from .contact_show import ContactShow
from .contact_type import ContactType
from .error import Error
from .error_detail import ErrorDetail
from .external_property import ExternalProperty
from .external_property_input import ExternalPropertyInput
from .external_property_new import ExternalPropertyNew
from .list_calendar_entries_matter_id_type_1 import ListCalendarEntriesMatterIdType1
from .list_calendar_entries_order import ListCalendarEntriesOrder
from .list_calendar_entries_source import ListCalendarEntriesSource
from .list_calendars_order import ListCalendarsOrder
from .list_calendars_source import ListCalendarsSource
from .list_meta import ListMeta
from .matter_ref import MatterRef
from .matter_ref_input import MatterRefInput
from .paging import Paging
from .record_ref import RecordRef
from .record_ref_partial import RecordRefPartial
from .user import User
from .user_show import UserShow
from .user_subscription_type import UserSubscriptionType

__all__ = (
    "Attendee",
    "AttendeeInput",
    "AttendeeType",
    "Calendar",
    "CalendarEntry",
    "CalendarEntryCreate",
    "CalendarEntryCreateRequest",
    "CalendarEntryList",
    "CalendarEntryShow",
    "CalendarEntryUpdate",
    "CalendarEntryUpdateRequest",
    "CalendarList",
    "CalendarPermission",
    "CalendarShow",
    "CalendarSource",
    "CalendarType",
    "Contact",
    "ContactShow",
    "ContactType",
    "Error",
    "ErrorDetail",
    "ExternalProperty",
    "ExternalPropertyInput",
    "ExternalPropertyNew",
    "ListCalendarEntriesMatterIdType1",
    "ListCalendarEntriesOrder",
    "ListCalendarEntriesSource",
    "ListCalendarsOrder",
    "ListCalendarsSource",
    "ListMeta",
    "MatterRef",
    "MatterRefInput",
    "Paging",
    "RecordRef",
    "RecordRefPartial",
    "User",
    "UserShow",
    "UserSubscriptionType",
)
