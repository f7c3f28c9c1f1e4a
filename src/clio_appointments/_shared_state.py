"""State shared by every process on one Redis: the pacer's budget per token, the calendar cache and the named locks.

Turned on with `shared_state="redis://..."` on a client or a module-level call, or for every call by the environment
variable CLIO_APPOINTMENTS_REDIS_URL (needs the `redis` extra). What lives in Redis, all under `clio-appointments:v1:`:

- `calendar:<digest>`: the writeable calendar id of one (host, token), expiring with the cache's TTL. Reads look in
  the process's own cache first, so a warm create touches neither Redis nor Clio twice;
- `lock:<digest>`: a named lock (the create guarantee's per-key lock, the single-flight calendar lookup), held with
  a lease as long as the holder's call may still run (its deadline, plus 5 s), so a crashed holder cannot block it
  for longer. A caller takes the process's own lock first and then the Redis one: callers in one process queue on
  the cheap local lock and only one of them polls Redis, and with Redis gone the local lock still orders the
  process (what it did before shared state existed);
- `pace:{<digest>}:budget` and `:turns`: the pacer's view of Clio's rate-limit window for one token (see _pacing:
  the same rules, run atomically as Lua scripts, so every process draws from one budget). Turns are leased too: a
  process that dies holding one frees it when its lease ends.

Every digest is a SHA-256 over the host and the token's own digest (or the lock's name): no key or value holds a
token. Keys expire (calendar: the cache TTL; locks: their lease; budget: 10 minutes after last use).

Redis being down, slow or refusing never fails a call: the operation falls back to the process's own state, a
warning is logged once per outage, and Redis is tried again after `retry_interval` seconds (one caller at a time).
The client's timeouts are short (0.5 s) and it does not retry by itself; tune them in the URL
(`?socket_timeout=0.2&socket_connect_timeout=0.2`).
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import logging
import math
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypeVar
from urllib.parse import urlsplit, urlunsplit

from ._calendar_cache import SHARED_CACHE, CacheKey, CalendarCache, CalendarStore
from ._deadline import current_deadline
from ._errors import ConfigurationError
from ._locks import SHARED_LOCKS, NamedLocks
from ._loop_resources import LoopResources
from ._pacing import BURST_FRACTION, PROBE_POLL, Pacer, Turn, read_budget

if TYPE_CHECKING:
    from collections.abc import Awaitable, Mapping

    from ._drivers import LockProvider

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "LOCAL_STATE",
    "SharedCalendarCache",
    "SharedLocks",
    "SharedPacer",
    "SharedState",
    "State",
    "state_for",
]

logger = logging.getLogger("clio_appointments.shared_state")

ENVIRONMENT_VARIABLE = "CLIO_APPOINTMENTS_REDIS_URL"
PREFIX = "clio-appointments:v1:"
SCHEMES = ("redis", "rediss", "unix")
DEFAULT_TIMEOUT = 0.5
DEFAULT_RETRY_INTERVAL = 10.0
# A lock is leased for as long as its holder's call may run, plus this margin.
LOCK_LEASE_MARGIN = 5.0
# Pacing state nobody has touched for this long is dropped.
PACE_IDLE_MS = 600_000
# Without a deadline to go by (not inside a call), how long a turn or a lock is leased for.
DEFAULT_LEASE = 60.0
_POLL_FIRST = 0.002
_POLL_MAX = 0.05
_MAX_PACERS = 1024

T = TypeVar("T")


class _Down:
    """What an operation returns when Redis could not be used: fall back to the process's own state."""

    def __repr__(self) -> str:
        return "DOWN"


DOWN: Final = _Down()


# -- Lua: each runs atomically in Redis ------------------------------------------------------------------------------

_COMPARE_AND_DELETE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

