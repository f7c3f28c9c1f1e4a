"""Pacing against the emulator's limiter: bulk async creates slow down instead of drawing 429s.

The elapsed time is printed next to the least the limit allows; it is not asserted (shared machines are noisy).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter

import httpx
import pytest

from clio_appointments import AsyncClioCalendar, ClioCalendar
from clio_emulator import create_app

from .emulated import PAYLOAD

LIMIT, WINDOW = 40, 2.0


class Counting(httpx.AsyncBaseTransport):
    """Counts what the server answered, below the retrying transport, so a retried 429 still shows."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.statuses: Counter[int] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.statuses[response.status_code] += 1
        return response


def least_time(requests: int) -> float:
    """With a window starting at its first request, N requests need ceil(N / limit) windows, the last one barely."""
    return (math.ceil(requests / LIMIT) - 1) * WINDOW


@pytest.mark.slow
def test_300_async_creates_draw_no_429() -> None:
    emulator = create_app(rate_limit=LIMIT, rate_window=WINDOW).state.emulator
    counting = Counting(emulator.async_transport())
    creates = 300

    async def run() -> float:
        async with AsyncClioCalendar(
            f"Bearer {emulator.token}", base_url=emulator.base_url, transport=counting, timeout=30
        ) as calendar:
            started = time.perf_counter()
            results = await asyncio.gather(
                *(calendar.create_appointment({**PAYLOAD, "title": f"paced {n}"}) for n in range(creates))
            )
            elapsed = time.perf_counter() - started
        assert all("appointmentId" in result for result in results)
        return elapsed

    try:
        elapsed = asyncio.run(run())
        stored = emulator.calendar_entry_count()
    finally:
        emulator.close()
    requests = sum(counting.statuses.values())
    allowed = least_time(requests)
    print(
        f"\npacing: {creates} async creates, {requests} requests at {LIMIT} per {WINDOW:g} s: "
        f"{elapsed:.2f} s, the limit allows {allowed:.2f} s, ratio {elapsed / allowed:.3f}; "
        f"statuses {dict(counting.statuses)}"
    )
    assert counting.statuses[429] == 0
    assert stored == creates


@pytest.mark.slow
def test_sync_threads_and_async_share_one_budget() -> None:
    emulator = create_app(rate_limit=20, rate_window=1.0).state.emulator
    counting = Counting(emulator.async_transport())
    sync_statuses: Counter[int] = Counter()

    class SyncCounting(httpx.BaseTransport):
        def __init__(self) -> None:
            self.inner = emulator.transport()

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = self.inner.handle_request(request)
            sync_statuses[response.status_code] += 1
            return response

        def close(self) -> None:
            self.inner.close()

    async def run() -> None:
        async with AsyncClioCalendar(
            f"Bearer {emulator.token}", base_url=emulator.base_url, transport=counting
        ) as calendar:

            def sync_side() -> None:
                with ClioCalendar(
                    f"Bearer {emulator.token}", base_url=emulator.base_url, transport=SyncCounting()
                ) as sync_calendar:
                    for n in range(25):
                        sync_calendar.create_appointment({**PAYLOAD, "title": f"sync {n}"})

            await asyncio.gather(
                asyncio.to_thread(sync_side),
                *(calendar.create_appointment({**PAYLOAD, "title": f"async {n}"}) for n in range(25)),
            )

    try:
        asyncio.run(run())
        stored = emulator.calendar_entry_count()
    finally:
        emulator.close()
    print(f"\nshared budget: async statuses {dict(counting.statuses)}, sync statuses {dict(sync_statuses)}")
    assert counting.statuses[429] == 0 and sync_statuses[429] == 0
    assert stored == 50
