"""What changed between two versions of a text, and who gained.

A point can be *changed* (resolved in both, to different options), *opened*
(resolved before, unresolved after: put back in brackets) or *closed*
(unresolved before, resolved after).  Each party's change in utility is given
for both ends of its utility interval; ``gain`` uses the interval midpoints so
that opening and closing points count fairly in one number.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from accord.analysis.evaluate import utility_bounds
from accord.space import UNRESOLVED, FloatArray, IntArray, Space

__all__ = ["ChangeKind", "PointChange", "TextDiff", "diff_packages", "diff_texts", "lineage", "lineage_diffs"]

#: Utility changes smaller than this are reported as "no change".
NEGLIGIBLE = 0.005


class ChangeKind(StrEnum):
    CHANGED = "changed"
    OPENED = "opened"
    CLOSED = "closed"


@dataclass(frozen=True)
class PointChange:
    issue: int
    kind: ChangeKind
    before: int
    """Option index before, or ``UNRESOLVED``."""
    after: int
    """Option index after, or ``UNRESOLVED``."""


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
        return [int(p) for p in np.flatnonzero(self.gain > NEGLIGIBLE)]

    def losers(self) -> list[int]:
        return [int(p) for p in np.flatnonzero(self.gain < -NEGLIGIBLE)]


def diff_packages(space: Space, before: Sequence[int] | IntArray, after: Sequence[int] | IntArray,
                  *, before_text: int | None = None, after_text: int | None = None) -> TextDiff:
    old = np.asarray(before, dtype=np.int64)
    new = np.asarray(after, dtype=np.int64)
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


def diff_texts(space: Space, before: int, after: int) -> TextDiff:
    """Diff two of the scenario's texts, by index."""
    return diff_packages(space, space.texts[before], space.texts[after],
                         before_text=before, after_text=after)


def lineage(space: Space, text: int) -> list[int]:
    """The text and its ancestors (following ``parent``), oldest first."""
    chain = [text]
    while space.text_parents[chain[-1]] >= 0:
        parent = int(space.text_parents[chain[-1]])
        if parent in chain:  # validation forbids cycles; guard anyway
            break
        chain.append(parent)
    return chain[::-1]


def lineage_diffs(space: Space, text: int) -> list[TextDiff]:
    """One diff per step from the oldest ancestor of ``text`` down to ``text``."""
    chain = lineage(space, text)
    return [diff_texts(space, a, b) for a, b in itertools.pairwise(chain)]
