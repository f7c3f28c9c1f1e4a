"""Facade clients on the emulator for the reliability tests, with a transport policy that never really sleeps."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from clio_appointments import AsyncClioCalendar, ClioCalendar
from clio_appointments._transport import TransportPolicy
from clio_emulator import Emulator

ENTRIES = "/api/v4/calendar_entries.json"
KEY_PROPERTY = "clio_appointments.idempotency_key"
PAYLOAD = {
    "title": "Intake call",
    "summary": "Initial consultation",
    "startTimeUtc": "2024-03-15T14:00:00Z",
    "durationMinutes": 30,
}


class Sleeps:
    """Records requested pauses instead of sleeping, so Retry-After can be checked without waiting for it."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.seconds.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.seconds.append(seconds)
        await asyncio.sleep(0)


def use_policy(monkeypatch: pytest.MonkeyPatch, sleeps: Sleeps, **overrides: Any) -> None:
    """Make every client built from now on use a zero-backoff policy whose sleeps are only recorded."""

    def make(max_retries: int) -> TransportPolicy:
        settings: dict[str, Any] = {
            "max_retries": max_retries,
            "backoff_base": 0.0,
            "sleep": sleeps.sleep,
            "async_sleep": sleeps.async_sleep,
        }
        settings.update(overrides)
        return TransportPolicy(**settings)

    monkeypatch.setattr("clio_appointments._client._make_policy", make)


def entries_with_key(emulator: Emulator, key: str, transport: httpx.BaseTransport | None = None) -> list[str]:
    """Ids of the entries carrying this idempotency key, read straight from the emulator."""
    headers = {"Authorization": f"Bearer {emulator.token}"}
    with httpx.Client(base_url=emulator.base_url, transport=transport or emulator.transport(), headers=headers) as c:
        params = {"external_property_name": KEY_PROPERTY, "external_property_value": key, "fields": "id"}
        response = c.get(ENTRIES, params=params)
        response.raise_for_status()
        return [entry["id"] for entry in response.json()["data"]]


def all_keys(emulator: Emulator) -> dict[str, list[str]]:
    """Every entry's idempotency key -> the ids carrying it, oldest first, read from the emulator's store (so the
    faults a test injects do not get in the way of counting)."""
    return emulator.entries_by_external_property(KEY_PROPERTY)


@contextmanager
def sync_calendar(emulator: Emulator, **options: Any) -> Iterator[ClioCalendar]:
    options.setdefault("transport", emulator.transport())
    with ClioCalendar(f"Bearer {emulator.token}", base_url=emulator.base_url, **options) as calendar:
        yield calendar


def async_calendar(emulator: Emulator, **options: Any) -> AsyncClioCalendar:
    options.setdefault("transport", emulator.async_transport())
    return AsyncClioCalendar(f"Bearer {emulator.token}", base_url=emulator.base_url, **options)
