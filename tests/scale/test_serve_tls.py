"""`clio-appointments serve --tls`: a real HTTPS server on loopback whose throwaway CA the client is told to trust."""

from __future__ import annotations

import os
import re
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import clio_appointments
from clio_appointments import ClioConnectionError

from .conftest import PAYLOAD, TOKEN

EXE = Path(sys.executable).with_name("clio-appointments")


def test_serve_tls_prints_the_ca_serves_https_and_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ca_file = tmp_path / "emulator-ca.pem"
    process = subprocess.Popen(
        [str(EXE), "serve", "--tls", "--port", "0", "--rate-limit", "0", "--ca-file", str(ca_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        banner = "".join(process.stdout.readline() for _ in range(4))
        url = re.search(r"Clio emulator on (https://127\.0\.0\.1:\d+)", banner)
        ca = re.search(r"CA certificate: (\S+)", banner)
        assert url and ca, banner
        base_url = url.group(1)
        assert Path(ca.group(1)) == ca_file.resolve()
        assert f"SSL_CERT_FILE={ca_file.resolve()}" in banner
        trusted = ssl.create_default_context(cafile=str(ca_file))
        for _ in range(200):
            try:
                httpx.get(f"{base_url}/__emulator__/health", verify=trusted, timeout=1).raise_for_status()
                break
            except httpx.TransportError:
                time.sleep(0.05)

        # Not trusting the CA: the real TLS path refuses the server, before any token is sent.
        with pytest.raises(ClioConnectionError) as refused:
            clio_appointments.create_appointment(
                user=None, auth_header=TOKEN, payload=dict(PAYLOAD), base_url=base_url, max_retries=0
            )
        assert refused.value.may_have_reached_clio is False
        # Trusting it as the banner says: module-level calls over HTTPS, on one connection.
        monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
        for _ in range(5):
            result = clio_appointments.create_appointment(
                user=None, auth_header=TOKEN, payload=dict(PAYLOAD), base_url=base_url
            )
            assert "appointmentId" in result
        clio_appointments._pool.close_pools()
        health = httpx.get(f"{base_url}/__emulator__/health", verify=trusted).json()
        # Two health checks (new clients each) and one connection for the five creates; the refused one failed.
        assert health["tls_handshakes"] == {"accepted": 3, "resumed": 0, "failed": 1}
        assert health["answers_by_route"]["POST /api/v4/calendar_entries.json"] == 5
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    workdir = re.search(r"(/\S+clio-emulator-tls-[^/\s]+)", banner + out + err)
    assert ca_file.exists()  # the CA asked for stays
    assert workdir is None or not Path(workdir.group(1)).exists()


def test_ca_file_without_tls_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(EXE), "serve", "--port", "0", "--ca-file", str(tmp_path / "ca.pem")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--ca-file goes with --tls" in done.stderr


def test_sigterm_removes_the_temporary_certificate(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [str(EXE), "serve", "--tls", "--port", "0", "--rate-limit", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    banner = "".join(process.stdout.readline() for _ in range(4))
    ca = re.search(r"CA certificate: (\S+)", banner)
    assert ca, banner
    assert Path(ca.group(1)).exists()
    time.sleep(1.0)  # let uvicorn install its signal handlers
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=20)
    assert not Path(ca.group(1)).parent.exists()
