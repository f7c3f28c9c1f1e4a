"""The report as JUnit XML: one <testsuite> per group, one <testcase> per operation and check, per scenario step."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from ._results import ConformanceReport, Outcome, TestResult

__all__ = ["junit_xml", "write_junit"]

# Characters XML 1.0 cannot carry at all (most control characters, lone surrogates, U+FFFE/U+FFFF). Generated
# requests are full of them, and one of them in a failure message would make the whole file unreadable.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MAX_ATTRIBUTE = 300


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= _MAX_ATTRIBUTE else line[: _MAX_ATTRIBUTE - 3] + "..."


def _counts(results: Iterable[TestResult]) -> dict[str, str]:
    items = list(results)
    return {
        "tests": str(len(items)),
        "failures": str(sum(r.outcome is Outcome.FAILED for r in items)),
        "errors": str(sum(r.outcome is Outcome.ERROR for r in items)),
        "skipped": str(sum(r.outcome is Outcome.SKIPPED for r in items)),
        "time": f"{sum(r.seconds for r in items):.3f}",
    }


def junit_xml(report: ConformanceReport) -> ET.Element:
    """The report as a JUnit XML tree: one <testsuite> per part, one <testcase> per operation and check."""
    results = list(report.results)
    if report.not_cleaned and not any(r.suite == "cleanup" and not r.ok for r in results):
        results.append(TestResult("cleanup", "entries the run created", Outcome.FAILED, "\n".join(report.not_cleaned)))
    root = ET.Element("testsuites", {"name": "clio-appointments conformance", **_counts(results)})
    suites: dict[str, list[TestResult]] = {}
    for result in results:
        suites.setdefault(result.suite, []).append(result)
    for suite, members in suites.items():
        element = ET.SubElement(root, "testsuite", {"name": f"conformance.{suite}", **_counts(members)})
        properties = ET.SubElement(element, "properties")
        ET.SubElement(properties, "property", {"name": "base_url", "value": _xml_text(report.base_url)})
        ET.SubElement(properties, "property", {"name": "seed", "value": str(report.seed)})
        for result in members:
            case = ET.SubElement(
                element,
                "testcase",
                {
                    "classname": f"clio_conformance.{suite}",
                    "name": _xml_text(result.name),
                    "time": f"{result.seconds:.3f}",
                },
            )
            message = _xml_text(result.message)
            if result.outcome is Outcome.FAILED:
                ET.SubElement(
                    case, "failure", {"message": _first_line(message), "type": "ConformanceFailure"}
                ).text = message
            elif result.outcome is Outcome.ERROR:
                ET.SubElement(
                    case, "error", {"message": _first_line(message), "type": "ConformanceError"}
                ).text = message
            elif result.outcome is Outcome.SKIPPED:
                ET.SubElement(case, "skipped", {"message": _first_line(message)})
            elif message:
                ET.SubElement(case, "system-out").text = message
    return root


def write_junit(report: ConformanceReport, path: str | Path) -> None:
    """Write the report to `path` (UTF-8, with an XML declaration), replacing the file if it exists."""
    tree = ET.ElementTree(junit_xml(report))
    ET.indent(tree)
    tree.write(Path(path), encoding="utf-8", xml_declaration=True)
