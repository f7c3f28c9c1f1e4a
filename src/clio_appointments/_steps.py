"""The vocabulary between the operations and the drivers that run them.

An operation (a "flow") is a generator that yields the steps it needs and receives their outcomes; it never does
I/O itself, so each operation is written once for the sync and the async client. A failed call is *sent* back as an
`Outcome` holding the error, never thrown into the generator: each flow decides in plain code what a failure means,
and `Outcome.value()` raises the error at the flow's own line where a failure simply ends the operation.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ._errors import ClioError

__all__ = ["Call", "Flow", "Hold", "JsonBody", "Outcome", "Step"]

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
    """Hold the lock named `name` until the flow ends: one flow at a time per name in this process."""

    name: tuple[str, ...]


Step = Call | Hold


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
