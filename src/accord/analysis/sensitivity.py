"""Which estimates the deal probability hinges on: a one-at-a-time tornado.

For each uncertain estimate, the deal probabilities are recomputed twice with
that estimate pinned — at its 5th and at its 95th percentile (a red line with
a probability: absent, then present) — while every other estimate varies as
before.  The difference between the two is the estimate's *swing*; ranked by
swing, the estimates form a tornado diagram (Howard, "Decision analysis:
practice and promise", *Management Science* 34, 1988; Eschenbach, *Interfaces*
22, 1992).

All runs share the same random numbers (common random numbers: the pinned
column is overwritten, every other draw is identical), so a swing measures the
estimate's effect and not sampling noise between two independent runs.  A
one-at-a-time analysis misses interactions between estimates; variance-based
(Sobol) indices would capture them and are not computed here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis.uncertainty import (
    Mapper,
    UncertainModel,
    estimate_label,
    run_tally,
)

__all__ = ["HIGH_QUANTILE", "LOW_QUANTILE", "EstimateEffect", "Tornado", "tornado"]

LOW_QUANTILE = 0.05
HIGH_QUANTILE = 0.95


@dataclass(frozen=True)
class EstimateEffect:
    """Deal probabilities with one estimate pinned low and high (one entry per target)."""

    estimate: int
    label: str
    low_setting: float        # the estimate's value when pinned low (red line: 0 = absent)
    high_setting: float
    p_low: tuple[float, ...]
    p_high: tuple[float, ...]

    @property
    def swings(self) -> tuple[float, ...]:
        return tuple(abs(h - lo) for lo, h in zip(self.p_low, self.p_high, strict=True))

    @property
    def swing(self) -> float:
        """The largest swing over the targets (what the ranking uses)."""
        return max(self.swings, default=0.0)


@dataclass(frozen=True)
class Tornado:
    """Targets are texts (P(every must-accept party accepts)) and, last, P(some package exists)."""

    samples: int
    seed: int
    texts: tuple[int, ...]
    any_package: bool
    base: tuple[float, ...]
    effects: tuple[EstimateEffect, ...]   # ranked, largest swing first

    @property
    def targets(self) -> int:
        return len(self.base)


def tornado(model: UncertainModel, text_indices: list[int] | None = None, *,
            samples: int = 4096, seed: int = 0, any_package: bool = True,
            mapper: Mapper | None = None) -> Tornado:
    """Rank the estimates by how far pinning each one low vs high moves the deal probabilities."""
    space = model.space
    chosen = list(range(len(space.text_ids))) if text_indices is None else list(text_indices)
    texts = space.texts[chosen] if chosen else np.zeros((0, space.n_issues), dtype=np.int64)

    def probabilities(fixed: dict[int, float] | None) -> tuple[float, ...]:
        tally = run_tally(model, texts, samples, seed, any_package=any_package, mapper=mapper,
                          fixed=fixed)
        found = [tally.exists / tally.n] if any_package else []
        return tuple(float(x) for x in [*(tally.all_accept / tally.n), *found])

    base = probabilities(None)
    effects = []
    for column, estimate in enumerate(model.estimates):
        if estimate.kind == "red_line":
            low_u, high_u = 1.0, 0.0      # absent, present
        else:
            low_u, high_u = LOW_QUANTILE, HIGH_QUANTILE
        settings = estimate.quantile(np.array([low_u, high_u]))
        effects.append(EstimateEffect(
            column, estimate_label(model, estimate), float(settings[0]), float(settings[1]),
            probabilities({column: low_u}), probabilities({column: high_u})))
    effects.sort(key=lambda effect: (-effect.swing, effect.estimate))
    return Tornado(samples, seed, tuple(chosen), any_package, base, tuple(effects))

