"""Uncertain estimates: a range instead of a number.

Wherever a scenario gives a weight, an option value or a reservation value as
a number, it may instead give a distribution, written as an inline table whose
keys say which distribution it is:

* ``{ low = 0.3, high = 0.5 }`` — uniform on ``[low, high]``;
* ``{ low = 0.3, mode = 0.4, high = 0.6 }`` — triangular;
* ``{ mean = 0.4, sd = 0.1, low = 0.2, high = 0.7 }`` — a normal distribution
  with that mean and standard deviation, truncated to ``[low, high]``.

A red line may carry a probability: ``{ option = "hold-line", p = 0.7 }``
says the option is a red line with probability 0.7.

Point analyses (``evaluate``, ``diff``, the frontier …) use each distribution's
mean, and a probabilistic red line counts as a red line there when ``p ≥ 0.5``
(the likelier reading); :mod:`accord.analysis.uncertainty` samples them.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import AfterValidator, Discriminator, Tag, model_validator

from accord.model.types import Finite, Fraction01, Identifier, PositiveWeight
from accord.model.types import Strict as _Strict

__all__ = [
    "Distribution",
    "RedLineChance",
    "RedLineEntry",
    "Triangular",
    "TruncatedNormal",
    "UncertainFraction",
    "UncertainWeight",
    "Uniform",
    "is_uncertain",
    "point_estimate",
    "red_line_chance",
]


class Uniform(_Strict):
    """Uniform on ``[low, high]``."""

    low: Finite
    high: Finite

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        return self

    @property
    def expectation(self) -> float:
        return self.low / 2 + self.high / 2  # (low + high) / 2 overflows near 1.8e308


class Triangular(_Strict):
    """Triangular on ``[low, high]`` with its peak at ``mode``."""

    low: Finite
    mode: Finite
    high: Finite

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"needs low ≤ mode ≤ high, got low = {self.low}, "
                             f"mode = {self.mode}, high = {self.high}")
        return self

    @property
    def expectation(self) -> float:
        return self.low / 3 + self.mode / 3 + self.high / 3  # no overflow near 1.8e308


class TruncatedNormal(_Strict):
    """A normal distribution (``mean``, ``sd`` before truncation) truncated to ``[low, high]``."""

    mean: Finite
    sd: Finite
    low: Finite
    high: Finite

    @model_validator(mode="after")
    def _ordered(self) -> TruncatedNormal:
        if self.sd <= 0:
            raise ValueError(f"sd must be positive, got {self.sd}")
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if self._mass() < 1e-12:
            raise ValueError(f"[low, high] = [{self.low}, {self.high}] lies too far in the tails "
                             f"of a normal with mean {self.mean} and sd {self.sd}")
        return self

    def _standardised(self) -> tuple[float, float]:
        return (self.low - self.mean) / self.sd, (self.high - self.mean) / self.sd

    def _mass(self) -> float:
        a, b = self._standardised()
        return _normal_cdf(b) - _normal_cdf(a)

    @property
    def expectation(self) -> float:
        """The mean of the truncated distribution (equals ``mean`` when the cut is symmetric)."""
        a, b = self._standardised()
        shift = (_normal_pdf(a) - _normal_pdf(b)) / self._mass()
        return min(max(self.mean + self.sd * shift, self.low), self.high)


def _normal_pdf(z: float) -> float:
    return math.exp(-z * z / 2) / math.sqrt(2 * math.pi)


def _normal_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2))


def _distribution_kind(value: Any) -> str:
    # Which distribution a table is, from its keys (so a file needs no "kind" key).
    if isinstance(value, Uniform | Triangular | TruncatedNormal):
        return {Uniform: "<uniform>", Triangular: "<triangular>",
                TruncatedNormal: "<normal>"}[type(value)]
    if isinstance(value, dict):
        if "mean" in value or "sd" in value:
            return "<normal>"
        if "mode" in value:
            return "<triangular>"
        return "<uniform>"
    return "<number>"


Distribution = Uniform | Triangular | TruncatedNormal


def _within_unit(value: Distribution) -> Distribution:
    if value.low < 0 or value.high > 1:
        raise ValueError(f"a range of values must lie between 0 and 1, got "
                         f"low = {value.low}, high = {value.high}")
    return value


def _weight_range(value: Distribution) -> Distribution:
    if value.low < 0 or value.high <= 0:
        raise ValueError(f"a range of weights must be positive (low ≥ 0, high > 0), got "
                         f"low = {value.low}, high = {value.high}")
    return value


def _uncertain(number: Any, check: Any) -> Any:
    # Tags start with "<" so that they can never be confused with an id (ids start
    # with a letter or digit); the validator drops them from error paths.
    return Annotated[
        Annotated[number, Tag("<number>")]
        | Annotated[Uniform, AfterValidator(check), Tag("<uniform>")]
        | Annotated[Triangular, AfterValidator(check), Tag("<triangular>")]
        | Annotated[TruncatedNormal, AfterValidator(check), Tag("<normal>")],
        Discriminator(_distribution_kind),
    ]


#: A number in [0, 1], or a distribution within [0, 1] (option values, reservation values).
UncertainFraction = _uncertain(Fraction01, _within_unit)
#: A positive number, or a distribution over non-negative numbers with a positive mean (weights).
UncertainWeight = _uncertain(PositiveWeight, _weight_range)


class RedLineChance(_Strict):
    """An option that is a red line with probability ``p``."""

    option: Identifier
    p: Fraction01


def _red_line_kind(value: Any) -> str:
    return "<chance>" if isinstance(value, dict | RedLineChance) else "<option>"


#: A red-line entry: an option id (surely a red line) or ``{ option = …, p = … }``.
RedLineEntry = Annotated[
    Annotated[Identifier, Tag("<option>")] | Annotated[RedLineChance, Tag("<chance>")],
    Discriminator(_red_line_kind),
]


def is_uncertain(value: object) -> bool:
    """True for a distribution or a red line with a probability below 1."""
    if isinstance(value, RedLineChance):
        return value.p < 1.0
    return isinstance(value, Uniform | Triangular | TruncatedNormal)


def point_estimate(value: float | Distribution) -> float:
    """The number point analyses use: the value itself, or the distribution's mean."""
    if isinstance(value, Uniform | Triangular | TruncatedNormal):
        return float(value.expectation)
    return float(value)


def red_line_chance(entry: str | RedLineChance) -> tuple[str, float]:
    """``(option id, probability)`` of a red-line entry (a bare id is certain)."""
    if isinstance(entry, RedLineChance):
        return entry.option, float(entry.p)
    return entry, 1.0

