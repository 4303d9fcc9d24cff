"""The guarded reader (accord.io.files): special files, caps, encodings and names (issue 10, classes 1 and 10).

Every special file is made here, in a temporary folder: named pipes, sockets,
symbolic links to devices, a sparse 2 GiB file.  A reader that blocked on a pipe
would hang the test, so pipes are read in a thread that the test releases (by
opening the write end) if it has not answered in time.
"""

from __future__ import annotations

import codecs
import os
import socket
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from accord.errors import ScenarioError
from accord.io import files
from accord.io.files import decode_text, display_name, read_bytes, read_head, read_limited, read_text
from tests.cli.helpers import run_cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "job-offer.toml"
WHAT = "a test file"


def refusal(call: Callable[[], object]) -> str:
    with pytest.raises(ScenarioError) as caught:
        call()
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


def in_time(call: Callable[[], object], fifo: Path, seconds: float = 10.0) -> str:
    """``call``'s refusal; fails (and unblocks the reader) if it does not answer in time."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            call()
        except BaseException as error:  # handed to the test thread
            outcome["error"] = error

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        with open(fifo, "wb"):  # releases a reader blocked in open(); then the test fails
            pass
        worker.join(5)
        pytest.fail(f"reading the named pipe {fifo} blocked")
    error = outcome.get("error")
    assert isinstance(error, ScenarioError), error
    return str(error.problems[0])


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    return path


@pytest.fixture
def unix_socket() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="acc"))  # socket paths must be short
    path = folder / "s.toml"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    try:
        yield path
    finally:
        server.close()
        path.unlink()
        folder.rmdir()


# -- class 1: anything but a regular file is refused before it is opened -----------------


def test_a_named_pipe_is_refused_without_blocking(fifo: Path) -> None:
    message = in_time(lambda: read_bytes(fifo, what=WHAT, limit=1024), fifo)
    assert message == f"{fifo}: is a named pipe (FIFO), not a regular file; expected {WHAT}"


def test_a_named_pipe_behind_a_symbolic_link(tmp_path: Path, fifo: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(fifo)
    message = in_time(lambda: read_text(link, what=WHAT, limit=1024), fifo)
    assert f"is a symbolic link to {fifo}, a named pipe (FIFO)" in message


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_directly_and_through_a_link(tmp_path: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    assert refusal(lambda: read_bytes(device, what=WHAT, limit=1024)) == \
        f"{device}: is a character device, not a regular file; expected {WHAT}"
    link = tmp_path / "innocent.toml"
    link.symlink_to(device)
    assert f"is a symbolic link to {device}, a character device" in \
        refusal(lambda: read_bytes(link, what=WHAT, limit=1024))


def test_a_socket_and_a_directory_are_refused(unix_socket: Path, tmp_path: Path) -> None:
    assert "is a socket, not a regular file" in refusal(
        lambda: read_bytes(unix_socket, what=WHAT, limit=1024))
    assert "is a directory, not a regular file" in refusal(
        lambda: read_bytes(tmp_path, what=WHAT, limit=1024))


def test_missing_and_broken_link(tmp_path: Path) -> None:
    assert refusal(lambda: read_bytes(tmp_path / "nope", what=WHAT, limit=10)).endswith("no such file")
    link = tmp_path / "dangling.toml"
    link.symlink_to(tmp_path / "gone.toml")
    assert "is a broken symbolic link" in refusal(lambda: read_bytes(link, what=WHAT, limit=10))


def test_a_pipe_swapped_in_after_the_check_cannot_block(fifo: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The check said "regular file" (here: a stat that lies); the open must still not block,
    and the descriptor is checked again."""
    regular = os.stat(EXAMPLE)
    real_stat = os.stat

    def lying_stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        return regular if Path(str(path)) == fifo else real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files.os, "stat", lying_stat)
    message = in_time(lambda: read_bytes(fifo, what=WHAT, limit=1 << 20), fifo)
    assert "is a named pipe (FIFO), not a regular file" in message


