"""Query parameters, parsed strictly: a value that is not what the spec declares is a 400 naming the parameter.

Paging follows Clio's Pagination guide (docs.developers.clio.com/api-docs/paging): cursor paging (`page_token`,
no record limit) needs `order=id(asc)` and no `offset`; every other list request pages by `offset`, which reaches
the first 10,000 records only ("Attempting to retrieve a page over the limit will result in a 422 ArgumentError").
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from typing import Protocol

from ._errors import ApiError
from ._model import Page
from ._timefmt import parse_rfc3339

__all__ = [
    "CURSOR_ORDER",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "OFFSET_RECORD_LIMIT",
    "QueryParams",
    "decode_page_token",
    "encode_page_token",
]

DEFAULT_LIMIT = 200
MAX_LIMIT = 200
# Offset paging reaches this many records at most (50 pages of 200).
OFFSET_RECORD_LIMIT = 10_000
# The one order cursor paging works with.
CURSOR_ORDER = "id(asc)"
_INT64_MAX = 2**63 - 1
_DIGITS = re.compile(r"[0-9]+\Z", re.ASCII)


class _MultiMapping(Protocol):
    def get(self, key: str) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...

    def keys(self) -> Iterable[str]: ...


class QueryParams:
    """Typed access to one request's query string; the last value wins when a name repeats (but see `ids`)."""

    def __init__(self, params: _MultiMapping) -> None:
        self._params = params

    def names(self) -> set[str]:
        return set(self._params.keys())

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
        return None if raw is None else _record_id(name, raw)

    def ids(self, name: str) -> tuple[int, ...] | None:
        """Every value of a repeated id parameter (`ids[]=1&ids[]=2`), in order, without repeats."""
        values = self._params.getlist(name)
        if not values:
            return None
        return tuple(dict.fromkeys(_record_id(name, raw) for raw in values))

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
        if _DIGITS.match(raw) and len(raw) <= 3 and 1 <= int(raw) <= MAX_LIMIT:
            return int(raw)
        raise ApiError(400, f"Query parameter 'limit' must be a whole number from 1 to {MAX_LIMIT}.")

    def page(self, order: str | None) -> Page:
        """The page asked for: by cursor with an explicit `order=id(asc)` and no `offset`, else by offset."""
        limit = self.limit()
        raw_offset = self._params.get("offset")
        token = self._params.get("page_token")
        if order == CURSOR_ORDER and raw_offset is None:
            return Page(limit, after_id=0 if token is None else decode_page_token(token))
        if token is not None:
            raise ApiError(
                400,
                f"Query parameter 'page_token' pages by cursor, which needs order={CURSOR_ORDER} and no offset.",
            )
        offset = 0
        if raw_offset is not None:
            if not _DIGITS.match(raw_offset) or len(raw_offset) > 19:
                raise ApiError(400, "Query parameter 'offset' must be a whole number from 0.")
            offset = int(raw_offset)
        if offset >= OFFSET_RECORD_LIMIT:
            raise ApiError(
                422,
                f"Offset pagination is limited to the first {OFFSET_RECORD_LIMIT:,} records; offset {offset} is"
                f" past them. Page by cursor instead: order={CURSOR_ORDER} and no offset.",
                error_type="ArgumentError",
            )
        # A page never reaches past the limit: the one that would is cut short, and the next one is refused.
        return Page(min(limit, OFFSET_RECORD_LIMIT - offset), offset=offset)


def _record_id(name: str, raw: str) -> int:
    if _DIGITS.match(raw) and len(raw) <= 19 and 1 <= int(raw) <= _INT64_MAX:
        return int(raw)
    raise ApiError(400, f"Query parameter {name!r} must be a positive integer id.")


def encode_page_token(position: int) -> str:
    return base64.urlsafe_b64encode(f"p{position}".encode()).decode().rstrip("=")


def decode_page_token(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if text.startswith("p") and _DIGITS.match(text[1:]) and len(text) <= 20 and int(text[1:]) <= _INT64_MAX:
        return int(text[1:])
    raise ApiError(400, "Query parameter 'page_token' is not one this server gave out.")
