"""Deal chances when utilities have interaction terms or conditional red lines.

How uncertainty applies to links (``docs/explanation/utility.md``): a term's
value is a plain number and a conditional red line is certain, so in every
sampled profile a party's utility is its *sampled* additive part (weights
normalised per sample, as always) plus the same term values, and its refusals
are its sampled red lines plus the same forbidden pairs.

* A **complete text** needs nothing new: its term part and its forbidden
  pairs are constants per (party, text), added to the fast path of
  :func:`~accord.analysis.uncertainty.sampling.complete_outcomes_from_sampled`
  (:func:`term_constants`), so it costs what the additive fast path costs.
* A **text with open points** is no longer judged point by point (the worst
  and best completions are not found issue by issue once terms couple the
  points): every completion is evaluated in every sample
  (:func:`term_text_outcomes`), up to :data:`MAX_SAMPLED_PACKAGES` completions
  per text.
* **Some acceptable package exists** (``--any-package``) is settled per
  sample by evaluating every package (:func:`term_exists`), up to
  :data:`MAX_SAMPLED_PACKAGES` packages.

Beyond the limit the run refuses with :class:`~accord.errors.TermsTooLarge`,
naming it, rather than answer for the additive part alone.
"""

from __future__ import annotations

import numpy as np

from accord.errors import TermsTooLarge
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, BoolArray, FloatArray, IntArray, Space

__all__ = ["MAX_SAMPLED_PACKAGES", "term_constants", "term_exists", "term_text_outcomes"]

#: The most completions of one text (or packages, for ``--any-package``) evaluated in every
#: sample of a Space with terms; the work per chunk grows with samples × this × parties.
MAX_SAMPLED_PACKAGES = 20_000
#: Entries of one ``(samples·parties, packages)`` block (about 32 MB of float64).
_BLOCK = 4_000_000


def term_constants(space: Space, packages: IntArray) -> tuple[FloatArray, BoolArray]:
    """``(N, P)`` the term part of each party's utility, and ``(N, P)`` its forbidden pairs hit."""
    batch = np.atleast_2d(np.asarray(packages, dtype=np.int64))
    offset = np.zeros((batch.shape[0], space.n_parties))
    if space.has_terms:
        owner = np.zeros((space.term_value.size, space.n_parties))
        owner[np.arange(space.term_value.size), space.term_party] = space.term_value
        offset = space.term_hits(batch).astype(np.float64) @ owner
    refused = np.zeros((batch.shape[0], space.n_parties), dtype=bool)
    if space.has_pair_bans:
        owner_b = np.zeros((space.pair_bans.shape[0], space.n_parties))
        owner_b[np.arange(space.pair_bans.shape[0]), space.pair_bans[:, 0]] = 1.0
        refused = (space.pair_ban_hits(batch).astype(np.float64) @ owner_b) > 0.5
    return offset, refused


def _completions(space: Space, text: IntArray, what: str, remedy: str) -> IntArray:
    ranges = [np.arange(int(n)) if text[i] == UNRESOLVED else np.array([int(text[i])])
              for i, n in enumerate(space.n_options)]
    count = 1
    for r in ranges:
        count *= r.size
    if count > MAX_SAMPLED_PACKAGES:
        raise TermsTooLarge(
            f"with interaction terms or conditional red lines, {what} is judged by evaluating "
            f"every package in every sample, up to {MAX_SAMPLED_PACKAGES:,} packages; here there "
            f"are {count:,}. {remedy}")
    grids = np.meshgrid(*ranges, indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1).astype(np.int64)


def _judge(space: Space, contribution: FloatArray, red_lines: BoolArray, reservation: FloatArray,
           packages: IntArray, parties: IntArray) -> tuple[BoolArray, FloatArray]:
    """``(n, P', N)`` acceptable, and utility minus reservation, for ``parties`` in every sample.

    ``contribution`` ``(n, P, I, K)``, ``red_lines`` alike and ``reservation``
    ``(n, P)`` are the sampled profiles (plain arrays: this module imports
    nothing of the sampling code, which dispatches here).
    """
    n, _, n_issues, width = contribution.shape
    offset, refused = term_constants(space, packages)
    flat = (np.arange(n_issues)[None, :] * width + packages)               # (N, I)
    onehot = np.zeros((n_issues * width, packages.shape[0]))
    onehot[flat, np.arange(packages.shape[0])[:, None]] = 1.0
    rows = contribution[:, parties].reshape(n * parties.size, -1)
    red = red_lines[:, parties].reshape(n * parties.size, -1).astype(np.float64)
    utility = (rows @ onehot).reshape(n, parties.size, -1) + offset[:, parties].T[None]
    margin = utility - reservation[:, parties, None]
    hit = ((red @ onehot) > 0.5).reshape(n, parties.size, -1) | refused[:, parties].T[None]
    return ~hit & (margin >= -UTILITY_TOLERANCE), margin


def term_text_outcomes(space: Space, contribution: FloatArray, red_lines: BoolArray,
                       reservation: FloatArray, texts: IntArray,
                       ) -> tuple[BoolArray, BoolArray, FloatArray]:
    """``surely``, ``possibly`` ``(n, T, P)`` and the worst completion's margin, with terms.

    The meaning of :func:`~accord.analysis.uncertainty.sampling.text_outcomes`
    (whose profiles' arrays are passed here): *surely* — every completion is
    acceptable to the party; *possibly* — some completion is; the margin is the
    lowest utility over the completions minus the reservation value (red lines
    aside).  Exact, by evaluating every completion in every sample.
    """
    n = contribution.shape[0]
    parties = np.arange(space.n_parties)
    surely = np.ones((n, texts.shape[0], space.n_parties), dtype=bool)
    possibly = np.zeros_like(surely)
    margin = np.full(surely.shape, np.inf)
    for t, text in enumerate(texts):
        completions = _completions(space, text, "a text with open points",
                                   "Close some of its open points to make it smaller")
        size = max(1, _BLOCK // max(1, n * space.n_parties))
        for start in range(0, completions.shape[0], size):
            ok, gap = _judge(space, contribution, red_lines, reservation,
                             completions[start:start + size], parties)
            surely[:, t] &= ok.all(axis=2)
            possibly[:, t] |= ok.any(axis=2)
            margin[:, t] = np.minimum(margin[:, t], gap.min(axis=2))
    return surely, possibly, margin


def term_exists(space: Space, contribution: FloatArray, red_lines: BoolArray,
                reservation: FloatArray) -> BoolArray:
    """``(n,)`` per sample, whether some package is acceptable to every must-accept party.

    By evaluating every package (the profiles' arrays as in :func:`term_text_outcomes`).
    """
    n = contribution.shape[0]
    must = np.flatnonzero(space.must_accept)
    free = np.full(space.n_issues, UNRESOLVED, dtype=np.int64)
    packages = _completions(space, free, "whether some package is acceptable",
                            "Complete texts need no such limit: run their chances "
                            "without --any-package")
    exists = np.zeros(n, dtype=bool)
    if must.size == 0:
        exists[:] = packages.shape[0] > 0
        return exists
    size = max(1, _BLOCK // max(1, n * must.size))
    for start in range(0, packages.shape[0], size):
        undecided = np.flatnonzero(~exists)
        if undecided.size == 0:
            break
        ok, _ = _judge(space, contribution[undecided], red_lines[undecided],
                       reservation[undecided], packages[start:start + size], must)
        every: BoolArray = np.asarray(ok.all(axis=1))
        exists[undecided] = every.any(axis=1)
    return exists
