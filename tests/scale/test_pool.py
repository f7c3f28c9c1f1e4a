"""The module-level functions on the process-wide pool, over real TLS on loopback (`serve --tls`'s certificate).

What App Connect's server does: one module-level call per request, from threads or event loops, many users. Counted
at the server: TLS handshakes (OpenSSL's own statistics of the server's SSL context), calendar lookups and POSTs.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from typing import Any

import httpx
import pytest

import clio_appointments
from clio_appointments import ConfigurationError, _pool
from clio_appointments._config import settings_for
from clio_emulator import LoopbackTls, create_app, serve_in_thread

from .conftest import LOOKUP, PAYLOAD, POST, SECOND_TOKEN, TOKEN, Served

pytestmark = pytest.mark.usefixtures("trust_emulator_ca")


def create(base_url: str, token: str = TOKEN, **options: Any) -> dict[str, Any]:
    result = clio_appointments.create_appointment(
        user=None, auth_header=f"Bearer {token}", payload=dict(PAYLOAD), base_url=base_url, **options
    )
    assert "appointmentId" in result, result
    return dict(result)


async def acreate(base_url: str, token: str = TOKEN, **options: Any) -> dict[str, Any]:
    result = await clio_appointments.acreate_appointment(
        user=None, auth_header=f"Bearer {token}", payload=dict(PAYLOAD), base_url=base_url, **options
    )
    assert "appointmentId" in result, result
    return dict(result)


def test_100_module_level_creates_make_one_tls_handshake_and_one_calendar_lookup(tls_emulator: Served) -> None:
    for _ in range(100):
        create(tls_emulator.base_url)
    assert tls_emulator.handshakes() == 1
    assert tls_emulator.answers(LOOKUP) == 1
    assert tls_emulator.answers(POST) == 100
    assert _pool.sync_pool().made == 1


def test_the_module_level_functions_share_one_engine_across_the_five_interfaces(tls_emulator: Served) -> None:
    base = {"user": None, "auth_header": f"Bearer {TOKEN}", "base_url": tls_emulator.base_url}
    created = clio_appointments.create_appointment(payload=dict(PAYLOAD), **base)
    assert "appointmentId" in created
    entry = created["appointmentId"]
    assert "appointment" in clio_appointments.refresh_appointment(appointment_id=entry, **base)
    assert "appointment" in clio_appointments.update_appointment(appointment_id=entry, patch={"title": "B"}, **base)
    assert "appointments" in clio_appointments.list_appointments(range={"startDate": "2024-03-15"}, **base)
    assert clio_appointments.cancel_appointment(appointment_id=entry, **base)["successful"] is True
    assert tls_emulator.handshakes() == 1
    assert _pool.sync_pool().made == 1


def test_async_module_level_calls_reuse_their_loops_pool(tls_emulator: Served) -> None:
    async def main() -> None:
        for _ in range(50):
            await acreate(tls_emulator.base_url)

    asyncio.run(main())
    assert tls_emulator.handshakes() == 1
    assert tls_emulator.answers(LOOKUP) == 1


def test_concurrent_first_creates_make_one_calendar_lookup_async(tls_emulator: Served) -> None:
    async def main() -> None:
        await asyncio.gather(*(acreate(tls_emulator.base_url) for _ in range(25)))

    asyncio.run(main())
    assert tls_emulator.answers(LOOKUP) == 1
    assert tls_emulator.answers(POST) == 25


def test_concurrent_first_creates_make_one_calendar_lookup_in_threads(tls_emulator: Served) -> None:
    barrier = threading.Barrier(16)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            create(tls_emulator.base_url)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert tls_emulator.answers(LOOKUP) == 1
    assert tls_emulator.answers(POST) == 16
    assert _pool.sync_pool().made == 1


def test_one_lookup_per_token_and_the_tokens_lookups_do_not_wait_for_each_other(tls_emulator: Served) -> None:
    async def main() -> None:
        await asyncio.gather(*(acreate(tls_emulator.base_url, token) for token in [TOKEN, SECOND_TOKEN] * 10))

    asyncio.run(main())
    assert tls_emulator.answers(LOOKUP) == 2


def test_each_event_loop_has_its_own_pool_closed_when_the_loop_ends(tls_emulator: Served) -> None:
    clients: list[httpx.AsyncClient] = []

    async def main() -> None:
        await acreate(tls_emulator.base_url)
        pool = await _pool.async_pools()
        mine = [engine.api.get_async_httpx_client() for engine in pool._engines.engines.values()]
        assert len(mine) == 1 and not mine[0].is_closed
        clients.extend(mine)

    asyncio.run(main())
    asyncio.run(main())
    # A loop in another thread, running at the same time as this one's.
    thread = threading.Thread(target=asyncio.run, args=(main(),))
    thread.start()
    asyncio.run(main())
    thread.join()
    assert len(clients) == 4 and len({id(client) for client in clients}) == 4
    assert all(client.is_closed for client in clients)  # each closed as its loop shut down


def test_the_token_stays_with_its_call_across_threads_and_tasks(tls_files: LoopbackTls) -> None:
    """Two users, interleaved in 8 threads and 2 event loops on one pool: every request the server receives carries
    the token of the call that made it (each create's idempotency key names its caller)."""
    seen: list[tuple[str, str]] = []
    app = create_app(rate_limit=None)

    async def recorder(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await app(scope, receive, send)
            return
        chunks: list[bytes] = []

        async def recording_receive() -> Any:
            message = await receive()
            chunks.append(message.get("body", b""))
            return message

        await app(scope, recording_receive, send)
        token = dict(scope["headers"]).get(b"authorization", b"").decode().removeprefix("Bearer ")
        properties = json.loads(b"".join(chunks))["data"]["external_properties"]
        seen.append((token, properties[0]["value"]))

    recorder.state = app.state  # type: ignore[attr-defined]
    with serve_in_thread(recorder, server_pem=tls_files.server_pem) as base_url:
        errors: list[BaseException] = []

        def sync_worker(n: int) -> None:
            try:
                for i in range(10):
                    token = TOKEN if (n + i) % 2 else SECOND_TOKEN
                    create(base_url, token, idempotency_key=f"{token}/thread-{n}-{i}")
            except BaseException as exc:
                errors.append(exc)

        def loop_worker(n: int) -> None:
            async def main() -> None:
                await asyncio.gather(
                    *(
                        acreate(base_url, token, idempotency_key=f"{token}/loop-{n}-{i}")
                        for i, token in enumerate([TOKEN, SECOND_TOKEN] * 10)
                    )
                )

            try:
                asyncio.run(main())
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=sync_worker, args=(n,)) for n in range(8)]
        threads += [threading.Thread(target=loop_worker, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        _pool.close_pools()
    app.state.emulator.close()
    assert errors == []
    assert len(seen) == 8 * 10 + 2 * 20
    assert all(key.startswith(f"{token}/") for token, key in seen), [p for p in seen if not p[1].startswith(p[0])]


def test_a_cookie_set_for_one_user_never_reaches_another(tls_files: LoopbackTls) -> None:
    """Clio sits behind a CDN that sets cookies (bot management, load balancing). A shared client must not keep
    them: one user's cookie on another user's request would tie their traffic together, or worse."""
    cookies: list[str | None] = []
    app = create_app(rate_limit=None)

    async def cookie_setter(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        cookies.append(dict(scope["headers"]).get(b"cookie", b"").decode() or None)

        async def with_cookie(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message["headers"], (b"set-cookie", b"__cf_bm=user-a; Path=/")]}
            await send(message)

        await app(scope, receive, with_cookie)

    cookie_setter.state = app.state  # type: ignore[attr-defined]
    with serve_in_thread(cookie_setter, server_pem=tls_files.server_pem) as base_url:
        for token in (TOKEN, SECOND_TOKEN, TOKEN):
            create(base_url, token)
        _pool.close_pools()
    app.state.emulator.close()
    assert len(cookies) >= 4 and cookies == [None] * len(cookies)


def test_a_pooled_client_used_outside_a_call_sends_nothing(tls_emulator: Served) -> None:
    settings = settings_for(f"Bearer {TOKEN}", base_url=tls_emulator.base_url)
    with _pool.sync_pool().engine(settings) as engine, pytest.raises(ConfigurationError, match="outside a call"):
        engine.api.get_httpx_client().get("/api/v4/users/who_am_i.json")
    assert tls_emulator.emulator.request_count == 0


def test_the_least_recently_used_engine_is_retired_and_closed_once_unused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_pool, "MAX_ENGINES", 2)
    pool = _pool.SyncPool()
    settings = [settings_for("Bearer t", base_url=f"https://127.0.0.1:{port}") for port in (1001, 1002, 1003)]
    with pool.engine(settings[0]) as first:
        with pool.engine(settings[1]):
            pass
        with pool.engine(settings[2]):
            pass
        # `first` was the least recently used, so it is retired, but a call is still using it.
        assert len(pool) == 2 and first.retired
        assert not first.api.get_httpx_client().is_closed
    assert first.api.get_httpx_client().is_closed
    pool.close()
    assert len(pool) == 0


def test_an_injected_transport_is_borrowed_not_pooled_and_not_closed() -> None:
    emulator = create_app(rate_limit=None).state.emulator
    transport = emulator.transport()
    for _ in range(3):
        create(emulator.base_url, transport=transport)
    assert _pool.sync_pool().made == 0
    with httpx.Client(transport=transport, base_url=emulator.base_url) as client:  # still open
        assert client.get("/api/v4/users/who_am_i.json", headers={"Authorization": f"Bearer {TOKEN}"}).is_success
    emulator.close()


WORKER = """
import asyncio, os, sys, warnings
warnings.simplefilter("always", ResourceWarning)
import clio_appointments
payload = {"title": "At exit", "startTimeUtc": "2024-03-15T14:00:00Z", "durationMinutes": 30}
base_url = sys.argv[1]
result = clio_appointments.create_appointment(
    user=None, auth_header="emulator-token", payload=payload, base_url=base_url
)
assert "appointmentId" in result, result
async def main():
    result = await clio_appointments.acreate_appointment(
        user=None, auth_header="emulator-token", payload=payload, base_url=base_url
    )
    assert "appointmentId" in result, result
asyncio.run(main())
if sys.argv[2] == "fork":
    pid = os.fork()
    if pid == 0:  # the child makes its own connections and leaves its parent's alone
        result = clio_appointments.create_appointment(
            user=None, auth_header="emulator-token", payload=payload, base_url=base_url
        )
        os._exit(0 if "appointmentId" in result else 3)
    assert os.waitpid(pid, 0)[1] == 0
    result = clio_appointments.create_appointment(
        user=None, auth_header="emulator-token", payload=payload, base_url=base_url
    )
    assert "appointmentId" in result, result
print("ok", flush=True)
"""


@pytest.mark.parametrize("mode", ["plain", "fork"])
def test_pools_close_cleanly_at_exit_and_a_forked_child_makes_its_own(tls_emulator: Served, mode: str) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-c", WORKER, tls_emulator.base_url, mode],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "always"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
    assert "ResourceWarning" not in done.stderr, done.stderr
    assert "Unclosed" not in done.stderr and "unclosed" not in done.stderr, done.stderr
    # The sync pool's connection, the loop's, and (forked) the child's own: the parent's was reused after the fork.
    assert tls_emulator.handshakes() == (3 if mode == "fork" else 2)
