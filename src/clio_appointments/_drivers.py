"""Run a flow (see _steps): the sync and the async driver, line for line the same but for `await`.

A driver opens the call's deadline and scope (its token and shared state, see _scope), performs each step the flow
yields and sends its outcome back, and holds the locks the flow asks for until the flow releases them or ends. It
never decides anything about Clio: that is the flow's business.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

import httpx

from clio_calendar_api import Client

from ._config import ClientSettings
from ._deadline import call_deadline, current_deadline
from ._errors import ClioError, ClioTimeoutError, ConfigurationError, UnexpectedResponseError
from ._mapping import UnreadableEntry
from ._responses import checked, connection_error, unreadable
from ._scope import CallScope, call_scope
from ._steps import Call, Flow, Forget, Hold, Outcome, Recall, Release, Remember, Step
from ._transport import TransportPolicy

if TYPE_CHECKING:
    from ._shared_state import SharedState

__all__ = ["AsyncDriver", "LockProvider", "SyncDriver"]

Name = tuple[str, ...]


class LockProvider(Protocol):
    """What a driver needs of its locks: _locks.NamedLocks, or _shared_state.SharedLocks."""

    def hold(self, name: Name) -> AbstractContextManager[None]: ...

    def ahold(self, name: Name) -> AbstractAsyncContextManager[None]: ...


def _let_go(held: dict[Name, AbstractContextManager[None]]) -> None:
    """Let go of every lock still held, last taken first, each one even if letting go of another failed."""
    failure: BaseException | None = None
    while held:
        _, lock = held.popitem()
        try:
            lock.__exit__(None, None, None)
        except BaseException as exc:
            failure = failure or exc
    if failure is not None:
        raise failure


async def _alet_go(held: dict[Name, AbstractAsyncContextManager[None]]) -> None:
    failure: BaseException | None = None
    while held:
        _, lock = held.popitem()
        try:
            await lock.__aexit__(None, None, None)
        except BaseException as exc:
            failure = failure or exc
    if failure is not None:
        raise failure


R = TypeVar("R")


def _note_in_flow(flow: Flow[Any], interruption: BaseException) -> None:
    """Something other than a Clio answer ended a step (a cancellation, Ctrl-C, a failure below the SDK's error
    handling): show it to the flow, which may note on it what it knows (a create: the key that settles it). The
    interruption goes on either way."""
    with contextlib.suppress(BaseException):  # the interruption coming back, noted or not: the caller raises it
        flow.throw(interruption)


def _unreadable_entry() -> UnexpectedResponseError:
    return UnexpectedResponseError("Clio's answer has a calendar entry without an id")


class _Driver:
    """What the sync and async drivers hold: the generated client, the settings, the transport policy (for its
    clock), the locks, and the call scope (token and shared state)."""

    def __init__(
        self,
        api: Client,
        settings: ClientSettings,
        policy: TransportPolicy,
        locks: LockProvider,
        shared: SharedState | None = None,
    ) -> None:
        self._api = api
        self._settings = settings
        self._policy = policy
        self._locks = locks
        self._scope = CallScope(settings.token, shared)

    def _error_for(self, exc: Exception, call: Call) -> ClioError | None:
        """The typed error for an exception out of a generated call, or None for one that must surface as itself
        (a bug in a transport is not disguised as an answer from Clio)."""
        if isinstance(exc, ClioError):
            return exc
        if isinstance(exc, httpx.HTTPError):
            # A new error, not chained: the httpx exception holds the request, and with it the token.
            return connection_error(exc, call, self._settings.token)
        return unreadable(exc, call)


class SyncDriver(_Driver):
    def run(self, flow: Flow[R]) -> R:
        held: dict[Name, AbstractContextManager[None]] = {}
        with call_deadline(self._settings.deadline, self._policy.monotonic), call_scope(self._scope):
            outcome: Any = None
            try:
                while True:
                    step = flow.send(outcome)
                    try:
                        outcome = self._step(step, held)
                    except BaseException as interruption:
                        _note_in_flow(flow, interruption)
                        raise
            except StopIteration as stop:
                return cast(R, stop.value)
            except UnreadableEntry:
                raise _unreadable_entry() from None
            finally:
                _let_go(held)

    def _step(self, step: Step, held: dict[Name, AbstractContextManager[None]]) -> Any:
        if isinstance(step, Call):
            return self._perform(step)
        if isinstance(step, Recall):
            return step.cache.get(step.key)
        if isinstance(step, Remember):
            step.cache.put(step.key, step.calendar_id)
        elif isinstance(step, Forget):
            step.cache.discard(step.key, step.calendar_id)
        elif isinstance(step, Hold):
            if step.name not in held:
                lock = self._locks.hold(step.name)
                lock.__enter__()
                held[step.name] = lock
        elif isinstance(step, Release):
            released = held.pop(step.name, None)
            if released is not None:
                released.__exit__(None, None, None)
        return None

    def _perform(self, call: Call) -> Outcome[Any]:
        try:
            response = call.endpoint.sync_detailed(client=self._api, **call.kwargs)
            return Outcome(checked(response.parsed, call))
        except Exception as exc:
            error = self._error_for(exc, call)
            if error is None:
                raise
        return Outcome(error=error)


class AsyncDriver(_Driver):
    _loop: weakref.ref[asyncio.AbstractEventLoop] | None = None

    def _check_loop(self) -> None:
        """An async client's connections belong to the event loop that opened them: on another loop they fail
        mid-request, perhaps after a create was stored. Refuse before anything is sent instead."""
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = weakref.ref(loop)
        elif self._loop() is not loop:
            raise ConfigurationError(
                "an AsyncClioCalendar works on the event loop it was first used on; make one per event loop "
                "(the module-level functions do that for you)"
            )

    async def run(self, flow: Flow[R]) -> R:
        self._check_loop()
        held: dict[Name, AbstractAsyncContextManager[None]] = {}
        with call_deadline(self._settings.deadline, self._policy.monotonic), call_scope(self._scope):
            outcome: Any = None
            try:
                while True:
                    step = flow.send(outcome)
                    try:
                        outcome = await self._step(step, held)
                    except BaseException as interruption:
                        _note_in_flow(flow, interruption)
                        raise
            except StopIteration as stop:
                return cast(R, stop.value)
            except UnreadableEntry:
                raise _unreadable_entry() from None
            finally:
                await _alet_go(held)

    async def _step(self, step: Step, held: dict[Name, AbstractAsyncContextManager[None]]) -> Any:
        if isinstance(step, Call):
            return await self._perform(step)
        if isinstance(step, Recall):
            return await step.cache.aget(step.key)
        if isinstance(step, Remember):
            await step.cache.aput(step.key, step.calendar_id)
        elif isinstance(step, Forget):
            await step.cache.adiscard(step.key, step.calendar_id)
        elif isinstance(step, Hold):
            if step.name not in held:
                lock = self._locks.ahold(step.name)
                await lock.__aenter__()
                held[step.name] = lock
        elif isinstance(step, Release):
            released = held.pop(step.name, None)
            if released is not None:
                await released.__aexit__(None, None, None)
        return None

    async def _perform(self, call: Call) -> Outcome[Any]:
        error: ClioError | None
        deadline = current_deadline()
        # The whole exchange, not only each socket operation: a server that trickles its answer cannot hold the call
        # past its deadline. (The sync driver cannot interrupt a blocking read; there each phase is capped instead.)
        overall = asyncio.timeout(None if deadline is None else max(0.0, deadline.remaining()))
        try:
            async with overall:
                response = await call.endpoint.asyncio_detailed(client=self._api, **call.kwargs)
            return Outcome(checked(response.parsed, call))
        except TimeoutError:
            if not overall.expired() or deadline is None:
                raise
            error = ClioTimeoutError(
                f"the call's deadline of {deadline.seconds:g}s passed during {call.method} {call.path}",
                method=call.method,
                path=call.path,
            )
        except Exception as exc:
            error = self._error_for(exc, call)
            if error is None:
                raise
        return Outcome(error=error)
