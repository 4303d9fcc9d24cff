"""What a run produces: per-chunk tallies, and the chances reported to the user.

Intervals for probabilities are Wilson score intervals (Wilson, 1927; Brown,
Cai & DasGupta, *Statistical Science* 16, 2001, recommend them over the Wald
interval).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from accord._repr import short_repr
from accord.analysis.uncertainty.sampling import CHUNK_SIZE
from accord.space import FloatArray, IntArray

__all__ = ["MARGIN_BIN", "ChanceResult", "PartyChance", "Tally", "TextChance", "wilson_interval"]

#: Margins (utility − reservation) are tallied in bins of this width over [−1, 1].
MARGIN_BIN = 0.005
_MARGIN_EDGES = np.linspace(-1.0, 1.0, round(2 / MARGIN_BIN) + 1)


@dataclass(frozen=True)
class Tally:
    """What one chunk contributes: integer counts, margin histograms and sums."""

    n: int
    surely: IntArray          # (T, P)
    possibly: IntArray        # (T, P)
    all_accept: IntArray      # (T,)
    margin_sum: FloatArray    # (T, P)
    margin_hist: IntArray     # (T, P, B)
    exists: int = -1          # samples with an acceptable package; -1 when not asked
    by_bound: int = 0
    by_candidate: int = 0
    exact: int = 0
    # The smallest and largest margin seen, (T, P): a quantile read off the histogram is a
    # bin's centre, and clamping it to these makes a margin with no spread read exactly.
    margin_low: FloatArray | None = None
    margin_high: FloatArray | None = None

    def merge(self, other: Tally) -> Tally:
        def bound(mine: FloatArray | None, theirs: FloatArray | None,
                  pick: Callable[[FloatArray, FloatArray], FloatArray]) -> FloatArray | None:
            return None if mine is None or theirs is None else pick(mine, theirs)

        return Tally(
            self.n + other.n, self.surely + other.surely, self.possibly + other.possibly,
            self.all_accept + other.all_accept, self.margin_sum + other.margin_sum,
            self.margin_hist + other.margin_hist,
            -1 if self.exists < 0 else self.exists + other.exists,
            self.by_bound + other.by_bound, self.by_candidate + other.by_candidate,
            self.exact + other.exact,
            bound(self.margin_low, other.margin_low, np.minimum),
            bound(self.margin_high, other.margin_high, np.maximum))


@short_repr(fields=("party", "p_accept", "interval", "p_possible", "margin_mean"))
@dataclass(frozen=True)
class PartyChance:
    party: int
    p_accept: float             # P(acceptable however open points close)
    interval: tuple[float, float]
    p_possible: float           # P(some completion acceptable to the party)
    margin_mean: float
    margin_quantiles: tuple[float, float, float]  # 5 %, 50 %, 95 % (to MARGIN_BIN)


@short_repr(fields=("text", "p_all", "interval"), extra=lambda t: {"parties": len(t.parties)})
@dataclass(frozen=True)
class TextChance:
    text: int
    p_all: float                # P(every must-accept party surely accepts)
    interval: tuple[float, float]
    parties: tuple[PartyChance, ...]


@short_repr(fields=("samples", "seed", "p_any_package", "estimates"),
            extra=lambda r: {"texts": tuple(t.text for t in r.texts), "notes": len(r.notes)})
@dataclass(frozen=True)
class ChanceResult:
    samples: int
    seed: int
    texts: tuple[TextChance, ...]
    p_any_package: float | None
    any_package_interval: tuple[float, float] | None
    settled_by_bound: int = 0
    settled_by_candidate: int = 0
    exact_checks: int = 0
    estimates: int = 0
    chunks: int = 0
    chunk_size: int = CHUNK_SIZE
    notes: tuple[str, ...] = field(default=())


def wilson_interval(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (95 % by default)."""
    if n == 0:
        return (0.0, 1.0)
    phat = successes / n
    denominator = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denominator
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denominator
    # At 0 or n successes the bound at that end is exactly 0 or 1 in exact arithmetic;
    # in floating point ``centre - half`` leaves noise such as 1.08e-19 there.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return (low, high)
