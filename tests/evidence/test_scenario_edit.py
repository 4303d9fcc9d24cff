"""`--write`'s one writer: symlinks kept, read-only files refused, permissions from the first
byte, line endings kept, a file changed since it was read left alone, new statements kept."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

import pytest

from accord.errors import ScenarioError
from accord.evidence.propose import _already
from accord.io import scenario_edit
from accord.io.scenario_edit import add_entries, replace_file
from accord.io.scenario_file import load
from accord.model import Statement

NEW = Statement(speaker="ua", person="Rustem Umerov", date=dt.date(2025, 12, 9), quote="a step forward")


@pytest.fixture
def copy(tmp_path: Path, peace_plan_path: Path) -> Path:
    target = tmp_path / "scenario.toml"
    shutil.copyfile(peace_plan_path, target)
    return target


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path, copy: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(copy)
    add_entries(link, load(link), statements=[NEW])
    assert link.is_symlink() and os.readlink(link) == str(copy)
    assert load(copy).statements[-1] == NEW


def test_a_read_only_file_is_refused_and_left_alone(copy: Path) -> None:
    before = copy.read_bytes()
    copy.chmod(0o444)
    with pytest.raises(ScenarioError, match="is read-only; nothing was written"):
        add_entries(copy, load(copy), statements=[NEW])
    assert copy.read_bytes() == before and stat.S_IMODE(copy.stat().st_mode) == 0o444


def test_the_temporary_has_the_file_s_mode_before_any_content(copy: Path, monkeypatch) -> None:
    copy.chmod(0o600)
    seen: list[int] = []
    real = os.fdopen

    def watching(fd, *args, **kwargs):
        stream = real(fd, *args, **kwargs)
        write = stream.write

        def checked(data):
            seen.append(stat.S_IMODE(os.fstat(fd).st_mode))
            return write(data)

        stream.write = checked
        return stream

    monkeypatch.setattr(scenario_edit.os, "fdopen", watching)
    add_entries(copy, load(copy), statements=[NEW])
    assert seen == [0o600]  # never more open than the file, not even for a moment
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert not [p for p in copy.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_crlf_file_stays_crlf(copy: Path) -> None:
    copy.write_bytes(copy.read_bytes().replace(b"\n", b"\r\n"))
    add_entries(copy, load(copy), statements=[NEW])
    data = copy.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert load(copy).statements[-1] == NEW


def test_a_byte_order_mark_is_kept(copy: Path) -> None:
    copy.write_bytes(b"\xef\xbb\xbf" + copy.read_bytes())
    add_entries(copy, load(copy), statements=[NEW])
    assert copy.read_bytes().startswith(b"\xef\xbb\xbf") and load(copy).statements[-1] == NEW


def test_a_file_changed_since_it_was_read_is_not_written(copy: Path) -> None:
    scenario = load(copy)
    changed = copy.read_text(encoding="utf-8").replace('title = "', 'title = "Edited: ', 1)
    copy.write_text(changed, encoding="utf-8")
    with pytest.raises(ScenarioError, match="the file changed since it was read; nothing was written"):
        add_entries(copy, scenario, statements=[NEW])
    assert copy.read_text(encoding="utf-8") == changed


def test_a_change_between_the_check_and_the_rename_is_caught(copy: Path) -> None:
    original = copy.read_bytes()
    copy.write_bytes(original + b"\n# edited meanwhile\n")
    with pytest.raises(ScenarioError, match="changed since it was read"):
        replace_file(copy, b"new", expected=original, name=str(copy))
    assert copy.read_bytes().endswith(b"# edited meanwhile\n")


def test_a_folder_that_cannot_take_the_temporary(tmp_path: Path, copy: Path, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(scenario_edit.os, "open", refuse)
    with pytest.raises(ScenarioError, match="cannot write the new version next to it"):
        add_entries(copy, load(copy), statements=[NEW])


def test_a_new_statement_that_repeats_a_word_already_there_is_new(copy: Path) -> None:
    """Same party and day, and the new quote contains an old one-word quote: still new."""
    scenario = load(copy)
    old = Statement(speaker="ru", date=dt.date(2025, 12, 2), quote="never")
    with_old = scenario.model_copy(update={"statements": [*scenario.statements, old]})
    longer = Statement(speaker="ru", date=dt.date(2025, 12, 2), quote="never … a free economic zone")
    assert not _already(longer, with_old)
    assert _already(Statement(speaker="ru", date=dt.date(2025, 12, 2), quote="Never."), with_old)
    assert not _already(Statement(speaker="ua", date=dt.date(2025, 12, 2), quote="never"), with_old)
