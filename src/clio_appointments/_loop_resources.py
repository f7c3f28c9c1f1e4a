"""Objects that belong to one event loop (an httpx.AsyncClient's pool, a redis.asyncio client), one per loop.

An asyncio connection lives in the loop that opened it, so process-wide async resources are really per loop: the
first use in a loop makes that loop's object, and later uses in the same loop get it back. Each is closed when its
loop is finished by `asyncio.run`, `asyncio.Runner` or any runner that calls `loop.shutdown_asyncgens()` (uvicorn,
pytest-asyncio, IsolatedAsyncioTestCase): a suspended async generator, started in the loop, holds the object, and the
loop closes every such generator on its way out. A loop closed without that step (a bare `loop.close()`) leaves its
object to the garbage collector, as it would any connection it left open.
"""

from __future__ import annotations

import asyncio
import os
import threading
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, TypeVar

__all__ = ["LoopResources"]

V = TypeVar("V")


class _Slot(Generic[V]):
    __slots__ = ("finisher", "value")

    def __init__(self, value: V) -> None:
        self.value = value
        self.finisher: AsyncIterator[None] | None = None


class LoopResources(Generic[V]):
    """`make()` once per running loop; `aclose(value)` when that loop shuts down."""

    def __init__(self, make: Callable[[], V], aclose: Callable[[V], Awaitable[None]]) -> None:
        self._make = make
        self._aclose = aclose
        self._guard = threading.Lock()
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Slot[V]] = weakref.WeakKeyDictionary()
        self._inherited: list[V] = []
        if hasattr(os, "register_at_fork"):
            # A forked child has none of its parent's loops running; what they held belongs to the parent.
            os.register_at_fork(after_in_child=self._forget_all)

    async def get(self) -> V:
        """The running loop's object, made on first use."""
        loop = asyncio.get_running_loop()
        slot = self._slots.get(loop)
        if slot is not None:
            return slot.value
        with self._guard:
            slot = self._slots.get(loop)
            if slot is None:
                slot = self._slots[loop] = _Slot(self._make())
                fresh = True
            else:
                fresh = False
        if fresh:
            slot.finisher = self._finisher(loop, slot)
            await slot.finisher.__anext__()  # started in this loop: the loop now closes it when it shuts down
        return slot.value

    async def _finisher(self, loop: asyncio.AbstractEventLoop, slot: _Slot[V]) -> AsyncIterator[None]:
        try:
            yield
        finally:
            with self._guard:
                if self._slots.get(loop) is slot:
                    del self._slots[loop]
            await self._aclose(slot.value)

    async def aclose_current(self) -> None:
        """Close the running loop's object now (a new one is made on next use)."""
        loop = asyncio.get_running_loop()
        with self._guard:
            slot = self._slots.pop(loop, None)
        if slot is not None:
            finisher, slot.finisher = slot.finisher, None
            if finisher is not None:
                await finisher.aclose()  # type: ignore[attr-defined]
            else:
                await self._aclose(slot.value)

    def values(self) -> list[V]:
        with self._guard:
            return [slot.value for slot in self._slots.values()]

    def _forget_all(self) -> None:
        # Kept, never closed: see _pool's `_inherited`.
        self._inherited = [slot.value for slot in self._slots.values()]
        self._guard = threading.Lock()
        self._slots = weakref.WeakKeyDictionary()
