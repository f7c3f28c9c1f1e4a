"""The OpenAPI document the emulator implements: request-body validators and the field catalogue for `fields`.

Request bodies are checked against the spec's own request schemas, and the names `fields` may ask for are the
properties of the spec's response schemas, so the emulator cannot drift from the spec on either.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ._timefmt import parse_rfc3339

__all__ = ["FieldCatalog", "Spec", "load_spec", "spec_path"]

_SPEC_URI = "urn:clio-emulator:openapi"
_INT64_MAX = 2**63 - 1


def spec_path() -> Path:
    """The spec file: the checkout's `openapi/` in a source tree, else the copy the wheel ships with the client."""
    checkout = Path(__file__).resolve().parents[2] / "openapi" / "clio-v4-calendar.yaml"
    if checkout.is_file():
        return checkout
    # Found without importing the generated client, which the emulator has no other use for.
    found = importlib.util.find_spec("clio_calendar_api")
    for location in (found.submodule_search_locations or []) if found else []:
        packaged = Path(location) / "openapi.yaml"
        if packaged.is_file():
            return packaged
    raise FileNotFoundError("the Clio OpenAPI spec (openapi/clio-v4-calendar.yaml) is not installed")


@dataclass(frozen=True)
class FieldCatalog:
    """The fields a record type has; nested records map to the catalogue of their own fields."""

    scalars: frozenset[str]
    nested: dict[str, frozenset[str]]

    def __contains__(self, name: object) -> bool:
        return name in self.scalars or name in self.nested


def _format_checker() -> FormatChecker:
    # Only the formats the emulator enforces; RFC 3339 date-times are parsed by the same code that stores them.
    checker = FormatChecker(formats=())

    @checker.checks("date-time")
    def _date_time(value: object) -> bool:
        return not isinstance(value, str) or parse_rfc3339(value) is not None

    @checker.checks("int64")
    def _int64(value: object) -> bool:
        return not isinstance(value, int | float) or abs(value) <= _INT64_MAX

    @checker.checks("int32")
    def _int32(value: object) -> bool:
        return not isinstance(value, int | float) or abs(value) <= 2**31 - 1

    return checker


class Spec:
    """The parsed spec, with validators for each operation's request body."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._schemas: dict[str, Any] = document["components"]["schemas"]
        resource: Resource[Any] = Resource.from_contents(document, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(_SPEC_URI, resource)
        self._checker = _format_checker()
        self._validators: dict[tuple[str, str], Draft202012Validator] = {}

    def request_errors(self, method: str, path: str, body: object) -> Iterator[ValidationError]:
        """Every way `body` breaks the request schema of the operation at `method` `path`."""
        key = (method.lower(), path)
        validator = self._validators.get(key)
        if validator is None:
            schema = self.document["paths"][path][key[0]]["requestBody"]["content"]["application/json"]["schema"]
            validator = Draft202012Validator(
                {"$ref": _SPEC_URI + schema["$ref"]}, registry=self._registry, format_checker=self._checker
            )
            self._validators[key] = validator
        return validator.iter_errors(body)

    def query_parameters(self, method: str, path: str) -> frozenset[str]:
        """The names of the query parameters the operation at `method` `path` declares."""
        names: set[str] = set()
        for param in self.document["paths"][path][method.lower()].get("parameters", []):
            ref = param.get("$ref", "")
            if ref.startswith("#/components/parameters/"):
                param = self.document["components"]["parameters"][ref.rsplit("/", 1)[1]]
            if param.get("in") == "query":
                names.add(param["name"])
        return frozenset(names)

    def catalog(self, schema_name: str) -> FieldCatalog:
        """The fields a record of `schema_name` (a component schema) can return."""
        scalars: set[str] = set()
        nested: dict[str, frozenset[str]] = {}
        for name, prop in self._schemas[schema_name]["properties"].items():
            target = self._record_schema(prop)
            if target is None:
                scalars.add(name)
            else:
                nested[name] = frozenset(self._schemas[target]["properties"])
        return FieldCatalog(frozenset(scalars), nested)

    def _record_schema(self, prop: dict[str, Any]) -> str | None:
        # A nested record is a $ref to an object schema, possibly in an array or a oneOf with null.
        candidates = [prop, prop.get("items", {}), *prop.get("oneOf", [])]
        for candidate in candidates:
            ref = candidate.get("$ref", "") if isinstance(candidate, dict) else ""
            if ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if self._schemas[name].get("type") == "object":
                    return name
        return None


@cache
def load_spec() -> Spec:
    with spec_path().open(encoding="utf-8") as f:
        return Spec(yaml.safe_load(f))
