"""`X-API-VERSION`, as Clio's API versioning policy describes it.

Clio's published spec ("Minor Versions", traviscrawford85/clio_cli clio_client/specs/openapi.json) and its API
Versioning Policy (docs.developers.clio.com/api-docs/api-versioning-policy):
- a request without the header is a request for the default version (4.0.9 in that spec);
- a header naming a version that is invalid, or no longer supported, is answered `410 Gone`;
- every successful response carries `X-API-VERSION` with the version used.

The emulator serves every known version the same way: the changes between them (Activities, Bills, Documents,
Notes, Contacts visibility) touch nothing in the calendar subset.
"""

from __future__ import annotations

from ._errors import ApiError

__all__ = ["DEFAULT_VERSION", "HEADER", "KNOWN_VERSIONS", "requested_version"]

HEADER = "X-API-VERSION"
# The minor versions the spec copy lists, oldest first; 4.0.9 is its default and the one our subset names.
KNOWN_VERSIONS = ("4.0.4", "4.0.5", "4.0.6", "4.0.7", "4.0.8", "4.0.9", "4.0.10")
DEFAULT_VERSION = "4.0.9"


def requested_version(header: str | None) -> str:
    """The version a request asks for (the default without the header); 410 for one the emulator does not know."""
    if header is None:
        return DEFAULT_VERSION
    version = header.strip()
    if version in KNOWN_VERSIONS:
        return version
    shown = version[:40] + ("..." if len(version) > 40 else "")
    raise ApiError(410, f"API version {shown!r} is not supported. Supported versions: {', '.join(KNOWN_VERSIONS)}.")
