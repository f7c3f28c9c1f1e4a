"""Every operation in the spec, answered as the spec says: envelopes, fields, records, filters, paging, ETags."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from clio_emulator import SEED, Emulator

from .conftest import ENTRY_FIELDS, SpecChecker, create, entry_body, make_client

ENTRIES = "/api/v4/calendar_entries.json"
ENTRY = "/api/v4/calendar_entries/{id}.json"
CALENDARS = "/api/v4/calendars.json"
CALENDAR = "/api/v4/calendars/{id}.json"


def test_who_am_i(client: httpx.Client, conforms: SpecChecker) -> None:
    bare = conforms(client.get("/api/v4/users/who_am_i.json"), "/api/v4/users/who_am_i.json")
    assert set(bare["data"]) == {"id", "etag"}
    fields = "id,name,first_name,last_name,initials,email,enabled,default_calendar_id,roles,created_at,updated_at"
    body = conforms(client.get("/api/v4/users/who_am_i.json", params={"fields": fields}), "/api/v4/users/who_am_i.json")
    assert body["data"]["name"] == SEED.ada.name == "Ada Lovelace"
    assert body["data"]["email"] == "ada@example.com"
    assert body["data"]["default_calendar_id"] == 101
    assert body["data"]["initials"] == "AL"
    assert list(body["data"]) == fields.split(",")


def test_who_am_i_for_the_second_user(emu: Emulator, conforms: SpecChecker) -> None:
    with make_client(emu, SEED.second_token) as grace:
        body = conforms(
            grace.get("/api/v4/users/who_am_i.json", params={"fields": "id,name"}), "/api/v4/users/who_am_i.json"
        )
    assert body["data"] == {"id": 2, "name": "Grace Hopper"}


def test_list_calendars_with_permissions(client: httpx.Client, conforms: SpecChecker) -> None:
    fields = (
        "id,etag,name,color,light_color,permission,type,visible,source,court_rules_default_calendar,"
        "created_at,updated_at"
    )
    body = conforms(client.get(CALENDARS, params={"fields": fields}), CALENDARS)
    seen = {c["id"]: (c["name"], c["type"], c["permission"], c["visible"]) for c in body["data"]}
    assert seen == {
        101: ("Ada Lovelace", "UserCalendar", "owner", True),
        102: ("Grace Hopper", "UserCalendar", "viewer", False),
        103: ("Litigation Team", "AdhocCalendar", "editor", True),
    }
    assert body["meta"]["records"] == 3
    assert "next" not in body["meta"]["paging"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"owner": "true"}, [101]),
        ({"owner": "false"}, [102, 103]),
        ({"writeable": "true"}, [101, 103]),
        ({"writeable": "false"}, [102]),
        ({"visible": "false"}, [102]),
        ({"type": "AdhocCalendar"}, [103]),
        ({"type": "AccountCalendar"}, []),
        ({"order": "id(desc)"}, [103, 102, 101]),
        ({"order": "name(asc)"}, [101, 102, 103]),
        ({"order": "name(desc)"}, [103, 102, 101]),
        ({"source": "mobile"}, [101, 102, 103]),
        # Ada sees Grace's calendar in her mobile app only, the team calendar in her web calendar only.
        ({"source": "mobile", "visible": "true"}, [101, 102]),
        ({"source": "web", "visible": "true"}, [101, 103]),
        ({"ids[]": ["103", "101", "999"]}, [101, 103]),
        ({"updated_since": "2030-01-01T00:00:00Z"}, []),
        ({"created_since": "2000-01-01T00:00:00Z"}, [101, 102, 103]),
        # The reference connector's two look-ups for a writeable calendar.
        (
            {"owner": "true", "writeable": "true", "visible": "true", "type": "UserCalendar", "order": "id(desc)"},
            [101],
        ),
        ({"writeable": "true", "visible": "true", "order": "id(desc)", "limit": "1"}, [103]),
    ],
)
def test_calendar_filters(
    client: httpx.Client, conforms: SpecChecker, params: dict[str, str | list[str]], expected: list[int]
) -> None:
    body = conforms(client.get(CALENDARS, params={**params, "fields": "id"}), CALENDARS)
    assert [c["id"] for c in body["data"]] == expected


def test_calendars_page_by_limit(client: httpx.Client, conforms: SpecChecker) -> None:
    ids: list[int] = []
    url: str | None = f"{CALENDARS}?limit=2&fields=id"
    pages = 0
    while url:
        body = conforms(client.get(url), CALENDARS)
        ids += [c["id"] for c in body["data"]]
        assert body["meta"]["records"] == 3
        url = body["meta"]["paging"].get("next")
        pages += 1
    assert (ids, pages) == ([101, 102, 103], 2)


def test_get_calendar_and_its_etag(client: httpx.Client, conforms: SpecChecker) -> None:
    response = client.get("/api/v4/calendars/102.json", params={"fields": "id,name,permission"})
    body = conforms(response, CALENDAR)
    assert body["data"] == {"id": 102, "name": "Grace Hopper", "permission": "viewer"}
    again = client.get("/api/v4/calendars/102.json", headers={"If-None-Match": response.headers["etag"]})
    assert conforms(again, CALENDAR) is None
    assert again.status_code == 304


def test_get_contact(client: httpx.Client, conforms: SpecChecker) -> None:
    fields = "id,etag,name,first_name,last_name,type,primary_email_address,primary_phone_number,created_at,updated_at"
    for contact in SEED.contacts:
        body = conforms(
            client.get(f"/api/v4/contacts/{contact.id}.json", params={"fields": fields}), "/api/v4/contacts/{id}.json"
        )
        assert (body["data"]["name"], body["data"]["type"]) == (contact.name, contact.type)
    maria = client.get("/api/v4/contacts/204.json", params={"fields": "name"}).json()
    assert maria == {"data": {"name": "María José García"}}


def test_create_returns_201_and_only_id_and_etag_without_fields(
    client: httpx.Client, emu: Emulator, conforms: SpecChecker
) -> None:
    response = client.post(ENTRIES, json=entry_body())
    body = conforms(response, ENTRIES)
    assert response.status_code == 201
    assert set(body["data"]) == {"id", "etag"}
    assert isinstance(body["data"]["id"], str) and int(body["data"]["id"]) >= 1000
    assert emu.calendar_entry_count() == 1


def test_create_with_every_field(client: httpx.Client, conforms: SpecChecker) -> None:
    response = client.post(
        ENTRIES,
        params={"fields": ENTRY_FIELDS},
        json=entry_body(
            location="Room 4",
            start_at="2024-03-15T10:00:00-04:00",
            end_at="2024-03-15T11:30:00.5-04:00",
            attendees=[
                {"id": 201, "type": "Contact"},
                {"id": 103, "type": "Calendar"},
                {"id": 102, "type": "Calendar"},
            ],
            external_properties=[{"name": "clio_appointments.idempotency_key", "value": "k-1"}],
            matter={"id": 301},
            recurrence_rule="FREQ=WEEKLY;COUNT=4",
        ),
    )
    entry = conforms(response, ENTRIES)["data"]
    assert entry["summary"] == "Intake call with Jane Smith"
    # Times come back in UTC with Z, to the millisecond.
    assert (entry["start_at"], entry["end_at"]) == ("2024-03-15T14:00:00.000Z", "2024-03-15T15:30:00.500Z")
    assert entry["permission"] == "owner"
    assert entry["calendar_owner_id"] == 101
    assert entry["calendar_owner"] == {"id": 101, "name": "Ada Lovelace", "type": "UserCalendar", "permission": "owner"}
    assert entry["matter"] == {"id": 301, "display_number": "00001-Smith", "description": "Smith v. Jones"}
    assert [(a["id"], a["type"], a["name"]) for a in entry["attendees"]] == [
        (201, "Contact", "Jane Smith"),
        (103, "Calendar", "Litigation Team"),
        (102, "Calendar", "Grace Hopper"),
    ]
    assert entry["attendees"][0]["email"] == "jane@example.com" and entry["attendees"][0]["enabled"] is None
    assert entry["attendees"][2]["email"] == "grace@example.com" and entry["attendees"][2]["enabled"] is True
    assert [(p["name"], p["value"]) for p in entry["external_properties"]] == [
        ("clio_appointments.idempotency_key", "k-1")
    ]
    assert entry["recurrence_rule"] == "FREQ=WEEKLY;COUNT=4"
    assert entry["created_at"].endswith("Z") and entry["created_at"] == entry["updated_at"]


def test_create_on_an_editor_calendar_is_allowed(client: httpx.Client) -> None:
    entry = create(client, "id,permission,calendar_owner_id", calendar_owner={"id": 103})
    assert (entry["permission"], entry["calendar_owner_id"]) == ("editor", 103)


def test_get_entry_with_etag_and_if_none_match(client: httpx.Client, conforms: SpecChecker) -> None:
    entry = create(client)
    path = f"/api/v4/calendar_entries/{entry['id']}.json"
    response = client.get(path)
    assert conforms(response, ENTRY)["data"] == entry
    assert response.headers["etag"] == entry["etag"]
    cached = client.get(path, headers={"If-None-Match": entry["etag"]})
    assert cached.status_code == 304 and conforms(cached, ENTRY) is None
    other = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_patch_changes_only_what_is_sent_and_the_etag(client: httpx.Client, conforms: SpecChecker) -> None:
    entry = create(client, "id,etag", attendees=[{"id": 201, "type": "Contact"}, {"id": 202, "type": "Contact"}])
    path = f"/api/v4/calendar_entries/{entry['id']}.json"
    response = client.patch(
        path,
        params={"fields": "id,etag,summary,description,start_at,end_at,attendees{id,type},updated_at"},
        json={
            "data": {
                "summary": "Moved",
                "start_at": "2024-03-15T16:00:00.000Z",
                "end_at": "2024-03-15T16:30:00.000Z",
                "attendees": [{"id": 201, "type": "Contact", "_destroy": True}, {"id": 205, "type": "Contact"}],
            }
        },
    )
    changed = conforms(response, ENTRY)["data"]
    assert changed["summary"] == "Moved"
    assert changed["description"] == "Initial consultation"
    assert (changed["start_at"], changed["end_at"]) == ("2024-03-15T16:00:00.000Z", "2024-03-15T16:30:00.000Z")
    assert [a["id"] for a in changed["attendees"]] == [202, 205]
    assert changed["etag"] != entry["etag"]
    assert response.headers["etag"] == changed["etag"]


def test_patch_with_if_match(client: httpx.Client, conforms: SpecChecker) -> None:
    entry = create(client)
    path = f"/api/v4/calendar_entries/{entry['id']}.json"
    ok = client.patch(path, headers={"If-Match": entry["etag"]}, json={"data": {"summary": "v2"}})
    assert ok.status_code == 200
    stale = client.patch(path, headers={"If-Match": entry["etag"]}, json={"data": {"summary": "v3"}})
    assert conforms(stale, ENTRY)["error"]["type"] == "PreconditionFailed"
    assert stale.status_code == 412
    assert client.get(path, params={"fields": "summary"}).json()["data"]["summary"] == "v2"


def test_patch_external_properties_and_recurrence(client: httpx.Client) -> None:
    entry = create(
        client,
        "id,external_properties{id,name,value}",
        external_properties=[{"name": "a", "value": "1"}, {"name": "b", "value": "2"}],
        recurrence_rule="FREQ=DAILY;COUNT=2",
    )
    a_id, b_id = (p["id"] for p in entry["external_properties"])
    response = client.patch(
        f"/api/v4/calendar_entries/{entry['id']}.json",
        params={"fields": "external_properties{name,value},recurrence_rule"},
        json={
            "data": {
                "recurrence_rule": None,
                "external_properties": [
                    {"id": a_id, "value": "one"},
                    {"id": b_id, "_destroy": True},
                    {"name": "c", "value": "3"},
                ],
            }
        },
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["recurrence_rule"] is None
    assert data["external_properties"] == [{"name": "a", "value": "one"}, {"name": "c", "value": "3"}]


def test_patch_moves_an_entry_to_another_writeable_calendar(client: httpx.Client) -> None:
    entry = create(client)
    response = client.patch(
        f"/api/v4/calendar_entries/{entry['id']}.json",
        params={"fields": "calendar_owner_id,permission"},
        json={"data": {"calendar_owner": {"id": 103}}},
    )
    assert response.json()["data"] == {"calendar_owner_id": 103, "permission": "editor"}


def test_delete(client: httpx.Client, emu: Emulator, conforms: SpecChecker) -> None:
    entry = create(client)
    path = f"/api/v4/calendar_entries/{entry['id']}.json"
    response = client.delete(path)
    assert response.status_code == 204 and conforms(response, ENTRY) is None
    assert emu.calendar_entry_count() == 0
    assert conforms(client.get(path), ENTRY)["error"]["type"] == "NotFound"
    assert client.delete(path).status_code == 404


def test_list_entries_envelope(client: httpx.Client, conforms: SpecChecker) -> None:
    made = [create(client, summary=f"s{i}") for i in range(3)]
    body = conforms(client.get(ENTRIES), ENTRIES)
    assert body["data"] == made
    assert body["meta"] == {"paging": {}, "records": 3}
    full = conforms(client.get(ENTRIES, params={"fields": ENTRY_FIELDS}), ENTRIES)
    assert [e["summary"] for e in full["data"]] == ["s0", "s1", "s2"]


def test_paging_through_more_than_200_entries(client: httpx.Client, conforms: SpecChecker) -> None:
    created = {create(client, summary=f"n{i}")["id"] for i in range(230)}
    seen: list[str] = []
    body = conforms(client.get(ENTRIES, params={"fields": "id,summary", "order": "id(asc)"}), ENTRIES)
    assert len(body["data"]) == 200 and body["meta"]["records"] == 230
    seen += [e["id"] for e in body["data"]]
    next_url = body["meta"]["paging"]["next"]
    assert next_url.startswith(f"{client.base_url}".rstrip("/") + ENTRIES)
    query = parse_qs(urlsplit(next_url).query)
    assert query["fields"] == ["id,summary"] and query["order"] == ["id(asc)"] and "page_token" in query
    body = conforms(client.get(next_url), ENTRIES)
    seen += [e["id"] for e in body["data"]]
    assert "next" not in body["meta"]["paging"]
    assert len(seen) == len(set(seen)) == 230 and set(seen) == created
    assert seen == sorted(seen, key=int)


def test_limit_pages_keep_their_filters(client: httpx.Client) -> None:
    for i in range(5):
        create(client, summary=f"team {i}", calendar_owner={"id": 103})
        create(client, summary=f"own {i}")
    url: str | None = f"{ENTRIES}?limit=2&calendar_id=103&fields=summary"
    summaries: list[str] = []
    while url:
        body = client.get(url).json()
        assert body["meta"]["records"] == 5
        summaries += [e["summary"] for e in body["data"]]
        url = body["meta"]["paging"].get("next")
    assert summaries == [f"team {i}" for i in range(5)]


def _ids(client: httpx.Client, **params: str) -> list[str]:
    response = client.get(ENTRIES, params={**params, "fields": "summary"})
    assert response.status_code == 200, response.text
    return [e["summary"] for e in response.json()["data"]]


def test_from_and_to_filters_follow_clio(client: httpx.Client) -> None:
    create(client, summary="morning", start_at="2024-03-15T09:00:00Z", end_at="2024-03-15T10:00:00Z")
    create(client, summary="noon", start_at="2024-03-15T12:00:00Z", end_at="2024-03-15T12:00:00Z")
    create(client, summary="evening", start_at="2024-03-15T18:00:00Z", end_at="2024-03-15T19:00:00Z")
    # from: entries that end at or after; to: entries that start at or before.
    assert _ids(client, **{"from": "2024-03-15T10:00:00Z"}) == ["morning", "noon", "evening"]
    assert _ids(client, **{"from": "2024-03-15T10:00:00.001Z"}) == ["noon", "evening"]
    assert _ids(client, to="2024-03-15T12:00:00Z") == ["morning", "noon"]
    assert _ids(client, **{"from": "2024-03-15T11:00:00Z", "to": "2024-03-15T13:00:00+00:00"}) == ["noon"]
    assert _ids(client, **{"from": "2024-03-15T08:00:00-05:00"}) == ["evening"]


def test_other_entry_filters(client: httpx.Client) -> None:
    create(client, summary="Call with María", all_day=True, matter={"id": 301})
    create(client, summary="Lunch", location="Café MARÍA", calendar_owner={"id": 103})
    create(client, summary="Filing", description="court papers", external_properties=[{"name": "k", "value": "v1"}])
    create(client, summary="Review", external_properties=[{"name": "k", "value": "v2"}])
    assert _ids(client, query="maría") == ["Call with María", "Lunch"]
    assert _ids(client, query="COURT") == ["Filing"]
    assert _ids(client, is_all_day="true") == ["Call with María"]
    assert _ids(client, matter_id="301") == ["Call with María"]
    assert _ids(client, calendar_id="103") == ["Lunch"]
    assert _ids(client, visible="true") == ["Call with María", "Lunch", "Filing", "Review"]
    assert _ids(client, external_property_name="k") == ["Filing", "Review"]
    assert _ids(client, external_property_name="k", external_property_value="v2") == ["Review"]
    assert _ids(client, external_property_name="k", external_property_value="v") == []
    assert _ids(client, external_property_name="K", external_property_value="v2") == []
    assert _ids(client, created_since="2000-01-01T00:00:00Z") == ["Call with María", "Lunch", "Filing", "Review"]
    assert _ids(client, updated_since="2100-01-01T00:00:00Z") == []


def test_entries_on_calendars_a_user_cannot_see_are_invisible(emu: Emulator, client: httpx.Client) -> None:
    mine = create(client)
    team = create(client, calendar_owner={"id": 103})
    with make_client(emu, SEED.second_token) as grace:
        assert [e["id"] for e in grace.get(ENTRIES).json()["data"]] == [team["id"]]
        assert grace.get(f"/api/v4/calendar_entries/{mine['id']}.json").status_code == 404
        # Grace owns the team calendar; she can change what Ada put there.
        assert (
            grace.patch(f"/api/v4/calendar_entries/{team['id']}.json", json={"data": {"summary": "x"}}).status_code
            == 200
        )


def test_fields_selection_rules(client: httpx.Client, conforms: SpecChecker) -> None:
    entry = create(client, attendees=[{"id": 201, "type": "Contact"}])
    path = f"/api/v4/calendar_entries/{entry['id']}.json"
    nested_default = client.get(path, params={"fields": "summary,attendees"}).json()["data"]
    assert list(nested_default["attendees"][0]) == ["id", "etag"]
    spaced = client.get(path, params={"fields": " summary , attendees{ name , id } "}).json()["data"]
    assert spaced == {"summary": "Intake call with Jane Smith", "attendees": [{"name": "Jane Smith", "id": 201}]}
    matter = client.get(path, params={"fields": "matter{id}"}).json()["data"]
    assert matter == {"matter": None}
    for bad in ("nope", "summary,", "attendees{nope}", "summary{id}", "attendees{id", "attendees{id{x}}", "a b", ",id"):
        response = client.get(path, params={"fields": bad})
        assert response.status_code == 400, bad
        assert conforms(response, ENTRY)["error"]["type"] == "BadRequest"


def test_every_operation_in_the_spec_answers_as_declared(client: httpx.Client, spec: dict[str, Any]) -> None:
    check = SpecChecker(spec)
    check(client.get("/api/v4/users/who_am_i.json", params={"fields": "id,name"}), "/api/v4/users/who_am_i.json")
    check(client.get(CALENDARS, params={"fields": "id,name,permission"}), CALENDARS)
    check(client.get("/api/v4/calendars/101.json", params={"fields": "id,name"}), CALENDAR)
    check(client.get("/api/v4/contacts/201.json", params={"fields": "id,name"}), "/api/v4/contacts/{id}.json")
    created = check(client.post(ENTRIES, params={"fields": ENTRY_FIELDS}, json=entry_body()), ENTRIES)["data"]
    path = f"/api/v4/calendar_entries/{created['id']}.json"
    check(client.get(ENTRIES, params={"fields": ENTRY_FIELDS}), ENTRIES)
    check(client.get(path, params={"fields": ENTRY_FIELDS}), ENTRY)
    check(client.patch(path, params={"fields": ENTRY_FIELDS}, json={"data": {"summary": "x"}}), ENTRY)
    check(client.delete(path), ENTRY)
    declared = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in {"get", "post", "patch", "delete"}
    }
    exercised = {(m, p) for m, p, status in check.checked if status.startswith("2")}
    assert exercised == declared
