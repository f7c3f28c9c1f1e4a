"""The stateful run: schemathesis's state machine walks the spec's links (create -> get -> patch -> delete) with the
same request shaping, bookkeeping and per-check verdicts as the per-operation run."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hypothesis.errors import Flaky
from schemathesis.generation.stateful import run_state_machine_as_test

from ._checking import Exerciser, checks_for
from ._operations import hypothesis_settings
from ._results import Outcome, TestResult
from ._shaping import Shaper

if TYPE_CHECKING:
    from schemathesis import CheckFunction, Response
    from schemathesis.generation.stateful.state_machine import APIStateMachine
    from schemathesis.specs.openapi.schemas import OpenApiSchema

    from ._typing import AnyCase

__all__ = ["SCOPE", "SUITE", "run_stateful", "state_machine"]

SUITE = "stateful"
SCOPE = "stateful"
_ATTEMPTS = 3


def state_machine(
    schema: OpenApiSchema,
    exerciser: Exerciser,
    shaper: Shaper,
    steps: Counter[str] | None = None,
) -> type[APIStateMachine]:
    """schemathesis's state machine for `schema`, sending through `exerciser` and shaping with `shaper`.

    Usable on its own (e.g. `state_machine(...).TestCase` under pytest): failures are collected in the exerciser's
    tally book under "stateful", not raised.
    """
    base = schema.as_state_machine()
    seen = steps if steps is not None else Counter()

    excluded: dict[str, frozenset[str]] = {}

    class ConformanceWorkflow(base):  # type: ignore[valid-type, misc]
        def setup(self) -> None:
            seen["scenarios"] += 1

        def before_call(self, case: AnyCase) -> None:
            excluded[case.id] = shaper(case)

        def get_call_kwargs(self, case: AnyCase) -> dict[str, Any]:
            return exerciser.call_kwargs()

        def call(self, case: AnyCase, **kwargs: Any) -> Response:
            return exerciser.send(case, lambda: case.call(**kwargs))

        def validate_response(
            self,
            response: Response,
            case: AnyCase,
            additional_checks: list[CheckFunction] | None = None,
            **kwargs: Any,
        ) -> None:
            seen[f"{case.operation.label} -> {response.status_code}"] += 1
            checks = checks_for(schema, case.operation, "stateful", stateful=True)
            exclude = excluded.pop(case.id, frozenset())
            exerciser.check(
                SCOPE, case, response, checks, recorder=self.recorder, transport_kwargs=kwargs, exclude=exclude
            )

    ConformanceWorkflow.__name__ = ConformanceWorkflow.__qualname__ = "ConformanceWorkflow"
    return ConformanceWorkflow


def run_stateful(
    schema: OpenApiSchema,
    exerciser: Exerciser,
    shaper: Shaper,
    *,
    max_examples: int,
    seed: int,
    on_step: Callable[[str], None] = lambda _: None,
) -> list[TestResult]:
    """Up to `max_examples` scenarios of linked requests; one TestResult per check, plus one for the walk itself."""
    on_step("stateful: following the spec's links")
    steps: Counter[str] = Counter()
    started = time.monotonic()
    machine = state_machine(schema, exerciser, shaper, steps)
    max_steps = schema.config.phases.stateful.max_steps
    problem: str | None = None
    for attempt in range(_ATTEMPTS):
        left = max(1, max_examples - steps["scenarios"])
        settings = hypothesis_settings(left, stateful_step_count=max_steps)
        # Hypothesis reads the seed from the state machine class itself.
        machine._hypothesis_internal_use_seed = seed + attempt
        try:
            run_state_machine_as_test(machine, settings=settings)
        except Flaky:
            # Hypothesis replayed a scenario and the server answered differently (entries were created and deleted
            # in between), so it stopped early. Nothing is wrong; carry on with a fresh seed until enough ran.
            if steps["scenarios"] >= max_examples:
                break
            continue
        except Exception as exc:  # the walk itself broke (server gone, setup refused): what it saw still counts
            problem = exerciser.redact(f"{type(exc).__name__}: {exc}".strip())
        break
    seconds = round(time.monotonic() - started, 3)
    names = [c.__name__ for c in checks_for(schema, None, "stateful", stateful=True)]
    results = exerciser.book.results(SUITE, SCOPE, names, label="links")
    scenarios = steps.pop("scenarios", 0)
    links_followed = sum(n for step, n in steps.items() if not step.startswith("POST "))
    created = sum(n for step, n in steps.items() if step.startswith("POST ") and step.endswith("-> 201"))
    walk = f"{scenarios} scenarios:\n" + "\n".join(f"{n:4d} x {step}" for step, n in sorted(steps.items()))
    if problem is not None:
        outcome, message = Outcome.ERROR, f"the stateful run stopped: {problem}\n{walk}"
    elif created == 0 or links_followed == 0:
        # A walk that never got past its first step proves nothing about the links; say so rather than pass.
        outcome, message = Outcome.FAILED, f"no entry was created and followed through its links:\n{walk}"
    else:
        outcome, message = Outcome.PASSED, walk
    results.insert(0, TestResult(SUITE, "links :: walk", outcome, message, seconds, sum(steps.values())))
    return results
