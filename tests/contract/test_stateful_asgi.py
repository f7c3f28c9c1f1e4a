"""The spec's links walked against the emulator in-process: schemathesis's state machine (schema.as_state_machine()),
create -> get / patch / delete, every response checked, use_after_free and ensure_resource_availability included.

Every scenario starts on a fresh emulator, so when Hypothesis replays a scenario (to confirm or shrink a failure)
the server answers exactly as before; against a real server the conformance command copes with replays instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import CHECKS
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.stateful import run_state_machine_as_test
from starlette.types import ASGIApp, Receive, Scope, Send

from clio_conformance import Exerciser, RateLimitWaits, Redactor, Shaper, TallyBook, Workspace, load_schema
from clio_emulator import EmulatorTransport, create_app

from .conftest import AUTH, CONTACTS, TOKEN

ENTRY = "/api/v4/calendar_entries/{id}.json"
ENTRY_PREFIX = "/api/v4/calendar_entries/"
WALK = settings(
    max_examples=25,
    stateful_step_count=8,
    deadline=None,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


class FreshEmulators:
    """An ASGI app that forwards to the current emulator; `reset()` swaps in a fresh one (the old one is closed).

    `wrap` puts a deliberately broken layer in front of every emulator it makes.
    """

    def __init__(self, wrap: Callable[[ASGIApp], ASGIApp] = lambda app: app) -> None:
        self._wrap = wrap
        self._emulator = create_app(rate_limit=None).state.emulator
        self._current = wrap(self._emulator.app)

    def reset(self) -> None:
        self._emulator.close()
        self._emulator = create_app(rate_limit=None).state.emulator
        self._current = self._wrap(self._emulator.app)

    def close(self) -> None:
        self._emulator.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._current(scope, receive, send)


@pytest.fixture
def make_workflow() -> Iterator[Callable[..., type[Any]]]:
    opened: list[tuple[FreshEmulators, EmulatorTransport]] = []

    def make(steps: Counter[str], wrap: Callable[[ASGIApp], ASGIApp] = lambda app: app) -> type[Any]:
        emulators = FreshEmulators(wrap)
        transport = EmulatorTransport(emulators)
        opened.append((emulators, transport))
        return workflow(emulators, transport, steps)

    yield make
    for emulators, transport in opened:
        transport.close()
        emulators.close()


def workflow(emulators: FreshEmulators, transport: EmulatorTransport, steps: Counter[str]) -> type[Any]:
    """The state machine schemathesis builds from the spec, sending in-process, shaped as the command shapes."""
    schema = load_schema(app=emulators, auth_header=AUTH)
    http = httpx.Client(base_url="https://clio-emulator.invalid", transport=transport, headers={"Authorization": AUTH})

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            emulators.reset()
            self.workspace = Workspace(http, contact_ids=CONTACTS)
            self.shaper = Shaper(schema.raw_schema, self.workspace, stateful=True)
            self.bookkeeper = Exerciser(
                base_url=None,
                auth_header=AUTH,
                waits=RateLimitWaits(),
                redact=Redactor(TOKEN),
                workspace=self.workspace,
                book=TallyBook(),
            )
            self.excluded: dict[str, frozenset[str]] = {}

        def before_call(self, case: Any) -> None:
            self.excluded[case.id] = self.shaper(case)

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            self.bookkeeper.bookkeep(case, response)
            steps[f"{case.method} {case.operation.path} {response.status_code}"] += 1

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(
                response,
                excluded_checks=[CHECKS.get_one(name) for name in self.excluded.pop(case.id, frozenset())],
                headers={"Authorization": AUTH},
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    return Workflow


def test_walking_the_links_finds_nothing_wrong(make_workflow: Callable[..., type[Any]]) -> None:
    steps: Counter[str] = Counter()
    run_state_machine_as_test(make_workflow(steps), settings=WALK)
    # The walk went where the links lead: created entries were read, changed and deleted through them.
    assert steps["POST /api/v4/calendar_entries.json 201"] > 0, steps
    assert steps[f"GET {ENTRY} 200"] > 0, steps
    assert steps[f"PATCH {ENTRY} 200"] > 0, steps
    assert steps[f"DELETE {ENTRY} 204"] > 0, steps


def test_use_after_free_is_judged_on_the_walk(make_workflow: Callable[..., type[Any]]) -> None:
    """The stateful checks have teeth: an emulator that answers 204 to DELETE but keeps the entry fails."""
    deleted: list[str] = []

    def undead(app: ASGIApp) -> ASGIApp:
        async def serve(scope: Scope, receive: Receive, send: Send) -> None:
            path = scope.get("path", "")
            signed_in = (b"authorization", AUTH.encode()) in [(k.lower(), v) for k, v in scope.get("headers", [])]
            if scope["type"] == "http" and scope["method"] == "DELETE" and path.startswith(ENTRY_PREFIX) and signed_in:
                deleted.append(path)
                await send({"type": "http.response.start", "status": 204, "headers": []})
                await send({"type": "http.response.body", "body": b""})
                return
            await app(scope, receive, send)

        return serve

    with pytest.raises(FailureGroup) as caught:
        run_state_machine_as_test(make_workflow(Counter(), undead), settings=WALK)
    assert deleted
    codes = {failure.code for failure in caught.value.exceptions}
    assert "ST301" in codes, [str(f) for f in caught.value.exceptions]  # UseAfterFree
