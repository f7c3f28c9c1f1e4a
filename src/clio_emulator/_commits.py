"""Late writes: requests a fault answered first and handles later (commit="late").

Each late write is the real handler run with the original request, kept as a coroutine function. They run on the
emulator's own event-loop thread, whichever loop or thread received the request and whichever thread releases
them, so a write outlives the client's event loop and a test thread can apply it while requests are served. The
store serialises them with every other request under its lock.

A write with a delay is applied that many seconds after its answer went out; one without is held until
`release()`. `close()` (the emulator's `close()`) discards the ones still waiting: a server that stopped before
doing queued work. `stats()` counts them all.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass

import anyio

from ._transport import PortalThread

__all__ = ["LateCommit", "LateCommits"]


@dataclass(eq=False)
class LateCommit:
    """One late write. `apply` handles the request and returns the status the real handler answered."""

    seq: int
    method: str
    path: str
    delay: float | None
    apply: Callable[[], Awaitable[int]]
    state: str = "waiting"  # waiting, applying, applied, failed, discarded
    status: int | None = None


def _count(n: int | None) -> int | None:
    if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 0):
        raise ValueError("n must be a whole number >= 0, or None for all")
    return n


class LateCommits:
    """The late writes waiting for their time; thread-safe."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._waiting: list[LateCommit] = []  # oldest first
        self._applying = 0
        self._scheduled = 0  # writes with a delay not finished yet
        self._done = {"applied": 0, "failed": 0, "discarded": 0}
        self._seq = 0
        self._closed = False
        self._loop_lock = threading.Lock()
        self._loop: PortalThread | None = None

    def _portal(self) -> PortalThread:
        with self._loop_lock:
            if self._closed:
                raise RuntimeError("the emulator is closed; its late writes were discarded")
            if self._loop is None:
                self._loop = PortalThread("clio-emulator-late-commits")
            return self._loop

    def hold(self, method: str, path: str, delay: float | None, apply: Callable[[], Awaitable[int]]) -> LateCommit:
        """Queue a write; with a delay its timer starts at `arm()`, once the answer has gone out."""
        with self._cond:
            self._seq += 1
            item = LateCommit(self._seq, method, path, delay, apply)
            if self._closed:
                item.state = "discarded"
                self._done["discarded"] += 1
                return item
            self._waiting.append(item)
            if delay is not None:
                self._scheduled += 1
            return item

    def arm(self, item: LateCommit) -> None:
        """Start the timer of a write with a delay (no-op for held writes and ones already released)."""
        if item.delay is None or item.state != "waiting":
            return
        with suppress(RuntimeError):  # closed meanwhile: close() discarded it
            self._portal().start_soon(self._later, item)

    async def _later(self, item: LateCommit) -> None:
        assert item.delay is not None
        await anyio.sleep(item.delay)
        with self._cond:
            if item.state != "waiting":
                return
            self._waiting.remove(item)
            item.state = "applying"
            self._applying += 1
        await self._apply(item)

    async def _apply(self, item: LateCommit) -> None:
        status: int | None = None
        try:
            status = await item.apply()
        except Exception:
            status = None
        finally:
            with self._cond:
                item.status = status
                item.state = "applied" if status is not None and status < 400 else "failed"
                self._done[item.state] += 1
                self._applying -= 1
                if item.delay is not None:
                    self._scheduled -= 1
                self._cond.notify_all()

    def _take(self, n: int | None, state: str) -> list[LateCommit]:
        with self._cond:
            count = len(self._waiting) if n is None else min(n, len(self._waiting))
            taken, self._waiting = self._waiting[:count], self._waiting[count:]
            for item in taken:
                item.state = state
            if state == "applying":
                self._applying += len(taken)
            else:
                self._done["discarded"] += len(taken)
                self._scheduled -= sum(1 for item in taken if item.delay is not None)
                self._cond.notify_all()
            return taken

    def release(self, n: int | None = None) -> int:
        """Apply up to `n` (None: all) waiting writes now, held or not yet due, oldest first, one after the other.

        Returns how many were handled (`stats()` tells applied from failed). Blocks until they are; call it from any
        thread but the emulator's own (from async code it blocks the loop briefly, which is safe: the writes run on
        the emulator's thread).
        """
        taken = self._take(_count(n), "applying")
        if not taken:
            return 0
        try:
            portal = self._portal()
        except RuntimeError:  # closed while taking them: they are discarded like the rest
            with self._cond:
                for item in taken:
                    item.state = "discarded"
                self._applying -= len(taken)
                self._done["discarded"] += len(taken)
                self._scheduled -= sum(1 for item in taken if item.delay is not None)
                self._cond.notify_all()
            return 0

        async def apply_in_order() -> None:
            for item in taken:
                await self._apply(item)

        portal.call(apply_in_order)
        return len(taken)

    def discard(self, n: int | None = None) -> int:
        """Drop up to `n` (None: all) waiting writes, oldest first, without applying them; returns how many."""
        return len(self._take(_count(n), "discarded"))

    def settle(self, timeout: float | None = 30.0) -> None:
        """Block until every write with a delay has been applied (held writes are not waited for)."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._scheduled == 0, timeout):
                raise TimeoutError(f"{self._scheduled} late write(s) with a delay still waiting after {timeout} s")

    def pending(self) -> int:
        with self._cond:
            return len(self._waiting) + self._applying

    def stats(self) -> dict[str, int]:
        """pending (held + scheduled + being applied), held (no delay, waiting for release), scheduled (with a delay,
        not applied yet), applied (handled, answered < 400), failed (handled, answered >= 400 or raised), discarded."""
        with self._cond:
            held = sum(1 for item in self._waiting if item.delay is None)
            return {
                "pending": len(self._waiting) + self._applying,
                "held": held,
                "scheduled": self._scheduled,
                **self._done,
            }

    def close(self) -> None:
        """Discard every waiting write and stop the thread; later late writes are discarded as they arrive."""
        with self._loop_lock, self._cond:
            self._closed = True
            loop, self._loop = self._loop, None
        self._take(None, "discarded")
        if loop is not None:
            loop.stop(cancel=True)
