"""What a run is asked to do, checked before anything is sent."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from clio_appointments import is_loopback

__all__ = ["DEFAULT_MAX_EXAMPLES", "ConformanceOptions", "OptionsError"]

DEFAULT_MAX_EXAMPLES = 20
"""Generated requests per operation and phase when neither the options nor schemathesis.toml say otherwise."""
MAX_MAX_EXAMPLES = 1000
# RFC 6750 b64token: anything else (spaces, CR/LF, non-ASCII) could split or forge the Authorization header.
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*", re.ASCII)


class OptionsError(ValueError):
    """A setting that cannot work; the message names it and never repeats the token."""


@dataclass(frozen=True, slots=True)
class ConformanceOptions:
    """A conformance run.

    `base_url`: Clio's origin (https://app.clio.com, https://eu.app.clio.com, ...) or an emulator's
    (http on loopback only, so the token never crosses a network in clear text). `token`: a Clio access token.
    `allow_writes`: also test the operations that create, change and delete calendar entries, the stateful run and
    the facade's scenario; without it only GET requests are sent. `max_examples`: generated requests per operation
    and phase (None: the shared schemathesis.toml's). `contact_ids`: existing contacts the suite may add as
    attendees (the facade scenario's attendee rows are skipped without them). `seed`: makes generation repeatable.
    """

    base_url: str
    token: str = field(repr=False)
    allow_writes: bool = False
    max_examples: int | None = None
    contact_ids: tuple[int, ...] = ()
    seed: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", _checked_base_url(self.base_url))
        if not isinstance(self.token, str) or not self.token:
            raise OptionsError("--token is required: a Clio access token")
        if not _B64TOKEN.fullmatch(self.token):
            raise OptionsError("--token contains characters a bearer token cannot have (RFC 6750)")
        if self.max_examples is not None and not 1 <= self.max_examples <= MAX_MAX_EXAMPLES:
            raise OptionsError(f"--max-examples must be from 1 to {MAX_MAX_EXAMPLES}")
        if any(isinstance(i, bool) or not isinstance(i, int) or i < 1 for i in self.contact_ids):
            raise OptionsError("--contact-id must be a positive whole number (a Clio contact id)")

    @property
    def auth_header(self) -> str:
        return f"Bearer {self.token}"


def _checked_base_url(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise OptionsError("--base-url is required, e.g. https://app.clio.com or http://127.0.0.1:8765")
    parts = urlsplit(value.strip())
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise OptionsError(f"--base-url must be an http(s) URL such as https://app.clio.com, not {value!r}")
    if parts.scheme == "http" and not is_loopback(host):
        raise OptionsError("--base-url must be https unless it is a loopback address (127.0.0.1, ::1, localhost)")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise OptionsError("--base-url must be an origin (scheme, host, port) without credentials or a query")
    if parts.path not in ("", "/"):
        raise OptionsError("--base-url must not have a path: the spec's paths start at /api/v4")
    return f"{parts.scheme}://{parts.netloc}"
