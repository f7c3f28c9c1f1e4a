"""A stand-in Clio for fuzzing: every request is checked against the OpenAPI spec, answers are plausible.

It records each way a request breaks the spec (unknown path or method, a query or path parameter of the wrong type,
a body the request schema rejects) in `violations`, and answers with small, valid Clio bodies so the facade can go
all the way through a create. It is far simpler than the emulator on purpose: tens of thousands of requests a minute.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

CALENDAR_ID = 1001
SPEC_URI = "urn:clio-v4-calendar"


def _coerce(raw: str, schema: dict[str, Any]) -> Any:
    """A query/path value as the type its schema names (Clio reads integers and booleans from strings)."""
    kind = schema.get("type")
    if kind == "integer":
        return int(raw) if re.fullmatch(r"-?\d+", raw) else raw
    if kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    return raw


class SpecCheckingClio:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, Resource(spec, specification=DRAFT202012))
        self.violations: list[str] = []
        self._validators: dict[str, Draft202012Validator] = {}
        self.requests = 0
        self.next_entry_id = 5000
        self.routes: list[tuple[str, re.Pattern[str], dict[str, Any]]] = []
        for path, item in spec["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path)) + "$")
            for method, operation in item.items():
                if method in ("get", "post", "patch", "delete", "put"):
                    self.routes.append((method.upper(), pattern, operation))

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target: Any = self.spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def _validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            rooted = {"$ref": SPEC_URI + schema["$ref"]} if "$ref" in schema else schema
            validator = self._validators[key] = Draft202012Validator(
                rooted, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
        return validator

    def _check(self, what: str, value: Any, schema: dict[str, Any]) -> None:
        for error in self._validator(schema).iter_errors(value):
            self.violations.append(f"{what}: {error.message}")

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        where = f"{request.method} {request.url.path}"
        for method, pattern, candidate in self.routes:
            found = pattern.match(request.url.path)
            if found and method == request.method:
                operation = candidate
                break
        else:
            self.violations.append(f"{where}: no such operation in the spec")
            return httpx.Response(404, json={"error": {"type": "NotFound", "message": "no route"}})
        parameters = [self._resolve(p) for p in operation.get("parameters", [])]
        declared = {p["name"]: p for p in parameters if p["in"] == "query"}
        for name, raw in request.url.params.multi_items():
            if name not in declared:
                self.violations.append(f"{where}: undeclared query parameter {name!r}")
                continue
            self._check(f"{where} ?{name}", _coerce(raw, declared[name]["schema"]), declared[name]["schema"])
        for p in parameters:
            if p["in"] == "path":
                self._check(f"{where} {{{p['name']}}}", _coerce(found[p["name"]], p["schema"]), p["schema"])
        body: Any = None
        if "requestBody" in operation:
            try:
                body = json.loads(request.content)
            except ValueError:
                self.violations.append(f"{where}: body is not JSON")
                return httpx.Response(400, json={"error": {"type": "BadRequest", "message": "bad JSON"}})
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            self._check(f"{where} body", body, schema)
        elif request.content:
            self.violations.append(f"{where}: a body where the spec has none")
        return self._answer(operation["operationId"], found.groupdict(), body)

    def _answer(self, operation_id: str, path: dict[str, str], body: Any) -> httpx.Response:
        if operation_id == "getWhoAmI":
            return httpx.Response(200, json={"data": {"id": 344, "name": "Ada Lovelace"}})
        if operation_id == "listCalendars":
            calendar = {
                "id": CALENDAR_ID,
                "name": "Ada",
                "permission": "owner",
                "type": "UserCalendar",
                "visible": True,
            }
            return httpx.Response(200, json={"data": [calendar], "meta": {"paging": {}, "records": 1}})
        if operation_id == "getContact":
            return httpx.Response(200, json={"data": {"id": int(path["id"]), "name": "Jane Smith", "type": "Person"}})
        if operation_id == "listCalendarEntries":
            return httpx.Response(200, json={"data": [], "meta": {"paging": {}, "records": 0}})
        if operation_id == "createCalendarEntry" and isinstance(body, dict) and isinstance(body.get("data"), dict):
            self.next_entry_id += 1
            return httpx.Response(201, json={"data": self._entry(str(self.next_entry_id), body["data"])})
        if operation_id in ("getCalendarEntry", "updateCalendarEntry"):
            data = body["data"] if isinstance(body, dict) and isinstance(body.get("data"), dict) else {}
            return httpx.Response(200, json={"data": self._entry(path["id"], data)})
        if operation_id == "deleteCalendarEntry":
            return httpx.Response(204)
        return httpx.Response(422, json={"error": {"type": "RecordInvalid", "message": "not understood"}})

    @staticmethod
    def _entry(entry_id: str, data: dict[str, Any]) -> dict[str, Any]:
        attendees = [
            {"id": a.get("id"), "type": a.get("type", "Contact"), "name": f"Contact {a.get('id')}"}
            for a in data.get("attendees") or []
            if isinstance(a, dict)
        ]
        return {
            "id": entry_id,
            "etag": '"0"',
            "summary": data.get("summary", "Appointment"),
            "description": data.get("description", ""),
            "start_at": data.get("start_at", "2024-03-15T14:00:00.000Z"),
            "end_at": data.get("end_at", "2024-03-15T15:00:00.000Z"),
            "all_day": False,
            "calendar_owner_id": CALENDAR_ID,
            "attendees": attendees,
            "external_properties": [
                {"id": i + 1, "name": p.get("name", ""), "value": p.get("value", "")}
                for i, p in enumerate(data.get("external_properties") or [])
                if isinstance(p, dict)
            ],
        }
