"""A real ``accord serve`` process on a free loopback port, for tests that need one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from typing import Any

from tests.server.helpers import TEST_SETTINGS


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    """``with LiveServer(url) as server: server.base`` — started, healthy, and stopped at the end."""

    def __init__(
        self,
        database_url: str,
        *,
        workers: int = 1,
        extra: Mapping[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        self.database_url = database_url
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.extra = dict(extra or {})
        self.args = args
        self.process: subprocess.Popen[Any] | None = None

    @staticmethod
    def environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ)
        for key, value in TEST_SETTINGS.items():
            env[f"ACCORD_{key.upper()}"] = str(value)
        env.update(extra or {})
        return env

    def __enter__(self) -> LiveServer:
        self.start()
        return self

    def start(self, timeout: float = 60.0) -> None:
        command = [
            sys.executable,
            "-m",
            "accord",
            "serve",
            "--database",
            self.database_url,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            *self.args,
        ]
        self.process = subprocess.Popen(
            command,
            env=self.environment(self.extra),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.wait_healthy(timeout)

    def wait_healthy(self, timeout: float) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"accord serve exited with {self.process.returncode}: "
                    f"{self.process.stderr.read() if self.process.stderr else ''}"
                )
            try:
                if httpx.get(f"{self.base}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"accord serve did not answer within {timeout} s")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __exit__(self, *exc: object) -> None:
        self.stop()
