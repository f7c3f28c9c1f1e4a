"""The shapes App Connect exchanges, as TypedDicts: what goes in (payloads) and what comes back (results).

Keys are App Connect's (camelCase) so a result can be handed straight back to App Connect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Never, TypeAlias, TypedDict, final

if TYPE_CHECKING:
    # Only for annotations: importing this module (and so `clio_appointments`) must not pull in httpx.
    import httpx

__all__ = [
    "Appointment",
    "AppointmentPatch",
    "AppointmentPayload",
    "AppointmentRange",
    "AppointmentResult",
    "Attendee",
    "CancelResult",
    "ClientOptions",
    "ContactReference",
    "CreateResult",
    "CreatedAppointment",
    "Failure",
    "ListResult",
    "ListedAppointment",
    "ListedAppointments",
    "LooseJson",
    "ReturnMessage",
    "UpdateResult",
]


class Attendee(TypedDict):
    """A person on the appointment: `type` is Clio's, `Contact` for a contact or `Calendar` for a firm user."""

    id: int
    name: str
    type: str


class Appointment(TypedDict):
    """An appointment as App Connect shows it (createAppointment, updateAppointment, refreshAppointment)."""

    id: str
    thirdPartyAppointmentId: str
    title: str
    description: str
    startTimeUtc: str | None
    durationMinutes: int
    status: str
    contactId: str
    attendees: list[Attendee]


class ListedAppointment(Appointment):
    """An appointment as App Connect's listAppointments returns it."""

    participantName: str


class ReturnMessage(TypedDict):
    """What App Connect shows the person: the message, its kind and how long to show it (milliseconds)."""

    message: str
    messageType: Literal["success", "warning", "danger"]
    ttl: int


# final: lets type checkers tell results apart with `"key" in result`.
@final
class Failure(TypedDict):
    """What App Connect shows a person when the action could not be done (nothing was changed in Clio)."""

    successful: Literal[False]
    returnMessage: ReturnMessage


@final
class CreatedAppointment(TypedDict):
    """createAppointment's success: the new entry's id and the appointment."""

    appointmentId: str
    appointment: Appointment


@final
class AppointmentResult(TypedDict):
    """updateAppointment's and refreshAppointment's success: the appointment as Clio has it now."""

    appointment: Appointment


@final
class ListedAppointments(TypedDict):
    """listAppointments' success: every appointment that starts in the range."""

    appointments: list[ListedAppointment]


class CancelResult(TypedDict):
    """cancelAppointment's result: `successful` is True also for an entry that was already gone (with a warning)."""

    successful: bool
    returnMessage: ReturnMessage


CreateResult = CreatedAppointment | Failure
"""What `create_appointment` returns; `"successful" in result` tells the two apart."""
UpdateResult = AppointmentResult | Failure
"""What `update_appointment` and `refresh_appointment` return; `"successful" in result` tells the two apart."""
ListResult = ListedAppointments | Failure
"""What `list_appointments` returns; `"successful" in result` tells the two apart."""


# A contact to add as an attendee: an id (number or digit string) or an object with an `id` (App Connect's
# `{id, type}` references, or an attendee from a result). Anything else in the sequence is dropped.
ContactReference: TypeAlias = int | float | str | Mapping[str, Any]

# Loose JSON, such as a webhook's body typed `dict[str, Any]`, is assignable to this (Any fits any value type), but a
# dict literal never is (no value has type Never). So a parameter typed `AppointmentPayload | LooseJson` takes both
# kinds of input while a literal is still checked against the TypedDict: `{"titel": ...}` fails `mypy --strict`.
LooseJson: TypeAlias = dict[str, Never]


class _AppointmentFields(TypedDict, total=False):
    """The keys a payload and a patch share, read by the same rules (DESIGN.md's semantics table)."""

    title: str | None
    summary: str | None
    startTimeUtc: str | None
    startTime: str | None
    durationMinutes: int | float | str | None
    contacts: Sequence[ContactReference] | None


class AppointmentPayload(_AppointmentFields, total=False):
    """createAppointment's payload: App Connect's keys, `startTime` (the connector's fallback for `startTimeUtc`) and
    this SDK's `idempotencyKey`. Every key is optional and checked; any other key is refused with a warning."""

    idempotencyKey: str | None


class AppointmentPatch(_AppointmentFields, total=False):
    """updateAppointment's patch: only what it names changes. `status` alone gets App Connect's "not supported"
    warning; any key not declared here is refused with a warning."""

    status: str | None


class AppointmentRange(TypedDict, total=False):
    """listAppointments' range: `startDate`/`endDate` are whole UTC days, inclusive (`YYYY-MM-DD`; a date-time stands
    for its UTC day, as the connector reads it); `startTime`/`endTime`, the names App Connect's interface docs use,
    are RFC 3339 date-times taken as given (a plain date is its whole UTC day). Either bound may be left out; any
    other key is refused with a warning."""

    startDate: str | None
    endDate: str | None
    startTime: str | None
    endTime: str | None


class ClientOptions(TypedDict, total=False):
    """Options the module-level functions pass on to the client."""

    region: str
    base_url: str | None
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None
    timeout: float | httpx.Timeout
    max_retries: int
    deadline: float
    api_version: str
    shared_state: str | Literal[False] | None
