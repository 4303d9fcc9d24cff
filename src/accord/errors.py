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


class ExportError(AccordError):
    """A scenario cannot be written in a foreign format (e.g. GENIUS) without changing its meaning."""


class FrontierTooLarge(AnalysisError):
    """The exact frontier (or its list of packages) is too large; an ε-frontier may help."""


class TermsTooLarge(FrontierTooLarge):
    """A question about a Space with interaction terms or conditional red lines that accord
    answers by enumeration, asked of a space too large to enumerate (the limit is documented
    in ``docs/explanation/utility.md``); a :class:`FrontierTooLarge`, so callers catching that
    keep working."""


class UnknownIdError(AccordError, KeyError, ValueError):
    """An id (or index) that names no party, issue, option or text of the scenario.

    A :class:`KeyError` because it is a failed look-up, and a :class:`ValueError`
    because :meth:`accord.space.Space.party_index` and its kin raised that before,
    so callers catching either keep working.  ``kind`` is what was looked up
    (``"party"``, ``"text"``, …), ``key`` what was given and ``suggestion`` the
    closest known id, if the caller found one close
    (:func:`accord.model.suggest.closest`; this module imports nothing, so the
    caller looks).

    Examples
    --------
    >>> error = UnknownIdError("party", "nortwind", known=("dana", "northwind"),
    ...                        suggestion="northwind")
    >>> str(error)
    "unknown party 'nortwind' (did you mean 'northwind'?); known: dana, northwind"
    >>> isinstance(error, KeyError) and isinstance(error, AccordError)
    True
    """

    #: At most this many known ids are listed in the message.
    LISTED = 12

    def __init__(self, kind: str, key: object, known: tuple[str, ...] | list[str] = (),
                 *, suggestion: str | None = None, message: str | None = None) -> None:
        self.kind = kind
        self.key = key
        self.known = tuple(known)
        self.suggestion = suggestion
        if message is None:
            hint = f" (did you mean {self.suggestion!r}?)" if self.suggestion else ""
            listed = ", ".join(self.known[: self.LISTED])
            more = f", … ({len(self.known)} in all)" if len(self.known) > self.LISTED else ""
            message = f"unknown {kind} {key!r}{hint}" + (f"; known: {listed}{more}"
                                                        if self.known else "")
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class TournamentConfigError(AccordError):
    """A tournament configuration that cannot be run (names the file and the key)."""


__all__ += ["ExportError", "FrontierTooLarge", "OutputExists", "TermsTooLarge",
            "TournamentConfigError", "UnknownIdError"]
