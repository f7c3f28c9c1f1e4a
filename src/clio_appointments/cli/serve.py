"""`clio-appointments serve`: run the local Clio emulator over HTTP, or HTTPS with `--tls`, until Ctrl-C."""

from __future__ import annotations

import argparse
import shutil
import signal
import sqlite3
import sys
import tempfile
from pathlib import Path

from . import MissingExtraError

HELP = "Run the local Clio emulator (seeded, SQLite-backed) on a loopback HTTP or HTTPS port until Ctrl-C."


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


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


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
    parser.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS with a certificate for 127.0.0.1, ::1 and localhost from a throwaway CA (trustme); the CA's "
        "file is printed for clients to trust (SSL_CERT_FILE=...)",
    )
    parser.add_argument(
        "--ca-file",
        metavar="FILE",
        type=Path,
        help="with --tls: write the CA certificate (PEM) here and keep it after exit (default: a temporary file, "
        "removed on exit)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from clio_emulator import SEED, base_url_for, bind, create_app, tls_config
    except ImportError as exc:
        raise MissingExtraError("emulator", exc.name or "starlette") from None

    try:
        app = create_app(db_path=args.db or ":memory:", seed=not args.no_seed, rate_limit=args.rate_limit)
    except (OSError, sqlite3.Error) as exc:  # the --db file cannot be opened or is not a database
        print(f"clio-appointments serve: cannot open --db {args.db}: {exc}", file=sys.stderr)
        return 1
    if args.ca_file is not None and not args.tls:
        print("clio-appointments serve: --ca-file goes with --tls", file=sys.stderr)
        app.state.emulator.close()
        return 2
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        print(f"clio-appointments serve: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        app.state.emulator.close()
        return 1
    workdir: str | None = None
    server_pem: Path | None = None
    if args.tls:
        try:
            import trustme  # noqa: F401

            from clio_emulator import loopback_tls
        except ImportError as exc:
            sock.close()
            app.state.emulator.close()
            raise MissingExtraError("emulator", exc.name or "trustme") from None
        workdir = tempfile.mkdtemp(prefix="clio-emulator-tls-")
        extra = () if args.host in ("127.0.0.1", "::1", "localhost") else (args.host,)
        try:
            tls = loopback_tls(Path(workdir), ca_file=args.ca_file, extra_names=extra)
        except OSError as exc:
            print(f"clio-appointments serve: cannot write --ca-file {args.ca_file}: {exc.strerror}", file=sys.stderr)
            shutil.rmtree(workdir, ignore_errors=True)
            sock.close()
            app.state.emulator.close()
            return 1
        server_pem = tls.server_pem
    base_url = base_url_for(sock, tls=args.tls)
    print(f"Clio emulator on {base_url}", flush=True)
    if server_pem is not None:
        ca = tls.ca_pem.resolve()
        print(f"TLS: a certificate for {', '.join(('127.0.0.1', '::1', 'localhost', *extra))} from a throwaway CA.")
        print(f"CA certificate: {ca}", flush=True)
        print(f"Trust it in the client: SSL_CERT_FILE={ca} (httpx, so this SDK), or curl --cacert {ca}", flush=True)
    if args.no_seed:
        print("No seed data (--no-seed): add users to the store before calling Clio paths.", flush=True)
    else:
        print(f"Token: {SEED.token} (user {SEED.ada.name}); second user: {SEED.second_token}", flush=True)
    limit = f"{args.rate_limit} requests per 60 s per token" if args.rate_limit else "off"
    print(f"Rate limit: {limit}. Faults: {base_url}/__emulator__/faults. Ctrl-C stops.", flush=True)
    # uvicorn handles Ctrl-C and SIGTERM itself (finishing in-flight requests), then raises the signal again. Ctrl-C
    # then arrives as KeyboardInterrupt; SIGTERM, whose default is to end the process on the spot, as SystemExit, so
    # the clean-up below runs for it too (the store is closed, the certificate's files removed).
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        config = tls_config(app, server_pem, log_level="info", lifespan="on")
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
        app.state.emulator.close()
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    print("Clio emulator stopped.", flush=True)
    return 0
