"""scripts/bench --quick: the five figures are printed and the emulator it started is gone afterwards.

No timing is asserted (the machine is shared and noisy); the request counts are counts, not times.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "scripts" / "bench"
NUMBER = r"[0-9]+(?:\.[0-9]+)?"


def test_quick_bench_prints_the_five_figures(tmp_path: Path) -> None:
    figures_file = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--json", str(figures_file)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(rf"^scripts/bench --quick: {NUMBER} cores", out, re.M)
    patterns = [
        rf"^1\. facade create vs raw httpx POST .*: {NUMBER} ms vs {NUMBER} ms, ratio {NUMBER} \(goal <= 1\.15",
        rf"^   client time per create with no network .*: replayed bytes {NUMBER} us, .* facade {NUMBER} us$",
        r"^2\. HTTP requests per create: cold 2, warm 1, warm on a new client 1 \(goal warm = 1: met\)",
        rf"^3\. async bulk, 2 rounds of 100 creates per arm at concurrency 32, median round: facade {NUMBER}/s vs raw "
        rf"{NUMBER}/s, ratio {NUMBER}",
        rf"^4\. import clio_appointments vs import httpx .*: {NUMBER} ms vs {NUMBER} ms, ratio {NUMBER} \(goal <= 2",
        rf"^5\. emulator throughput over a socket: {NUMBER} creates/s",
    ]
    for pattern in patterns:
        assert re.search(pattern, out, re.M), f"{pattern!r} not in:\n{out}"

    figures = json.loads(figures_file.read_text(encoding="utf-8"))
    assert figures["requests_per_create"] == {"cold": 2, "warm": 1, "new client": 1}
    assert figures["emulator_creates_per_s"] > 0

    # The emulator process the bench started has stopped: its port no longer answers.
    served = re.search(r"on http://127\.0\.0\.1:([0-9]+),", out)
    assert served is not None
    port = int(served.group(1))
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
