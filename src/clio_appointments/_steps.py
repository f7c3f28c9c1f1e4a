"""The vocabulary between the operations and the drivers that run them.

An operation (a "flow") is a generator that yields the steps it needs and receives their outcomes; it never does
I/O itself, so each operation is written once for the sync and the async client. A failed call is *sent* back as an
`Outcome` holding the error, never thrown into the generator: each flow decides in plain code what a failure means,
and `Outcome.value()` raises the error at the flow's own line where a failure simply ends the operation.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._errors import ClioError

if TYPE_CHECKING:
    from ._calendar_cache import CacheKey, CalendarStore

__all__ = ["Call", "Flow", "Forget", "Hold", "JsonBody", "Outcome", "Recall", "Release", "Remember", "Step"]

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Call:
    """One request through the generated client: `endpoint` is its module (sync_detailed / asyncio_detailed);
    `expect` is the model a success answer must parse to (None: any)."""

    endpoint: Any
    kwargs: dict[str, Any]
    method: str
    path: str
    expect: type | None


@dataclass(frozen=True, slots=True)
class Hold:
    """Hold the lock named `name` until the flow ends or releases it: one flow at a time per name in this process,
    and across processes when the call has shared state. Holding a name the flow already holds does nothing."""

    name: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Release:
    """Let go of the lock named `name` before the flow ends (nothing happens if it is not held)."""

    name: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Recall:
    """The calendar id `cache` remembers for `key`, or None. The cache may live in Redis, so reading it is a step the
    driver performs (awaited by the async one), not a call inside the flow."""

    cache: CalendarStore
    key: CacheKey


@dataclass(frozen=True, slots=True)
class Remember:
    """Remember `calendar_id` for `key`."""

    cache: CalendarStore
    key: CacheKey
    calendar_id: int


@dataclass(frozen=True, slots=True)
class Forget:
    """Forget `calendar_id` for `key`, unless another caller has stored a different one since."""

    cache: CalendarStore
    key: CacheKey
    calendar_id: int


Step = Call | Hold | Release | Recall | Remember | Forget


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """What a Call came back with: the parsed answer, or the typed error."""

    answer: T | None = None
    error: ClioError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def value(self) -> T:
        """The answer; the error is raised here when the call failed."""
        if self.error is not None:
            raise self.error
        return self.answer  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class JsonBody:
    """A request body for a generated endpoint, which only ever calls `body.to_dict()`.

    _mapping builds bodies as the exact JSON (the tests check every one against the spec's request schema), so going
    through the attrs request models (from_dict, then to_dict) would only cost time on every create.
    """

    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self.data


Flow = Generator[Step, Any, R]
