"""Client-side pacing on Clio's rate-limit headers, shared by every client on one (host, token).

Clio allows about 50 requests a minute per token and reports the budget on every response:
`X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (epoch seconds when the window ends).
A `Pacer` keeps the latest view of that budget and hands out turns:

- while more than half the budget is left, a turn is granted at once: no latency when the budget is plentiful;
- below that, the remaining requests are spread evenly over the time left until the reset, so bulk work slows down
  instead of drawing 429s;
- with none left, callers wait for the reset;
- before the first response, and once a window has run out, only one request (the probe) goes out until its answer
  shows the new window; this costs one round trip per window and makes no assumption about the server's clock.

Turns are counted locally as they are granted, and each answer corrects the count: an answer to turn `n` that reports
`remaining = R` means at most `R - (turns granted after n) - (earlier turns still unanswered)` are left now (an earlier
turn still on its way may reach the server after `n`: sync threads and async tasks overtake each other), and the
answer to the newest turn wins.
A server that sends no rate-limit headers is not paced at all.

Pacers live in a module-level registry keyed on the host and a SHA-256 digest of the Authorization header, so sync
and async clients on one token share one budget. Nothing here keeps the token itself. The lock is a plain
`threading.Lock` held only for arithmetic, never across a sleep or an await, so the event loop is never blocked.

When the call in progress has shared state (see _scope and _shared_state), `pacer_for` hands out the token's budget
in Redis instead, which every process on that Redis draws from, with this process's own pacer standing in while
Redis is unreachable.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from ._scope import current_scope

__all__ = ["BURST_FRACTION", "PROBE_POLL", "Pacer", "PacerLike", "Turn", "clear_pacers", "pacer_for", "read_budget"]

# Below this share of the window's limit, turns are spread instead of granted at once.
BURST_FRACTION = 0.5
# How often a caller waiting on the probe's answer looks again, in seconds.
PROBE_POLL = 0.01
# A reset value below this is read as seconds from now rather than an epoch time (some servers send a delta).
_RELATIVE_RESET_BELOW = 1e9
# Bounded so a long-running multi-tenant process does not grow without limit; the oldest pacer is dropped first.
_REGISTRY_SIZE = 1024


@dataclass(frozen=True, slots=True)
class Turn:
    """The pacer's answer: wait `delay` seconds, then send if `ticket` is set, else ask again."""

    delay: float
    ticket: int | None


@dataclass(frozen=True, slots=True)
class _Budget:
    limit: int | None
    remaining: int
    reset_at: float


def read_budget(headers: Mapping[str, str], now: float) -> _Budget | None:
    """The rate-limit headers of one response (a case-insensitive mapping such as httpx.Headers), or None if they are
    absent or unreadable."""
    raw_remaining = headers.get("x-ratelimit-remaining")
    raw_reset = headers.get("x-ratelimit-reset")
    if raw_remaining is None or raw_reset is None:
        return None
    try:
        remaining = float(raw_remaining)
        reset = float(raw_reset)
    except ValueError:
        return None
    if not (math.isfinite(remaining) and math.isfinite(reset)):
        return None
    if reset < _RELATIVE_RESET_BELOW:
        reset = now + max(0.0, reset)
    limit: int | None = None
    raw_limit = headers.get("x-ratelimit-limit")
    if raw_limit is not None:
        try:
            parsed = float(raw_limit)
        except ValueError:
            parsed = math.nan
        if math.isfinite(parsed) and parsed > 0:
            limit = int(parsed)
    return _Budget(limit=limit, remaining=int(remaining), reset_at=reset)