# The pacer's `reserve` (see _pacing.Pacer.reserve), over a hash (KEYS[1]) and the turns not yet answered (KEYS[2], a
# sorted set: member = ticket, score = when its lease ends). Returns {delay, ticket}; ticket -1 means "ask again".
_RESERVE = """
local h, z = KEYS[1], KEYS[2]
local now, max_wait, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local poll, burst, idle = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local function num(field, default)
  local v = redis.call('HGET', h, field)
  if v then return tonumber(v) end
  return default
end
local function f(x) return string.format('%.6f', x) end
local function done(delay, ticket)
  redis.call('PEXPIRE', h, idle)
  redis.call('PEXPIRE', z, idle)
  return {f(delay), tostring(ticket)}
end
local function issue()
  local t = redis.call('HINCRBY', h, 'issued', 1)
  redis.call('ZADD', z, f(now + lease), t)
  return t
end
redis.call('ZREMRANGEBYSCORE', z, '-inf', f(now))
local reset_at = num('reset_at', nil)
if reset_at == nil or now >= reset_at then
  if redis.call('HGET', h, 'metered') == '0' then return done(0, issue()) end
  if num('probe_until', 0) <= now then
    local t = issue()
    redis.call('HSET', h, 'probe', t, 'probe_until', f(now + lease))
    return done(0, t)
  end
  return done(math.min(poll, max_wait), -1)
end
local remaining, limit = num('remaining', 0), num('limit', 0)
if remaining <= 0 then return done(math.min(reset_at - now, max_wait), -1) end
if remaining > limit * burst then
  redis.call('HSET', h, 'remaining', remaining - 1)
  return done(0, issue())
end
local start = math.max(now, num('next_slot', 0))
if start >= reset_at then return done(math.min(reset_at - now, max_wait), -1) end
redis.call('HSET', h, 'next_slot', f(start + (reset_at - start) / remaining), 'remaining', remaining - 1)
return done(math.min(start - now, max_wait), issue())
"""

# The pacer's `complete`: ARGV = ticket, answered (1/0), has budget (1/0), remaining, reset_at, limit ('' if none).
_COMPLETE = """
local h, z = KEYS[1], KEYS[2]
local ticket = tonumber(ARGV[1])
redis.call('ZREM', z, ARGV[1])
local function num(field, default)
  local v = redis.call('HGET', h, field)
  if v then return tonumber(v) end
  return default
end
if num('probe', 0) == ticket then redis.call('HSET', h, 'probe_until', '0') end
if ARGV[3] ~= '1' then
  if ARGV[2] == '1' and redis.call('HEXISTS', h, 'metered') == 0 then redis.call('HSET', h, 'metered', '0') end
  return 0
end
redis.call('HSET', h, 'metered', '1')
if ticket <= num('newest', 0) then return 0 end
local remaining = tonumber(ARGV[4])
local limit = num('limit', 0)
if ARGV[6] ~= '' then limit = tonumber(ARGV[6]) else limit = math.max(limit, remaining + 1) end
local overtaken = 0
for _, member in ipairs(redis.call('ZRANGE', z, 0, -1)) do
  if tonumber(member) < ticket then overtaken = overtaken + 1 end
end
local issued = num('issued', 0)
redis.call('HSET', h, 'newest', ticket, 'limit', limit, 'reset_at', ARGV[5],
  'remaining', remaining - (issued - ticket) - overtaken)
return 1
"""


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def redact(url: str) -> str:
    """The URL without its password, for logs and reprs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _check_url(url: str) -> str:
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise ConfigurationError("shared_state URL contains whitespace or control characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError as exc:
        raise ConfigurationError(f"shared_state is not a valid URL: {exc}") from None
    if parts.scheme not in SCHEMES:
        raise ConfigurationError(
            f"shared_state must be a Redis URL ({', '.join(s + '://' for s in SCHEMES)}), got {redact(url)!r}"
        )
    return url


def _lease_and_patience() -> tuple[float, float]:
    """(seconds a lock or turn taken now is leased for, seconds a caller may wait for a lock), from the call's
    deadline: a lease lasts as long as the holder's call may, and a waiter gives up halfway through its own."""
    deadline = current_deadline()
    remaining = deadline.remaining() if deadline is not None else DEFAULT_LEASE
    remaining = max(0.0, remaining)
    return remaining + LOCK_LEASE_MARGIN, remaining / 2


