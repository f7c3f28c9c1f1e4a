"""`clio-appointments conformance` end to end, against emulators served by uvicorn on a free 127.0.0.1 port.

The emulator (or a wrapper that breaks it on purpose) runs in this process on a real socket; the command talks to
it over HTTP like it would to Clio, and its JUnit file is parsed and checked.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.types import ASGIApp

from clio_appointments.cli import main
from clio_emulator import SEED, Emulator

from .conftest import CONTACTS, TOKEN, RecordingApp, RewritingApp, entry_id_as_integer

OPERATIONS = (
    "GET /api/v4/users/who_am_i.json",
    "GET /api/v4/calendars.json",
    "GET /api/v4/calendars/{id}.json",
    "GET /api/v4/calendar_entries.json",
    "POST /api/v4/calendar_entries.json",
    "GET /api/v4/calendar_entries/{id}.json",
    "PATCH /api/v4/calendar_entries/{id}.json",
    "DELETE /api/v4/calendar_entries/{id}.json",
    "GET /api/v4/contacts/{id}.json",
)
# The checks the issue names, which the shared settings must keep on for every operation.
UNIT_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "ignored_auth",
)
STATEFUL_CHECKS = ("use_after_free", "ensure_resource_availability", "response_schema_conformance")
CONTACT_ARGS = [arg for contact in CONTACTS for arg in ("--contact-id", str(contact))]


def suites_in(junit: Path) -> dict[str, dict[str, ET.Element]]:
    """suite name -> testcase name -> testcase element."""
    root = ET.parse(junit).getroot()
    assert root.tag == "testsuites"
    found: dict[str, dict[str, ET.Element]] = {}
    for suite in root.findall("testsuite"):
        found[suite.get("name", "")] = {case.get("name", ""): case for case in suite.findall("testcase")}
    return found


def outcome(case: ET.Element) -> str:
    for tag in ("failure", "error", "skipped"):
        if case.find(tag) is not None:
            return tag
    return "passed"


def run_command(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["conformance", *args])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_the_command_passes_against_a_served_emulator_and_writes_junit(
    clio_emulator_server: Emulator, tmp_path: Path
) -> None:
    junit = tmp_path / "conformance.xml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "clio_appointments",
            "conformance",
            "--base-url",
            clio_emulator_server.base_url,
            "--token",
            TOKEN,
            "--allow-writes",
            "--junit",
            str(junit),
            "--max-examples",
            "6",
            "--seed",
            "11",
            *CONTACT_ARGS,
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "PASSED" in output
    assert TOKEN not in output

    text = junit.read_text(encoding="utf-8")
    assert TOKEN not in text
    suites = suites_in(junit)
    assert set(suites) == {
        "conformance.setup",
        "conformance.behaviour",
        "conformance.operations",
        "conformance.stateful",
        "conformance.scenario",
        "conformance.cleanup",
    }
    everything = [case for suite in suites.values() for case in suite.values()]
    assert [c.get("name") for c in everything if outcome(c) != "passed"] == []
    for operation in OPERATIONS:
        for check in UNIT_CHECKS:
            assert f"{operation} :: {check}" in suites["conformance.operations"], (operation, check)
    for check in STATEFUL_CHECKS:
        assert f"links :: {check}" in suites["conformance.stateful"]
    # Clio's two paging modes and X-API-VERSION, entry paging included (the run wrote entries to page through).
    behaviour = suites["conformance.behaviour"]
    assert len(behaviour) == 9 and all(outcome(case) == "passed" for case in behaviour.values())
    assert "paging :: calendar entries by cursor" in behaviour
    scenario = suites["conformance.scenario"]
    for step in ("create ::", "read back ::", "refuse ::", "list ::", "update ::", "refresh ::", "cancel ::"):
        assert any(name.startswith(step) for name in scenario), step
    # Everything the run created is gone again.
    assert clio_emulator_server.calendar_entry_count() == 0


def test_without_writes_only_get_requests_are_sent(
    clio_emulator: Emulator, serve: Callable[[ASGIApp], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recording = RecordingApp(clio_emulator.app)
    base_url = serve(recording)
    junit = tmp_path / "read-only.xml"
    status, output = run_command(
        ["--base-url", base_url, "--token", TOKEN, "--junit", str(junit), "--max-examples", "4"], capsys
    )
    assert status == 0, output
    assert recording.requests
    assert {method for method, _ in recording.requests} == {"GET"}
    suites = suites_in(junit)
    assert {name.split(" :: ")[0] for name in suites["conformance.operations"]} == {
        op for op in OPERATIONS if op.startswith("GET ")
    }
    assert outcome(suites["conformance.stateful"]["links :: walk"]) == "skipped"
    assert outcome(suites["conformance.scenario"]["facade scenario"]) == "skipped"


def test_a_response_field_of_the_wrong_type_fails_the_run_naming_operation_and_field(
    clio_emulator: Emulator, serve: Callable[[ASGIApp], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Done when: the emulator returns calendar entry ids as integers (the spec says strings)."""
    base_url = serve(RewritingApp(clio_emulator.app, entry_id_as_integer))
    junit = tmp_path / "broken.xml"
    status, output = run_command(
        ["--base-url", base_url, "--token", TOKEN, "--allow-writes", "--junit", str(junit), "--max-examples", "5"],
        capsys,
    )
    assert status == 1, output
    assert "FAILED" in output
    assert "POST /api/v4/calendar_entries.json: Response violates schema" in output
    assert "Field: data.id" in output

    suites = suites_in(junit)
    create = suites["conformance.operations"]["POST /api/v4/calendar_entries.json :: response_schema_conformance"]
    failure = create.find("failure")
    assert failure is not None and failure.text is not None
    assert "POST /api/v4/calendar_entries.json" in failure.text
    assert "Field: data.id" in failure.text
    assert 'is not of type "string"' in failure.text
    # The stateful walk reads the created entries back and names that operation too.
    links = suites["conformance.stateful"]["links :: response_schema_conformance"].find("failure")
    assert links is not None and links.text is not None and "calendar_entries" in links.text
    # Checks that have nothing to do with the broken field still pass.
    assert (
        outcome(suites["conformance.operations"]["GET /api/v4/users/who_am_i.json :: response_schema_conformance"])
        == "passed"
    )
    # A failing run still cleans up after itself.
    assert outcome(suites["conformance.cleanup"]["delete every entry the run created"]) == "passed"
    assert clio_emulator.calendar_entry_count() == 0


