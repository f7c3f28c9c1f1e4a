"""`clio-appointments conformance`: run the conformance suite against a Clio account or an emulator.

Exit status: 0 when everything passed, 1 when anything failed (or could not be cleaned up), 2 for bad arguments or
a suite that could not run at all.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import MissingExtraError

if TYPE_CHECKING:
    from clio_conformance import ConformanceReport, TestResult

HELP = "Check a Clio account (or the emulator) against the spec and App Connect's semantics; exit 0 only if all pass."

TOKEN_VARIABLE = "CLIO_TOKEN"
_SHOWN_LINES = 25


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value < 2**64:
        raise argparse.ArgumentTypeError("must be from 0 to 2**64 - 1")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base-url",
        required=True,
        metavar="URL",
        help="Clio's origin (https://app.clio.com, https://eu.app.clio.com, ...) or an emulator's http://127.0.0.1:PORT",
    )
    parser.add_argument(
        "--token",
        metavar="TOKEN",
        help=f"a Clio access token (default: the {TOKEN_VARIABLE} environment variable, which keeps it out of ps)",
    )
    parser.add_argument(
        "--allow-writes",
        action="store_true",
        help="also create, change and delete calendar entries (only ones the run creates; all deleted at the end); "
        "without it only GET requests are sent",
    )
    parser.add_argument("--junit", metavar="FILE", help="write a JUnit XML report to FILE")
    parser.add_argument(
        "--max-examples",
        type=_positive_int,
        metavar="N",
        help="generated requests per operation and phase (default: schemathesis.toml's, 20)",
    )
    parser.add_argument(
        "--contact-id",
        type=_positive_int,
        action="append",
        default=[],
        metavar="ID",
        help="an existing contact the run may add as an attendee (repeat it; two enable every scenario row)",
    )
    parser.add_argument("--seed", type=_seed, metavar="N", help="repeat an earlier run's generated requests")


def _fail(message: str) -> int:
    print(f"clio-appointments conformance: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    try:
        from rich.console import Console

        from clio_conformance import ConformanceOptions, OptionsError, Redactor, run_conformance, write_junit
    except ImportError as exc:
        raise MissingExtraError("conformance", exc.name or "schemathesis") from None

    token = args.token if args.token is not None else os.environ.get(TOKEN_VARIABLE, "")
    try:
        options = ConformanceOptions(
            base_url=args.base_url,
            token=token,
            allow_writes=args.allow_writes,
            max_examples=args.max_examples,
            contact_ids=tuple(args.contact_id),
            seed=args.seed,
        )
    except OptionsError as exc:
        return _fail(str(exc))
    junit = Path(args.junit) if args.junit else None
    if junit is not None and not junit.parent.is_dir():
        return _fail(f"--junit: the directory {str(junit.parent)!r} does not exist")

    console = Console(highlight=False)
    redact = Redactor(options.auth_header, options.token)
    mode = "reads and writes" if options.allow_writes else "GET requests only (--allow-writes for the rest)"
    console.print(f"[bold]Conformance[/bold] of {options.base_url}: {mode}")
    try:
        with _ProgressListener(console) as listener:
            report = run_conformance(options, listener=listener)
    except Exception as exc:  # a bug in the suite, not a finding: say what it was, without the token
        return _fail(redact(f"the suite itself failed: {type(exc).__name__}: {exc}"))
    _summary(console, report)
    if junit is not None:
        try:
            write_junit(report, junit)
        except OSError as exc:
            return _fail(f"--junit: cannot write {str(junit)!r}: {exc.strerror}")
        console.print(f"JUnit report: {junit}")
    return 0 if report.passed else 1


class _ProgressListener:
    """A spinner naming the current step, a running count, and each problem as soon as it is known."""

    def __init__(self, console: Any) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = console
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("[green]{task.fields[passed]} passed[/green] [red]{task.fields[failed]} not[/red]"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task("starting", passed=0, failed=0)
        self.passed = 0
        self.failed = 0

    def __enter__(self) -> _ProgressListener:
        self.progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.progress.stop()

    def step(self, text: str) -> None:
        self.progress.update(self.task, description=_escape(text))

    def result(self, result: TestResult) -> None:
        if result.ok:
            self.passed += 1
        else:
            self.failed += 1
            self.progress.console.print(_headline(result))
        self.progress.update(self.task, passed=self.passed, failed=self.failed)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


_MARKS = {"passed": "[green]PASS[/green]", "failed": "[red]FAIL[/red]", "error": "[red]ERROR[/red]"}


def _headline(result: TestResult) -> str:
    mark = _MARKS.get(result.outcome.value, "[yellow]SKIP[/yellow]")
    first = result.message.strip().splitlines()[0] if result.message.strip() else ""
    return f"{mark} {_escape(result.suite)}: {_escape(result.name)}" + (f" - {_escape(first)}" if first else "")


def _summary(console: Any, report: ConformanceReport) -> None:
    from rich.table import Table

    from clio_conformance import Outcome

    table = Table(title="Conformance summary", title_justify="left")
    table.add_column("suite")
    for outcome in Outcome:
        table.add_column(outcome.value, justify="right")
    suites: dict[str, list[TestResult]] = {}
    for result in report.results:
        suites.setdefault(result.suite, []).append(result)
    for suite, results in suites.items():
        table.add_row(suite, *(str(sum(r.outcome is o for r in results)) for o in Outcome))
    console.print(table)
    for result in report.failures:
        console.rule(_headline(result), align="left")
        lines = result.message.strip().splitlines()
        shown = lines[:_SHOWN_LINES] + (
            [f"... ({len(lines) - _SHOWN_LINES} more lines)"] if len(lines) > _SHOWN_LINES else []
        )
        console.print(_escape("\n".join(shown)))
    if report.not_cleaned:
        console.print("[red]Left behind (delete these by hand):[/red]")
        for item in report.not_cleaned:
            console.print(f"  {_escape(item)}")
    if report.rate_limited:
        console.print(f"Rate limited {report.rate_limited} times; the run waited as the server asked.")
    verdict = "[green]PASSED[/green]" if report.passed else "[red]FAILED[/red]"
    console.print(
        f"{verdict}: {report.count(Outcome.PASSED)} passed, {report.count(Outcome.FAILED)} failed, "
        f"{report.count(Outcome.ERROR)} errors, {report.count(Outcome.SKIPPED)} skipped (seed {report.seed})"
    )
