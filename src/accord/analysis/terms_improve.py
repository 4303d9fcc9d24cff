"""Pareto improvements of a text when utilities have interaction terms or package deals.

:func:`accord.analysis.improve.improve` finds its improvements on an additive
Space by a merge of per-issue sums, which is exact only when utility is a sum
over issues.  With terms or conditional red lines the same set — packages no
must-accept party refuses outright, no party worse off than the text
guarantees it, efficient in (every party's utility, minus the changes), and
better for someone — is found here by enumerating every package, so the answer
stays exact and the ranking in ``improve`` is shared by both paths.
"""

from __future__ import annotations

import numpy as np

from accord.analysis.dominance import nondominated
from accord.analysis.pareto import TIE_TOLERANCE
from accord.analysis.terms import MAX_ENUMERATED
from accord.errors import TermsTooLarge
from accord.space import UNRESOLVED, FloatArray, IntArray, Space

__all__ = ["all_packages", "efficient_improvements"]


def all_packages(space: Space, what: str, limit: int | None = None) -> IntArray:
    """Every complete package ``(N, I)``, or :class:`TermsTooLarge` naming ``what`` and the limit.

    ``limit`` defaults to :data:`accord.analysis.terms.MAX_ENUMERATED`.
    """
    limit = MAX_ENUMERATED if limit is None else limit
    if space.n_outcomes > limit:
        raise TermsTooLarge(
            f"{what} with interaction terms or conditional red lines is computed by enumerating "
            f"every package, up to {limit:,}; this space has {space.n_outcomes:,}. The smallest "
            "amendment (accord amend) answers spaces this large, by integer programs")
    grids = np.meshgrid(*(np.arange(int(n)) for n in space.n_options), indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1).astype(np.int64)


def efficient_improvements(space: Space, base: IntArray, baseline: FloatArray) -> IntArray:
    """The efficient Pareto improvements of ``base`` (guaranteeing ``baseline``), unranked.

    The set :func:`accord.analysis.improve.improve` lists, by enumeration: packages
    with no must-accept party's red line or forbidden pair and every party at
    least at ``baseline``, not dominated in (utilities, minus changed agreed
    points), and strictly better than ``baseline`` for some party.

    Raises
    ------
    TermsTooLarge
        When the space has more than :data:`accord.analysis.terms.MAX_ENUMERATED` packages.
    """
    packages = all_packages(space, "improve")
    must = np.flatnonzero(space.must_accept)
    if must.size:
        packages = packages[~space.red_line_hits(packages)[:, must].any(axis=1)]
    if packages.shape[0] == 0:
        return packages
    utilities = space.utilities(packages)
    keep = (utilities >= baseline - TIE_TOLERANCE).all(axis=1)
    packages, utilities = packages[keep], utilities[keep]
    if packages.shape[0] == 0:
        return packages
    counts = ((base != UNRESOLVED)[None, :] & (packages != base[None, :])).sum(axis=1)
    efficient = nondominated(np.column_stack([utilities, -counts]), tolerance=TIE_TOLERANCE)
    better = efficient & (utilities > baseline + TIE_TOLERANCE).any(axis=1)
    found: IntArray = packages[better]
    return found
