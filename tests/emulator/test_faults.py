"""Fault injection, in-process (sync and async transports) and over a real uvicorn socket."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clio_emulator import Emulator, Fault, Faults, create_app

from .conftest import entry_body

ENTRIES = "/api/v4/calendar_entries.json"
DROPPED = (httpx.RemoteProtocolError, httpx.ReadError)


def tagged(key: str) -> dict[str, Any]:
    return entry_body(external_properties=[{"name": "clio_appointments.idempotency_key", "value": key}])


def find(client: httpx.Client, key: str) -> list[str]:
    params = {"external_property_name": "clio_appointments.idempotency_key", "external_property_value": key}
    return [e["id"] for e in client.get(ENTRIES, params=params).json()["data"]]


@pytest.fixture(params=["in-process", "socket"])
def http(request: pytest.FixtureRequest, clio_emulator: Emulator) -> Iterator[httpx.Client]:
    """A client on the emulator, in-process or through uvicorn on 127.0.0.1."""
    headers = {"Authorization": f"Bearer {clio_emulator.token}"}
    if request.param == "in-process":
        with httpx.Client(base_url=clio_emulator.base_url, transport=clio_emulator.transport(), headers=headers) as c:
            yield c
    else:
        server = request.getfixturevalue("clio_emulator_server")
        assert server.base_url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=server.base_url, headers=headers) as c:
            yield c


def test_status_fault_answers_then_counts_down(http: httpx.Client, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=503, times=2, retry_after=7)
    first, second, third = (http.post(ENTRIES, json=entry_body()) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 201)
    assert first.headers["retry-after"] == "7"
    assert first.json()["error"]["type"] == "ServiceUnavailable"
    assert clio_emulator.calendar_entry_count() == 1
    assert len(clio_emulator.faults) == 0


def test_fault_matches_method_and_path(http: httpx.Client, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, status=500)
    assert http.get(ENTRIES).status_code == 200
    assert http.get("/api/v4/calendars.json").status_code == 200
    assert http.post(ENTRIES, json=entry_body()).status_code == 500
    clio_emulator.faults.add(path="/api/v4/calendars/*", status=502, times=None)
    for _ in range(3):
        assert http.get("/api/v4/calendars/101.json").status_code == 502
    assert http.get("/api/v4/calendars.json").status_code == 200
    clio_emulator.faults.clear()
    assert http.get("/api/v4/calendars/101.json").status_code == 200


def test_drop_before_commit_writes_nothing(http: httpx.Client, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, drop="before_commit")
    with pytest.raises(DROPPED):
        http.post(ENTRIES, json=tagged("before"))
    assert clio_emulator.calendar_entry_count() == 0
    assert find(http, "before") == []


def test_drop_after_commit_writes_then_breaks_the_connection(http: httpx.Client, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="POST", path=ENTRIES, drop="after_commit")
    with pytest.raises(DROPPED):
        http.post(ENTRIES, json=tagged("after"))
    assert clio_emulator.calendar_entry_count() == 1
    assert len(find(http, "after")) == 1
    # The connection after the drop works normally.
    assert http.post(ENTRIES, json=tagged("next")).status_code == 201


def test_drop_after_commit_on_delete(http: httpx.Client, clio_emulator: Emulator) -> None:
    created = http.post(ENTRIES, json=entry_body()).json()["data"]["id"]
    clio_emulator.faults.add(method="DELETE", path="*", drop="after_commit")
    with pytest.raises(DROPPED):
        http.delete(f"/api/v4/calendar_entries/{created}.json")
    assert clio_emulator.calendar_entry_count() == 0


def test_delay_trips_a_client_read_timeout(http: httpx.Client, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="GET", path="/api/v4/calendars.json", status=None, delay=0.8)
    with pytest.raises(httpx.ReadTimeout):
        http.get("/api/v4/calendars.json", timeout=httpx.Timeout(5.0, read=0.2))


def test_delay_without_status_is_a_slow_success(http: httpx.Client, clio_emulator: Emulator) -> None:
    clio_emulator.faults.add(method="GET", path="/api/v4/calendars.json", status=None, delay=0.05)
    assert http.get("/api/v4/calendars.json").status_code == 200
    assert len(clio_emulator.faults) == 0


async def test_async_transport_faults(clio_emulator: Emulator) -> None:
    headers = {"Authorization": f"Bearer {clio_emulator.token}"}
    transport = clio_emulator.async_transport()
    async with httpx.AsyncClient(base_url=clio_emulator.base_url, transport=transport, headers=headers) as client:
        clio_emulator.faults.add(method="POST", path=ENTRIES, drop="after_commit")
        with pytest.raises(DROPPED):
            await client.post(ENTRIES, json=entry_body())
        assert clio_emulator.calendar_entry_count() == 1
        clio_emulator.faults.add(method="POST", path=ENTRIES, drop="before_commit")
        with pytest.raises(DROPPED):
            await client.post(ENTRIES, json=entry_body())
        assert clio_emulator.calendar_entry_count() == 1
        clio_emulator.faults.add(method="POST", path=ENTRIES, status=429, retry_after=3)
        limited = await client.post(ENTRIES, json=entry_body())
        assert (limited.status_code, limited.headers["retry-after"]) == (429, "3")
        clio_emulator.faults.add(path="*", status=None, delay=5.0)
        with pytest.raises(httpx.ReadTimeout):
            await client.get(ENTRIES, timeout=httpx.Timeout(5.0, read=0.2))
        assert (await client.post(ENTRIES, json=entry_body())).status_code == 201


def test_admin_endpoint_manages_faults(http: httpx.Client, clio_emulator: Emulator) -> None:
    anonymous = {"Authorization": ""}
    added = http.post(
        "/__emulator__/faults",
        json={"method": "get", "path": "/api/v4/calendars.json", "status": 504},
        headers=anonymous,
    )
    assert added.status_code == 201
    assert added.json()["data"]["method"] == "GET"
    listed = http.get("/__emulator__/faults", headers=anonymous).json()["data"]
    assert [(f["method"], f["path"], f["status"], f["times"]) for f in listed] == [
        ("GET", "/api/v4/calendars.json", 504, 1)
    ]
    assert http.get("/api/v4/calendars.json").status_code == 504
    http.post("/__emulator__/faults", json={"status": 500, "times": None})
    assert http.delete("/__emulator__/faults").status_code == 204
    assert http.get("/__emulator__/faults").json() == {"data": []}
    assert http.get("/api/v4/calendars.json").status_code == 200
    health = http.get("/__emulator__/health", headers=anonymous)
    assert health.json()["status"] == "ok"


@pytest.mark.parametrize(
    "body",
    [
        {"status": 200},
        {"status": "503"},
        {"times": 0},
        {"delay": -1},
        {"delay": 1e9},
        {"drop": "sometimes"},
        {"retry_after": 1.5},
        {"colour": "red"},
        {"method": ""},
        [],
        "x",
    ],
)
def test_admin_endpoint_refuses_bad_faults(client: httpx.Client, clio_emulator: Emulator, body: Any) -> None:
    response = client.post("/__emulator__/faults", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"]
    assert len(clio_emulator.faults) == 0
    assert client.post("/__emulator__/faults", content=b"{").status_code == 400


def test_faults_from_create_app() -> None:
    app = create_app(rate_limit=None, faults=[Fault(path="*", status=500), {"method": "GET", "status": 502}])
    emu: Emulator = app.state.emulator
    assert [f.status for f in emu.faults.active()] == [500, 502]
    with pytest.raises(ValueError, match="unknown field"):
        Faults([{"stat": 500}])
    with pytest.raises(ValueError, match="status"):
        emu.faults.add(status=302)
    emu.close()


def test_request_count_counts_clio_requests_only(http: httpx.Client, clio_emulator: Emulator) -> None:
    start = clio_emulator.request_count
    clio_emulator.faults.add(status=503)
    http.get("/api/v4/calendars.json")
    http.get("/api/v4/calendars.json")
    http.get("/nowhere")
    http.get("/__emulator__/health")
    assert clio_emulator.request_count - start == 3


def test_an_injected_drop_is_not_logged_as_a_server_error(clio_emulator_server: Emulator) -> None:
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    logger = logging.getLogger("uvicorn.error")
    handler = Keep(level=logging.ERROR)
    logger.addHandler(handler)
    try:
        clio_emulator_server.faults.add(path="*", drop="after_commit")
        with pytest.raises(DROPPED):
            httpx.get(
                f"{clio_emulator_server.base_url}/api/v4/calendars.json",
                headers={"Authorization": f"Bearer {clio_emulator_server.token}"},
            )
    finally:
        logger.removeHandler(handler)
    assert [r.getMessage() for r in seen] == []
