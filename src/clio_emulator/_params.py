"""Query parameters, parsed strictly: a value that is not what the spec declares is a 400 naming the parameter."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping

from ._errors import ApiError
from ._timefmt import parse_rfc3339

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "QueryParams",
    "decode_page_token",
    "encode_page_token",
]

DEFAULT_LIMIT = 200
MAX_LIMIT = 200
_INT64_MAX = 2**63 - 1
_DIGITS = re.compile(r"[0-9]+\Z", re.ASCII)


class QueryParams:
    """Typed access to one request's query string; the last value wins when a name repeats."""

    def __init__(self, params: Mapping[str, str]) -> None:
        self._params = params

    def text(self, name: str) -> str | None:
        return self._params.get(name)

    def boolean(self, name: str) -> bool | None:
        raw = self._params.get(name)
        if raw is None:
            return None
        if raw in ("true", "false"):
            return raw == "true"
        raise ApiError(400, f"Query parameter {name!r} must be true or false.")

    def record_id(self, name: str) -> int | None:
        raw = self._params.get(name)
        if raw is None:
            return None
        if _DIGITS.match(raw) and 1 <= int(raw) <= _INT64_MAX:
            return int(raw)
        raise ApiError(400, f"Query parameter {name!r} must be a positive integer id.")

    def time(self, name: str) -> int | None:
        raw = self._params.get(name)
        if raw is None:
            return None
        micros = parse_rfc3339(raw)
        if micros is None:
            raise ApiError(400, f"Query parameter {name!r} must be an RFC 3339 date-time with a zone.")
        return micros

    def choice(self, name: str, allowed: tuple[str, ...]) -> str | None:
        raw = self._params.get(name)
        if raw is None or raw in allowed:
            return raw
        raise ApiError(400, f"Query parameter {name!r} must be one of: {', '.join(allowed)}.")

    def limit(self) -> int:
        raw = self._params.get("limit")
        if raw is None:
            return DEFAULT_LIMIT
        if _DIGITS.match(raw) and 1 <= int(raw) <= MAX_LIMIT:
            return int(raw)
        raise ApiError(400, f"Query parameter 'limit' must be a whole number from 1 to {MAX_LIMIT}.")

    def page_position(self) -> int:
        """Where the page starts (an id or an offset, as the list encoded it), 0 for the first page."""
        raw = self._params.get("page_token")
        return 0 if raw is None else decode_page_token(raw)


def encode_page_token(position: int) -> str:
    return base64.urlsafe_b64encode(f"p{position}".encode()).decode().rstrip("=")


def decode_page_token(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if text.startswith("p") and _DIGITS.match(text[1:]) and int(text[1:]) <= _INT64_MAX:
        return int(text[1:])
    raise ApiError(400, "Query parameter 'page_token' is not one this server gave out.")
