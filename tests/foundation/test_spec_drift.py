"""scripts/spec-drift: agreement with Clio's published spec, and every kind of drift it must report.

The upstream documents are hand-made: a small fixture in Clio's shape (3.0, server prefix /api/v4, `_base` schemas
joined by allOf, inline request bodies), and, for the drift kinds, our own subset re-expressed the way Clio
publishes it and then changed one fact at a time."""

from __future__ import annotations

import copy
import importlib.machinery
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

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
