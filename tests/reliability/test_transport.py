"""The retry half of the transport policy, sync and async alike, with httpx.MockTransport and a fake clock."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from email.utils import formatdate
from typing import Any

import httpx
import pytest

from clio_appointments._transport import (
    TransportPolicy,
    build_async_transport,
    build_transport,
    retry_delay,
)

from .conftest import AUTH, TOKEN, FakeTime

URL = "https://app.clio.com/api/v4/calendar_entries.json"
Step = int | tuple[int, dict[str, str]] | type[Exception]


class Scripted:
    """A MockTransport handler that plays steps in order (the last one repeats) and records what it was sent."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.bodies: list[bytes] = []
        self.closed = 0

    @property
    def attempts(self) -> int:
        return len(self.bodies)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(request.content)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, type):
            raise step("scripted failure", request=request)  # type: ignore[call-arg]
        status, headers = step if isinstance(step, tuple) else (step, {})
        return httpx.Response(status, headers=headers, json={"status": status})


def policy_for(ft: FakeTime, **overrides: Any) -> TransportPolicy:
    settings: dict[str, Any] = {
        "max_retries": 2,
        "pacing": False,
        "sleep": ft.sleep,
        "async_sleep": ft.async_sleep,
        "clock": ft.clock,
        "rng": lambda: 0.5,
    }
    settings.update(overrides)
    return TransportPolicy(**settings)


def send(mode: str, policy: TransportPolicy, handler: Callable[[httpx.Request], httpx.Response], method: str) -> int:
    """One request through the policy; returns the final status (httpx errors propagate)."""
    method, _, condition = method.partition(" ")
    headers = {"Authorization": AUTH, **({"If-Match": '"etag-1"'} if condition == "If-Match" else {})}
    body = {"data": {"summary": "x"}} if method in ("POST", "PATCH") else None
    if mode == "sync":
        with httpx.Client(transport=build_transport(httpx.MockTransport(handler), policy)) as client:
            return client.request(method, URL, headers=headers, json=body).status_code

    async def run() -> int:
        transport = build_async_transport(httpx.MockTransport(handler), policy)
        async with httpx.AsyncClient(transport=transport) as client:
            response = await client.request(method, URL, headers=headers, json=body)
            return response.status_code

    return asyncio.run(run())


MODES = pytest.mark.parametrize("mode", ["sync", "async"])
# A PATCH is repeatable only when conditional (If-Match): see the tests of conditional PATCHes below.
REPEATABLE = ["GET", "PATCH If-Match", "DELETE"]


@MODES
@pytest.mark.parametrize("method", REPEATABLE)
@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_repeatable_requests_retry_transient_statuses(mode: str, method: str, status: int, fake_time: FakeTime) -> None:
    handler = Scripted(status, status, 200)
    assert send(mode, policy_for(fake_time), handler, method) == 200
    assert handler.attempts == 3
    assert len(fake_time.sleeps) == 2


@MODES
@pytest.mark.parametrize("method", [*REPEATABLE, "POST"])
@pytest.mark.parametrize("status", [200, 201, 400, 401, 403, 404, 409, 422, 500, 501])
def test_other_statuses_are_returned_at_once(mode: str, method: str, status: int, fake_time: FakeTime) -> None:
    handler = Scripted(status, 200)
    assert send(mode, policy_for(fake_time), handler, method) == status
    assert handler.attempts == 1
    assert fake_time.sleeps == []


@MODES
@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_post_is_not_retried_on_server_errors(mode: str, status: int, fake_time: FakeTime) -> None:
    # The create may have been committed before the gateway failed: only the facade's key lookup can tell.
    handler = Scripted(status, 201)
    assert send(mode, policy_for(fake_time), handler, "POST") == status
    assert handler.attempts == 1


