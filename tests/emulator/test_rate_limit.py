"""Per-token rate limiting: headers on every Clio response, 429 with Retry-After once the window is used up."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from clio_emulator import SEED, Emulator, create_app
from clio_emulator._ratelimit import RateLimiter

from .conftest import SpecChecker, make_client

CALENDARS = "/api/v4/calendars.json"


@pytest.fixture
def limited() -> Iterator[Emulator]:
    emulator: Emulator = create_app(rate_limit=3, rate_window=2.0).state.emulator
    yield emulator
    emulator.close()


def test_headers_count_down_then_429(limited: Emulator, conforms: SpecChecker) -> None:
    with make_client(limited) as client:
        before = time.time()
        responses = [client.get(CALENDARS) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [r.headers["x-ratelimit-remaining"] for r in responses] == ["2", "1", "0", "0"]
    assert {r.headers["x-ratelimit-limit"] for r in responses} == {"3"}
    reset = int(responses[0].headers["x-ratelimit-reset"])
    assert before <= reset <= before + 3
    refused = responses[3]
    conforms(refused, CALENDARS)
    assert refused.json()["error"]["type"] == "RateLimited"
    assert 1 <= int(refused.headers["retry-after"]) <= 2


def test_limits_are_per_token(limited: Emulator) -> None:
    with make_client(limited) as ada, make_client(limited, SEED.second_token) as grace:
        for _ in range(3):
            ada.get(CALENDARS)
        assert ada.get(CALENDARS).status_code == 429
        assert grace.get(CALENDARS).status_code == 200


def test_every_clio_response_carries_the_headers_but_admin_paths_do_not(limited: Emulator) -> None:
    with make_client(limited) as client:
        for response in (client.get("/nope"), client.put(CALENDARS), client.get("/api/v4/calendars/999.json")):
            assert "x-ratelimit-remaining" in response.headers, response.status_code
        health = client.get("/__emulator__/health")
        assert health.status_code == 200 and "x-ratelimit-limit" not in health.headers


def test_a_new_window_allows_requests_again(limited: Emulator) -> None:
    with make_client(limited) as client:
        for _ in range(3):
            client.get(CALENDARS)
        refused = client.get(CALENDARS)
        assert refused.status_code == 429
        time.sleep(int(refused.headers["retry-after"]) + 0.1)
        again = client.get(CALENDARS)
    assert again.status_code == 200
    assert again.headers["x-ratelimit-remaining"] == "2"


def test_no_limit_means_no_rate_limit_headers(client: httpx.Client) -> None:
    responses = [client.get(CALENDARS) for _ in range(60)]
    assert {r.status_code for r in responses} == {200}
    assert "x-ratelimit-limit" not in responses[-1].headers


@pytest.mark.parametrize("off", [0, None])
def test_zero_turns_the_limit_off_as_serve_rate_limit_0_does(off: int | None) -> None:
    emulator: Emulator = create_app(rate_limit=off, rate_window=60.0).state.emulator
    try:
        assert emulator.limiter is None
        with make_client(emulator) as client:
            responses = [client.get(CALENDARS) for _ in range(60)]
        assert {r.status_code for r in responses} == {200}
        assert "x-ratelimit-limit" not in responses[-1].headers
    finally:
        emulator.close()


def test_a_negative_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="rate_limit"):
        create_app(rate_limit=-1)


def test_fixed_window_arithmetic() -> None:
    now = [100.0]
    limiter = RateLimiter(2, 60.0, clock=lambda: now[0], wall=lambda: 1_000_000.0 + now[0])
    first = limiter.hit("t")
    assert (first.allowed, first.remaining, first.reset_epoch) == (True, 1, 1_000_160)
    now[0] = 130.5
    assert limiter.hit("t").allowed
    third = limiter.hit("t")
    assert (third.allowed, third.remaining, third.retry_after) == (False, 0, 30)
    now[0] = 160.0
    fresh = limiter.hit("t")
    assert (fresh.allowed, fresh.remaining, fresh.reset_epoch) == (True, 1, 1_000_220)


def test_limiter_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="limit"):
        RateLimiter(0, 60.0)
    with pytest.raises(ValueError, match="window"):
        RateLimiter(5, 0)
