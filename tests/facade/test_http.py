"""The URL-caching httpx clients send exactly what plain httpx clients send."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from clio_appointments._http import _MAX_URLS, AsyncUrlCachingClient, UrlCachingClient

BASE = "https://app.clio.com"
CALLS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/api/v4/calendar_entries.json", {"fields": "id,summary,attendees{id,name,type}"}),
    ("POST", "/api/v4/calendar_entries.json", {"fields": "id,summary,attendees{id,name,type}"}),
    ("GET", "/api/v4/calendars.json", {"owner": True, "writeable": True, "order": "id(desc)", "limit": 1}),
    ("GET", "/api/v4/calendar_entries.json", {"page_token": "a b&c=d", "limit": 200}),
    ("GET", "/api/v4/calendar_entries.json", {"ids[]": [1, 2]}),  # unhashable: built as usual
    ("DELETE", "/api/v4/calendar_entries/7.json", None),
    ("GET", "/api/v4/calendar_entries.json", {}),
]


@pytest.mark.parametrize("call", CALLS, ids=[f"{m} {p} {q}" for m, p, q in CALLS])
def test_same_request_as_plain_httpx(call: tuple[str, str, dict[str, Any] | None]) -> None:
    method, path, params = call
    plain = httpx.Client(base_url=BASE).build_request(method, path, params=params, json={"a": 1})
    caching = UrlCachingClient(base_url=BASE)
    for _ in range(2):  # the second build comes from the cache
        request = caching.build_request(method, path, params=params, json={"a": 1})
        assert request.url == plain.url
        assert request.method == plain.method
        assert request.read() == plain.read()
        assert request.headers == plain.headers


async def test_async_client_builds_the_same_urls() -> None:
    async with AsyncUrlCachingClient(base_url=BASE) as client:
        for method, path, params in CALLS:
            expected = httpx.Client(base_url=BASE).build_request(method, path, params=params).url
            assert client.build_request(method, path, params=params).url == expected
            assert client.build_request(method, path, params=params).url == expected


def test_distinct_queries_get_distinct_urls_and_the_cache_stays_bounded() -> None:
    client = UrlCachingClient(base_url=BASE)
    urls = {str(client.build_request("GET", "/x", params={"page_token": str(n)}).url) for n in range(_MAX_URLS * 3)}
    assert len(urls) == _MAX_URLS * 3
    assert len(client._memo._urls) <= _MAX_URLS


def test_absolute_urls_are_left_alone() -> None:
    client = UrlCachingClient(base_url=BASE)
    url = "https://eu.app.clio.com/api/v4/calendars.json"
    assert str(client.build_request("GET", url, params={"limit": 1}).url) == url + "?limit=1"
