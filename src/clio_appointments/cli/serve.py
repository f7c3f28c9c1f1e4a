"""`clio-appointments serve`: run the local Clio emulator over HTTP until Ctrl-C."""

from __future__ import annotations

import argparse
import sqlite3
import sys

from . import MissingExtraError

HELP = "Run the local Clio emulator (seeded, SQLite-backed) on a loopback HTTP port until Ctrl-C."


def _rate_limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be 0-65535 (0 picks a free port)")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=_port, default=8765, help="port; 0 picks a free one (default: 8765)")
    parser.add_argument("--db", metavar="FILE", help="keep the data in this SQLite file (default: in memory)")
    parser.add_argument(
        "--rate-limit",
        type=_rate_limit,
        default=50,
        metavar="N",
        help="requests per token per 60-second window, as Clio allows; 0 turns it off (default: 50)",
    )
    parser.add_argument("--no-seed", action="store_true", help="start without the seeded users, calendars, contacts")


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from clio_emulator import SEED, base_url_for, bind, create_app
    except ImportError as exc:
        raise MissingExtraError("emulator", exc.name or "starlette") from None

    try:
        app = create_app(db_path=args.db or ":memory:", seed=not args.no_seed, rate_limit=args.rate_limit)
    except (OSError, sqlite3.Error) as exc:  # the --db file cannot be opened or is not a database
        print(f"clio-appointments serve: cannot open --db {args.db}: {exc}", file=sys.stderr)
        return 1
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        print(f"clio-appointments serve: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    base_url = base_url_for(sock)
    print(f"Clio emulator on {base_url}", flush=True)
    if args.no_seed:
        print("No seed data (--no-seed): add users to the store before calling Clio paths.", flush=True)
    else:
        print(f"Token: {SEED.token} (user {SEED.ada.name}); second user: {SEED.second_token}", flush=True)
    limit = f"{args.rate_limit} requests per 60 s per token" if args.rate_limit else "off"
    print(f"Rate limit: {limit}. Faults: {base_url}/__emulator__/faults. Ctrl-C stops.", flush=True)
    config = uvicorn.Config(app, log_level="info", lifespan="on")
    try:
        # uvicorn handles Ctrl-C itself (finishing in-flight requests), then raises the signal again.
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        app.state.emulator.close()
    print("Clio emulator stopped.", flush=True)
    return 0
