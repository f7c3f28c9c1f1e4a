"""What a call carries down to the layers the generated client sits between: its token and its shared state.

The driver opens a scope around each call (as it opens the call's deadline, see _deadline); two readers use it:

- the process-wide pool's httpx clients (see _pool) serve every token, so their auth reads the token of the call in
  progress from here instead of holding one. A request made outside any call has no token and is refused before it
  is sent, never sent with someone else's;
- the pacer registry (see _pacing) hands out the shared (Redis) budget when the call has shared state.

A context variable carries the scope, so threads and asyncio tasks each see only their own call's; it flows down
only, and nothing writes back through it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._shared_state import SharedState

__all__ = ["CallScope", "call_scope", "current_scope"]


@dataclass(frozen=True, slots=True)
class CallScope:
    token: str
    shared: SharedState | None

    def __repr__(self) -> str:
        return f"CallScope(token='***', shared={self.shared!r})"


_CURRENT: ContextVar[CallScope | None] = ContextVar("clio_appointments_call_scope", default=None)


@contextmanager
def call_scope(scope: CallScope) -> Iterator[None]:
    token = _CURRENT.set(scope)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current_scope() -> CallScope | None:
    return _CURRENT.get()
