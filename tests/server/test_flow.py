"""The issue's end-to-end test: the flagship negotiation driven through the HTTP API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli
from tests.server.flow import run_flagship
from tests.server.helpers import PASSWORD, Service, make_client
from tests.server.live import LiveServer


def test_flagship_in_process(service: Service, tmp_path: Path) -> None:
    email, _ = service.account("Mediator", admin=True)
    result = run_flagship(lambda: make_client(service.app), email, PASSWORD)
    _check_outputs(result, service.settings.database_url, tmp_path)


@pytest.mark.slow
def test_flagship_against_a_real_server(tmp_path: Path) -> None:
    """`accord serve --init`, then `accord serve` in its own process, driven over loopback HTTP."""
    import httpx

    url = f"sqlite:///{tmp_path / 'accord.db'}"
    init = subprocess.run(
        [
            sys.executable,
            "-m",
            "accord",
            "serve",
            "--init",
            "--database",
            url,
            "--email",
            "mediator@example.org",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=LiveServer.environment({"ACCORD_INIT_PASSWORD": PASSWORD}),
    )
    assert init.returncode == 0, init.stderr
    assert "mediator@example.org" in init.stdout and "accord serve" in init.stdout
    with LiveServer(url) as server:
        result = run_flagship(
            lambda: httpx.Client(base_url=server.base, timeout=60), "mediator@example.org", PASSWORD
        )
    _check_outputs(result, url, tmp_path)


def _check_outputs(result: dict, database_url: str, tmp_path: Path) -> None:
    # The exports are scenario files the command line reads.
    public = tmp_path / "public.toml"
    public.write_text(result["public_export"], encoding="utf-8")
    checked = run_cli("check", str(public))
    assert checked.code == 0, checked.stderr
    estimates = tmp_path / "estimates.toml"
    estimates.write_text(result["estimates_export"], encoding="utf-8")
    evaluated = run_cli("evaluate", str(estimates), "--text", "improved-1", "--json")
    assert evaluated.code == 0, evaluated.stderr
    assert '"status": "agreed"' in run_cli("show", str(estimates), "--json").stdout
    # The audit chain verifies.
    verified = run_cli("audit", "verify", result["nid"], "--database", database_url)
    assert verified.code == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("ok: negotiation")
