"""Errors that carry every problem found, each with the file and the place in it.

The command line prints :class:`ScenarioError` problems one per line and exits
with status 2; nothing else about a bad file reaches the user as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AccordError", "AnalysisError", "Problem", "ScenarioError"]


class AccordError(Exception):
    """Base class for every error accord raises on purpose."""


class AnalysisError(AccordError):
    """An analysis cannot answer for this input (e.g. a non-additive profile)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    Attributes:
        file: the file name as the user gave it.
        path: the key path inside the file (``preferences.ua.values.donetsk``),
            or a location such as ``line 3, column 7``; empty for the whole file.
        message: what is wrong and what is expected.
    """

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}" if self.path else f"{self.file}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "path": self.path, "message": self.message}


class ScenarioError(AccordError):
    """A scenario or foreign file could not be read; ``problems`` lists everything wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("ScenarioError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, file: str, path: str, message: str) -> ScenarioError:
        return cls([Problem(file, path, message)])


class OutputExists(ScenarioError, FileExistsError):
    """A file or folder would be replaced without ``--force``; nothing was written.

    A :class:`ScenarioError` (one problem naming the file) that is also a
    :class:`FileExistsError`, so that callers catching either see it.
    """


__all__ += ["OutputExists"]
