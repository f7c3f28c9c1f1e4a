"""What the Clio subcommands (create, list, update, refresh, cancel) share: connection options, JSON arguments, and
turning a call's outcome into output and an exit status.

Exit statuses: 0 done; 1 Clio refused or failed (an error status, no answer, or App Connect's `successful: false`);
2 bad usage or configuration (nothing was sent). Every failure is one line on stderr, with the token scrubbed out.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import ClioError, ConfigurationError

if TYPE_CHECKING:
    from .. import ClioCalendar
    from ._render import Output

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "TOKEN_ENV",
    "UsageError",
    "add_connection_options",
    "execute",
    "make_output",
    "print_json",
    "read_json_argument",
]

PROG = "clio-appointments"
TOKEN_ENV = "CLIO_TOKEN"
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

T = TypeVar("T")
R = TypeVar("R", bound=Mapping[str, Any])


class UsageError(Exception):
    """A bad argument: reported in one line with exit status 2, before anything is sent."""


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument(
        "--token",
        help=f"Clio access token (default: ${TOKEN_ENV}; prefer the variable, arguments show in process lists)",
    )
    group.add_argument("--region", default="us", help="Clio deployment: us, eu, ca or au (default: us)")
    group.add_argument(
        "--base-url",
        metavar="URL",
        help="talk to this server instead of Clio, e.g. http://127.0.0.1:8765 for `clio-appointments serve` "
        "(https, or http on loopback only)",
    )
    group.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="per request (default: 30)")
    parser.add_argument("--json", action="store_true", help="print App Connect's result dict as JSON")


def read_json_argument(text: str, what: str) -> object:
    """A JSON value given inline, as `@FILE`, or as `@-` (standard input)."""
    source = "argument"
    if text.startswith("@"):
        name = text[1:]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read {what} from {name}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise UsageError(f"cannot read {what} from {name}: not UTF-8 text") from None
        source = "standard input" if name == "-" else name
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{what} is not valid JSON ({source}, line {exc.lineno} column {exc.colno}: {exc.msg}); "
            f'expected e.g. \'{{"title": "Intake"}}\' or @file.json'
        ) from None


def _token(args: argparse.Namespace) -> str:
    token = args.token if args.token is not None else os.environ.get(TOKEN_ENV, "")
    if not token.strip():
        raise UsageError(f"no Clio access token: pass --token or set {TOKEN_ENV}")
    return str(token)


def _scrubbed(message: str, token: str) -> str:
    """One line, without the token (belt and braces: the SDK's messages should never contain it anyway)."""
    bare = token.strip()
    if bare.lower().startswith("bearer "):
        bare = bare[7:].strip()
    for secret in (token.strip(), bare):
        if secret:
            message = message.replace(secret, "***")
    return " ".join(message.split())


def _fail(command: str, message: str, token: str, status: int) -> int:
    print(f"{PROG} {command}: {_scrubbed(message, token)}", file=sys.stderr)
    return status


def _hint(error: ClioError) -> str:
    from .. import AuthenticationError, ClioConnectionError

    if error.idempotency_key is not None and error.may_have_reached_clio:
        # A create whose outcome is unknown: the same key settles it without risking a second appointment.
        return f" (it may still be stored: run create again with --idempotency-key {error.idempotency_key})"
    if isinstance(error, AuthenticationError):
        return f" (check --token or {TOKEN_ENV})"
    if isinstance(error, ClioConnectionError):
        return " (is the server running? check --base-url / --region)"
    return ""


def make_output() -> Output:
    """The rich-backed output, or MissingExtraError (reported by `main`) without the 'cli' extra."""
    try:
        from ._render import Output
    except ImportError as exc:
        from . import MissingExtraError

        raise MissingExtraError("cli", exc.name or "rich") from None
    return Output()


def print_json(result: Mapping[str, Any]) -> None:
    print(json.dumps(result, indent=2, ensure_ascii=False))


def execute(
    args: argparse.Namespace,
    inputs: Callable[[], T],
    call: Callable[[ClioCalendar, T], R],
    show: Callable[[Output, R], None],
) -> int:
    """Read the command's inputs, make the call on a client built from the connection options, print the outcome.

    The result is App Connect's dict: `--json` prints it as is; otherwise `show` renders it for a person. A result with
    `successful: false` exits 1 (for `--json` too, after printing it).
    """
    command = str(args.command)
    token = ""
    try:
        values = inputs()
        token = _token(args)
        from .. import ClioCalendar

        with ClioCalendar(token, region=args.region, base_url=args.base_url, timeout=args.timeout) as calendar:
            result = call(calendar, values)
    except UsageError as exc:
        return _fail(command, str(exc), token, EXIT_USAGE)
    except ConfigurationError as exc:
        return _fail(command, str(exc), token, EXIT_USAGE)
    except ClioError as exc:
        return _fail(command, f"{exc}{_hint(exc)}", token, EXIT_FAILED)
    failed = result.get("successful") is False
    if args.json:
        print_json(result)
    elif failed:
        message = result.get("returnMessage", {}).get("message", "Clio did not do it.")
        return _fail(command, str(message), token, EXIT_FAILED)
    else:
        show(make_output(), result)
    return EXIT_FAILED if failed else EXIT_OK
