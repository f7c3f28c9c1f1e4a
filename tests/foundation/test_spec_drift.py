"""scripts/spec-drift: agreement with Clio's published spec, and every kind of drift it must report.

The upstream documents are hand-made: a small fixture in Clio's shape (3.0, server prefix /api/v4, `_base` schemas
joined by allOf, inline request bodies), and, for the drift kinds, our own subset re-expressed the way Clio
publishes it and then changed one fact at a time."""

from __future__ import annotations

import copy
import functools
import http.server
import importlib.machinery
import importlib.util
import json
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
SCRIPT = ROOT / "scripts" / "spec-drift"


def load_script() -> Any:
    loader = importlib.machinery.SourceFileLoader("spec_drift", str(SCRIPT))
    spec = importlib.util.spec_from_loader("spec_drift", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


spec_drift = load_script()


def only_operation(ours: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    """Our spec cut down to one operation, so a fixture covering only that operation can agree with it."""
    trimmed = copy.deepcopy(ours)
    trimmed["paths"] = {path: {method: trimmed["paths"][path][method]}}
    return trimmed


def as_published(ours: dict[str, Any]) -> dict[str, Any]:
    """Our subset in the form Clio publishes: server URL carries /api/v4, paths do not."""
    upstream = copy.deepcopy(ours)
    upstream["servers"] = [{"url": "https://app.clio.com/api/v4"}]
    upstream["paths"] = {path.removeprefix("/api/v4"): item for path, item in upstream["paths"].items()}
    return upstream


def problems(ours: dict[str, Any], upstream: dict[str, Any]) -> list[str]:
    report = spec_drift.drift(ours, upstream)
    return [f"{where}: {problem}" for where, found in report.problems.items() for problem in found]


def test_hand_made_upstream_in_clios_shape_agrees(spec: dict[str, Any]) -> None:
    upstream = json.loads((FIXTURES / "upstream-agrees.json").read_text())
    assert problems(only_operation(spec, "/api/v4/contacts/{id}.json", "get"), upstream) == []


def test_our_subset_agrees_with_itself_as_published(spec: dict[str, Any]) -> None:
    assert problems(spec, as_published(spec)) == []


def mutate_removed_path(up: dict[str, Any]) -> None:
    del up["paths"]["/calendar_entries/{id}.json"]["delete"]


def mutate_removed_field(up: dict[str, Any]) -> None:
    del up["components"]["schemas"]["CalendarEntry"]["properties"]["location"]


def mutate_removed_enum_value(up: dict[str, Any]) -> None:
    up["components"]["schemas"]["CalendarPermission"]["enum"].remove("editor")


def mutate_changed_type(up: dict[str, Any]) -> None:
    up["components"]["schemas"]["CalendarEntry"]["properties"]["id"] = {"type": "integer", "format": "int64"}


def mutate_now_required(up: dict[str, Any]) -> None:
    up["components"]["schemas"]["CalendarEntryCreate"]["required"].append("location")


def mutate_parameter_removed(up: dict[str, Any]) -> None:
    params = up["paths"]["/calendar_entries.json"]["get"]["parameters"]
    up["paths"]["/calendar_entries.json"]["get"]["parameters"] = [p for p in params if p.get("name") != "query"]


def mutate_parameter_required(up: dict[str, Any]) -> None:
    up["paths"]["/calendar_entries.json"]["get"]["parameters"].append(
        {"name": "calendar_ids[]", "in": "query", "required": True, "schema": {"type": "integer"}}
    )


def mutate_request_field_retyped(up: dict[str, Any]) -> None:
    up["components"]["schemas"]["CalendarEntryUpdate"]["properties"]["all_day"] = {"type": "string"}


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (mutate_removed_path, "DELETE /api/v4/calendar_entries/{id}.json: operation not in Clio's spec"),
        (mutate_removed_field, "location: field not in Clio's spec"),
        (mutate_removed_enum_value, "enum values ['editor'] are not in Clio's spec"),
        (mutate_changed_type, "data.id: type string here, integer in Clio's spec"),
        (mutate_now_required, "data.location: optional here, required in Clio's spec"),
        (mutate_parameter_removed, "query parameter 'query': not in Clio's spec"),
        (mutate_parameter_required, "query parameter 'calendar_ids[]': required by Clio, missing here"),
        (mutate_request_field_retyped, "data.all_day: type boolean here, string in Clio's spec"),
    ],
)
def test_each_kind_of_drift_is_reported(spec: dict[str, Any], mutate: Any, expected: str) -> None:
    upstream = as_published(spec)
    mutate(upstream)
    found = problems(spec, upstream)
    assert any(expected in line for line in found), found