@MODES
@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize("failure", [502, 503, 504, httpx.ReadTimeout, httpx.RemoteProtocolError])
def test_writes_that_may_have_been_applied_are_not_sent_again(
    mode: str, method: str, failure: int | type[Exception], fake_time: FakeTime
) -> None:
    """A POST, or a PATCH without If-Match (its attendee change is relative), may have been applied before the
    failure: sending it again could apply it twice, so the outcome goes back to the caller as it is."""
    handler = Scripted(failure, 200)
    if isinstance(failure, int):
        assert send(mode, policy_for(fake_time), handler, method) == failure
    else:
        with pytest.raises(failure):
            send(mode, policy_for(fake_time), handler, method)
    assert handler.attempts == 1
    assert fake_time.sleeps == []


@MODES
def test_post_is_retried_on_429_with_the_same_body(mode: str, fake_time: FakeTime) -> None:
    handler = Scripted(429, 429, 201)
    assert send(mode, policy_for(fake_time), handler, "POST") == 201
    assert handler.attempts == 3
    assert handler.bodies[0] == handler.bodies[1] == handler.bodies[2] != b""


NOT_SENT = [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout]
MAYBE_SENT = [httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError]
NEVER_RETRIED = [httpx.LocalProtocolError, httpx.UnsupportedProtocol, httpx.ProxyError]


@MODES
@pytest.mark.parametrize("method", [*REPEATABLE, "POST"])
@pytest.mark.parametrize("error", NOT_SENT)
def test_errors_before_sending_are_retried_for_every_method(
    mode: str, method: str, error: type[Exception], fake_time: FakeTime
) -> None:
    handler = Scripted(error, 201)
    assert send(mode, policy_for(fake_time), handler, method) == 201
    assert handler.attempts == 2


@MODES
@pytest.mark.parametrize("method", REPEATABLE)
@pytest.mark.parametrize("error", MAYBE_SENT)
def test_repeatable_requests_retry_timeouts_and_dropped_connections(
    mode: str, method: str, error: type[Exception], fake_time: FakeTime
) -> None:
    handler = Scripted(error, 200)
    assert send(mode, policy_for(fake_time), handler, method) == 200
    assert handler.attempts == 2


@MODES
@pytest.mark.parametrize("error", MAYBE_SENT)
def test_post_raises_when_it_may_have_reached_clio(mode: str, error: type[Exception], fake_time: FakeTime) -> None:
    handler = Scripted(error, 201)
    with pytest.raises(error):
        send(mode, policy_for(fake_time), handler, "POST")
    assert handler.attempts == 1
    assert fake_time.sleeps == []


@MODES
@pytest.mark.parametrize("method", [*REPEATABLE, "POST"])
@pytest.mark.parametrize("error", NEVER_RETRIED)
def test_local_and_protocol_errors_are_not_retried(
    mode: str, method: str, error: type[Exception], fake_time: FakeTime
) -> None:
    handler = Scripted(error, 200)
    with pytest.raises(error):
        send(mode, policy_for(fake_time), handler, method)
    assert handler.attempts == 1


@MODES
def test_exhausted_retries_return_the_last_response(mode: str, fake_time: FakeTime) -> None:
    handler = Scripted(503)
    assert send(mode, policy_for(fake_time, max_retries=3), handler, "GET") == 503
    assert handler.attempts == 4


@MODES
def test_exhausted_retries_raise_the_last_error(mode: str, fake_time: FakeTime) -> None:
    handler = Scripted(httpx.ConnectError)
    with pytest.raises(httpx.ConnectError):
        send(mode, policy_for(fake_time, max_retries=3), handler, "POST")
    assert handler.attempts == 4


@MODES
@pytest.mark.parametrize("step", [503, 429, httpx.ConnectError, httpx.ReadTimeout])
def test_max_retries_zero_makes_one_attempt(mode: str, step: Step, fake_time: FakeTime) -> None:
    handler = Scripted(step, 200)
    if isinstance(step, int):
        assert send(mode, policy_for(fake_time, max_retries=0), handler, "GET") == step
    else:
        with pytest.raises(step):
            send(mode, policy_for(fake_time, max_retries=0), handler, "GET")
    assert handler.attempts == 1
    assert fake_time.sleeps == []


