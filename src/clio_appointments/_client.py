"""ClioCalendar and AsyncClioCalendar: App Connect's five appointment interfaces for one Clio user.

The operations live in _create and _operations as flows (written once, free of I/O); a client holds the settings,
the httpx client with its transport policy, and the driver that runs the flows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeVar

import httpx

from clio_calendar_api import Client

from . import _create, _operations
from ._calendar_cache import cache_key
from ._config import CLIO_API_VERSION, ClientSettings, origin_of, settings_for
from ._deadline import DEFAULT_DEADLINE
from ._drivers import AsyncDriver, SyncDriver
from ._errors import ConfigurationError
from ._http import AsyncUrlCachingClient, UrlCachingClient
from ._responses import BearerAuth, araise_for_status, raise_for_status
from ._shared_state import State, state_for
from ._transport import TransportPolicy, build_async_transport, build_transport
from ._types import (
    AppointmentPatch,
    AppointmentPayload,
    AppointmentRange,
    CancelResult,
    CreateResult,
    ListResult,
    LooseJson,
    UpdateResult,
)

if TYPE_CHECKING:
    from ._pool import Engine

__all__ = ["AsyncClioCalendar", "ClioCalendar"]

T = TypeVar("T")

_USER_AGENT = "clio-appointments"


def _make_policy(max_retries: int) -> TransportPolicy:
    """The transport policy for a client (a seam for tests, which swap in one that does not sleep)."""
    return TransportPolicy(max_retries=max_retries)


def _httpx_options(settings: ClientSettings) -> dict[str, Any]:
    """What the sync and async httpx clients share: where they go, how long they wait, how they authenticate.
    Redirects are never followed, so the token never goes to a host it was not meant for."""
    return {
        "base_url": settings.base_url,
        "timeout": settings.timeout,
        "auth": BearerAuth(settings.token),
        "follow_redirects": False,
        "headers": {"Accept": "application/json", "User-Agent": _USER_AGENT, "X-API-VERSION": settings.api_version},
    }


def _checked_transport(transport: object, expected: type[T], name: str) -> T | None:
    """`transport` typed as `expected` (None stays None); ConfigurationError for anything else."""
    if transport is None:
        return None
    if not isinstance(transport, expected):
        raise ConfigurationError(
            f"transport for {name} must be an httpx.{expected.__name__}, not {type(transport).__name__}"
        )
    return transport


class ClioCalendar:
    """App Connect's appointment interfaces for one Clio user (one token), synchronously.

    `auth_header` is App Connect's `"Bearer <token>"` or the bare token. Requests go to the `region`'s Clio host
    (us, eu, ca, au) or to `base_url` (https, or http on loopback). `transport` (an httpx.BaseTransport) replaces the
    network, for tests or the emulator; the client closes it when it closes. `timeout` bounds each attempt;
    `deadline` bounds a whole call, its retries and waits included. `api_version` is the Clio minor version sent as
    X-API-VERSION (default: the one the spec was written against). `shared_state` shares the pacer's budget, the
    calendar cache and the create locks with other processes through Redis (`"redis://host:6379/0"`; default: the
    CLIO_APPOINTMENTS_REDIS_URL environment variable if set; False: per process whatever it says), see the docs'
    "Running many workers" (docs/workers.md). Failures App Connect shows a person come back as `{"successful": False,
    "returnMessage": ...}`; HTTP and network failures raise ClioError.
    """

    def __init__(
        self,
        auth_header: str,
        *,
        region: str = "us",
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float | httpx.Timeout = 30.0,
        max_retries: int = 2,
        deadline: float = DEFAULT_DEADLINE,
        api_version: str = CLIO_API_VERSION,
        shared_state: str | Literal[False] | None = None,
    ) -> None:
        settings = settings_for(
            auth_header,
            region=region,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
            api_version=api_version,
        )
        transport = _checked_transport(transport, httpx.BaseTransport, "ClioCalendar")
        state = state_for(shared_state)  # checked before anything is opened
        policy = _make_policy(settings.max_retries)
        http = UrlCachingClient(
            transport=build_transport(transport, policy),
            event_hooks={"response": [raise_for_status]},
            **_httpx_options(settings),
        )
        self._settings = settings
        self._account = cache_key(origin_of(settings.base_url), settings.token)
        self._state = state
        self._api = Client(base_url=settings.base_url).set_httpx_client(http)
        self._driver = SyncDriver(self._api, settings, policy, self._state.locks, self._state.shared)

    @classmethod
    def _on_engine(cls, settings: ClientSettings, engine: Engine, state: State) -> ClioCalendar:
        """A client for one call on a shared engine (see _pool): it holds no connections of its own, so it needs no
        closing; the token reaches the engine through the call's scope."""
        self = cls.__new__(cls)
        self._settings = settings
        self._account = cache_key(origin_of(settings.base_url), settings.token)
        self._state = state
        self._api = engine.api
        self._driver = SyncDriver(engine.api, settings, engine.policy, state.locks, state.shared)
        return self

    def __repr__(self) -> str:
        settings = getattr(self, "_settings", None)  # a client whose set-up failed has none
        return f"ClioCalendar(base_url={getattr(settings, 'base_url', None)!r})"

    @property
    def base_url(self) -> str:
        """The origin requests go to: the region's Clio host or the `base_url` given."""
        return self._settings.base_url

    def __enter__(self) -> ClioCalendar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the client's connections (and the transport it was given)."""
        self._api.get_httpx_client().close()

    def list_appointments(
        self, range: AppointmentRange | LooseJson | None = None, *, mine_only: bool = False
    ) -> ListResult:
        """Every appointment that starts in `range` (`{"startDate", "endDate"}`: whole UTC days, inclusive; or
        `{"startTime", "endTime"}`: date-times), all pages; with `mine_only`, only those on calendars the user owns.

        Payload types: `AppointmentPayload`, `AppointmentPatch` and `AppointmentRange` check a dict literal's keys
        under mypy; loose JSON (`dict[str, Any]`, `Any`) is accepted as it is and checked when called."""
        return self._driver.run(_operations.list_appointments(range, mine_only))

    def create_appointment(
        self, payload: AppointmentPayload | LooseJson, *, idempotency_key: str | None = None
    ) -> CreateResult:
        """Create an appointment on the user's writeable calendar; one request once the calendar is known.

        Never stored twice, never lost without a key: see "The create guarantee" in the docs (docs/sdk.md).
        `idempotency_key` (or the payload's `idempotencyKey`) is the caller's key; without one a fresh UUID4 is used,
        and every ClioError raised once the payload was accepted carries it as `idempotency_key`."""
        return self._driver.run(_create.create(self._state.cache, self._account, payload, idempotency_key))

    def update_appointment(self, appointment_id: object, patch: AppointmentPatch | LooseJson) -> UpdateResult:
        """Change only what `patch` names; `contacts` replaces the Contact attendees. The change is applied on
        condition that the entry has not changed since it was read (If-Match)."""
        return self._driver.run(_operations.update(appointment_id, patch))

    def refresh_appointment(self, appointment_id: object) -> UpdateResult:
        """The appointment as Clio has it now."""
        return self._driver.run(_operations.refresh(appointment_id))

    def cancel_appointment(self, appointment_id: object) -> CancelResult:
        """Delete the appointment; one that is already gone is reported, not raised."""
        return self._driver.run(_operations.cancel(appointment_id))


