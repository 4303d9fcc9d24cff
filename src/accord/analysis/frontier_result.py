"""The Pareto frontier of a Space as a result: the packages, their utilities and how exact.

Kept apart from :mod:`accord.analysis.pareto` (the additive merge) so that every
way of computing a frontier — the merge there, enumeration with interaction terms
in :mod:`accord.analysis.terms` — returns the same result type without importing
each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from accord._repr import short_repr
from accord.space import UNRESOLVED, FloatArray, IntArray, Space

__all__ = ["ParetoFrontier", "fixed_vector", "resolve_parties"]


@short_repr(fields=("parties", "exact", "acceptable_only", "epsilon"),
            extra=lambda f: {"packages": len(f), "vectors": f.n_vectors})
@dataclass(frozen=True)
class ParetoFrontier:
    """The Pareto frontier of a :class:`~accord.space.Space` over some of its parties.

    Attributes:
        parties: the parties the frontier is over (indices into the Space).
        utilities: ``(N, len(parties))`` each package's utilities; tied
            packages share one vector (within ``TIE_TOLERANCE`` of each one's own
            sum); rows sorted by the first party's utility, then the next, so
            ties are adjacent.
        packages: ``(N, I)`` one option index per issue.
        exact: True when ``utilities`` is the whole exact frontier.
        epsilon: None when exact; otherwise the proven bound: every package
            (meeting the reservation values with ``epsilon`` to spare, when
            ``acceptable_only``) is matched by a listed one that gives every
            listed party at least its utility minus ``epsilon``.
        acceptable_only: whether only packages every must-accept party accepts count.
        fixed: ``(I,)`` the option each issue was held at, or ``UNRESOLVED`` if free.
        n_vectors: the number of distinct utility vectors among the packages.
    """

    parties: tuple[int, ...]
    utilities: FloatArray
    packages: IntArray
    exact: bool
    epsilon: float | None
    acceptable_only: bool
    fixed: IntArray
    n_vectors: int
    empty_reason: str | None = None

    def __len__(self) -> int:
        return int(self.packages.shape[0])


def resolve_parties(space: Space,
                    parties: str | int | Sequence[int | str] | None) -> tuple[int, ...]:
    """Party indices from ids or indices (default: every party with preferences).

    Raises
    ------
    UnknownIdError
        When one names no party (through :meth:`~accord.space.Space.party_index`).
    ValueError
        When a party is listed twice, or none is.
    """
    if parties is None:
        return tuple(range(space.n_parties))
    indices: list[int] = []
    for index in space.party_indices(parties) or []:
        if index in indices:
            raise ValueError(f"party {space.party_ids[index]!r} is listed twice")
        indices.append(index)
    if not indices:
        raise ValueError("at least one party is needed")
    return tuple(indices)


def fixed_vector(space: Space,
                 fixed: Mapping[str | int, str | int] | Sequence[int] | IntArray | None) -> IntArray:
    """``(I,)`` option per issue or UNRESOLVED, from a mapping (ids or indices) or a package.

    The same resolver as :func:`accord.feasibility` (:meth:`Space.package`), so
    that every ``fixed=`` takes the user's ids and says "did you mean" alike.
    """
    if fixed is None:
        return np.full(space.n_issues, UNRESOLVED, dtype=np.int64)
    return space.package(fixed)
