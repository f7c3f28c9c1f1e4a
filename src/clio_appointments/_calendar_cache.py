"""Which calendar new appointments go to, remembered per (Clio host, token) for a while.

Looking the writeable calendar up costs one or two requests; remembering it makes a warm create a single POST. The
cache is process-wide so App Connect-style module-level calls (a new client each time) share it. Keys hold a SHA-256
digest of the token, never the token itself. With shared state, _shared_state layers Redis under it (the same
`CalendarStore` interface), so processes share one lookup too.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

__all__ = ["DEFAULT_TTL", "SHARED_CACHE", "CacheKey", "CalendarCache", "CalendarStore", "cache_key"]

DEFAULT_TTL = 300.0
_MAX_ENTRIES = 1024

CacheKey = tuple[str, str]


def cache_key(origin: str, token: str) -> CacheKey:
    return origin, hashlib.sha256(token.encode()).hexdigest()


class CalendarStore(Protocol):
    """What the flows' Recall/Remember/Forget steps need; the drivers call the `a` twins from async code."""

    def get(self, key: CacheKey) -> int | None: ...
    def put(self, key: CacheKey, calendar_id: int) -> None: ...
    def discard(self, key: CacheKey, calendar_id: int) -> None: ...
    async def aget(self, key: CacheKey) -> int | None: ...
    async def aput(self, key: CacheKey, calendar_id: int) -> None: ...
    async def adiscard(self, key: CacheKey, calendar_id: int) -> None: ...


class CalendarCache:
    """A small thread-safe LRU of calendar ids that expire `ttl` seconds after they were stored."""

    def __init__(
        self, ttl: float = DEFAULT_TTL, max_entries: int = _MAX_ENTRIES, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._max_entries = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[CacheKey, tuple[int, float]] = OrderedDict()

    @property
    def ttl(self) -> float:
        return self._ttl

    def get(self, key: CacheKey) -> int | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            calendar_id, expires = found
            if self._clock() >= expires:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return calendar_id

    def put(self, key: CacheKey, calendar_id: int) -> None:
        with self._lock:
            self._entries[key] = (calendar_id, self._clock() + self._ttl)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def discard(self, key: CacheKey, calendar_id: int) -> None:
        """Forget `calendar_id` for `key`, unless another caller has already stored a different one."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] == calendar_id:
                del self._entries[key]

    # Nothing here waits, so the async twins simply answer (the drivers call these from async code).

    async def aget(self, key: CacheKey) -> int | None:
        return self.get(key)

    async def aput(self, key: CacheKey, calendar_id: int) -> None:
        self.put(key, calendar_id)

    async def adiscard(self, key: CacheKey, calendar_id: int) -> None:
        self.discard(key, calendar_id)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _after_fork(self) -> None:
        """In a forked child: a new lock (another thread of the parent may have held this one at the fork)."""
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __repr__(self) -> str:
        return f"<CalendarCache entries={len(self)} ttl={self._ttl}>"


SHARED_CACHE = CalendarCache()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=SHARED_CACHE._after_fork)
