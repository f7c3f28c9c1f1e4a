"""What a conformance run found: one TestResult per operation and check, per stateful check, per scenario step."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["ConformanceReport", "Outcome", "TestResult"]


class Outcome(StrEnum):
    """How one check ended."""

    PASSED = "passed"
    FAILED = "failed"  # the server, the spec or the facade disagree
    ERROR = "error"  # the check could not be carried out (network, unexpected exception)
    SKIPPED = "skipped"  # not run, for the reason in `message`


@dataclass(frozen=True, slots=True)
class TestResult:
    """One line of the report and one JUnit testcase.

    `suite` groups results ("setup", "behaviour", "operations", "stateful", "scenario", "cleanup"); `name` says
    what was checked, e.g. "GET /api/v4/calendars.json :: response_schema_conformance". `message` is already free
    of the token.
    """

    suite: str
    name: str
    outcome: Outcome
    message: str = ""
    seconds: float = 0.0
    # How many requests (or steps) the result covers; 0 when that is not meaningful.
    count: int = 0

    # Not a pytest test class, whatever its name says.
    __test__ = False

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.PASSED, Outcome.SKIPPED)


@dataclass(slots=True)
class ConformanceReport:
    """Everything a run found. `passed` is what the exit status is made of."""

    base_url: str
    seed: int
    results: list[TestResult] = field(default_factory=list)
    # Calendar entries the run created and could not delete, with why (e.g. "1234: HTTP 503").
    not_cleaned: list[str] = field(default_factory=list)
    # How often the server said 429 and the run waited before retrying.
    rate_limited: int = 0

    @property
    def passed(self) -> bool:
        return bool(self.results) and all(r.ok for r in self.results) and not self.not_cleaned

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def failures(self) -> list[TestResult]:
        return [r for r in self.results if not r.ok]