def test_a_parameter_from_clios_guides_is_a_note_not_drift(spec: dict[str, Any]) -> None:
    """`offset` (Pagination guide) is not in Clio's openapi.json: marked x-spec-drift, it is listed as a note; the
    same parameter unmarked is a disagreement."""
    upstream = as_published(spec)
    report = spec_drift.drift(spec, upstream)
    assert not report.problems
    ours = copy.deepcopy(spec)
    up_params = upstream["paths"]["/calendar_entries.json"]["get"]["parameters"]
    upstream["paths"]["/calendar_entries.json"]["get"]["parameters"] = [
        p for p in up_params if p.get("$ref") != "#/components/parameters/Offset"
    ]
    report = spec_drift.drift(ours, upstream)
    assert not report.problems
    assert any("query parameter 'offset': not in Clio's spec (Clio's Pagination guide" in n for n in report.notes)
    del ours["components"]["parameters"]["Offset"]["x-spec-drift"]
    assert "GET /api/v4/calendar_entries.json: query parameter 'offset': not in Clio's spec" in problems(ours, upstream)


def test_command_exits_1_with_a_readable_report(spec: dict[str, Any], tmp_path: Path) -> None:
    upstream = as_published(spec)
    mutate_removed_field(upstream)
    path = tmp_path / "clio.json"
    path.write_text(json.dumps(upstream))
    result = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "GET /api/v4/calendar_entries.json response 200\n  - data[].location: field not in Clio's spec" in (
        result.stdout
    )
    assert "disagreement(s)" in result.stderr


def test_command_exits_0_when_in_agreement_and_2_on_unreadable_input(spec: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "clio.json"
    path.write_text(json.dumps(as_published(spec)))
    ok = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True)
    assert ok.returncode == 0 and "agrees" in ok.stdout
    (tmp_path / "bad.json").write_text("{not json")
    bad = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "bad.json")], capture_output=True, text=True)
    assert bad.returncode == 2 and "spec-drift:" in bad.stderr


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """A plain http server on loopback serving tmp_path: Clio's spec at a URL, with no network."""
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            thread.join(10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_command_fetches_clios_spec_from_a_url(spec: dict[str, Any], tmp_path: Path, served: str) -> None:
    upstream = as_published(spec)
    upstream["info"]["version"] = "v4-published"
    (tmp_path / "openapi.json").write_text(json.dumps(upstream))
    ok = subprocess.run([sys.executable, str(SCRIPT), f"{served}/openapi.json"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert f"Clio's spec: {served}/openapi.json (info.version v4-published)" in ok.stdout
    assert "agrees" in ok.stdout

    mutate_removed_field(upstream)
    (tmp_path / "drifted").write_text(yaml.safe_dump(upstream))  # YAML, and no suffix to tell
    drifted = subprocess.run([sys.executable, str(SCRIPT), f"{served}/drifted"], capture_output=True, text=True)
    assert drifted.returncode == 1
    assert "data[].location: field not in Clio's spec" in drifted.stdout


def test_a_url_that_fails_is_exit_2_with_the_reason(served: str, tmp_path: Path) -> None:
    missing = subprocess.run([sys.executable, str(SCRIPT), f"{served}/nope.json"], capture_output=True, text=True)
    assert missing.returncode == 2 and "HTTP 404" in missing.stderr
    (tmp_path / "page.html").write_text("<html>not a spec</html>")
    html = subprocess.run([sys.executable, str(SCRIPT), f"{served}/page.html"], capture_output=True, text=True)
    assert html.returncode == 2 and "spec-drift:" in html.stderr


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://docs.developers.clio.com/openapi.json", "plain http only on loopback"),
        ("ftp://docs.developers.clio.com/openapi.json", "not an https URL"),
        ("https:///openapi.json", "not an https URL"),
    ],
)
def test_only_https_urls_are_fetched(url: str, reason: str) -> None:
    # Refused before any connection is tried: these tests need no network.
    with pytest.raises(ValueError, match=reason):
        spec_drift.fetch(url)


def test_save_keeps_clios_spec_as_fetched(spec: dict[str, Any], tmp_path: Path, served: str) -> None:
    text = json.dumps(as_published(spec), indent=1)
    (tmp_path / "openapi.json").write_text(text)
    saved = tmp_path / "saved" / "clio-openapi.json"
    saved.parent.mkdir()
    assert spec_drift.main([f"{served}/openapi.json", "--save", str(saved)]) == 0
    assert saved.read_text() == text


WORKFLOW = ROOT / "examples" / "github-actions-spec-drift.yml"


def test_the_weekly_workflow_runs_spec_drift_on_clios_published_spec() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as a boolean
    assert triggers["schedule"] and "workflow_dispatch" in triggers
    url = workflow["env"]["CLIO_SPEC_URL"]
    assert url == spec_drift.CLIO_SPEC_URL
    (job,) = workflow["jobs"].values()
    runs = [step["run"] for step in job["steps"] if "spec-drift" in step.get("run", "")]
    assert len(runs) == 1 and "set -o pipefail" in runs[0]  # tee must not hide the exit status
    line = next(line for line in runs[0].splitlines() if "scripts/spec-drift" in line)
    args = shlex.split(line.split("2>&1")[0].replace("${CLIO_SPEC_URL}", url))[2:]
    assert args[0] == url
    parsed = spec_drift.build_parser().parse_args(args)
    assert parsed.clio_spec == url and parsed.save == Path("clio-openapi.json")
