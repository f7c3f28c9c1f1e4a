"""Typed input: `mypy --strict` on user code rejects a misspelt key in a payload, patch or range written as a dict
literal, and accepts the right keys and loose JSON (`dict[str, Any]` from a webhook, or `Any` from json.loads).

One mypy run over a snippet: every line marked `# BAD` must be reported, and nothing else may be.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SNIPPET = """\
import json
from typing import Any

from clio_appointments import (
    AppointmentPatch,
    AppointmentPayload,
    AsyncClioCalendar,
    ClioCalendar,
    acreate_appointment,
    alist_appointments,
    aupdate_appointment,
    create_appointment,
    list_appointments,
    update_appointment,
)

START = "2024-03-15T14:00:00Z"


def good(calendar: ClioCalendar, webhook: dict[str, Any], raw: str) -> None:
    calendar.create_appointment(
        {"title": "Intake", "summary": "Notes", "startTimeUtc": START, "durationMinutes": 30, "contacts": [1, "2"]}
    )
    calendar.create_appointment({"startTime": START, "contacts": ({"id": 3}, 4.0), "idempotencyKey": "k"})
    calendar.create_appointment(webhook)
    calendar.create_appointment(json.loads(raw))
    calendar.update_appointment("1", {"title": "New", "status": "confirmed"})
    calendar.update_appointment(1, webhook)
    calendar.list_appointments({"startDate": "2024-03-15", "endDate": "2024-03-16"}, mine_only=True)
    calendar.list_appointments({"startTime": START, "endTime": START})
    calendar.list_appointments(webhook)
    calendar.list_appointments()
    payload: AppointmentPayload = {"title": "Intake", "startTimeUtc": START}
    calendar.create_appointment(payload)
    patch: AppointmentPatch = {"durationMinutes": 45}
    calendar.update_appointment("1", patch)
    create_appointment(user=None, auth_header="t", payload={"title": "Intake", "startTimeUtc": START})
    create_appointment(user=None, auth_header="t", payload=webhook)
    update_appointment(user=None, auth_header="t", appointment_id="1", patch={"contacts": []})
    list_appointments(user=None, auth_header="t", range={"startDate": "2024-03-15"}, mine_only=False)


async def good_async(calendar: AsyncClioCalendar, webhook: dict[str, Any]) -> None:
    await calendar.create_appointment({"title": "Intake", "startTimeUtc": START})
    await calendar.update_appointment("1", webhook)
    await acreate_appointment(user=None, auth_header="t", payload={"summary": "Notes", "startTimeUtc": START})
    await aupdate_appointment(user=None, auth_header="t", appointment_id="1", patch={"title": "New"})
    await alist_appointments(user=None, auth_header="t", range={"endDate": "2024-03-15"})


def bad(calendar: ClioCalendar) -> None:
    calendar.create_appointment({"titel": "Intake", "startTimeUtc": START})  # BAD
    calendar.create_appointment({"title": "Intake", "startTimeUTC": START})  # BAD
    calendar.update_appointment("1", {"titel": "New"})  # BAD
    calendar.list_appointments({"from": "2024-03-15"})  # BAD
    calendar.list_appointments(None, mineOnly=True)  # BAD
    create_appointment(user=None, auth_header="t", payload={"titel": "Intake"})  # BAD
    update_appointment(user=None, auth_header="t", appointment_id="1", patch={"stauts": "x"})  # BAD
    list_appointments(user=None, auth_header="t", range={"start": "2024-03-15"})  # BAD
    calendar.create_appointment({"title": 5, "startTimeUtc": START})  # BAD
    payload: AppointmentPayload = {"titel": "Intake"}  # BAD


async def bad_async(calendar: AsyncClioCalendar) -> None:
    await calendar.create_appointment({"titel": "Intake"})  # BAD
    await acreate_appointment(user=None, auth_header="t", payload={"titel": "Intake"})  # BAD
    await aupdate_appointment(user=None, auth_header="t", appointment_id="1", patch={"titel": "New"})  # BAD
"""


@pytest.mark.slow
def test_mypy_strict_rejects_misspelt_keys_and_accepts_the_rest(tmp_path: Path) -> None:
    (tmp_path / "user_code.py").write_text(SNIPPET)
    (tmp_path / "mypy.ini").write_text(
        f"[mypy]\nstrict = True\npython_version = 3.11\nmypy_path = {ROOT / 'src'}:{ROOT / 'generated'}\n"
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            "mypy.ini",
            "--cache-dir",
            str(tmp_path / "cache"),
            "user_code.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    reported = {int(m[1]) for m in re.finditer(r"^user_code\.py:(\d+): error:", run.stdout, re.MULTILINE)}
    lines = SNIPPET.splitlines()
    marked = {number for number, line in enumerate(lines, 1) if line.endswith("# BAD")}
    assert reported == marked, (
        f"not reported: {[lines[n - 1].strip() for n in sorted(marked - reported)]}\n"
        f"reported but fine: {[lines[n - 1].strip() for n in sorted(reported - marked)]}\n{run.stdout}{run.stderr}"
    )
    # A literal passed straight in fails on its entries ([dict-item]: a misspelt key leaves only the loose-JSON type,
    # whose values can be nothing); one annotated with the TypedDict names the key.
    assert "[dict-item]" in run.stdout
    assert 'Extra key "titel" for TypedDict "AppointmentPayload"' in run.stdout
