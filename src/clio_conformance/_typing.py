"""Type aliases for schemathesis's generic classes, for annotations only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from schemathesis import APIOperation, Case

    AnyCase: TypeAlias = Case[Any]
    AnyOperation: TypeAlias = APIOperation[Any, Any, Any, Any]
