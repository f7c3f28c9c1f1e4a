"""The spec against the emulator in-process, through schemathesis's pytest integration.

`schema.parametrize()` makes one test per operation; each runs the spec's examples, schemathesis's coverage cases
and generated requests (positive and negative) against the emulator as an ASGI app, with every check the shared
schemathesis.toml enables. Requests are shaped as the conformance command shapes them (clio_conformance.Shaper),
so this is the same run, in-process and under pytest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS
from schemathesis.core.failures import FailureGroup

from clio_conformance import Exerciser, KnownIds, RateLimitWaits, Redactor, Shaper, TallyBook, Workspace, load_schema
from clio_emulator import create_app

from .conftest import AUTH, CONTACTS, TOKEN, RewritingApp, entry_id_as_integer, workspace_client

APP = create_app(rate_limit=None)
EMULATOR = APP.state.emulator
schema = load_schema(app=APP, auth_header=AUTH)

_http = workspace_client(EMULATOR)
WORKSPACE = Workspace(_http, contact_ids=CONTACTS)
SHAPER = Shaper(schema.raw_schema, WORKSPACE, known=KnownIds(_http, contact_ids=CONTACTS))
# Only for its bookkeeping: entries created by generated POSTs become the workspace's, and so PATCH/DELETE targets.
BOOKKEEPER = Exerciser(
    base_url=None,
    auth_header=AUTH,
    waits=RateLimitWaits(),
    redact=Redactor(TOKEN),
    workspace=WORKSPACE,
    book=TallyBook(),
)


@pytest.fixture(scope="module", autouse=True)
def _emulator_lifetime() -> Iterator[None]:
    yield
    _http.close()
    EMULATOR.close()


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_operation_conforms_to_the_spec(case):  # type: ignore[no-untyped-def]
    excluded = SHAPER(case)
    response = case.call()
    BOOKKEEPER.bookkeep(case, response)
    # The emulator needs the token; it is a fixed header of every generated request (see load_schema), and naming
    # it here tells `ignored_auth` it was sent on purpose, so it probes what happens without it.
    case.validate_response(
        response,
        excluded_checks=[CHECKS.get_one(name) for name in excluded],
        headers={"Authorization": AUTH},
    )


def test_a_response_that_breaks_the_spec_fails_the_parametrized_test() -> None:
    """The integration above can fail: the same test body against an emulator whose entry ids are integers."""
    broken = load_schema(app=RewritingApp(APP, entry_id_as_integer), auth_header=AUTH)
    create = broken["/api/v4/calendar_entries.json"]["POST"]

    @given(create.as_strategy(generation_mode=GenerationMode.POSITIVE))
    @settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        SHAPER(case)
        response = case.call()
        BOOKKEEPER.bookkeep(case, response)
        case.validate_response(response, headers={"Authorization": AUTH})

    with pytest.raises(FailureGroup) as caught:
        check()
    messages = [str(failure) for failure in caught.value.exceptions]
    assert any("is not of type" in m and "CalendarEntry/properties/id" in m for m in messages), messages


UNDECLARED = {"get", "put", "post", "delete", "patch", "options", "trace"}


def answer_404_to_put(app: Any) -> Any:
    async def serve(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "PUT":
            await send(
                {"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"application/json")]}
            )
            await send({"type": "http.response.body", "body": b'{"error": {"type": "NotFound", "message": "no"}}'})
            return
        await app(scope, receive, send)

    return serve


@pytest.mark.parametrize(("wrap", "failures_expected"), [(lambda app: app, False), (answer_404_to_put, True)])
def test_the_emulator_answers_methods_the_spec_leaves_out_with_405_and_allow(
    wrap: Any, failures_expected: bool
) -> None:
    """The command never sends undeclared methods (unsafe on a real account); the emulator is still held to them."""
    emulator = create_app(rate_limit=None)
    try:
        schema_with_probes = load_schema(app=wrap(emulator), auth_header=AUTH)
        schema_with_probes.config.phases.coverage.unexpected_methods = set(UNDECLARED)
        checks = [CHECKS.get_one("unsupported_method"), CHECKS.get_one("allow_header_conformance")]
        sent = 0
        failed: list[str] = []
        for result in schema_with_probes.get_all_operations():
            operation = result.ok()
            config = schema_with_probes.config.generation_for(operation=operation, phase="coverage")
            cases = schema_with_probes.iter_coverage_cases(
                operation, generation_modes=[GenerationMode.NEGATIVE], generation_config=config
            )
            for case in cases:
                if case.method.upper() == operation.method.upper():
                    continue
                sent += 1
                response = case.call()
                try:
                    case.validate_response(response, checks=checks, headers={"Authorization": AUTH})
                except FailureGroup as group:
                    failed.extend(f"{case.method} {case.formatted_path}: {f.title}" for f in group.exceptions)
    finally:
        emulator.state.emulator.close()
    assert sent >= 30  # every operation's path, every method it does not declare
    assert bool(failed) == failures_expected, failed
