"""N worker processes on one token against the emulator's rate limit, sharing state through a real redis-server:
no 429, one calendar lookup in all, and the time taken next to the least the limit allows (printed: timing on a
shared machine is noisy, so it is reported, not asserted; the counts are asserted)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

from clio_emulator import create_app, serve_in_thread

from .conftest import LOOKUP, POST

WORKER = Path(__file__).with_name("worker.py")
WORKERS = 4
CREATES = 20
LIMIT = 40
WINDOW = 5.0


def run_workers(base_url: str, redis_url: str, workers: int, creates: int) -> tuple[float, list[dict[str, object]]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    processes = [
        subprocess.Popen(
            [sys.executable, str(WORKER), base_url, redis_url, str(creates), f"worker-{n}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(workers)
    ]
    try:
        for process in processes:
            assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        started = time.monotonic()
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        summaries = []
        for process in processes:
            out, _ = process.communicate(timeout=180)
            summaries.append(json.loads(out.strip().splitlines()[-1]))
        return time.monotonic() - started, summaries
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_four_workers_on_one_token_draw_no_429_and_look_the_calendar_up_once(redis_url: str) -> None:
    app = create_app(rate_limit=LIMIT, rate_window=WINDOW)
    emulator = app.state.emulator
    with serve_in_thread(app) as base_url:
        elapsed, summaries = run_workers(base_url, redis_url, WORKERS, CREATES)
    emulator.close()
    statuses = emulator.answers_by_status()
    routes = emulator.answers_by_route()
    requests = sum(statuses.values())
    least = (math.ceil(requests / LIMIT) - 1) * WINDOW
    print(
        f"\n{WORKERS} workers x {CREATES} creates on one token, limit {LIMIT} per {WINDOW:g} s, shared state in Redis: "
        f"{requests} requests, {statuses.get(429, 0)} x 429, {routes.get(LOOKUP, 0)} calendar lookup(s); elapsed "
        f"{elapsed:.1f} s vs {least:.1f} s the limit allows: ratio {elapsed / least:.2f} (goal <= 1.3)"
    )
    assert [summary["errors"] for summary in summaries] == [[]] * WORKERS
    assert sum(int(str(summary["created"])) for summary in summaries) == WORKERS * CREATES
    assert statuses.get(429, 0) == 0
    assert routes[LOOKUP] == 1
    assert routes[POST] == WORKERS * CREATES
