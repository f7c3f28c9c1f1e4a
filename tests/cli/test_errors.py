"""Failures: one line on stderr, exit 2 for usage or configuration, 1 for Clio's refusals; never a traceback or the
token."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from clio_emulator import Emulator

from .conftest import SECRET, Outcome, Run

PAYLOAD = json.dumps({"title": "Intake", "startTimeUtc": "2031-05-06T09:00:00Z"})


def assert_one_line_failure(result: Outcome, code: int, *fragments: str) -> None:
    assert result.code == code, result
    assert result.out == ""
    assert result.err.startswith("clio-appointments ")
    assert result.err.count("\n") == 1 and result.err.endswith("\n"), result.err
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err
    assert SECRET not in result.text


def test_missing_token(run: Run) -> None:
    result = run("list", "--base-url", "http://127.0.0.1:9")
    assert_one_line_failure(result, 2, "list: no Clio access token: pass --token or set CLIO_TOKEN")


def test_blank_token_in_the_environment(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIO_TOKEN", "  ")
    assert_one_line_failure(run("refresh", "1000"), 2, "no Clio access token")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["create", '{"title": "Intake",'], "PAYLOAD is not valid JSON (argument, line 1 column 20"),
        (["create", "title=Intake"], "PAYLOAD is not valid JSON"),
        (["update", "1000", "{'title': 'single quotes'}"], "PATCH is not valid JSON"),
        (["create", "@/nonexistent/payload.json"], "cannot read PAYLOAD from /nonexistent/payload.json"),
    ],
)
def test_bad_json_is_a_usage_error(run: Run, argv: list[str], message: str) -> None:
    result = run(*argv, "--token", SECRET, "--base-url", "http://127.0.0.1:9")
    assert_one_line_failure(result, 2, message)


def test_bad_json_in_a_file_names_the_file_and_line(run: Run, tmp_path: Path) -> None:
    payload = tmp_path / "payload.json"
    payload.write_text('{\n  "title": "Intake"\n  "durationMinutes": 30\n}\n', encoding="utf-8")
    result = run("create", f"@{payload}", "--token", SECRET)
    assert_one_line_failure(result, 2, f"({payload}, line 3 column 3")


def test_unknown_region(run: Run) -> None:
    result = run("list", "--region", "mars", "--token", SECRET)
    assert_one_line_failure(result, 2, "region must be one of us, eu, ca, au; got 'mars'")


def test_plain_http_base_url_off_loopback(run: Run) -> None:
    result = run("list", "--base-url", "http://clio.example.com", "--token", SECRET)
    assert_one_line_failure(result, 2, "only https is allowed, except for loopback hosts")


def test_token_that_cannot_be_a_bearer_token(run: Run) -> None:
    result = run("list", "--token", f"{SECRET}\r\nX-Injected: 1", "--base-url", "http://127.0.0.1:9")
    assert_one_line_failure(result, 2, "control character")


def test_the_token_is_scrubbed_even_from_messages_that_echo_input(run: Run) -> None:
    # The base URL is echoed in its error message; a token pasted into it must not come back out.
    result = run("list", "--token", SECRET, "--base-url", f"http://clio.example.com/{SECRET}")
    assert_one_line_failure(result, 2, "http://clio.example.com/***")


def test_day_and_range_together(run: Run) -> None:
    result = run("list", "--day", "2031-05-06", "--from", "2031-05-01", "--token", SECRET)
    assert_one_line_failure(result, 2, "--day cannot be combined with --from or --to")


def test_wrong_token_is_a_clio_error(run: Run, clio_emulator_server: Emulator) -> None:
    result = run("list", "--token", SECRET, "--base-url", clio_emulator_server.base_url)
    assert_one_line_failure(result, 1, "Clio answered 401", "(check --token or CLIO_TOKEN)")


def test_wrong_token_with_bearer_prefix(run: Run, clio_emulator_server: Emulator) -> None:
    result = run("create", PAYLOAD, "--token", f"Bearer {SECRET}", "--base-url", clio_emulator_server.base_url)
    assert_one_line_failure(result, 1, "Clio answered 401")


def test_unreachable_server(run: Run) -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("list", "--token", SECRET, "--base-url", f"http://127.0.0.1:{port}")
    assert_one_line_failure(result, 1, "ConnectError", "is the server running?")


def test_successful_false_exits_1(run: Run, server: list[str]) -> None:
    result = run("create", '{"title": "No start"}', *server)
    assert_one_line_failure(result, 1, "create: Invalid appointment: startTimeUtc is required.")


def test_successful_false_with_json_prints_the_result_and_exits_1(run: Run, server: list[str]) -> None:
    result = run("update", "not-a-number", '{"title": "x"}', *server, "--json")
    assert result.code == 1
    assert result.err == ""
    answer = json.loads(result.out)
    assert answer["successful"] is False
    assert answer["returnMessage"]["messageType"] == "warning"
    assert "appointmentId" in answer["returnMessage"]["message"]


def test_missing_argument_is_a_usage_error(run: Run) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("update", "1000")
    assert exit_info.value.code == 2


def test_create_with_unknown_outcome_names_the_key_that_settles_it(
    run: Run, server: list[str], clio_emulator_server: Emulator
) -> None:
    payload = '{"title": "Dropped", "startTimeUtc": "2024-03-15T14:00:00Z", "durationMinutes": 30}'
    clio_emulator_server.faults.add(method="POST", path="/api/v4/calendar_entries.json", drop="before_commit")
    result = run("create", payload, *server)
    assert_one_line_failure(result, 1, "run create again with --idempotency-key ")
    key = result.err.rsplit("--idempotency-key ", 1)[1].split(")")[0]
    retried = run("create", payload, *server, "--idempotency-key", key, "--json")
    assert retried.code == 0
    assert clio_emulator_server.calendar_entry_count() == 1
    again = run("create", payload, *server, "--idempotency-key", key, "--json")
    assert json.loads(again.out)["appointmentId"] == json.loads(retried.out)["appointmentId"]
