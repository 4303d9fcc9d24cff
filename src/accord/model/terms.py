"""Package deals and interactions: what a party's preferences say beyond the additive sum.

Two kinds of entry in a party's ``[preferences.<party>]`` table (see
``docs/explanation/utility.md``):

* **conditional red lines** — ``requires``: the party accepts option ``option``
  of ``issue`` only if ``with_issue`` takes one of ``with_options``;
  ``excludes``: never ``option`` of ``issue`` together with any of
  ``with_options`` of ``with_issue``;
* **interaction terms** — ``terms``: ``value`` (in the utility's units, may be
  negative) is added to the party's utility when every point named in ``when``
  takes (one of) the given options.

This module holds the classes and :func:`utility_extremes`, the exact lowest
and highest utility of a party with terms, which validation needs to refuse a
file whose utility can leave [0, 1].  It works on plain arrays (the model layer
imports no Space and no analysis); :mod:`accord.analysis.terms` builds the
larger integer programs on the same encoding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, field_validator

from accord.model.nonlinear import HyperRectangleUtility, UtilityNode
from accord.model.types import Finite, Identifier, Prose
from accord.model.types import Strict as _Strict

__all__ = [
    "ConditionalRedLine",
    "Interaction",
    "Program",
    "TermSpec",
    "rectangle_terms",
    "utility_extremes",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Seconds an integer program may run before accord refuses to answer rather than guess.
TIME_LIMIT = 60.0
#: The most package deals (``requires`` plus ``excludes``) and terms one party may list.
MAX_LINKS = 1_000

#: A term's conditions: ``((issue, (option, …)), …)``, options as indices, issues ascending.
Conditions = tuple[tuple[int, tuple[int, ...]], ...]


class ConditionalRedLine(_Strict):
    """A package deal as a constraint: ``option`` of ``issue`` only with / never with ``with_options``.

    Under ``requires`` the party refuses every package with ``issue = option``
    unless ``with_issue`` takes one of ``with_options``; under ``excludes`` it
    refuses every package with ``issue = option`` and ``with_issue`` one of
    ``with_options``.
    """

    issue: Identifier
    option: Identifier
    with_issue: Identifier
    with_options: list[Identifier] = Field(min_length=1)
    basis: Prose | None = None


class Interaction(_Strict):
    """``value`` added to the party's utility when every point in ``when`` takes its option(s).

    ``when`` maps an issue id to one option id, or to a list of option ids (the
    point takes any one of them).  At least two points: a bonus on one point
    alone is an option value.  ``value`` is a number in the utility's units
    (after the weights are normalised to sum 1); ranges are not accepted on
    terms yet.
    """

    when: dict[Identifier, Identifier | list[Identifier]]
    value: Finite
    basis: Prose | None = None

    @field_validator("when")
    @classmethod
    def _two_points(cls, when: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
        if len(when) < 2:
            raise ValueError("an interaction term needs at least two points; a bonus or penalty "
                             "on one point alone belongs in the point's values")
        for options in when.values():
            if isinstance(options, list) and not options:
                raise ValueError("a point of an interaction term needs at least one option")
        return when

    def option_ids(self, issue: str) -> list[str]:
        given = self.when[issue]
        return [given] if isinstance(given, str) else list(given)


@dataclass(frozen=True)
class TermSpec:
    """One party's utility as plain arrays: additive tables plus sparse terms.

    ``tables[i]`` holds the contribution ``w_i · v_i(o)`` of each option of
    issue ``i``; ``terms`` pairs each term's conditions with its value.
    """

    tables: tuple[FloatArray, ...]
    terms: tuple[tuple[Conditions, float], ...] = ()

    def evaluate(self, packages: IntArray) -> FloatArray:
        """Utilities of complete packages ``(N, I)`` → ``(N,)``."""
        batch = np.atleast_2d(packages)
        total = np.zeros(batch.shape[0])
        for i, table in enumerate(self.tables):
            total = total + table[batch[:, i]]
        for conditions, value in self.terms:
            hold = np.ones(batch.shape[0], dtype=bool)
            for issue, options in conditions:
                hold &= np.isin(batch[:, issue], options)
            total = total + np.where(hold, value, 0.0)
        return total


@dataclass
class Program:
    """A mixed-integer program over packages: one binary per option, one per term.

    ``x[i, o]`` is 1 when issue ``i`` takes option ``o`` (exactly one per issue);
    a term with conditions ``S_1 … S_k`` gets a variable ``y ∈ [0, 1]`` with
    ``y ≤ Σ_{o ∈ S_j} x[j, o]`` for each condition and
    ``y ≥ Σ_j Σ_{o ∈ S_j} x[j, o] − (k − 1)``, the standard linearisation of a
    product of binaries (e.g. Glover and Woolsey, *Operations Research* 22,
    1974): with integral ``x``, ``y`` is 1 exactly when every condition holds.
    Linear expressions are dense coefficient vectors over the variables (the
    programs here have at most a few thousand).  Solved with
    :func:`scipy.optimize.milp` (HiGHS) at a zero optimality gap.
    """

    n_options: Sequence[int]
    allowed: Sequence[NDArray[np.bool_]] | None = None
    _offsets: list[int] = field(default_factory=list)
    _n: int = 0
    _rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)
    _integral: list[int] = field(default_factory=list)
    _upper: list[float] = field(default_factory=list)
    _lower: list[float] = field(default_factory=list)
    _term_cache: dict[Conditions, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for i, n in enumerate(self.n_options):
            self._offsets.append(self._n)
            allowed = None if self.allowed is None else self.allowed[i]
            for o in range(int(n)):
                self._add_variable(1, 0.0, 1.0 if allowed is None or allowed[o] else 0.0)
            self._rows.append(({self._offsets[i] + o: 1.0 for o in range(int(n))}, 1.0, 1.0))

    def _add_variable(self, integral: int, low: float, high: float) -> int:
        self._integral.append(integral)
        self._lower.append(low)
        self._upper.append(high)
        self._n += 1
        return self._n - 1

    def x(self, issue: int, option: int) -> int:
        """The variable of ``option`` of ``issue``."""
        return self._offsets[issue] + option

    def term(self, conditions: Conditions) -> int:
        """The variable that is 1 exactly when every condition holds (shared by equal terms)."""
        if conditions in self._term_cache:
            return self._term_cache[conditions]
        y = self._add_variable(0, 0.0, 1.0)
        together: dict[int, float] = {y: 1.0}
        for issue, options in conditions:
            row = {y: 1.0}
            for o in options:
                row[self.x(issue, o)] = -1.0
                together[self.x(issue, o)] = together.get(self.x(issue, o), 0.0) - 1.0
            self._rows.append((row, -np.inf, 0.0))
        self._rows.append((together, -(len(conditions) - 1.0), np.inf))
        self._term_cache[conditions] = y
        return y

    def expression(self, spec: TermSpec, scale: float = 1.0) -> dict[int, float]:
        """The linear expression (variable → coefficient) of ``scale`` times a utility."""
        expr: dict[int, float] = {}
        for i, table in enumerate(spec.tables):
            for o, value in enumerate(table):
                if value:
                    expr[self.x(i, o)] = expr.get(self.x(i, o), 0.0) + scale * float(value)
        for conditions, value in spec.terms:
            if not conditions:
                continue  # a constant: the caller adds it (see constant())
            y = self.term(conditions)
            expr[y] = expr.get(y, 0.0) + scale * value
        return expr

    @staticmethod
    def constant(spec: TermSpec) -> float:
        """The part of a utility that holds for every package (terms without conditions)."""
        return float(sum(value for conditions, value in spec.terms if not conditions))

    def new_variable(self, low: float = -np.inf, high: float = np.inf, *,
                     integral: bool = False) -> int:
        return self._add_variable(int(integral), low, high)

    def constrain(self, expr: dict[int, float], low: float = -np.inf, high: float = np.inf) -> None:
        self._rows.append((dict(expr), low, high))

    def ban_together(self, first: tuple[int, int], second: tuple[int, int]) -> None:
        """Never ``first`` (issue, option) together with ``second``."""
        self._rows.append(({self.x(*first): 1.0, self.x(*second): 1.0}, -np.inf, 1.0))

    def solve(self, objective: dict[int, float], *, maximize: bool,
              time_limit: float = TIME_LIMIT) -> tuple[IntArray, FloatArray] | None:
        """An optimal package and the variables' values; None when no package meets the constraints.

        Raises :class:`~accord.errors.AnalysisError` when HiGHS has not proved an
        optimum within ``time_limit`` seconds (an answer that might not be
        optimal is never returned as one).
        """
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import coo_matrix

        sign = -1.0 if maximize else 1.0
        c = np.zeros(self._n)
        for var, coef in objective.items():
            c[var] = sign * coef
        rows, cols, data, lows, highs = [], [], [], [], []
        for r, (row, low, high) in enumerate(self._rows):
            for var, coef in row.items():
                rows.append(r)
                cols.append(var)
                data.append(coef)
            lows.append(low)
            highs.append(high)
        matrix = coo_matrix((data, (rows, cols)), shape=(len(self._rows), self._n)).tocsr()
        options: dict[str, float | bool] = {"mip_rel_gap": 0.0, "disp": False,
                                            "time_limit": float(time_limit)}
        result = milp(c, constraints=[LinearConstraint(matrix, lows, highs)],
                      integrality=np.array(self._integral), bounds=Bounds(self._lower, self._upper),
                      options=options)
        if result.status == 2:  # infeasible: no package meets the constraints
            return None
        if result.status != 0 or result.x is None:
            from accord.errors import AnalysisError

            raise AnalysisError(
                f"the integer program ({self._n:,} variables, {len(self._rows):,} constraints) "
                f"found no proven optimum within {time_limit:g} s ({result.message.strip()}); "
                "fewer interaction terms, or fixing some points, makes it smaller")
        values = np.asarray(result.x)
        package = np.array([int(np.argmax(values[start:start + int(n)]))
                            for start, n in zip(self._offsets, self.n_options, strict=True)],
                           dtype=np.int64)
        return package, values


#: Up to this many combinations of the points terms touch, extremes are found by enumeration.
ENUMERATE_LIMIT = 100_000


def utility_extremes(spec: TermSpec, *, time_limit: float = TIME_LIMIT,
                     ) -> tuple[float, IntArray, float, IntArray]:
    """``(lowest, a package at it, highest, a package at it)`` of a utility, exactly.

    Issues no term touches contribute their own minimum and maximum; the
    others are enumerated when their packages number at most 100,000, and
    solved as an integer program (:class:`Program`) otherwise.  The returned
    utilities are re-evaluated on the packages found, so they are the exact
    values of real packages.
    """
    n_options = [len(table) for table in spec.tables]
    touched = sorted({issue for conditions, _ in spec.terms for issue, _ in conditions})
    low_package = np.array([int(np.argmin(t)) for t in spec.tables], dtype=np.int64)
    high_package = np.array([int(np.argmax(t)) for t in spec.tables], dtype=np.int64)
    count = 1
    for i in touched:
        count *= n_options[i]
        if count > ENUMERATE_LIMIT:
            break
    if touched and count <= ENUMERATE_LIMIT:
        grids = np.meshgrid(*[np.arange(n_options[i]) for i in touched], indexing="ij")
        combos = np.stack([g.ravel() for g in grids], axis=1)
        batch = np.repeat(high_package[None, :], combos.shape[0], axis=0)
        batch[:, touched] = combos
        lows = batch.copy()
        others = [i for i in range(len(n_options)) if i not in set(touched)]
        lows[:, others] = low_package[others]
        high_values = spec.evaluate(batch)
        low_values = spec.evaluate(lows)
        high_package = batch[int(np.argmax(high_values))]
        low_package = lows[int(np.argmin(low_values))]
    elif touched:
        program = Program(n_options)
        objective = program.expression(spec)
        high = program.solve(objective, maximize=True, time_limit=time_limit)
        low = program.solve(objective, maximize=False, time_limit=time_limit)
        assert high is not None and low is not None  # every package is feasible here
        high_package, low_package = high[0], low[0]
    return (float(spec.evaluate(low_package)[0]), low_package,
            float(spec.evaluate(high_package)[0]), high_package)


def rectangle_terms(utility: HyperRectangleUtility,
                    n_options: Mapping[str, int], positions: Mapping[str, int],
                    ) -> tuple[tuple[Conditions, float], ...] | str:
    """A GENIUS hyper-rectangle utility as interaction terms, or why it does not map exactly.

    ``U = min(1, F / max_utility)`` with ``F`` a ``sum`` of rectangle scores is
    ``Σ`` terms when the cap never binds: a rectangle with ``includes`` bounds is
    a term whose condition on each bounded issue is the set of positions inside
    the bound (several bounds on one issue intersect; a bound covering every
    option is no condition; an empty one never holds, and the rectangle is
    dropped); one with ``excludes`` bounds scores when some bound fails, which
    is its score as a constant minus a term on all its bounds; one with neither
    is a constant.  ``min``/``max`` nodes, and a cap that binds (the exact
    maximum of ``F`` above ``max_utility``), do not map: the reason is returned.
    """
    found: list[tuple[Conditions, float]] = []

    def walk(node: UtilityNode, scale: float) -> str | None:
        if node.aggregation != "sum":
            return f"a {node.aggregation!r} node is not a sum of terms"
        for rectangle in node.rectangles:
            score = scale * rectangle.utility * rectangle.weight / utility.max_utility
            bounds = rectangle.includes or rectangle.excludes
            sets: dict[int, set[int]] = {}
            for bound in bounds:
                i = positions[bound.issue]
                inside = {o for o in range(n_options[bound.issue]) if bound.low <= o <= bound.high}
                sets[i] = sets.get(i, inside) & inside
            conditions = tuple((i, tuple(sorted(sets[i]))) for i in sorted(sets)
                               if len(sets[i]) < n_options_by_index[i])
            never = any(not options for options in sets.values())
            if rectangle.excludes:
                found.append(((), score))
                if not never:
                    found.append((conditions, -score))
            elif not never:
                found.append((conditions, score))
        for child in node.children:
            reason = walk(child, scale * child.weight)
            if reason is not None:
                return reason
        return None

    n_options_by_index = {positions[issue]: n for issue, n in n_options.items()}
    reason = walk(utility.root, 1.0)
    if reason is not None:
        return reason
    tables = tuple(np.zeros(n_options_by_index[i]) for i in range(len(n_options_by_index)))
    spec = TermSpec(tables, tuple(found))
    _, _, high, _ = utility_extremes(spec)
    if high > 1 + 1e-9:
        return (f"its cap binds: the rectangles' scores reach {high * utility.max_utility:.6g}, "
                f"above max_utility = {utility.max_utility:.6g}, and min(1, ·) is not a sum")
    return spec.terms
