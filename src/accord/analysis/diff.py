"""What changed between two versions of a text, and who gained.

A point can be *changed* (resolved in both, to different options), *opened*
(resolved before, unresolved after: put back in brackets) or *closed*
(unresolved before, resolved after).  Each party's change in utility is given
for both ends of its utility interval; ``gain`` uses the interval midpoints so
that opening and closing points count fairly in one number.

Texts are given by id or by index (:meth:`accord.space.Space.text_index`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from accord._repr import short_repr
from accord.analysis.evaluate import utility_bounds
from accord.space import UNRESOLVED, FloatArray, IntArray, Space

__all__ = ["ChangeKind", "PointChange", "TextDiff", "diff_packages", "diff_texts", "lineage", "lineage_diffs"]

#: Utility changes smaller than this are reported as "no change".
NEGLIGIBLE = 0.005


class ChangeKind(StrEnum):
    CHANGED = "changed"
    OPENED = "opened"
    CLOSED = "closed"


@short_repr
@dataclass(frozen=True)
class PointChange:
    issue: int
    kind: ChangeKind
    before: int
    """Option index before, or ``UNRESOLVED``."""
    after: int
    """Option index after, or ``UNRESOLVED``."""


@short_repr(fields=("before", "after"),
            extra=lambda d: {"changes": len(d.changes), "gainers": d.gainers(), "losers": d.losers()})
@dataclass(frozen=True)
class TextDiff:
    """From text ``before`` to text ``after`` (indices into ``space.texts``, or None for packages)."""

    before: int | None
    after: int | None
    changes: tuple[PointChange, ...]
    utility_before: FloatArray
    """``(P, 2)``: each party's [lo, hi] before."""
    utility_after: FloatArray
    """``(P, 2)``: each party's [lo, hi] after."""

    @property
    def gain(self) -> FloatArray:
        """``(P,)`` change of each party's interval midpoint."""
        return self.utility_after.mean(axis=1) - self.utility_before.mean(axis=1)

    def gainers(self) -> list[int]:
        """The parties whose midpoint rose by more than :data:`NEGLIGIBLE`."""
        return [int(p) for p in np.flatnonzero(self.gain > NEGLIGIBLE)]

    def losers(self) -> list[int]:
        """The parties whose midpoint fell by more than :data:`NEGLIGIBLE`."""
        return [int(p) for p in np.flatnonzero(self.gain < -NEGLIGIBLE)]


#: A text (id or index) or a package ({issue: option}, ids or indices, or an index array).
TextOrPackage = str | int | Mapping[str | int, str | int] | Sequence[int] | IntArray


def diff_packages(space: Space, before: TextOrPackage, after: TextOrPackage,
                  *, before_text: int | str | None = None,
                  after_text: int | str | None = None) -> TextDiff:
    """What changed from package ``before`` to package ``after``, and each party's utility change.

    Parameters
    ----------
    space
        The compiled scenario.
    before, after
        Texts (id or index), or packages: ``{issue: option}`` (ids or indices;
        issues left out are open) or one option index per issue
        (``UNRESOLVED``, -1, for an open point).
    before_text, after_text
        The texts they are, by id or index, recorded in the result (default:
        the text given, or None for a package).

    Returns
    -------
    TextDiff
        The changed, opened and closed points, and both utility intervals.

    Raises
    ------
    UnknownIdError
        When a text, issue or option id names nothing (with "did you mean").
    ValueError
        When an index array has the wrong length or an option index out of range.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> diff_packages(space, [1, 0, 1, 0, 0], [1, 0, 1, 0, -1])
    TextDiff(before=None, after=None, changes=1, gainers=[0], losers=[1])
    >>> diff_packages(space, "revised", {**space.positions(space.texts[2]), "bonus": "none"})
    TextDiff(before=2, after=None, changes=1, gainers=[1], losers=[0])
    """
    given_before, old = space.text_or_package(before)
    given_after, new = space.text_or_package(after)
    before_text = given_before if before_text is None else space.text_index(before_text)
    after_text = given_after if after_text is None else space.text_index(after_text)
    changes = []
    for i in np.flatnonzero(old != new):
        if old[i] == UNRESOLVED:
            kind = ChangeKind.CLOSED
        elif new[i] == UNRESOLVED:
            kind = ChangeKind.OPENED
        else:
            kind = ChangeKind.CHANGED
        changes.append(PointChange(int(i), kind, int(old[i]), int(new[i])))
    return TextDiff(
        before=before_text,
        after=after_text,
        changes=tuple(changes),
        utility_before=np.stack(utility_bounds(space, old), axis=1),
        utility_after=np.stack(utility_bounds(space, new), axis=1),
    )


def diff_texts(space: Space, before: int | str, after: int | str) -> TextDiff:
    """What changed from one of the scenario's texts to another.

    Parameters
    ----------
    space
        The compiled scenario.
    before, after
        The texts, by id or index.

    Returns
    -------
    TextDiff
        The changed, opened and closed points, and each party's utility change.

    Raises
    ------
    UnknownIdError
        When ``before`` or ``after`` names no text.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> found = diff_texts(space, "offer", "counter")
    >>> found
    TextDiff(before=0, after=1, changes=5, gainers=[0], losers=[1])
    >>> [round(float(g), 2) for g in found.gain]
    [0.66, -0.65]
    """
    before, after = space.text_index(before), space.text_index(after)
    return diff_packages(space, space.texts[before], space.texts[after],
                         before_text=before, after_text=after)


def lineage(space: Space, text: int | str) -> list[int]:
    """The text and its ancestors (following ``parent``), oldest first.

    Parameters
    ----------
    space
        The compiled scenario.
    text
        The text, by id or index.

    Returns
    -------
    list of int
        Text indices, the oldest ancestor first and ``text`` last.

    Raises
    ------
    UnknownIdError
        When ``text`` names no text.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> [space.text_ids[t] for t in lineage(space, "revised")]
    ['offer', 'counter', 'revised']
    """
    chain = [space.text_index(text)]
    while space.text_parents[chain[-1]] >= 0:
        parent = int(space.text_parents[chain[-1]])
        if parent in chain:  # validation forbids cycles; guard anyway
            break
        chain.append(parent)
    return chain[::-1]


def lineage_diffs(space: Space, text: int | str) -> list[TextDiff]:
    """One diff per step from the oldest ancestor of ``text`` down to ``text``.

    Parameters
    ----------
    space
        The compiled scenario.
    text
        The text, by id or index.

    Returns
    -------
    list of TextDiff
        One per parent → child step (empty for a text without a parent).

    Raises
    ------
    UnknownIdError
        When ``text`` names no text.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> [(d.before, d.after) for d in lineage_diffs(space, "revised")]
    [(0, 1), (1, 2)]
    """
    chain = lineage(space, text)
    return [diff_texts(space, a, b) for a, b in itertools.pairwise(chain)]
