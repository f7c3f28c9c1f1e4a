"""Clio's `fields` query parameter: `id,summary,attendees{id,name,type}`, one level of nesting.

Without `fields` a record is only its `id` and `etag`; so is a nested record named without braces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ._errors import ApiError
from ._spec import FieldCatalog

__all__ = ["DEFAULT_FIELDS", "FieldSelection", "parse_fields", "project"]

# A selection: field name -> the nested selection for a nested record (None for a plain field).
FieldSelection = tuple[tuple[str, "FieldSelection | None"], ...]

DEFAULT_FIELDS: FieldSelection = (("id", None), ("etag", None))

_TOKEN = re.compile(r"\s*(?:([A-Za-z_][A-Za-z0-9_]*)|([{},]))\s*")


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ApiError(400, f"fields: unexpected character at position {pos + 1}")
        tokens.append(match.group(1) or match.group(2))
        pos = match.end()
    return tokens


def parse_fields(text: str | None, catalog: FieldCatalog) -> FieldSelection:
    """The selection `text` asks for, checked against `catalog`; 400 for bad syntax or an unknown field."""
    if text is None or not text.strip():
        return DEFAULT_FIELDS
    tokens = _tokens(text)
    selection: list[tuple[str, FieldSelection | None]] = []
    i = 0
    while i < len(tokens):
        name = tokens[i]
        if name in "{},":
            raise ApiError(400, f"fields: expected a field name, found {name!r}")
        if name not in catalog:
            raise ApiError(400, f"fields: unknown field {name!r}")
        i += 1
        nested: FieldSelection | None = None
        if i < len(tokens) and tokens[i] == "{":
            if name not in catalog.nested:
                raise ApiError(400, f"fields: {name!r} is not a nested record, so it takes no braces")
            close = tokens.index("}", i) if "}" in tokens[i:] else -1
            if close < 0:
                raise ApiError(400, f"fields: missing '}}' after {name!r}")
            nested = _parse_nested(name, tokens[i + 1 : close], catalog.nested[name])
            i = close + 1
        elif name in catalog.nested:
            nested = DEFAULT_FIELDS
        selection.append((name, nested))
        if i < len(tokens):
            if tokens[i] != ",":
                raise ApiError(400, f"fields: expected ',' after {name!r}, found {tokens[i]!r}")
            i += 1
            if i == len(tokens):
                raise ApiError(400, "fields: trailing ','")
    return tuple(selection)


def _parse_nested(parent: str, tokens: list[str], allowed: frozenset[str]) -> FieldSelection:
    names = tokens[0::2]
    separators = tokens[1::2]
    if not names or any(sep != "," for sep in separators) or len(tokens) % 2 == 0:
        raise ApiError(400, f"fields: malformed list in {parent!r}{{...}} (one level of nesting, names and commas)")
    for name in names:
        if name in "{},":
            raise ApiError(400, f"fields: only one level of nesting is allowed, in {parent!r}")
        if name not in allowed:
            raise ApiError(400, f"fields: unknown field {name!r} in {parent!r}")
    return tuple((name, None) for name in dict.fromkeys(names))


def project(record: Mapping[str, Any], selection: FieldSelection) -> dict[str, Any]:
    """The fields of `record` that `selection` names, in the order named."""
    out: dict[str, Any] = {}
    for name, nested in selection:
        value = record.get(name)
        if nested is not None and isinstance(value, list):
            out[name] = [project(item, nested) for item in value]
        elif nested is not None and isinstance(value, Mapping):
            out[name] = project(value, nested)
        else:
            out[name] = value
    return out
