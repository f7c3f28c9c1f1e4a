"""Paging as Clio's Pagination guide (docs.developers.clio.com/api-docs/paging) describes it.

Cursor paging (`page_token` links, no record limit) only with `order=id(asc)` and no `offset`; every other list
request pages by `offset`, which reaches the first 10,000 records and answers a page past them with 422
ArgumentError. `meta.paging.next` is a full URL in both modes, and following it returns every record once.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from clio_emulator import Emulator
from clio_emulator._model import EntryChanges
from clio_emulator._params import OFFSET_RECORD_LIMIT

from .conftest import SpecChecker, create

ENTRIES = "/api/v4/calendar_entries.json"
CALENDARS = "/api/v4/calendars.json"


def _bulk(emu: Emulator, count: int) -> list[str]:
    """`count` entries on Ada's calendar, straight into the store (thousands of POSTs would be slow); their ids."""
    changes = EntryChanges(summary="bulk", start_us=1_700_000_000_000_000, end_us=None, calendar_id=101)
    return [str(emu.store.create_entry(1, changes)) for _ in range(count)]


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _follow(
    client: httpx.Client, conforms: SpecChecker, path: str, params: dict[str, str]
) -> tuple[list[Any], list[dict[str, Any]]]:
    """Every record of a list, following `meta.paging.next` as given; and each page's `meta`."""
    records: list[Any] = []
    metas: list[dict[str, Any]] = []
    response = client.get(path, params=params)
    while True:
        body = conforms(response, path)
        records += [r["id"] for r in body["data"]]
        metas.append(body["meta"])
        following = body["meta"]["paging"].get("next")
        if following is None:
            return records, metas
        # A full URL on the server's own host, like Clio's.
        assert following.startswith(str(client.base_url).rstrip("/") + path + "?")
        response = client.get(following)


@pytest.fixture
def entries_450(emu: Emulator) -> list[str]:
    return _bulk(emu, 450)


def test_450_entries_come_back_whole_by_cursor(
    client: httpx.Client, conforms: SpecChecker, entries_450: list[str]
) -> None:
    records, metas = _follow(client, conforms, ENTRIES, {"order": "id(asc)", "fields": "id,summary"})
    assert len(records) == len(set(records)) == 450
    assert records == sorted(records, key=int) == entries_450
    assert len(metas) == 3 and all(m["records"] == 450 for m in metas)
    for meta in metas[:-1]:
        query = _query(meta["paging"]["next"])
        assert query["order"] == ["id(asc)"] and query["fields"] == ["id,summary"] and "page_token" in query
        assert "offset" not in query and "previous" not in meta["paging"]


@pytest.mark.parametrize(
    "params",
    [{}, {"offset": "0"}, {"order": "id(asc)", "offset": "0"}, {"limit": "200", "fields": "id"}],
    ids=["no order", "offset", "id(asc) with offset", "limit"],
)
def test_450_entries_come_back_whole_by_offset(
    client: httpx.Client, conforms: SpecChecker, entries_450: list[str], params: dict[str, str]
) -> None:
    records, metas = _follow(client, conforms, ENTRIES, params)
    assert records == entries_450
    assert len(metas) == 3
    assert [_query(m["paging"]["next"])["offset"] for m in metas[:-1]] == [["200"], ["400"]]
    assert all("page_token" not in _query(m["paging"]["next"]) for m in metas[:-1])
    # Offset pages link back as well; the first has nothing before it.
    assert "previous" not in metas[0]["paging"]
    assert [_query(m["paging"]["previous"])["offset"] for m in metas[1:]] == [["0"], ["200"]]


def test_offset_pages_are_parallelizable(client: httpx.Client, entries_450: list[str]) -> None:
    pages = [client.get(ENTRIES, params={"offset": str(o), "limit": "150"}).json()["data"] for o in (0, 150, 300)]
    assert [e["id"] for page in pages for e in page] == entries_450


def test_a_page_token_without_cursor_paging_is_refused(client: httpx.Client, entries_450: list[str]) -> None:
    token = _query(client.get(ENTRIES, params={"order": "id(asc)"}).json()["meta"]["paging"]["next"])["page_token"][0]
    for params in ({"page_token": token}, {"page_token": token, "order": "id(asc)", "offset": "200"}):
        response = client.get(ENTRIES, params=params)
        assert response.status_code == 400
        assert "page_token" in response.json()["error"]["message"]
    assert client.get(ENTRIES, params={"page_token": token, "order": "id(asc)"}).status_code == 200


def test_offset_paging_stops_at_10000_records(emu: Emulator, client: httpx.Client, conforms: SpecChecker) -> None:
    _bulk(emu, OFFSET_RECORD_LIMIT + 50)
    last = conforms(client.get(ENTRIES, params={"offset": "9800", "fields": "id"}), ENTRIES)
    assert len(last["data"]) == 200 and last["meta"]["records"] == OFFSET_RECORD_LIMIT + 50
    # The link to the next page is given (there are more records), and answered as Clio documents.
    following = last["meta"]["paging"]["next"]
    assert _query(following)["offset"] == ["10000"]
    refused = client.get(following)
    conforms(refused, ENTRIES)
    assert refused.status_code == 422
    assert refused.json()["error"]["type"] == "ArgumentError"
    assert "10,000" in refused.json()["error"]["message"] and "order=id(asc)" in refused.json()["error"]["message"]
    # A page that would run past the limit is cut short at it.
    cut = client.get(ENTRIES, params={"offset": "9900", "limit": "200", "fields": "id"}).json()
    assert len(cut["data"]) == 100 and _query(cut["meta"]["paging"]["next"])["offset"] == ["10000"]
    assert client.get(ENTRIES, params={"offset": "9999", "fields": "id"}).status_code == 200
    # Cursor paging has no such limit.
    records, _ = _follow(client, conforms, ENTRIES, {"order": "id(asc)", "fields": "id"})
    assert len(records) == len(set(records)) == OFFSET_RECORD_LIMIT + 50


@pytest.mark.parametrize("path", [ENTRIES, CALENDARS])
def test_an_offset_past_the_limit_is_422_even_on_a_short_list(
    client: httpx.Client, conforms: SpecChecker, path: str
) -> None:
    response = client.get(path, params={"offset": "10000"})
    conforms(response, path)
    assert response.status_code == 422 and response.json()["error"]["type"] == "ArgumentError"


def test_calendars_page_by_cursor_only_with_id_asc(client: httpx.Client, conforms: SpecChecker) -> None:
    ids, metas = _follow(client, conforms, CALENDARS, {"order": "id(asc)", "limit": "1"})
    assert ids == [101, 102, 103]
    assert all("page_token" in _query(m["paging"]["next"]) for m in metas[:-1])
    ids, metas = _follow(client, conforms, CALENDARS, {"order": "name(desc)", "limit": "1"})
    assert ids == [103, 102, 101]
    assert [_query(m["paging"]["next"])["offset"] for m in metas[:-1]] == [["1"], ["2"]]
    assert all(_query(m["paging"]["next"])["order"] == ["name(desc)"] for m in metas[:-1])
    ids, metas = _follow(client, conforms, CALENDARS, {"limit": "2"})
    assert ids == [101, 102, 103] and _query(metas[0]["paging"]["next"])["offset"] == ["2"]


def test_short_lists_have_no_links(client: httpx.Client) -> None:
    create(client)
    for params in ({}, {"order": "id(asc)"}, {"offset": "0"}):
        assert client.get(ENTRIES, params=params).json()["meta"] == {"paging": {}, "records": 1}
