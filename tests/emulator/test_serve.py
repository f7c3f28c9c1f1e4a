"""`clio-appointments serve`: a real server from the command line, stopped with Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from clio_appointments.cli import build_parser
from clio_emulator import SEED

EXE = Path(sys.executable).with_name("clio-appointments")


def start(*args: str) -> tuple[subprocess.Popen[str], str, str]:
    """The server process, its base URL and its banner."""
    proc = subprocess.Popen(
        [str(EXE), "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    # The banner is three lines: URL, token, rate limit and faults. Read exactly those here: communicate() later
    # reads the pipe itself and would miss anything left in this file object's buffer.
    banner = "".join(proc.stdout.readline() for _ in range(3))
    match = re.search(r"(http://127\.0\.0\.1:\d+)", banner)
    assert match, (banner, proc.stderr.read() if proc.poll() is not None else "")
    return proc, match.group(1), banner


def wait_until_up(base_url: str) -> None:
    for _ in range(200):
        try:
            httpx.get(f"{base_url}/__emulator__/health", timeout=1.0).raise_for_status()
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("server did not come up")


def stop(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    return proc.returncode, out, err


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], str, str]]:
    proc, url, banner = start("--rate-limit", "0")
    try:
        wait_until_up(url)
        yield proc, url, banner
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_serve_prints_url_and_token_and_stops_on_ctrl_c(served: tuple[subprocess.Popen[str], str, str]) -> None:
    proc, url, banner = served
    headers = {"Authorization": f"Bearer {SEED.token}"}
    who = httpx.get(f"{url}/api/v4/users/who_am_i.json", params={"fields": "name"}, headers=headers)
    assert who.json() == {"data": {"name": "Ada Lovelace"}}
    assert "x-ratelimit-limit" not in who.headers  # --rate-limit 0: off, as create_app(rate_limit=0)
    code, out, err = stop(proc)
    assert code == 0, err
    assert f"Clio emulator on {url}" in banner
    assert f"Token: {SEED.token}" in banner and "Rate limit: off" in banner
    assert "Clio emulator stopped." in out
    assert "Traceback" not in err


def test_serve_with_a_db_file_keeps_data_across_restarts(tmp_path: Path) -> None:
    db = str(tmp_path / "serve.sqlite3")
    headers = {"Authorization": f"Bearer {SEED.token}"}
    body = {
        "data": {
            "summary": "kept",
            "start_at": "2024-03-15T14:00:00Z",
            "end_at": "2024-03-15T15:00:00Z",
            "calendar_owner": {"id": 101},
        }
    }
    proc, url, _ = start("--db", db)
    try:
        wait_until_up(url)
        created = httpx.post(f"{url}/api/v4/calendar_entries.json", json=body, headers=headers)
        assert created.status_code == 201
        assert created.headers["x-ratelimit-limit"] == "50"  # Clio's default limit is on unless turned off
    finally:
        assert stop(proc)[0] == 0
    proc, url, _ = start("--db", db)
    try:
        wait_until_up(url)
        listed = httpx.get(f"{url}/api/v4/calendar_entries.json", params={"fields": "summary"}, headers=headers)
        assert listed.json()["data"] == [{"summary": "kept"}]
    finally:
        assert stop(proc)[0] == 0


def test_serve_reports_a_port_in_use(served: tuple[subprocess.Popen[str], str, str]) -> None:
    _, url, _ = served
    port = url.rsplit(":", 1)[1]
    result = subprocess.run([str(EXE), "serve", "--port", port], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


def test_serve_reports_an_unusable_db_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(EXE), "serve", "--port", "0", "--db", str(tmp_path / "missing-dir" / "x.sqlite3")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "cannot open --db" in result.stderr and "Traceback" not in result.stderr


def test_serve_defaults_are_loopback_and_documented() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.db, args.rate_limit, args.no_seed) == ("127.0.0.1", 8765, None, 50, False)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--rate-limit", "-1"])


def test_served_socket_is_tcp_so_asyncio_disables_nagle() -> None:
    # With protocol 0 asyncio leaves Nagle's algorithm on, and each small response waits for a delayed ACK (~40 ms).
    import socket

    from clio_emulator import bind

    sock = bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()
