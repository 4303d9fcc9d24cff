"""Forecasts: where will each disputed point land?

Pure functions over a :class:`SpatialProblem` (actors' positions, saliences and
capabilities on 0–100 dimensions), one module per model:

* :mod:`~accord.forecast.compromise` — the capability- and salience-weighted mean;
* :mod:`~accord.forecast.median` — the weighted median (a voting baseline);
* :mod:`~accord.forecast.nash` — Achen's Nash bargaining solution;
* :mod:`~accord.forecast.smp` — KTAB's Spatial Model of Politics, state by state;

plus :mod:`~accord.forecast.backtest` (the DEU III backtest) and
:mod:`~accord.forecast.negotiation` (an accord scenario as a forecasting problem).
"""

from __future__ import annotations

from accord.forecast.problem import SpatialProblem
from accord.forecast.smp import SmpParameters, SmpRun, ThreadSchedule, run_smp

__all__ = ["SmpParameters", "SmpRun", "SpatialProblem", "ThreadSchedule", "run_smp"]
