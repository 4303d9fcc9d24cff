"""How likely is a deal: Monte Carlo over uncertain preference estimates.

Every uncertain number in a scenario (a weight, an option value or a
reservation value given as a distribution, or a red line with a probability;
see :mod:`accord.model.uncertain`) is an **estimate**.  One sample draws every
estimate once — a complete preference profile — and every text is evaluated
under it, in batch over samples with numpy (Robert & Casella, *Monte Carlo
Statistical Methods*, 2004, ch. 3).

Reproducibility however the work is split: the samples are cut into chunks of
a fixed size (:data:`CHUNK_SIZE`), and chunk ``j`` draws from its own stream
``SeedSequence(seed).spawn(n_chunks)[j]`` (O'Neill, PCG, 2014; numpy's
``SeedSequence``).  A chunk's draws therefore do not depend on which worker —
a thread, a process, a Dask worker — runs it, and the per-chunk tallies
(integer counts, histograms, sums reduced in chunk order) merge to the same
result every time.  At most :data:`WINDOW` chunks are in flight at once, so
memory is bounded by the chunk size, not by the number of samples.

Each estimate takes one uniform draw ``u`` per sample, turned into a value by
the inverse CDF of its distribution (a red line with probability ``p`` is
present when ``u < p``).  Fixing one estimate's ``u`` while the others vary
with the same random numbers is what the one-at-a-time sensitivity analysis
(:mod:`accord.analysis.sensitivity`) does.

Intervals for probabilities are Wilson score intervals (Wilson, 1927; Brown,
Cai & DasGupta, *Statistical Science* 16, 2001, recommend them over the Wald
interval).  "Some acceptable package exists" is settled per sample by cheap
bounds first (a Lagrangian relaxation that is separable by issue, and
candidate packages), and by an exact search (a pruned issue-by-issue merge of
partial utility vectors) for the samples the bounds leave open.

The package's modules, in the order of the data flow: :mod:`.model` (the
estimates), :mod:`.sampling` (drawing profiles; the texts' outcomes),
:mod:`.existence` (is some package acceptable, per sample), :mod:`.results`
(tallies and chances) and :mod:`.runs` (chunks, mappers, the run).
"""

from __future__ import annotations

# Besides __all__, the package keeps every name the single module had (the other
# analyses, the benchmarks and the tests import them from here).
from accord.analysis.uncertainty.existence import (  # noqa: F401
    _PRUNE_AGAINST,
    _RECENT,
    EXISTS_COMPILED_ABOVE,
    EXISTS_COMPILED_SAMPLES,
    ExistsResult,
    _directions,
    _screen_accepts,
    _screen_numpy,
    _settle_numpy,
    _undominated_per_sample,
    package_exists,
)
from accord.analysis.uncertainty.model import (  # noqa: F401
    Estimate,
    UncertainModel,
    build_model,
    estimate_label,
)
from accord.analysis.uncertainty.results import (  # noqa: F401
    _MARGIN_EDGES,
    MARGIN_BIN,
    ChanceResult,
    PartyChance,
    Tally,
    TextChance,
    wilson_interval,
)
from accord.analysis.uncertainty.runs import (  # noqa: F401
    WINDOW,
    Mapper,
    _call_shipped,
    _chunk_call,
    _windowed,
    dask_mapper,
    deal_chances,
    run_chunk,
    run_tally,
    serial_mapper,
    thread_mapper,
)
from accord.analysis.uncertainty.sampling import (  # noqa: F401
    CHUNK_SIZE,
    Profiles,
    _text_plan,
    _TextPlan,
    chunk_plan,
    complete_text_outcomes,
    profiles,
    sample_draws,
    sampled_estimates,
    text_outcomes,
)

__all__ = [
    "CHUNK_SIZE",
    "WINDOW",
    "ChanceResult",
    "Estimate",
    "PartyChance",
    "Tally",
    "TextChance",
    "UncertainModel",
    "build_model",
    "deal_chances",
    "package_exists",
    "run_chunk",
    "sample_draws",
    "wilson_interval",
]