@MODES
@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_is_honoured(mode: str, status: int, fake_time: FakeTime) -> None:
    handler = Scripted((status, {"Retry-After": "7"}), 200)
    assert send(mode, policy_for(fake_time), handler, "GET") == 200
    assert fake_time.sleeps == [7.0]


@MODES
def test_retry_after_http_date_is_measured_on_the_policy_clock(mode: str, fake_time: FakeTime) -> None:
    date = formatdate(fake_time.now + 42, usegmt=True)
    handler = Scripted((429, {"Retry-After": date}), 201)
    assert send(mode, policy_for(fake_time), handler, "POST") == 201
    assert fake_time.sleeps == [pytest.approx(42.0, abs=1.0)]  # HTTP dates have whole seconds


@MODES
def test_retry_after_date_in_the_past_retries_at_once(mode: str, fake_time: FakeTime) -> None:
    handler = Scripted((503, {"Retry-After": formatdate(fake_time.now - 100, usegmt=True)}), 200)
    assert send(mode, policy_for(fake_time), handler, "GET") == 200
    assert fake_time.sleeps == [0.0]


@MODES
@pytest.mark.parametrize("garbage", ["soon", "", "-", "nan", "inf", "Thu, 99 Foo 2024", "1e400"])
def test_unreadable_retry_after_falls_back_to_backoff(mode: str, garbage: str, fake_time: FakeTime) -> None:
    handler = Scripted((503, {"Retry-After": garbage}), 200)
    policy = policy_for(fake_time, backoff_base=0.5, rng=lambda: 0.5)
    assert send(mode, policy, handler, "GET") == 200
    assert fake_time.sleeps == [0.25]


@MODES
def test_retry_after_beyond_the_cap_is_returned_not_slept(mode: str, fake_time: FakeTime) -> None:
    handler = Scripted((429, {"Retry-After": "3600"}), 200)
    assert send(mode, policy_for(fake_time, retry_after_cap=60.0), handler, "GET") == 429
    assert handler.attempts == 1
    assert fake_time.sleeps == []


@MODES
def test_retry_after_at_the_cap_is_slept(mode: str, fake_time: FakeTime) -> None:
    handler = Scripted((429, {"Retry-After": "60"}), 200)
    assert send(mode, policy_for(fake_time, retry_after_cap=60.0), handler, "GET") == 200
    assert fake_time.sleeps == [60.0]


@MODES
def test_429_without_retry_after_waits_for_the_rate_limit_reset(mode: str, fake_time: FakeTime) -> None:
    reset = str(int(fake_time.now) + 12)
    handler = Scripted((429, {"X-RateLimit-Reset": reset, "X-RateLimit-Remaining": "0"}), 201)
    assert send(mode, policy_for(fake_time), handler, "POST") == 201
    assert fake_time.sleeps == [pytest.approx(12.0)]


@MODES
def test_429_without_any_hint_backs_off(mode: str, fake_time: FakeTime) -> None:
    handler = Scripted(429, 429, 201)
    assert send(mode, policy_for(fake_time, backoff_base=1.0, rng=lambda: 0.5), handler, "POST") == 201
    assert fake_time.sleeps == [0.5, 1.0]


def test_backoff_is_full_jitter_under_an_exponential_cap() -> None:
    low = TransportPolicy(backoff_base=0.5, backoff_cap=8.0, rng=lambda: 0.0)
    high = TransportPolicy(backoff_base=0.5, backoff_cap=8.0, rng=lambda: 0.999999)
    ceilings = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    for retries_done, ceiling in enumerate(ceilings):
        assert low.backoff(retries_done) == 0.0
        assert ceiling * 0.999 < high.backoff(retries_done) < ceiling
    assert TransportPolicy(backoff_cap=8.0).backoff(10_000) <= 8.0  # no overflow on absurd counts


def test_backoff_uses_the_real_rng_within_bounds() -> None:
    policy = TransportPolicy(backoff_base=0.5, backoff_cap=8.0)
    samples = [policy.backoff(3) for _ in range(2000)]
    assert all(0.0 <= s < 4.0 for s in samples)
    assert min(samples) < 0.5 and max(samples) > 3.5  # spread over the whole range, not a fixed delay


