"""The pytest plugin as users get it (entry point, no conftest), and the in-process transports' life cycle."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from clio_emulator import Emulator, create_app

EMULATOR_DOCS = Path(__file__).resolve().parents[2] / "docs" / "emulator.md"


def portal_threads() -> int:
    return sum(t.name == "clio-emulator-portal" for t in threading.enumerate())


def test_the_docs_ci_example_runs_with_only_the_installed_plugin(tmp_path: Path) -> None:
    text = EMULATOR_DOCS.read_text(encoding="utf-8")
    section = text[text.index("## Using the emulator in your own CI") :]
    example = re.search(r"```python\n(.*?)```", section, re.S)
    assert example is not None
    (tmp_path / "test_users_ci.py").write_text(example.group(1), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_users_ci.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_closing_the_client_stops_the_transport_thread(clio_emulator: Emulator) -> None:
    before = portal_threads()
    with httpx.Client(base_url=clio_emulator.base_url, transport=clio_emulator.transport()) as client:
        client.get("/__emulator__/health")
        assert portal_threads() == before + 1
    assert portal_threads() == before


def test_closing_the_emulator_stops_transports_nobody_closed() -> None:
    emulator: Emulator = create_app(rate_limit=None).state.emulator
    before = portal_threads()
    leaked = httpx.Client(base_url=emulator.base_url, transport=emulator.transport())
    leaked.get("/__emulator__/health")
    assert portal_threads() == before + 1
    emulator.close()
    assert portal_threads() == before


async def test_sync_transport_works_inside_a_running_event_loop(clio_emulator: Emulator) -> None:
    # Sync code (e.g. the sync facade) called from an async test: the app runs on the transport's own loop.
    with httpx.Client(
        base_url=clio_emulator.base_url,
        transport=clio_emulator.transport(),
        headers={"Authorization": f"Bearer {clio_emulator.token}"},
    ) as client:
        assert client.get("/api/v4/users/who_am_i.json").status_code == 200
