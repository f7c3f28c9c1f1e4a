"""Fakes shared by the reliability tests: a clock and sleeps that never really sleep."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clio_appointments._pacing import clear_pacers

TOKEN = "reliability-secret-token-7f3a9c"
AUTH = f"Bearer {TOKEN}"


class FakeTime:
    """Wall clock under test control; sleeping advances it and is recorded."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture(autouse=True)
def _fresh_pacers() -> Iterator[None]:
    # Pacers are process-wide by design; each test starts with no remembered budget.
    clear_pacers()
    yield
    clear_pacers()
