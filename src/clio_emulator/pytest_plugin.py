"""pytest fixtures for testing code that talks to Clio, against the local emulator (a `pytest11` plugin).

Installed with clio-appointments, so any test can ask for them:

    def test_books_a_call(clio_emulator):
        client = httpx.Client(base_url=clio_emulator.base_url, transport=clio_emulator.transport(),
                              headers={"Authorization": f"Bearer {clio_emulator.token}"})
        ...

- `clio_emulator`: a fresh in-memory, seeded emulator per test, rate limit off (`clio_emulator.Emulator`: base_url,
  token, app, transport(), async_transport(), faults, calendar_entry_count(), request_count).
- `clio_emulator_server`: the same emulator also served by uvicorn on 127.0.0.1 (a free port); its `base_url` is
  the real http://127.0.0.1:PORT, for code that opens its own connections.
- `clio_calendar`: a `clio_appointments.ClioCalendar` on `clio_emulator`, closed after the test.

Everything is imported inside the fixtures, so installing the plugin costs nothing in test runs that do not use it
and works without the optional emulator extra until a fixture is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from clio_emulator import Emulator

__all__ = ["clio_calendar", "clio_emulator", "clio_emulator_server"]


@pytest.fixture
def clio_emulator() -> Iterator[Emulator]:
    """A fresh, seeded, in-memory emulator with rate limiting off."""
    from clio_emulator import create_app

    emulator: Emulator = create_app(rate_limit=None).state.emulator
    try:
        yield emulator
    finally:
        emulator.close()


@pytest.fixture
def clio_emulator_server(clio_emulator: Emulator) -> Iterator[Emulator]:
    """`clio_emulator`, also served over a real socket; `base_url` becomes its http://127.0.0.1:PORT."""
    from clio_emulator import serve_in_thread

    in_process_url = clio_emulator.base_url
    with serve_in_thread(clio_emulator.app) as base_url:
        clio_emulator.base_url = base_url
        try:
            yield clio_emulator
        finally:
            clio_emulator.base_url = in_process_url


@pytest.fixture
def clio_calendar(clio_emulator: Emulator) -> Iterator[Any]:
    """A `clio_appointments.ClioCalendar` signed in as the seeded user, on `clio_emulator`, in-process."""
    from clio_appointments import ClioCalendar

    calendar = ClioCalendar(
        f"Bearer {clio_emulator.token}", base_url=clio_emulator.base_url, transport=clio_emulator.transport()
    )
    try:
        yield calendar
    finally:
        calendar.close()
