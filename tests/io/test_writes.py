"""Writes (issue 10, class 8): one destination check, atomic files and folders, exit 2, nothing half-written.

A full disk is simulated by making ``os.write`` or ``os.fsync`` fail with ENOSPC;
a read-only folder by removing its write bits (which the check honours even for
the superuser, who the tests may run as).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.errors import OutputExists, ScenarioError
from accord.io import files, genius
from accord.io.files import check_destination, write_atomic, write_folder_atomic
from accord.io.scenario_file import load
from tests.cli.helpers import run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
JOB_OFFER = EXAMPLES / "job-offer.toml"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _refuse(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- the destination check --------------------------------------------------------------


def test_missing_and_read_only_folders_are_refused(tmp_path: Path, read_only: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        check_destination(tmp_path / "no" / "such" / "out.csv", force=False, what="the runs file")
    assert str(caught.value) == (f"{tmp_path}/no/such/out.csv: the folder {tmp_path}/no/such does "
                                 "not exist; create it first (nothing was written)")
    with pytest.raises(ScenarioError, match=r"the folder .*/ro is read-only; the runs file cannot"):
        check_destination(read_only / "out.csv", force=False, what="the runs file")
    with pytest.raises(ScenarioError, match="is a folder; give a file name for the runs file"):
        check_destination(tmp_path, force=True, what="the runs file")


def test_an_existing_file_needs_force_and_the_message_says_force(tmp_path: Path) -> None:
    target = tmp_path / "out.toml"
    target.write_text("mine")
    with pytest.raises(OutputExists) as caught:
        write_atomic(target, "new", force=False)
    assert isinstance(caught.value, FileExistsError) and isinstance(caught.value, ScenarioError)
    assert "pass --force to replace it" in str(caught.value) and "overwrite=" not in str(caught.value)
    assert target.read_text() == "mine"
    write_atomic(target, "new", force=True)
    assert target.read_text() == "new"


def test_a_read_only_file_or_a_device_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "locked.toml"
    target.write_text("mine")
    target.chmod(0o444)
    with pytest.raises(ScenarioError, match="is read-only; it was not replaced"):
        write_atomic(target, "new", force=True)
    assert target.read_text() == "mine"
    os.mkfifo(tmp_path / "pipe.csv")
    with pytest.raises(ScenarioError, match="is a named pipe"):
        write_atomic(tmp_path / "pipe.csv", "x", force=True)


# -- atomic files -----------------------------------------------------------------------


def test_new_files_get_the_mode_open_would_give_and_a_replaced_file_keeps_its_own(tmp_path: Path) -> None:
    fresh = write_atomic(tmp_path / "a.svg", b"<svg/>", force=False)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~_umask()
    with open(tmp_path / "plain.txt", "w"):
        pass
    assert stat.S_IMODE(fresh.stat().st_mode) == stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode)
    kept = tmp_path / "b.html"
    kept.write_text("old")
    kept.chmod(0o640)
    write_atomic(kept, "new", force=True)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() == "new"


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text("old")
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    write_atomic(link, "new", force=True)
    assert link.is_symlink() and real.read_text() == "new"


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_a_full_disk_leaves_nothing_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 call: str) -> None:
    existing = tmp_path / "kept.toml"
    existing.write_text("the user's file")
    monkeypatch.setattr(files.os, call, _refuse)
    for target, force in ((tmp_path / "new.toml", False), (existing, True)):
        with pytest.raises(ScenarioError) as caught:
            write_atomic(target, "x" * 100_000, force=force, what="the scenario file")
        assert str(caught.value) == (f"{target}: cannot write the scenario file: the disk is full "
                                     "(no space left on device); nothing was written")
    monkeypatch.undo()
    assert leftovers(tmp_path) == ["kept.toml"] and existing.read_text() == "the user's file"


# -- atomic folders ---------------------------------------------------------------------


FOLDER = {"domain.xml": "<a/>", "one.xml": b"<b/>", "two.xml": "<c/>"}


def test_a_new_folder_appears_complete_or_not_at_all(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out"
    calls = {"n": 0}
    real_write = os.write

    def fail_on_the_second_file(fd: int, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(files.os, "write", fail_on_the_second_file)
    with pytest.raises(ScenarioError, match=r"the disk is full .*; nothing was written"):
        write_folder_atomic(target, FOLDER, force=False, what="the GENIUS folder")
    monkeypatch.undo()
    assert leftovers(tmp_path) == []          # no half folder, no staging folder
    written = write_folder_atomic(target, FOLDER, force=False)  # a rerun works
    assert [p.name for p in written] == list(FOLDER)
    assert (target / "one.xml").read_bytes() == b"<b/>"
    assert stat.S_IMODE((target / "two.xml").stat().st_mode) == 0o666 & ~_umask()


def test_an_existing_folder_keeps_its_other_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    (target / "one.xml").write_text("old")
    with pytest.raises(OutputExists, match=r"already has one\.xml; pass --force to replace it"):
        write_folder_atomic(target, FOLDER, force=False)
    assert leftovers(target) == ["notes.txt", "one.xml"]
    monkeypatch.setattr(files.os, "fsync", _refuse)
    with pytest.raises(ScenarioError, match="nothing was written"):
        write_folder_atomic(target, FOLDER, force=True)
    monkeypatch.undo()
    assert leftovers(target) == ["notes.txt", "one.xml"] and (target / "one.xml").read_text() == "old"
    write_folder_atomic(target, FOLDER, force=True)
    assert leftovers(target) == ["domain.xml", "notes.txt", "one.xml", "two.xml"]
    assert (target / "notes.txt").read_text() == "mine" and (target / "one.xml").read_text() == "<b/>"


def test_a_folder_in_a_missing_or_read_only_parent(tmp_path: Path, read_only: Path) -> None:
    with pytest.raises(ScenarioError, match="does not exist; create it first"):
        write_folder_atomic(tmp_path / "no" / "out", FOLDER, force=False)
    with pytest.raises(ScenarioError, match="is read-only"):
        write_folder_atomic(read_only / "out", FOLDER, force=False)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ScenarioError, match="exists and is not a folder"):
        write_folder_atomic(tmp_path / "file", FOLDER, force=True)


# -- the commands -----------------------------------------------------------------------


def test_export_genius_on_a_full_disk_then_a_rerun(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "genius"
    monkeypatch.setattr(files.os, "write", _refuse)
    run = run_cli("export", "genius", str(JOB_OFFER), "-o", str(target), "--drop-red-lines")
    monkeypatch.undo()
    assert run.code == 2, (run.code, run.stderr)
    assert "the disk is full (no space left on device); nothing was written" in run.stderr
    assert leftovers(tmp_path) == []
    again = run_cli("export", "genius", str(JOB_OFFER), "-o", str(target), "--drop-red-lines")
    assert again.code == 0, again.stderr
    assert genius.load_folder(target).parties


def test_export_genius_messages_name_the_options(tmp_path: Path) -> None:
    run = run_cli("export", "genius", str(JOB_OFFER), "-o", str(tmp_path / "g"))
    assert run.code == 2 and "--drop-red-lines" in run.stderr and "drop_red_lines" not in run.stderr
    assert run_cli("export", "genius", str(JOB_OFFER), "-o", str(tmp_path / "g"),
                   "--drop-red-lines").code == 0
    again = run_cli("export", "genius", str(JOB_OFFER), "-o", str(tmp_path / "g"), "--drop-red-lines")
    assert again.code == 2 and "pass --force to replace" in again.stderr
    assert "overwrite" not in again.stderr


def test_tournament_out_is_checked_before_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.protocols import tournament

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tournament ran before its --out was checked")

    monkeypatch.setattr(tournament, "run_tournament", must_not_run)
    config = EXAMPLES / "tournament" / "job-offer.toml"
    run = run_cli("tournament", str(config), "--out", str(tmp_path / "no" / "such" / "dir" / "runs.csv"))
    assert run.code == 2, (run.code, run.stderr)
    assert f"{tmp_path}/no/such/dir does not exist" in run.stderr


def test_report_and_chart_to_a_read_only_folder_are_refused_up_front(read_only: Path) -> None:
    for args in (("report", str(JOB_OFFER), "-o", str(read_only / "r.html")),
                 ("chart", str(JOB_OFFER), "versions", "-o", str(read_only / "c.svg"))):
        run = run_cli(*args)
        assert run.code == 2 and "is read-only" in run.stderr, (args, run.code, run.stderr)


def test_import_to_a_full_disk_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "genius"
    assert run_cli("export", "genius", str(JOB_OFFER), "-o", str(source), "--drop-red-lines").code == 0
    monkeypatch.setattr(files.os, "fsync", _refuse)
    run = run_cli("import", "genius", str(source), "-o", str(tmp_path / "back.toml"))
    monkeypatch.undo()
    assert run.code == 2 and "the disk is full" in run.stderr, (run.code, run.stderr)
    assert not (tmp_path / "back.toml").exists()
    assert leftovers(tmp_path) == ["genius"]


def test_evidence_write_on_a_full_disk_leaves_the_scenario(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.io.scenario_edit import replace_file

    copy = tmp_path / "s.toml"
    original = JOB_OFFER.read_bytes()
    copy.write_bytes(original)
    monkeypatch.setattr(os, "fsync", _refuse)
    with pytest.raises(ScenarioError, match=r"the disk is full .*nothing was written"):
        replace_file(copy, original + b"\n# more\n", expected=original, name=str(copy))
    monkeypatch.undo()
    assert copy.read_bytes() == original and leftovers(tmp_path) == ["s.toml"]
    assert load(copy).title
