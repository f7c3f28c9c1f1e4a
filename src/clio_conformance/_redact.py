"""Keeping the access token out of everything the run prints or writes."""

from __future__ import annotations

__all__ = ["Redactor"]

REPLACEMENT = "***"


class Redactor:
    """Replaces the token (and the whole `Bearer <token>` value) in any text.

    Schemathesis already filters the Authorization header in its reproduction commands; this is the second line of
    defence for everything else (server error bodies that echo a request, exception messages, URLs).
    """

    __slots__ = ("_secrets",)

    def __init__(self, *secrets: str) -> None:
        # Longest first, so "Bearer <token>" goes as a whole before the bare token is looked for.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REPLACEMENT)
        return text

    def __repr__(self) -> str:
        return f"<Redactor secrets={len(self._secrets)}>"
