"""Run a flow (see _steps): the sync and the async driver, line for line the same but for `await`.

A driver opens the call's deadline, performs each step the flow yields and sends its outcome back, and holds the
locks the flow asks for until the flow ends. It never decides anything about Clio: that is the flow's business.
"""

from __future__ import annotations

from contextlib import AsyncExitStack, ExitStack
from typing import Any, TypeVar, cast

import httpx

from clio_calendar_api import Client

from ._config import ClientSettings
from ._deadline import call_deadline
from ._errors import ClioError, UnexpectedResponseError
from ._locks import NamedLocks
from ._mapping import UnreadableEntry
from ._responses import checked, connection_error, unreadable
from ._steps import Call, Flow, Hold, Outcome, Step
from ._transport import TransportPolicy

__all__ = ["AsyncDriver", "SyncDriver"]

R = TypeVar("R")


def _unreadable_entry() -> UnexpectedResponseError:
    return UnexpectedResponseError("Clio's answer has a calendar entry without an id")


class SyncDriver:
    def __init__(self, api: Client, settings: ClientSettings, policy: TransportPolicy, locks: NamedLocks) -> None:
        self._api = api
        self._settings = settings
        self._policy = policy
        self._locks = locks

    def run(self, flow: Flow[R]) -> R:
        with call_deadline(self._settings.deadline, self._policy.monotonic), ExitStack() as held:
            outcome: Any = None
            try:
                while True:
                    step = flow.send(outcome)
                    outcome = self._step(step, held)
            except StopIteration as stop:
                return cast(R, stop.value)
            except UnreadableEntry:
                raise _unreadable_entry() from None

    def _step(self, step: Step, held: ExitStack) -> Outcome[Any] | None:
        if isinstance(step, Hold):
            held.enter_context(self._locks.hold(step.name))
            return None
        return self._perform(step)

    def _perform(self, call: Call) -> Outcome[Any]:
        error: ClioError
        try:
            response = call.endpoint.sync_detailed(client=self._api, **call.kwargs)
            return Outcome(checked(response.parsed, call))
        except ClioError as exc:
            error = exc
        except httpx.HTTPError as exc:
            # A new error, not chained: the httpx exception holds the request, and with it the token.
            error = connection_error(exc, call, self._settings.token)
        except Exception as exc:
            unread = unreadable(exc, call)
            if unread is None:
                raise
            error = unread
        return Outcome(error=error)


class AsyncDriver:
    def __init__(self, api: Client, settings: ClientSettings, policy: TransportPolicy, locks: NamedLocks) -> None:
        self._api = api
        self._settings = settings
        self._policy = policy
        self._locks = locks

    async def run(self, flow: Flow[R]) -> R:
        with call_deadline(self._settings.deadline, self._policy.monotonic):
            async with AsyncExitStack() as held:
                outcome: Any = None
                try:
                    while True:
                        step = flow.send(outcome)
                        outcome = await self._step(step, held)
                except StopIteration as stop:
                    return cast(R, stop.value)
                except UnreadableEntry:
                    raise _unreadable_entry() from None

    async def _step(self, step: Step, held: AsyncExitStack) -> Outcome[Any] | None:
        if isinstance(step, Hold):
            await held.enter_async_context(self._locks.ahold(step.name))
            return None
        return await self._perform(step)

    async def _perform(self, call: Call) -> Outcome[Any]:
        error: ClioError
        try:
            response = await call.endpoint.asyncio_detailed(client=self._api, **call.kwargs)
            return Outcome(checked(response.parsed, call))
        except ClioError as exc:
            error = exc
        except httpx.HTTPError as exc:
            error = connection_error(exc, call, self._settings.token)
        except Exception as exc:
            unread = unreadable(exc, call)
            if unread is None:
                raise
            error = unread
        return Outcome(error=error)
