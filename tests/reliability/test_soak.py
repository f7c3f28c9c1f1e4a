"""Soak: 1,000+ creates under random injected faults (seeded), counting duplicates and losses, which must be 0.

In-process and loopback only, with zero backoff and a short client timeout, so it finishes in seconds. Each create
has a unique title, so every stored entry can be traced to the create that made it:

- duplicate: more than one entry for one create;
- loss: a create reported as successful whose entry is not there (or is not the one returned);
- orphan: an entry for a create that raised; allowed only when the error said the request may have reached Clio.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from typing import Any

import httpx
import pytest

from clio_appointments import ClioConnectionError, ClioError, ServerError
from clio_emulator import Emulator

from .emulated import ENTRIES, PAYLOAD, Sleeps, async_calendar, sync_calendar, use_policy

SEED = 20240315
TIMEOUT = 0.05
FAULT_RATE = 0.35
# The kinds of fault and what they do; Retry-After is 0 so the soak never waits on it.
KINDS: list[dict[str, Any]] = [
    {"status": 500},
    {"status": 502},
    {"status": 503},
    {"status": 504},
    {"status": 429},
    {"status": 429, "retry_after": 0},
    {"status": 503, "retry_after": 0},
    {"status": None, "delay": 0.2},  # a timeout
    {"drop": "before_commit"},
    {"drop": "after_commit"},
]
TARGETS = [("POST", ENTRIES), ("POST", ENTRIES), ("GET", ENTRIES), ("GET", "/api/v4/calendars.json")]


class Soak:
    def __init__(self, emulator: Emulator, seed: int) -> None:
        self.emulator = emulator
        self.rng = random.Random(seed)
        self.faults = 0
        self.results: dict[int, dict[str, Any] | ClioError] = {}

    def maybe_fault(self) -> None:
        if self.rng.random() < FAULT_RATE:
            method, path = self.rng.choice(TARGETS)
            kind = self.rng.choice(KINDS)
            times = self.rng.choice([1, 1, 1, 2, 3])
            self.emulator.faults.add(method=method, path=path, times=times, **kind)
            self.faults += times

    def payload(self, n: int) -> dict[str, Any]:
        return {**PAYLOAD, "title": f"soak {n}"}

    def tally(self) -> dict[str, int]:
        # Faults still waiting (their remaining `times`) never fired: count only the ones requests met.
        unfired = sum(fault.times or 0 for fault in self.emulator.faults.active())
        self.emulator.faults.clear()
        stored: dict[str, list[str]] = {}
        headers = {"Authorization": f"Bearer {self.emulator.token}"}
        with httpx.Client(base_url=self.emulator.base_url, transport=self.emulator.transport(), headers=headers) as c:
            params: dict[str, Any] = {"fields": "id,summary", "limit": 200, "order": "id(asc)"}
            while True:
                body = c.get(ENTRIES, params=params).raise_for_status().json()
                for entry in body["data"]:
                    stored.setdefault(entry["summary"], []).append(entry["id"])
                following = body.get("meta", {}).get("paging", {}).get("next")
                if not following:
                    break
                params["page_token"] = httpx.URL(following).params["page_token"]
        counts: Counter[str] = Counter()
        for n, result in self.results.items():
            ids = stored.get(f"soak {n}", [])
            counts["duplicates"] += max(0, len(ids) - 1)
            if isinstance(result, ClioError):
                counts["failed"] += 1
                counts[f"failed: {type(result).__name__}"] += 1
                if ids:
                    counts["orphans"] += 1
                    may_have = isinstance(result, ServerError) or (
                        isinstance(result, ClioConnectionError) and result.may_have_reached_clio
                    )
                    counts["orphans without warning"] += 0 if may_have else 1
            else:
                counts["succeeded"] += 1
                if ids.count(result["appointmentId"]) != 1:
                    counts["losses"] += 1
        counts["creates"] = len(self.results)
        counts["faults injected"] = self.faults - unfired
        counts["entries stored"] = self.emulator.calendar_entry_count()
        return dict(counts)


def report(name: str, counts: dict[str, int]) -> None:
    headline = ("creates", "faults injected", "duplicates", "losses", "succeeded", "failed", "orphans")
    print(f"\nsoak {name}: " + ", ".join(f"{k} {counts.get(k, 0)}" for k in headline))
    print(f"soak {name} details: {counts}")


def check(counts: dict[str, int], creates: int) -> None:
    assert counts["creates"] == creates
    assert counts.get("duplicates", 0) == 0
    assert counts.get("losses", 0) == 0
    assert counts.get("orphans without warning", 0) == 0
    assert counts["faults injected"] > creates * FAULT_RATE * 0.9  # the faults really were met
    assert counts["succeeded"] > creates * 0.8  # and most creates still went through


@pytest.mark.slow
def test_soak_async(clio_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    use_policy(monkeypatch, Sleeps())
    soak = Soak(clio_emulator, SEED)
    creates, workers = 1200, 8

    async def run() -> None:
        async with async_calendar(clio_emulator, timeout=TIMEOUT) as calendar:
            numbers = iter(range(creates))

            async def worker() -> None:
                for n in numbers:
                    soak.maybe_fault()
                    try:
                        soak.results[n] = dict(await calendar.create_appointment(soak.payload(n)))
                    except ClioError as error:
                        soak.results[n] = error

            await asyncio.gather(*(worker() for _ in range(workers)))

    asyncio.run(run())
    counts = soak.tally()
    report("async", counts)
    check(counts, creates)


@pytest.mark.slow
def test_soak_sync(clio_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    use_policy(monkeypatch, Sleeps())
    soak = Soak(clio_emulator, SEED + 1)
    creates = 1000
    with sync_calendar(clio_emulator, timeout=TIMEOUT) as calendar:
        for n in range(creates):
            soak.maybe_fault()
            try:
                soak.results[n] = dict(calendar.create_appointment(soak.payload(n)))
            except ClioError as error:
                soak.results[n] = error
    counts = soak.tally()
    report("sync", counts)
    check(counts, creates)
