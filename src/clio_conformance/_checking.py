"""Sending one generated request and running each schemathesis check on its answer, one check at a time.

Checks run separately so every (operation, check) pair gets its own verdict; failures are collected rather than
raised, so Hypothesis never starts shrinking (which would re-send requests that write) and a run always sends the
number of requests it was asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from schemathesis.core.failures import Failure, FailureGroup

from ._results import Outcome, TestResult
from ._shaping import ENTRIES_PATH, ENTRY_PATH, entry_id_of

if TYPE_CHECKING:
    from schemathesis import CheckFunction, Response
    from schemathesis.engine.recorder import ScenarioRecorder

    from ._pacing import RateLimitWaits
    from ._redact import Redactor
    from ._typing import AnyCase
    from ._workspace import Workspace

__all__ = ["Exerciser", "Tally", "TallyBook", "checks_for"]

# Checks that only mean something along a chain of linked requests.
STATEFUL_ONLY = frozenset({"use_after_free", "ensure_resource_availability"})
_MAX_MESSAGE_LINES = 40
_MAX_BODY_SHOWN = 500


def checks_for(schema: Any, operation: Any, phase: str, *, stateful: bool) -> list[CheckFunction]:
    """The built-in checks the shared settings enable for this operation and phase."""
    from schemathesis.checks import CHECKS, load_all_checks

    load_all_checks()
    config = schema.config.checks_config_for(operation=operation, phase=phase)
    found: list[CheckFunction] = []
    for check in CHECKS.get_all():
        if isinstance(check, type):
            continue  # class-based (custom) checks: none are registered by this suite
        name = check.__name__
        if not config.get_by_name(name=name).enabled:
            continue
        if name in STATEFUL_ONLY and not stateful:
            continue
        found.append(check)
    return found


@dataclass(slots=True)
class Tally:
    """What one check saw for one operation (or for the stateful run)."""

    responses: int = 0
    failed: int = 0
    errors: int = 0
    message: str | None = None
    seconds: float = 0.0

    def outcome(self) -> Outcome:
        if self.failed:
            return Outcome.FAILED
        if self.errors:
            return Outcome.ERROR
        return Outcome.PASSED


@dataclass(slots=True)
class TallyBook:
    """Tallies keyed by (scope, check name); `scope` is an operation label or "stateful"."""

    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)
    # Problems that stopped a phase (network down, setup refused), keyed by scope.
    blocked: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, scope: str, check: str) -> Tally:
        with self.lock:
            return self.tallies.setdefault((scope, check), Tally())

    def block(self, scope: str, problem: str) -> None:
        with self.lock:
            self.blocked.setdefault(scope, []).append(problem)

    def results(self, suite: str, scope: str, checks: Iterable[str], *, label: str | None = None) -> list[TestResult]:
        shown = label or scope
        results: list[TestResult] = []
        problems = self.blocked.get(scope, [])
        for check in checks:
            tally = self.get(scope, check)
            outcome = tally.outcome()
            message = tally.message or ""
            if outcome is Outcome.PASSED and problems:
                outcome, message = Outcome.ERROR, "; ".join(problems)
            elif outcome is Outcome.PASSED:
                message = f"{tally.responses} responses"
            elif outcome is Outcome.FAILED and tally.failed > 1:
                message = f"{tally.failed} of {tally.responses} responses failed; the first:\n{message}"
            results.append(
                TestResult(suite, f"{shown} :: {check}", outcome, message, round(tally.seconds, 3), tally.responses)
            )
        return results


def _field(failure: Failure) -> str | None:
    path = getattr(failure, "instance_path", None)
    if not isinstance(path, list | tuple) or not path:
        return None
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _clip(text: str) -> str:
    lines = text.strip().splitlines()
    if len(lines) > _MAX_MESSAGE_LINES:
        lines = [*lines[:_MAX_MESSAGE_LINES], "..."]
    return "\n".join(lines)


def describe(failure: Failure, case: AnyCase, response: Response, redact: Redactor) -> str:
    """A failure as the report shows it: operation, what is wrong and where, and how to send the request again."""
    parts = [f"{case.operation.label}: {failure.title} [{failure.code}]"]
    where = _field(failure)
    if where is not None:
        parts.append(f"Field: {where}")
    if failure.message:
        parts.append(_clip(failure.message))
    meta = case.meta
    if meta is not None:
        parts.append(f"Generated: {meta.phase.name.value} phase, {meta.generation.mode.value} request")
    body = response.content[:_MAX_BODY_SHOWN].decode("utf-8", "replace").strip()
    parts.append(f"Response: HTTP {response.status_code}" + (f" {body}" if body else ""))
    try:
        parts.append("Reproduce with:\n" + case.as_curl_command(headers=dict(response.request.headers)))
    except Exception:  # the reproduction is a courtesy; a request it cannot render is still reported
        parts.append(f"Request: {case.method} {case.formatted_path}")
    return redact("\n".join(parts))


class Exerciser:
    """Sends cases and checks answers for one run: target, credentials, bookkeeping of created entries."""

    def __init__(
        self,
        *,
        base_url: str | None,
        auth_header: str,
        waits: RateLimitWaits,
        redact: Redactor,
        workspace: Workspace | None,
        book: TallyBook,
    ) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": auth_header}
        self.waits = waits
        self.redact = redact
        self.workspace = workspace
        self.book = book
        # Operations where `ignored_auth` already saw the server refuse missing and invalid tokens: its probes cost
        # two extra requests each time, which a rate-limited account cannot spare.
        self._auth_enforced: set[str] = set()
        self._lock = threading.Lock()

    def call_kwargs(self) -> dict[str, Any]:
        return {"base_url": self.base_url} if self.base_url is not None else {}

    def send(self, case: AnyCase, send: Callable[[], Response] | None = None) -> Response:
        request = send or (lambda: case.call(**self.call_kwargs()))
        response: Response = self.waits.send(request, lambda r: r.status_code, lambda r: _flat(r.headers))
        self.bookkeep(case, response)
        return response

    def bookkeep(self, case: AnyCase, response: Response) -> None:
        """Remember entries a request created, forget those it deleted."""
        workspace = self.workspace
        if workspace is None:
            return
        method, path = case.method.upper(), case.operation.path
        if method == "POST" and path == ENTRIES_PATH and response.status_code == 201:
            entry_id = _created_id(response)
            if entry_id is not None:
                workspace.track(entry_id, f"{case.operation.label}")
        elif method == "DELETE" and path == ENTRY_PATH and response.status_code in (204, 404):
            entry_id = entry_id_of(case.path_parameters.get("id"))
            if entry_id is not None:
                workspace.gone(entry_id)

    def check(
        self,
        scope: str,
        case: AnyCase,
        response: Response,
        checks: list[CheckFunction],
        *,
        recorder: ScenarioRecorder | None = None,
        transport_kwargs: dict[str, Any] | None = None,
        seconds: float = 0.0,
        exclude: frozenset[str] = frozenset(),
    ) -> None:
        kwargs = {**self.call_kwargs(), "headers": self.headers, **(transport_kwargs or {})}
        label = case.operation.label
        # The request's time is shared by the checks that judged it, so JUnit's totals add up to the real time.
        share = seconds / max(1, len(checks))
        for check in checks:
            name = check.__name__
            if name in exclude or (name == "ignored_auth" and label in self._auth_enforced):
                continue
            tally = self.book.get(scope, name)
            tally.responses += 1
            tally.seconds += share
            try:
                case.validate_response(
                    response, checks=[check], headers=self.headers, transport_kwargs=kwargs, recorder=recorder
                )
            except FailureGroup as group:
                if name == "ignored_auth" and all("`429" in (f.message or "") for f in group.exceptions):
                    continue  # the probe was rate-limited, which says nothing about auth; a later answer decides
                tally.failed += 1
                if tally.message is None:
                    tally.message = "\n\n".join(describe(f, case, response, self.redact) for f in group.exceptions)
            except Exception as exc:  # a check that could not run (its own probe request failed, ...)
                tally.errors += 1
                if tally.message is None:
                    tally.message = self.redact(f"{label}: {name} could not run: {type(exc).__name__}: {exc}")
            else:
                if name == "ignored_auth" and 200 <= response.status_code < 300:
                    with self._lock:
                        self._auth_enforced.add(label)


def _flat(headers: Any) -> dict[str, str]:
    """schemathesis keeps header values as lists; the rate-limit helper wants one value per name."""
    flat: dict[str, str] = {}
    for name, value in dict(headers).items():
        flat[str(name).lower()] = value[0] if isinstance(value, list) and value else str(value)
    return flat


def _created_id(response: Response) -> int | None:
    try:
        data = response.json().get("data", {})
        entry_id = int(str(data["id"]))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return entry_id if entry_id >= 1 else None
