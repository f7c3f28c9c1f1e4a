"""A whole conformance run: preflight, every operation, the stateful walk, the facade scenario, cleanup."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

import httpx

from ._behaviour import SUITE as BEHAVIOUR
from ._behaviour import Behaviour
from ._checking import Exerciser, TallyBook
from ._operations import OperationRunner, selected_operations
from ._options import DEFAULT_MAX_EXAMPLES, ConformanceOptions
from ._pacing import RateLimitWaits
from ._redact import Redactor
from ._results import ConformanceReport, Outcome, TestResult
from ._shaping import Shaper
from ._spec import load_schema, spec_path, spec_version
from ._workspace import MARKER_PROPERTY, KnownIds, SetupError, Workspace

__all__ = ["Listener", "run_conformance"]

_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
_NEEDS_WRITES = "needs --allow-writes (it creates, changes and deletes calendar entries)"


class Listener(Protocol):
    """Progress while a run goes on (the command shows it on the terminal)."""

    def step(self, text: str) -> None: ...

    def result(self, result: TestResult) -> None: ...


class _Quiet:
    def step(self, text: str) -> None:
        pass

    def result(self, result: TestResult) -> None:
        pass


class _Run:
    def __init__(self, options: ConformanceOptions, listener: Listener, sleep: Callable[[float], None]) -> None:
        self.options = options
        self.listener = listener
        self.redact = Redactor(options.auth_header, options.token)
        self.seed = options.seed if options.seed is not None else random.getrandbits(32)
        self.report = ConformanceReport(base_url=options.base_url, seed=self.seed)
        self.waits = RateLimitWaits(sleep=sleep)

    def add(self, result: TestResult) -> None:
        # The one door every result goes through, so nothing reaches the report, the terminal or the JUnit file
        # without passing the redactor.
        clean = replace(result, name=self.redact(result.name), message=self.redact(result.message))
        self.report.results.append(clean)
        self.listener.result(clean)

    def add_all(self, results: list[TestResult]) -> None:
        for result in results:
            self.add(result)

    def step(self, text: str) -> None:
        self.listener.step(self.redact(text))

    # ---- phases ------------------------------------------------------------------------------------------------------

    def preflight(self, http: httpx.Client) -> bool:
        """Whether the server answers and takes the token; a run that cannot pass this says why and stops."""
        self.step("preflight: GET /api/v4/users/who_am_i.json")
        started = time.monotonic()
        name = "reach the server and sign in"
        try:
            response = self.waits.send(
                lambda: http.get("/api/v4/users/who_am_i.json", params={"fields": "id"}),
                lambda r: r.status_code,
                lambda r: r.headers,
            )
        except httpx.HTTPError as exc:
            self.add(TestResult("setup", name, Outcome.ERROR, f"{self.options.base_url} cannot be reached: {exc}"))
            return False
        seconds = round(time.monotonic() - started, 3)
        if response.status_code in (401, 403):
            message = f"the token was refused (HTTP {response.status_code}); check --token"
            self.add(TestResult("setup", name, Outcome.FAILED, message, seconds))
            return False
        if response.status_code != 200:
            message = f"GET /api/v4/users/who_am_i.json answered HTTP {response.status_code}"
            self.add(TestResult("setup", name, Outcome.FAILED, message, seconds))
            return False
        self.add(TestResult("setup", name, Outcome.PASSED, "", seconds, 1))
        return True

    def writeable(self, workspace: Workspace) -> bool:
        self.step("preflight: finding the writeable calendar")
        name = "a writeable calendar for the entries the run creates"
        try:
            calendar_id = workspace.calendar_id
        except (SetupError, httpx.HTTPError) as exc:
            self.add(TestResult("setup", name, Outcome.FAILED, str(exc)))
            return False
        self.add(TestResult("setup", name, Outcome.PASSED, f"calendar {calendar_id}", 0.0, 1))
        return True

    def behaviour(self, http: httpx.Client, workspace: Workspace | None) -> None:
        """Clio's paging modes and X-API-VERSION; entry paging runs over three entries of the run's own."""
        import yaml

        marked: dict[str, str] | None = None
        if workspace is not None:
            try:
                for _ in range(3):
                    workspace.new_entry("entry for the paging checks")
                marked = {"external_property_name": MARKER_PROPERTY, "external_property_value": workspace.run_id}
            except (SetupError, httpx.HTTPError) as exc:
                self.add(TestResult(BEHAVIOUR, "paging :: the run's entries to page through", Outcome.ERROR, str(exc)))
        version = spec_version(yaml.safe_load(spec_path().read_text(encoding="utf-8")))
        Behaviour(http, spec_version=version, waits=self.waits, on_result=self.add, on_step=self.step).run(marked)

    def schemathesis_runs(self, workspace: Workspace | None, known: KnownIds) -> None:
        options = self.options
        schema = load_schema(
            base_url=options.base_url, auth_header=options.auth_header, max_examples=options.max_examples
        )
        max_examples = options.max_examples or schema.config.generation.max_examples or DEFAULT_MAX_EXAMPLES
        exerciser = Exerciser(
            base_url=options.base_url,
            auth_header=options.auth_header,
            waits=self.waits,
            redact=self.redact,
            workspace=workspace,
            book=TallyBook(),
        )
        runner = OperationRunner(
            schema,
            exerciser,
            Shaper(schema.raw_schema, workspace, known=known),
            max_examples=max_examples,
            seed=self.seed,
            on_step=self.step,
        )
        for operation in selected_operations(schema, allow_writes=workspace is not None):
            self.add_all(runner.run(operation))
        if workspace is None:
            self.add(TestResult("stateful", "links :: walk", Outcome.SKIPPED, _NEEDS_WRITES))
            return
        from ._stateful import run_stateful

        self.add_all(
            run_stateful(
                schema,
                exerciser,
                Shaper(schema.raw_schema, workspace, stateful=True, known=known),
                max_examples=max_examples,
                seed=self.seed,
                on_step=self.step,
            )
        )

    def scenario(self, workspace: Workspace | None) -> None:
        if workspace is None:
            self.add(TestResult("scenario", "facade scenario", Outcome.SKIPPED, _NEEDS_WRITES))
            return
        from clio_appointments import ClioCalendar

        from ._scenario import CountingTransport, Scenario

        counter = CountingTransport(httpx.HTTPTransport())
        calendar = ClioCalendar(self.options.auth_header, base_url=self.options.base_url, transport=counter)
        try:
            Scenario(
                calendar, counter, workspace, seed=self.seed, redact=self.redact, on_step=self.step, on_result=self.add
            ).run()
        finally:
            calendar.close()

    def clean_up(self, workspace: Workspace) -> None:
        self.step("cleanup: deleting every calendar entry the run created")
        started = time.monotonic()
        created = len(workspace.remaining())
        problems = workspace.clean_up()
        self.report.not_cleaned = [self.redact(p) for p in problems]
        seconds = round(time.monotonic() - started, 3)
        name = "delete every entry the run created"
        if problems:
            message = "could not delete:\n" + "\n".join(self.report.not_cleaned)
            self.add(TestResult("cleanup", name, Outcome.FAILED, message, seconds))
        else:
            self.add(TestResult("cleanup", name, Outcome.PASSED, f"{created} entries were still there", seconds))

    def run(self) -> ConformanceReport:
        options = self.options
        http = httpx.Client(
            base_url=options.base_url,
            headers={"Authorization": options.auth_header, "Accept": "application/json"},
            timeout=_TIMEOUT,
            follow_redirects=False,
        )
        workspace: Workspace | None = None
        try:
            if not self.preflight(http):
                return self.report
            if options.allow_writes:
                workspace = Workspace(http, contact_ids=options.contact_ids, waits=self.waits)
                if not self.writeable(workspace):
                    workspace = None
            self.behaviour(http, workspace)
            known = KnownIds(http, contact_ids=options.contact_ids, waits=self.waits)
            self.schemathesis_runs(workspace, known)
            self.scenario(workspace)
        finally:
            # Also after a failure or Ctrl-C: whatever was created goes.
            if workspace is not None:
                self.clean_up(workspace)
            http.close()
            self.report.rate_limited = self.waits.waits
        return self.report


def run_conformance(
    options: ConformanceOptions,
    *,
    listener: Listener | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> ConformanceReport:
    """Run the suite against `options.base_url`; the report says what passed, what failed and what is left over.

    Never raises for what the server does; the report's `passed` is False instead. `sleep` is how rate-limit waits
    happen (tests pass one that does not sleep).
    """
    return _Run(options, listener or _Quiet(), sleep).run()
