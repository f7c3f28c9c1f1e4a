"""Host safety: the token goes only to Clio's regional hosts or an explicit https (or loopback) base_url, and never
follows a redirect or a paging link to another host."""

from __future__ import annotations

import httpx
import pytest

import clio_appointments as ca
from clio_appointments import ClioCalendar, ClioError, ConfigurationError

from .conftest import AUTH
from .emulated import PAYLOAD

CALENDARS = {"data": [{"id": 7}], "meta": {"paging": {}}}
ENTRY = {
    "data": {"id": "1", "summary": "x", "start_at": "2024-03-15T14:00:00.000Z", "end_at": "2024-03-15T15:00:00.000Z"}
}


class Recorder:
    """Answers like a small Clio, or with `override(request)` when that returns a response; records every URL."""

    def __init__(self, override: object = None) -> None:
        self.urls: list[httpx.URL] = []
        self.auth: list[str | None] = []
        self.override = override

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(request.url)
        self.auth.append(request.headers.get("authorization"))
        if callable(self.override):
            answer = self.override(request)
            if answer is not None:
                return answer
        if request.url.path.endswith("/calendars.json"):
            return httpx.Response(200, json=CALENDARS)
        if request.method == "POST":
            return httpx.Response(201, json=ENTRY)
        return httpx.Response(200, json={"data": [], "meta": {"paging": {}}})


@pytest.mark.parametrize(
    ("region", "host"),
    [("us", "app.clio.com"), ("eu", "eu.app.clio.com"), ("ca", "ca.app.clio.com"), ("au", "au.app.clio.com")],
)
def test_regions_map_to_clio_hosts_over_https(region: str, host: str) -> None:
    recorder = Recorder()
    with ClioCalendar(AUTH, region=region, transport=httpx.MockTransport(recorder)) as calendar:
        calendar.create_appointment(dict(PAYLOAD))
    assert {(u.scheme, u.host, u.port) for u in recorder.urls} == {("https", host, None)}


@pytest.mark.parametrize("hostname", ["app.clio.com", "eu.app.clio.com", "ca.app.clio.com", "au.app.clio.com"])
def test_app_connect_user_hostname_picks_the_clio_host(hostname: str) -> None:
    recorder = Recorder()
    ca.create_appointment(
        user={"hostname": hostname}, auth_header=AUTH, payload=dict(PAYLOAD), transport=httpx.MockTransport(recorder)
    )
    assert {u.host for u in recorder.urls} == {hostname}


@pytest.mark.parametrize(
    "hostname",
    ["evil.example", "app.clio.com.evil.example", "clio.com", "app.clio.com:8443", "127.0.0.1", "https://app.clio.com"],
)
def test_a_user_record_naming_another_host_sends_nothing(hostname: str) -> None:
    recorder = Recorder()
    with pytest.raises(ConfigurationError):
        ca.create_appointment(
            user={"hostname": hostname},
            auth_header=AUTH,
            payload=dict(PAYLOAD),
            transport=httpx.MockTransport(recorder),
        )
    assert recorder.urls == []


@pytest.mark.parametrize(
    "base_url",
    [
        "http://example.com",
        "http://app.clio.com",
        "http://10.0.0.1:8080",
        "ftp://app.clio.com",
        "https://user:pass@app.clio.com",
        "//app.clio.com",
        "app.clio.com",
    ],
)
def test_unsafe_base_urls_are_refused_before_anything_is_sent(base_url: str) -> None:
    recorder = Recorder()
    with pytest.raises(ConfigurationError):
        ClioCalendar(AUTH, base_url=base_url, transport=httpx.MockTransport(recorder))
    assert recorder.urls == []


@pytest.mark.parametrize(
    "base_url", ["https://clio.internal.example", "http://127.0.0.1:8123", "http://localhost:9000", "http://[::1]:9000"]
)
def test_explicit_https_or_loopback_base_urls_are_used_as_given(base_url: str) -> None:
    recorder = Recorder()
    with ClioCalendar(AUTH, base_url=base_url, transport=httpx.MockTransport(recorder)) as calendar:
        calendar.create_appointment(dict(PAYLOAD))
    expected = httpx.URL(base_url)
    assert {(u.scheme, u.host, u.port) for u in recorder.urls} == {(expected.scheme, expected.host, expected.port)}


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("target", ["https://evil.example/api/v4/calendars.json", "/api/v4/calendars.json"])
def test_redirects_are_never_followed(status: int, target: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(status, headers={"Location": target}))
    with ClioCalendar(AUTH, transport=httpx.MockTransport(recorder)) as calendar, pytest.raises(ClioError) as caught:
        calendar.create_appointment(dict(PAYLOAD))
    # The redirect is never taken; a POST answered with one may still look its key up, on Clio's own host.
    assert {u.host for u in recorder.urls} == {"app.clio.com"}
    assert [u.path for u in recorder.urls].count("/api/v4/calendars.json") <= 1
    assert "evil" not in str(caught.value)


def test_a_paging_link_to_another_host_only_lends_its_page_token() -> None:
    pages = iter(
        [
            {
                "data": [],
                "meta": {"paging": {"next": "https://evil.example/api/v4/calendar_entries.json?page_token=Mg"}},
            },
            {"data": [], "meta": {"paging": {}}},
        ]
    )

    def paging(request: httpx.Request) -> httpx.Response | None:
        return httpx.Response(200, json=next(pages)) if request.url.path.endswith("calendar_entries.json") else None

    recorder = Recorder(paging)
    with ClioCalendar(AUTH, transport=httpx.MockTransport(recorder)) as calendar:
        assert calendar.list_appointments() == {"appointments": []}
    assert [u.host for u in recorder.urls] == ["app.clio.com", "app.clio.com"]
    assert recorder.urls[1].params["page_token"] == "Mg"


def test_every_request_carries_exactly_the_bearer_token() -> None:
    recorder = Recorder()
    with ClioCalendar("bearer   tok.en-1  ", transport=httpx.MockTransport(recorder)) as calendar:
        calendar.create_appointment(dict(PAYLOAD))
    assert recorder.auth and set(recorder.auth) == {"Bearer tok.en-1"}
