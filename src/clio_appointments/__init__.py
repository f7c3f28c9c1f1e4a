"""clio-appointments: App Connect's appointment interfaces for Clio Manage v4 calendars, on a typed client."""

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
    ValidationError,
)

__version__ = "0.1.0"

__all__ = [
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ClioConnectionError",
    "ClioError",
    "ClioTimeoutError",
    "ConfigurationError",
    "NotFoundError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "ServerError",
    "ValidationError",
    "__version__",
]
