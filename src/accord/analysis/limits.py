"""How much work an analysis takes on, in one place.

Every analysis that could run for minutes or exhaust memory on a large (but
valid) scenario checks its input against these limits *before* it starts and
refuses with :class:`~accord.errors.AnalysisError` (exit status 2 on the
command line), naming the limit and the way out.  The numbers are chosen so
that an analysis that passes them answers within seconds on a small machine;
they are documented in the Limits section of ``docs/reference/scenario-format.md``.
"""

from __future__ import annotations

import numpy as np

from accord.errors import AnalysisError

__all__ = [
    "MAX_MERGE_ISSUES",
    "MAX_PROFILE_CELLS",
    "MAX_SEARCH_OPTIONS",
    "MIN_CELL_WIDTH",
    "check_merge",
    "check_profile",
    "check_search",
]

#: The frontier, ``solve``, ``amend`` and ``improve`` merge the issues one by one; past
#: this many issues that still have a choice (more than one option left after red lines
#: and fixed points are removed) the merge takes minutes, so it is refused up front.
MAX_MERGE_ISSUES = 1_000

#: Sampling (``chance --any-package``, ``sensitivity``, ``robust``) holds, per chunk of
#: samples, one value per party × issue × option: at most this many per sample
#: (4,096 samples × 8,192 × 8 bytes = 256 MiB for one array).
MAX_PROFILE_CELLS = 8_192

#: ``robust`` and its amendment search try every single change of a package, each on
#: every sample: at most this many options in all.
MAX_SEARCH_OPTIONS = 1_000

#: An ε-frontier cell narrower than this (the tie tolerance) would thin nothing
#: beyond exact ties, and cells much narrower cannot be numbered in 64 bits: such a
#: merge step is exact instead (so a tiny ε gives the exact frontier, never a wrong one).
MIN_CELL_WIDTH = 1e-12


def check_merge(n_choices: int, what: str) -> None:
    """Refuse a merge over more than :data:`MAX_MERGE_ISSUES` issues with a choice."""
    if n_choices > MAX_MERGE_ISSUES:
        raise AnalysisError(
            f"{n_choices:,} issues with a choice are beyond what {what} computes "
            f"(at most {MAX_MERGE_ISSUES:,}); fix the points already agreed, or split the "
            "scenario into parts that can be negotiated separately")


def check_profile(n_parties: int, n_issues: int, width: int, what: str) -> None:
    """Refuse sampling when parties × issues × options per issue exceeds :data:`MAX_PROFILE_CELLS`."""
    cells = n_parties * n_issues * width
    if cells > MAX_PROFILE_CELLS:
        raise AnalysisError(
            f"{n_parties:,} parties × {n_issues:,} issues × {width:,} options is beyond what "
            f"{what} samples (at most {MAX_PROFILE_CELLS:,} per sample); evaluate given texts "
            "instead (accord chance without --any-package), or leave out the issues that do "
            "not matter")


def check_search(n_options: np.ndarray | list[int], what: str) -> None:
    """Refuse a neighbourhood search over more than :data:`MAX_SEARCH_OPTIONS` options."""
    total = int(np.sum(n_options))
    if total > MAX_SEARCH_OPTIONS:
        raise AnalysisError(
            f"{total:,} options in all are beyond what {what} searches (at most "
            f"{MAX_SEARCH_OPTIONS:,}); use accord chance on given texts instead, or leave out "
            "the issues that do not matter")
