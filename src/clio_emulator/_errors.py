"""Clio's error body, and the exceptions the emulator raises to produce it."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus

from starlette.responses import JSONResponse

__all__ = ["ApiError", "ConnectionDropped", "error_response", "error_type_for"]

# Clio's `error.type` for the statuses the spec declares; other statuses get their reason phrase in CamelCase.
_TYPES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    412: "PreconditionFailed",
    413: "PayloadTooLarge",
    422: "RecordInvalid",
    429: "RateLimited",
}


def error_type_for(status: int) -> str:
    if status in _TYPES:
        return _TYPES[status]
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "Error"
    return "".join(word.capitalize() for word in phrase.replace("-", " ").split())


def error_response(
    status: int, message: str, headers: Mapping[str, str] | None = None, *, error_type: str | None = None
) -> JSONResponse:
    body = {"error": {"type": error_type or error_type_for(status), "message": message}}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


class ApiError(Exception):
    """Answer the request with `status` and Clio's error body; raised anywhere below the routes."""

    def __init__(
        self, status: int, message: str, headers: Mapping[str, str] | None = None, *, error_type: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})
        # Clio's `error.type` when it is not the status's usual one (422 ArgumentError for offset paging).
        self.error_type = error_type

    def response(self) -> JSONResponse:
        return error_response(self.status, self.message, self.headers, error_type=self.error_type)


class ConnectionDropped(Exception):
    """Raised after the response has started, so the server breaks the connection instead of answering.

    The emulator's own transports turn it into the httpx transport error a real dropped connection gives.
    """
