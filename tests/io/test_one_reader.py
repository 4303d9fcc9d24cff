"""Every file accord reads or writes goes through accord.io.files (issue 10).

A scan of the source for the calls that open a file directly: ``open()``,
``Path.open/read_text/read_bytes/write_text/write_bytes``, ``os.open``,
``os.fdopen``, temporary files, and the loaders that take a file (``tomllib.load``,
``json.load``, ``ElementTree.parse``, ``numpy.load``, ``pandas.read_csv``…).  Only
accord.io.files may make them, plus the few uses listed below, each with its reason.
A new direct read or write anywhere else fails this test: route it through
:func:`accord.io.files.read_bytes` / :func:`~accord.io.files.write_atomic` instead.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "accord"

#: Attribute calls that open a file whatever they are called on (Path methods, os.open…).
_ANY_BASE = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "fdopen", "mkstemp",
             "mkdtemp", "NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile", "savefig",
             "read_csv", "read_table", "read_parquet", "read_json", "write_table", "write_csv",
             "fromfile", "loadtxt", "genfromtxt", "copyfile", "copy2", "copytree"}
#: Calls that open a file when made on these modules.
_LOADERS = {"load", "parse", "iterparse", "ParseFile"}
_LOADER_MODULES = {"tomllib", "json", "pickle", "marshal", "ET", "ElementTree", "etree", "minidom",
                   "np", "numpy", "yaml", "plistlib", "csv", "expat"}
#: shutil's copies and moves (``copy`` alone is too common a method name to look for anywhere).
_SHUTIL = {"copy", "move", "rmtree"}
#: Names of the guarded module itself, whose functions are the point.
_OURS = {"files", "accord.io.files"}

#: (file relative to src/accord, call) → how many times, and why it is not a user's file.
ALLOWED: dict[tuple[str, str], tuple[int, str]] = {
    ("io/files.py", "*"): (0, "the guarded reader and writer itself"),
    ("cli/common.py", "os.open"): (1, "/dev/null, to silence stdout after a broken pipe"),
    ("io/scenario_edit.py", "os.open"): (1, "replace_file: its own temporary file (O_EXCL); the "
                                            "user's file is read by read_bytes"),
    ("io/scenario_edit.py", "os.fdopen"): (1, "replace_file: the temporary file it created"),
    ("cli/protocol_cmds.py", "pacsv.read_csv"): (1, "reads the runs from memory (io.BytesIO)"),
    ("cli/protocol_cmds.py", "pq.write_table"): (1, "writes Parquet to memory (BufferOutputStream); "
                                                    "the file is written by write_atomic"),
    ("analysis/dominance.py", "source.read_bytes"): (1, "hashes the package's own kernels.py "
                                                         "for the warm-cache stamp; no user file"),
    ("analysis/warm.py", "stamp.write_text"): (1, "the warm-cache stamp in numba's cache "
                                                     "folder (make warm); no user file"),
}


def _direct_file_calls(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id == "open":
            found.append("open")
        elif isinstance(function, ast.Attribute):
            base = ast.unparse(function.value)
            if base in _OURS:
                continue
            if function.attr in _ANY_BASE or (function.attr in _LOADERS and base in _LOADER_MODULES) \
                    or (function.attr in _SHUTIL and base == "shutil"):
                found.append(f"{base}.{function.attr}")
    return found


def test_no_module_opens_a_file_but_the_guarded_one() -> None:
    seen: Counter[tuple[str, str]] = Counter()
    for file in sorted(SOURCE.rglob("*.py")):
        relative = file.relative_to(SOURCE).as_posix()
        if relative == "io/files.py":
            continue
        for call in _direct_file_calls(ast.parse(file.read_text(encoding="utf-8"))):
            seen[(relative, call)] += 1
    unexpected = {key: count for key, count in seen.items()
                  if key not in ALLOWED or count > ALLOWED[key][0]}
    assert not unexpected, (
        "these modules open files directly; use accord.io.files (read_bytes, read_text, "
        f"write_atomic, write_folder_atomic) or justify them in ALLOWED: {unexpected}")


def test_the_scan_finds_what_it_looks_for() -> None:
    sample = ast.parse("open(p)\nPath(p).read_text()\nx.write_bytes(b)\ntomllib.load(f)\n"
                       "ET.parse(p)\nos.open(p, 0)\nfiles.read_text(p)\njson.loads(s)\n")
    assert _direct_file_calls(sample) == ["open", "Path(p).read_text", "x.write_bytes",
                                          "tomllib.load", "ET.parse", "os.open"]
