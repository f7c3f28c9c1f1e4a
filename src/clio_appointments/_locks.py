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
        key = ("thread", name)
        lock = self._enter(key, threading.Lock)
        try:
            with lock:
                yield
        finally:
            self._leave(key)

    @asynccontextmanager
    async def ahold(self, name: Hashable) -> AsyncIterator[None]:
        key = ("task", id(asyncio.get_running_loop()), name)
        lock = self._enter(key, asyncio.Lock)
        try:
            async with lock:
                yield
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


SHARED_LOCKS = NamedLocks()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=SHARED_LOCKS._after_fork)
