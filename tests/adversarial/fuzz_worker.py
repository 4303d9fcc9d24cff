"""The fuzzer's worker process: reads one request per line, runs one reader, answers one line.

Run by :mod:`tests.adversarial.fuzz` as ``python fuzz_worker.py MEMORY_BYTES CASE_SECONDS``.
Its address space is capped (``RLIMIT_AS``) so that a reader that allocates
without bound fails with ``MemoryError`` instead of exhausting the machine, and
each case runs under ``signal.alarm``; the parent also kills the whole worker
when a case runs past the bound (code stuck in C never sees the alarm).

Request: ``{"target": "scenario-toml", "path": "/tmp/…/scenario.toml"}``.
Answer: ``{"status": "ok" | "refused" | "error" | "hang" | "memory", "type", "message",
"where", "seconds"}`` where ``refused`` means the project's own error type.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any


class CaseTimeout(BaseException):
    """Raised by the alarm: the case ran past its bound."""


def _alarm(signum: int, frame: Any) -> None:
    raise CaseTimeout


def _run(target: str, path: Path) -> None:
    if target in ("scenario-toml", "scenario-json"):
        from accord.io.scenario_file import load
        from accord.space import compile_scenario

        compile_scenario(load(path))
    elif target == "genius-xml":
        from accord.io.genius import load_folder

        load_folder(path)
    elif target == "geniusweb":
        from accord.io.genius_web import load_folder as load_web

        load_web(path)
    elif target == "divide":
        from accord.protocols.adjusted_winner import adjusted_winner, read_points

        parties, points = read_points(path)
        adjusted_winner(parties, points)
    elif target == "tournament":
        from accord.protocols.tournament import read_config

        read_config(path)
    elif target == "ktab":
        from accord.io.ktab import read_ktab

        read_ktab(path)
    elif target == "instrument-hang":
        # For the instrument's own test: opening a FIFO with no writer blocks in the kernel.
        # (No reader of accord's does this any more: accord.io.files refuses a FIFO unopened.)
        os.close(os.open(path, os.O_RDONLY))
    else:
        raise SystemExit(f"unknown target {target}")


def _where(error: BaseException) -> str:
    """The innermost frame inside accord's source: the signature of a finding."""
    frames = traceback.extract_tb(error.__traceback__)
    inside = [f for f in frames if f"{os.sep}accord{os.sep}" in f.filename]
    frame = (inside or frames or [None])[-1]
    if frame is None:
        return ""
    filename = frame.filename
    marker = f"{os.sep}accord{os.sep}"
    if marker in filename:
        filename = "accord/" + filename.split(marker, 1)[1]
    return f"{filename}:{frame.lineno} in {frame.name}"


def main() -> None:
    memory = int(sys.argv[1])
    seconds = float(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    signal.signal(signal.SIGALRM, _alarm)
    from accord.errors import AccordError

    # Import the readers before the first case so the bound measures the reading, not imports.
    for target in ("scenario-toml", "genius-xml", "geniusweb", "divide", "tournament", "ktab"):
        with contextlib.suppress(BaseException):
            _run(target, Path("/nonexistent/accord-fuzz-warmup"))
    print(json.dumps({"status": "ready"}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        answer: dict[str, Any] = {"status": "ok"}
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            _run(request["target"], Path(request["path"]))
        except CaseTimeout:
            answer = {"status": "hang", "type": "timeout", "message": f"over {seconds:g} s", "where": ""}
        except AccordError as error:
            answer = {"status": "refused", "type": type(error).__name__, "message": str(error)[:300]}
        except MemoryError as error:
            answer = {"status": "memory", "type": "MemoryError", "message": str(error)[:300],
                      "where": _where(error)}
        except BaseException as error:
            answer = {"status": "error", "type": type(error).__name__, "message": str(error)[:500],
                      "where": _where(error),
                      "traceback": "".join(traceback.format_exception(error))[-3000:]}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        answer["seconds"] = round(time.perf_counter() - start, 3)
        try:
            print(json.dumps(answer), flush=True)
        except MemoryError:
            print(json.dumps({"status": "memory", "type": "MemoryError", "message": "", "where": ""}),
                  flush=True)


if __name__ == "__main__":
    main()
