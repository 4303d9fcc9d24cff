"""Random negotiation spaces for the oracle tests, built directly as numpy arrays.

Two flavours of numbers: *dyadic* values (multiples of 1/8 with weights that are
multiples of 1/4 of a power-of-two total) make many packages tie exactly, which
exercises the tie handling; *continuous* values exercise everything else.  Every
space is small enough for a brute-force enumeration (at most ~10^5 packages).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from accord.space import UNRESOLVED, Space

__all__ = ["SpaceSpec", "build_space", "space_and_text", "spaces"]


@dataclass(frozen=True)
class SpaceSpec:
    seed: int
    n_parties: int
    n_options: tuple[int, ...]
    dyadic: bool
    red_line_rate: float
    reservation_level: float
    must_accept_count: int
    n_texts: int
    open_rate: float


def build_space(spec: SpaceSpec) -> Space:
    """A Space from a spec; deterministic in the spec."""
    rng = np.random.default_rng(spec.seed)
    n_issues = len(spec.n_options)
    n_options = np.array(spec.n_options, dtype=np.int64)
    width = int(n_options.max())
    mask = np.arange(width)[None, :] < n_options[:, None]
    p = spec.n_parties
    if spec.dyadic:
        # Weights: integers 0..3 over a total scaled to a power of two; values k/8.
        raw = rng.integers(0, 4, size=(p, n_issues)).astype(float)
        raw[raw.sum(axis=1) == 0, 0] = 1.0
        weights = raw / raw.sum(axis=1, keepdims=True)
        values = rng.integers(0, 9, size=(p, n_issues, width)) / 8.0
        # Make the contributions themselves dyadic: round weights to 1/16.
        weights = np.round(weights * 16) / 16
    else:
        weights = rng.dirichlet(np.ones(n_issues), size=p)
        values = rng.random((p, n_issues, width))
        # A few indifferent issues and repeated values, as real scenarios have.
        flat = rng.random((p, n_issues)) < 0.15
        values[flat] = values[flat][:, :1]
    values = np.where(mask[None], values, 0.0)
    contribution = weights[:, :, None] * values
    red_lines = (rng.random((p, n_issues, width)) < spec.red_line_rate) & mask[None]
    # Reservation around the level of a random package, so some scenarios are
    # feasible and some are not.
    mean_utility = (contribution.sum(axis=2) / n_options[None, :]).sum(axis=1)
    reservation = np.clip(mean_utility + spec.reservation_level, 0.0, 1.0)
    if spec.dyadic:
        reservation = np.round(reservation * 16) / 16
    must_accept = np.zeros(p, dtype=bool)
    must_accept[rng.permutation(p)[: spec.must_accept_count]] = True
    texts = np.stack([rng.integers(0, n_options) for _ in range(spec.n_texts)]) \
        if spec.n_texts else np.zeros((0, n_issues), dtype=np.int64)
    if spec.n_texts:
        texts = np.where(rng.random(texts.shape) < spec.open_rate, UNRESOLVED, texts)
    for array in (n_options, mask, weights, values, contribution, red_lines, reservation,
                  must_accept, texts):
        array.setflags(write=False)
    return Space(
        party_ids=tuple(f"p{k}" for k in range(p)),
        issue_ids=tuple(f"i{k}" for k in range(n_issues)),
        option_ids=tuple(tuple(f"o{o}" for o in range(int(n))) for n in n_options),
        n_options=n_options,
        option_mask=mask,
        weights=weights,
        values=values,
        contribution=contribution,
        red_lines=red_lines,
        reservation=reservation,
        must_accept=must_accept,
        text_ids=tuple(f"t{k}" for k in range(spec.n_texts)),
        texts=texts.astype(np.int64),
        text_parents=np.full(spec.n_texts, -1, dtype=np.int64),
    )


@st.composite
def specs(draw: st.DrawFn, *, min_parties: int = 2, max_parties: int = 5,
          max_outcomes: int = 60_000, red_lines: bool = True, texts: int = 0) -> SpaceSpec:
    n_parties = draw(st.integers(min_parties, max_parties))
    n_issues = draw(st.integers(1, 8))
    options: list[int] = []
    total = 1
    for _ in range(n_issues):
        cap = max(1, min(6, max_outcomes // total))
        k = draw(st.integers(1, cap))
        options.append(k)
        total *= k
    return SpaceSpec(
        seed=draw(st.integers(0, 2**32 - 1)),
        n_parties=n_parties,
        n_options=tuple(options),
        dyadic=draw(st.booleans()),
        red_line_rate=draw(st.sampled_from([0.0, 0.05, 0.15])) if red_lines else 0.0,
        reservation_level=draw(st.sampled_from([-0.3, -0.1, 0.0, 0.05, 0.1, 0.2])),
        must_accept_count=draw(st.integers(1, n_parties)),
        n_texts=texts,
        open_rate=draw(st.sampled_from([0.0, 0.2, 0.5])) if texts else 0.0,
    )


def spaces(**kwargs: object) -> st.SearchStrategy[Space]:
    return specs(**kwargs).map(build_space)  # type: ignore[arg-type]


def space_and_text(**kwargs: object) -> st.SearchStrategy[Space]:
    """Spaces with one text (possibly partial) at index 0."""
    return specs(texts=1, **kwargs).map(build_space)  # type: ignore[arg-type]