class _Breaker:
    """Whether to use Redis now. After a failure, Redis is skipped for `retry_interval` seconds; then one caller
    tries again while the others keep skipping it. A warning is logged when an outage starts, another when it ends."""

    def __init__(self, where: str, retry_interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._where = where
        self._retry_interval = retry_interval
        self._clock = clock
        self._lock = threading.Lock()
        self._down = False
        self._retry_at = 0.0
        self.failures = 0

    @property
    def down(self) -> bool:
        return self._down

    def allows(self) -> bool:
        if not self._down:
            return True
        with self._lock:
            now = self._clock()
            if not self._down or now >= self._retry_at:
                self._retry_at = now + self._retry_interval  # this caller tries; the others wait for its outcome
                return True
            return False

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            self.failures += 1
            started = not self._down
            self._down = True
            self._retry_at = self._clock() + self._retry_interval
        if started:
            logger.warning(
                "Redis at %s is unavailable (%s: %s); pacing, the calendar cache and create locks are per process "
                "until it is back (next try in %gs)",
                self._where,
                type(exc).__name__,
                exc,
                self._retry_interval,
            )

    def succeeded(self) -> None:
        if self._down:
            with self._lock:
                ended = self._down
                self._down = False
            if ended:
                logger.warning("Redis at %s is reachable again; shared state resumed", self._where)

    def _after_fork(self) -> None:
        self._lock = threading.Lock()


class SharedState:
    """One Redis, shared by every client and call in this process that names it (see `state_for`)."""

    def __init__(self, url: str, *, retry_interval: float | None = None) -> None:
        url = _check_url(url)
        try:
            import redis
            import redis.asyncio
            from redis.backoff import NoBackoff
        except ImportError:
            raise ConfigurationError(
                "shared_state needs the redis client library: pip install 'clio-appointments[redis]'"
            ) from None
        self.url = redact(url)
        self._raw_url = url
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError, asyncio.TimeoutError)
        options: dict[str, Any] = {
            "socket_timeout": DEFAULT_TIMEOUT,
            "socket_connect_timeout": DEFAULT_TIMEOUT,
            "health_check_interval": 30,
        }
        try:
            self._sync = redis.Redis.from_url(url, retry=redis.retry.Retry(NoBackoff(), 0), **options)
        except ValueError as exc:
            raise ConfigurationError(f"shared_state is not a usable Redis URL: {exc}") from None
        import redis.asyncio.retry

        def make_async() -> Any:
            return redis.asyncio.Redis.from_url(url, retry=redis.asyncio.retry.Retry(NoBackoff(), 0), **options)

        async def close_async(client: Any) -> None:
            with suppress(*self._errors):
                await client.aclose()

        self._async: LoopResources[Any] = LoopResources(make_async, close_async)
        self._breaker = _Breaker(self.url, DEFAULT_RETRY_INTERVAL if retry_interval is None else retry_interval)
        self._scripts: dict[tuple[bool, str], Any] = {}
        self._pacers: OrderedDict[tuple[str, str], SharedPacer] = OrderedDict()
        self._guard = threading.Lock()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._after_fork)

    def __repr__(self) -> str:
        return f"<SharedState {self.url}{' (down)' if self._breaker.down else ''}>"

    @property
    def down(self) -> bool:
        """Whether the last use of Redis failed (calls are on per-process state until it is back)."""
        return self._breaker.down

    # -- running operations: Redis, or DOWN --------------------------------------------------------------------------

    def _script(self, client: Any, source: str, keys: list[str], args: list[Any]) -> Any:
        """Run the Lua `source` on `client` (EVALSHA, loading it first if Redis does not know it yet). One script
        object per source and kind of client, always given the client to run on: an event loop's client may be gone
        and its id taken by another."""
        asynchronous = client is not self._sync
        script = self._scripts.get((asynchronous, source))
        if script is None:
            script = self._scripts[(asynchronous, source)] = client.register_script(source)
        return script(keys=keys, args=args, client=client)

    def _run(self, operation: Callable[[Any], T]) -> T | _Down:
        if not self._breaker.allows():
            return DOWN
        try:
            result = operation(self._sync)
        except self._errors as exc:
            self._breaker.failed(exc)
            return DOWN
        self._breaker.succeeded()
        return result

    async def _arun(self, operation: Callable[[Any], Awaitable[T]]) -> T | _Down:
        if not self._breaker.allows():
            return DOWN
        try:
            client = await self._async.get()
            result = await operation(client)
        except self._errors as exc:
            self._breaker.failed(exc)
            return DOWN
        self._breaker.succeeded()
        return result

    # -- values ------------------------------------------------------------------------------------------------------

    def get_int(self, key: str) -> int | _Down | None:
        return _as_int(self._run(lambda client: client.get(key)))

    async def aget_int(self, key: str) -> int | _Down | None:
        return _as_int(await self._arun(lambda client: client.get(key)))

    def put_int(self, key: str, value: int, ttl: float) -> None:
        self._run(lambda client: client.set(key, value, px=max(1, int(ttl * 1000))))

    async def aput_int(self, key: str, value: int, ttl: float) -> None:
        await self._arun(lambda client: client.set(key, value, px=max(1, int(ttl * 1000))))

    def delete_if(self, key: str, value: str) -> None:
        self._run(lambda client: self._script(client, _COMPARE_AND_DELETE, [key], [value]))

    async def adelete_if(self, key: str, value: str) -> None:
        await self._arun(lambda client: self._script(client, _COMPARE_AND_DELETE, [key], [value]))

    # -- locks -------------------------------------------------------------------------------------------------------

    def lock(self, key: str) -> str | None:
        """Take the lock `key`: its owner token, or None when it could not be had (Redis down, or waited too long)."""
        lease, patience = _lease_and_patience()
        owner = secrets.token_hex(16)
        give_up_at = time.monotonic() + patience
        pause = _POLL_FIRST
        while True:
            taken = self._run(lambda client: client.set(key, owner, nx=True, px=max(1, int(lease * 1000))))
            if taken is DOWN:
                return None
            if taken:
                return owner
            if time.monotonic() + pause > give_up_at:
                _gave_up(key)
                return None
            time.sleep(pause)
            pause = min(pause * 2, _POLL_MAX)

    async def alock(self, key: str) -> str | None:
        lease, patience = _lease_and_patience()
        owner = secrets.token_hex(16)
        give_up_at = time.monotonic() + patience
        pause = _POLL_FIRST
        while True:
            taken = await self._arun(lambda client: client.set(key, owner, nx=True, px=max(1, int(lease * 1000))))
            if taken is DOWN:
                return None
            if taken:
                return owner
            if time.monotonic() + pause > give_up_at:
                _gave_up(key)
                return None
            await asyncio.sleep(pause)
            pause = min(pause * 2, _POLL_MAX)

    # -- the pacer's budget ------------------------------------------------------------------------------------------

    def pacer(self, origin: str, digest: str, local: Pacer) -> SharedPacer:
        key = (origin, digest)
        with self._guard:
            pacer = self._pacers.get(key)
            if pacer is None or pacer.local is not local:
                pacer = self._pacers[key] = SharedPacer(self, _digest(origin, digest), local)
                if len(self._pacers) > _MAX_PACERS:
                    self._pacers.popitem(last=False)
            else:
                self._pacers.move_to_end(key)
            return pacer

    def reserve(self, keys: list[str], now: float, max_wait: float, lease: float) -> tuple[float, int] | _Down:
        args = [repr(now), repr(max_wait), repr(lease), repr(PROBE_POLL), repr(BURST_FRACTION), PACE_IDLE_MS]
        return _as_turn(self._run(lambda client: self._script(client, _RESERVE, keys, args)))

    async def areserve(self, keys: list[str], now: float, max_wait: float, lease: float) -> tuple[float, int] | _Down:
        args = [repr(now), repr(max_wait), repr(lease), repr(PROBE_POLL), repr(BURST_FRACTION), PACE_IDLE_MS]
        return _as_turn(await self._arun(lambda client: self._script(client, _RESERVE, keys, args)))

    def complete(self, keys: list[str], args: list[str]) -> None:
        self._run(lambda client: self._script(client, _COMPLETE, keys, args))

    async def acomplete(self, keys: list[str], args: list[str]) -> None:
        await self._arun(lambda client: self._script(client, _COMPLETE, keys, args))

    # -- life cycle --------------------------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the sync connections (at exit; a later use opens new ones)."""
        with suppress(*self._errors):
            self._sync.close()

    async def aclose_current_loop(self) -> None:
        await self._async.aclose_current()

    def _after_fork(self) -> None:
        # redis-py's own pool notices the new pid and opens new connections; only our locks need renewing.
        self._guard = threading.Lock()
        self._breaker._after_fork()


