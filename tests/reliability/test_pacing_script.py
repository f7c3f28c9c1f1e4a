"""scripts/pacing runs and reports its figures (a small limiter, so it finishes in a second or two)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pacing"


def test_pacing_script_reports_no_429_and_the_ratio() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--limit", "10", "--window", "0.5", "--creates", "25"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "25 async creates, 25 created, 26 requests" in result.stdout
    assert "429s drawn: 0 (goal 0)" in result.stdout
    assert "the limit allows: ratio " in result.stdout


def test_pacing_script_refuses_nonsense_settings() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--limit", "0"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "--limit and --window must be positive" in result.stderr