def test_what_cannot_be_deleted_is_reported_and_fails_the_run(
    clio_emulator: Emulator, serve: Callable[[ASGIApp], str], tmp_path: Path
) -> None:
    from clio_conformance import ConformanceOptions, Outcome, TestResult, run_conformance

    class BreakDeletesAtCleanup:
        def step(self, text: str) -> None:
            if text.startswith("cleanup"):
                clio_emulator.faults.add(method="DELETE", path="/api/v4/calendar_entries/*", status=503, times=None)

        def result(self, result: TestResult) -> None:
            pass

    base_url = serve(clio_emulator.app)
    options = ConformanceOptions(base_url, TOKEN, allow_writes=True, max_examples=3, contact_ids=CONTACTS, seed=5)
    report = run_conformance(options, listener=BreakDeletesAtCleanup(), sleep=lambda _: None)
    clio_emulator.faults.clear()

    assert not report.passed
    left = clio_emulator.calendar_entry_count()
    assert left > 0
    assert len(report.not_cleaned) == left
    assert all("HTTP 503" in line for line in report.not_cleaned)
    cleanup = [r for r in report.results if r.suite == "cleanup"]
    assert [r.outcome for r in cleanup] == [Outcome.FAILED]
    assert "could not delete" in cleanup[0].message


def test_rate_limits_are_waited_out_not_reported(
    serve: Callable[[ASGIApp], str], capsys: pytest.CaptureFixture[str]
) -> None:
    from clio_emulator import create_app

    # Few enough that even a slow machine goes over it: the behaviour checks alone send a dozen requests at once.
    app = create_app(rate_limit=10, rate_window=1.0)
    try:
        base_url = serve(app)
        status, output = run_command(["--base-url", base_url, "--token", TOKEN, "--max-examples", "2"], capsys)
    finally:
        app.state.emulator.close()
    assert status == 0, output
    assert "Rate limited" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base-url", "http://example.com", "--token", TOKEN], "must be https"),
        (["--base-url", "https://app.clio.com/api", "--token", TOKEN], "must not have a path"),
        (["--base-url", "http://127.0.0.1:1", "--token", "not a token"], "cannot have"),
        (["--base-url", "http://127.0.0.1:1", "--token", TOKEN, "--junit", "/no/such/dir/x.xml"], "does not exist"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_sent(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, output = run_command(args, capsys)
    assert status == 2
    assert message in output
    assert TOKEN not in output


def test_the_token_can_come_from_the_environment(
    clio_emulator_server: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIO_TOKEN", SEED.second_token)
    status, output = run_command(["--base-url", clio_emulator_server.base_url, "--max-examples", "2"], capsys)
    assert status == 0, output
    assert SEED.second_token not in output


def test_an_unreachable_server_fails_with_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status, output = run_command(["--base-url", f"http://127.0.0.1:{port}", "--token", TOKEN], capsys)
    assert status == 1
    assert "cannot be reached" in output


def test_a_server_that_ignores_the_token_fails_ignored_auth(
    clio_emulator: Emulator, serve: Callable[[ASGIApp], str]
) -> None:
    from clio_conformance import ConformanceOptions, Outcome, run_conformance

    inner = clio_emulator.app

    async def trusting(scope: Any, receive: Any, send: Any) -> None:
        # Every request to the calendar list is let in as the seeded user, token or not.
        if scope["type"] == "http" and scope["path"] == "/api/v4/calendars.json":
            headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"authorization"]
            scope = {**scope, "headers": [*headers, (b"authorization", f"Bearer {TOKEN}".encode())]}
        await inner(scope, receive, send)

    report = run_conformance(ConformanceOptions(serve(trusting), TOKEN, max_examples=3, seed=2))
    failed = {r.name: r for r in report.results if r.outcome is Outcome.FAILED}
    assert set(failed) == {"GET /api/v4/calendars.json :: ignored_auth"}
    assert "API accepts requests without authentication" in failed["GET /api/v4/calendars.json :: ignored_auth"].message