class AsyncClioCalendar:
    """The async twin of ClioCalendar: same arguments (`transport` is an httpx.AsyncBaseTransport), same results."""

    def __init__(
        self,
        auth_header: str,
        *,
        region: str = "us",
        base_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float | httpx.Timeout = 30.0,
        max_retries: int = 2,
        deadline: float = DEFAULT_DEADLINE,
        api_version: str = CLIO_API_VERSION,
        shared_state: str | Literal[False] | None = None,
    ) -> None:
        settings = settings_for(
            auth_header,
            region=region,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
            api_version=api_version,
        )
        transport = _checked_transport(transport, httpx.AsyncBaseTransport, "AsyncClioCalendar")
        state = state_for(shared_state)  # checked before anything is opened
        policy = _make_policy(settings.max_retries)
        http = AsyncUrlCachingClient(
            transport=build_async_transport(transport, policy),
            event_hooks={"response": [araise_for_status]},
            **_httpx_options(settings),
        )
        self._settings = settings
        self._account = cache_key(origin_of(settings.base_url), settings.token)
        self._state = state
        self._api = Client(base_url=settings.base_url).set_async_httpx_client(http)
        self._driver = AsyncDriver(self._api, settings, policy, self._state.locks, self._state.shared)

    @classmethod
    def _on_engine(cls, settings: ClientSettings, engine: Engine, state: State) -> AsyncClioCalendar:
        """See ClioCalendar._on_engine."""
        self = cls.__new__(cls)
        self._settings = settings
        self._account = cache_key(origin_of(settings.base_url), settings.token)
        self._state = state
        self._api = engine.api
        self._driver = AsyncDriver(engine.api, settings, engine.policy, state.locks, state.shared)
        return self

    def __repr__(self) -> str:
        settings = getattr(self, "_settings", None)
        return f"AsyncClioCalendar(base_url={getattr(settings, 'base_url', None)!r})"

    @property
    def base_url(self) -> str:
        """The origin requests go to: the region's Clio host or the `base_url` given."""
        return self._settings.base_url

    async def __aenter__(self) -> AsyncClioCalendar:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client's connections (and the transport it was given)."""
        await self._api.get_async_httpx_client().aclose()

    async def list_appointments(
        self, range: AppointmentRange | LooseJson | None = None, *, mine_only: bool = False
    ) -> ListResult:
        """The async twin of `ClioCalendar.list_appointments`."""
        return await self._driver.run(_operations.list_appointments(range, mine_only))

    async def create_appointment(
        self, payload: AppointmentPayload | LooseJson, *, idempotency_key: str | None = None
    ) -> CreateResult:
        """The async twin of `ClioCalendar.create_appointment`."""
        return await self._driver.run(_create.create(self._state.cache, self._account, payload, idempotency_key))

    async def update_appointment(self, appointment_id: object, patch: AppointmentPatch | LooseJson) -> UpdateResult:
        """The async twin of `ClioCalendar.update_appointment`."""
        return await self._driver.run(_operations.update(appointment_id, patch))

    async def refresh_appointment(self, appointment_id: object) -> UpdateResult:
        """The async twin of `ClioCalendar.refresh_appointment`."""
        return await self._driver.run(_operations.refresh(appointment_id))

    async def cancel_appointment(self, appointment_id: object) -> CancelResult:
        """The async twin of `ClioCalendar.cancel_appointment`."""
        return await self._driver.run(_operations.cancel(appointment_id))
