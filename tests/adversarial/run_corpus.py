"""Run the adversarial corpus through every command that reads each input, and classify each run.

``python -m tests.adversarial.run_corpus [--corpus DIR] [--accord CMD] [--jobs 2] [--timeout 10]
[--out results.jsonl]`` builds the corpus (``tests/adversarial/corpus.py``) when DIR
has no manifest, runs every (input, command) pair and every command-line misuse
case as a separate process, and prints a summary: inputs, runs, failures by kind.

Kinds of outcome (one per run; the first that applies):

``hang``            past the timeout (``--timeout``, 10 s; 20 s for report and chart; ``check`` must
                    answer within ``--check-timeout``, 2 s, plus this machine's start-up time)
``memory``          peak RSS over 1 GiB, or ``MemoryError`` (every run is capped at 3 GiB of data)
``crash``           a traceback on stderr
``exit-3``          exit status 3 ("internal error … this is a bug")
``control-codes``   raw control characters (ESC, C0 other than tab/newline, C1) in the output
``wrong-answer``    a known answer differs (``answers`` in the manifest)
``accepted-bad``    exit 0 or 1 on an input the corpus says must be refused
``refused-valid``   ``check`` refuses an input the corpus says is valid
``bad-message``     exit 2 without one clean message naming the file or the option
``other-exit``      any other exit status (a signal, 1 from a command that never says "no")
``ok`` / ``ok-refused``  what should happen
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GIB = 1024**3
MEMORY_LIMIT = 1 * GIB
ADDRESS_CAP = 3 * GIB
OUTPUT_CAP = 2 * 1024 * 1024
FAILURE_KINDS = ("hang", "memory", "crash", "exit-3", "control-codes", "wrong-answer", "accepted-bad",
                 "refused-valid", "bad-message", "other-exit")

#: command name -> argv after ``accord`` ({f}: the input, {o}: a scratch folder for outputs)
SCENARIO_COMMANDS: dict[str, list[str]] = {
    "check": ["check", "{f}"],
    "show": ["show", "{f}"],
    "evaluate": ["evaluate", "{f}"],
    "diff": ["diff", "{f}", "offer", "counter"],
    "frontier": ["frontier", "{f}"],
    "solve": ["solve", "{f}"],
    "amend": ["amend", "{f}", "-t", "offer"],
    "improve": ["improve", "{f}", "-t", "offer"],
    "chance": ["chance", "{f}", "-n", "500"],
    "sensitivity": ["sensitivity", "{f}", "-n", "256"],
    "robust": ["robust", "{f}", "-n", "256"],
    "simulate": ["simulate", "{f}"],
    "evidence": ["evidence", "{f}"],
    "forecast": ["forecast", "{f}", "-m", "compromise", "-n", "0"],
    "report": ["report", "{f}", "-o", "{o}/report.html"],
    "chart": ["chart", "{f}", "stance", "-o", "{o}/chart.svg"],
    "export": ["export", "genius", "{f}", "-o", "{o}/genius", "--drop-red-lines"],
}
# A GENIUS folder has no texts: the commands that need one are left out.
GENIUS_COMMANDS = {**{k: v for k, v in SCENARIO_COMMANDS.items()
                      if k not in ("diff", "amend", "improve", "simulate", "evidence")},
                   "import": ["import", "genius", "{f}", "-o", "{o}/imported.toml"]}
COMMANDS: dict[str, dict[str, list[str]]] = {
    "scenario": SCENARIO_COMMANDS,
    "genius": GENIUS_COMMANDS,
    "geniusweb": {"import": ["import", "genius", "{f}", "-o", "{o}/imported.toml"],
                  "check": ["check", "{f}"]},
    "divide": {"divide": ["divide", "{f}"], "divide-json": ["divide", "{f}", "--json"]},
    "tournament": {"tournament": ["tournament", "{f}"],
                   "tournament-out": ["tournament", "{f}", "--out", "{o}/runs.csv"]},
    "ktab": {"forecast": ["forecast", "{f}", "-n", "0"], "forecast-json": ["forecast", "{f}", "-n", "0", "--json"]},
    "article": {"ingest": ["ingest", "{f}", "--date", "2025-03-03"],
                "ingest-scenario": ["ingest", "{f}", "--date", "2025-03-03", "-s", "{peace}", "--evidence"]},
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PYTHONISMS = re.compile(r"\b\w+=(True|False|None)\b|datetime\.(date|datetime|time)\(|Decimal\('|<class '|"
                         r"\baccord\.[a-z_]+\.[a-z_]|\bNoneType\b|\bTOMLDecodeError\b|\bJSONDecodeError\b")


def _runs(entry: dict[str, Any]) -> list[tuple[str, list[str]]]:
    if entry["kind"] == "cli":
        return [("cli", entry["argv"])]
    table = COMMANDS.get(entry["kind"], {})
    chosen = entry.get("commands", "full")
    names = list(table) if chosen == "full" else [c for c in chosen if c in table]
    return [(name, table[name]) for name in names]


def _expand(argv: list[str], values: dict[str, str]) -> list[str]:
    out = []
    for arg in argv:
        for key, value in values.items():
            arg = arg.replace("{" + key + "}", value)
        out.append(arg)
    return out


#: process groups of the runs in progress, killed if the runner itself is stopped
RUNNING: set[int] = set()


def _stop(signum: int, frame: Any) -> None:
    for pid in list(RUNNING):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    os._exit(128 + signum)


def _limit() -> None:
    # RLIMIT_DATA, not RLIMIT_AS: the chart renderer's V8 reserves (without using) a large address space.
    resource.setrlimit(resource.RLIMIT_DATA, (ADDRESS_CAP, ADDRESS_CAP))
    os.umask(0o022)


def _read_capped(stream: Any, sink: list[bytes]) -> None:
    total = 0
    while True:
        chunk = stream.read(65536)
        if not chunk:
            break
        if total < OUTPUT_CAP:
            sink.append(chunk[: OUTPUT_CAP - total])
        total += len(chunk)


def execute(accord: list[str], argv: list[str], timeout: float, cwd: Path) -> dict[str, Any]:
    """Run one command; exit status, output, wall time, peak RSS, and whether it timed out."""
    env = dict(os.environ)
    env.pop("ACCORD_DEBUG", None)
    env["COLUMNS"] = "120"
    env.setdefault("TERM", "dumb")
    start = time.perf_counter()
    process = subprocess.Popen([*accord, *argv], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=cwd, env=env, preexec_fn=_limit,
                               start_new_session=True)
    RUNNING.add(process.pid)
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [threading.Thread(target=_read_capped, args=(process.stdout, out), daemon=True),
               threading.Thread(target=_read_capped, args=(process.stderr, err), daemon=True)]
    for reader in readers:
        reader.start()
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    _, status, usage = os.wait4(process.pid, 0)
    timer.cancel()
    RUNNING.discard(process.pid)
    seconds = time.perf_counter() - start
    with contextlib.suppress(ProcessLookupError, PermissionError):  # its workers must not outlive it
        os.killpg(process.pid, signal.SIGKILL)
    for reader in readers:
        reader.join(timeout=5)
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"exit": process.returncode, "stdout": b"".join(out).decode("utf-8", "replace"),
            "stderr": b"".join(err).decode("utf-8", "replace"), "seconds": round(seconds, 2),
            "rss_mib": round(usage.ru_maxrss / 1024, 1), "timeout": timed_out.is_set()}


def _names(entry: dict[str, Any], path: str) -> list[str]:
    if entry.get("names"):
        return [entry["names"]]
    if not path:
        return []
    p = Path(path)
    names = [p.name, p.name.split("\n")[0]]
    if p.is_dir():
        names += [child.name for child in p.iterdir()]
    return [n for n in names if n]


def _good_message(stderr: str, names: list[str], words: str | None) -> str:
    """Empty when the exit-2 message is good, else what is wrong with it."""
    text = stderr.strip()
    if not text:
        return "no message on stderr"
    if _PYTHONISMS.search(text):
        return f"Python in the message: {_PYTHONISMS.search(text).group(0)!r}"  # type: ignore[union-attr]
    if names and not any(n in text for n in names):
        return f"does not name {names[0]!r}"
    if words and words.lower() not in text.lower():
        return f"does not say {words!r}"
    return ""


def _answer_ok(check: dict[str, Any], result: dict[str, Any], run: Any) -> str:
    if "stdout_contains" in check and check["stdout_contains"] not in result["stdout"]:
        return f"stdout lacks {check['stdout_contains']!r}"
    if "file_mode" in check:
        path, mode = check["file_mode"]
        try:
            actual = oct(os.stat(path).st_mode & 0o777)[2:].zfill(4)
        except OSError as error:
            return f"no output file: {error}"
        if actual != mode:
            return f"{Path(path).name} has mode {actual}, expected {mode}"
    if "same_json_as" in check:
        reference = run(check["same_json_as"])
        try:
            mine, theirs = json.loads(result["stdout"]), json.loads(reference["stdout"])
        except ValueError:
            return "output is not JSON"
        for key in check.get("ignore", []):
            mine.pop(key, None)
            theirs.pop(key, None)
        if "keys" in check:
            mine = {k: mine.get(k) for k in check["keys"]}
            theirs = {k: theirs.get(k) for k in check["keys"]}
        if mine != theirs:
            size = len(mine.get("points", [])) if isinstance(mine.get("points"), list) else None
            other = len(theirs.get("points", [])) if isinstance(theirs.get("points"), list) else None
            detail = f" ({size} points vs {other})" if size is not None else ""
            return f"differs from {' '.join(check['same_json_as'][:2])}{detail}"
    return ""


def classify(entry: dict[str, Any], command: str, result: dict[str, Any], path: str,
             answer_problem: str = "") -> tuple[str, str]:
    stderr, code = result["stderr"], result["exit"]
    if result["rss_mib"] > MEMORY_LIMIT / 2**20 or "MemoryError" in stderr:
        return "memory", f"peak {result['rss_mib']} MiB after {result['seconds']} s"
    if result["timeout"]:
        return "hang", f"killed after {result['seconds']} s"
    if command == "check" and result["seconds"] > result.get("bound", float("inf")):
        return "hang", f"check took {result['seconds']} s, over its bound of {result['bound']:.1f} s"
    if "Traceback (most recent call last)" in stderr:
        return "crash", stderr.strip().splitlines()[-1][:200]
    if code == 3:
        return "exit-3", stderr.strip()[:200]
    control = _CONTROL.search(result["stdout"] + stderr)
    if control:
        return "control-codes", f"raw {control.group(0)!r} in the output"
    if answer_problem:
        return "wrong-answer", answer_problem
    expect = entry["expect"]
    if code in (0, 1):
        if expect == "refuse" and not (command == "cli" and code == 0 and expect == "either"):
            return "accepted-bad", f"exit {code}"
        return "ok", ""
    if code == 2:
        if expect == "accept" and command == "check":
            return "refused-valid", stderr.strip()[:200]
        # A refused bad file must be named; a valid input refused for an option need not be.
        names = _names(entry, path) if expect == "refuse" or entry["kind"] == "cli" else []
        problem = _good_message(stderr, names, entry.get("words"))
        if problem:
            return "bad-message", f"{problem}: {stderr.strip()[:160]}"
        return "ok-refused", stderr.strip().splitlines()[0][:160] if stderr.strip() else ""
    return "other-exit", f"exit {code}: {stderr.strip()[:160]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.adversarial.run_corpus",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder (default: a fresh temporary one, built now)")
    parser.add_argument("--accord", default=None,
                        help="the accord to run, as a command (default: `accord` on PATH, else "
                             "`python -m accord`; PYTHONPATH is honoured)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per run (default 10)")
    parser.add_argument("--check-timeout", type=float, default=2.0, help="seconds for `check` (default 2)")
    parser.add_argument("--out", type=Path, default=Path("adversarial-results.jsonl"))
    parser.add_argument("--summary", type=Path, default=None, help="also write the summary here")
    parser.add_argument("--only", default="", help="only entries whose id contains one of these (comma-separated)")
    parser.add_argument("--rescore", type=Path, action="append", default=None,
                        help="classify the runs of earlier results files again (no command is run): "
                             "the runs the current corpus still has, by the current rules; a run in "
                             "a later file replaces the same run in an earlier one (repeatable)")
    parser.add_argument("--command", action="append", default=None,
                        help="only these commands of each entry (repeatable; e.g. report)")
    parser.add_argument("--slow-timeout", type=float, default=20.0,
                        help="seconds for report and chart, which render charts (default 20)")
    parser.add_argument("--unsafe", action="store_true",
                        help="also run cases marked unsafe on a shared machine (--workers 1000000)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    if args.accord:
        accord = shlex.split(args.accord)
    elif shutil.which("accord"):
        accord = [shutil.which("accord") or "accord"]
    else:
        accord = [sys.executable, "-m", "accord"]
    temporary = None
    corpus = args.corpus
    if corpus is None:
        temporary = tempfile.mkdtemp(prefix="accord-adversarial-")
        corpus = Path(temporary)
    if not (corpus / "manifest.json").is_file():
        from tests.adversarial.corpus import build

        build(corpus)
    manifest = json.loads((corpus / "manifest.json").read_text())
    fixtures = manifest["fixtures"]
    fixtures.setdefault("peace", str(ROOT / "examples" / "peace-plan-2025" / "scenario.toml"))
    only = [word for word in args.only.split(",") if word] or [""]
    entries = [e for e in manifest["entries"] if any(w in e["id"] for w in only) and e["kind"] != "none"]
    # Root reads and writes through any permission bits: those entries would test nothing.
    for entry in entries:
        if entry.get("needs_non_root") and os.geteuid() == 0:
            entry["unsafe"] = "permissions mean nothing to root"
    skipped = [e for e in entries if e.get("unsafe") and not args.unsafe]
    entries = [e for e in entries if not (e.get("unsafe") and not args.unsafe)]
    scratch_root = Path(tempfile.mkdtemp(prefix="accord-adversarial-runs-"))
    jobs: list[tuple[dict[str, Any], str, list[str]]] = []
    for entry in entries:
        for command, template in _runs(entry):
            if args.command is None or command in args.command:
                jobs.append((entry, command, template))
        for k, answer in enumerate(entry.get("answers", [])):
            jobs.append((entry, f"answer-{k}", answer["argv"]))
    if args.rescore:
        shutil.rmtree(scratch_root, ignore_errors=True)
        return rescore(args, entries, jobs, skipped)
    # `check` must answer within --check-timeout of work: the bound adds this machine's start-up
    # time (the fastest of three checks of the example), so a loaded machine is not a "hang".
    startup = min(execute(accord, ["check", str(ROOT / "examples" / "job-offer.toml")], 60, scratch_root)
                  ["seconds"] for _ in range(3))
    check_bound = args.check_timeout + startup
    print(f"adversarial: {len(entries)} entries, {len(jobs)} runs, accord = {' '.join(accord)}, "
          f"--jobs {args.jobs}, timeout {args.timeout:g} s (check: {args.check_timeout:g} s + "
          f"{startup:.2f} s start-up)", flush=True)
    if skipped:
        print(f"adversarial: skipped {len(skipped)} unsafe case(s): "
              + ", ".join(e["id"] for e in skipped) + " (--unsafe runs them)", flush=True)

    def one(job: tuple[dict[str, Any], str, list[str]], n: int) -> dict[str, Any]:
        entry, command, template = job
        scratch = scratch_root / f"run-{n}"
        scratch.mkdir()
        # abspath, not resolve(): a symlink to /dev/zero must reach accord as the symlink
        path = os.path.abspath(corpus / entry["path"]) if entry.get("path") else ""
        values = {"f": path, "o": str(scratch), **fixtures}

        def run(argv_template: list[str]) -> dict[str, Any]:
            argv = _expand(argv_template, values)
            slow = bool(argv) and argv[0] in ("report", "chart")
            result = execute(accord, argv, args.slow_timeout if slow else args.timeout, scratch)
            if argv and argv[0] == "check":
                result["bound"] = check_bound
            return result

        result = run(template)
        answer_problem = ""
        if command.startswith("answer-") and result["exit"] == 0 and not result["timeout"]:
            check = entry["answers"][int(command.split("-")[1])]
            expanded = {k: (_expand(v, values) if isinstance(v, list) and k == "file_mode" else v)
                        for k, v in check.items()}
            answer_problem = _answer_ok(expanded, result, run)
        kind, detail = classify(entry, command if not command.startswith("answer") else "answer",
                                result, path, answer_problem)
        shutil.rmtree(scratch, ignore_errors=True)
        return {"id": entry["id"], "class": entry["class"], "kind": entry["kind"], "command": command,
                "argv": _expand(template, values)[:8], "expect": entry["expect"], "outcome": kind,
                "detail": detail, "exit": result["exit"], "seconds": result["seconds"],
                "rss_mib": result["rss_mib"], "stderr": result["stderr"][:400]}

    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as sink, ThreadPoolExecutor(args.jobs) as pool:
        for n, record in enumerate(pool.map(one, jobs, range(len(jobs)))):
            results.append(record)
            sink.write(json.dumps(record, ensure_ascii=True) + "\n")
            sink.flush()
            if record["outcome"] not in ("ok", "ok-refused"):
                print(f"  {record['outcome']:13} {record['id']} [{record['command']}] {record['detail'][:110]!r}",
                      flush=True)
            if (n + 1) % 200 == 0:
                print(f"  … {n + 1}/{len(jobs)} runs, {time.perf_counter() - started:.0f} s", flush=True)
    elapsed = time.perf_counter() - started
    shutil.rmtree(scratch_root, ignore_errors=True)
    if temporary:
        shutil.rmtree(temporary, ignore_errors=True)
    summary = summarise(entries, results, elapsed, args, skipped)
    print(summary)
    if args.summary:
        args.summary.write_text(summary + "\n", encoding="utf-8")
    return 1 if any(r["outcome"] in FAILURE_KINDS for r in results) else 0


def rescore(args: argparse.Namespace, entries: list[dict[str, Any]],
            jobs: list[tuple[dict[str, Any], str, list[str]]], skipped: list[dict[str, Any]]) -> int:
    """Reclassify stored runs (stderr is stored in part: enough for the message rules)."""
    wanted = {(entry["id"], command) for entry, command, _ in jobs}
    by_id = {entry["id"]: entry for entry in entries}
    stored_runs: dict[tuple[str, str], dict[str, Any]] = {}
    for file in args.rescore:
        for line in file.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            stored_runs[(record["id"], record["command"])] = record
    results = []
    elapsed = 0.0
    for (run_id, command), record in stored_runs.items():
        if (run_id, command) not in wanted:
            continue
        entry = by_id[record["id"]]
        path = os.path.abspath(args.corpus / entry["path"]) if entry.get("path") and args.corpus else ""
        stored = {"exit": record["exit"], "stderr": record["stderr"], "stdout": "",
                  "seconds": record["seconds"], "rss_mib": record["rss_mib"],
                  "timeout": record["outcome"] == "hang" and record["detail"].startswith("killed")}
        if record["command"] == "check" and record["outcome"] == "hang" and not stored["timeout"]:
            stored["bound"] = 0.0  # it was over the bound when it ran
        answer = record["detail"] if record["outcome"] in ("wrong-answer", "control-codes") else ""
        kind, detail = classify(entry, record["command"] if not record["command"].startswith("answer")
                                else "answer", stored, path, answer)
        if record["outcome"] == "control-codes":  # stdout is not stored: keep the verdict made on it
            kind, detail = record["outcome"], record["detail"]
        record.update(outcome=kind, detail=detail)
        results.append(record)
        elapsed += record["seconds"]
    with open(args.out, "w", encoding="utf-8") as sink:
        for record in results:
            sink.write(json.dumps(record, ensure_ascii=True) + "\n")
    ran = {record["id"] for record in results}
    summary = summarise([e for e in entries if e["id"] in ran], results, elapsed, args, skipped) + \
        f"\n  (rescored from {', '.join(f.name for f in args.rescore)}: {len(results)} runs are in the " \
        "current corpus; the time is the sum of the runs)"
    print(summary)
    if args.summary:
        args.summary.write_text(summary + "\n", encoding="utf-8")
    return 0


def summarise(entries: list[dict[str, Any]], results: list[dict[str, Any]], elapsed: float,
              args: argparse.Namespace, skipped: list[dict[str, Any]]) -> str:
    outcomes = Counter(r["outcome"] for r in results)
    inputs = sum(1 for e in entries if e["kind"] != "cli")
    cli = sum(1 for e in entries if e["kind"] == "cli")
    failing_entries = {r["id"] for r in results if r["outcome"] in FAILURE_KINDS}
    lines = [
        "accord adversarial corpus",
        f"  inputs: {inputs} (+ {cli} command-line misuse cases; {len(skipped)} unsafe case(s) skipped)",
        f"  runs: {len(results)} in {elapsed:.0f} s with --jobs {args.jobs}, timeout {args.timeout:g} s "
        f"(report and chart {args.slow_timeout:g} s; check {args.check_timeout:g} s + start-up)",
        f"  entries with at least one failure: {len(failing_entries)} of {len(entries)}",
        "",
        f"  {'outcome':15} {'runs':>6}",
    ]
    for kind in ("ok", "ok-refused", *FAILURE_KINDS):
        lines.append(f"  {kind:15} {outcomes.get(kind, 0):6}")
    lines.append(f"  {'failures':15} {sum(outcomes.get(k, 0) for k in FAILURE_KINDS):6}")
    lines += ["", "  failures by class (runs):"]
    by_class: dict[int, Counter[str]] = {}
    for r in results:
        if r["outcome"] in FAILURE_KINDS:
            by_class.setdefault(r["class"], Counter())[r["outcome"]] += 1
    for cls in sorted(by_class):
        lines.append(f"    class {cls:2}: " + ", ".join(f"{k} {v}" for k, v in by_class[cls].most_common()))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
