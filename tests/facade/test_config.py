"""Where the token may go and how it is read: regions, base_url, App Connect's user record, the auth header."""

from __future__ import annotations

import httpx
import pytest

from clio_appointments import AsyncClioCalendar, ClioCalendar, ConfigurationError
from clio_appointments._config import parse_auth_header, region_for, resolve_base_url, settings_for

from .conftest import TOKEN


@pytest.mark.parametrize(
    ("region", "url"),
    [
        ("us", "https://app.clio.com"),
        ("eu", "https://eu.app.clio.com"),
        ("ca", "https://ca.app.clio.com"),
        ("au", "https://au.app.clio.com"),
        ("EU", "https://eu.app.clio.com"),
    ],
)
def test_regions(region: str, url: str) -> None:
    assert resolve_base_url(region=region) == url


@pytest.mark.parametrize("region", ["uk", "", "app.clio.com", None, 1])
def test_unknown_region_is_refused(region: object) -> None:
    with pytest.raises(ConfigurationError, match="region must be one of"):
        resolve_base_url(region=region)


@pytest.mark.parametrize(
    ("user", "url"),
    [
        (None, "https://app.clio.com"),
        ({}, "https://app.clio.com"),
        ({"hostname": None}, "https://app.clio.com"),
        ({"hostname": "app.clio.com"}, "https://app.clio.com"),
        ({"hostname": "eu.app.clio.com"}, "https://eu.app.clio.com"),
        ({"hostname": "CA.App.Clio.com"}, "https://ca.app.clio.com"),
        ({"hostname": "au.app.clio.com."}, "https://au.app.clio.com"),
    ],
)
def test_app_connect_user_hostname(user: object, url: str) -> None:
    assert resolve_base_url(user=user) == url


@pytest.mark.parametrize(
    "hostname",
    ["evil.example", "app.clio.com.evil.example", "app.clio.com/x", "https://app.clio.com", "uk.app.clio.com", 5],
)
def test_user_hostname_outside_the_allowlist_is_refused(hostname: object) -> None:
    with pytest.raises(ConfigurationError, match="hostname"):
        resolve_base_url(user={"hostname": hostname})


def test_region_and_user_must_agree() -> None:
    assert region_for({"hostname": "eu.app.clio.com"}, "eu") == "eu"
    assert region_for({"hostname": "eu.app.clio.com"}, "us") == "eu"  # "us" is the default: the user decides
    with pytest.raises(ConfigurationError, match="disagree"):
        region_for({"hostname": "eu.app.clio.com"}, "au")
    with pytest.raises(ConfigurationError, match="user must be a mapping"):
        region_for("eu.app.clio.com")


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://clio.example.com", "https://clio.example.com"),
        ("https://clio.example.com/", "https://clio.example.com"),
        ("https://clio.example.com:8443/proxy/", "https://clio.example.com:8443/proxy"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://[::1]:9000", "http://[::1]:9000"),
        ("http://127.8.9.10", "http://127.8.9.10"),
    ],
)
def test_base_url_accepted(base_url: str, expected: str) -> None:
    assert resolve_base_url(base_url=base_url) == expected


@pytest.mark.parametrize(
    "base_url",
    [
        "http://app.clio.com",
        "http://10.0.0.1",
        "http://localhost.evil.example",
        "ftp://app.clio.com",
        "app.clio.com",
        "https://",
        "https://user:pw@app.clio.com",
        "https://app.clio.com/?x=1",
        "https://app.clio.com/#x",
        "https://app.clio.com\r\nX-Evil: 1",
        "https://app.clio.com /x",
        "https://app.clio.com:99999",
        5,
    ],
)
def test_base_url_refused(base_url: object) -> None:
    with pytest.raises(ConfigurationError):
        resolve_base_url(base_url=base_url)


@pytest.mark.parametrize(
    "header",
    [f"Bearer {TOKEN}", f"bearer {TOKEN}", f"BEARER  {TOKEN}", TOKEN, f" {TOKEN} ", f"Bearer {TOKEN}=="],
)
def test_auth_header_forms(header: str) -> None:
    assert parse_auth_header(header).rstrip("=") == TOKEN


@pytest.mark.parametrize(
    "header",
    [
        f"Bearer {TOKEN}\r\nX-Evil: 1",
        f"Bearer {TOKEN}\n",
        f"{TOKEN}\x00",
        f"Bearer\t{TOKEN}",
        f"Bearer {TOKEN}\x7f",
        "Bearer ",
        "",
        "   ",
        f"Basic {TOKEN}",
        f"Bearer {TOKEN} extra",
        "Bearer tök",
        "Bearer a,b",
        None,
        b"Bearer abc",
        "x" * 5000,
    ],
)
def test_bad_auth_header_is_refused_without_echoing_it(header: object) -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_auth_header(header)
    assert TOKEN not in str(caught.value)
    assert "Evil" not in str(caught.value)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"timeout": "30"}, "timeout"),
        ({"timeout": True}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": 11}, "max_retries"),
        ({"max_retries": 1.0}, "max_retries"),
        ({"max_retries": True}, "max_retries"),
    ],
)
def test_bad_client_options(options: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        settings_for(TOKEN, **options)


def test_settings_and_clients_never_show_the_token() -> None:
    settings = settings_for(f"Bearer {TOKEN}", region="eu", timeout=httpx.Timeout(5.0))
    assert TOKEN not in repr(settings)
    with ClioCalendar(f"Bearer {TOKEN}", region="eu") as calendar:
        assert TOKEN not in repr(calendar)
        assert TOKEN not in repr(vars(calendar))
        assert calendar.base_url == "https://eu.app.clio.com"


async def test_async_client_checks_its_transport_and_hides_the_token() -> None:
    with pytest.raises(ConfigurationError, match="AsyncBaseTransport"):
        AsyncClioCalendar(TOKEN, transport=httpx.HTTPTransport())  # type: ignore[arg-type]
    async with AsyncClioCalendar(TOKEN, base_url="http://127.0.0.1:1") as calendar:
        assert TOKEN not in repr(calendar)


def test_sync_client_checks_its_transport() -> None:
    with pytest.raises(ConfigurationError, match="BaseTransport"):
        ClioCalendar(TOKEN, transport=httpx.AsyncHTTPTransport())  # type: ignore[arg-type]


def test_configuration_error_before_anything_is_sent() -> None:
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200))
    for bad in ({"region": "mars"}, {"base_url": "http://example.com"}, {"max_retries": -2}):
        with pytest.raises(ConfigurationError):
            ClioCalendar(TOKEN, transport=transport, **bad)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        ClioCalendar("Bearer a\r\nb", transport=transport)
    assert sent == []
