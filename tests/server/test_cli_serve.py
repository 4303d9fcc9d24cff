"""``accord serve`` and its errors: the extra, --init, workers, ports — exit 2 with one clear line."""

from __future__ import annotations

import importlib.util
import socket
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli


def test_serve_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "fastapi" else real(name, *a)
    )
    result = run_cli("serve")
    assert result.code == 2 and "pip install -e '.[server]'" in result.stderr and "fastapi" in result.stderr


def test_init_creates_the_first_account_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_ARGON2_MEMORY_KIB", "1024")
    url = f"sqlite:///{tmp_path / 'accord.db'}"
    first = run_cli("serve", "--init", "--database", url, "--email", "Mediator@Example.org")
    assert first.code == 0, first.stderr
    assert (
        "mediator@example.org" in first.stdout and "password:" in first.stdout and "/session" in first.stdout
    )
    # The start command it prints serves the same database.
    assert f"Start the service with `accord serve --database {url}`" in first.stdout
    again = run_cli("serve", "--init", "--database", url)
    assert again.code == 2 and "initialised already" in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "2"], "needs PostgreSQL"),
        (["--workers", "0"], "'--workers' / '-w': expected 1 to"),
        (["--workers", "1000000"], "'--workers' / '-w': expected 1 to"),
        (["--port", "70000"], "'--port' / '-p': expected 1 to 65,535, got 70,000"),
        (["--max-body", "1"], "'--max-body': expected 1,024 to 268,435,456, got 1"),
        (["--scheduler", "localhost:8786"], "expected tcp://"),
        (["--database", "mysql://x/y"], "unsupported URL scheme"),
        (["--database", "postgresql+psycopg://nobody@127.0.0.1:1/none"], "cannot open the database"),
    ],
)
def test_serve_refuses_bad_options(tmp_path: Path, args: list[str], message: str) -> None:
    base = ["--database", f"sqlite:///{tmp_path / 'a.db'}"] if "--database" not in args else []
    result = run_cli("serve", *base, *args)
    assert result.code == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--database", f"sqlite:///{tmp_path / 'a.db'}", "--port", str(port))
    assert result.code == 2 and f"127.0.0.1:{port}" in result.stderr
