"""Reading a user's file with every failure turned into one clear :class:`ScenarioError`."""

from __future__ import annotations

import os
from pathlib import Path

from accord.errors import ScenarioError

__all__ = ["read_limited"]


def read_limited(path: str | os.PathLike[str], *, name: str, max_bytes: int, kind: str) -> bytes:
    """The bytes of ``path``; a directory, a missing or unreadable file, or one over ``max_bytes``
    is refused naming the file (``kind`` says what was expected, e.g. "a GENIUS XML file")."""
    file = Path(path)
    try:
        if file.is_dir():
            raise ScenarioError.single(name, "", f"is a directory, expected {kind}")
        size = file.stat().st_size
        if size > max_bytes:
            raise ScenarioError.single(
                name, "", f"is {size / 2**20:.1f} MiB; {kind} is at most "
                          f"{max_bytes // 2**20} MiB here — is this the right file?")
        return file.read_bytes()
    except FileNotFoundError:
        raise ScenarioError.single(name, "", "no such file") from None
    except PermissionError:
        raise ScenarioError.single(name, "", "permission denied") from None
    except OSError as error:
        raise ScenarioError.single(name, "", f"cannot read: {error.strerror or error}") from None
