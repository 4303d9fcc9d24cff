"""Adding entries to a user's scenario file without rewriting what is already there.

``accord ingest --write`` adds sources, statements and meetings to the file the
user named.  Rewriting the file from the model (:func:`accord.io.scenario_file.save`)
would keep its meaning but drop its comments and layout, so instead the new
entries are written as ``[[sources]]``, ``[[statements]]`` and ``[[meetings]]``
tables by the project's TOML writer and inserted after the last entry of the
same kind (or at the end of the file); every other byte stays as it was — its
line endings (a CRLF file gets CRLF lines) and a byte-order mark included.  A
JSON file is re-emitted with the entries appended (JSON has no comments), in
the file's line endings.

Before anything is written: the file must still be the scenario the command
read ("changed since it was read" otherwise); the new text must read back as
exactly the old scenario plus the new entries; and the file must be one the
user may write.  The replacement is :func:`replace_file`: atomic, through a
symbolic link to its target (the link stays a link), with the file's
permissions from the first byte.  Any failure leaves the file untouched.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from accord.errors import ScenarioError
from accord.io.files import display_name, read_bytes, sync_folder, write_failure
from accord.io.scenario_file import MAX_FILE_BYTES, dumps_toml_tables, loads
from accord.model import Meeting, Scenario, Source, Statement

__all__ = ["add_entries", "replace_file"]

_KIND = "a scenario file (.toml or .json)"


def add_entries(path: str | os.PathLike[str], scenario: Scenario, *, sources: Sequence[Source] = (),
                statements: Sequence[Statement] = (), meetings: Sequence[Meeting] = ()) -> Scenario:
    """Add the entries to the scenario file at ``path`` (which holds ``scenario``); the new scenario.

    Raises
    ------
    ScenarioError
        The file changed since ``scenario`` was read from it, is read-only or not a regular
        file, or cannot take the entries without other changes.  Nothing is written then.
    """
    if not (sources or statements or meetings):
        return scenario
    name = display_name(path)
    original = read_bytes(path, what=_KIND, limit=MAX_FILE_BYTES, name=name)
    bom = original.startswith(codecs.BOM_UTF8)
    try:
        text = original.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _changed(name) from None
    is_json = _is_json(Path(path), text)
    try:
        current = loads(text, format="json" if is_json else "toml", name=name)
    except ScenarioError:
        raise _changed(name) from None
    if current.model_dump() != scenario.model_dump():
        raise _changed(name)
    expected = scenario.model_copy(update={
        "sources": [*scenario.sources, *sources],
        "statements": [*scenario.statements, *statements],
        "meetings": [*scenario.meetings, *meetings],
    })
    newline = _newline(text)
    if is_json:
        new_text = _json_with(text, sources, statements, meetings).replace("\n", newline)
    else:
        new_text = text
        for key, entries in (("sources", sources), ("statements", statements), ("meetings", meetings)):
            if entries:
                block = dumps_toml_tables(key, list(entries)).replace("\n", newline)
                new_text = _insert_tables(new_text, key, block, newline)
    try:
        written = loads(new_text, format="json" if is_json else "toml", name=name)
    except ScenarioError as error:
        raise ScenarioError.single(name, "", "cannot add the entries to this file without changing "
                                             f"the rest ({error.problems[0].message}); nothing was "
                                             "written") from None
    if written.model_dump() != expected.model_dump():
        raise ScenarioError.single(name, "", "cannot add the entries to this file without changing the "
                                             "rest of it; nothing was written")
    data = (codecs.BOM_UTF8 if bom else b"") + new_text.encode("utf-8")
    replace_file(path, data, expected=original, name=name)
    return written


def replace_file(path: str | os.PathLike[str], data: bytes, *, expected: bytes, name: str) -> None:
    """Replace the contents of the existing file at ``path`` with ``data``, atomically.

    The one writer of ``--write``, replacing a file in place.  It shares the guarded reader and
    the failure messages of :mod:`accord.io.files` (whose :func:`~accord.io.files.write_atomic`
    writes new files), and keeps this behaviour:

    * a symbolic link is written *through*: its target is replaced and the link stays a link
      (chains are followed to the final target);
    * the file must be a regular file the user may write — a read-only file (no write bit, or
      no write permission) is refused, never replaced behind the user's back;
    * the temporary file is created next to the target with no permissions for anyone else,
      given the target's mode (and, where allowed, owner) *before* any byte is written, then
      filled, flushed to disk and renamed over the target;
    * just before the rename the target is read again: if it no longer holds ``expected`` (the
      bytes the change was computed from), nothing is replaced and the error says the file
      changed since it was read.

    Raises
    ------
    ScenarioError
        Naming ``name``: not a regular file, read-only, the folder cannot take the temporary
        file, or the file changed since it was read.
    """
    link = Path(path)
    target = Path(os.path.realpath(link))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        raise ScenarioError.single(name, "", "no such file (it was removed since it was read); "
                                             "nothing was written") from None
    except OSError as error:
        raise ScenarioError.single(name, "", f"cannot write: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError.single(name, "", "is not a regular file; --write adds to a scenario file")
    mode = stat.S_IMODE(info.st_mode)
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise ScenarioError.single(name, "", "is read-only; nothing was written (make it writable "
                                             "to add the entries)")
    directory = target.parent
    temporary = directory / f".{target.name}.{os.getpid()}.accord.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise ScenarioError.single(name, "", f"cannot write the new version next to it in {directory} "
                                             f"({error.strerror or error}); nothing was written") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), mode)     # the file's own permissions, before any content
            with contextlib.suppress(PermissionError):
                os.fchown(stream.fileno(), info.st_uid, info.st_gid)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            now = read_bytes(target, what=_KIND, limit=MAX_FILE_BYTES, name=name)
        except ScenarioError:
            raise _changed(name) from None
        if now != expected:
            raise _changed(name)
        os.replace(temporary, target)
        sync_folder(directory)
    except OSError as error:  # a full disk, a folder turned read-only…: the file is untouched
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise write_failure(name, error, "the new version") from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _changed(name: str) -> ScenarioError:
    return ScenarioError.single(name, "", "the file changed since it was read; nothing was written — "
                                          "run the command again")


def _is_json(file: Path, text: str) -> bool:
    if file.suffix.lower() in (".json", ".toml"):
        return file.suffix.lower() == ".json"
    return text.lstrip().startswith("{")


def _newline(text: str) -> str:
    """The file's line ending: CRLF when most of its lines end so, else LF."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"


