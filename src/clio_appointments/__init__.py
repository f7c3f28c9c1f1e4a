"""clio-appointments: App Connect's appointment interfaces for Clio Manage v4 calendars, on a typed client.

    from clio_appointments import ClioCalendar

    with ClioCalendar("Bearer <token>", region="eu") as calendar:
        result = calendar.create_appointment({"title": "Intake", "startTimeUtc": "2024-03-15T14:00:00Z"})

The clients and the module-level functions are loaded on first use, so `import clio_appointments` stays cheap (no
httpx, no generated client) until something is actually called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ClioConnectionError,
    ClioError,
    ClioTimeoutError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)
from ._types import (
    Appointment,
    AppointmentPatch,
    AppointmentPayload,
    AppointmentRange,
    AppointmentResult,
    Attendee,
    CancelResult,
    ClientOptions,
    CreatedAppointment,
    CreateResult,
    Failure,
    ListedAppointment,
    ListedAppointments,
    ListResult,
    ReturnMessage,
    UpdateResult,
)

if TYPE_CHECKING:
    __version__: str

    from ._client import AsyncClioCalendar, ClioCalendar
    from ._config import CLIO_API_VERSION, is_loopback
    from ._deadline import DEFAULT_DEADLINE
    from ._functions import (
        acancel_appointment,
        acreate_appointment,
        alist_appointments,
        arefresh_appointment,
        aupdate_appointment,
        cancel_appointment,
        create_appointment,
        list_appointments,
        refresh_appointment,
        update_appointment,
    )

_LAZY = {
    "ClioCalendar": "._client",
    "AsyncClioCalendar": "._client",
    "list_appointments": "._functions",
    "create_appointment": "._functions",
    "update_appointment": "._functions",
    "refresh_appointment": "._functions",
    "cancel_appointment": "._functions",
    "alist_appointments": "._functions",
    "acreate_appointment": "._functions",
    "aupdate_appointment": "._functions",
    "arefresh_appointment": "._functions",
    "acancel_appointment": "._functions",
    "is_loopback": "._config",
    "CLIO_API_VERSION": "._config",
    "DEFAULT_DEADLINE": "._deadline",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        # One copy of the version, in pyproject.toml; read from the installed metadata on first use (importing
        # importlib.metadata up front would cost every `import clio_appointments`).
        from importlib.metadata import version

        globals()[name] = value = version("clio-appointments")
        return value
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "CLIO_API_VERSION",
    "DEFAULT_DEADLINE",
    "APIStatusError",
    "Appointment",
    "AppointmentPatch",
    "AppointmentPayload",
    "AppointmentRange",
    "AppointmentResult",
    "AsyncClioCalendar",
    "Attendee",
    "AuthenticationError",
    "BadRequestError",
    "CancelResult",
    "ClientOptions",
    "ClioCalendar",
    "ClioConnectionError",
    "ClioError",
    "ClioTimeoutError",
    "ConfigurationError",
    "CreateResult",
    "CreatedAppointment",
    "Failure",
    "ListResult",
    "ListedAppointment",
    "ListedAppointments",
    "NotFoundError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "ReturnMessage",
    "ServerError",
    "UnexpectedResponseError",
    "UpdateResult",
    "ValidationError",
    "__version__",
    "acancel_appointment",
    "acreate_appointment",
    "alist_appointments",
    "arefresh_appointment",
    "aupdate_appointment",
    "cancel_appointment",
    "create_appointment",
    "is_loopback",
    "list_appointments",
    "refresh_appointment",
    "update_appointment",
]
