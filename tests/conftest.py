"""Shared fixtures for the whole suite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "clio-v4-calendar.yaml"


@pytest.fixture(autouse=True)
def _no_shared_state_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's CLIO_APPOINTMENTS_REDIS_URL must not turn shared state on for the tests that do not ask for it."""
    monkeypatch.delenv("CLIO_APPOINTMENTS_REDIS_URL", raising=False)


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    """The OpenAPI document as plain data."""
    with SPEC_PATH.open() as f:
        return yaml.safe_load(f)
