"""Adding entries to a user's scenario file without rewriting what is already there.

``accord ingest --write`` adds sources, statements and meetings to the file the
user named.  Rewriting the file from the model (:func:`accord.io.scenario_file.save`)
would keep its meaning but drop its comments and layout, so instead the new
entries are written as ``[[sources]]``, ``[[statements]]`` and ``[[meetings]]``
tables by the project's TOML writer and inserted after the last entry of the
same kind (or at the end of the file); every other byte stays as it was.  A
JSON file is re-emitted with the entries appended (JSON has no comments).

Before anything is written the new text is read back and must give exactly the
old scenario plus the new entries; the file must not have changed since it was
read; and the replacement is atomic (a temporary file renamed over the old
one, which keeps its permissions).  Any failure leaves the file untouched.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from accord.errors import ScenarioError
from accord.io.files import read_limited
from accord.io.scenario_file import MAX_FILE_BYTES, dumps_toml_tables, loads, write_text_atomic
from accord.model import Meeting, Scenario, Source, Statement

__all__ = ["add_entries"]


def add_entries(path: str | os.PathLike[str], scenario: Scenario, *, sources: Sequence[Source] = (),
                statements: Sequence[Statement] = (), meetings: Sequence[Meeting] = ()) -> Scenario:
    """Add the entries to the scenario file at ``path`` (which holds ``scenario``); the new scenario.

    Raises
    ------
    ScenarioError
        The file cannot take the entries without other changes, or it changed meanwhile.
    """
    target = Path(path)
    name = str(path)
    original = read_limited(target, name=name, max_bytes=MAX_FILE_BYTES, kind="a scenario file")
    text = original.decode("utf-8-sig")
    expected = scenario.model_copy(update={
        "sources": [*scenario.sources, *sources],
        "statements": [*scenario.statements, *statements],
        "meetings": [*scenario.meetings, *meetings],
    })
    if not (sources or statements or meetings):
        return scenario
    is_json = target.suffix.lower() == ".json"
    if is_json:
        new_text = _json_with(text, sources, statements, meetings)
    else:
        new_text = text
        for key, entries in (("sources", sources), ("statements", statements), ("meetings", meetings)):
            if entries:
                new_text = _insert_tables(new_text, key, dumps_toml_tables(key, list(entries)))
    try:
        written = loads(new_text, format="json" if is_json else "toml", name=name)
    except ScenarioError as error:
        raise ScenarioError.single(name, "", "cannot add the entries to this file without changing "
                                             f"the rest ({error.problems[0].message}); nothing was "
                                             "written") from None
    if written.model_dump() != expected.model_dump():
        raise ScenarioError.single(name, "", "cannot add the entries to this file without changing the "
                                             "rest of it; nothing was written")
    if read_limited(target, name=name, max_bytes=MAX_FILE_BYTES, kind="a scenario file") != original:
        raise ScenarioError.single(name, "", "changed while it was being read; nothing was written — "
                                             "run the command again")
    mode = target.stat().st_mode & 0o7777
    write_text_atomic(target, new_text, overwrite=True)
    os.chmod(target, mode)
    return written


def _insert_tables(text: str, key: str, block: str) -> str:
    """``text`` with ``block`` after the last ``[[key]]`` entry (before the comments that open the
    next section), or at the end."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    ours = re.compile(rf"^\s*\[\[\s*{re.escape(key)}\s*\]\]")
    own_sub = re.compile(rf"^\s*\[\s*{re.escape(key)}\.")
    header = re.compile(r"^\s*\[")
    starts = [n for n, line in enumerate(lines) if ours.match(line)]
    if not starts:
        return "".join(lines) + "\n" + block
    end = len(lines)
    for n in range(starts[-1] + 1, len(lines)):
        if header.match(lines[n]) and not own_sub.match(lines[n]):
            end = n
            break
    while end - 1 > starts[-1] and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    insertion = ["\n", block] if end and lines[end - 1].strip() else [block]
    if end < len(lines) and lines[end].strip():
        insertion.append("\n")
    return "".join(lines[:end] + insertion + lines[end:])


def _json_with(text: str, sources: Sequence[Source], statements: Sequence[Statement],
               meetings: Sequence[Meeting]) -> str:
    document: dict[str, Any] = json.loads(text)
    for key, entries in (("sources", sources), ("statements", statements), ("meetings", meetings)):
        if entries:
            document.setdefault(key, []).extend(
                e.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for e in entries)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
