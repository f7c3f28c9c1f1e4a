"""Every operation on its own: the spec's examples, schemathesis's coverage cases, then generated requests, positive
and negative, each answer put through every check that applies."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import hypothesis
from hypothesis import HealthCheck, Phase, Verbosity
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from ._checking import Exerciser, checks_for
from ._results import TestResult
from ._shaping import Shaper

if TYPE_CHECKING:
    from schemathesis import CheckFunction
    from schemathesis.specs.openapi.schemas import OpenApiSchema

    from ._typing import AnyCase, AnyOperation

__all__ = ["OperationRunner", "selected_operations"]

SUITE = "operations"


class _Stop(Exception):
    """Ends a phase early: the server cannot be reached, or the account refused what writes need."""


def selected_operations(schema: OpenApiSchema, *, allow_writes: bool) -> list[AnyOperation]:
    """The spec's operations, in its order; only GET ones without writes."""
    operations: list[AnyOperation] = []
    for result in schema.get_all_operations():
        if isinstance(result, Ok):
            operation = result.ok()
            if allow_writes or operation.method.upper() == "GET":
                operations.append(operation)
    return operations


def hypothesis_settings(max_examples: int, **extra: Any) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: failures are collected, never raised
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        print_blob=False,
        **extra,
    )


def run_with_hypothesis(
    strategy: st.SearchStrategy[Any], body: Callable[[Any], None], settings: hypothesis.settings, seed: int
) -> None:
    """Draw from `strategy` and call `body` outside pytest; `body` never raises except to stop the phase."""
    test = hypothesis.given(strategy)(body)
    test = settings(test)
    test = hypothesis.seed(seed)(test)
    test()


class OperationRunner:
    """Runs the per-operation phases and turns what the checks saw into one TestResult per (operation, check)."""

    def __init__(
        self,
        schema: OpenApiSchema,
        exerciser: Exerciser,
        shaper: Shaper,
        *,
        max_examples: int,
        seed: int,
        on_step: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.schema = schema
        self.exerciser = exerciser
        self.shaper = shaper
        self.max_examples = max_examples
        self.seed = seed
        self.on_step = on_step

    def run(self, operation: AnyOperation) -> list[TestResult]:
        label = operation.label
        phases: list[tuple[str, Callable[[AnyOperation, list[CheckFunction]], None]]] = [
            ("examples", self._examples),
            ("coverage", self._coverage),
            ("fuzzing", self._fuzzing),
        ]
        names: dict[str, None] = {}
        for phase, run_phase in phases:
            if not self.schema.config.phases_for(operation=operation).get_by_name(name=phase).enabled:
                continue
            checks = checks_for(self.schema, operation, phase, stateful=False)
            names.update(dict.fromkeys(c.__name__ for c in checks))
            self.on_step(f"{label}: {phase}")
            try:
                run_phase(operation, checks)
            except _Stop as stop:
                self.exerciser.book.block(label, str(stop))
                break
            except Exception as exc:  # generation or Hypothesis itself failed: report, go on with the next phase
                self.exerciser.book.block(label, self.exerciser.redact(f"{phase}: {type(exc).__name__}: {exc}"))
        return self.exerciser.book.results(SUITE, label, names)

    # ---- one request -------------------------------------------------------------------------------------------------

    def _exercise(self, case: AnyCase, checks: list[CheckFunction]) -> None:
        import requests

        from ._workspace import SetupError

        started = time.monotonic()
        try:
            exclude = self.shaper(case)
            response = self.exerciser.send(case)
        except requests.RequestException as exc:
            raise _Stop(f"the server could not be reached: {type(exc).__name__}") from None
        except SetupError as exc:
            raise _Stop(str(exc)) from None
        self.exerciser.check(
            case.operation.label, case, response, checks, seconds=time.monotonic() - started, exclude=exclude
        )

    def _draw(
        self, operation: AnyOperation, strategy: st.SearchStrategy[Any], checks: list[CheckFunction], n: int
    ) -> None:
        def body(case: AnyCase) -> None:
            self._exercise(case, checks)

        run_with_hypothesis(strategy, body, hypothesis_settings(n), self.seed)

    # ---- phases ----------------------------------------------------------------------------------------------------

    def _examples(self, operation: AnyOperation, checks: list[CheckFunction]) -> None:
        strategies = operation.get_strategies_from_examples()
        if strategies:
            self._draw(operation, st.one_of(strategies), checks, min(self.max_examples, 2 * len(strategies)))

    def _coverage(self, operation: AnyOperation, checks: list[CheckFunction]) -> None:
        modes = self.schema.config.generation_for(operation=operation, phase="coverage").modes
        generated = self.schema.iter_coverage_cases(
            operation,
            generation_modes=list(modes),
            generation_config=self.schema.config.generation_for(operation=operation, phase="coverage"),
        )
        # Methods the spec leaves out of an operation are never sent: Clio implements more than this subset (a
        # DELETE on a contact is real there), so they would be unsafe on a real account and prove nothing.
        cases = [case for case in generated if case.method.upper() == operation.method.upper()]
        if len(cases) > self.max_examples:
            # An even spread: the cases come grouped by parameter, and the first N would test only the first few.
            step = len(cases) / self.max_examples
            cases = [cases[int(i * step)] for i in range(self.max_examples)]
        for case in cases:
            self._exercise(case, checks)

    def _fuzzing(self, operation: AnyOperation, checks: list[CheckFunction]) -> None:
        modes = self.schema.config.generation_for(operation=operation, phase="fuzzing").modes
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if mode in modes:
                strategy = operation.as_strategy(generation_mode=mode)
                self._draw(operation, strategy, checks, self.max_examples)