def _gave_up(key: str) -> None:
    logger.warning(
        "Gave up waiting for the shared lock %s (held by another process for too long); going on under the "
        "per-process lock. The create guarantee still holds: duplicates are found and removed by their key.",
        key,
    )


def _as_int(value: object) -> int | _Down | None:
    if isinstance(value, _Down) or value is None:
        return value
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def _as_turn(value: object) -> tuple[float, int] | _Down:
    if isinstance(value, _Down):
        return value
    pair: Any = value
    return float(pair[0]), int(pair[1])


# -- the three things calls share ------------------------------------------------------------------------------------


class SharedCalendarCache:
    """The process's calendar cache with Redis under it: read here first, then Redis; written to both."""

    def __init__(self, local: CalendarCache, shared: SharedState) -> None:
        self.local = local
        self.shared = shared

    @staticmethod
    def redis_key(key: CacheKey) -> str:
        return f"{PREFIX}calendar:{_digest(*key)}"

    def get(self, key: CacheKey) -> int | None:
        found = self.local.get(key)
        if found is not None:
            return found
        stored = self.shared.get_int(self.redis_key(key))
        if isinstance(stored, int) and stored > 0:
            self.local.put(key, stored)
            return stored
        return None

    async def aget(self, key: CacheKey) -> int | None:
        found = self.local.get(key)
        if found is not None:
            return found
        stored = await self.shared.aget_int(self.redis_key(key))
        if isinstance(stored, int) and stored > 0:
            self.local.put(key, stored)
            return stored
        return None

    def put(self, key: CacheKey, calendar_id: int) -> None:
        self.local.put(key, calendar_id)
        self.shared.put_int(self.redis_key(key), calendar_id, self.local.ttl)

    async def aput(self, key: CacheKey, calendar_id: int) -> None:
        self.local.put(key, calendar_id)
        await self.shared.aput_int(self.redis_key(key), calendar_id, self.local.ttl)

    def discard(self, key: CacheKey, calendar_id: int) -> None:
        self.local.discard(key, calendar_id)
        self.shared.delete_if(self.redis_key(key), str(calendar_id))

    async def adiscard(self, key: CacheKey, calendar_id: int) -> None:
        self.local.discard(key, calendar_id)
        await self.shared.adelete_if(self.redis_key(key), str(calendar_id))


