"""A local, stateful Clio Manage v4 (calendar subset) for tests, demos and CI: Starlette + SQLite.

    from clio_emulator import create_app, SEED
    app = create_app()                       # in memory, seeded, 50 requests per minute per token
    emu = app.state.emulator
    httpx.Client(base_url=emu.base_url, transport=emu.transport(),
                 headers={"Authorization": f"Bearer {emu.token}"})

It never imports clio_appointments; the spec in openapi/ is its only contract.
"""

from ._app import DEFAULT_BASE_URL, Emulator, create_app
from ._commits import LateCommits
from ._faults import BODY_KINDS, COMMIT_MODES, DROP_MODES, Fault, Faults
from ._seed import SEED, Seed, SeedCalendar, SeedContact, SeedMatter, SeedUser
from ._server import base_url_for, bind, serve_in_thread, tls_config
from ._tls import LoopbackTls, loopback_tls
from ._transport import EmulatorAsyncTransport, EmulatorTransport

__all__ = [
    "BODY_KINDS",
    "COMMIT_MODES",
    "DEFAULT_BASE_URL",
    "DROP_MODES",
    "SEED",
    "Emulator",
    "EmulatorAsyncTransport",
    "EmulatorTransport",
    "Fault",
    "Faults",
    "LateCommits",
    "LoopbackTls",
    "Seed",
    "SeedCalendar",
    "SeedContact",
    "SeedMatter",
    "SeedUser",
    "base_url_for",
    "bind",
    "create_app",
    "loopback_tls",
    "serve_in_thread",
    "tls_config",
]
