"""Per-token rate limiting in fixed windows, as Clio does it: N requests per window, then 429 until it ends."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Decision", "RateLimiter"]

_PRUNE_AT = 1024


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_epoch: int  # when the window ends, seconds since the epoch (rounded up)
    retry_after: int  # whole seconds until the window ends, at least 1

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_epoch),
        }


class RateLimiter:
    """`limit` requests per `window` seconds for each key; a key's window starts at its first request."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        if limit < 1 or not window > 0:
            raise ValueError("rate limit needs limit >= 1 and window > 0 seconds")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._wall = wall
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, key: str) -> Decision:
        """Count one request for `key` and say whether it may proceed."""
        now = self._clock()
        with self._lock:
            started, used = self._windows.get(key, (now, 0))
            if now - started >= self.window:
                started, used = now, 0
            allowed = used < self.limit
            if allowed:
                used += 1
            self._windows[key] = (started, used)
            if len(self._windows) > _PRUNE_AT:
                self._prune(now)
        left = max(started + self.window - now, 0.0)
        return Decision(
            allowed=allowed,
            limit=self.limit,
            remaining=self.limit - used,
            reset_epoch=math.ceil(self._wall() + left),
            retry_after=max(1, math.ceil(left)),
        )

    def _prune(self, now: float) -> None:
        for key in [k for k, (started, _) in self._windows.items() if now - started >= self.window]:
            del self._windows[key]
