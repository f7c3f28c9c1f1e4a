"""The GitHub Actions example users copy: it parses, and every clio-appointments command in it is one the CLI takes."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from clio_appointments.cli import build_parser

WORKFLOW = Path(__file__).resolve().parents[2] / "examples" / "github-actions-conformance.yml"


def workflow() -> dict[Any, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def commands() -> list[list[str]]:
    """Every clio-appointments invocation in the workflow's `run` steps, as argument lists (variables filled in)."""
    found: list[list[str]] = []
    for job in workflow()["jobs"].values():
        for step in job["steps"]:
            script = step.get("run", "")
            script = re.sub(r"\\\n\s*", " ", script)  # continued lines
            for line in script.splitlines():
                line = line.strip()
                if line.startswith("clio-appointments "):
                    line = re.sub(r"\"\$\{\w+\[@\]\}\"", "", line)  # an array of optional arguments
                    line = re.sub(r"\$\{?\w+\}?", "X", line).split(">")[0]
                    found.append(shlex.split(line)[1:])
    return found


def subcommand_parser(name: str) -> argparse.ArgumentParser:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            sub: argparse.ArgumentParser = action.choices[name]
            return sub
    raise AssertionError(f"no subcommand {name}")


def test_the_workflow_has_an_emulator_job_and_a_sandbox_job_with_a_secret() -> None:
    jobs = workflow()["jobs"]
    assert set(jobs) == {"emulator", "sandbox"}
    assert "secrets.CLIO_SANDBOX_TOKEN" in jobs["sandbox"]["env"]["CLIO_TOKEN"]
    # The token travels in the environment, never on a command line that the log would show.
    assert all("--token" not in args for args in commands())


@pytest.mark.parametrize("args", commands(), ids=lambda args: " ".join(args[:2]))
def test_every_command_in_the_workflow_parses(args: list[str]) -> None:
    assert args[0] in {"serve", "conformance"}
    parsed = subcommand_parser(args[0]).parse_args(args[1:])
    if args[0] == "conformance":
        assert parsed.base_url
        assert parsed.junit
        assert parsed.allow_writes
    else:
        assert parsed.rate_limit == 0
