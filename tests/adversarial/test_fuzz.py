"""Fuzzing inside ``make test``: every reader either succeeds or refuses with accord's own error.

A fixed budget (``FUZZ_TEST_SECONDS`` per target, 4 s by default: under a minute
for the whole file on a 2-core machine) of mutated examples per reader, each
case in a worker process with a 1 GiB address-space cap and a 2 s bound.  On CI
(``CI=true``) the seed is fixed, so the cases are the same sequence every run
(a slower machine runs a shorter prefix of it); elsewhere each run explores new
cases and prints its seed.  ``make fuzz`` is the long run that saves findings.

The test is strict: any other exception, a hang or a memory failure fails it.
Readers that fail on the current main branch are marked ``xfail(strict=False)``
naming the finding (inputs in ``tests/data/malformed/fuzz/``); remove the mark
when the fix lands.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.adversarial.fuzz import Result, Worker, default_seed, fuzz
from tests.adversarial.mutators import TARGETS, Case

SECONDS = float(os.environ.get("FUZZ_TEST_SECONDS", "4.0"))
CASE_SECONDS = 2.0
FINDINGS = "see tests/data/malformed/fuzz/README.md"

#: target -> known findings that make it fail today (a reason naming them; none at present).
KNOWN: dict[str, str] = {}
# The findings against main d82550a (tests/data/malformed/fuzz/, listed in its README) were
# fixed in issue 10; each is replayed by test_every_saved_finding_is_refused_cleanly below.


def _param(target: str) -> object:
    if target in KNOWN:
        return pytest.param(target, marks=pytest.mark.xfail(
            strict=False, reason=f"known finding on main: {KNOWN[target]}; {FINDINGS}"))
    return target


@pytest.mark.parametrize("target", [_param(t) for t in sorted(TARGETS)])
def test_reader_refuses_only_with_its_own_error(target: str, tmp_path: Path) -> None:
    seed = default_seed()
    n, failures, counts = fuzz(target, seed=seed, max_cases=2_000, seconds=SECONDS,
                               case_seconds=CASE_SECONDS, work=tmp_path)
    assert n > 0, "the fuzzer ran no case"
    assert counts["ok"] + counts["refused"] + len(failures) == n
    if failures:
        lines = "\n".join(f.describe()[:400] for f in failures[:10])
        pytest.fail(f"seed {seed}: {len(failures)} of {n} cases failed "
                    f"(replay: python -m tests.adversarial.fuzz --seed {seed} --target {target}):\n{lines}")


def test_worker_reports_a_foreign_exception_and_a_hang(tmp_path: Path) -> None:
    """The instrument itself: a case that is no accord error, and one past its bound, are findings."""
    worker = Worker(case_seconds=1.0)
    try:
        fifo = tmp_path / "points.toml"
        os.mkfifo(fifo)  # opening a FIFO with no writer blocks in the kernel: only the watchdog ends it
        hang = worker.run(Case("instrument-hang", "points.toml", {}), fifo)
        missing = worker.run(Case("divide", "points.toml", {}), tmp_path / "missing.toml")
    finally:
        worker.stop()
    assert hang.status == "hang" and hang.failed
    assert missing.status == "refused" and not missing.failed, missing
    assert isinstance(hang, Result)


FOUND = Path(__file__).resolve().parents[1] / "data" / "malformed" / "fuzz"


def _saved_findings() -> list[tuple[str, Path]]:
    found = []
    for note in sorted(FOUND.glob("*.note")):
        target = next(line.split(":", 1)[1].strip() for line in note.read_text().splitlines()
                      if line.startswith("target:"))
        inputs = [p for p in FOUND.iterdir() if p.stem == note.stem and p.suffix != ".note"]
        found.append((target, inputs[0]))
    return found


def test_every_saved_finding_is_refused_cleanly() -> None:
    """Each input the fuzzer ever found failing is now read or refused with accord's own error."""
    findings = _saved_findings()
    assert len(findings) >= 24
    worker = Worker(case_seconds=CASE_SECONDS)
    try:
        results = [(path.name, worker.run(Case(target, path.name, {}), path))
                   for target, path in findings]
    finally:
        worker.stop()
    failed = [f"{name}: {r.describe()[:300]}" for name, r in results if r.failed]
    assert not failed, "\n".join(failed)
