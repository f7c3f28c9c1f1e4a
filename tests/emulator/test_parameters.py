"""Every query parameter the spec declares does what it says; the others are refused with a 400 naming them.

Clio's published spec documents a few parameters for these operations that the emulator does not implement
(`clio_emulator._api.NOT_IMPLEMENTED`); a list filtered by one must never silently return everything. Parameters
Clio does not document at all are refused the same way, so a misspelt filter is noticed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from clio_emulator import SEED, Emulator
from clio_emulator._api import NOT_IMPLEMENTED
from clio_emulator._params import encode_page_token

from .conftest import SpecChecker, create, make_client

ENTRIES = "/api/v4/calendar_entries.json"
CALENDARS = "/api/v4/calendars.json"
LISTS = (ENTRIES, CALENDARS)
Query = dict[str, str | list[str]]


@pytest.fixture
def entries(emu: Emulator, client: httpx.Client) -> dict[str, str]:
    """Summary -> id of a small set of entries that tells every entry-list filter apart."""
    made = {
        "matter": create(client, summary="matter", matter={"id": 301}, all_day=True, start_at="2024-03-15T00:00:00Z"),
        "team": create(client, summary="team", calendar_owner={"id": 103}, location="Court room 4"),
        "own": create(
            client,
            summary="own",
            description="papers",
            start_at="2024-04-01T09:00:00Z",
            end_at="2024-04-01T10:00:00Z",
            external_properties=[{"name": "k", "value": "v"}],
        ),
    }
    with make_client(emu, SEED.second_token) as grace:
        # On Grace's calendar, which Ada sees in her mobile app only.
        made["grace"] = create(grace, summary="grace", calendar_owner={"id": 102})
    return {name: record["id"] for name, record in made.items()}


ALL = ["matter", "team", "own", "grace"]
# One or more rows for every query parameter the spec declares on the entry list.
ENTRY_ROWS: list[tuple[Query, list[str]]] = [
    ({"fields": "id"}, ALL),
    ({"limit": "2"}, ["matter", "team"]),
    ({"limit": "2", "offset": "2"}, ["own", "grace"]),
    ({"order": "id(asc)"}, ALL),
    ({"order": "id(asc)", "page_token": "__after_team__"}, ["own", "grace"]),
    ({"ids[]": "__team__"}, ["team"]),
    ({"ids[]": ["__own__", "__matter__", "999999"]}, ["matter", "own"]),
    ({"calendar_id": "103"}, ["team"]),
    ({"from": "2024-04-01T09:30:00Z"}, ["own"]),
    ({"to": "2024-03-15T12:00:00Z"}, ["matter"]),
    ({"query": "COURT"}, ["team"]),
    ({"is_all_day": "true"}, ["matter"]),
    ({"visible": "true"}, ["matter", "team", "own"]),
    ({"visible": "false"}, ["grace"]),
    ({"visible": "true", "source": "mobile"}, ["matter", "own", "grace"]),
    ({"visible": "false", "source": "mobile"}, ["team"]),
    ({"source": "web"}, ALL),
    ({"matter_id": "301"}, ["matter"]),
    ({"matter_id": "302"}, []),
    ({"matter_id": "null"}, ["team", "own", "grace"]),
    ({"has_court_rule": "true"}, []),
    ({"has_court_rule": "false"}, ALL),
    ({"external_property_name": "k"}, ["own"]),
    ({"external_property_name": "k", "external_property_value": "w"}, []),
    ({"created_since": "2000-01-01T00:00:00Z"}, ALL),
    ({"updated_since": "2100-01-01T00:00:00Z"}, []),
]
CALENDAR_ROWS: list[tuple[Query, list[int]]] = [
    ({"fields": "id"}, [101, 102, 103]),
    ({"limit": "1"}, [101]),
    ({"offset": "1"}, [102, 103]),
    ({"page_token": "cDEwMQ", "order": "id(asc)"}, [102, 103]),
    ({"order": "name(desc)"}, [103, 102, 101]),
    ({"ids[]": ["102", "101"]}, [101, 102]),
    ({"owner": "true"}, [101]),
    ({"writeable": "true"}, [101, 103]),
    ({"visible": "true"}, [101, 103]),
    ({"visible": "true", "source": "mobile"}, [101, 102]),
    ({"type": "AdhocCalendar"}, [103]),
    ({"created_since": "2030-01-01T00:00:00Z"}, []),
    ({"updated_since": "2000-01-01T00:00:00Z"}, [101, 102, 103]),
]


def _declared(spec: dict[str, Any], path: str, method: str = "get") -> set[str]:
    names = set()
    for param in spec["paths"][path][method]["parameters"]:
        if "$ref" in param:
            param = spec["components"]["parameters"][param["$ref"].rsplit("/", 1)[1]]
        if param["in"] == "query":
            names.add(param["name"])
    return names


@pytest.mark.parametrize(("path", "rows"), [(ENTRIES, ENTRY_ROWS), (CALENDARS, CALENDAR_ROWS)])
def test_every_declared_list_parameter_is_exercised_here(
    spec: dict[str, Any], path: str, rows: list[tuple[Query, Any]]
) -> None:
    assert _declared(spec, path) == {name for params, _ in rows for name in params}


@pytest.mark.parametrize(("params", "expected"), ENTRY_ROWS, ids=[str(p) for p, _ in ENTRY_ROWS])
def test_entry_list_parameters(
    client: httpx.Client, conforms: SpecChecker, entries: dict[str, str], params: Query, expected: list[str]
) -> None:
    def real(value: str) -> str:
        if value.startswith("__after_"):
            return encode_page_token(int(entries[value.removeprefix("__after_").strip("_")]))
        return entries[value.strip("_")] if value.startswith("__") else value

    query = {k: [real(v) for v in value] if isinstance(value, list) else real(value) for k, value in params.items()}
    body = conforms(client.get(ENTRIES, params=query), ENTRIES)
    assert [e["id"] for e in body["data"]] == [entries[name] for name in expected]


@pytest.mark.parametrize(("params", "expected"), CALENDAR_ROWS, ids=[str(p) for p, _ in CALENDAR_ROWS])
def test_calendar_list_parameters(
    client: httpx.Client, conforms: SpecChecker, params: Query, expected: list[int]
) -> None:
    body = conforms(client.get(CALENDARS, params=params), CALENDARS)
    assert [c["id"] for c in body["data"]] == expected


def test_a_calendar_says_which_source_its_visibility_is_for(client: httpx.Client) -> None:
    for source, visible in (("web", False), ("mobile", True)):
        body = client.get(CALENDARS, params={"ids[]": "102", "source": source, "fields": "visible,source"}).json()
        assert body["data"] == [{"visible": visible, "source": source}]
    assert client.get("/api/v4/calendars/102.json", params={"fields": "visible,source"}).json()["data"] == {
        "visible": False,
        "source": "web",
    }


@pytest.mark.parametrize(
    ("path", "name"),
    [((method, path), name) for (method, path), names in NOT_IMPLEMENTED.items() for name in names],
)
def test_documented_parameters_the_emulator_lacks_are_400_naming_them(
    client: httpx.Client, conforms: SpecChecker, path: tuple[str, str], name: str
) -> None:
    method, template = path
    url = template.replace("{id}", "201")
    for value in ("true", "false", "1"):
        response = client.request(method, url, params={name: value})
        conforms(response, template)
        assert response.status_code == 400
        message = response.json()["error"]["message"]
        assert repr(name) in message and "not implemented" in message


@pytest.mark.parametrize(
    ("method", "url", "template"),
    [
        ("GET", ENTRIES, ENTRIES),
        ("GET", CALENDARS, CALENDARS),
        ("GET", "/api/v4/users/who_am_i.json", "/api/v4/users/who_am_i.json"),
        ("GET", "/api/v4/calendars/101.json", "/api/v4/calendars/{id}.json"),
        ("GET", "/api/v4/contacts/201.json", "/api/v4/contacts/{id}.json"),
        ("DELETE", "/api/v4/calendar_entries/1000.json", "/api/v4/calendar_entries/{id}.json"),
    ],
)
@pytest.mark.parametrize("name", ["calender_id", "ids", "page", "fields[]", "_"])
def test_parameters_clio_does_not_document_are_400_naming_them(
    client: httpx.Client, conforms: SpecChecker, method: str, url: str, template: str, name: str
) -> None:
    response = client.request(method, url, params={name: "1"})
    conforms(response, template)
    assert response.status_code == 400
    assert repr(name) in response.json()["error"]["message"]


def test_no_write_happens_when_a_parameter_is_refused(client: httpx.Client, emu: Emulator) -> None:
    from .conftest import entry_body

    assert client.post(ENTRIES, params={"limit": "1"}, json=entry_body()).status_code == 400
    assert emu.calendar_entry_count() == 0


def test_matter_id_null_links_an_entry_to_no_matter(client: httpx.Client, conforms: SpecChecker) -> None:
    created = client.post(
        ENTRIES,
        params={"fields": "id,matter"},
        json={
            "data": {
                "summary": "no matter",
                "start_at": "2024-03-15T14:00:00Z",
                "end_at": "2024-03-15T15:00:00Z",
                "calendar_owner": {"id": 101},
                "matter": {"id": None},
            }
        },
    )
    body = conforms(created, ENTRIES)
    assert created.status_code == 201 and body["data"]["matter"] is None
    path = f"/api/v4/calendar_entries/{body['data']['id']}.json"
    linked = client.patch(path, params={"fields": "matter{id}"}, json={"data": {"matter": {"id": 302}}})
    assert linked.json()["data"]["matter"] == {"id": 302}
    unlinked = client.patch(path, params={"fields": "matter"}, json={"data": {"matter": {"id": None}}})
    conforms(unlinked, "/api/v4/calendar_entries/{id}.json")
    assert unlinked.status_code == 200 and unlinked.json()["data"]["matter"] is None
    # Leaving `matter` out leaves it as it is.
    client.patch(path, json={"data": {"matter": {"id": 301}}})
    kept = client.patch(path, params={"fields": "matter{id}"}, json={"data": {"summary": "renamed"}})
    assert kept.json()["data"]["matter"] == {"id": 301}


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


@pytest.mark.parametrize(
    ("url", "template"),
    [
        ("/api/v4/users/who_am_i.json", "/api/v4/users/who_am_i.json"),
        ("/api/v4/calendars/101.json", "/api/v4/calendars/{id}.json"),
        ("/api/v4/contacts/201.json", "/api/v4/contacts/{id}.json"),
        ("entry", "/api/v4/calendar_entries/{id}.json"),
    ],
)
def test_if_modified_since(client: httpx.Client, conforms: SpecChecker, url: str, template: str) -> None:
    if url == "entry":
        url = f"/api/v4/calendar_entries/{create(client)['id']}.json"
    first = client.get(url, params={"fields": "id,updated_at"})
    updated = datetime.fromisoformat(first.json()["data"]["updated_at"])
    for since, status in (
        (_http_date(updated), 304),
        (updated.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S -0000"), 304),
        (_http_date(updated + timedelta(days=1)), 304),
        (_http_date(updated - timedelta(seconds=1)), 200),
        ("not a date", 200),
    ):
        response = client.get(url, headers={"If-Modified-Since": since})
        conforms(response, template)
        assert response.status_code == status, since
        assert response.headers["etag"] == first.headers["etag"]
    # With IF-NONE-MATCH, IF-MODIFIED-SINCE is not looked at (RFC 9110).
    both = client.get(url, headers={"If-None-Match": '"other"', "If-Modified-Since": _http_date(updated)})
    assert both.status_code == 200
