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
one-at-a-time analysis misses interactions between estimates.

Variance-based indices (:func:`sobol_indices`, with SALib — an optional
dependency, ``pip install 'accord[sensitivity]'``) see them: for the event
"every must-accept party accepts text t" (or "some acceptable package
exists"), with indicator ``Y``, the first-order index of estimate ``i`` is
``S_i = Var(E[Y | X_i]) / Var(Y)`` — the share of the uncertainty about the deal
that learning ``X_i`` alone would remove — and the total index ``ST_i =
E[Var(Y | X_~i)] / Var(Y)`` includes its interactions (Sobol', *Mathematics and
Computers in Simulation* 55, 2001; estimators of Saltelli et al., *Computer
Physics Communications* 181, 2010, and Jansen, 1999, as implemented by SALib;
Herman & Usher, *JOSS* 2, 2017).  The inputs are the estimates' uniform draws,
turned into values by their inverse CDFs, so the indices are those of the
estimates themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis.uncertainty import (
    CHUNK_SIZE,
    Mapper,
    UncertainModel,
    complete_text_outcomes,
    estimate_label,
    package_exists,
    profiles,
    run_tally,
    text_outcomes,
)
from accord.space import UNRESOLVED, BoolArray, FloatArray, IntArray

__all__ = ["HIGH_QUANTILE", "LOW_QUANTILE", "EstimateEffect", "SobolEffect", "SobolResult",
           "Tornado", "deal_outcomes", "salib_available", "sobol_indices", "tornado"]

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



# ---------------------------------------------------------------------------
# variance-based (Sobol) indices


def salib_available() -> bool:
    try:
        import SALib  # noqa: F401
    except ImportError:
        return False
    return True


def deal_outcomes(model: UncertainModel, draws: FloatArray, texts: IntArray, *,
                  any_package: bool) -> BoolArray:
    """``(n, targets)``: per row of uniform ``draws``, does each text get every must-accept
    party's acceptance (however open points close), and (last) does some package exist."""
    space = model.space
    columns = []
    for start in range(0, len(draws), CHUNK_SIZE):   # memory bounded by the chunk size
        block = draws[start:start + CHUNK_SIZE]
        if not any_package and (texts != UNRESOLVED).all():
            surely, _, _ = complete_text_outcomes(model, block.copy(), texts)
            rows = [surely[:, :, space.must_accept].all(axis=2)]
        else:
            prof = profiles(model, block)
            surely, _, _ = text_outcomes(space, prof, texts)
            rows = [surely[:, :, space.must_accept].all(axis=2)]
            if any_package:
                complete = texts[(texts != UNRESOLVED).all(axis=1)]
                rows.append(package_exists(space, prof, complete).exists[:, None])
        columns.append(np.concatenate(rows, axis=1))
    return np.concatenate(columns)


@dataclass(frozen=True)
class SobolEffect:
    """First-order and total indices of one estimate, per target (with 95 % bootstrap half-widths)."""

    estimate: int
    label: str
    first: tuple[float, ...]
    first_conf: tuple[float, ...]
    total: tuple[float, ...]
    total_conf: tuple[float, ...]

    @property
    def importance(self) -> float:
        """The largest total index over the targets (what the ranking uses)."""
        return max(self.total, default=0.0)


@dataclass(frozen=True)
class SobolResult:
    base_samples: int          # N of the Saltelli scheme; N·(E + 2) model runs
    runs: int
    seed: int
    texts: tuple[int, ...]
    any_package: bool
    p: tuple[float, ...]       # P(target) over all runs
    effects: tuple[SobolEffect, ...]   # ranked, largest total index first
    notes: tuple[str, ...]


def sobol_indices(model: UncertainModel, text_indices: list[int] | None = None, *,
                  base_samples: int = 1024, seed: int = 0, any_package: bool = True,
                  resamples: int = 100) -> SobolResult:
    """Sobol first-order and total indices of every estimate for P(deal) (needs SALib).

    ``base_samples`` is rounded up to a power of two (Sobol' sequences need it);
    the cost is ``base_samples · (E + 2)`` evaluations of every target.
    """
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    space = model.space
    chosen = list(range(len(space.text_ids))) if text_indices is None else list(text_indices)
    texts = space.texts[chosen] if chosen else np.zeros((0, space.n_issues), dtype=np.int64)
    n_estimates = model.n_estimates
    if n_estimates == 0:
        raise ValueError("no estimate is uncertain")
    base = 1 << max(0, (int(base_samples) - 1).bit_length())
    problem = {"num_vars": n_estimates, "names": [f"e{c}" for c in range(n_estimates)],
               "bounds": [[0.0, 1.0]] * n_estimates}
    draws = sample.sample(problem, base, calc_second_order=False, seed=seed)
    outcomes = deal_outcomes(model, np.clip(draws, 0.0, np.nextafter(1.0, 0.0)), texts,
                             any_package=any_package).astype(float)
    notes = []
    first = np.zeros((outcomes.shape[1], n_estimates))
    first_conf, total, total_conf = first.copy(), first.copy(), first.copy()
    labels = [space.text_ids[t] for t in chosen] + (["any package"] if any_package else [])
    for k in range(outcomes.shape[1]):
        y = outcomes[:, k]
        if y.min() == y.max():   # a certain outcome has no variance to apportion
            notes.append(f"P({labels[k]}) is {y[0]:.0%} in every run: its indices are 0")
            continue
        result = analyze.analyze(problem, y, calc_second_order=False, num_resamples=resamples,
                                 conf_level=0.95, seed=seed)
        first[k], first_conf[k] = result["S1"], result["S1_conf"]
        total[k], total_conf[k] = result["ST"], result["ST_conf"]
    effects = [SobolEffect(c, estimate_label(model, e), tuple(map(float, first[:, c])),
                           tuple(map(float, first_conf[:, c])), tuple(map(float, total[:, c])),
                           tuple(map(float, total_conf[:, c])))
               for c, e in enumerate(model.estimates)]
    effects.sort(key=lambda effect: (-effect.importance, effect.estimate))
    return SobolResult(base, len(draws), seed, tuple(chosen), any_package,
                       tuple(float(p) for p in outcomes.mean(axis=0)), tuple(effects), tuple(notes))
