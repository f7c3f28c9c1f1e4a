"""The emulator judged by Clio's *published* spec, not only by ours.

`fixtures/clio-published-calendar.json` is the calendar part of Clio's published OpenAPI document (see
fixtures/README.md for its source): the nine operations of our subset and every schema they reference, unchanged.
Every operation is driven through its answers (successes with every field, and each error the emulator gives),
and each answer is checked against that document: the status must be one Clio declares for the operation, and the
body must validate against Clio's schema for it (jsonschema). Parameters are compared too: every parameter Clio
documents for an operation is declared by our subset or refused by the emulator as not implemented.

What still differs is listed below with the reason it stays; the test fails when a difference appears that is not
listed, and when a listed one no longer happens (so the list stays true).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from clio_emulator import SEED, Emulator, create_app
from clio_emulator._api import NOT_IMPLEMENTED

FIXTURE = Path(__file__).parent / "fixtures" / "clio-published-calendar.json"
CLIO: dict[str, Any] = json.loads(FIXTURE.read_text())
CLIO_PREFIX = "/api/v4"  # Clio's servers end in /api/v4; its paths start after it
_URI = "urn:clio:published"
_JSON = "application/json; charset=utf-8"

ENTRIES = "/api/v4/calendar_entries.json"
ENTRY = "/api/v4/calendar_entries/{id}.json"
CALENDARS = "/api/v4/calendars.json"
CALENDAR = "/api/v4/calendars/{id}.json"
WHO_AM_I = "/api/v4/users/who_am_i.json"
CONTACT = "/api/v4/contacts/{id}.json"

# ---- what differs on purpose --------------------------------------------------------------------------------------
# (operation, status, where in the body or "status", JSON schema keyword) -> why it stays. A null is listed once per
# field, for every operation that returns the record.
_NULL = (
    "Clio's openapi.json is OpenAPI 3.0 and marks no field nullable, so any null breaks its types; the emulator "
    "answers null where the value is absent (no description, no matter, a contact without a phone), as our subset "
    "declares and Clio's own answers do"
)
_NULLABLE = [
    "description",
    "location",
    "matter",
    "parent_calendar_entry_id",
    "recurrence_rule",
    "start_at_time_zone",
    "attendees.[].email",
    "attendees.[].enabled",
    "first_name",
    "last_name",
    "primary_email_address",
    "primary_phone_number",
]
KNOWN_DIFFERENCES: dict[tuple[str, str, str, str], str] = {
    **{("(any)", "2xx", field, "null"): _NULL for field in _NULLABLE},
    ("DELETE " + ENTRY, "404", "status", "responses"): (
        "Clio's spec declares only 204 and 403 for a DELETE; an entry that does not exist (or was deleted) is 404, "
        "as Clio declares for every other operation on an entry"
    ),
    ("GET " + WHO_AM_I, "410", "status", "responses"): (
        "410 Gone for an unknown X-API-VERSION is documented in the spec's 'Minor Versions' section and the API "
        "Versioning Policy, not in any operation's responses"
    ),
    ("GET " + ENTRIES, "422", "status", "responses"): (
        "422 ArgumentError past 10,000 records of offset paging is documented in the Pagination guide only"
    ),
    ("GET " + CALENDARS, "422", "status", "responses"): (
        "422 ArgumentError past 10,000 records of offset paging is documented in the Pagination guide only"
    ),
}

# Query parameters our subset declares that Clio's openapi.json does not (both from Clio's Pagination guide).
OURS_ONLY_PARAMETERS: dict[tuple[str, str], str] = {
    ("GET " + ENTRIES, "offset"): "Pagination guide: offset paging on every list",
    ("GET " + ENTRIES, "order"): "Pagination guide: cursor paging needs order=id(asc) on every list",
    ("GET " + CALENDARS, "offset"): "Pagination guide: offset paging on every list",
}


# ---- Clio's document ----------------------------------------------------------------------------------------------


def clio_operation(method: str, template: str) -> dict[str, Any]:
    operation: dict[str, Any] = CLIO["paths"][template.removeprefix(CLIO_PREFIX)][method.lower()]
    return operation


_registry: Registry[Any] = Registry().with_resource(_URI, Resource.from_contents(CLIO, default_specification=DRAFT7))


def clio_errors(method: str, template: str, status: int, body: Any) -> Iterator[ValidationError]:
    """How `body` breaks the schema Clio's spec gives for this operation and status."""
    response = clio_operation(method, template)["responses"][str(status)]
    content = response.get("content", {}).get(_JSON)
    if content is None:
        return iter(())
    schema = content["schema"]
    if "$ref" in schema:
        schema = {"$ref": _URI + schema["$ref"]}
    return Draft7Validator(schema, registry=_registry).iter_errors(body)


