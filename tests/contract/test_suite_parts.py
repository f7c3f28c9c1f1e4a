"""The conformance suite's own parts: options, rate-limit waits, redaction, JUnit, request shaping, field catalogs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation

from clio_conformance import (
    MARKER_PROPERTY,
    ConformanceOptions,
    ConformanceReport,
    OptionsError,
    Outcome,
    RateLimitWaits,
    Redactor,
    Shaper,
    TestResult,
    Workspace,
    field_catalog,
    load_schema,
    write_junit,
)
from clio_emulator import SEED, Emulator

from .conftest import CONTACTS, TOKEN, workspace_client

ENTRY = "/api/v4/calendar_entries/{id}.json"
ENTRIES = "/api/v4/calendar_entries.json"

# ---- options ---------------------------------------------------------------------------------------------------


def test_options_keep_the_token_out_of_their_repr() -> None:
    options = ConformanceOptions("https://app.clio.com/", TOKEN)
    assert TOKEN not in repr(options)
    assert options.base_url == "https://app.clio.com"
    assert options.auth_header == f"Bearer {TOKEN}"


@pytest.mark.parametrize(
    ("base_url", "token", "kwargs", "message"),
    [
        ("http://app.clio.com", TOKEN, {}, "must be https"),
        ("ftp://127.0.0.1", TOKEN, {}, "http(s) URL"),
        ("https://app.clio.com/api/v4", TOKEN, {}, "must not have a path"),
        ("https://user:pw@app.clio.com", TOKEN, {}, "without credentials"),
        ("https://app.clio.com", "", {}, "--token is required"),
        ("https://app.clio.com", "two words", {}, "cannot have"),
        ("https://app.clio.com", "line\nbreak", {}, "cannot have"),
        ("https://app.clio.com", TOKEN, {"max_examples": 0}, "--max-examples"),
        ("https://app.clio.com", TOKEN, {"contact_ids": (0,)}, "--contact-id"),
        ("https://app.clio.com", TOKEN, {"contact_ids": (True,)}, "--contact-id"),
    ],
)
def test_options_refuse_what_cannot_work(base_url: str, token: str, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(OptionsError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        ConformanceOptions(base_url, token, **kwargs)
    assert token not in str(caught.value) or not token


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8765", "http://localhost:1", "http://[::1]:80"])
def test_plain_http_is_fine_on_loopback(base_url: str) -> None:
    assert ConformanceOptions(base_url, TOKEN).base_url == base_url


# ---- rate-limit waits ----------------------------------------------------------------------------------------------


def _answers(*statuses: tuple[int, dict[str, str]]) -> Any:
    queue = list(statuses)
    return lambda: queue.pop(0)


def test_a_429_is_waited_out_as_long_as_retry_after_says() -> None:
    slept: list[float] = []
    waits = RateLimitWaits(sleep=slept.append)
    answer = waits.send(_answers((429, {"retry-after": "7"}), (200, {})), lambda r: r[0], lambda r: r[1])
    assert answer[0] == 200
    assert slept == [7.0]
    assert waits.waits == 1


@pytest.mark.parametrize(("header", "wait"), [("nonsense", 5.0), ("-3", 5.0), ("inf", 5.0), ("9999", 65.0)])
def test_odd_retry_after_values_give_a_bounded_wait(header: str, wait: float) -> None:
    slept: list[float] = []
    RateLimitWaits(sleep=slept.append).send(
        _answers((429, {"Retry-After": header}), (200, {})), lambda r: r[0], lambda r: r[1]
    )
    assert slept == [wait]


def test_waiting_gives_up_after_its_attempts_and_returns_the_last_answer() -> None:
    slept: list[float] = []
    waits = RateLimitWaits(sleep=slept.append, attempts=3)
    answer = waits.send(lambda: (429, {"retry-after": "1"}), lambda r: r[0], lambda r: r[1])
    assert answer[0] == 429
    assert len(slept) == 2


# ---- redaction and JUnit -------------------------------------------------------------------------------------------


def test_the_redactor_removes_the_bearer_header_and_the_bare_token() -> None:
    redact = Redactor(f"Bearer {TOKEN}", TOKEN)
    text = redact(f"Authorization: Bearer {TOKEN}; echoed {TOKEN}!")
    assert TOKEN not in text
    assert text == "Authorization: ***; echoed ***!"
    assert TOKEN not in repr(redact)


def test_junit_is_valid_xml_whatever_the_messages_hold(tmp_path: Path) -> None:
    nasty = 'control \x00\x08\x1b chars, a lone \ud800 surrogate, <tags> & "quotes" and \u2028 separators'
    report = ConformanceReport(base_url="http://127.0.0.1:1", seed=3)
    report.results = [
        TestResult("operations", "GET /x :: a", Outcome.PASSED, "12 responses", 0.5, 12),
        TestResult("operations", "GET /x :: b", Outcome.FAILED, nasty + "\nsecond line", 0.25, 3),
        TestResult("scenario", "create :: row", Outcome.ERROR, "ClioConnectionError: gone"),
        TestResult("stateful", "links :: walk", Outcome.SKIPPED, "needs --allow-writes"),
    ]
    report.not_cleaned = ["entry 1234: HTTP 503"]
    path = tmp_path / "report.xml"
    write_junit(report, path)

    root = ET.parse(path).getroot()
    assert root.attrib["tests"] == "5"
    assert root.attrib["failures"] == "2"  # the failed check, and the cleanup that left an entry behind
    assert root.attrib["errors"] == "1"
    assert root.attrib["skipped"] == "1"
    suites = {suite.attrib["name"]: suite for suite in root.findall("testsuite")}
    assert set(suites) == {
        "conformance.operations",
        "conformance.scenario",
        "conformance.stateful",
        "conformance.cleanup",
    }
    failed = suites["conformance.operations"].findall("testcase")[1]
    failure = failed.find("failure")
    assert failure is not None
    assert failure.attrib["message"].startswith("control \\u0000\\u0008\\u001b chars, a lone \\ud800 surrogate")
    assert failure.text is not None and "second line" in failure.text
    properties = {p.attrib["name"]: p.attrib["value"] for p in suites["conformance.operations"].iter("property")}
    assert properties == {"base_url": "http://127.0.0.1:1", "seed": "3"}
    assert "entry 1234: HTTP 503" in ET.tostring(root, encoding="unicode")


def test_a_report_passes_only_when_everything_passed() -> None:
    report = ConformanceReport(base_url="http://127.0.0.1:1", seed=1)
    assert not report.passed  # nothing ran: nothing proven
    report.results.append(TestResult("setup", "a", Outcome.PASSED))
    report.results.append(TestResult("stateful", "b", Outcome.SKIPPED))
    assert report.passed
    report.not_cleaned.append("entry 1: HTTP 500")
    assert not report.passed


# ---- field catalogs ----------------------------------------------------------------------------------------------


def test_field_catalogs_come_from_the_response_schemas(spec: dict[str, Any]) -> None:
    entry = field_catalog(spec, ENTRY, "get")
    assert entry is not None
    assert set(entry.scalars) | set(entry.nested) == set(spec["components"]["schemas"]["CalendarEntry"]["properties"])
    assert set(entry.nested) == {"calendar_owner", "matter", "attendees", "external_properties"}
    assert set(entry.nested["attendees"]) == set(spec["components"]["schemas"]["Attendee"]["properties"])
    assert field_catalog(spec, "/api/v4/calendars.json", "get") is not None
    assert field_catalog(spec, ENTRY, "delete") is None


# ---- shaping -----------------------------------------------------------------------------------------------------


@pytest.fixture
def workspace(emulator: Emulator) -> Workspace:
    return Workspace(workspace_client(emulator), contact_ids=CONTACTS)


def make_case(operation: Any, **parts: Any) -> Any:
    return operation.schema.make_case(operation=operation, **parts)


def test_writes_to_entries_the_run_did_not_create_are_redirected(workspace: Workspace) -> None:
    schema = load_schema()
    shaper = Shaper(schema.raw_schema, workspace)
    patch = make_case(schema[ENTRY]["PATCH"], path_parameters={"id": 1}, body={"data": {"summary": "x"}})
    shaper(patch)
    assert workspace.owns(patch.path_parameters["id"])
    delete = make_case(schema[ENTRY]["DELETE"], path_parameters={"id": "5.0"})
    shaper(delete)
    assert workspace.owns(delete.path_parameters["id"])
    assert delete.path_parameters["id"] != patch.path_parameters["id"]  # a fresh entry to delete
    # In the stateful walk an unknown id stays unknown: it becomes an entry the run deleted.
    stateful = Shaper(schema.raw_schema, workspace, stateful=True)
    again = make_case(schema[ENTRY]["PATCH"], path_parameters={"id": 77}, body={"data": {}})
    stateful(again)
    assert again.path_parameters["id"] == workspace.dead_entry()
    # An id the run created is left alone.
    owned = make_case(schema[ENTRY]["DELETE"], path_parameters={"id": str(patch.path_parameters["id"])})
    shaper(owned)
    assert owned.path_parameters["id"] == str(patch.path_parameters["id"])


def test_created_entries_go_to_the_users_calendar_with_known_attendees_and_the_marker(workspace: Workspace) -> None:
    schema = load_schema()
    shaper = Shaper(schema.raw_schema, workspace)
    body = {
        "data": {
            "summary": "s",
            "start_at": "2031-01-01T10:00:00Z",
            "end_at": "2031-01-01T09:00:00Z",
            "calendar_owner": {"id": 999},
            "matter": {"id": 5},
            "send_email_notification": True,
            "attendees": [{"id": 7, "type": "Contact"}, {"id": 8, "type": "Calendar"}, {"type": "Contact"}],
            "external_properties": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}],
        }
    }
    case = make_case(schema[ENTRIES]["POST"], body=body, query={"fields": "garbage"}, media_type="application/json")
    shaper(case)
    data = case.body["data"]
    assert data["calendar_owner"] == {"id": SEED.own_calendar.id}
    assert "matter" not in data
    assert data["send_email_notification"] is False
    assert [(a["id"], a["type"]) for a in data["attendees"]] == [
        (CONTACTS[0], "Contact"),
        (SEED.own_calendar.id, "Calendar"),
        (CONTACTS[0], "Contact"),
    ]
    assert (data["start_at"], data["end_at"]) == ("2031-01-01T09:00:00Z", "2031-01-01T10:00:00Z")
    names = [p["name"] for p in data["external_properties"]]
    assert len(set(names)) == len(names)
    assert {"name": MARKER_PROPERTY, "value": workspace.run_id} in data["external_properties"]
    fields = case.query["fields"].split(",")
    assert fields[0] == "id"  # the created id is always asked for


DELETE_NEGATIVE = load_schema()[ENTRY]["DELETE"].as_strategy(generation_mode=GenerationMode.NEGATIVE)


@settings(max_examples=5, database=None, suppress_health_check=list(HealthCheck))
@given(case=DELETE_NEGATIVE.filter(lambda case: case.meta.is_negative_at(ParameterLocation.PATH)))
def test_a_negative_case_whose_invalid_part_was_replaced_is_not_judged_as_negative(
    case: Any, workspace: Workspace
) -> None:
    # An invalid id on a DELETE is replaced for safety, so the request that is sent is no longer invalid.
    shaper = Shaper(load_schema().raw_schema, workspace)
    assert shaper(case) == frozenset({"negative_data_rejection"})
    assert workspace.owns(case.path_parameters["id"])


def test_nothing_is_written_without_a_workspace(emulator: Emulator) -> None:
    schema = load_schema()
    shaper = Shaper(schema.raw_schema, None)
    case = make_case(schema[ENTRY]["DELETE"], path_parameters={"id": 1})
    shaper(case)
    assert case.path_parameters == {"id": 1}
    assert emulator.calendar_entry_count() == 0


def test_cleanup_deletes_tracked_entries_and_marked_ones_nobody_tracked(emulator: Emulator) -> None:
    http = workspace_client(emulator)
    workspace = Workspace(http, contact_ids=CONTACTS)
    tracked = workspace.new_entry()
    # An entry made with the run's marker whose creation answer never arrived: only the sweep can find it.
    lost = http.post(ENTRIES, json=workspace.scratch_body()).json()["data"]["id"]
    assert emulator.calendar_entry_count() == 2
    assert workspace.clean_up() == []
    assert emulator.calendar_entry_count() == 0
    assert tracked not in workspace.remaining()
    assert int(lost) > tracked


def test_workspace_reports_when_no_writeable_calendar_can_be_found(emulator: Emulator) -> None:
    from clio_conformance import SetupError

    # Calendar lookups that fail: the run must say it has nowhere to write, not guess a calendar.
    emulator.faults.add(method="GET", path="/api/v4/calendars.json", status=503, times=None)
    workspace = Workspace(workspace_client(emulator))
    with pytest.raises(SetupError, match="HTTP 503"):
        _ = workspace.calendar_id


def test_workspace_requests_wait_out_rate_limits(emulator: Emulator) -> None:
    emulator.faults.add(method="POST", path=ENTRIES, status=429, retry_after=2, times=1)
    slept: list[float] = []
    workspace = Workspace(workspace_client(emulator), waits=RateLimitWaits(sleep=slept.append))
    entry_id = workspace.new_entry()
    assert slept == [2.0]
    assert workspace.owns(entry_id)