def _insert_tables(text: str, key: str, block: str, newline: str = "\n") -> str:
    """``text`` with ``block`` after the last ``[[key]]`` entry (before the comments that open the
    next section), or at the end; the lines added end with ``newline``."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    ours = re.compile(rf"^\s*\[\[\s*{re.escape(key)}\s*\]\]")
    own_sub = re.compile(rf"^\s*\[\s*{re.escape(key)}\.")
    header = re.compile(r"^\s*\[")
    starts = [n for n, line in enumerate(lines) if ours.match(line)]
    if not starts:
        return "".join(lines) + newline + block
    end = len(lines)
    for n in range(starts[-1] + 1, len(lines)):
        if header.match(lines[n]) and not own_sub.match(lines[n]):
            end = n
            break
    while end - 1 > starts[-1] and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    insertion = [newline, block] if end and lines[end - 1].strip() else [block]
    if end < len(lines) and lines[end].strip():
        insertion.append(newline)
    return "".join(lines[:end] + insertion + lines[end:])


def _json_with(text: str, sources: Sequence[Source], statements: Sequence[Statement],
               meetings: Sequence[Meeting]) -> str:
    document: dict[str, Any] = json.loads(text)
    for key, entries in (("sources", sources), ("statements", statements), ("meetings", meetings)):
        if entries:
            document.setdefault(key, []).extend(
                e.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for e in entries)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