def _where(error: ValidationError) -> str:
    return ".".join("[]" if isinstance(part, int) else str(part) for part in error.absolute_path) or "(body)"


class Judge:
    """Collects every way the emulator's answers differ from Clio's published spec."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str, str, str], str] = {}
        self.seen: set[tuple[str, str, int]] = set()

    def __call__(self, response: httpx.Response, template: str) -> Any:
        method = response.request.method
        operation = f"{method} {template}"
        status = response.status_code
        self.seen.add((method, template, status))
        body = response.json() if response.content else None
        declared = clio_operation(method, template)["responses"]
        if str(status) not in declared:
            self.found.setdefault((operation, str(status), "status", "responses"), response.text[:200])
            return body
        for error in clio_errors(method, template, status, body):
            if error.validator == "type" and error.instance is None and 200 <= status < 300:
                field = _where(error).removeprefix("data.").removeprefix("[].")
                key = ("(any)", "2xx", field, "null")
            else:
                key = (operation, str(status), _where(error), str(error.validator))
            self.found.setdefault(key, error.message[:200])
        return body


# ---- the emulator, driven -----------------------------------------------------------------------------------------


def _all_fields(spec: dict[str, Any], schema: str) -> str:
    """Every field of a record in our spec, nested records with all of theirs."""
    schemas = spec["components"]["schemas"]
    parts: list[str] = []
    for name, prop in schemas[schema]["properties"].items():
        refs = [prop.get("$ref"), prop.get("items", {}).get("$ref"), *(o.get("$ref") for o in prop.get("oneOf", []))]
        nested = next((r.rsplit("/", 1)[1] for r in refs if r), None)
        if nested is not None and schemas[nested].get("type") == "object":
            parts.append(f"{name}{{{','.join(schemas[nested]['properties'])}}}")
        else:
            parts.append(name)
    return ",".join(parts)


@pytest.fixture(scope="module")
def judged(spec: dict[str, Any]) -> Iterator[Judge]:
    """Every operation driven through its successes and errors, each answer judged."""
    app = create_app(rate_limit=None)
    emulator: Emulator = app.state.emulator
    judge = Judge()
    auth = {"Authorization": f"Bearer {emulator.token}"}
    try:
        with httpx.Client(base_url=emulator.base_url, transport=emulator.transport(), headers=auth) as client:
            _drive(client, judge, spec)
        limited = create_app(rate_limit=1)
        try:
            with httpx.Client(
                base_url=limited.state.emulator.base_url, transport=limited.state.emulator.transport(), headers=auth
            ) as client:
                client.get(CALENDARS)
                judge(client.get(CALENDARS), CALENDARS)
        finally:
            limited.state.emulator.close()
        yield judge
    finally:
        emulator.close()


def _drive(client: httpx.Client, judge: Judge, spec: dict[str, Any]) -> None:
    user, calendar, entry, contact = (_all_fields(spec, n) for n in ("User", "Calendar", "CalendarEntry", "Contact"))
    # who_am_i
    me = client.get(WHO_AM_I, params={"fields": user})
    judge(me, WHO_AM_I)
    judge(client.get(WHO_AM_I, headers={"If-None-Match": me.headers["etag"]}), WHO_AM_I)
    judge(client.get(WHO_AM_I, params={"fields": "password"}), WHO_AM_I)
    judge(client.get(WHO_AM_I, headers={"Authorization": "Bearer nobody"}), WHO_AM_I)
    judge(client.get(WHO_AM_I, headers={"X-API-VERSION": "4.0.99"}), WHO_AM_I)
    # calendars
    for source in ("web", "mobile"):
        judge(client.get(CALENDARS, params={"fields": calendar, "source": source}), CALENDARS)
    judge(client.get(CALENDARS, params={"limit": "1", "order": "id(asc)"}), CALENDARS)
    judge(client.get(CALENDARS, params={"offset": "10000"}), CALENDARS)
    judge(client.get(CALENDARS, params={"order": "color(asc)"}), CALENDARS)
    judge(client.get(CALENDARS, params={"filter_inactive_users": "true"}), CALENDARS)
    for calendar_id in (c.id for c in SEED.calendars):
        one = client.get(f"/api/v4/calendars/{calendar_id}.json", params={"fields": calendar})
        judge(one, CALENDAR)
    judge(client.get("/api/v4/calendars/101.json", headers={"If-None-Match": one.headers["etag"]}), CALENDAR)
    judge(client.get("/api/v4/calendars/9.json"), CALENDAR)
    # calendar entries: create with every kind of nested record
    full = {
        "summary": "Intake call",
        "description": "First meeting",
        "location": "Room 4",
        "start_at": "2024-03-15T14:00:00.000Z",
        "end_at": "2024-03-15T15:00:00.000Z",
        "calendar_owner": {"id": 101},
        "send_email_notification": False,
        "attendees": [{"id": SEED.jane.id, "type": "Contact"}, {"id": 103, "type": "Calendar"}],
        "matter": {"id": SEED.smith_matter.id},
        "external_properties": [{"name": "k", "value": "v"}],
        "recurrence_rule": "FREQ=WEEKLY;COUNT=2",
    }
    created = client.post(ENTRIES, params={"fields": entry}, json={"data": full})
    judge(created, ENTRIES)
    bare = client.post(
        ENTRIES,
        params={"fields": entry},
        json={"data": {**{k: full[k] for k in ("summary", "start_at", "end_at", "calendar_owner")}, "all_day": True}},
    )
    judge(bare, ENTRIES)
    judge(client.post(ENTRIES, json={"data": {**full, "end_at": "2024-03-15T13:00:00Z"}}), ENTRIES)
    judge(client.post(ENTRIES, json={"data": {**full, "calendar_owner": {"id": 102}}}), ENTRIES)
    judge(client.post(ENTRIES, json={"data": {**full, "calendar_owner": {"id": 9}}}), ENTRIES)
    judge(client.post(ENTRIES, params={"fields": "nope"}, json={"data": full}), ENTRIES)
    judge(client.get(ENTRIES, params={"fields": entry}), ENTRIES)
    judge(client.get(ENTRIES, params={"fields": entry, "order": "id(asc)", "limit": "1"}), ENTRIES)
    judge(client.get(ENTRIES, params={"expanded": "true"}), ENTRIES)
    judge(client.get(ENTRIES, params={"offset": "10000"}), ENTRIES)
    path = f"/api/v4/calendar_entries/{created.json()['data']['id']}.json"
    one = client.get(path, params={"fields": entry})
    judge(one, ENTRY)
    judge(client.get(path, headers={"If-None-Match": one.headers["etag"]}), ENTRY)
    judge(client.get("/api/v4/calendar_entries/9.json"), ENTRY)
    judge(
        client.patch(path, params={"fields": entry}, json={"data": {"summary": "Moved", "matter": {"id": None}}}), ENTRY
    )
    judge(client.patch(path, headers={"If-Match": '"stale"'}, json={"data": {"summary": "x"}}), ENTRY)
    judge(client.patch(path, json={"data": {"end_at": "2000-01-01T00:00:00Z"}}), ENTRY)
    judge(client.delete(path), ENTRY)
    judge(client.delete(path), ENTRY)
    # contacts
    for contact_id in (c.id for c in SEED.contacts):
        judge(client.get(f"/api/v4/contacts/{contact_id}.json", params={"fields": contact}), CONTACT)
    judge(client.get("/api/v4/contacts/9.json"), CONTACT)


# ---- the tests ----------------------------------------------------------------------------------------------------


def test_the_fixture_is_clios_calendar_part() -> None:
    assert CLIO["info"]["title"] == "Clio API Documentation"
    assert CLIO["servers"][0]["url"] == "https://app.clio.com/api/v4"
    operations = {f"{m.upper()} {CLIO_PREFIX}{p}" for p, item in CLIO["paths"].items() for m in item}
    assert len(operations) == 9


def test_every_operation_and_status_was_driven(judged: Judge, spec: dict[str, Any]) -> None:
    ours = {(m.upper(), p) for p, item in spec["paths"].items() for m in item}
    assert {(m, p) for m, p, _ in judged.seen} == ours


def test_answers_agree_with_clios_published_spec_except_where_listed(judged: Judge) -> None:
    unexpected = {k: v for k, v in judged.found.items() if k not in KNOWN_DIFFERENCES}
    gone = sorted(k for k in KNOWN_DIFFERENCES if k not in judged.found)
    assert not unexpected, "differences from Clio's spec not listed:\n" + "\n".join(
        f"{k}: {v}" for k, v in sorted(unexpected.items())
    )
    assert not gone, f"listed differences that no longer happen: {gone}"


def _parameters(document: dict[str, Any], operation: dict[str, Any]) -> set[tuple[str, str]]:
    found = set()
    for param in operation.get("parameters", []):
        if "$ref" in param:
            param = document["components"]["parameters"][param["$ref"].rsplit("/", 1)[1]]
        name = param["name"].lower() if param["in"] == "header" else param["name"]
        found.add((param["in"], name))
    return found


@pytest.mark.parametrize(
    ("method", "template"),
    [(m.upper(), CLIO_PREFIX + p) for p, item in CLIO["paths"].items() for m in item],
)
def test_every_parameter_clio_documents_is_declared_or_refused(
    spec: dict[str, Any], method: str, template: str
) -> None:
    theirs = _parameters(CLIO, clio_operation(method, template))
    ours = _parameters(spec, spec["paths"][template][method.lower()])
    refused = {("query", name) for name in NOT_IMPLEMENTED.get((method, template), ())}
    assert theirs - ours == refused
    assert not ours & refused
    ours_only = {("query", name) for (op, name) in OURS_ONLY_PARAMETERS if op == f"{method} {template}"}
    assert ours - theirs == ours_only


def test_the_seeded_calendar_colours_are_clios_palette() -> None:
    schema = CLIO["components"]["schemas"]["Calendar_base"]["properties"]
    for seeded in SEED.calendars:
        assert seeded.color in schema["color"]["enum"]
        assert seeded.light_color in schema["light_color"]["enum"]
        # Paired by position, as Clio's spec lists them.
        assert schema["color"]["enum"].index(seeded.color) == schema["light_color"]["enum"].index(seeded.light_color)


def test_a_difference_is_caught() -> None:
    """The judge is not blind: a calendar with a colour outside the palette breaks Clio's schema."""
    body = {"data": [{"id": 1, "color": "#123456"}]}
    errors = list(clio_errors("GET", CALENDARS, 200, body))
    assert [(_where(e), e.validator) for e in errors] == [("data.[].color", "enum")]
    assert re.search("#123456", errors[0].message)
