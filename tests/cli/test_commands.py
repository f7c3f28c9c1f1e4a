"""create, list, update, refresh and cancel against a served emulator, as a person and as a script (--json)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from clio_emulator import Emulator

from .conftest import Run

PAYLOAD = {
    "title": "Intake call with Jane Smith",
    "summary": "Initial consultation",
    "startTimeUtc": "2031-05-06T09:00:00Z",
    "durationMinutes": 30,
    "contacts": [201],
}


def as_json(run: Run, *argv: str) -> tuple[int, Any]:
    result = run(*argv, "--json")
    assert result.err == "", result.err
    return result.code, json.loads(result.out)


def test_life_cycle_with_json_output(run: Run, server: list[str], clio_emulator_server: Emulator) -> None:
    code, created = as_json(run, "create", json.dumps(PAYLOAD), *server)
    assert code == 0
    appointment_id = created["appointmentId"]
    assert created["appointment"] == {
        "id": appointment_id,
        "thirdPartyAppointmentId": appointment_id,
        "title": "Intake call with Jane Smith",
        "description": "Initial consultation",
        "startTimeUtc": "2031-05-06T09:00:00.000Z",
        "durationMinutes": 30,
        "status": "scheduled",
        "contactId": "",
        "attendees": [{"id": 201, "name": "Jane Smith", "type": "Contact"}],
    }

    code, listed = as_json(run, "list", "--day", "2031-05-06", *server)
    assert code == 0
    assert [a["id"] for a in listed["appointments"]] == [appointment_id]
    code, other_day = as_json(run, "list", "--from", "2031-05-07", "--to", "2031-05-08", *server)
    assert (code, other_day) == (0, {"appointments": []})

    code, updated = as_json(run, "update", appointment_id, '{"title": "Moved", "durationMinutes": 45}', *server)
    assert code == 0
    assert (updated["appointment"]["title"], updated["appointment"]["durationMinutes"]) == ("Moved", 45)
    assert updated["appointment"]["description"] == "Initial consultation"  # not in the patch: unchanged

    code, refreshed = as_json(run, "refresh", appointment_id, *server)
    assert (code, refreshed) == (0, updated)

    code, cancelled = as_json(run, "cancel", appointment_id, *server)
    assert code == 0
    assert cancelled["successful"] is True
    assert clio_emulator_server.calendar_entry_count() == 0

    code, gone = as_json(run, "refresh", appointment_id, *server)
    assert code == 1
    assert gone == {
        "successful": False,
        "returnMessage": {"message": "Appointment not found in Clio.", "messageType": "warning", "ttl": 5000},
    }


def test_human_output_shows_the_appointment(run: Run, server: list[str]) -> None:
    created = run("create", json.dumps(PAYLOAD), *server)
    assert created.code == 0, created.err
    assert "OK: Created appointment" in created.out
    assert "Intake call with Jane Smith" in created.out
    assert "Tue 06 May 2031, 09:00-09:30 UTC" in created.out
    assert "Jane Smith (Contact 201)" in created.out
    appointment_id = created.out.split("Created appointment ", 1)[1].split(".", 1)[0]

    listed = run("list", "--day", "2031-05-06", *server)
    assert listed.code == 0
    assert "2031-05-06: 1 appointment" in listed.out
    assert appointment_id in listed.out

    cancelled = run("cancel", appointment_id, *server)
    assert (cancelled.code, cancelled.out.strip()) == (0, "OK: Appointment cancelled successfully.")
    again = run("cancel", appointment_id, *server)
    assert again.code == 0  # already gone is what the caller wanted; App Connect gets successful: true
    assert again.out.strip() == "Warning: Appointment not found in Clio; it was already cancelled or deleted."

    empty = run("list", "--day", "2031-05-06", *server)
    assert empty.out.strip() == "2031-05-06: no appointments."


def test_payload_from_a_file_and_from_stdin(
    run: Run, server: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    payload_file = tmp_path / "payload.json"
    payload_file.write_text(json.dumps({**PAYLOAD, "title": "From a file"}), encoding="utf-8")
    code, created = as_json(run, "create", f"@{payload_file}", *server)
    assert (code, created["appointment"]["title"]) == (0, "From a file")

    monkeypatch.setattr("sys.stdin", io.StringIO('{"title": "From stdin"}'))
    code, updated = as_json(run, "update", created["appointmentId"], "@-", *server)
    assert (code, updated["appointment"]["title"]) == (0, "From stdin")


def test_token_from_the_environment(run: Run, clio_emulator_server: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIO_TOKEN", clio_emulator_server.token)
    code, listed = as_json(run, "list", "--base-url", clio_emulator_server.base_url)
    assert (code, listed) == (0, {"appointments": []})


def test_the_same_idempotency_key_creates_once(run: Run, server: list[str], clio_emulator_server: Emulator) -> None:
    first = as_json(run, "create", json.dumps(PAYLOAD), "--idempotency-key", "booking-42", *server)
    second = as_json(run, "create", json.dumps(PAYLOAD), "--idempotency-key", "booking-42", *server)
    assert first[0] == second[0] == 0
    # The second call finds the entry the first one made under that key instead of posting again.
    assert second[1]["appointmentId"] == first[1]["appointmentId"]
    assert clio_emulator_server.calendar_entry_count() == 1
