"""A certificate for serving the emulator over TLS on loopback: a throwaway CA (trustme) and a server certificate it
signed for 127.0.0.1, ::1 and localhost. Clients trust the CA's PEM file (SSL_CERT_FILE=... for httpx, and so the
SDK; `curl --cacert`), never the system's store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["LOOPBACK_NAMES", "LoopbackTls", "loopback_tls"]

LOOPBACK_NAMES = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class LoopbackTls:
    """The files `loopback_tls` wrote: the server's key and chain, and the CA certificate clients trust."""

    server_pem: Path  # the server's private key and certificate chain, for uvicorn's ssl_certfile/ssl_keyfile
    ca_pem: Path  # the CA certificate clients trust


def loopback_tls(directory: Path, *, ca_file: Path | None = None, extra_names: tuple[str, ...] = ()) -> LoopbackTls:
    """Make a CA and a server certificate for the loopback names (and `extra_names`); write the server's key and
    chain to `directory`/server.pem and the CA to `ca_file` (default `directory`/ca.pem)."""
    import trustme

    ca = trustme.CA(organization_name="clio-appointments emulator (throwaway)")
    names = tuple(dict.fromkeys((*LOOPBACK_NAMES, *extra_names)))
    server = ca.issue_cert(*names)
    directory.mkdir(parents=True, exist_ok=True)
    server_pem = directory / "server.pem"
    server.private_key_and_cert_chain_pem.write_to_path(str(server_pem))
    server_pem.chmod(0o600)
    ca_pem = ca_file if ca_file is not None else directory / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    return LoopbackTls(server_pem=server_pem, ca_pem=ca_pem)
