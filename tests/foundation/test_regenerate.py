"""scripts/regenerate --check notices any change to the spec that the committed client does not reflect."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A throw-away copy of what regenerate reads and writes."""
    for folder in ("openapi", "generated", "scripts"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def regenerate(checkout: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(checkout / "scripts" / "regenerate"), *args], capture_output=True, text=True, timeout=240
    )


def test_committed_client_matches_the_spec(checkout: Path) -> None:
    result = regenerate(checkout, "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_editing_one_field_fails_the_check_until_regenerated(checkout: Path) -> None:
    spec = checkout / "openapi" / "clio-v4-calendar.yaml"
    text = spec.read_text()
    edited = text.replace(
        '        location: {type: [string, "null"]}\n        start_at:',
        '        venue: {type: [string, "null"]}\n        start_at:',
        1,
    )
    assert edited != text
    spec.write_text(edited)

    failed = regenerate(checkout, "--check")
    assert failed.returncode == 1
    assert "venue" in failed.stdout and "models/calendar_entry.py" in failed.stdout
    assert "run scripts/regenerate" in failed.stderr

    assert regenerate(checkout).returncode == 0
    assert regenerate(checkout, "--check").returncode == 0
    assert "venue" in (checkout / "generated" / "clio_calendar_api" / "models" / "calendar_entry.py").read_text()
