"""Soak: thousands of creates under the faults real infrastructure makes (errors after the write, late writes,
drops, failed lookups, latency), plus keys created by five concurrent callers each; then the documented recovery.
Counted, and all must be 0:

- duplicates: a key with more than one entry once everything settled and every unknown outcome was recovered;
- losses: a create that returned an id that is not stored at the end, or a key whose callers got different ids;
- unknown without a key: a ClioError raised by a create without `idempotency_key`;
- false "not stored": an error saying the create did not reach Clio while its key's entry appeared.

In-process, seeded, with zero backoff, so it takes seconds; run `pytest tests/reliability/test_soak.py -s` to see
the counts.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from typing import Any

import pytest

from clio_appointments import ClioError
from clio_emulator import Emulator

from .emulated import ENTRIES, PAYLOAD, Sleeps, all_keys, async_calendar, sync_calendar, use_policy

SEED = 20241130
TIMEOUT = 0.2
POST_FAULTS: list[dict[str, Any]] = [
    {"status": 500, "commit": "before"},
    {"status": 503, "commit": "after"},
    {"status": 502, "commit": "after", "body": "html"},
    {"status": 520, "commit": "after", "body": "html"},
    {"status": 524, "commit": "late", "body": "html"},
    {"status": 504, "commit": "late"},
    {"status": 503, "commit": "late", "commit_delay": 0.01},
    {"drop": "before_commit"},
    {"drop": "after_commit"},
    {"drop": "before_commit", "commit": "late"},
    {"status": 429, "retry_after": 0},
    {"status": 404, "commit": "after", "body": "html"},
]
OTHER_FAULTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", ENTRIES, {"status": 503, "times": 3}),  # a failed lookup, every attempt
    ("GET", ENTRIES, {"status": 502, "body": "html"}),
    ("GET", ENTRIES, {"drop": "after_commit"}),
    ("GET", "/api/v4/calendars.json", {"status": 503}),
    ("DELETE", "/api/v4/calendar_entries/*", {"status": 503, "times": 3}),  # a duplicate that cannot go yet
]
FAULT_RATE = 0.4


class Soak:
    def __init__(self, emulator: Emulator, seed: int) -> None:
        self.emulator = emulator
        self.rng = random.Random(seed)
        self.counts: Counter[str] = Counter()
        self.keys: set[str] = set()
        self.unknown: set[str] = set()
        self.returned: dict[str, set[str]] = {}

    def maybe_fault(self) -> None:
        if self.rng.random() >= FAULT_RATE:
            return
        self.counts["faults injected"] += 1
        if self.rng.random() < 0.7:
            self.emulator.faults.add(method="POST", path=ENTRIES, **self.rng.choice(POST_FAULTS))
        else:
            method, path, fault = self.rng.choice(OTHER_FAULTS)
            self.emulator.faults.add(method=method, path=path, **fault)
        if self.rng.random() < 0.2:
            self.emulator.release_commits(self.rng.randint(1, 3))

    def record(self, key: str | None, outcome: dict[str, Any] | ClioError) -> None:
        self.counts["creates"] += 1
        if isinstance(outcome, ClioError):
            self.counts["errors"] += 1
            if not outcome.idempotency_key:
                self.counts["unknown without a key"] += 1
                return
            self.keys.add(outcome.idempotency_key)
            self.unknown.add(outcome.idempotency_key)
            if not outcome.may_have_reached_clio and key is None and outcome.idempotency_key in all_keys(self.emulator):
                self.counts['false "not stored"'] += 1
            return
        self.counts["succeeded"] += 1
        entry_id = outcome["appointmentId"]
        owner = next((k for k, ids in all_keys(self.emulator).items() if entry_id in ids), None)
        if owner is None:
            self.counts["losses"] += 1  # returned an id that is not (or no longer) stored
            return
        self.keys.add(owner)
        self.returned.setdefault(owner, set()).add(entry_id)

    def settle(self) -> dict[str, int]:
        """Clear the faults, land every late write, recover every unknown outcome with its key; then count."""
        self.emulator.faults.clear()
        self.emulator.release_commits()
        self.emulator.settle(30)
        with sync_calendar(self.emulator, timeout=5) as calendar:
            for key in sorted(self.unknown | set(self.returned)):
                result = calendar.create_appointment(dict(PAYLOAD), idempotency_key=key)
                self.returned.setdefault(key, set()).add(result["appointmentId"])
                self.counts["recovered"] += key in self.unknown
        stored = all_keys(self.emulator)
        self.counts["duplicates"] += sum(len(ids) - 1 for ids in stored.values())
        self.counts["losses"] += sum(1 for key, ids in self.returned.items() if ids != set(stored.get(key, [])))
        self.counts["orphans"] += len(set(stored) - self.keys)
        self.counts["entries stored"] = self.emulator.calendar_entry_count()
        return dict(self.counts)


def report(name: str, counts: dict[str, int]) -> None:
    print(f"\nsoak {name}: {counts}")


def check(counts: dict[str, int], creates: int) -> None:
    assert counts["creates"] == creates
    for invariant in ("duplicates", "losses", "unknown without a key", 'false "not stored"', "orphans"):
        assert counts.get(invariant, 0) == 0, f"{invariant}: {counts}"
    assert counts["faults injected"] > creates * FAULT_RATE * 0.8  # the faults really were there
    assert counts["errors"] > creates * 0.1  # and many creates met them
    assert counts["recovered"] > 0


@pytest.mark.slow
def test_soak_async_with_shared_keys(clio_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """2,000 creates by 8 workers (one in four with a key of its own), then 50 keys each created by 5 concurrent
    callers over a link with latency."""
    use_policy(monkeypatch, Sleeps())
    soak = Soak(clio_emulator, SEED)
    creates, workers, shared_keys, callers = 2000, 8, 50, 5

    async def create(calendar: Any, key: str | None) -> None:
        try:
            outcome: dict[str, Any] | ClioError = dict(
                await calendar.create_appointment(dict(PAYLOAD), idempotency_key=key)
            )
        except ClioError as error:
            outcome = error
        soak.record(key, outcome)

    async def run() -> None:
        async with async_calendar(clio_emulator, timeout=TIMEOUT) as calendar:
            numbers = iter(range(creates))

            async def worker() -> None:
                for n in numbers:
                    soak.maybe_fault()
                    await create(calendar, f"order-{n}" if n % 4 == 0 else None)

            await asyncio.gather(*(worker() for _ in range(workers)))
            clio_emulator.set_latency((0.001, 0.01))
            for k in range(shared_keys):
                soak.maybe_fault()
                await asyncio.gather(*(create(calendar, f"webhook-{k}") for _ in range(callers)))
            clio_emulator.set_latency(0.0)

    asyncio.run(run())
    counts = soak.settle()
    report("async", counts)
    check(counts, creates + shared_keys * callers)


@pytest.mark.slow
def test_soak_sync(clio_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    use_policy(monkeypatch, Sleeps())
    soak = Soak(clio_emulator, SEED + 1)
    creates = 600
    with sync_calendar(clio_emulator, timeout=TIMEOUT) as calendar:
        for n in range(creates):
            soak.maybe_fault()
            key = f"order-{n}" if n % 3 == 0 else None
            try:
                outcome: dict[str, Any] | ClioError = dict(
                    calendar.create_appointment(dict(PAYLOAD), idempotency_key=key)
                )
            except ClioError as error:
                outcome = error
            soak.record(key, outcome)
    counts = soak.settle()
    report("sync", counts)
    check(counts, creates)
