"""Every error the spec declares, each with Clio's JSON error body; malformed requests never get a 500."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clio_emulator import SEED, Emulator

from .conftest import SpecChecker, create, entry_body, make_client

ENTRIES = "/api/v4/calendar_entries.json"
ENTRY = "/api/v4/calendar_entries/{id}.json"


def error_of(response: httpx.Response, status: int, kind: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["type"] == kind
    message: str = body["error"]["message"]
    assert message
    return message


@pytest.mark.parametrize("token", ["", "not-a-token", "emulator-token-3"])
def test_missing_or_unknown_token_is_401(emu: Emulator, conforms: SpecChecker, token: str) -> None:
    with make_client(emu, token) as anonymous:
        response = anonymous.get("/api/v4/calendars.json")
    conforms(response, "/api/v4/calendars.json")
    message = error_of(response, 401, "Unauthorized")
    assert token == "" or token not in message


def test_other_schemes_and_bare_bearer_are_401(emu: Emulator) -> None:
    with httpx.Client(base_url=emu.base_url, transport=emu.transport()) as anonymous:
        for header in (f"Basic {emu.token}", "Bearer", "Bearer ", emu.token):
            response = anonymous.get("/api/v4/users/who_am_i.json", headers={"Authorization": header})
            error_of(response, 401, "Unauthorized")


def test_unknown_path_is_json_404(client: httpx.Client) -> None:
    for path in ("/", "/api/v4/matters.json", "/api/v4/calendar_entries/abc.json", "/api/v4/calendars.json/"):
        error_of(client.get(path), 404, "NotFound")


def test_unknown_ids_are_404(client: httpx.Client, conforms: SpecChecker) -> None:
    for template, path in [
        ("/api/v4/calendars/{id}.json", "/api/v4/calendars/999.json"),
        ("/api/v4/contacts/{id}.json", "/api/v4/contacts/999.json"),
        (ENTRY, "/api/v4/calendar_entries/999999.json"),
        (ENTRY, "/api/v4/calendar_entries/0.json"),
        (ENTRY, f"/api/v4/calendar_entries/{2**64}.json"),
    ]:
        response = client.get(path)
        conforms(response, template)
        error_of(response, 404, "NotFound")
    error_of(client.patch("/api/v4/calendar_entries/999999.json", json={"data": {}}), 404, "NotFound")
    error_of(client.delete("/api/v4/calendar_entries/999999.json"), 404, "NotFound")


def test_wrong_method_is_405_with_allow(client: httpx.Client) -> None:
    response = client.put("/api/v4/calendar_entries/1000.json", json={})
    error_of(response, 405, "MethodNotAllowed")
    assert {m.strip() for m in response.headers["allow"].split(",")} >= {"GET", "PATCH", "DELETE"}
    response = client.delete("/api/v4/calendar_entries.json")
    error_of(response, 405, "MethodNotAllowed")
    assert {m.strip() for m in response.headers["allow"].split(",")} >= {"GET", "POST"}
    error_of(client.post("/api/v4/calendars.json", json={}), 405, "MethodNotAllowed")


def test_writing_to_a_viewer_calendar_is_403(client: httpx.Client, emu: Emulator, conforms: SpecChecker) -> None:
    response = client.post(ENTRIES, json=entry_body(calendar_owner={"id": 102}))
    conforms(response, ENTRIES)
    error_of(response, 403, "Forbidden")
    assert emu.calendar_entry_count() == 0


def test_changing_an_entry_on_a_viewer_calendar_is_403(emu: Emulator, client: httpx.Client) -> None:
    with make_client(emu, SEED.second_token) as grace:
        theirs = create(grace, calendar_owner={"id": 102})
    path = f"/api/v4/calendar_entries/{theirs['id']}.json"
    assert client.get(path).status_code == 200  # Ada can view it
    error_of(client.patch(path, json={"data": {"summary": "mine now"}}), 403, "Forbidden")
    error_of(client.delete(path), 403, "Forbidden")
    mine = create(client)
    moved = client.patch(f"/api/v4/calendar_entries/{mine['id']}.json", json={"data": {"calendar_owner": {"id": 102}}})
    error_of(moved, 403, "Forbidden")
    assert emu.calendar_entry_count() == 2


def test_create_on_an_unknown_calendar_is_404(client: httpx.Client) -> None:
    error_of(client.post(ENTRIES, json=entry_body(calendar_owner={"id": 999})), 404, "NotFound")


INVALID_CREATES: list[tuple[str, dict[str, Any], str]] = [
    ("no summary", entry_body(summary=None), "summary"),
    ("no start", entry_body(start_at=None), "start_at"),
    ("no end", entry_body(end_at=None), "end_at"),
    ("no calendar", entry_body(calendar_owner=None), "calendar_owner"),
    ("end before start", entry_body(end_at="2024-03-15T13:59:59.999Z"), "End at"),
    ("unknown contact", entry_body(attendees=[{"id": 999, "type": "Contact"}]), "Contact 999"),
    ("unknown calendar attendee", entry_body(attendees=[{"id": 999, "type": "Calendar"}]), "Calendar 999"),
    ("attendee without type", entry_body(attendees=[{"id": 201}]), "attendees[0]"),
    ("bad attendee type", entry_body(attendees=[{"id": 201, "type": "User"}]), "attendees[0].type"),
    (
        "six external properties",
        entry_body(external_properties=[{"name": f"p{i}", "value": "v"} for i in range(6)]),
        "external_properties",
    ),
    (
        "duplicate property names",
        entry_body(external_properties=[{"name": "p", "value": "1"}, {"name": "p", "value": "2"}]),
        "unique",
    ),
    ("unknown body property", entry_body(colour="red"), "colour"),
    ("unknown top-level property", {**entry_body(), "extra": 1}, "extra"),
    ("summary not a string", entry_body(summary=5), "data.summary"),
    ("start not a date-time", entry_body(start_at="tomorrow"), "data.start_at"),
    ("start without a zone", entry_body(start_at="2024-03-15T14:00:00"), "data.start_at"),
    ("calendar id a string", entry_body(calendar_owner={"id": "101"}), "calendar_owner.id"),
    ("calendar id past int64", entry_body(calendar_owner={"id": 2**63}), "calendar_owner.id"),
    ("calendar id a bool", entry_body(calendar_owner={"id": True}), "calendar_owner.id"),
    ("unknown matter", entry_body(matter={"id": 999}), "Matter 999"),
    ("no data", {"summary": "x"}, "data"),
    ("data not an object", {"data": []}, "data"),
    ("body not an object", [], "body"),
]


@pytest.mark.parametrize(("body", "mentions"), [c[1:] for c in INVALID_CREATES], ids=[c[0] for c in INVALID_CREATES])
def test_invalid_create_is_422_and_writes_nothing(
    client: httpx.Client, emu: Emulator, conforms: SpecChecker, body: Any, mentions: str
) -> None:
    response = client.post(ENTRIES, json=body)
    conforms(response, ENTRIES)
    assert mentions in error_of(response, 422, "RecordInvalid")
    assert emu.calendar_entry_count() == 0


def test_invalid_patches_are_422_and_change_nothing(client: httpx.Client) -> None:
    entry = create(client, "id,etag", external_properties=[{"name": f"p{i}", "value": "v"} for i in range(5)])
    path = f"/api/v4/calendar_entries/{entry['id']}.json"
    for data, mentions in [
        ({"end_at": "2024-03-15T13:00:00Z"}, "End at"),
        ({"start_at": "2024-03-15T16:00:00Z"}, "End at"),
        ({"summary": "x", "external_properties": [{"name": "p5", "value": "v"}]}, "at most 5"),
        ({"summary": "x", "external_properties": [{"id": 1, "value": "v"}]}, "does not belong"),
        ({"summary": "x", "attendees": [{"id": 999, "type": "Contact"}]}, "Contact 999"),
        ({"summary": "x", "external_properties": [{"_destroy": True}]}, "external_properties[0]"),
        ({"nope": 1}, "nope"),
        ({"recurrence_rule": 5}, "recurrence_rule"),
    ]:
        assert mentions in error_of(client.patch(path, json={"data": data}), 422, "RecordInvalid"), data
    # Nothing changed: the ETag is the one from creation.
    assert client.get(path).json()["data"]["etag"] == entry["etag"]


def test_malformed_json_is_400(client: httpx.Client, emu: Emulator, conforms: SpecChecker) -> None:
    entry = create(client)
    for raw in [
        b"",
        b"{",
        b'{"data": }',
        b"\xff\xfe",
        b'{"data": NaN}',
        b'{"data": {"summary": "\\ud800"}}',
        b"[" * 100_000,
    ]:
        response = client.post(ENTRIES, content=raw, headers={"Content-Type": "application/json"})
        conforms(response, ENTRIES)
        error_of(response, 400, "BadRequest")
        error_of(client.patch(f"/api/v4/calendar_entries/{entry['id']}.json", content=raw), 400, "BadRequest")
    assert emu.calendar_entry_count() == 1


def test_oversized_body_is_refused(client: httpx.Client) -> None:
    huge = json.dumps(entry_body(description="x" * (2 << 20))).encode()
    error_of(client.post(ENTRIES, content=huge), 413, "PayloadTooLarge")


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (ENTRIES, {"limit": "0"}),
        (ENTRIES, {"limit": "201"}),
        (ENTRIES, {"limit": "ten"}),
        (ENTRIES, {"page_token": "not-a-token"}),
        (ENTRIES, {"page_token": "not-a-token", "order": "id(asc)"}),
        (ENTRIES, {"page_token": "%%%", "order": "id(asc)"}),
        (ENTRIES, {"page_token": "cDE", "order": "id(asc)", "offset": "0"}),
        (ENTRIES, {"order": "id(desc)"}),
        (ENTRIES, {"offset": "-1"}),
        (ENTRIES, {"offset": "1e3"}),
        (ENTRIES, {"ids[]": "0"}),
        (ENTRIES, {"matter_id": "nil"}),
        (ENTRIES, {"has_court_rule": "1"}),
        (ENTRIES, {"source": "desktop"}),
        ("/api/v4/calendars.json", {"ids[]": "x"}),
        ("/api/v4/calendars.json", {"offset": "2.5"}),
        (ENTRIES, {"from": "yesterday"}),
        (ENTRIES, {"to": "2024-03-15"}),
        (ENTRIES, {"calendar_id": "-1"}),
        (ENTRIES, {"calendar_id": str(2**64)}),
        (ENTRIES, {"is_all_day": "yes"}),
        (ENTRIES, {"external_property_value": "v"}),
        (ENTRIES, {"fields": "id,bogus"}),
        ("/api/v4/calendars.json", {"order": "color(asc)"}),
        ("/api/v4/calendars.json", {"type": "Personal"}),
        ("/api/v4/calendars.json", {"owner": "1"}),
        ("/api/v4/calendars.json", {"source": "fax"}),
        ("/api/v4/users/who_am_i.json", {"fields": "id,password"}),
        ("/api/v4/contacts/201.json", {"fields": "id{name}"}),
    ],
)
def test_bad_query_parameters_are_400(client: httpx.Client, path: str, params: dict[str, str]) -> None:
    error_of(client.get(path, params=params), 400, "BadRequest")


def test_a_bad_fields_on_create_writes_nothing(client: httpx.Client, emu: Emulator) -> None:
    error_of(client.post(ENTRIES, params={"fields": "nope"}, json=entry_body()), 400, "BadRequest")
    assert emu.calendar_entry_count() == 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
entry_keys = st.sampled_from(
    [
        "summary",
        "description",
        "location",
        "start_at",
        "end_at",
        "all_day",
        "calendar_owner",
        "attendees",
        "send_email_notification",
        "matter",
        "external_properties",
        "recurrence_rule",
        "id",
        "_destroy",
        "type",
        "name",
        "value",
    ]
)
near_valid = st.fixed_dictionaries(
    {
        "data": st.dictionaries(
            entry_keys, json_values | st.sampled_from([101, 201, {"id": 101}, "2024-03-15T14:00:00Z"])
        )
    }
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values | near_valid)
def test_arbitrary_json_bodies_never_get_a_500(client: httpx.Client, emu: Emulator, body: Any) -> None:
    entry = create(client)
    for response in (
        client.post(ENTRIES, json=body),
        client.patch(f"/api/v4/calendar_entries/{entry['id']}.json", json=body),
    ):
        assert response.status_code in {200, 201, 400, 403, 404, 422}, (response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/json")
        if response.status_code >= 400:
            assert response.json()["error"]["message"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.text(alphabet="abcdefgilmnorstuy_{},. ", max_size=40), query=st.text(max_size=20))
def test_arbitrary_query_strings_never_get_a_500(client: httpx.Client, fields: str, query: str) -> None:
    for params in (
        {"fields": fields, "query": query},
        {"page_token": query, "limit": query},
        {"from": query, "external_property_name": query, "external_property_value": fields},
    ):
        response = client.get(ENTRIES, params=params)
        assert response.status_code in {200, 400}, response.text
