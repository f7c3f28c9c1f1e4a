"""Helpers for the emulator tests: a client on a fresh emulator, and a checker that holds answers to the spec."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from clio_emulator import Emulator

SPEC_URI = "urn:test:clio-spec"


class SpecChecker:
    """Checks one response against what the spec declares for its operation and status."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        resource: Resource[Any] = Resource.from_contents(spec, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self.checked: set[tuple[str, str, str]] = set()

    def _declared(self, template: str, method: str, status: int) -> dict[str, Any]:
        responses = self.spec["paths"][template][method.lower()]["responses"]
        declared = responses.get(str(status)) or responses.get(f"{status // 100}XX")
        assert declared is not None, f"{method} {template} answered {status}, which the spec does not declare"
        if "$ref" in declared:
            declared = self.spec["components"]["responses"][declared["$ref"].rsplit("/", 1)[1]]
        return dict(declared)

    def __call__(self, response: httpx.Response, template: str) -> Any:
        """Assert `response` conforms; returns its JSON body (None when it has none)."""
        method = response.request.method
        declared = self._declared(template, method, response.status_code)
        self.checked.add((method, template, str(response.status_code)))
        content = declared.get("content")
        if content is None:
            assert response.content == b"", f"{response.status_code} must have no body"
            return None
        assert response.headers["content-type"].startswith("application/json")
        body = response.json()
        schema = content["application/json"]["schema"]
        validator = Draft202012Validator(
            {"$ref": SPEC_URI + schema["$ref"]}, registry=self.registry, format_checker=FormatChecker()
        )
        errors = sorted(validator.iter_errors(body), key=str)
        assert not errors, f"{method} {template} {response.status_code}: {errors[0].message} in {body}"
        return body


@pytest.fixture(scope="session")
def conforms(spec: dict[str, Any]) -> SpecChecker:
    return SpecChecker(spec)


@pytest.fixture
def emu(clio_emulator: Emulator) -> Emulator:
    """The plugin's fresh emulator, under a short name."""
    return clio_emulator


def make_client(emu: Emulator, token: str | None = None) -> httpx.Client:
    headers = {} if token == "" else {"Authorization": f"Bearer {token or emu.token}"}
    return httpx.Client(base_url=emu.base_url, transport=emu.transport(), headers=headers)


@pytest.fixture
def client(emu: Emulator) -> Iterator[httpx.Client]:
    """A sync client signed in as the seeded user (Ada), in-process."""
    with make_client(emu) as c:
        yield c


ENTRY_FIELDS = (
    "id,etag,summary,description,location,start_at,end_at,all_day,recurrence_rule,parent_calendar_entry_id,"
    "court_rule,permission,calendar_owner_id,start_at_time_zone,time_entries_count,"
    "calendar_owner{id,name,type,permission},matter{id,display_number,description},"
    "attendees{id,etag,type,name,email,enabled,created_at,updated_at},"
    "external_properties{id,etag,name,value,created_at,updated_at},created_at,updated_at"
)


def entry_body(**overrides: Any) -> dict[str, Any]:
    """A valid create body on Ada's own calendar, with `overrides` applied to `data`."""
    data: dict[str, Any] = {
        "summary": "Intake call with Jane Smith",
        "description": "Initial consultation",
        "start_at": "2024-03-15T14:00:00.000Z",
        "end_at": "2024-03-15T15:00:00.000Z",
        "calendar_owner": {"id": 101},
        "send_email_notification": False,
    }
    data.update(overrides)
    return {"data": {k: v for k, v in data.items() if v is not None}}


def create(client: httpx.Client, fields: str = "id,etag", **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v4/calendar_entries.json", params={"fields": fields}, json=entry_body(**overrides))
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data
