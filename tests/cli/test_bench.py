"""scripts/bench --smoke: a handful of creates per figure, so it runs in seconds. What it checks could be wrong in the
benchmark itself: the request counts it reports are the facade's real ones over a socket (2 cold, 1 warm), every arm
of every figure ran and produced a positive, finite measure, the TLS handshakes and the many-workers counts are the
server's own, and the emulator processes it started are gone afterwards.

No timing is asserted (the machine is shared and noisy).
"""

from __future__ import annotations

import json
import math
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[2] / "scripts" / "bench"


def numbers(figures: Any) -> list[float]:
    if isinstance(figures, dict):
        return [n for value in figures.values() for n in numbers(value)]
    if isinstance(figures, bool | str) or figures is None:
        return []
    return [float(figures)]


def test_smoke_bench_measures_every_figure_and_stops_its_emulator(tmp_path: Path) -> None:
    figures_file = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--smoke", "--json", str(figures_file)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("scripts/bench --smoke: ")
    for figure in range(1, 9):
        assert re.search(rf"^{figure}\. ", out, re.M), f"figure {figure} missing:\n{out}"

    figures = json.loads(figures_file.read_text(encoding="utf-8"))
    assert figures["command"] == "scripts/bench --smoke"
    assert figures["requests_per_create"] == {"cold": 2, "warm": 1, "new client": 1}
    assert set(figures["client_breakdown_s"]) == {
        "replayed bytes",
        "httpx post(params=, json=)",
        "generated client",
        "facade",
    }
    # The server's CPU is read in clock ticks: a smoke run's share may round to zero (and it is None off Linux).
    server_cpu = figures["async_bulk"].pop("server_cpu")
    assert server_cpu is None or server_cpu >= 0
    measured = {key: figures[key] for key in ("create_latency", "client_breakdown_s", "async_bulk", "import")}
    assert all(math.isfinite(n) and n > 0 for n in numbers(measured)), measured
    assert figures["emulator_creates_per_s"] == figures["async_bulk"]["raw_rate"] > 0
    # Over TLS: every arm measured; the fresh process's module-level calls made one handshake and one lookup.
    assert all(math.isfinite(n) and n > 0 for n in numbers(figures["tls"])), figures["tls"]
    assert figures["module_calls"] == {"calls": 10, "handshakes": 1, "resumed": 0, "lookups": 1, "creates": 10}
    # Many processes on one token: with Redis the counts are the goal's (the time is only reported), and the run
    # without shared state really ran (its 429s and lookups are whatever the race gave).
    with_redis, alone = figures["many_workers"]
    assert with_redis["shared"] and not alone["shared"]
    assert (with_redis["rate_limited"], with_redis["lookups"], with_redis["failed"]) == (0, 1, 0)
    assert with_redis["requests"] == 2 * 3 + 1 and alone["requests"] >= 7
    assert with_redis["elapsed"] > 0 and alone["elapsed"] > 0

    # The emulator processes the bench started have stopped: their ports no longer answer.
    served = re.findall(r"on https?://127\.0\.0\.1:([0-9]+),", out)
    assert len(served) == 2
    for port in served:
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", int(port))) != 0
