"""Where requests go and with which credentials: region hosts, base_url rules, auth header parsing, client options.

Everything here runs before the first request and raises ConfigurationError, so a bad setting never sends anything.
Error messages never repeat the token.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from ._deadline import DEFAULT_DEADLINE
from ._errors import ConfigurationError

__all__ = [
    "CLIO_API_VERSION",
    "REGION_HOSTS",
    "ClientSettings",
    "is_loopback",
    "origin_of",
    "parse_auth_header",
    "region_for",
    "resolve_base_url",
    "settings_for",
]

# Clio's regional deployments. The token is only ever sent to one of these, or to an explicit base_url.
REGION_HOSTS: dict[str, str] = {
    "us": "app.clio.com",
    "eu": "eu.app.clio.com",
    "ca": "ca.app.clio.com",
    "au": "au.app.clio.com",
}
_HOST_REGIONS = {host: region for region, host in REGION_HOSTS.items()}

# RFC 6750 b64token: what a bearer token may contain. Anything else (spaces, CR/LF, other control characters,
# non-ASCII) could split or forge a header, so it is refused outright.
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A generous cap: real Clio tokens are far shorter, and a megabyte "token" is a mistake, not a credential.
_MAX_TOKEN_LENGTH = 4096
# The Clio minor version the spec in openapi/ was written against (its info.version up to the "-ca." revision): sent
# as X-API-VERSION on every request, so Clio cannot change behaviour under a user until the spec and the SDK move on.
CLIO_API_VERSION = "4.0.9"
"""The Clio minor version sent as X-API-VERSION on every request unless `api_version=` names another."""
_API_VERSION = re.compile(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}", re.ASCII)
_MAX_RETRIES_CAP = 10
_MAX_DEADLINE = 3600.0


def parse_auth_header(auth_header: object) -> str:
    """The bearer token from `"Bearer <token>"` (scheme case-insensitive) or a bare `"<token>"`."""
    if not isinstance(auth_header, str):
        raise ConfigurationError(f"auth_header must be a string, not {type(auth_header).__name__}")
    if _CONTROL.search(auth_header):
        raise ConfigurationError("auth_header contains CR, LF or another control character; refusing to send it")
    value = auth_header.strip(" ")
    scheme, sep, rest = value.partition(" ")
    token = rest.strip(" ") if sep and scheme.lower() == "bearer" else value
    # "Bearer" alone is a scheme without its token, not a bare token that happens to read "Bearer".
    if not token or token.lower() == "bearer":
        raise ConfigurationError("auth_header has no token; expected 'Bearer <token>' or the bare token")
    if " " in token:
        raise ConfigurationError(
            "auth_header must be 'Bearer <token>' or the bare token; other schemes are not supported"
        )
    if len(token) > _MAX_TOKEN_LENGTH or not _B64TOKEN.fullmatch(token):
        raise ConfigurationError("auth_header token contains characters a bearer token cannot have (RFC 6750)")
    return token


def is_loopback(host: str) -> bool:
    """Whether `host` (a hostname or IP literal, without brackets) names this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_base_url(base_url: object) -> str:
    if not isinstance(base_url, str):
        raise ConfigurationError(f"base_url must be a string, not {type(base_url).__name__}")
    if _CONTROL.search(base_url) or any(c.isspace() for c in base_url):
        raise ConfigurationError("base_url contains whitespace or control characters")
    try:
        parts = urlsplit(base_url)
        port = parts.port
    except ValueError as exc:
        raise ConfigurationError(f"base_url is not a valid URL: {exc}") from None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigurationError(f"base_url must be an absolute https URL, got {base_url!r}")
    if parts.username is not None or parts.password is not None:
        raise ConfigurationError("base_url must not carry credentials")
    if parts.query or parts.fragment:
        raise ConfigurationError("base_url must not have a query or fragment")
    if parts.scheme == "http" and not is_loopback(host):
        raise ConfigurationError(
            f"base_url {base_url!r} is plain http; only https is allowed, except for loopback hosts"
        )
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    return f"{parts.scheme}://{netloc}{parts.path.rstrip('/')}"


def _host_from_region(region: object) -> str:
    if not isinstance(region, str) or region.strip().lower() not in REGION_HOSTS:
        raise ConfigurationError(f"region must be one of {', '.join(REGION_HOSTS)}; got {region!r}")
    return REGION_HOSTS[region.strip().lower()]


