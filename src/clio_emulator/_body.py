"""Request bodies: JSON parsing (400), the spec's request schema (422), then Clio's own rules (422)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from jsonschema.exceptions import ValidationError

from ._errors import ApiError
from ._model import AttendeeChange, EntryChanges, PropertyChange
from ._spec import Spec
from ._timefmt import parse_rfc3339

__all__ = ["MAX_BODY_BYTES", "entry_changes", "parse_json"]

MAX_BODY_BYTES = 1 << 20


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _has_lone_surrogate(value: Any) -> bool:
    # json.loads accepts "\ud800"; such a string cannot be stored or sent back as UTF-8.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def parse_json(raw: bytes) -> Any:
    """The JSON document in `raw`, or a 400 saying why it is not one."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "The request body is not UTF-8.") from None
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ApiError(400, "The request body is nested too deeply.") from None
    except ValueError as exc:
        # json's messages name the position only, never echo the body.
        raise ApiError(400, f"The request body is not valid JSON: {exc}") from None
    if _has_lone_surrogate(value):
        raise ApiError(400, "The request body contains a string that is not valid Unicode.")
    return value


def _where(error: ValidationError) -> str:
    location = ""
    for part in error.absolute_path:
        location += f"[{part}]" if isinstance(part, int) else (f".{part}" if location else str(part))
    return location or "body"


def _describe(error: ValidationError) -> str:
    """One schema violation in words, without echoing the offending value (it may be huge or private)."""
    where = _where(error)
    kind = error.validator
    # The stubs type these as possibly unset; for a reported error they are always the schema's value.
    value: Any = error.validator_value
    instance: Any = error.instance
    schema: Any = error.schema
    if kind == "required":
        # jsonschema reports each missing name separately; naming them all makes those reports identical.
        missing = [str(name) for name in value if name not in (instance or {})]
        return f"{where} is missing required field(s): {', '.join(missing)}"
    if kind == "additionalProperties":
        allowed = set(schema.get("properties", {}))
        extra = sorted(str(k) for k in instance if k not in allowed) if isinstance(instance, dict) else []
        return f"{where} has unknown properties: {', '.join(extra)[:200]}"
    if kind == "type":
        expected = value if isinstance(value, list) else [value]
        return f"{where} must be of type {' or '.join(map(str, expected))}"
    if kind == "enum":
        return f"{where} must be one of: {', '.join(map(str, value))}"
    if kind == "maxItems":
        return f"{where} may have at most {value} items"
    if kind == "minimum":
        return f"{where} must be at least {value}"
    if kind == "minLength":
        return f"{where} must not be empty"
    if kind == "format":
        if value == "date-time":
            return f"{where} must be an RFC 3339 date-time with a zone, e.g. 2024-03-15T14:00:00.000Z"
        return f"{where} is out of range for {value}"
    return f"{where} is invalid ({kind})"


def _schema_errors(errors: Iterable[ValidationError]) -> None:
    found = sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), str(e.validator)))
    if found:
        detail = "; ".join(dict.fromkeys(_describe(e) for e in found[:5]))
        raise ApiError(422, f"Validation failed: {detail}")


def entry_changes(spec: Spec, method: str, path: str, body: Any, *, creating: bool) -> EntryChanges:
    """The create or update `body` asks for, checked against the spec and Clio's rules that need no stored data."""
    _schema_errors(spec.request_errors(method, path, body))
    data: dict[str, Any] = body["data"]
    start = None if "start_at" not in data else parse_rfc3339(data["start_at"])
    end = None if "end_at" not in data else parse_rfc3339(data["end_at"])
    if start is not None and end is not None and end < start:
        raise ApiError(422, "Validation failed: End at must not be before start at.")
    attendees = None
    if "attendees" in data:
        attendees = tuple(_attendee(i, item) for i, item in enumerate(data["attendees"]))
        attendees = tuple(a for a in dict.fromkeys(attendees) if not (creating and a.destroy))
    properties = None
    if "external_properties" in data:
        properties = tuple(_property(i, item) for i, item in enumerate(data["external_properties"]))
        names = [p.name for p in properties if p.name is not None and not p.destroy]
        if len(names) != len(set(names)):
            raise ApiError(422, "Validation failed: data.external_properties: names must be unique on an entry.")
    rule = data.get("recurrence_rule")
    matter = data.get("matter")
    # Clio: "Use the keyword `null` to specify no association."
    clear_matter = isinstance(matter, dict) and "id" in matter and matter["id"] is None
    return EntryChanges(
        summary=data.get("summary"),
        description=data.get("description"),
        location=data.get("location"),
        start_us=start,
        end_us=end,
        all_day=data.get("all_day"),
        recurrence_rule=rule or None,
        clear_recurrence="recurrence_rule" in data and not rule,
        calendar_id=_ref_id(data.get("calendar_owner")),
        matter_id=None if clear_matter else _ref_id(matter),
        clear_matter=clear_matter,
        attendees=attendees,
        properties=properties,
    )


def _ref_id(ref: dict[str, Any] | None) -> int | None:
    # JSON has one number type: the schema accepts 101.0 as an integer, the store wants 101.
    return None if ref is None or "id" not in ref else int(ref["id"])


def _attendee(index: int, item: dict[str, Any]) -> AttendeeChange:
    where = f"data.attendees[{index}]"
    if "id" not in item or "type" not in item:
        raise ApiError(422, f"Validation failed: {where} needs both id and type")
    return AttendeeChange(kind=item["type"], id=int(item["id"]), destroy=bool(item.get("_destroy", False)))


def _property(index: int, item: dict[str, Any]) -> PropertyChange:
    where = f"data.external_properties[{index}]"
    prop_id = None if "id" not in item else int(item["id"])
    destroy = bool(item.get("_destroy", False))
    if prop_id is None and "name" not in item:
        raise ApiError(422, f"Validation failed: {where}.name is required for a new property")
    if destroy and prop_id is None:
        raise ApiError(422, f"Validation failed: {where}: _destroy needs the id of the property to remove")
    return PropertyChange(id=prop_id, name=item.get("name"), value=item.get("value"), destroy=destroy)
