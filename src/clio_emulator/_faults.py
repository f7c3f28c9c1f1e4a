"""Fault injection: make the next matching requests fail, stall, lose their connection, or commit at the wrong time.

A fault matches a request by method (or "*") and path (exact, or a glob such as "*" or
"/api/v4/calendar_entries/*"); it applies to the next `times` matching requests (None: until cleared). One fault
per request: the first matching fault wins. Late writes (commit="late") wait in `Faults.commits` (`LateCommits`).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from fnmatch import fnmatchcase
from typing import Any

from ._commits import LateCommits

__all__ = ["BODY_KINDS", "COMMIT_MODES", "DROP_MODES", "Fault", "Faults"]

DROP_MODES = ("none", "before_commit", "after_commit")
"""A fault's `drop`: answer, or break the connection before or after the write is applied."""
COMMIT_MODES = ("before", "after", "late")
"""A fault's `commit`, the write relative to the answer: never done (`before`), done first (`after`), or done after the
answer, later or when released (`late`)."""
BODY_KINDS = ("clio", "html", "empty")
"""A fault's `body`: Clio's JSON error body, a proxy's `text/html` error page (Cloudflare 52x style), or none."""
_FIELDS = (
    "method",
    "path",
    "status",
    "times",
    "delay",
    "retry_after",
    "drop",
    "commit",
    "commit_delay",
    "answer_delay",
    "body",
)
MAX_DELAY = 600.0


@dataclass(frozen=True)
class Fault:
    """What to do to matching requests.

    The answer (what the client gets instead of the real answer):
    - `drop="before_commit"` or `"after_commit"`: the connection breaks (httpx.RemoteProtocolError); `status` is
      then ignored.
    - otherwise `status` (400-599): that status, with `body` "clio" (Clio's JSON error body, the default), "html" (a
      text/html error page such as a proxy or CDN sends, Cloudflare's 520/524 style) or "empty" (no body), plus
      `Retry-After` when `retry_after` is set.
    - `status=None` (and no drop): no substitute answer; the request is handled and answered for real.

    When the write happens, relative to that answer (`commit`):
    - "before": the answer goes out and the request is never handled (nothing is stored). The default with a
      status, and what `drop="before_commit"` means.
    - "after": the request is handled for real (a create is stored), then the answer replaces the real one. What
      `drop="after_commit"` means, and the default with `status=None`.
    - "late": the answer (a status, or with `drop="before_commit"` a dropped connection) goes out at once, and the
      request is handled later: `commit_delay` seconds after the answer, or, with `commit_delay=None` (the
      default), held until `Faults.release_commits()`. It runs the real handler with the original body.
    `commit=None` (the default) picks the mode the other fields imply. For reads, "after" and "late" only mean the
    request runs before or after the answer; nothing changes in the store either way.

    Timing:
    - `delay`: seconds to wait before anything else (a client timeout during it means nothing was done).
    - `answer_delay`: seconds to wait after the write and before the answer (commit "after" only), so a client
      timeout fires after the write committed.
    """

    method: str = "*"
    path: str = "*"
    status: int | None = 503
    times: int | None = 1
    delay: float = 0.0
    retry_after: int | None = None
    drop: str = "none"
    commit: str | None = None
    commit_delay: float | None = None
    answer_delay: float = 0.0
    body: str = "clio"

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise ValueError("invalid fault: " + "; ".join(problems))
        object.__setattr__(self, "method", self.method.upper())
        object.__setattr__(self, "commit", self.commit or _implied_commit(self))

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

    @property
    def answers_with_status(self) -> bool:
        """True when the client gets `status` (not a dropped connection, not the real answer)."""
        return self.drop == "none" and self.status is not None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _seconds_problem(name: str, value: object) -> str | None:
    if not (isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)):
        return f"{name} must be a number of seconds"
    if not 0 <= value <= MAX_DELAY:
        return f"{name} must be between 0 and {MAX_DELAY:g} seconds"
    return None


def _implied_commit(fault: Fault) -> str:
    if fault.drop == "after_commit" or (fault.drop == "none" and fault.status is None):
        return "after"
    return "before"


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
    for name in ("delay", "answer_delay"):
        problem = _seconds_problem(name, getattr(fault, name))
        if problem:
            problems.append(problem)
    if fault.commit_delay is not None:
        problem = _seconds_problem("commit_delay", fault.commit_delay)
        if problem:
            problems.append(problem + ", or null to hold the write until released")
    if fault.retry_after is not None and not (_is_int(fault.retry_after) and fault.retry_after >= 0):
        problems.append("retry_after must be a whole number of seconds >= 0, or null")
    if fault.drop not in DROP_MODES:
        problems.append(f"drop must be one of {', '.join(DROP_MODES)}")
    if fault.commit is not None and fault.commit not in COMMIT_MODES:
        problems.append(f"commit must be one of {', '.join(COMMIT_MODES)}, or null for the one the fault implies")
    if fault.body not in BODY_KINDS:
        problems.append(f"body must be one of {', '.join(BODY_KINDS)}")
    if not problems:
        problems.extend(_combination_problems(fault))
    return problems