class SharedLocks:
    """The process's named locks, then a Redis lock of the same name (see the module's docstring for why both)."""

    def __init__(self, local: NamedLocks, shared: SharedState) -> None:
        self.local = local
        self.shared = shared

    @staticmethod
    def redis_key(name: tuple[str, ...]) -> str:
        return f"{PREFIX}lock:{_digest(*name)}"

    @contextmanager
    def hold(self, name: tuple[str, ...]) -> Iterator[None]:
        with self.local.hold(name):
            key = self.redis_key(name)
            owner = self.shared.lock(key)
            try:
                yield
            finally:
                if owner is not None:
                    self.shared.delete_if(key, owner)

    @asynccontextmanager
    async def ahold(self, name: tuple[str, ...]) -> AsyncIterator[None]:
        async with self.local.ahold(name):
            key = self.redis_key(name)
            owner = await self.shared.alock(key)
            try:
                yield
            finally:
                if owner is not None:
                    await self.shared.adelete_if(key, owner)


class SharedPacer:
    """A token's budget in Redis, with the process's own Pacer (`local`) standing in while Redis is down. Turns the
    local pacer hands out are negative tickets, so each answer goes back to whoever gave its turn."""

    __slots__ = ("_keys", "_shared", "local")

    def __init__(self, shared: SharedState, digest: str, local: Pacer) -> None:
        self._shared = shared
        self._keys = [f"{PREFIX}pace:{{{digest}}}:budget", f"{PREFIX}pace:{{{digest}}}:turns"]
        self.local = local

    def __repr__(self) -> str:
        return f"<SharedPacer {self._shared.url}>"

    @staticmethod
    def _lease() -> float:
        deadline = current_deadline()
        remaining = deadline.remaining() if deadline is not None else DEFAULT_LEASE
        return min(max(remaining, 0.0) + 1.0, 600.0)

    def _local_turn(self, now: float, max_wait: float) -> Turn:
        turn = self.local.reserve(now, max_wait)
        return Turn(turn.delay, None if turn.ticket is None else -turn.ticket)

    def reserve(self, now: float, max_wait: float) -> Turn:
        got = self._shared.reserve(self._keys, now, max_wait, self._lease())
        if isinstance(got, _Down):
            return self._local_turn(now, max_wait)
        delay, ticket = got
        return Turn(delay, ticket if ticket > 0 else None)

    async def areserve(self, now: float, max_wait: float) -> Turn:
        got = await self._shared.areserve(self._keys, now, max_wait, self._lease())
        if isinstance(got, _Down):
            return self._local_turn(now, max_wait)
        delay, ticket = got
        return Turn(delay, ticket if ticket > 0 else None)

    @staticmethod
    def _answer(ticket: int, headers: Mapping[str, str] | None, now: float) -> list[str]:
        budget = read_budget(headers, now) if headers is not None else None
        if budget is None:
            return [str(ticket), "1" if headers is not None else "0", "0", "0", "0", ""]
        limit = "" if budget.limit is None else str(budget.limit)
        reset_at = repr(budget.reset_at) if math.isfinite(budget.reset_at) else "0"
        return [str(ticket), "1", "1", str(budget.remaining), reset_at, limit]

    def complete(self, ticket: int, headers: Mapping[str, str] | None, now: float) -> None:
        if ticket < 0:
            self.local.complete(-ticket, headers, now)
        else:
            self._shared.complete(self._keys, self._answer(ticket, headers, now))

    async def acomplete(self, ticket: int, headers: Mapping[str, str] | None, now: float) -> None:
        if ticket < 0:
            self.local.complete(-ticket, headers, now)
        else:
            await self._shared.acomplete(self._keys, self._answer(ticket, headers, now))


