"""`clio-appointments demo`: the README's first command, with no account and no arguments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Run

STEPS = ("1. Create", "2. List the day", "3. Update", "4. Refresh", "5. Cancel")


def test_demo_walks_the_life_cycle_in_plain_text(run: Run) -> None:
    result = run("demo", "--day", "2030-01-02")

    assert result.code == 0, result.err
    assert result.err == ""
    out = result.out
    positions = [out.index(f"== {step} ==") for step in STEPS]
    assert positions == sorted(positions), "the steps are printed in order"
    # The App Connect payload is shown before it is sent, and what Clio made of it after.
    assert '"startTimeUtc": "2030-01-02T14:00:00Z"' in out
    assert "OK: Created appointment" in out
    assert "Wed 02 Jan 2030, 14:00-15:00 UTC" in out
    assert "2 HTTP requests to the emulator" in out  # the cold create: calendar lookup, then the POST
    assert "Wed 02 Jan 2030: 1 appointment" in out
    # The update moved it and added John Doe; the refresh shows the edit made behind the SDK's back.
    assert "Wed 02 Jan 2030, 15:30-16:15 UTC" in out
    assert "Jane Smith (Contact 201), John Doe (Contact 202)" in out
    assert "bring the engagement letter" in out
    assert "OK: Appointment cancelled successfully." in out
    assert "Wed 02 Jan 2030: no appointments." in out
    # Not a terminal: no colour codes, no box drawing, nothing a log file would mangle.
    assert "\x1b[" not in out
    assert out.isascii()


def test_demo_uses_rich_tables_on_a_terminal(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich treats the output as a terminal
    monkeypatch.setenv("COLUMNS", "120")

    result = run("demo", "--day", "2030-01-02")

    assert result.code == 0, result.err
    assert "\x1b[" in result.out
    assert "╭" in result.out  # rounded tables and panels
    assert "✓ Created appointment" in result.out
    assert "== 1. Create ==" not in result.out


def test_demo_runs_as_the_installed_command_with_no_arguments() -> None:
    """What scripts/demo runs after bootstrapping: the console script, no account, no network."""
    command = Path(sys.executable).with_name("clio-appointments")
    assert command.exists(), "the clio-appointments console script is installed with the package"

    done = subprocess.run([str(command), "demo"], capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for step in STEPS:
        assert f"== {step} ==" in done.stdout
    assert "none of them over the network" in done.stdout


def test_demo_rejects_a_day_that_is_not_a_date(run: Run) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("demo", "--day", "tomorrow")
    assert exit_info.value.code == 2
