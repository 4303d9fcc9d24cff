"""Every model on one :class:`SpatialProblem` (a KTAB scenario, say), side by side."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.errors import AnalysisError
from accord.forecast.compromise import compromise
from accord.forecast.median import weighted_median
from accord.forecast.nash import DEFAULT_DISAGREEMENT, nash_bargaining
from accord.forecast.problem import SpatialProblem
from accord.forecast.smp import MAX_ACTORS, MIN_ACTORS, SmpParameters, SmpRun, run_smp
from accord.space import FloatArray

__all__ = ["ProblemForecast", "forecast_problem"]

_MODELS = ("compromise", "median", "nash", "smp")


@dataclass(frozen=True, eq=False)
class ProblemForecast:
    """Each model's forecast of each dimension; the SMP run when it was asked for.

    ``forecasts[model]`` is ``(D,)`` on 0–100; for ``smp`` it is the last state's
    expected outcome.
    """

    title: str
    description: str
    problem: SpatialProblem
    forecasts: dict[str, FloatArray]
    run: SmpRun | None
    parameters_from_file: bool = False

    def __repr__(self) -> str:
        return f"ProblemForecast({self.title!r}, models: {', '.join(self.forecasts)})"


def forecast_problem(problem: SpatialProblem, *, models: Sequence[str] = _MODELS, title: str = "",
                     description: str = "", parameters: SmpParameters | None = None,
                     accommodation: FloatArray | None = None,
                     disagreement: float = DEFAULT_DISAGREEMENT,
                     parameters_from_file: bool = False) -> ProblemForecast:
    """Run the chosen models on ``problem`` (the SMP with ``parameters`` and ``accommodation``)."""
    unknown = [m for m in models if m not in _MODELS]
    if unknown:
        raise AnalysisError(f"unknown forecast model(s) {', '.join(unknown)}; expected "
                            f"{', '.join(_MODELS)}")
    forecasts: dict[str, FloatArray] = {}
    run = None
    for model in [m for m in _MODELS if m in models]:
        if model == "compromise":
            forecasts[model] = compromise(problem)
        elif model == "median":
            forecasts[model] = weighted_median(problem)
        elif model == "nash":
            spread = float((problem.positions.max(axis=0) - problem.positions.min(axis=0)).max())
            forecasts[model] = nash_bargaining(problem, disagreement=max(disagreement, spread))
        else:
            if not MIN_ACTORS <= problem.n_actors <= MAX_ACTORS:
                raise AnalysisError(f"KTAB's Spatial Model of Politics takes {MIN_ACTORS} to "
                                    f"{MAX_ACTORS} actors; this problem has {problem.n_actors}")
            try:
                run = run_smp(problem, parameters, accommodation=accommodation)
            except ValueError as error:
                raise AnalysisError(f"the SMP cannot run on this input: {error}") from None
            forecasts[model] = np.array(run.forecast)
    return ProblemForecast(title, description, problem, forecasts, run, parameters_from_file)
