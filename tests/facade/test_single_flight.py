"""Concurrent creates with one key in one process make one POST, and every caller gets its appointment."""

from __future__ import annotations

import asyncio
import contextlib
import threading

import httpx

from clio_appointments import AsyncClioCalendar, ClioCalendar
from clio_appointments._locks import SHARED_LOCKS

from .conftest import AUTH, FakeClio

PAYLOAD = {"title": "Intake", "startTimeUtc": "2024-03-15T14:00:00Z", "durationMinutes": 30}
CALLERS = 5


def test_threads_sharing_a_key_post_once(clio: FakeClio) -> None:
    # Every request waits for the others to arrive (or a short while), so without the lock all callers would look
    # the key up before any POST, find nothing and post.
    arrived = threading.Barrier(CALLERS)
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        with contextlib.suppress(threading.BrokenBarrierError):
            arrived.wait(timeout=0.2)
        with lock:
            return clio(request)

    results: list[str] = []
    with ClioCalendar(AUTH, transport=httpx.MockTransport(handler)) as calendar:

        def create() -> None:
            results.append(calendar.create_appointment(PAYLOAD, idempotency_key="webhook-1")["appointmentId"])

        threads = [threading.Thread(target=create) for _ in range(CALLERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(clio.calls("POST")) == 1
    assert len(clio.entries) == 1
    assert results == [str(next(iter(clio.entries)))] * CALLERS
    assert len(SHARED_LOCKS) == 0  # nothing left behind


def test_tasks_sharing_a_key_post_once(clio: FakeClio) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.01)  # latency, so that the callers' requests interleave
        return clio(request)

    async def main() -> list[str]:
        async with AsyncClioCalendar(AUTH, transport=httpx.MockTransport(handler)) as calendar:
            results = await asyncio.gather(
                *(calendar.create_appointment(PAYLOAD, idempotency_key="webhook-2") for _ in range(CALLERS))
            )
        return [r["appointmentId"] for r in results]

    ids = asyncio.run(main())
    assert len(clio.calls("POST")) == 1
    assert list(clio.entries) == [int(ids[0])]
    assert ids == [ids[0]] * CALLERS
    assert len(SHARED_LOCKS) == 0


def test_different_keys_do_not_wait_for_each_other(clio: FakeClio) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.01)
        return clio(request)

    async def main() -> None:
        async with AsyncClioCalendar(AUTH, transport=httpx.MockTransport(handler)) as calendar:
            await asyncio.gather(*(calendar.create_appointment(PAYLOAD, idempotency_key=f"k{n}") for n in range(4)))

    asyncio.run(main())
    assert len(clio.entries) == 4
    # All four lookups went out before any POST: nobody queued behind another key.
    methods = [r.method for r in clio.requests if r.url.path.endswith("entries.json")]
    assert methods[:4] == ["GET"] * 4


def test_waiting_for_a_same_key_caller_ends_at_the_deadline(clio: FakeClio) -> None:
    """The first caller's POST hangs; the second waits for it at most its own deadline, then fails saying nothing
    was sent, with the key."""
    from clio_appointments import ClioTimeoutError

    release = threading.Event()
    entered = threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            entered.set()
            release.wait(timeout=5)
        return clio(request)

    errors: list[BaseException] = []
    with (
        ClioCalendar(AUTH, transport=httpx.MockTransport(handler)) as slow,
        ClioCalendar(AUTH, transport=httpx.MockTransport(handler), deadline=0.2) as hurried,
    ):
        first = threading.Thread(target=slow.create_appointment, args=(PAYLOAD,), kwargs={"idempotency_key": "k"})
        first.start()
        assert entered.wait(timeout=5)
        try:
            hurried.create_appointment(PAYLOAD, idempotency_key="k")
        except ClioTimeoutError as error:
            errors.append(error)
        release.set()
        first.join()
    (error,) = errors
    assert isinstance(error, ClioTimeoutError)
    assert error.idempotency_key == "k"
    assert error.may_have_reached_clio is False
    assert len(clio.calls("POST")) == 1
    assert len(SHARED_LOCKS) == 0


def test_an_async_waiter_also_ends_at_its_deadline(clio: FakeClio) -> None:
    from clio_appointments import ClioTimeoutError

    posted = asyncio.Event()
    answer = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            posted.set()
            await answer.wait()
        return clio(request)

    async def main() -> BaseException | None:
        transport = httpx.MockTransport(handler)
        async with (
            AsyncClioCalendar(AUTH, transport=transport) as slow,
            AsyncClioCalendar(AUTH, transport=transport, deadline=0.1) as hurried,
        ):
            first = asyncio.ensure_future(slow.create_appointment(PAYLOAD, idempotency_key="k2"))
            await posted.wait()  # the first caller holds the key's lock and its POST is on its way
            try:
                await hurried.create_appointment(PAYLOAD, idempotency_key="k2")
            except ClioTimeoutError as error:
                return error
            finally:
                answer.set()
                await first
        return None

    error = asyncio.run(main())
    assert isinstance(error, ClioTimeoutError)
    assert error.idempotency_key == "k2"
    assert len(clio.calls("POST")) == 1
