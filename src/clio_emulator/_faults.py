"""Fault injection: make the next matching requests fail, stall, or lose their connection.

A fault matches a request by method (or "*") and path (exact, or a glob such as "*" or
"/api/v4/calendar_entries/*"); it applies to the next `times` matching requests (None: until cleared).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from fnmatch import fnmatchcase
from typing import Any

__all__ = ["DROP_MODES", "Fault", "Faults"]

DROP_MODES = ("none", "before_commit", "after_commit")
_FIELDS = ("method", "path", "status", "times", "delay", "retry_after", "drop")
_MAX_DELAY = 600.0


@dataclass(frozen=True)
class Fault:
    """What to do to matching requests.

    - `delay`: seconds to wait before anything else.
    - `drop="before_commit"`: break the connection without doing the request.
    - `drop="after_commit"`: do the request (a create is stored), then break the connection instead of answering.
    - otherwise `status` (400-599): answer with it and Clio's error body, plus `Retry-After` when `retry_after` is
      set; `status=None` lets the request through (with `delay`, a slow success).
    """

    method: str = "*"
    path: str = "*"
    status: int | None = 503
    times: int | None = 1
    delay: float = 0.0
    retry_after: int | None = None
    drop: str = "none"

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise ValueError("invalid fault: " + "; ".join(problems))
        object.__setattr__(self, "method", self.method.upper())

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Fault:
        unknown = sorted(set(data) - set(_FIELDS))
        if unknown:
            raise ValueError(f"invalid fault: unknown field(s) {', '.join(map(str, unknown))}")
        return cls(**data)

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method.upper())) and (self.path == path or fnmatchcase(path, self.path))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _problems(fault: Fault) -> list[str]:
    problems = []
    if not isinstance(fault.method, str) or not fault.method:
        problems.append("method must be an HTTP method or '*'")
    if not isinstance(fault.path, str) or not fault.path:
        problems.append("path must be a path such as /api/v4/calendar_entries.json, or '*'")
    if fault.status is not None and not (_is_int(fault.status) and 400 <= fault.status <= 599):
        problems.append("status must be an HTTP error status (400-599) or null")
    if fault.times is not None and not (_is_int(fault.times) and fault.times >= 1):
        problems.append("times must be a whole number >= 1, or null for every matching request")
    delay = fault.delay
    if not (isinstance(delay, int | float) and not isinstance(delay, bool) and math.isfinite(delay)):
        problems.append("delay must be a number of seconds")
    elif not 0 <= delay <= _MAX_DELAY:
        problems.append(f"delay must be between 0 and {_MAX_DELAY:g} seconds")
    if fault.retry_after is not None and not (_is_int(fault.retry_after) and fault.retry_after >= 0):
        problems.append("retry_after must be a whole number of seconds >= 0, or null")
    if fault.drop not in DROP_MODES:
        problems.append(f"drop must be one of {', '.join(DROP_MODES)}")
    return problems


class Faults:
    """The emulator's active faults; safe to change from any thread while requests are served."""

    def __init__(self, faults: Iterable[Fault | Mapping[str, Any]] = ()) -> None:
        self._lock = threading.Lock()
        self._active: list[Fault] = []
        for fault in faults:
            self._append(fault if isinstance(fault, Fault) else Fault.from_mapping(fault))

    def add(
        self,
        method: str = "*",
        path: str = "*",
        status: int | None = 503,
        times: int | None = 1,
        delay: float = 0.0,
        retry_after: int | None = None,
        drop: str = "none",
    ) -> Fault:
        """Add a fault (see `Fault`) after the ones already active; returns it."""
        fault = Fault(method, path, status, times, delay, retry_after, drop)
        self._append(fault)
        return fault

    def _append(self, fault: Fault) -> None:
        with self._lock:
            self._active.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._active.clear()

    def active(self) -> list[Fault]:
        """The faults still to fire, with their remaining `times`, oldest first."""
        with self._lock:
            return list(self._active)

    def __len__(self) -> int:
        with self._lock:
            return len(self._active)

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault matching this request, counting it down; None if no fault applies."""
        with self._lock:
            for index, fault in enumerate(self._active):
                if fault.matches(method, path):
                    if fault.times is None:
                        return fault
                    if fault.times == 1:
                        del self._active[index]
                    else:
                        self._active[index] = replace(fault, times=fault.times - 1)
                    return fault
        return None
