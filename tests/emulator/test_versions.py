"""X-API-VERSION as Clio documents it.

Clio's published spec ("Minor Versions") and its API Versioning Policy: without the header a request gets the
default version; a version that is invalid or no longer supported is answered 410 Gone; every successful response
names the version used in its own X-API-VERSION.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from clio_emulator import Emulator
from clio_emulator._versions import DEFAULT_VERSION, KNOWN_VERSIONS

from .conftest import SpecChecker, create, entry_body

ENTRIES = "/api/v4/calendar_entries.json"
ENTRY = "/api/v4/calendar_entries/{id}.json"


def test_the_spec_names_a_known_version_and_the_default_is_clios(spec: dict[str, Any]) -> None:
    assert spec["info"]["version"].split("-")[0] in KNOWN_VERSIONS
    assert DEFAULT_VERSION == "4.0.9" and "4.0.9" in KNOWN_VERSIONS


def test_no_header_is_the_default_version(client: httpx.Client, conforms: SpecChecker) -> None:
    response = client.get("/api/v4/users/who_am_i.json")
    conforms(response, "/api/v4/users/who_am_i.json")
    assert response.headers["X-API-VERSION"] == DEFAULT_VERSION


@pytest.mark.parametrize("version", KNOWN_VERSIONS)
def test_a_known_version_is_served_and_echoed(client: httpx.Client, version: str) -> None:
    response = client.get("/api/v4/calendars.json", headers={"X-API-VERSION": version})
    assert response.status_code == 200
    assert response.headers["X-API-VERSION"] == version


@pytest.mark.parametrize("version", ["4.0.99", "4.0.3", "4.0", "5.0.0", "latest", "", "4.0.9; DROP"])
def test_an_unknown_version_is_410_gone(client: httpx.Client, conforms: SpecChecker, version: str) -> None:
    response = client.get("/api/v4/calendars.json", headers={"X-API-VERSION": version})
    body = conforms(response, "/api/v4/calendars.json")
    assert response.status_code == 410
    assert body["error"]["type"] == "Gone"
    assert "4.0.9" in body["error"]["message"]
    assert "X-API-VERSION" not in response.headers


def test_every_operation_honours_the_version(emu: Emulator, client: httpx.Client, conforms: SpecChecker) -> None:
    entry = create(client)
    path = f"/api/v4/calendar_entries/{entry['id']}.json"
    requests = [
        ("GET", "/api/v4/users/who_am_i.json", "/api/v4/users/who_am_i.json", None),
        ("GET", "/api/v4/calendars.json", "/api/v4/calendars.json", None),
        ("GET", "/api/v4/calendars/101.json", "/api/v4/calendars/{id}.json", None),
        ("GET", ENTRIES, ENTRIES, None),
        ("POST", ENTRIES, ENTRIES, entry_body()),
        ("GET", path, ENTRY, None),
        ("PATCH", path, ENTRY, {"data": {"summary": "changed"}}),
        ("GET", "/api/v4/contacts/201.json", "/api/v4/contacts/{id}.json", None),
        ("DELETE", path, ENTRY, None),
    ]
    for method, url, template, body in requests:
        refused = client.request(method, url, json=body, headers={"X-API-VERSION": "4.1.0"})
        conforms(refused, template)
        assert refused.status_code == 410, (method, url)
    # Nothing was written by the refused requests.
    assert emu.calendar_entry_count() == 1
    assert client.get(path, params={"fields": "summary"}).json()["data"]["summary"] != "changed"
    for method, url, template, body in requests:
        served = client.request(method, url, json=body, headers={"X-API-VERSION": "4.0.9"})
        conforms(served, template)
        assert served.status_code < 300, (method, url, served.text)
        assert served.headers["X-API-VERSION"] == "4.0.9"


def test_a_not_modified_answer_names_the_version_too(client: httpx.Client) -> None:
    first = client.get("/api/v4/calendars/101.json")
    again = client.get(
        "/api/v4/calendars/101.json", headers={"If-None-Match": first.headers["etag"], "X-API-VERSION": "4.0.8"}
    )
    assert again.status_code == 304 and again.headers["X-API-VERSION"] == "4.0.8"


def test_the_version_is_checked_before_the_query(client: httpx.Client) -> None:
    response = client.get(ENTRIES, params={"limit": "0"}, headers={"X-API-VERSION": "9"})
    assert response.status_code == 410
