"""The spec and the shared schemathesis settings: where they are, and the schema object built from them.

Both files live at the checkout's root in a source tree; an installed wheel carries copies (the spec inside
clio_calendar_api, the settings inside this package), so the command behaves the same either way.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemathesis.specs.openapi.schemas import OpenApiSchema

__all__ = ["FieldCatalog", "field_catalog", "load_schema", "settings_path", "spec_path", "spec_version"]

_CHECKOUT = Path(__file__).resolve().parents[2]
_SCHEMA_REF = "#/components/schemas/"


def spec_path() -> Path:
    """openapi/clio-v4-calendar.yaml in a checkout, else the copy the wheel ships with the generated client."""
    checkout = _CHECKOUT / "openapi" / "clio-v4-calendar.yaml"
    if checkout.is_file():
        return checkout
    found = importlib.util.find_spec("clio_calendar_api")
    for location in (found.submodule_search_locations or []) if found else []:
        packaged = Path(location) / "openapi.yaml"
        if packaged.is_file():
            return packaged
    raise FileNotFoundError("the Clio OpenAPI spec (openapi/clio-v4-calendar.yaml) is not installed")


def spec_version(raw: dict[str, Any]) -> str:
    """The Clio minor version a spec describes: its `info.version` up to the subset's own revision (4.0.9-ca.5)."""
    return str(raw.get("info", {}).get("version", "")).split("-", 1)[0]


def settings_path() -> Path:
    """The shared schemathesis.toml: the checkout's, else the copy the wheel ships in this package."""
    checkout = _CHECKOUT / "schemathesis.toml"
    if checkout.is_file():
        return checkout
    packaged = Path(__file__).resolve().parent / "schemathesis.toml"
    if packaged.is_file():
        return packaged
    raise FileNotFoundError("schemathesis.toml (the conformance suite's settings) is not installed")


def load_schema(
    *,
    base_url: str | None = None,
    auth_header: str | None = None,
    app: Any = None,
    max_examples: int | None = None,
) -> OpenApiSchema:
    """The spec as a schemathesis schema, configured from the shared schemathesis.toml.

    `auth_header` goes into every generated request as a fixed header, so negative generation never strips it
    (`ignored_auth` tests what happens without it instead). `app` makes requests go in-process to an ASGI app.
    """
    import schemathesis
    from schemathesis.config import SchemathesisConfig

    config = SchemathesisConfig.from_path(settings_path())
    schema = schemathesis.openapi.from_path(spec_path(), config=config)
    schema.config.update(
        base_url=base_url,
        headers={"Authorization": auth_header} if auth_header is not None else None,
    )
    if max_examples is not None:
        schema.config.generation.update(max_examples=max_examples)
    if app is not None:
        schema.app = app
    return schema


@dataclass(frozen=True, slots=True)
class FieldCatalog:
    """What `fields` may name for one operation: plain fields, and nested records with their own fields."""

    scalars: tuple[str, ...]
    nested: dict[str, tuple[str, ...]]

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.scalars, *self.nested)


def field_catalog(raw: dict[str, Any], path: str, method: str) -> FieldCatalog | None:
    """The fields of the record an operation returns on success, read from its response schema; None if it
    returns no record (DELETE) or the operation does not exist."""
    operation = raw.get("paths", {}).get(path, {}).get(method.lower())
    if not isinstance(operation, dict) or "responses" not in operation:
        return None
    schemas: dict[str, Any] = raw.get("components", {}).get("schemas", {})
    record = _record_schema(operation, schemas)
    return None if record is None else _catalog_of(schemas[record], schemas)


def _ref_name(node: object) -> str | None:
    ref = node.get("$ref", "") if isinstance(node, dict) else ""
    return ref[len(_SCHEMA_REF) :] if ref.startswith(_SCHEMA_REF) else None


def _record_schema(operation: dict[str, Any], schemas: dict[str, Any]) -> str | None:
    """The component name of the record inside a success response's `data` (an object or a list of them)."""
    for status in ("200", "201"):
        content = operation["responses"].get(status, {}).get("content", {}).get("application/json", {})
        envelope = _ref_name(content.get("schema"))
        if envelope is None:
            continue
        data = schemas[envelope].get("properties", {}).get("data", {})
        return _ref_name(data) or _ref_name(data.get("items"))
    return None


def _nested_record(prop: dict[str, Any], schemas: dict[str, Any]) -> str | None:
    for candidate in (prop, prop.get("items"), *prop.get("oneOf", [])):
        name = _ref_name(candidate)
        if name is not None and schemas[name].get("type") == "object":
            return name
    return None


def _catalog_of(record: dict[str, Any], schemas: dict[str, Any]) -> FieldCatalog:
    scalars: list[str] = []
    nested: dict[str, tuple[str, ...]] = {}
    for name, prop in record.get("properties", {}).items():
        target = _nested_record(prop, schemas)
        if target is None:
            scalars.append(name)
        else:
            nested[name] = tuple(schemas[target].get("properties", {}))
    return FieldCatalog(tuple(scalars), nested)
