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
