"""Fixtures for the command-line tests: run `clio-appointments` in-process and capture what a person would see."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from clio_appointments.cli import main
from clio_emulator import Emulator

# Looks like a real credential so a leak would be unmistakable in any output.
SECRET = "s3cr3t-T0ken-never-printed-9f2c"


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


Run = Callable[..., Outcome]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """`run("list", "--day", ...)`: main() with these arguments; CLIO_TOKEN is unset unless a test sets it."""
    monkeypatch.delenv("CLIO_TOKEN", raising=False)

    def invoke(*argv: str) -> Outcome:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def server(clio_emulator_server: Emulator) -> Iterator[list[str]]:
    """Connection options for a seeded emulator served on a loopback port."""
    yield ["--base-url", clio_emulator_server.base_url, "--token", clio_emulator_server.token]
