"""The one guarded way in and out of a user's files.

Every file accord reads goes through :func:`read_bytes` (or :func:`read_text`,
:func:`read_head`); every file or folder it writes goes through
:func:`check_destination`, :func:`write_atomic` and :func:`write_folder_atomic`.
Every failure is one :class:`~accord.errors.ScenarioError` naming the file (its
name printed safely, see :func:`display_name`), what was expected and the limit.

Reading
    Anything but a regular file — a folder, a named pipe (FIFO), a device such
    as ``/dev/zero``, a socket, also behind a symbolic link — is refused
    *before* it is opened.  The file is opened non-blocking (a pipe swapped in
    meanwhile cannot block) and checked again once open, and at most
    ``limit + 1`` bytes are read whatever its size claims, so a sparse or
    growing file costs no more than the limit.  Text must be UTF-8 (a byte-order
    mark is fine); UTF-16 and UTF-32 files are named as such, binary as binary.

Writing
    The destination is checked before any work starts (the folder exists and
    can be written, an existing file is replaced only with ``--force``).  The
    data goes to a temporary file next to the target with the permissions a
    plain ``open()`` would give (or those of the file it replaces), is flushed
    to disk and renamed into place; a folder is built beside its final place
    and renamed in.  A full disk, a read-only folder or any other failure
    leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import secrets
import shutil
import stat
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from accord.errors import OutputExists, ScenarioError

__all__ = [
    "CHUNK_BYTES",
    "check_destination",
    "decode_text",
    "display_name",
    "read_bytes",
    "read_head",
    "read_limited",
    "read_text",
    "sync_folder",
    "write_atomic",
    "write_failure",
    "write_folder_atomic",
]

#: Bytes read per ``os.read`` call.
CHUNK_BYTES = 1 << 20
#: The reader's own open (a test that makes every later ``os.open`` fail, to simulate a folder
#: that cannot take a temporary file, must not stop the reading of the input first).
_os_open = os.open

PathLike = str | os.PathLike[str]


# ---------------------------------------------------------------------------
# names


def display_name(path: PathLike | bytes) -> str:
    """``path`` as the user gave it, safe to print on one line.

    Control characters (a newline in a file name would split the message in two,
    an escape sequence would reach the terminal) are written as ``\\n``,
    ``\\x1b``, ``\\u2028``…; bytes that were not UTF-8 in the name are written as
    ``\\xNN``.
    """
    text = os.fsdecode(path) if isinstance(path, bytes) else os.fspath(path)
    if text.isprintable():
        # No control, surrogate (undecodable byte), separator or bidi format character
        # (all non-printable): nothing below would change a character.
        return text
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:          # an undecodable byte (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in "\u202a\u202b\u202c" \
                "\u202d\u202e\u2066\u2067\u2068\u2069":
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _size(count: int) -> str:
    # Round up, with enough digits that a file just over a cap never reads as the cap itself.
    for unit, name in ((2**20, "MiB"), (2**10, "KiB")):
        if count >= unit:
            digits = 1 if count >= 10 * unit else 2
            value = math.ceil(count / unit * 10**digits) / 10**digits
            return f"{value:.{digits}f} {name}"
    return f"{count} bytes"


def _limit(count: int) -> str:
    if count >= 2**20 and count % 2**20 == 0:
        return f"{count // 2**20} MiB"
    if count >= 2**10 and count % 2**10 == 0:
        return f"{count // 2**10} KiB"
    return f"{count:,} bytes"


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return "not a regular file"


def _not_regular(name: str, path: PathLike, mode: int, what: str) -> ScenarioError:
    kind = _kind(mode)
    through = ""
    with contextlib.suppress(OSError):
        if os.path.islink(path):
            through = f"a symbolic link to {display_name(os.path.realpath(path))}, "
    return ScenarioError.single(name, "", f"is {through}{kind}, not a regular file; expected {what}")


def _os_error(name: str, error: OSError, doing: str = "cannot read") -> ScenarioError:
    if isinstance(error, FileNotFoundError):
        return ScenarioError.single(name, "", "no such file")
    if isinstance(error, PermissionError):
        return ScenarioError.single(name, "", "permission denied")
    if isinstance(error, NotADirectoryError):
        return ScenarioError.single(name, "", "no such file (a part of the path is not a folder)")
    if error.errno == errno.ELOOP:
        return ScenarioError.single(name, "", "too many levels of symbolic links")
    if error.errno == errno.ENAMETOOLONG:
        return ScenarioError.single(name, "", "the file name is too long")
    return ScenarioError.single(name, "", f"{doing}: {error.strerror or error}")


# ---------------------------------------------------------------------------
# reading


def _open_regular(path: PathLike, name: str, what: str, limit: int, *, whole: bool) -> int:
    """An open descriptor of the regular file ``path``; everything else refused first."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise ScenarioError.single(
                name, "", f"is a broken symbolic link (to {display_name(os.readlink(path))}); "
                          f"expected {what}") from None
        raise ScenarioError.single(name, "", "no such file") from None
    except OSError as error:
        raise _os_error(name, error) from None
    except ValueError:  # an embedded NUL in the name
        raise ScenarioError.single(name, "", "is not a valid file name") from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(name, path, info.st_mode, what)
    if whole and info.st_size > limit:
        raise _too_big(name, info.st_size, limit, what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = _os_open(path, flags)
    except OSError as error:
        raise _os_error(name, error) from None
    try:
        opened = os.fstat(handle)
    except OSError as error:
        os.close(handle)
        raise _os_error(name, error) from None
    if not stat.S_ISREG(opened.st_mode):  # replaced between the check and the open
        os.close(handle)
        raise _not_regular(name, path, opened.st_mode, what)
    return handle


def _too_big(name: str, size: int, limit: int, what: str, *, at_least: bool = False) -> ScenarioError:
    more = "more than " if at_least else ""
    return ScenarioError.single(name, "", f"is {more}{_size(size)}; {what} is at most {_limit(limit)} "
                                          "here — is this the right file?")


def _read_at_most(handle: int, count: int, name: str) -> bytes:
    chunks: list[bytes] = []
    remaining = count
    try:
        while remaining > 0:
            chunk = os.read(handle, min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as error:
        raise _os_error(name, error) from None
    finally:
        os.close(handle)
    return b"".join(chunks)


def read_bytes(path: PathLike, *, what: str, limit: int, name: str | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Parameters
    ----------
    path
        The file, as the user named it.
    what
        What was expected, for messages: ``"a scenario file (.toml or .json)"``.
    limit
        The largest size accepted, in bytes; a larger file is refused (having read
        at most ``limit + 1`` bytes, whatever its size claims).
    name
        The name used in messages (default: ``path``, printed safely).

    Raises
    ------
    ScenarioError
        Missing, unreadable, not a regular file (folder, pipe, device, socket, also
        behind a symbolic link) or larger than ``limit``.

    Examples
    --------
    >>> read_bytes("/dev/zero", what="a table", limit=1024)
    Traceback (most recent call last):
    ...
    accord.errors.ScenarioError: /dev/zero: is a character device, not a regular file; expected a table
    """
    name = display_name(path) if name is None else name
    handle = _open_regular(path, name, what, limit, whole=True)
    data = _read_at_most(handle, limit + 1, name)
    if len(data) > limit:
        raise _too_big(name, limit, limit, what, at_least=True)
    return data


def read_head(path: PathLike, *, what: str, size: int, name: str | None = None) -> bytes:
    """The first ``size`` bytes (or fewer) of the regular file ``path``, guarded as :func:`read_bytes`."""
    name = display_name(path) if name is None else name
    handle = _open_regular(path, name, what, size, whole=False)
    return _read_at_most(handle, size, name)


def _utf16(data: bytes) -> str | None:
    """``"UTF-16"``/``"UTF-32"`` when ``data`` looks like it, else None."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = data[:4096]
    if len(head) < 4:
        return None
    quads = sorted(head[k::4].count(0) / len(head[k::4]) for k in range(4))
    if quads[1] >= 0.9 and quads[0] <= 0.05:  # three bytes of every four NUL: ASCII in UTF-32
        return "UTF-32"
    even, odd = head[0::2], head[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    # ASCII text in UTF-16 has a NUL in every other byte, and hardly any elsewhere.
    if max(even_nul, odd_nul) >= 0.5 and min(even_nul, odd_nul) <= 0.05:
        return "UTF-16"
    return None


def decode_text(data: bytes, *, name: str, what: str) -> str:
    """``data`` as text: UTF-8, with or without a byte-order mark.

    UTF-16 and UTF-32 (by their byte-order mark or their pattern of NUL bytes) are
    refused by name, other NUL bytes as a binary file, invalid UTF-8 with its line.
    """
    encoding = _utf16(data)
    if encoding:
        raise ScenarioError.single(name, "", f"is {encoding} text; save it as UTF-8 "
                                             f"(expected {what})")
    if b"\x00" in data[:8192]:
        raise ScenarioError.single(name, "", f"is a binary file, expected {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ScenarioError.single(
            name, f"line {line}",
            f"is not valid UTF-8 text (byte {error.start}); save the file as UTF-8") from None


def read_text(path: PathLike, *, what: str, limit: int, name: str | None = None) -> str:
    """The text of the regular file ``path`` (see :func:`read_bytes` and :func:`decode_text`)."""
    name = display_name(path) if name is None else name
    return decode_text(read_bytes(path, what=what, limit=limit, name=name), name=name, what=what)


def read_limited(path: PathLike, *, name: str, max_bytes: int, kind: str) -> bytes:
    """Deprecated spelling of :func:`read_bytes` (``kind`` is ``what``, ``max_bytes`` is ``limit``)."""
    return read_bytes(path, what=kind, limit=max_bytes, name=name)


# ---------------------------------------------------------------------------
# writing


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _writable_folder(folder: Path, name: str, what: str) -> None:
    shown = display_name(folder)
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        raise ScenarioError.single(name, "", f"the folder {shown} does not exist; create it first "
                                             f"(nothing was written)") from None
    except OSError as error:
        raise ScenarioError.single(name, "", f"cannot use the folder {shown}: "
                                             f"{error.strerror or error}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise ScenarioError.single(name, "", f"{shown} is not a folder, so {what} cannot be written "
                                             "there")
    # The write bits too: even the superuser is not meant to write into a folder made read-only.
    if not os.access(folder, os.W_OK | os.X_OK) or not info.st_mode & 0o222:
        raise ScenarioError.single(name, "", f"the folder {shown} is read-only; {what} cannot be "
                                             "written there (nothing was written)")


def _resolved(target: Path) -> Path:
    """The file a symbolic link points to (written through, the link stays a link)."""
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def check_destination(path: PathLike, *, force: bool, what: str = "the file") -> Path:
    """Check, before any work starts, that ``what`` can be written at ``path``.

    The folder must exist and be writable; an existing file is replaced only with
    ``force`` (``--force``) and only if it is a regular file that may be written.

    Returns
    -------
    Path
        ``path`` as a :class:`~pathlib.Path`.

    Raises
    ------
    OutputExists
        ``path`` exists and ``force`` is False.
    ScenarioError
        The folder is missing or read-only; ``path`` is a folder, a device…; or the
        file is read-only.
    """
    target = Path(path)
    name = display_name(path)
    real = _resolved(target)
    try:
        info: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise _os_error(name, error, "cannot write") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise ScenarioError.single(name, "", f"is a folder; give a file name for {what}")
        if not force:
            raise OutputExists.single(name, "", "already exists; pass --force to replace it, or "
                                                "choose another name")
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioError.single(name, "", f"is {_kind(info.st_mode)}, not a regular file; "
                                                 f"{what} is written only as a regular file")
        if not info.st_mode & 0o222 or not os.access(real, os.W_OK):
            raise ScenarioError.single(name, "", "is read-only; it was not replaced (make it "
                                                 "writable, or choose another name)")
    _writable_folder(real.parent, name, what)
    return target


def write_failure(name: str, error: OSError, what: str) -> ScenarioError:
    """The one message for a write that failed with ``error``; nothing was written."""
    if error.errno == errno.ENOSPC:
        reason = "the disk is full (no space left on device)"
    elif error.errno == errno.EDQUOT:
        reason = "the disk quota is exceeded"
    elif error.errno == errno.EROFS:
        reason = "the file system is read-only"
    elif isinstance(error, PermissionError):
        reason = "permission denied"
    else:
        reason = str(error.strerror or error)
    return ScenarioError.single(name, "", f"cannot write {what}: {reason}; nothing was written")


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(handle, view)
        view = view[written:]


def _new_file(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` (which must not exist) with ``mode`` from the first byte, filled and synced."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags, 0o600)
    try:
        os.fchmod(handle, mode)
        _write_all(handle, data)
        os.fsync(handle)
    finally:
        os.close(handle)


def sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX: fsync the folder); best effort where that is not possible."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(handle)
    finally:
        os.close(handle)


def _temporary(folder: Path, stem: str) -> Path:
    return folder / f".{stem}.{secrets.token_hex(4)}.accord.tmp"


def _encoded(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def write_atomic(path: PathLike, data: bytes | str, *, force: bool, mode: int = 0o666,
                 what: str = "the file") -> Path:
    """Write ``data`` (text is written as UTF-8) to ``path`` atomically.

    The destination is checked as by :func:`check_destination`.  The file gets
    ``mode`` less the umask, as a plain ``open()`` would give it (0644 with the
    usual umask), or the permissions of the file it replaces.  A symbolic link
    is written through.  On any failure — a full disk, a read-only folder — the
    temporary file is removed and an existing file is left as it was.

    Raises
    ------
    OutputExists
        ``path`` exists (or appeared meanwhile) and ``force`` is False.
    ScenarioError
        The destination cannot be written; the message says why and that nothing
        was written.
    """
    target = check_destination(path, force=force, what=what)
    name = display_name(path)
    real = _resolved(target)
    final_mode = mode & ~_umask() & 0o7777
    with contextlib.suppress(OSError):
        final_mode = stat.S_IMODE(os.stat(real).st_mode)  # replacing: keep the file's own mode
    payload = _encoded(data)
    folder = real.parent
    temporary = _temporary(folder, real.name)
    try:
        _new_file(temporary, payload, final_mode)
        if force:
            os.replace(temporary, real)
        else:
            try:
                # link() fails if the target appeared meanwhile: never clobber a user's file.
                os.link(temporary, real)
            except FileExistsError:
                raise OutputExists.single(name, "", "already exists; pass --force to replace "
                                                    "it, or choose another name") from None
            except OSError:
                if os.path.lexists(real):
                    raise
                os.replace(temporary, real)  # a file system without hard links
            else:
                os.unlink(temporary)
        sync_folder(folder)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise write_failure(name, error, what) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target


def _check_names(name: str, files: Mapping[str, bytes | str]) -> None:
    for file in files:
        if not file or file in (".", "..") or "/" in file or "\\" in file or "\x00" in file:
            raise ValueError(f"{name}: {file!r} is not a plain file name")


def write_folder_atomic(path: PathLike, files: Mapping[str, bytes | str], *, force: bool,
                        what: str = "the folder") -> list[Path]:
    """Write the folder ``path`` holding ``files`` (``{file name: content}``), all or nothing.

    A new folder is built as a hidden sibling and renamed into place, so a failure
    (a full disk…) leaves nothing behind and a rerun starts afresh.  Into an
    existing folder the files are first all written to a hidden folder inside it,
    then renamed into place; a file already there is replaced only with ``force``,
    and other files in the folder are never touched.

    Returns
    -------
    list of Path
        The files written, in the order of ``files``.

    Raises
    ------
    OutputExists
        Some of the files exist and ``force`` is False (nothing was written).
    ScenarioError
        The parent folder is missing or read-only, ``path`` is not a folder, or
        writing failed (nothing was written).
    """
    target = Path(path)
    name = display_name(path)
    _check_names(name, files)
    mode = 0o666 & ~_umask()
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise _os_error(name, error, "cannot write") from None
    if info is None:
        parent = target.parent
        _writable_folder(parent, name, what)
        staging = _temporary(parent, target.name)
    else:
        if not stat.S_ISDIR(info.st_mode):
            raise ScenarioError.single(name, "", f"exists and is not a folder; {what} needs a new "
                                                 "or existing folder")
        _writable_folder(target, name, what)
        clashing = [file for file in files if os.path.lexists(target / file)]
        if clashing and not force:
            listed = ", ".join(display_name(f) for f in clashing)
            raise OutputExists.single(name, "", f"already has {listed}; pass --force to replace "
                                                f"{'it' if len(clashing) == 1 else 'them'}, or choose "
                                                "another folder")
        not_files = [f for f in clashing if not (target / f).is_file() or (target / f).is_symlink()]
        if not_files:
            raise ScenarioError.single(name, "", f"{display_name(not_files[0])} there is not a "
                                                 "regular file; it was not replaced")
        staging = _temporary(target, "staging")
    written = [target / file for file in files]
    linked: list[Path] = []
    try:
        os.mkdir(staging, 0o700)
        for file, content in files.items():
            _new_file(staging / file, _encoded(content), mode)
        sync_folder(staging)
        if info is None:
            os.chmod(staging, 0o777 & ~_umask())
            os.rename(staging, target)
            sync_folder(target.parent)
        else:
            for file in files:
                if force:
                    os.replace(staging / file, target / file)
                else:
                    os.link(staging / file, target / file)
                    linked.append(target / file)
            shutil.rmtree(staging)
            sync_folder(target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        for created in linked:  # only files this call created
            with contextlib.suppress(OSError):
                os.unlink(created)
        if isinstance(error, FileExistsError) and not force:
            raise OutputExists.single(name, "", "a file appeared there meanwhile; pass --force "
                                                "to replace it") from None
        raise write_failure(name, error, what) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written
