"""The `clio-appointments` command.

Each subcommand lives in its own module of this package, named in SUBCOMMANDS, and provides:

    HELP: str                                         one line for `clio-appointments --help`
    def configure(parser: argparse.ArgumentParser)    add its arguments
    def run(args: argparse.Namespace) -> int          do the work; return the exit status

Modules keep heavy imports (rich, uvicorn, the emulator, schemathesis) inside `run`, so `--help` stays fast and a
missing optional extra is reported by the one subcommand that needs it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

SUBCOMMANDS: tuple[str, ...] = ("demo", "create", "list", "update", "refresh", "cancel", "serve", "conformance")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clio-appointments",
        description="App Connect's appointment interfaces for Clio Manage v4, with a local Clio emulator.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"{__name__}.{name}")
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except MissingExtraError as exc:
        print(f"clio-appointments: {exc}", file=sys.stderr)
        return 2


class MissingExtraError(RuntimeError):
    """A subcommand needs an optional dependency that is not installed."""

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(
            f"this command needs the '{extra}' extra ({module} is not installed): "
            f'pip install "clio-appointments[{extra}]"'
        )
