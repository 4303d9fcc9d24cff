"""The exact check that a utility with interaction terms stays in [0, 1].

Additive utilities stay in [0, 1] by construction (values in [0, 1], weights
summing to 1).  A term adds a bonus or a penalty on some combinations, so the
sum can leave [0, 1]; rather than normalise silently (which would change what
every other number in the file means) accord refuses such a file and names the
terms that push it out, with the package where it happens.  The extremes are
exact (:func:`accord.model.terms.utility_extremes`), computed at the means of
ranged weights and values, as every point analysis uses them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from accord.errors import AnalysisError, Problem
from accord.model.scenario import Preferences, Scenario
from accord.model.terms import TermSpec, utility_extremes
from accord.model.uncertain import point_estimate

__all__ = ["check_utility_ranges", "term_spec"]

#: How far outside [0, 1] a utility may reach before the file is refused (rounding).
RANGE_TOLERANCE = 1e-9
#: Seconds each extreme of one party's utility may take (``accord check`` must not hang).
RANGE_TIME_LIMIT = 10.0


def term_spec(scenario: Scenario, prefs: Preferences) -> TermSpec:
    """One party's utility as additive tables plus terms, at the means of ranged estimates.

    The weights are normalised as :func:`accord.space.compile_scenario` does
    (scaled by the largest first, so that huge weights cannot overflow the sum).
    """
    positions = {issue.id: i for i, issue in enumerate(scenario.issues)}
    weights = np.zeros(len(scenario.issues))
    for issue_id, weight in prefs.weights.items():
        weights[positions[issue_id]] = point_estimate(weight)
    largest = float(np.abs(weights).max(initial=0.0))
    if largest > 0:
        weights = weights / largest
    total = float(weights.sum())
    if total > 0:
        weights = weights / total
    tables = []
    for i, issue in enumerate(scenario.issues):
        table = prefs.values.get(issue.id, {})
        tables.append(weights[i] * np.array([point_estimate(table.get(o.id, 0.0))
                                             for o in issue.options]))
    terms = []
    for term in prefs.terms:
        conditions = []
        for issue_id in sorted(term.when, key=lambda k: positions[k]):
            issue = scenario.issues[positions[issue_id]]
            wanted = set(term.option_ids(issue_id))
            conditions.append((positions[issue_id],
                               tuple(o for o, option in enumerate(issue.options) if option.id in wanted)))
        terms.append((tuple(conditions), float(term.value)))
    return TermSpec(tuple(tables), tuple(terms))


def check_utility_ranges(scenario: Scenario, document: Mapping[str, Any], file: str) -> list[Problem]:
    """Problems for parties whose utility with terms can leave [0, 1] (exact extremes)."""
    problems: list[Problem] = []
    for party_id, prefs in scenario.preferences.items():
        if not prefs.terms:
            continue
        base = f"preferences.{party_id}.terms"
        if prefs.nonlinear is not None:
            problems.append(Problem(file, base, "interaction terms cannot be combined with a "
                                                "non-linear (GENIUS) utility; give one or the other"))
            continue
        spec = term_spec(scenario, prefs)
        try:
            low, low_at, high, high_at = utility_extremes(spec, time_limit=RANGE_TIME_LIMIT)
        except AnalysisError as error:
            problems.append(Problem(file, base, f"could not check that the utility with these "
                                                f"terms stays in [0, 1]: {error}"))
            continue
        for value, package, side in ((high, high_at, "above 1"), (low, low_at, "below 0")):
            if (side == "above 1" and value <= 1 + RANGE_TOLERANCE) or (
                    side == "below 0" and value >= -RANGE_TOLERANCE):
                continue
            holding = [n for n, (conditions, term_value) in enumerate(spec.terms)
                       if all(int(package[i]) in options for i, options in conditions)
                       and (term_value > 0) == (side == "above 1")]
            named = ", ".join(f"terms[{n + 1}] ({spec.terms[n][1]:+.4g})" for n in holding)
            where = ", ".join(f"{scenario.issues[i].id} = {scenario.issues[i].options[int(package[i])].id}"
                              for i in sorted({i for n in holding for i, _ in spec.terms[n][0]}))
            problems.append(Problem(
                file, base,
                f"the utility can reach {value:.6g}, {side}: {named} hold together at {where}; "
                "a utility must stay in [0, 1], so lower these terms' values (or the weights "
                "and values they add to)"))
    return problems