# -- which state a call uses -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class State:
    """What a client's calls share: the calendar cache, the named locks and, with Redis, the shared state."""

    cache: CalendarStore
    locks: LockProvider
    shared: SharedState | None


LOCAL_STATE = State(SHARED_CACHE, SHARED_LOCKS, None)

_states: dict[str, State] = {}
_states_guard = threading.Lock()


def state_for(option: object) -> State:
    """The state for a `shared_state` option: a Redis URL; False for per-process state whatever the environment
    says; None (the default) for CLIO_APPOINTMENTS_REDIS_URL when it is set and not empty, else per process."""
    if option is None:
        url = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
        if not url:
            return LOCAL_STATE
    elif option is False:
        return LOCAL_STATE
    elif isinstance(option, str) and option.strip():
        url = option.strip()
    else:
        raise ConfigurationError(
            f"shared_state must be a Redis URL such as 'redis://localhost:6379/0', False or None, not {option!r}"
            if not isinstance(option, str)
            else "shared_state is an empty string; pass a Redis URL, or False for per-process state"
        )
    found = _states.get(url)
    if found is not None:
        return found
    with _states_guard:
        found = _states.get(url)
        if found is None:
            shared = SharedState(url)
            found = _states[url] = State(
                SharedCalendarCache(SHARED_CACHE, shared), SharedLocks(SHARED_LOCKS, shared), shared
            )
        return found


def _close_all() -> None:
    for state in list(_states.values()):
        if state.shared is not None:
            state.shared.close()


atexit.register(_close_all)
