"""The fuzzer: mutated inputs through accord's readers, in a bounded worker process.

Property checked for every case: the reader either succeeds or raises the
project's own error type (:class:`accord.errors.AccordError`), within a time
bound per case, with the worker's address space capped.  Anything else — another
exception, a hang, ``MemoryError`` — is a *finding*.

``make fuzz`` runs ``python -m tests.adversarial.fuzz --seconds 600`` and writes
every new finding to ``tests/data/malformed/fuzz/fuzz-<hash>.<ext>`` (a folder
``fuzz-<hash>/`` for a folder target) with ``fuzz-<hash>.note`` naming the target,
the mutation, the exception and where it was raised.  A finding is *new* when
its signature (target, exception type, innermost accord frame) is in no note
already in the output folder.

Seeds: with ``CI=true`` the seed is fixed (0) so a run is reproducible; otherwise
it is drawn from the clock and printed, and ``--seed`` replays it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.adversarial.mutators import ROOT, TARGETS, Case, Mutator, write_case

WORKER = Path(__file__).with_name("fuzz_worker.py")
#: The worker's address-space cap: the issue's bound on memory.
MEMORY_BYTES = 1024**3
FAILURES = ("error", "hang", "memory", "crash")


def default_seed() -> int:
    return 0 if os.environ.get("CI", "").lower() in ("1", "true", "yes") else int(time.time()) % 100_000


@dataclass
class Result:
    case: Case
    status: str
    type: str = ""
    message: str = ""
    where: str = ""
    seconds: float = 0.0
    traceback: str = ""

    @property
    def failed(self) -> bool:
        return self.status in FAILURES

    @property
    def signature(self) -> str:
        return f"{self.case.target} | {self.status} | {self.type} | {self.where}"

    def describe(self) -> str:
        return (f"[{self.case.target}] {self.status}: {self.type}: {self.message[:160]!r} at {self.where} "
                f"after {'; '.join(self.case.steps)}")


class Worker:
    """One worker process; restarted after a hang, a memory failure or a crash."""

    def __init__(self, case_seconds: float, memory: int = MEMORY_BYTES) -> None:
        self.case_seconds = case_seconds
        self.memory = memory
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        env = dict(os.environ)
        src = str(ROOT / "src")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH", ""), src, str(ROOT)) if p)
        env.setdefault("OPENBLAS_NUM_THREADS", "1")
        env.setdefault("OMP_NUM_THREADS", "1")
        env.pop("ACCORD_DEBUG", None)
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), str(self.memory), str(self.case_seconds)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env=env, cwd=str(ROOT))
        ready = self._read(60.0)
        if ready is None or ready.get("status") != "ready":
            raise RuntimeError(f"fuzz worker did not start: {ready}")

    def _read(self, timeout: float) -> dict[str, Any] | None:
        assert self.process is not None and self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.process.stdout.readline()
        return json.loads(line) if line else None

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
            self.process = None

    def run(self, case: Case, path: Path) -> Result:
        if self.process is None or self.process.poll() is not None:
            self.start()
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(json.dumps({"target": case.target, "path": str(path)}) + "\n")
        self.process.stdin.flush()
        started = time.perf_counter()
        answer = self._read(self.case_seconds + 2.0)
        seconds = time.perf_counter() - started
        if answer is None:
            code = self.process.poll()
            self.stop()
            if code is None:
                return Result(case, "hang", "timeout", f"no answer within {self.case_seconds:g} s "
                              "(killed)", "", seconds)
            return Result(case, "crash", f"exit {code}", "the worker died", "", seconds)
        result = Result(case, answer["status"], answer.get("type", ""), answer.get("message", ""),
                        answer.get("where", ""), answer.get("seconds", seconds), answer.get("traceback", ""))
        if result.status in ("hang", "memory"):
            self.stop()  # state after an interrupted or starved case cannot be trusted
        return result


def fuzz(target: str, *, seed: int, max_cases: int | None, seconds: float, case_seconds: float,
         work: Path) -> tuple[int, list[Result], Counter[str]]:
    """Run cases for ``target`` until ``max_cases`` or ``seconds``; (cases run, failures, counts)."""
    mutator = Mutator(target, seed)
    worker = Worker(case_seconds)
    failures: list[Result] = []
    counts: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    n = 0
    try:
        while (max_cases is None or n < max_cases) and time.monotonic() < deadline:
            case = mutator.case()
            directory = work / f"{target}-{n}"
            path = write_case(case, directory)
            result = worker.run(case, path)
            counts[result.status] += 1
            if result.failed:
                failures.append(result)
            shutil.rmtree(directory, ignore_errors=True)
            n += 1
    finally:
        worker.stop()
    return n, failures, counts


def known_signatures(out: Path) -> set[str]:
    signatures = set()
    for note in out.glob("fuzz-*.note"):
        for line in note.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("signature: "):
                signatures.add(line.removeprefix("signature: "))
    return signatures


def save_finding(result: Result, out: Path) -> Path:
    """Write the failing input and its note; returns the input's path."""
    case = result.case
    digest = hashlib.sha256()
    for name in sorted(case.files):
        digest.update(name.encode() + b"\0" + case.files[name])
    stem = f"fuzz-{digest.hexdigest()[:12]}"
    out.mkdir(parents=True, exist_ok=True)
    if case.is_folder:
        target_path = out / stem
        write_case(case, target_path)
    else:
        target_path = out / f"{stem}{Path(case.main).suffix or '.bin'}"
        target_path.write_bytes(case.files[case.main])
    note = [
        f"target: {case.target}",
        f"signature: {result.signature}",
        f"status: {result.status}",
        f"exception: {result.type}: {result.message[:400]}",
        f"where: {result.where}",
        f"seconds: {result.seconds}",
        f"mutations: {'; '.join(case.steps)}",
        "expected: exit status 2 with one message naming the file (the project's own error)",
    ]
    if result.traceback:
        note += ["", "traceback (tail):", result.traceback]
    (out / f"{stem}.note").write_text("\n".join(note) + "\n", encoding="utf-8")
    return target_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.adversarial.fuzz", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=600.0, help="total budget (default 600)")
    parser.add_argument("--seed", type=int, default=None, help="replay a run (default: fixed on CI, else clock)")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS), help="only these (repeatable)")
    parser.add_argument("--case-seconds", type=float, default=5.0, help="bound per case (default 5)")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "malformed" / "fuzz",
                        help="where new findings are written (default tests/data/malformed/fuzz)")
    args = parser.parse_args(argv)
    seed = default_seed() if args.seed is None else args.seed
    targets = args.target or sorted(TARGETS)
    per_target = args.seconds / len(targets)
    print(f"fuzz: seed {seed}, {args.seconds:g} s over {len(targets)} targets, "
          f"{args.case_seconds:g} s per case, findings to {args.out}", flush=True)
    known = known_signatures(args.out)
    new = 0
    total = 0
    with tempfile.TemporaryDirectory(prefix="accord-fuzz-") as tmp:
        for target in targets:
            n, failures, counts = fuzz(target, seed=seed, max_cases=None, seconds=per_target,
                                       case_seconds=args.case_seconds, work=Path(tmp))
            total += n
            summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            print(f"{target:14} {n:6} cases: {summary}", flush=True)
            for result in failures:
                if result.signature in known:
                    continue
                known.add(result.signature)
                path = save_finding(result, args.out)
                new += 1
                print(f"  NEW {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                      f"{result.describe()[:300]}", flush=True)
    print(f"fuzz: {total} cases, {new} new findings (seed {seed})")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
