"""The uncertain model: a Space plus every ranged estimate of the scenario.

Each estimate (a weight, an option value or a reservation value given as a
distribution, or a red line with a probability; see :mod:`accord.model.uncertain`)
is one :class:`Estimate`; :func:`build_model` collects them with the point
arrays into an :class:`UncertainModel`, the input of every sampling run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import special

from accord._repr import short_repr
from accord.space import BoolArray, FloatArray, Space

if TYPE_CHECKING:
    from accord.model import Scenario

__all__ = ["Estimate", "UncertainModel", "build_model", "estimate_label"]


@dataclass(frozen=True)
class Estimate:
    """One uncertain number.  ``kind`` is ``weight``, ``value``, ``reservation`` or ``red_line``.

    ``issue`` and ``option`` are -1 where they do not apply.  For a distribution,
    ``shape`` is ``("uniform", low, high)``, ``("triangular", low, mode, high)``
    or ``("normal", mean, sd, low, high)``; for a red line, ``("red_line", p)``.
    """

    kind: str
    party: int
    issue: int
    option: int
    shape: tuple[Any, ...]

    def quantile(self, u: FloatArray) -> FloatArray:
        """The inverse CDF at uniform draws ``u`` (a red line: 1.0 present, 0.0 absent)."""
        name = self.shape[0]
        if name == "uniform":
            low, high = self.shape[1:]
            return low + (high - low) * u
        if name == "triangular":
            low, mode, high = self.shape[1:]
            if high == low:
                return np.full_like(u, low)
            cut = (mode - low) / (high - low)
            left = low + np.sqrt(u * (high - low) * (mode - low))
            right = high - np.sqrt((1 - u) * (high - low) * (high - mode))
            return np.where(u < cut, left, right)
        if name == "normal":
            mean, sd, low, high = self.shape[1:]
            a, b = special.ndtr((low - mean) / sd), special.ndtr((high - mean) / sd)
            return np.clip(mean + sd * special.ndtri(a + u * (b - a)), low, high)
        if name == "red_line":
            return (u < self.shape[1]).astype(np.float64)
        raise ValueError(f"unknown distribution {name!r}")


@short_repr(fields=("space", "estimates"))
@dataclass(frozen=True, eq=False)
class UncertainModel:
    """A Space plus what varies: raw (unnormalised) point weights and the estimates.

    ``weights`` are the raw weights (normalised per sample, after drawing);
    ``values``, ``reservation`` and ``red_lines`` hold the point numbers, with
    the certain red lines only.  Picklable, so that it can be shipped to workers.
    """

    space: Space
    weights: FloatArray
    values: FloatArray
    reservation: FloatArray
    red_lines: BoolArray
    estimates: tuple[Estimate, ...]

    @property
    def n_estimates(self) -> int:
        return len(self.estimates)


def build_model(scenario: Scenario, space: Space) -> UncertainModel:
    """Collect every uncertain estimate of ``scenario`` (compiled as ``space``)."""
    from accord.model.uncertain import (
        Triangular,
        TruncatedNormal,
        Uniform,
        point_estimate,
        red_line_chance,
    )

    def shape_of(value: Any) -> tuple[Any, ...] | None:
        if isinstance(value, Uniform):
            return ("uniform", value.low, value.high)
        if isinstance(value, Triangular):
            return ("triangular", value.low, value.mode, value.high)
        if isinstance(value, TruncatedNormal):
            return ("normal", value.mean, value.sd, value.low, value.high)
        return None

    # The additive tables, readable whatever the structure: terms and forbidden pairs are
    # certain and are added per sample from the Space (accord.analysis.uncertainty.terms).
    tables = space.tables
    n_parties, n_issues = tables.weights.shape
    weights = np.zeros((n_parties, n_issues))
    values = np.array(tables.values)
    reservation = np.array(space.reservation)
    red_lines = np.zeros_like(tables.red_lines)
    estimates: list[Estimate] = []
    for p, party_id in enumerate(space.party_ids):
        prefs = scenario.preferences[party_id]
        shape = shape_of(prefs.reservation)
        if shape is not None:
            estimates.append(Estimate("reservation", p, -1, -1, shape))
        for issue_id, weight in prefs.weights.items():
            i = space.issue_index(issue_id)
            weights[p, i] = point_estimate(weight)
            shape = shape_of(weight)
            if shape is not None:
                estimates.append(Estimate("weight", p, i, -1, shape))
        for issue_id, table in prefs.values.items():
            i = space.issue_index(issue_id)
            for option_id, value in table.items():
                shape = shape_of(value)
                if shape is not None:
                    estimates.append(Estimate("value", p, i, space.option_index(i, option_id), shape))
        for issue_id, entries in prefs.red_lines.items():
            i = space.issue_index(issue_id)
            for entry in entries:
                option_id, chance = red_line_chance(entry)
                o = space.option_index(i, option_id)
                if chance >= 1.0:
                    red_lines[p, i, o] = True
                elif chance > 0.0:
                    estimates.append(Estimate("red_line", p, i, o, ("red_line", chance)))
    # Raw weights are summed per sample; divide each party's by a power of two near its
    # largest first (exact), so that weights such as 1e308 do not overflow the sum.
    from accord.space import weight_scale

    for p in range(n_parties):
        own = [e for e in estimates if e.kind == "weight" and e.party == p]
        scale = weight_scale([*weights[p], *(abs(x) for e in own for x in e.shape[1:])])
        if scale != 1.0:
            weights[p] /= scale
            estimates = [Estimate(e.kind, e.party, e.issue, e.option,
                                  (e.shape[0], *(x / scale for x in e.shape[1:])))
                         if e.kind == "weight" and e.party == p else e for e in estimates]
    return UncertainModel(space, weights, values, reservation, red_lines, tuple(estimates))


def estimate_label(model: UncertainModel, estimate: Estimate) -> str:
    """``ua reservation``, ``ua weight donetsk``, ``ru value donetsk=hold-line``, …"""
    space = model.space
    party = space.party_ids[estimate.party]
    if estimate.kind == "reservation":
        return f"{party} reservation"
    issue = space.issue_ids[estimate.issue]
    if estimate.kind == "weight":
        return f"{party} weight {issue}"
    option = space.option_ids[estimate.issue][estimate.option]
    if estimate.kind == "value":
        return f"{party} value {issue}={option}"
    return f"{party} red line {issue}={option}"
