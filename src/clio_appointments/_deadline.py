"""One deadline per call: every attempt, pacing wait, Retry-After sleep and backoff of a call fits inside it.

The driver opens a deadline around each call (`call_deadline`); the transport reads it (`current_deadline`) to cap
each attempt's timeouts at what is left and to refuse a wait that would outlast it. A context variable carries it
because the generated client, which sits between the two, has no way to pass it along; it flows down only, and
nothing writes back through it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from ._errors import ClioTimeoutError

__all__ = ["DEFAULT_DEADLINE", "Deadline", "call_deadline", "current_deadline"]

# Long enough for a create that meets a Retry-After of a minute and still looks its key up; short enough that a
# request handler calling the SDK is not held for minutes.
DEFAULT_DEADLINE = 120.0
"""Seconds one call may take in all, its retries and waits included, unless `deadline=` says otherwise (at most
3,600)."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """The moment, on `clock` (monotonic seconds), by which a call must be over."""

    ends_at: float
    seconds: float
    clock: Callable[[], float]

    def remaining(self) -> float:
        return self.ends_at - self.clock()

    def allows(self, wait: float) -> bool:
        """Whether waiting `wait` seconds still leaves time to do something after it."""
        return wait < self.remaining()

    def expired(self, what: str, *, method: str | None = None, path: str | None = None) -> ClioTimeoutError:
        """The error for a call that cannot go on within its deadline; `what` says what would not fit."""
        where = f" on {method} {path}" if method and path else ""
        return ClioTimeoutError(
            f"the call's deadline of {self.seconds:g}s would pass {what}{where}",
            method=method,
            path=path,
            may_have_reached_clio=False,
        )


_CURRENT: ContextVar[Deadline | None] = ContextVar("clio_appointments_deadline", default=None)


@contextmanager
def call_deadline(seconds: float, clock: Callable[[], float]) -> Iterator[Deadline]:
    """Run the body under a deadline `seconds` from now; a deadline already open (a call inside a call) is kept."""
    outer = _CURRENT.get()
    if outer is not None:
        yield outer
        return
    deadline = Deadline(clock() + seconds, seconds, clock)
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)


def current_deadline() -> Deadline | None:
    return _CURRENT.get()