def test_retry_delay_is_the_shared_decision() -> None:
    policy = TransportPolicy(max_retries=1, rng=lambda: 0.5, backoff_base=1.0)
    assert retry_delay(policy, "get", 0, status=503, headers={}) == 0.5  # method case does not matter
    assert retry_delay(policy, "GET", 1, status=503, headers={}) is None  # budget spent
    assert retry_delay(policy, "POST", 0, status=503, headers={}) is None
    assert retry_delay(policy, "POST", 0, error=httpx.ConnectError("x")) == 0.5
    assert retry_delay(policy, "POST", 0, error=httpx.ReadTimeout("x")) is None
    assert retry_delay(policy, "GET", 0, error=ValueError("not a transport error")) is None


@pytest.mark.parametrize(
    "settings",
    [
        {"max_retries": -1},
        {"max_retries": 1.5},
        {"max_retries": True},
        {"backoff_base": -0.1},
        {"backoff_cap": float("inf")},
        {"retry_after_cap": float("nan")},
    ],
)
def test_policy_refuses_nonsense(settings: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        TransportPolicy(**settings)


def test_policy_is_frozen_and_its_repr_is_plain() -> None:
    policy = TransportPolicy(max_retries=0)
    with pytest.raises(AttributeError):
        policy.max_retries = 3  # type: ignore[misc]
    assert repr(policy) == (
        "TransportPolicy(max_retries=0, backoff_base=0.5, backoff_cap=8.0, retry_after_cap=60.0, pacing=True)"
    )


@MODES
def test_retried_responses_are_closed(mode: str, fake_time: FakeTime) -> None:
    closed: list[int] = []

    class Tracked(httpx.ByteStream):
        def close(self) -> None:
            closed.append(1)

        async def aclose(self) -> None:
            closed.append(1)

    statuses = iter([503, 503, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(statuses), stream=Tracked(b"{}"))

    assert send(mode, policy_for(fake_time), handler, "GET") == 200
    assert len(closed) >= 2  # both discarded attempts released their connection


@MODES
def test_retry_log_names_method_path_and_status_but_never_the_token(
    mode: str, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    handler = Scripted(503, httpx.ConnectError, 200)
    assert send(mode, policy_for(fake_time), handler, "GET") == 200
    retry_lines = [r.getMessage() for r in caplog.records if r.name == "clio_appointments.transport"]
    assert retry_lines == [
        "GET /api/v4/calendar_entries.json: status 503; retry 1 of 2 in 0.25s",
        "GET /api/v4/calendar_entries.json: ConnectError; retry 2 of 2 in 0.50s",
    ]
    assert TOKEN not in caplog.text


def test_transport_reprs_hide_the_token() -> None:
    policy = TransportPolicy()
    sync_t = build_transport(httpx.MockTransport(lambda r: httpx.Response(200)), policy)
    async_t = build_async_transport(httpx.MockTransport(lambda r: httpx.Response(200)), policy)
    with httpx.Client(transport=sync_t) as client:
        client.get(URL, headers={"Authorization": AUTH})
    for thing in (sync_t, async_t, policy):
        assert TOKEN not in repr(thing)
    assert "RetryTransport" in repr(sync_t) and "AsyncRetryTransport" in repr(async_t)


def test_default_inner_transports_are_real_http_transports() -> None:
    assert isinstance(build_transport(None, TransportPolicy())._inner, httpx.HTTPTransport)
    assert isinstance(build_async_transport(None, TransportPolicy())._inner, httpx.AsyncHTTPTransport)


def test_generator_bodies_are_replayed(fake_time: FakeTime) -> None:
    handler = Scripted(httpx.ConnectError, 201)
    transport = build_transport(httpx.MockTransport(handler), policy_for(fake_time))
    with httpx.Client(transport=transport) as client:
        response = client.post(URL, content=iter([b'{"data":', b"{}}"]), headers={"Authorization": AUTH})
    assert response.status_code == 201
    assert handler.bodies == [b'{"data":{}}', b'{"data":{}}']