def test_a_sparse_2_gib_file_is_refused_without_reading_it(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.toml"
    with open(big, "wb") as handle:
        handle.truncate(2 * 2**30)
    read: list[int] = []
    real_read = os.read

    def counting_read(fd: int, count: int) -> bytes:
        data = real_read(fd, count)
        read.append(len(data))
        return data

    monkeypatch.setattr(files.os, "read", counting_read)
    message = refusal(lambda: read_bytes(big, what=WHAT, limit=16 * 2**20))
    assert message == f"{big}: is 2048.0 MiB; {WHAT} is at most 16 MiB here — is this the right file?"
    assert sum(read) == 0


def test_a_size_that_lies_costs_at_most_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """st_size is not trusted: a file that claims 10 bytes but holds 5 MiB is read to limit + 1."""
    file = tmp_path / "grows.toml"
    file.write_bytes(b"x" * (5 * 2**20))
    real_stat = os.stat

    def small(path: object, *args: object, **kwargs: object) -> os.stat_result:
        info = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        if Path(str(path)) != file:
            return info
        fields = list(info[:10])
        fields[stat.ST_SIZE] = 10
        return os.stat_result(fields)

    read: list[int] = []
    real_read = os.read
    monkeypatch.setattr(files.os, "stat", small)
    monkeypatch.setattr(files.os, "read", lambda fd, n: read.append(n) or real_read(fd, n))
    message = refusal(lambda: read_bytes(file, what=WHAT, limit=2**20))
    assert "is more than 1.00 MiB; a test file is at most 1 MiB here" in message
    assert sum(read) == 2**20 + 1


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    file = tmp_path / "exact.toml"
    file.write_bytes(b"a" * 3000)
    assert read_bytes(file, what=WHAT, limit=3000) == b"a" * 3000
    assert "is 2.93 KiB; a test file is at most 2,999 bytes" in refusal(
        lambda: read_bytes(file, what=WHAT, limit=2999))
    assert read_head(file, what=WHAT, size=10) == b"a" * 10
    assert read_limited(file, name="shown", max_bytes=3000, kind=WHAT) == b"a" * 3000


# -- class 10: encodings and names ---------------------------------------------------------


TEXT = '[scenario]\ntitle = "Café"\n'


@pytest.mark.parametrize(("encoded", "named"), [
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "UTF-16"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "UTF-16"),
    (TEXT.encode("utf-16-le"), "UTF-16"),      # no byte-order mark: the NUL pattern
    (TEXT.encode("utf-16-be"), "UTF-16"),
    (TEXT.encode("utf-32"), "UTF-32"),
    (TEXT.encode("utf-32-le"), "UTF-32"),
])
def test_utf16_and_utf32_are_named(encoded: bytes, named: str) -> None:
    message = refusal(lambda: decode_text(encoded, name="f.toml", what=WHAT))
    assert message == f"f.toml: is {named} text; save it as UTF-8 (expected {WHAT})"


def test_utf8_with_a_byte_order_mark_binary_and_invalid_utf8() -> None:
    assert decode_text(codecs.BOM_UTF8 + TEXT.encode(), name="f", what=WHAT) == TEXT
    assert decode_text(TEXT.encode(), name="f", what=WHAT) == TEXT
    assert refusal(lambda: decode_text(bytes(range(256)) * 4, name="f", what=WHAT)) == \
        f"f: is a binary file, expected {WHAT}"
    assert refusal(lambda: decode_text(b"a\nb\n\xe9", name="f", what=WHAT)) == \
        "f: line 3: is not valid UTF-8 text (byte 4); save the file as UTF-8"


def test_a_utf16_scenario_is_named_utf16_by_check(tmp_path: Path) -> None:
    file = tmp_path / "u16.toml"
    file.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("utf-16"))
    result = run_cli("check", str(file))
    assert result.code == 2 and "is UTF-16 text; save it as UTF-8" in result.stderr
    assert "binary" not in result.stderr


def test_display_name_keeps_a_message_on_one_line() -> None:
    assert display_name("a\nb.toml") == "a\\nb.toml"
    assert display_name("t\x1b]0;owned\x07.toml") == "t\\x1b]0;owned\\x07.toml"
    assert display_name("r\u2028l\u202e.toml") == "r\\u2028l\\u202e.toml"
    assert display_name(os.fsdecode(b"caf\xe9.toml")) == "caf\\xe9.toml"
    assert display_name("plain/ünïcode name.toml") == "plain/ünïcode name.toml"


@pytest.mark.parametrize("content", [None, "x = \n"])
def test_a_newline_in_a_file_name_does_not_split_the_message(tmp_path: Path, content: str | None) -> None:
    file = tmp_path / "bro\nken.toml"
    if content is not None:
        file.write_text(content, encoding="utf-8")
    result = run_cli("check", str(file))
    assert result.code == 2, result.stderr
    shown = str(file).replace("\n", "\\n")
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {shown}: "), result.stderr
