"""Waiting out Clio's rate limit (429 + Retry-After) instead of reporting it as a finding.

Clio allows a token 50 requests a minute, so a run against a real account is mostly waiting; the emulator served
without --rate-limit 0 behaves the same.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import TypeVar

__all__ = ["RateLimitWaits"]

R = TypeVar("R")

_DEFAULT_WAIT = 5.0


class RateLimitWaits:
    """Retries a request after 429, waiting as long as `Retry-After` says (capped); counts the waits."""

    def __init__(
        self, *, sleep: Callable[[float], None] = time.sleep, max_wait: float = 65.0, attempts: int = 4
    ) -> None:
        self._sleep = sleep
        self._max_wait = max_wait
        self._attempts = attempts
        self._lock = threading.Lock()
        self.waits = 0

    def _delay(self, headers: Mapping[str, str]) -> float:
        raw = headers.get("retry-after") or headers.get("Retry-After")
        try:
            seconds = float(raw) if raw is not None else _DEFAULT_WAIT
        except ValueError:
            seconds = _DEFAULT_WAIT
        if not math.isfinite(seconds) or seconds < 0:
            seconds = _DEFAULT_WAIT
        return min(seconds, self._max_wait)

    def send(
        self,
        request: Callable[[], R],
        status: Callable[[R], int],
        headers: Callable[[R], Mapping[str, str]],
    ) -> R:
        """`request()`, again after a wait while it answers 429; the last answer is returned either way."""
        response = request()
        for _ in range(self._attempts - 1):
            if status(response) != 429:
                break
            with self._lock:
                self.waits += 1
            self._sleep(self._delay(headers(response)))
            response = request()
        return response
