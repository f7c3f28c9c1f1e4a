"""The SQLite store: a file outlives the app, concurrent writes all land, seeding is idempotent."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import httpx

from clio_emulator import SEED, Emulator, create_app

from .conftest import create, entry_body, make_client

ENTRIES = "/api/v4/calendar_entries.json"


def test_file_backed_store_survives_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "clio.sqlite3")
    first: Emulator = create_app(db_path=db, rate_limit=None).state.emulator
    with make_client(first) as client:
        entry = create(client, "id,etag", external_properties=[{"name": "k", "value": "v"}])
    first.close()

    second: Emulator = create_app(db_path=db, rate_limit=None).state.emulator
    with make_client(second) as client:
        again = client.get(f"/api/v4/calendar_entries/{entry['id']}.json", params={"fields": "id,etag,summary"})
        assert again.status_code == 200
        assert again.json()["data"]["etag"] == entry["etag"]
        # Ids keep counting up; seeding again added nothing.
        assert int(create(client)["id"]) > int(entry["id"])
        assert client.get("/api/v4/calendars.json").json()["meta"]["records"] == 3
    assert second.calendar_entry_count() == 2
    second.close()


def test_unseeded_store_has_no_users(tmp_path: Path) -> None:
    emu: Emulator = create_app(seed=False, rate_limit=None).state.emulator
    with make_client(emu) as client:
        assert client.get("/api/v4/users/who_am_i.json").status_code == 401
    emu.close()


def test_concurrent_creates_from_threads_are_all_stored(emu: Emulator) -> None:
    threads, per_thread = 8, 15
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)
    shared = make_client(emu)  # one client (and transport) used by every thread at once

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                body = entry_body(external_properties=[{"name": "key", "value": f"{n}-{i}"}])
                assert shared.post(ENTRIES, json=body).status_code == 201
        except BaseException as exc:  # reported below
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    shared.close()
    assert errors == []
    assert emu.calendar_entry_count() == threads * per_thread
    with make_client(emu) as client:
        ids = [e["id"] for e in client.get(ENTRIES).json()["data"]]
    assert len(set(ids)) == threads * per_thread


def test_concurrent_creates_from_separate_transports_and_loops(emu: Emulator) -> None:
    async def burst() -> None:
        headers = {"Authorization": f"Bearer {SEED.token}"}
        async with httpx.AsyncClient(base_url=emu.base_url, transport=emu.async_transport(), headers=headers) as c:
            responses = await asyncio.gather(*(c.post(ENTRIES, json=entry_body()) for _ in range(20)))
        assert {r.status_code for r in responses} == {201}

    runners = [threading.Thread(target=asyncio.run, args=(burst(),)) for _ in range(3)]
    for r in runners:
        r.start()
    with make_client(emu) as client:
        for _ in range(20):
            create(client)
    for r in runners:
        r.join()
    assert emu.calendar_entry_count() == 80
