"""Process-wide named locks, so that creates sharing an idempotency key go one at a time.

Sync callers share a thread lock per name; async callers share an asyncio lock per name and event loop (an asyncio
lock belongs to one loop). A lock exists only while someone holds or waits for it. With shared state, _shared_state
takes a Redis lock of the same name inside these (see SharedLocks).
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator, Hashable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from ._deadline import Deadline, current_deadline
from ._errors import ClioTimeoutError

__all__ = ["SHARED_LOCKS", "NamedLocks"]


class NamedLocks:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        # name -> [lock, how many hold or wait for it]
        self._locks: dict[Hashable, list[Any]] = {}

    def _enter(self, name: Hashable, make: type) -> Any:
        with self._guard:
            slot = self._locks.get(name)
            if slot is None:
                slot = self._locks[name] = [make(), 0]
            slot[1] += 1
            return slot[0]

    def _leave(self, name: Hashable) -> None:
        with self._guard:
            slot = self._locks[name]
            slot[1] -= 1
            if slot[1] == 0:
                del self._locks[name]

    @contextmanager
    def hold(self, name: Hashable) -> Iterator[None]:
        """Hold the lock `name`, waiting at most what is left of the call's deadline (ClioTimeoutError after)."""
        key = ("thread", name)
        lock = self._enter(key, threading.Lock)
        try:
            deadline = current_deadline()
            if not lock.acquire(timeout=-1 if deadline is None else max(0.0, deadline.remaining())):
                raise _waited_too_long(deadline)
            try:
                yield
            finally:
                lock.release()
        finally:
            self._leave(key)

    @asynccontextmanager
    async def ahold(self, name: Hashable) -> AsyncIterator[None]:
        key = ("task", id(asyncio.get_running_loop()), name)
        lock = self._enter(key, asyncio.Lock)
        try:
            deadline = current_deadline()
            try:
                async with asyncio.timeout(None if deadline is None else max(0.0, deadline.remaining())):
                    await lock.acquire()
            except TimeoutError:
                raise _waited_too_long(deadline) from None
            try:
                yield
            finally:
                lock.release()
        finally:
            self._leave(key)

    def __len__(self) -> int:
        with self._guard:
            return len(self._locks)

    def _after_fork(self) -> None:
        """In a forked child only the forking thread lives on: the locks other threads held or waited for are
        nobody's now, and a guard held at the fork would never be let go."""
        self._guard = threading.Lock()
        self._locks = {}


def _waited_too_long(deadline: Deadline | None) -> ClioTimeoutError:
    assert deadline is not None  # without a deadline the wait has no end
    return deadline.expired(
        "waiting for another call to finish (one with the same idempotency key, or the calendar lookup)"
    )


SHARED_LOCKS = NamedLocks()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=SHARED_LOCKS._after_fork)
