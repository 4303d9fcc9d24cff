"""A minimal Chrome DevTools Protocol client: headless Chromium from disk, driven over a websocket.

Only what the browser test needs: open a page with networking blocked, record
every request, console message, exception and log entry, evaluate JavaScript,
and take a full-page screenshot.  No browser is ever downloaded: the caller
passes the path of an installed Chromium.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websocket  # websocket-client

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--remote-debugging-port=0",
)


def find_or_install_chromium() -> tuple[str | None, str]:
    """The path of Debian's chromium, installing it with apt-get when missing (as root).

    Returns ``(path, "")`` or ``(None, reason it could not be had)``.
    """
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found, ""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None, "chromium is not installed and apt-get cannot install it here (not root/Debian)"
    try:
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            subprocess.run(command, check=True, capture_output=True, timeout=600,
                           env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"chromium is not installed and `apt-get install chromium` failed: {error}"
    found = shutil.which("chromium")
    return (found, "") if found else (None, "apt-get ran but no chromium binary appeared")


@dataclass
class PageRecord:
    """What happened while a page was open."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    log_errors: list[str] = field(default_factory=list)


class Browser:
    """One headless Chromium process with a fresh profile, closed by :meth:`close`."""

    def __init__(self, executable: str, *, timeout: float = 30.0) -> None:
        self.profile = tempfile.mkdtemp(prefix="accord-chromium-")
        self.timeout = timeout
        self.process = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not port_file.is_file() or len(port_file.read_text().splitlines()) < 2:
            if self.process.poll() is not None:
                raise RuntimeError("chromium exited early: "
                                   + self.process.stderr.read().decode(errors="replace")[-2000:])
            if time.monotonic() > deadline:
                self.close()
                raise TimeoutError("chromium did not open its DevTools port")
            time.sleep(0.05)
        port, path = port_file.read_text().splitlines()[:2]
        # Loopback only: the DevTools endpoint of the browser this object started.
        self.socket = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=timeout,
                                                  suppress_origin=True)
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, *,
             session: str | None = None) -> dict[str, Any]:
        message_id = next(self._ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise TimeoutError(method)

    def open_offline(self, url: str, *, ready: str, wait: float = 30.0) -> tuple[str, PageRecord]:
        """Open ``url`` in a new tab with the network switched off; wait until JS ``ready`` is true."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Network.emulateNetworkConditions", {
            "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1,
        }, session=session)
        self.events.clear()
        self.send("Page.navigate", {"url": url}, session=session)
        deadline = time.monotonic() + wait
        while True:
            if self.evaluate(session, ready):
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"the page never became ready ({ready}); "
                                   f"what happened: {self._record(session)}")
            time.sleep(0.1)
        self.evaluate(session, "1")  # flush events queued while the page settled
        return session, self._record(session)

    def evaluate(self, session: str, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                           session=session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, session: str, path: Path) -> Path:
        metrics = self.send("Page.getLayoutMetrics", session=session)
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        }, session=session)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def _record(self, session: str) -> PageRecord:
        record = PageRecord()
        for event in self.events:
            if event.get("sessionId") != session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                record.requests.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                record.failed.append(f"{params.get('errorText')} ({params.get('requestId')})")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                record.console_errors.append(
                    " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
            elif method == "Runtime.exceptionThrown":
                record.exceptions.append(json.dumps(params["exceptionDetails"])[:500])
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                record.log_errors.append(params["entry"].get("text", ""))
        return record

    def close(self) -> None:
        try:
            if getattr(self, "socket", None) is not None:
                with contextlib.suppress(Exception):  # the browser may hang up before replying
                    self.send("Browser.close")
                self.socket.close()
        finally:
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
            shutil.rmtree(self.profile, ignore_errors=True)