def _combination_problems(fault: Fault) -> list[str]:
    problems = []
    commit = fault.commit or _implied_commit(fault)
    passthrough = fault.drop == "none" and fault.status is None
    if fault.drop == "before_commit" and commit == "after":
        problems.append("commit='after' contradicts drop='before_commit' (use drop='after_commit')")
    if fault.drop == "after_commit" and commit != "after":
        hint = (
            " (for a write applied after the drop, use drop='before_commit', commit='late')" if commit == "late" else ""
        )
        problems.append(
            f"commit={commit!r} contradicts drop='after_commit', which breaks the connection after the write{hint}"
        )
    if passthrough and commit == "before":
        problems.append(
            "commit='before' needs a status or a drop to answer with (with status=null the request is handled)"
        )
    if passthrough and commit == "late":
        problems.append("commit='late' needs a status or drop='before_commit' to answer with before the write")
    if fault.commit_delay is not None and commit != "late":
        problems.append("commit_delay only applies with commit='late'")
    if fault.answer_delay and commit != "after":
        problems.append(
            f"answer_delay waits between the write and the answer, so it needs commit='after' (not {commit!r}); "
            "use delay to wait before the answer"
        )
    if fault.body != "clio" and not fault.answers_with_status:
        problems.append("body only shapes a status answer: it needs a status and drop='none'")
    return problems


class Faults:
    """The emulator's active faults; safe to change from any thread while requests are served.

    `commits` holds the late writes (commit="late"); `pending_commits`, `release_commits`, `discard_commits`,
    `settle` and `commit_stats` are its methods, here for convenience.
    """

    def __init__(self, faults: Iterable[Fault | Mapping[str, Any]] = ()) -> None:
        self._lock = threading.Lock()
        self._active: list[Fault] = []
        self.commits = LateCommits()
        for fault in faults:
            self.add_fault(fault)

    def add(
        self,
        method: str = "*",
        path: str = "*",
        status: int | None = 503,
        times: int | None = 1,
        delay: float = 0.0,
        retry_after: int | None = None,
        drop: str = "none",
        *,
        commit: str | None = None,
        commit_delay: float | None = None,
        answer_delay: float = 0.0,
        body: str = "clio",
    ) -> Fault:
        """Add a fault (see `Fault`) after the ones already active; returns it (with `commit` resolved)."""
        fault = Fault(method, path, status, times, delay, retry_after, drop, commit, commit_delay, answer_delay, body)
        return self.add_fault(fault)

    def add_fault(self, fault: Fault | Mapping[str, Any]) -> Fault:
        """Add a `Fault`, or a mapping of its fields (as the admin endpoint takes), after the active ones."""
        if not isinstance(fault, Fault):
            fault = Fault.from_mapping(fault)
        with self._lock:
            self._active.append(fault)
        return fault

    def clear(self) -> None:
        """Remove every active fault (late writes already waiting stay; see `discard_commits`)."""
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

    # Late writes, delegated to `commits`.

    def pending_commits(self) -> int:
        """Late writes not applied yet (held, scheduled, or being applied right now)."""
        return self.commits.pending()

    def release_commits(self, n: int | None = None) -> int:
        """Apply up to `n` (None: all) waiting late writes now, oldest first; returns how many were applied."""
        return self.commits.release(n)

    def discard_commits(self, n: int | None = None) -> int:
        """Drop up to `n` (None: all) waiting late writes, oldest first, without applying them; returns how many."""
        return self.commits.discard(n)

    def settle(self, timeout: float | None = 30.0) -> None:
        """Wait until every late write with a `commit_delay` has been applied; TimeoutError after `timeout`."""
        self.commits.settle(timeout)

    def commit_stats(self) -> dict[str, int]:
        """Counts of late writes: pending, held, scheduled, applied, failed, discarded."""
        return self.commits.stats()

    def close(self) -> None:
        """Discard the late writes still waiting and stop their thread (the emulator's `close()` calls this)."""
        self.commits.close()
