"""httpx clients that remember the URLs they build.

The generated endpoints hand httpx a path and a query dict on every call, and httpx parses, quotes and merges them
into a URL each time. For the facade's calls those are nearly always the same few (the create's POST with its long
`fields` selection, the calendar lookup): parsing them dominated a warm create's client-side cost (about 90 µs of
it). These clients build each distinct (path, query) once and reuse the result; anything unhashable (a list-valued
query) is built as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

__all__ = ["AsyncUrlCachingClient", "UrlCachingClient"]

# Keys that vary per call (page tokens, idempotency keys) pass through the cache; clearing it when full keeps it small
# without bookkeeping.
_MAX_URLS = 64

_Key = tuple[str, tuple[tuple[str, Any], ...]]


class _UrlMemo:
    __slots__ = ("_urls",)

    def __init__(self) -> None:
        self._urls: dict[_Key, httpx.URL] = {}

    def build(
        self, build_request: Callable[..., httpx.Request], method: str, url: httpx.URL | str, kwargs: dict[str, Any]
    ) -> httpx.Request:
        """`build_request(method, url, **kwargs)`, with the URL for a relative `url` and query dict built once."""
        params = kwargs.get("params")
        if not isinstance(url, str) or not isinstance(params, dict):
            return build_request(method, url, **kwargs)
        try:
            key: _Key = (url, tuple(params.items()))
            known = self._urls.get(key)
        except TypeError:  # an unhashable query value
            return build_request(method, url, **kwargs)
        if known is None:
            if len(self._urls) >= _MAX_URLS:
                self._urls.clear()
            known = self._urls[key] = build_request(method, url, params=params).url
        return build_request(method, known, **{name: value for name, value in kwargs.items() if name != "params"})


class UrlCachingClient(httpx.Client):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._memo = _UrlMemo()

    def build_request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Request:
        return self._memo.build(super().build_request, method, url, kwargs)


class AsyncUrlCachingClient(httpx.AsyncClient):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._memo = _UrlMemo()

    def build_request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Request:
        return self._memo.build(super().build_request, method, url, kwargs)