def _host_from_user(user: object) -> str | None:
    """App Connect's user record names the Clio host in `hostname`; missing means the US deployment."""
    if user is None:
        return None
    if not isinstance(user, Mapping):
        raise ConfigurationError(f"user must be a mapping (App Connect's user record), not {type(user).__name__}")
    hostname = user.get("hostname")
    if hostname is None or hostname == "":
        return None
    if not isinstance(hostname, str):
        raise ConfigurationError(f"user['hostname'] must be a string, not {type(hostname).__name__}")
    host = hostname.strip().lower().rstrip(".")
    if host not in _HOST_REGIONS:
        raise ConfigurationError(
            f"user['hostname'] {hostname!r} is not a Clio host; expected one of {', '.join(_HOST_REGIONS)}"
        )
    return host


def region_for(user: object, region: object = "us") -> str:
    """The region for App Connect's user record: its `hostname`, unless an explicit non-default `region` disagrees."""
    host = _host_from_region(region)
    user_host = _host_from_user(user)
    if user_host is None:
        return _HOST_REGIONS[host]
    if host != REGION_HOSTS["us"] and user_host != host:
        raise ConfigurationError(f"region {region!r} and user['hostname'] {user_host!r} disagree")
    return _HOST_REGIONS[user_host]


def resolve_base_url(*, region: object = "us", base_url: object = None, user: object = None) -> str:
    """Where requests go: an explicit base_url, else the Clio host of `region` (or of App Connect's user record)."""
    if base_url is not None:
        return _check_base_url(base_url)
    return f"https://{REGION_HOSTS[region_for(user, region)]}"


def origin_of(base_url: str) -> str:
    """Scheme, host and port: the part of the URL the calendar cache is keyed on."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """Validated client options. `repr` leaves the token out."""

    base_url: str
    token: str
    timeout: httpx.Timeout
    max_retries: int
    deadline: float = DEFAULT_DEADLINE
    api_version: str = CLIO_API_VERSION

    def __repr__(self) -> str:
        return (
            f"ClientSettings(base_url={self.base_url!r}, token='***', max_retries={self.max_retries}, "
            f"deadline={self.deadline:g})"
        )


def _check_timeout(timeout: object) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise ConfigurationError(f"timeout must be a number of seconds, not {type(timeout).__name__}")
    if not math.isfinite(timeout) or timeout <= 0:
        raise ConfigurationError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return httpx.Timeout(float(timeout))


def _check_deadline(deadline: object) -> float:
    if isinstance(deadline, bool) or not isinstance(deadline, int | float):
        raise ConfigurationError(f"deadline must be a number of seconds, not {type(deadline).__name__}")
    if not math.isfinite(deadline) or not 0 < deadline <= _MAX_DEADLINE:
        raise ConfigurationError(
            f"deadline must be more than 0 and at most {_MAX_DEADLINE:g} seconds, got {deadline!r}"
        )
    return float(deadline)


def _check_api_version(api_version: object) -> str:
    if not isinstance(api_version, str) or not _API_VERSION.fullmatch(api_version):
        raise ConfigurationError(f"api_version must be a Clio minor version such as {CLIO_API_VERSION!r}")
    return api_version


def _check_max_retries(max_retries: object) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int):
        raise ConfigurationError(f"max_retries must be an integer, not {type(max_retries).__name__}")
    if not 0 <= max_retries <= _MAX_RETRIES_CAP:
        raise ConfigurationError(f"max_retries must be between 0 and {_MAX_RETRIES_CAP}, got {max_retries}")
    return max_retries


def settings_for(
    auth_header: object,
    *,
    region: object = "us",
    base_url: object = None,
    user: object = None,
    timeout: object = 30.0,
    max_retries: object = 2,
    deadline: object = DEFAULT_DEADLINE,
    api_version: object = CLIO_API_VERSION,
) -> ClientSettings:
    return ClientSettings(
        base_url=resolve_base_url(region=region, base_url=base_url, user=user),
        token=parse_auth_header(auth_header),
        timeout=_check_timeout(timeout),
        max_retries=_check_max_retries(max_retries),
        deadline=_check_deadline(deadline),
        api_version=_check_api_version(api_version),
    )
