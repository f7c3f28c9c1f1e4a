"""Faults that disagree with a client's assumptions: any status after the write, writes that land after the answer
(held until released, or delayed), slow answers after the write, HTML and empty error bodies, and latency.

Each mode is checked from both sides, what the client sees and what the store holds, in-process (sync transport,
async transport on a fresh event loop per call) and over a real socket. Ordering comes from `pending_commits`,
`release_commits` and `settle`, never from sleeping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import httpx
import pytest

from clio_emulator import SEED, Emulator, Fault, Faults, create_app, serve_in_thread

from .conftest import entry_body
from .test_serve import start, stop, wait_until_up

ENTRIES = "/api/v4/calendar_entries.json"
KEY_NAME = "clio_appointments.idempotency_key"
DROPPED = (httpx.RemoteProtocolError, httpx.ReadError)
GATEWAY_STATUSES = [500, 502, 503, 504, 520, 524]


def tagged(key: str, **overrides: Any) -> dict[str, Any]:
    return entry_body(external_properties=[{"name": KEY_NAME, "value": key}], **overrides)


class Via:
    """One way of reaching the emulator: "sync" (in-process sync transport), "async" (in-process async transport,
    each call on a fresh event loop that is gone before any late write runs), or "socket" (uvicorn on 127.0.0.1)."""

    def __init__(self, kind: str, emu: Emulator, base_url: str) -> None:
        self.kind = kind
        self.emu = emu
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {emu.token}"}
        transport = emu.transport() if kind == "sync" else None
        self.client = httpx.Client(base_url=base_url, transport=transport, headers=self.headers)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        if self.kind != "async":
            return self.client.request(method, url, **kwargs)

        async def call() -> httpx.Response:
            transport = self.emu.async_transport()
            async with httpx.AsyncClient(base_url=self.base_url, transport=transport, headers=self.headers) as c:
                return await c.request(method, url, **kwargs)

        return anyio.run(call)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def find(self, key: str) -> list[str]:
        """Ids of the entries carrying idempotency key `key`, read with a plain GET."""
        params = {"external_property_name": KEY_NAME, "external_property_value": key}
        response = self.request("GET", ENTRIES, params=params)
        assert response.status_code == 200, response.text
        return [entry["id"] for entry in response.json()["data"]]


@pytest.fixture(params=["sync", "async", "socket"])
def via(request: pytest.FixtureRequest, clio_emulator: Emulator) -> Iterator[Via]:
    if request.param == "socket":
        server: Emulator = request.getfixturevalue("clio_emulator_server")
        via = Via("socket", server, server.base_url)
    else:
        via = Via(request.param, clio_emulator, clio_emulator.base_url)
    with via.client:
        yield via


# --- The fault model itself -------------------------------------------------------------------------------------


def test_commit_defaults_to_what_the_other_fields_imply() -> None:
    assert Fault().commit == "before"
    assert Fault(status=None, delay=1.0).commit == "after"
    assert Fault(drop="before_commit").commit == "before"
    assert Fault(drop="after_commit").commit == "after"
    assert Fault(status=502, commit="after").commit == "after"
    assert Fault(drop="before_commit", commit="late").commit == "late"
    # The resolved fault round-trips through its mapping (what the admin endpoint lists and takes).
    fault = Fault(status=524, commit="late", commit_delay=2.5, body="html")
    assert Fault.from_mapping(fault.as_dict()) == fault


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"commit": "sometimes"}, "commit must be one of"),
        ({"commit": "late", "status": None}, "commit='late' needs a status"),
        ({"commit": "before", "status": None}, "commit='before' needs a status or a drop"),
        ({"commit": "after", "drop": "before_commit"}, "contradicts drop='before_commit'"),
        ({"commit": "before", "drop": "after_commit"}, "contradicts drop='after_commit'"),
        ({"commit": "late", "drop": "after_commit"}, "use drop='before_commit', commit='late'"),
        ({"commit_delay": 1.0}, "commit_delay only applies with commit='late'"),
        ({"commit": "late", "commit_delay": -1}, "commit_delay must be between"),
        ({"commit": "late", "commit_delay": "soon"}, "commit_delay must be a number"),
        ({"answer_delay": 1.0}, "answer_delay waits between the write and the answer"),
        ({"commit": "late", "answer_delay": 1.0}, "answer_delay"),
        ({"status": None, "answer_delay": 1e9}, "answer_delay must be between"),
        ({"body": "xml"}, "body must be one of"),
        ({"body": "html", "status": None}, "body only shapes a status answer"),
        ({"body": "empty", "drop": "after_commit"}, "body only shapes a status answer"),
    ],
)
def test_invalid_combinations_are_refused_naming_the_field(
    fields: dict[str, Any], named: str, client: httpx.Client, clio_emulator: Emulator
) -> None:
    with pytest.raises(ValueError, match=named.replace("(", r"\(").replace("[", r"\[")):
        Fault(**fields)
    with pytest.raises(ValueError, match="invalid fault"):
        clio_emulator.faults.add(**fields)
    response = client.post("/__emulator__/faults", json=fields)
    assert response.status_code == 422
    assert named in response.json()["error"]["message"]
    assert len(clio_emulator.faults) == 0


def test_the_late_commit_calls_refuse_bad_counts(clio_emulator: Emulator) -> None:
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError, match="n must be"):
            clio_emulator.release_commits(bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="n must be"):
            clio_emulator.discard_commits(bad)  # type: ignore[arg-type]
    assert clio_emulator.release_commits() == 0 and clio_emulator.pending_commits() == 0
    clio_emulator.settle(timeout=0)  # nothing scheduled: returns at once


def test_latency_is_validated() -> None:
    for bad in (-0.1, 601, float("nan"), (0.2, 0.1), (0.1,), "fast", True):
        with pytest.raises(ValueError, match="latency"):
            create_app(latency=bad)  # type: ignore[arg-type]


# --- Any status after the write -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", GATEWAY_STATUSES)
def test_status_after_commit_stores_the_entry_then_answers_the_status(
    status: int, via: Via, clio_emulator: Emulator
) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=status, commit="after")
    response = via.post(ENTRIES, json=tagged(f"after-{status}"))
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"]["message"].startswith(f"Injected fault: {status}")
    assert len(via.find(f"after-{status}")) == 1
    assert clio_emulator.calendar_entry_count() == 1
    assert clio_emulator.pending_commits() == 0


def test_status_before_commit_still_stores_nothing(via: Via, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=524, commit="before", body="html")
    assert via.post(ENTRIES, json=tagged("before")).status_code == 524
    assert via.find("before") == []
    assert clio_emulator.calendar_entry_count() == 0


def test_status_after_commit_on_update_and_delete(via: Via, clio_emulator: Emulator) -> None:
    created = via.post(ENTRIES, json=entry_body()).json()["data"]["id"]
    path = f"/api/v4/calendar_entries/{created}.json"
    clio_emulator.faults.add(method="PATCH", path="/api/v4/calendar_entries/*", status=502, commit="after")
    assert via.request("PATCH", path, json={"data": {"summary": "Moved"}}).status_code == 502
    assert via.request("GET", path, params={"fields": "summary"}).json()["data"]["summary"] == "Moved"
    clio_emulator.faults.add(method="DELETE", path="/api/v4/calendar_entries/*", status=504, commit="after")
    assert via.request("DELETE", path).status_code == 504
    assert via.request("GET", path).status_code == 404
    assert clio_emulator.calendar_entry_count() == 0


def test_the_real_outcome_is_hidden_even_when_the_write_failed(via: Via, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=503, commit="after")
    invalid = {"data": {"summary": "No start"}}
    assert via.post(ENTRIES, json=invalid).status_code == 503  # the handler said 422; the client never knows
    assert clio_emulator.calendar_entry_count() == 0


# --- Error bodies ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("commit", ["before", "after"])
def test_html_error_page_like_a_cdn_sends(commit: str, via: Via, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=520, commit=commit, body="html", retry_after=5)
    response = via.post(ENTRIES, json=tagged("html"))
    assert response.status_code == 520
    assert response.headers["content-type"] == "text/html; charset=UTF-8"
    assert response.headers["retry-after"] == "5"
    assert "cf-ray" in response.headers
    assert response.text.startswith("<!DOCTYPE html>")
    assert "520" in response.text and "Web server is returning an unknown error" in response.text
    with pytest.raises(ValueError):
        response.json()
    assert len(via.find("html")) == (1 if commit == "after" else 0)


def test_html_page_for_a_status_cloudflare_has_no_title_for(via: Via, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="GET", path=ENTRIES, status=502, body="html")
    response = via.request("GET", ENTRIES)
    assert response.status_code == 502 and "Bad Gateway" in response.text


@pytest.mark.parametrize("commit", ["before", "after"])
def test_empty_error_body(commit: str, via: Via, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=504, commit=commit, body="empty")
    response = via.post(ENTRIES, json=tagged("empty"))
    assert (response.status_code, response.content) == (504, b"")
    assert "content-type" not in response.headers
    assert len(via.find("empty")) == (1 if commit == "after" else 0)


# --- Late writes ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [502, 504, 524])
def test_late_commit_answers_first_and_stores_only_when_released(
    status: int, via: Via, clio_emulator: Emulator
) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=status, commit="late")
    response = via.post(ENTRIES, json=tagged("late"))
    assert response.status_code == status
    # The answer is out and the write is waiting: the client's lookup finds nothing.
    assert clio_emulator.pending_commits() == 1
    assert via.find("late") == []
    assert clio_emulator.calendar_entry_count() == 0
    assert clio_emulator.release_commits() == 1
    assert clio_emulator.pending_commits() == 0
    assert len(via.find("late")) == 1
    assert clio_emulator.faults.commit_stats() == {
        "pending": 0,
        "held": 0,
        "scheduled": 0,
        "applied": 1,
        "failed": 0,
        "discarded": 0,
    }


def test_late_commit_after_a_dropped_connection(via: Via, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, drop="before_commit", commit="late")
    with pytest.raises(DROPPED):
        via.post(ENTRIES, json=tagged("dropped"))
    assert clio_emulator.pending_commits() == 1
    assert via.find("dropped") == []
    # The next request on the same client works while the write is still waiting.
    assert via.post(ENTRIES, json=tagged("next")).status_code == 201
    clio_emulator.release_commits()
    assert len(via.find("dropped")) == 1 and len(via.find("next")) == 1


def test_late_commits_are_released_oldest_first(via: Via, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=504, commit="late", times=3)
    for key in ("first", "second", "third"):
        assert via.post(ENTRIES, json=tagged(key)).status_code == 504
    assert clio_emulator.pending_commits() == 3
    assert clio_emulator.release_commits(1) == 1
    assert [len(via.find(k)) for k in ("first", "second", "third")] == [1, 0, 0]
    assert clio_emulator.release_commits(0) == 0
    assert clio_emulator.release_commits(5) == 2
    ids = [int(via.find(k)[0]) for k in ("first", "second", "third")]
    assert ids == sorted(ids)  # applied in the order the requests came
    assert clio_emulator.release_commits() == 0


def test_a_late_commit_with_a_delay_lands_by_itself(via: Via, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=504, commit="late", commit_delay=0.01)
    assert via.post(ENTRIES, json=tagged("soon")).status_code == 504
    clio_emulator.settle(timeout=30)
    assert clio_emulator.pending_commits() == 0
    assert len(via.find("soon")) == 1


def test_a_delayed_commit_waits_and_can_be_released_early(via: Via, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=502, commit="late", commit_delay=600)
    assert via.post(ENTRIES, json=tagged("later")).status_code == 502
    stats = clio_emulator.faults.commit_stats()
    assert (stats["pending"], stats["held"], stats["scheduled"]) == (1, 0, 1)
    assert via.find("later") == []
    with pytest.raises(TimeoutError, match="1 late write"):
        clio_emulator.settle(timeout=0.01)
    assert clio_emulator.release_commits() == 1  # not due yet, applied now; its timer then finds nothing to do
    assert len(via.find("later")) == 1
    clio_emulator.settle(timeout=0)


def test_settle_does_not_wait_for_held_writes(clio_emulator: Emulator, client: httpx.Client) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=504, commit="late")
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=504, commit="late", commit_delay=0.01)
    client.post(ENTRIES, json=tagged("held"))
    client.post(ENTRIES, json=tagged("timed"))
    clio_emulator.settle(timeout=30)
    assert clio_emulator.pending_commits() == 1
    stats = clio_emulator.faults.commit_stats()
    assert (stats["held"], stats["scheduled"], stats["applied"]) == (1, 0, 1)


def test_discarded_late_writes_never_land(via: Via, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=504, commit="late", times=2)
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=504, commit="late", commit_delay=600)
    for key in ("lost", "kept", "timer"):
        via.post(ENTRIES, json=tagged(key))
    assert clio_emulator.discard_commits(1) == 1
    assert clio_emulator.release_commits(1) == 1
    assert clio_emulator.discard_commits() == 1
    clio_emulator.settle(timeout=0)  # the discarded one had a delay; nothing is left to wait for
    assert (via.find("lost"), len(via.find("kept")), via.find("timer")) == ([], 1, [])
    stats = clio_emulator.faults.commit_stats()
    assert (stats["pending"], stats["applied"], stats["discarded"]) == (0, 1, 2)


def test_pending_writes_are_discarded_when_the_emulator_closes() -> None:
    emu: Emulator = create_app(rate_limit=None).state.emulator
    emu.faults.add(method="POST", path=ENTRIES, status=504, commit="late")
    emu.faults.add(method="POST", path=ENTRIES, status=504, commit="late", commit_delay=600)
    with httpx.Client(
        base_url=emu.base_url, transport=emu.transport(), headers={"Authorization": f"Bearer {emu.token}"}
    ) as c:
        c.post(ENTRIES, json=entry_body())
        c.post(ENTRIES, json=entry_body())
    assert emu.pending_commits() == 2
    emu.close()
    assert emu.pending_commits() == 0
    assert emu.faults.commit_stats()["discarded"] == 2
    assert emu.release_commits() == 0


def test_a_late_write_runs_the_real_handler_with_the_original_request(via: Via, clio_emulator: Emulator) -> None:
    created = via.post(ENTRIES, json=entry_body()).json()["data"]["id"]
    path = f"/api/v4/calendar_entries/{created}.json"
    clio_emulator.faults.add(method="PATCH", path="/api/v4/calendar_entries/*", status=504, commit="late")
    assert via.request("PATCH", path, json={"data": {"summary": "Moved late"}}).status_code == 504
    assert via.request("GET", path, params={"fields": "summary"}).json()["data"]["summary"] != "Moved late"
    clio_emulator.release_commits()
    assert via.request("GET", path, params={"fields": "summary"}).json()["data"]["summary"] == "Moved late"
    # A late write the handler refuses (invalid body, no token) is handled, counted as failed, and stores nothing.
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=502, commit="late", times=2)
    via.post(ENTRIES, json={"data": {"summary": "No start"}})
    via.post(ENTRIES, json=tagged("anonymous"), headers={"Authorization": "Bearer nobody"})
    assert clio_emulator.release_commits() == 2
    assert via.find("anonymous") == []
    assert clio_emulator.calendar_entry_count() == 1
    stats = clio_emulator.faults.commit_stats()
    assert (stats["applied"], stats["failed"]) == (1, 2)


def test_a_late_read_changes_nothing(via: Via, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="GET", path="/api/v4/calendars.json", status=503, commit="late")
    assert via.request("GET", "/api/v4/calendars.json").status_code == 503
    assert clio_emulator.release_commits() == 1
    assert clio_emulator.faults.commit_stats()["applied"] == 1
    assert clio_emulator.calendar_entry_count() == 0


def test_late_writes_released_from_another_thread_while_requests_run(clio_emulator: Emulator) -> None:
    """Creates from several threads meet late faults while the test thread keeps releasing: all land, once each."""
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=504, commit="late", times=None)
    headers = {"Authorization": f"Bearer {clio_emulator.token}"}
    done = threading.Event()
    errors: list[BaseException] = []

    def post(worker: int) -> None:
        try:
            with httpx.Client(
                base_url=clio_emulator.base_url, transport=clio_emulator.transport(), headers=headers
            ) as c:
                for n in range(10):
                    assert c.post(ENTRIES, json=tagged(f"{worker}-{n}")).status_code == 504
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=post, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    released = 0
    while any(thread.is_alive() for thread in threads) or clio_emulator.pending_commits():
        released += clio_emulator.release_commits()
        done.wait(0.001)
    for thread in threads:
        thread.join()
    assert errors == []
    assert released == 40
    assert clio_emulator.calendar_entry_count() == 40
    clio_emulator.faults.clear()
    with httpx.Client(base_url=clio_emulator.base_url, transport=clio_emulator.transport(), headers=headers) as c:
        for worker in range(4):
            for n in range(10):
                params = {"external_property_name": KEY_NAME, "external_property_value": f"{worker}-{n}"}
                assert len(c.get(ENTRIES, params=params).json()["data"]) == 1


async def test_a_late_write_released_from_async_code_in_process(clio_emulator: Emulator) -> None:
    """The write runs on the emulator's own thread, so releasing from inside the caller's event loop is safe."""
    headers = {"Authorization": f"Bearer {clio_emulator.token}"}
    transport = clio_emulator.async_transport()
    async with httpx.AsyncClient(base_url=clio_emulator.base_url, transport=transport, headers=headers) as client:
        clio_emulator.faults.add(method="POST", path=ENTRIES, status=504, commit="late")
        assert (await client.post(ENTRIES, json=tagged("async"))).status_code == 504
        assert clio_emulator.pending_commits() == 1
        assert clio_emulator.release_commits() == 1
        params = {"external_property_name": KEY_NAME, "external_property_value": "async"}
        assert len((await client.get(ENTRIES, params=params)).json()["data"]) == 1
        clio_emulator.faults.add(method="POST", path=ENTRIES, drop="before_commit", commit="late", commit_delay=0)
        with pytest.raises(DROPPED):
            await client.post(ENTRIES, json=entry_body())
        await anyio.to_thread.run_sync(clio_emulator.settle, 30)
        assert clio_emulator.calendar_entry_count() == 2


# --- A slow answer after the write --------------------------------------------------------------------------------


def test_answer_delay_lets_the_client_time_out_after_the_commit(via: Via, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=None, answer_delay=5.0)
    with pytest.raises(httpx.ReadTimeout):
        via.post(ENTRIES, json=tagged("slow"), timeout=httpx.Timeout(10.0, read=1.0))
    # Over a socket the server finishes the write even though the client gave up; it was done before the wait.
    assert len(via.find("slow")) == 1


@pytest.mark.parametrize("answer", [{"status": 504}, {"status": None}, {"drop": "after_commit"}])
def test_answer_delay_composes_with_every_answer_after_the_commit(
    answer: dict[str, Any], via: Via, clio_emulator: Emulator
) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, commit="after", answer_delay=0.01, **answer)
    if answer.get("drop"):
        with pytest.raises(DROPPED):
            via.post(ENTRIES, json=tagged("composed"))
    else:
        expected = answer["status"] or 201
        assert via.post(ENTRIES, json=tagged("composed")).status_code == expected
    assert len(via.find("composed")) == 1


# --- Latency ----------------------------------------------------------------------------------------------------------


async def _until(condition: Callable[[], bool]) -> None:
    with anyio.fail_after(20):
        while not condition():
            await anyio.sleep(0.005)


async def _overlapping(emu: Emulator, make: Callable[[], httpx.AsyncClient], n: int) -> None:
    """Start n slow requests and wait until all n are inside the emulator at once, then give up on them."""
    async with make() as client, anyio.create_task_group() as group:

        async def get() -> None:
            await client.get("/api/v4/calendars.json")

        for _ in range(n):
            group.start_soon(get)
        await _until(lambda: emu.in_flight == n)
        group.cancel_scope.cancel()


@pytest.mark.parametrize("how", ["latency", "fault"])
async def test_latency_does_not_serialise_concurrent_requests_in_process(clio_emulator: Emulator, how: str) -> None:
    if how == "latency":
        clio_emulator.set_latency(60.0)
    else:
        clio_emulator.faults.add(path="*", status=None, times=None, delay=60.0)
    headers = {"Authorization": f"Bearer {clio_emulator.token}"}

    def make() -> httpx.AsyncClient:
        transport = clio_emulator.async_transport()
        return httpx.AsyncClient(base_url=clio_emulator.base_url, transport=transport, headers=headers)

    await _overlapping(clio_emulator, make, 6)
    assert clio_emulator.max_in_flight == 6
    clio_emulator.set_latency(0)
    clio_emulator.faults.clear()
    async with make() as client:
        assert (await client.get("/api/v4/calendars.json")).status_code == 200


async def test_latency_does_not_serialise_concurrent_requests_over_a_socket() -> None:
    app = create_app(rate_limit=None, latency=(30.0, 60.0))
    emu: Emulator = app.state.emulator
    assert emu.latency == (30.0, 60.0)
    try:
        with serve_in_thread(app) as base_url:

            def make() -> httpx.AsyncClient:
                return httpx.AsyncClient(base_url=base_url, headers={"Authorization": f"Bearer {emu.token}"})

            await _overlapping(emu, make, 6)
            assert emu.max_in_flight == 6
            emu.set_latency(0)
            health = httpx.get(f"{base_url}/__emulator__/health").json()
            assert health["max_in_flight"] == 6 and health["latency"] == [0.0, 0.0]
    finally:
        emu.close()


def test_latency_does_not_serialise_threads_sharing_a_sync_transport(clio_emulator: Emulator) -> None:
    """Threads on one in-process sync transport run in one event loop; latency is an async wait there too."""
    clio_emulator.set_latency(60.0)
    n = 4
    gate = threading.Barrier(n + 1)
    outcomes: list[type[BaseException] | int] = []
    headers = {"Authorization": f"Bearer {clio_emulator.token}"}
    transport = clio_emulator.transport()

    def get(client: httpx.Client) -> None:
        gate.wait()
        try:
            outcomes.append(client.get("/api/v4/calendars.json", timeout=httpx.Timeout(60.0, read=2.0)).status_code)
        except httpx.ReadTimeout as exc:
            outcomes.append(type(exc))

    with httpx.Client(base_url=clio_emulator.base_url, transport=transport, headers=headers) as client:
        threads = [threading.Thread(target=get, args=(client,)) for _ in range(n)]
        for thread in threads:
            thread.start()
        gate.wait()
        anyio.run(_until, lambda: clio_emulator.in_flight == n)
        for thread in threads:
            thread.join()
    assert clio_emulator.max_in_flight == n
    assert outcomes == [httpx.ReadTimeout] * n


def test_latency_over_the_admin_endpoint(client: httpx.Client, clio_emulator: Emulator) -> None:
    assert client.get("/__emulator__/latency").json() == {"data": {"latency": [0.0, 0.0]}}
    assert client.put("/__emulator__/latency", json={"latency": 0.001}).json() == {"data": {"latency": [0.001, 0.001]}}
    assert client.put("/__emulator__/latency", json={"latency": [0, 0.002]}).json()["data"] == {"latency": [0, 0.002]}
    assert clio_emulator.latency == (0.0, 0.002)
    assert client.get("/api/v4/calendars.json").status_code == 200
    for bad in ({"latency": -1}, {"latency": [1, 0]}, {"latency": "x"}, {}, {"latency": 0, "jitter": 1}, []):
        response = client.put("/__emulator__/latency", json=bad)
        assert response.status_code == 422, bad
    assert clio_emulator.latency == (0.0, 0.002)


# --- Over the admin endpoint --------------------------------------------------------------------------------------


def test_late_commits_over_the_admin_endpoint(clio_emulator_server: Emulator) -> None:
    emu = clio_emulator_server
    admin = httpx.Client(base_url=emu.base_url)  # no token needed
    api = httpx.Client(base_url=emu.base_url, headers={"Authorization": f"Bearer {emu.token}"})
    with admin, api:
        fault = {"method": "POST", "path": ENTRIES, "status": 524, "body": "html", "commit": "late", "times": 3}
        added = admin.post("/__emulator__/faults", json=fault)
        assert added.status_code == 201
        assert added.json()["data"] | fault == added.json()["data"]
        responses = [api.post(ENTRIES, json=tagged(key)) for key in ("a", "b", "c")]
        assert [(r.status_code, r.headers["content-type"]) for r in responses] == [
            (524, "text/html; charset=UTF-8")
        ] * 3
        assert admin.get("/__emulator__/commits").json()["data"]["held"] == 3
        released = admin.post("/__emulator__/commits/release", json={"n": 1}).json()["data"]
        assert released["released"] == 1 and released["late_commits"]["pending"] == 2
        assert emu.calendar_entry_count() == 1
        discarded = admin.post("/__emulator__/commits/discard", json={"n": 1}).json()["data"]
        assert discarded["discarded"] == 1 and discarded["late_commits"]["discarded"] == 1
        assert admin.post("/__emulator__/commits/release").json()["data"]["released"] == 1
        assert emu.calendar_entry_count() == 2

        delayed = {"method": "POST", "path": ENTRIES, "drop": "before_commit", "commit": "late", "commit_delay": 0.01}
        assert admin.post("/__emulator__/faults", json=delayed).status_code == 201
        with pytest.raises(DROPPED):
            api.post(ENTRIES, json=tagged("d"))
        settled = admin.post("/__emulator__/commits/settle", json={"timeout": 30})
        assert settled.status_code == 200 and settled.json()["data"]["late_commits"]["scheduled"] == 0
        assert emu.calendar_entry_count() == 3

        health = admin.get("/__emulator__/health").json()
        assert health["late_commits"] == {
            "pending": 0,
            "held": 0,
            "scheduled": 0,
            "applied": 3,
            "failed": 0,
            "discarded": 1,
        }

        never = {"method": "POST", "path": ENTRIES, "status": 502, "commit": "late", "commit_delay": 600}
        admin.post("/__emulator__/faults", json=never)
        api.post(ENTRIES, json=tagged("e"))
        timed_out = admin.post("/__emulator__/commits/settle", json={"timeout": 0.01})
        assert timed_out.status_code == 504 and "still waiting" in timed_out.json()["error"]["message"]
        for bad in ({"n": -1}, {"n": "all"}, {"count": 1}):
            assert admin.post("/__emulator__/commits/release", json=bad).status_code == 422
        assert admin.post("/__emulator__/commits/settle", json={"timeout": -1}).status_code == 422
        assert admin.post("/__emulator__/commits/release", content=b"[]").status_code == 422
        assert admin.post("/__emulator__/commits/discard").json()["data"]["discarded"] == 1


def test_faults_given_up_front_can_be_late() -> None:
    faults = Faults([{"method": "POST", "path": ENTRIES, "status": 504, "commit": "late", "commit_delay": None}])
    assert [f.commit for f in faults.active()] == ["late"]
    faults.close()


def test_late_commits_with_the_serve_command() -> None:
    """`clio-appointments serve`: a late write over its admin endpoint, and a held one discarded when it stops."""
    proc, url, _ = start("--rate-limit", "0")
    try:
        wait_until_up(url)
        fault = {"method": "POST", "path": ENTRIES, "status": 504, "commit": "late", "times": 2}
        assert httpx.post(f"{url}/__emulator__/faults", json=fault).status_code == 201
        headers = {"Authorization": f"Bearer {SEED.token}"}
        for key in ("served", "never"):
            assert httpx.post(f"{url}{ENTRIES}", json=tagged(key), headers=headers).status_code == 504
        assert httpx.post(f"{url}/__emulator__/commits/release", json={"n": 1}).json()["data"]["released"] == 1
        health = httpx.get(f"{url}/__emulator__/health").json()
        assert health["calendar_entries"] == 1 and health["late_commits"]["held"] == 1
        code, _, err = stop(proc)
        assert code == 0 and "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
