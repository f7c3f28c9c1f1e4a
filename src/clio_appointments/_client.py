"""ClioCalendar and AsyncClioCalendar: App Connect's five appointment interfaces on the generated client.

Each operation is written once, as a generator (a "flow") that yields the calls it needs (`_Call`, or `_Sleep` for a
pause) and receives their parsed results, or has the typed ClioError thrown in at the yield. The sync and async
clients only differ in the small driver that performs those steps; validation, mapping, the calendar cache and the
create reconciliation are shared.

Creates are never duplicated and never silently lost: every create carries an idempotency key as an external
property. After an ambiguous failure (5xx, timeout after sending, dropped connection, unreadable success) the flow
looks the key up; an entry that exists is the result. Otherwise, when Clio's application itself answered (500, 503)
the POST is sent again with the same key (within `max_retries`); when the request may still be running behind the
failure (502, 504, timeout, dropped connection) nothing is sent again and the typed error is raised carrying the key,
since a second POST could store the appointment twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Generator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import httpx

from clio_calendar_api import Client
from clio_calendar_api.api.calendar_entries import (
    create_calendar_entry,
    delete_calendar_entry,
    get_calendar_entry,
    list_calendar_entries,
    update_calendar_entry,
)
from clio_calendar_api.api.calendars import list_calendars
from clio_calendar_api.models.calendar_entry import CalendarEntry
from clio_calendar_api.models.calendar_entry_list import CalendarEntryList
from clio_calendar_api.models.calendar_entry_show import CalendarEntryShow
from clio_calendar_api.models.calendar_list import CalendarList
from clio_calendar_api.types import Unset

from ._calendar_cache import SHARED_CACHE, CalendarCache, cache_key
from ._config import ClientSettings, origin_of, settings_for
from ._errors import (
    ClioConnectionError,
    ClioError,
    ClioTimeoutError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
    error_for_status,
    parse_retry_after,
)
from ._http import AsyncUrlCachingClient, UrlCachingClient
from ._mapping import (
    ENTRY_FIELDS,
    IDEMPOTENCY_PROPERTY,
    NO_CALENDAR_MESSAGE,
    NOT_FOUND_MESSAGE,
    STATUS_NOT_SUPPORTED_MESSAGE,
    PayloadError,
    UnreadableEntry,
    appointment_from_entry,
    create_body,
    listed_appointment_from_entry,
    read_appointment_id,
    read_create_payload,
    read_patch,
    read_range,
    update_body,
    warning,
)
from ._transport import TransportPolicy, build_async_transport, build_transport
from ._types import (
    AppointmentResult,
    CancelResult,
    CreateResult,
    ListedAppointment,
    ListResult,
    UpdateResult,
)

__all__ = ["AsyncClioCalendar", "ClioCalendar"]

R = TypeVar("R")
T = TypeVar("T")

_ENTRIES_PATH = "/api/v4/calendar_entries.json"
_ENTRY_PATH = "/api/v4/calendar_entries/{}.json"
_CALENDARS_PATH = "/api/v4/calendars.json"
_PAGE_LIMIT = 200
# A runaway paging loop (a server that never stops handing out pages) ends here instead of exhausting memory.
_MAX_PAGES = 10_000
_USER_AGENT = "clio-appointments"

# The reference connector's calendar lookup: the user's own newest visible writeable calendar, then any.
_CALENDAR_QUERIES: tuple[dict[str, Any], ...] = (
    {"owner": True, "writeable": True, "visible": True, "type_": "UserCalendar", "order": "id(desc)", "limit": 1},
    {"writeable": True, "visible": True, "order": "id(desc)", "limit": 1},
)


@dataclass(frozen=True, slots=True)
class _Call:
    """One request through the generated client: `endpoint` is its module (sync_detailed / asyncio_detailed)."""

    endpoint: Any
    kwargs: dict[str, Any]
    method: str
    path: str
    expect: type | None


@dataclass(frozen=True, slots=True)
class _JsonBody:
    """A request body for a generated endpoint, which only ever calls `body.to_dict()`.

    _mapping builds bodies as the exact JSON (the tests check every one against the spec's request schema), so going
    through the attrs request models (from_dict, then to_dict) would only cost time on every create.
    """

    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self.data


@dataclass(frozen=True, slots=True)
class _Sleep:
    seconds: float


_Step = _Call | _Sleep
Flow = Generator[_Step, Any, R]


def _make_policy(max_retries: int) -> TransportPolicy:
    """The transport policy for a client (a seam for tests, which swap in one that does not sleep)."""
    return TransportPolicy(max_retries=max_retries)


class _BearerAuth(httpx.Auth):
    """Adds `Authorization: Bearer <token>` to every request; its repr never shows the token."""

    __slots__ = ("_header",)

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "<BearerAuth token=***>"


def _status_error(response: httpx.Response) -> ClioError:
    # The path only: queries can carry search text, and hosts are the caller's business.
    return error_for_status(
        response.status_code,
        response.content,
        response.headers,
        method=response.request.method,
        path=response.request.url.path,
    )


# Set by _perform around each call: the response hook marks it once a success response has arrived, so an exception
# raised after that point is known to come from reading Clio's answer, not from sending the request.
_ANSWERED: ContextVar[list[bool] | None] = ContextVar("clio_appointments_answered", default=None)


def _raise_for_status(response: httpx.Response) -> None:
    """Response hook: error statuses become typed errors before the generated client parses anything.

    Redirects are never followed (follow_redirects=False), so a 3xx lands here too and the token stays put.
    """
    if response.status_code >= 300:
        response.read()
        raise _status_error(response)
    _mark_answered()


async def _araise_for_status(response: httpx.Response) -> None:
    if response.status_code >= 300:
        await response.aread()
        raise _status_error(response)
    _mark_answered()


def _mark_answered() -> None:
    answered = _ANSWERED.get()
    if answered is not None:
        answered[0] = True


def _connection_error(exc: httpx.HTTPError, call: _Call, token: str) -> ClioConnectionError:
    """The typed error for an httpx exception; the message is scrubbed of the token just in case."""
    detail = str(exc).replace(token, "***") or type(exc).__name__
    message = f"{type(exc).__name__} on {call.method} {call.path}: {detail}"
    # Only these prove the request never left: nothing could have been created.
    never_sent = isinstance(
        exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout | httpx.UnsupportedProtocol
    )
    cls = ClioTimeoutError if isinstance(exc, httpx.TimeoutException) else ClioConnectionError
    return cls(message, method=call.method, path=call.path, may_have_reached_clio=not never_sent)


def _checked(parsed: object, call: _Call) -> Any:
    if call.expect is not None and not isinstance(parsed, call.expect):
        raise UnexpectedResponseError(
            "Clio's answer is not the documented success response", method=call.method, path=call.path
        )
    return parsed


def _unreadable(call: _Call) -> UnexpectedResponseError:
    return UnexpectedResponseError("Clio's answer could not be read", method=call.method, path=call.path)


def _is_ambiguous(error: ClioError) -> bool:
    """Whether a failed POST may nevertheless have created the entry."""
    if isinstance(error, ClioConnectionError):
        return error.may_have_reached_clio
    return isinstance(error, ServerError | UnexpectedResponseError)


def _may_still_be_running(error: ClioError) -> bool:
    """Whether Clio may still be working on a failed POST, so that a lookup finding nothing proves nothing.

    When Clio's application answered (500, 503, an unreadable success), it is done with the request and the lookup is
    authoritative. A gateway error (502, 504), a timeout after sending or a dropped connection say nothing about the
    request still running behind them: posting again could store the appointment twice.
    """
    if isinstance(error, ClioConnectionError):
        return error.may_have_reached_clio
    return isinstance(error, ServerError) and error.status_code in (502, 504)


def _mark_outcome_unknown(error: ClioError, key: str) -> None:
    """Mark the error of a create that may or may not have been stored with the key that makes a retry safe."""
    error.idempotency_key = key
    error.add_note(
        "The appointment may still be stored by Clio. Create it again with "
        f"idempotency_key={key!r}: that returns it if it was stored, and creates it once if it was not."
    )


def _calendar_refused(error: ClioError) -> bool:
    """Clio's ways of saying the calendar is gone or not writeable any more."""
    if isinstance(error, NotFoundError | PermissionDeniedError):
        return True
    return isinstance(error, ValidationError) and "calendar" in (error.clio_message or "").lower()


def _page_token(page: CalendarEntryList, call: _Call) -> str | None:
    meta = page.meta
    paging = None if isinstance(meta, Unset) else meta.paging
    following = None if paging is None or isinstance(paging, Unset) else paging.next_
    if following is None or isinstance(following, Unset) or following == "":
        return None
    # Only the token is taken from Clio's URL; the request goes to our own base URL, so the token never follows a
    # link to another host.
    page_token: str | None
    try:
        page_token = httpx.URL(following).params.get("page_token")
    except (httpx.InvalidURL, TypeError, ValueError):
        page_token = None
    if not page_token:
        raise UnexpectedResponseError("Clio's next page link has no page_token", method=call.method, path=call.path)
    return page_token


def _created(entry: CalendarEntry) -> CreateResult:
    appointment = appointment_from_entry(entry)
    return {"appointmentId": appointment["id"], "appointment": appointment}


@dataclass(slots=True)
class _Flows:
    """The operations, free of I/O. One per client; it holds the validated settings and the calendar cache."""

    settings: ClientSettings
    policy: TransportPolicy
    cache: CalendarCache = field(default_factory=lambda: SHARED_CACHE)
    key: tuple[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.key = cache_key(origin_of(self.settings.base_url), self.settings.token)

    # -- calendar lookup --------------------------------------------------------------------------------------------

    def _calendar(self) -> Flow[tuple[int | None, bool]]:
        """The writeable calendar id and whether it was just looked up (False: it came from the cache)."""
        cached = self.cache.get(self.key)
        if cached is not None:
            return cached, False
        for query in _CALENDAR_QUERIES:
            page: CalendarList = yield _Call(
                list_calendars, {**query, "fields": "id"}, "GET", _CALENDARS_PATH, CalendarList
            )
            for calendar in page.data:
                calendar_id = calendar.id
                if isinstance(calendar_id, int) and not isinstance(calendar_id, bool) and calendar_id > 0:
                    self.cache.put(self.key, calendar_id)
                    return calendar_id, True
        return None, True

    # -- create ---------------------------------------------------------------------------------------------------

    def _post(self, body: dict[str, Any]) -> _Call:
        return _Call(
            create_calendar_entry,
            {"body": _JsonBody(body), "fields": ENTRY_FIELDS},
            "POST",
            _ENTRIES_PATH,
            CalendarEntryShow,
        )

    def _find_created(self, key: str) -> Flow[CalendarEntry | None]:
        page: CalendarEntryList = yield _Call(
            list_calendar_entries,
            {"external_property_name": IDEMPOTENCY_PROPERTY, "external_property_value": key, "fields": ENTRY_FIELDS},
            "GET",
            _ENTRIES_PATH,
            CalendarEntryList,
        )
        return page.data[0] if page.data else None

    def create(self, payload: object, idempotency_key: object) -> Flow[CreateResult]:
        try:
            new = read_create_payload(payload, idempotency_key)
        except PayloadError as exc:
            return warning(exc.message)
        if new.idempotency_key is not None:
            # The caller's own key may already have made this appointment (a retry after a crash, a resent webhook):
            # then that entry is the answer. A fresh key cannot exist yet, so the common case skips this lookup.
            earlier = yield from self._find_created(new.idempotency_key)
            if earlier is not None:
                return _created(earlier)
        key = new.idempotency_key or str(uuid.uuid4())
        calendar_id, fresh = yield from self._calendar()
        if calendar_id is None:
            return warning(NO_CALENDAR_MESSAGE)
        body = create_body(new, calendar_id, key)
        posts_left = 1 + self.settings.max_retries
        while True:
            posts_left -= 1
            try:
                shown: CalendarEntryShow = yield self._post(body)
                return _created(shown.data)
            except ClioError as exc:
                if _calendar_refused(exc) and not fresh:
                    # The cached calendar went away or lost write access: look it up again and retry once. The
                    # POST was refused outright, so nothing was created.
                    self.cache.discard(self.key, calendar_id)
                    previous = calendar_id
                    calendar_id, fresh = yield from self._calendar()
                    if calendar_id is None:
                        return warning(NO_CALENDAR_MESSAGE)
                    if calendar_id == previous:
                        raise exc
                    body = create_body(new, calendar_id, key)
                    posts_left += 1
                    continue
                if not _is_ambiguous(exc):
                    raise exc
                still_running = _may_still_be_running(exc)
                if still_running:
                    # Give a request still running behind the failure a moment to land before looking for it.
                    yield _Sleep(self._pause(exc, retries_done=0))
                found = yield from self._reconcile(key, exc)
                if found is not None:
                    return _created(found)
                if still_running:
                    _mark_outcome_unknown(exc, key)
                    raise exc
                if posts_left <= 0 or isinstance(exc, UnexpectedResponseError):
                    raise exc
                yield _Sleep(self._pause(exc, retries_done=self.settings.max_retries - posts_left))

    def _reconcile(self, key: str, failure: ClioError) -> Flow[CalendarEntry | None]:
        """After an ambiguous failure: the entry carrying `key`, if Clio has it. A failed lookup re-raises `failure`,
        since whether the entry exists is then unknown."""
        try:
            return (yield from self._find_created(key))
        except ClioError:
            raise failure from None

    def _pause(self, error: ClioError, *, retries_done: int) -> float:
        """How long to wait before posting again: what Clio asked for, else the transport policy's backoff."""
        asked = parse_retry_after(getattr(error, "headers", {}).get("retry-after"))
        if asked is not None and asked <= self.policy.retry_after_cap:
            return asked
        return self.policy.backoff(retries_done)

    # -- read, update, delete ------------------------------------------------------------------------------------------

    def _get(self, entry_id: int) -> _Call:
        return _Call(
            get_calendar_entry,
            {"id": entry_id, "fields": ENTRY_FIELDS},
            "GET",
            _ENTRY_PATH.format(entry_id),
            CalendarEntryShow,
        )

    def refresh(self, appointment_id: object) -> Flow[UpdateResult]:
        try:
            entry_id = read_appointment_id(appointment_id)
        except PayloadError as exc:
            return warning(exc.message)
        return (yield from self._refresh(entry_id))

    def _refresh(self, entry_id: int) -> Flow[UpdateResult]:
        try:
            shown: CalendarEntryShow = yield self._get(entry_id)
        except NotFoundError:
            return warning(NOT_FOUND_MESSAGE)
        result: AppointmentResult = {"appointment": appointment_from_entry(shown.data)}
        return result

    def update(self, appointment_id: object, patch: object) -> Flow[UpdateResult]:
        try:
            entry_id = read_appointment_id(appointment_id)
            changes = read_patch(patch)
        except PayloadError as exc:
            return warning(exc.message)
        if changes.is_empty:
            if changes.names_status:
                return warning(STATUS_NOT_SUPPORTED_MESSAGE)
            # Nothing to change: answer with the appointment as it is, as a refresh would.
            return (yield from self._refresh(entry_id))
        existing: CalendarEntry | None = None
        if changes.needs_existing:
            try:
                current: CalendarEntryShow = yield self._get(entry_id)
            except NotFoundError:
                return warning(NOT_FOUND_MESSAGE)
            existing = current.data
        try:
            body = update_body(changes, existing)
        except PayloadError as exc:
            return warning(exc.message)
        if not body["data"] and existing is not None:
            # The contacts asked for are already the attendees: nothing to send.
            return {"appointment": appointment_from_entry(existing)}
        try:
            shown: CalendarEntryShow = yield _Call(
                update_calendar_entry,
                {"id": entry_id, "body": _JsonBody(body), "fields": ENTRY_FIELDS},
                "PATCH",
                _ENTRY_PATH.format(entry_id),
                CalendarEntryShow,
            )
        except NotFoundError:
            return warning(NOT_FOUND_MESSAGE)
        return {"appointment": appointment_from_entry(shown.data)}

    def cancel(self, appointment_id: object) -> Flow[CancelResult]:
        try:
            entry_id = read_appointment_id(appointment_id)
        except PayloadError as exc:
            failure = warning(exc.message)
            return {"successful": False, "returnMessage": failure["returnMessage"]}
        try:
            yield _Call(delete_calendar_entry, {"id": entry_id}, "DELETE", _ENTRY_PATH.format(entry_id), None)
        except NotFoundError:
            # Gone already (perhaps by an earlier attempt of this very DELETE): the appointment is not there, which is
            # what the caller wanted, so report it rather than raise.
            return {
                "successful": True,
                "returnMessage": {
                    "message": "Appointment not found in Clio; it was already cancelled.",
                    "messageType": "warning",
                    "ttl": 5000,
                },
            }
        return {
            "successful": True,
            "returnMessage": {"message": "Appointment cancelled.", "messageType": "success", "ttl": 3000},
        }

    def list_entries(self, window_spec: object) -> Flow[ListResult]:
        try:
            window = read_range(window_spec)
        except PayloadError as exc:
            return warning(exc.message)
        query: dict[str, Any] = {"fields": ENTRY_FIELDS, "limit": _PAGE_LIMIT}
        if window.start is not None:
            query["from_"] = window.start
        if window.end is not None:
            query["to"] = window.end
        appointments: list[ListedAppointment] = []
        seen: set[str] = set()
        for _ in range(_MAX_PAGES):
            call = _Call(list_calendar_entries, dict(query), "GET", _ENTRIES_PATH, CalendarEntryList)
            page: CalendarEntryList = yield call
            appointments.extend(listed_appointment_from_entry(entry) for entry in page.data)
            token = _page_token(page, call)
            if token is None:
                return {"appointments": appointments}
            if token in seen:
                raise UnexpectedResponseError(
                    "Clio's paging went back to a page already read", method="GET", path=call.path
                )
            seen.add(token)
            query["page_token"] = token
        raise UnexpectedResponseError(
            f"Clio's paging did not end after {_MAX_PAGES} pages", method="GET", path=_ENTRIES_PATH
        )


def _httpx_options(settings: ClientSettings) -> dict[str, Any]:
    """What the sync and async httpx clients share: where they go, how long they wait, how they authenticate.
    Redirects are never followed, so the token never goes to a host it was not meant for."""
    return {
        "base_url": settings.base_url,
        "timeout": settings.timeout,
        "auth": _BearerAuth(settings.token),
        "follow_redirects": False,
        "headers": {"Accept": "application/json", "User-Agent": _USER_AGENT},
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


def _invoke_errors(exc: Exception, call: _Call, token: str, answered: bool) -> ClioError | None:
    """The typed error for an exception out of a generated call, or None to let it propagate unchanged."""
    if isinstance(exc, httpx.HTTPError):
        return _connection_error(exc, call, token)
    if answered:
        # Clio answered with a success status and the generated client could not read the body.
        return _unreadable(call)
    return None


class ClioCalendar:
    """App Connect's appointment interfaces for one Clio user (one token), synchronously.

    `auth_header` is App Connect's `"Bearer <token>"` or the bare token. Requests go to the `region`'s Clio host
    (us, eu, ca, au) or to `base_url` (https, or http on loopback). `transport` (an httpx.BaseTransport) replaces the
    network, for tests or the emulator; the client closes it when it closes. Failures App Connect shows a person
    come back as `{"successful": False, "returnMessage": ...}`; HTTP and network failures raise ClioError.
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
    ) -> None:
        settings = settings_for(auth_header, region=region, base_url=base_url, timeout=timeout, max_retries=max_retries)
        transport = _checked_transport(transport, httpx.BaseTransport, "ClioCalendar")
        policy = _make_policy(settings.max_retries)
        self._flows = _Flows(settings, policy)
        http = UrlCachingClient(
            transport=build_transport(transport, policy),
            event_hooks={"response": [_raise_for_status]},
            **_httpx_options(settings),
        )
        self._api = Client(base_url=settings.base_url).set_httpx_client(http)

    def __repr__(self) -> str:
        return f"ClioCalendar(base_url={self._flows.settings.base_url!r})"

    @property
    def base_url(self) -> str:
        return self._flows.settings.base_url

    def __enter__(self) -> ClioCalendar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._api.get_httpx_client().close()

    def _perform(self, call: _Call) -> Any:
        error: ClioError | None = None
        answered = [False]
        reset = _ANSWERED.set(answered)
        try:
            response = call.endpoint.sync_detailed(client=self._api, **call.kwargs)
        except ClioError:
            raise
        except Exception as exc:
            error = _invoke_errors(exc, call, self._flows.settings.token, answered[0])
            if error is None:
                raise
        finally:
            _ANSWERED.reset(reset)
        # Raised outside the handler so the httpx exception (which holds the request) is not kept as context.
        if error is not None:
            raise error
        return _checked(response.parsed, call)

    def _run(self, flow: Flow[R]) -> R:
        try:
            step = next(flow)
            while True:
                if isinstance(step, _Sleep):
                    self._flows.policy.sleep(step.seconds)
                    step = flow.send(None)
                    continue
                try:
                    result = self._perform(step)
                except ClioError as exc:
                    step = flow.throw(exc)
                else:
                    step = flow.send(result)
        except StopIteration as stop:
            return cast(R, stop.value)
        except UnreadableEntry:
            raise UnexpectedResponseError("Clio's answer has a calendar entry without an id") from None

    def list_appointments(self, range: object = None) -> ListResult:
        """Every appointment in `range` ({"startDate", "endDate"}: whole UTC days, inclusive), all pages."""
        return self._run(self._flows.list_entries(range))

    def create_appointment(self, payload: object, *, idempotency_key: str | None = None) -> CreateResult:
        """Create an appointment on the user's writeable calendar; one request once the calendar is known."""
        return self._run(self._flows.create(payload, idempotency_key))

    def update_appointment(self, appointment_id: object, patch: object) -> UpdateResult:
        """Change only what `patch` names; `contacts` replaces the Contact attendees."""
        return self._run(self._flows.update(appointment_id, patch))

    def refresh_appointment(self, appointment_id: object) -> UpdateResult:
        """The appointment as Clio has it now."""
        return self._run(self._flows.refresh(appointment_id))

    def cancel_appointment(self, appointment_id: object) -> CancelResult:
        """Delete the appointment; one that is already gone is reported, not raised."""
        return self._run(self._flows.cancel(appointment_id))


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
    ) -> None:
        settings = settings_for(auth_header, region=region, base_url=base_url, timeout=timeout, max_retries=max_retries)
        transport = _checked_transport(transport, httpx.AsyncBaseTransport, "AsyncClioCalendar")
        policy = _make_policy(settings.max_retries)
        self._flows = _Flows(settings, policy)
        http = AsyncUrlCachingClient(
            transport=build_async_transport(transport, policy),
            event_hooks={"response": [_araise_for_status]},
            **_httpx_options(settings),
        )
        self._api = Client(base_url=settings.base_url).set_async_httpx_client(http)

    def __repr__(self) -> str:
        return f"AsyncClioCalendar(base_url={self._flows.settings.base_url!r})"

    @property
    def base_url(self) -> str:
        return self._flows.settings.base_url

    async def __aenter__(self) -> AsyncClioCalendar:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._api.get_async_httpx_client().aclose()

    async def _perform(self, call: _Call) -> Any:
        error: ClioError | None = None
        answered = [False]
        reset = _ANSWERED.set(answered)
        try:
            response = await call.endpoint.asyncio_detailed(client=self._api, **call.kwargs)
        except ClioError:
            raise
        except Exception as exc:
            error = _invoke_errors(exc, call, self._flows.settings.token, answered[0])
            if error is None:
                raise
        finally:
            _ANSWERED.reset(reset)
        if error is not None:
            raise error
        return _checked(response.parsed, call)

    async def _run(self, flow: Flow[R]) -> R:
        try:
            step = next(flow)
            while True:
                if isinstance(step, _Sleep):
                    await self._flows.policy.async_sleep(step.seconds)
                    step = flow.send(None)
                    continue
                try:
                    result = await self._perform(step)
                except ClioError as exc:
                    step = flow.throw(exc)
                else:
                    step = flow.send(result)
        except StopIteration as stop:
            return cast(R, stop.value)
        except UnreadableEntry:
            raise UnexpectedResponseError("Clio's answer has a calendar entry without an id") from None

    async def list_appointments(self, range: object = None) -> ListResult:
        return await self._run(self._flows.list_entries(range))

    async def create_appointment(self, payload: object, *, idempotency_key: str | None = None) -> CreateResult:
        return await self._run(self._flows.create(payload, idempotency_key))

    async def update_appointment(self, appointment_id: object, patch: object) -> UpdateResult:
        return await self._run(self._flows.update(appointment_id, patch))

    async def refresh_appointment(self, appointment_id: object) -> UpdateResult:
        return await self._run(self._flows.refresh(appointment_id))

    async def cancel_appointment(self, appointment_id: object) -> CancelResult:
        return await self._run(self._flows.cancel(appointment_id))