class Pacer:
    """The request budget of one token on one host. Thread-safe; all times are the caller's clock, in seconds."""

    __slots__ = (
        "_issued",
        "_limit",
        "_lock",
        "_metered",
        "_newest",
        "_next_slot",
        "_outstanding",
        "_probe",
        "_remaining",
        "_reset_at",
    )

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._metered: bool | None = None  # None until a response tells whether the server sends budget headers
        self._limit = 0
        self._remaining = 0
        self._reset_at: float | None = None
        self._issued = 0  # the last ticket handed out
        self._newest = 0  # the ticket whose answer the current budget comes from
        self._probe: int | None = None
        self._next_slot = 0.0
        self._outstanding: set[int] = set()  # granted turns not yet answered

    def __repr__(self) -> str:
        return f"<Pacer remaining={self._remaining} limit={self._limit} reset_at={self._reset_at}>"

    def _issue(self) -> int:
        self._issued += 1
        self._outstanding.add(self._issued)
        return self._issued

    def reserve(self, now: float, max_wait: float) -> Turn:
        """Ask for a turn at `now`. No single wait is longer than `max_wait`."""
        with self._lock:
            if self._reset_at is None or now >= self._reset_at:
                # Cold, or the window is over: one probe at a time until an answer shows the new window.
                if self._metered is False:
                    return Turn(0.0, self._issue())
                if self._probe is None:
                    self._probe = self._issue()
                    return Turn(0.0, self._probe)
                return Turn(min(PROBE_POLL, max_wait), None)
            if self._remaining <= 0:
                return Turn(min(self._reset_at - now, max_wait), None)
            if self._remaining > self._limit * BURST_FRACTION:
                self._remaining -= 1
                return Turn(0.0, self._issue())
            start = max(now, self._next_slot)
            if start >= self._reset_at:
                return Turn(min(self._reset_at - now, max_wait), None)
            # Spread what is left evenly over the time left: `remaining` slots, the first at `start`.
            self._next_slot = start + (self._reset_at - start) / self._remaining
            self._remaining -= 1
            return Turn(min(start - now, max_wait), self._issue())

    def complete(self, ticket: int, headers: Mapping[str, str] | None, now: float) -> None:
        """Record the answer to `ticket`: its response headers, or None if no response came back."""
        budget = read_budget(headers, now) if headers is not None else None
        with self._lock:
            self._outstanding.discard(ticket)
            if self._probe == ticket:
                self._probe = None
            if budget is None:
                if headers is not None and self._metered is None:
                    self._metered = False
                return
            self._metered = True
            if ticket <= self._newest:
                return  # an older answer than the one the budget already reflects
            self._newest = ticket
            self._limit = budget.limit if budget.limit is not None else max(self._limit, budget.remaining + 1)
            self._reset_at = budget.reset_at
            overtaken = sum(1 for other in self._outstanding if other < ticket)
            self._remaining = budget.remaining - (self._issued - ticket) - overtaken

    def release(self, ticket: int) -> None:
        """The turn was not used (cancelled, or failed before sending): let another caller probe."""
        with self._lock:
            self._outstanding.discard(ticket)
            if self._probe == ticket:
                self._probe = None

    # Nothing here waits, so the async twins simply answer (the async transport awaits them; a shared pacer's wait
    # on Redis).

    async def areserve(self, now: float, max_wait: float) -> Turn:
        return self.reserve(now, max_wait)

    async def acomplete(self, ticket: int, headers: Mapping[str, str] | None, now: float) -> None:
        self.complete(ticket, headers, now)


class PacerLike(Protocol):
    """What the transport needs of a pacer: this module's Pacer, or _shared_state.SharedPacer."""

    def reserve(self, now: float, max_wait: float) -> Turn: ...
    def complete(self, ticket: int, headers: Mapping[str, str] | None, now: float) -> None: ...
    async def areserve(self, now: float, max_wait: float) -> Turn: ...
    async def acomplete(self, ticket: int, headers: Mapping[str, str] | None, now: float) -> None: ...


_registry: OrderedDict[tuple[str, str], Pacer] = OrderedDict()
_registry_lock = threading.Lock()


def _local_pacer(origin: str, digest: str) -> Pacer:
    key = (origin, digest)
    with _registry_lock:
        pacer = _registry.get(key)
        if pacer is None:
            pacer = _registry[key] = Pacer()
            if len(_registry) > _REGISTRY_SIZE:
                _registry.popitem(last=False)
        else:
            _registry.move_to_end(key)
        return pacer


def pacer_for(origin: str, authorization: str) -> PacerLike:
    """The pacer for this origin (scheme://host:port) and Authorization header value: the process's own, or, when
    the call in progress has shared state, the budget in Redis that every process shares."""
    digest = hashlib.sha256(authorization.encode("utf-8", "surrogatepass")).hexdigest()
    local = _local_pacer(origin, digest)
    scope = current_scope()
    if scope is None or scope.shared is None:
        return local
    return scope.shared.pacer(origin, digest, local)


def clear_pacers() -> None:
    """Forget every budget in this process (tests, or after rotating tokens)."""
    with _registry_lock:
        _registry.clear()


def _after_fork() -> None:
    # A forked child starts with budgets of its own (its parent's turns in flight are not its to answer), and with a
    # lock nobody can be holding.
    global _registry_lock
    _registry_lock = threading.Lock()
    _registry.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)
