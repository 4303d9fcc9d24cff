"""Preferences from people who do not think in weights: ratings, a live preview, pairwise choices.

Three ways in, all ending in a :class:`~accord.model.Preferences` (the object a
scenario file's ``[preferences.PARTY]`` holds and the service stores):

* :func:`preferences_from_ratings` — an importance per point (slider values or
  a ranking), a rating per option, red lines and a walk-away rating, turned
  into weights and values by a fixed, documented rule;
* :func:`preview` — for draft preferences of one party, its verdict on each
  version of the text, with its utility and what blocks it (the verdicts are
  :mod:`accord.analysis.evaluate`'s, computed on the draft);
* :func:`next_question` and :func:`fit_choices` — a sequence of "which of these
  two packages would you rather have?" questions, and an additive model fitted
  to the answers by a max-margin program (a linear program to find the answers
  one additive model can explain, then the hard-margin L2 fit of Evgeniou,
  Boussios and Zacharia, 2005, on those).

``docs/explanation/elicitation.md`` explains each rule and the method's
sources.  Parties, issues, options and texts are taken by id or by index and
resolved by the :class:`~accord.space.Space`, which raises
:class:`~accord.errors.UnknownIdError` with "did you mean".
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord._repr import short_repr
from accord.analysis.evaluate import PartyVerdict, evaluate_package, utility_bounds
from accord.errors import Problem, ScenarioError
from accord.model import Preferences
from accord.model.uncertain import point_estimate, red_line_chance
from accord.space import UNRESOLVED, FloatArray, IntArray, Space, weight_scale

__all__ = [
    "Answer",
    "ChoiceFit",
    "Preview",
    "Question",
    "fit_choices",
    "next_question",
    "preferences_from_ratings",
    "preview",
    "rank_order_weights",
    "with_preferences",
    "with_walk_away",
]

#: The rating scale of the sliders unless told otherwise: 0 (worst) to 10 (best).
SCALE = 10.0

IssueKey = str | int
OptionKey = str | int
#: A complete package: ``{issue: option}`` for every issue, or one option index per issue.
PackageLike = Mapping[IssueKey, OptionKey] | Sequence[int] | IntArray


# -- 1. ratings -> preferences ----------------------------------------------------------------


def rank_order_weights(n: int) -> FloatArray:
    """Rank-order centroid weights for ``n`` points ranked from most to least important.

    ``w_k = (1/n) Σ_{j=k..n} 1/j`` (Barron and Barrett, 1996): the centre of the
    set of weight vectors that respect the ranking.

    Examples
    --------
    >>> [round(float(w), 4) for w in rank_order_weights(3)]
    [0.6111, 0.2778, 0.1111]
    """
    if n < 1:
        raise ValueError("a ranking needs at least one point")
    tail = np.cumsum(1.0 / np.arange(n, 0, -1))[::-1]  # Σ_{j=k..n} 1/j for k = 1..n
    return np.asarray(tail / n, dtype=np.float64)


def preferences_from_ratings(
    space: Space,
    importance: Mapping[IssueKey, float] | Sequence[IssueKey],
    ratings: Mapping[IssueKey, Mapping[OptionKey, float]],
    *,
    red_lines: Mapping[IssueKey, Iterable[OptionKey]] | None = None,
    walk_away: float = 0.0,
    walk_away_text: str | int | None = None,
    scale: float = SCALE,
    rescale: bool = False,
    source: str = "ratings",
) -> Preferences:
    """Turn slider ratings into preferences: weights normalised, values in [0, 1].

    The rule, exactly:

    * **weights** — from a mapping ``{issue: importance}`` (each ≥ 0, e.g. a
      0–10 slider), ``weight_i = importance_i / Σ importance``; an issue left
      out has importance 0 (it does not matter).  From a sequence (a ranking,
      most important first, every issue at most once), the rank-order centroid
      weights of :func:`rank_order_weights`; issues not ranked get 0.
    * **values** — ``value_i(o) = rating_i(o) / scale`` for a rating on
      ``0..scale``.  With ``rescale`` each point's ratings are stretched so that
      its best option is 1 and its worst 0 (the importance then weighs the swing
      from worst to best, as in SMART swing weighting); a point whose options
      are all rated the same gets 0 for each.  Every option of an issue with a
      positive weight needs a rating, except a red line, which is rated 0 when
      left unrated.
    * **red lines** — kept as given (an option listed is unacceptable).
    * **reservation** (walk-away) — ``walk_away / scale``: the overall rating
      (the weighted mean of the option ratings) below which the party would
      rather have no deal; or, with ``walk_away_text``, the utility that text
      guarantees under these weights and values (its open points at their
      worst), i.e. "anything at least as good as this version".

    Parameters
    ----------
    space
        The compiled scenario (its issues and options; the parties' numbers are not used).
    importance
        ``{issue: importance}`` or a ranking of issues, most important first.
    ratings
        ``{issue: {option: rating}}`` on ``0..scale``.
    red_lines
        ``{issue: [option, …]}``, the options the party can never accept.
    walk_away
        The walk-away rating on ``0..scale`` (ignored when ``walk_away_text`` is given).
    walk_away_text
        A text (id or index) that is just acceptable.
    scale
        The top of the rating scale.
    rescale
        Stretch each point's ratings to span 0–1.
    source
        The name put in front of each problem (``source: importance.army: …``).

    Returns
    -------
    Preferences
        With ``estimate=False`` (the party's own numbers) and a ``basis`` saying how they were made.

    Raises
    ------
    UnknownIdError
        When an issue, option or text names nothing (with "did you mean").
    ScenarioError
        Listing every rating or importance out of range, a missing rating, a
        repeated issue in a ranking, or importances that are all 0.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> prefs = preferences_from_ratings(
    ...     space, {"salary": 10, "remote": 5},
    ...     {"salary": {"90k": 0, "100k": 3, "110k": 7, "120k": 10},
    ...      "remote": {"office": 0, "hybrid": 8, "remote": 10}}, walk_away=5)
    >>> {k: round(v, 3) for k, v in prefs.weights.items()}, prefs.reservation
    ({'salary': 0.667, 'remote': 0.333}, 0.5)
    """
    if not (isinstance(scale, int | float) and math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    problems: list[Problem] = []
    n_issues = space.n_issues
    raw = np.zeros(n_issues)
    if isinstance(importance, Mapping):
        for key, amount in importance.items():
            i = space.issue_index(key)
            if not _number_in(amount, 0.0, math.inf):
                problems.append(Problem(source, f"importance.{space.issue_ids[i]}",
                                        f"expected a number ≥ 0, got {amount!r}"))
                continue
            raw[i] = float(amount)
    elif isinstance(importance, str):
        raise TypeError("importance is a mapping {issue: number} or a ranking (a list of issues)")
    else:
        ranked = [space.issue_index(key) for key in importance]
        seen: set[int] = set()
        for i in ranked:
            if i in seen:
                problems.append(Problem(source, "importance",
                                        f"issue {space.issue_ids[i]!r} is ranked twice"))
            seen.add(i)
        if ranked and len(seen) == len(ranked):
            raw[ranked] = rank_order_weights(len(ranked))
    if not problems and not (raw > 0).any():
        problems.append(Problem(source, "importance",
                                "at least one point must matter (every importance is 0)"))

    values: dict[str, dict[str, float]] = {}
    table = np.full((n_issues, int(space.n_options.max())), np.nan)
    for key, rated in ratings.items():
        i = space.issue_index(key)
        issue_id = space.issue_ids[i]
        for option, rating in rated.items():
            o = space.option_index(i, option)
            if not _number_in(rating, 0.0, scale):
                problems.append(Problem(source, f"ratings.{issue_id}.{space.option_ids[i][o]}",
                                        f"expected a rating from 0 to {scale:g}, got {rating!r}"))
                continue
            table[i, o] = float(rating) / scale
    lines: dict[str, list[str]] = {}
    for key, options in (red_lines or {}).items():
        i = space.issue_index(key)
        chosen = [space.option_ids[i][space.option_index(i, o)] for o in options]
        if chosen:
            lines[space.issue_ids[i]] = list(dict.fromkeys(chosen))
    for i in (int(k) for k in np.flatnonzero(raw > 0)):
        for option in lines.get(space.issue_ids[i], ()):
            o = space.option_index(i, option)
            if np.isnan(table[i, o]):
                table[i, o] = 0.0  # an unrated red line is the worst option of its point
        missing = [space.option_ids[i][o] for o in range(int(space.n_options[i]))
                   if np.isnan(table[i, o])]
        if missing:
            problems.append(Problem(source, f"ratings.{space.issue_ids[i]}",
                                    "every option of a point that matters needs a rating; "
                                    f"missing: {', '.join(missing)}"))

    text = None if walk_away_text is None else space.text_index(walk_away_text)
    if text is None and not _number_in(walk_away, 0.0, scale):
        problems.append(Problem(source, "walk_away",
                                f"expected a rating from 0 to {scale:g}, got {walk_away!r}"))
    if problems:
        raise ScenarioError(problems)

    raw /= weight_scale(raw)  # huge importances must not overflow the sum
    weights = raw / raw.sum()
    for i in range(n_issues):
        n = int(space.n_options[i])
        row = table[i, :n]
        if np.isnan(row).all():
            continue
        if rescale:
            low, high = np.nanmin(row), np.nanmax(row)
            row = (row - low) / (high - low) if high > low else np.where(np.isnan(row), row, 0.0)
        values[space.issue_ids[i]] = {space.option_ids[i][o]: float(row[o])
                                      for o in range(n) if not np.isnan(row[o])}
    prefs = Preferences(
        estimate=False,
        basis=("entered as ratings: weights are the importances normalised to sum to 1"
               if isinstance(importance, Mapping) else
               "entered as a ranking: rank-order centroid weights")
              + ("; values are the ratings stretched to span 0–1 per point" if rescale
                 else f"; values are the ratings divided by {scale:g}"),
        weights={space.issue_ids[i]: float(weights[i]) for i in np.flatnonzero(weights > 0)},
        values=values,
        red_lines=lines,
        reservation=0.0 if text is not None else float(walk_away) / scale,
    )
    return prefs if text is None else with_walk_away(space, prefs, text)


def with_walk_away(space: Space, preferences: Preferences, text: str | int) -> Preferences:
    """``preferences`` with the reservation value set so that ``text`` is just acceptable.

    The reservation becomes the utility the text guarantees under these weights
    and values (its open points at their worst), clipped to [0, 1]: "anything at
    least as good as this version".  Red lines are not affected, so a text that
    crosses one stays unacceptable.

    Parameters
    ----------
    space
        The compiled scenario (its issues, options and texts).
    preferences
        The weights and values (from ratings, a fit, or typed in).
    text
        The version that is just acceptable, by id or index.

    Returns
    -------
    Preferences
        A copy with the new reservation value.

    Raises
    ------
    UnknownIdError
        When the text, or an issue or option in ``preferences``, names nothing.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> prefs = Preferences(weights={"salary": 1}, values={"salary": {"110k": 0.6}})
    >>> with_walk_away(space, prefs, "revised").reservation
    0.6
    """
    t = space.text_index(text)
    draft = _one_party(space, preferences)
    low, _ = utility_bounds(draft, space.texts[t])
    reservation = min(1.0, max(0.0, float(low[0])))
    basis = preferences.basis or "preferences"
    return preferences.model_copy(update={
        "reservation": reservation,
        "basis": f"{basis}; walk-away: what {space.text_ids[t]} guarantees"})


def _number_in(value: Any, low: float, high: float) -> bool:
    return (isinstance(value, int | float | np.integer | np.floating)
            and not isinstance(value, bool | np.bool_)
            and math.isfinite(float(value)) and low <= float(value) <= high)


# -- 2. the live preview ---------------------------------------------------------------------


def _party_rows(space: Space, prefs: Preferences) -> tuple[FloatArray, FloatArray, np.ndarray, float]:
    """One party's ``(weights, values, red_lines, reservation)`` rows, as ``compile_scenario`` builds them."""
    if prefs.nonlinear is not None:
        from accord.errors import AnalysisError

        raise AnalysisError("a preview needs additive preferences (weights and values)")
    width = space.values.shape[2] if space.values.ndim == 3 else int(space.n_options.max())
    weights = np.zeros(space.n_issues)
    values = np.zeros((space.n_issues, width))
    red = np.zeros((space.n_issues, width), dtype=bool)
    for key, weight in prefs.weights.items():
        weights[space.issue_index(key)] = point_estimate(weight)
    for key, table in prefs.values.items():
        i = space.issue_index(key)
        for option, value in table.items():
            values[i, space.option_index(i, option)] = point_estimate(value)
    for key, entries in prefs.red_lines.items():
        i = space.issue_index(key)
        for entry in entries:
            option, chance = red_line_chance(entry)
            if chance >= 0.5:  # the likelier reading, as compile_scenario counts it
                red[i, space.option_index(i, option)] = True
    weights /= weight_scale(weights)
    total = weights.sum()
    if total > 0:
        weights /= total
    return weights, values, red, point_estimate(prefs.reservation)


def _frozen(*arrays: np.ndarray) -> None:
    for array in arrays:
        array.setflags(write=False)


def with_preferences(space: Space, party: str | int, preferences: Preferences) -> Space:
    """The space with one party's numbers replaced by ``preferences`` (a draft, say).

    Everything else — the other parties, the issues, the texts, who must
    accept — is unchanged, so results on the new space name the same indices.

    Parameters
    ----------
    space
        The compiled scenario.
    party
        The party, by id or index; it must be one of ``space.party_ids`` (compile
        the scenario with placeholder preferences for a party that has none yet).
    preferences
        The party's (draft) preferences; distributions count at their means.

    Returns
    -------
    Space
        A new space; ``space`` itself is not changed.

    Raises
    ------
    UnknownIdError
        When the party, or an issue or option in ``preferences``, names nothing.
    """
    p = space.party_index(party)
    weights, values, red, reservation = _party_rows(space, preferences)
    all_weights = np.array(space.weights)
    all_values = np.array(space.values)
    all_red = np.array(space.red_lines)
    all_reservation = np.array(space.reservation)
    all_weights[p], all_values[p], all_red[p], all_reservation[p] = weights, values, red, reservation
    all_values = np.where(space.option_mask[None], all_values, 0.0)
    all_red &= space.option_mask[None]
    contribution = all_weights[:, :, None] * all_values
    _frozen(all_weights, all_values, all_red, all_reservation, contribution)
    return dataclasses.replace(space, weights=all_weights, values=all_values, red_lines=all_red,
                               reservation=all_reservation, contribution=contribution)


def _one_party(space: Space, prefs: Preferences, party_id: str = "draft") -> Space:
    """A one-party space over ``space``'s issues and texts (for a scenario with no parties yet)."""
    weights, values, red, reservation = _party_rows(space, prefs)
    values = np.where(space.option_mask, values, 0.0)[None]
    red = (red & space.option_mask)[None]
    weights = weights[None]
    contribution = weights[:, :, None] * values
    reservation_row = np.array([reservation])
    must = np.array([True])
    _frozen(weights, values, red, contribution, reservation_row, must)
    return dataclasses.replace(space, party_ids=(party_id,), weights=weights, values=values,
                               red_lines=red, contribution=contribution,
                               reservation=reservation_row, must_accept=must)


@short_repr(fields=("party",), extra=lambda v: {"accepted": len(v.accepted),
                                                 "rejected": len(v.rejected),
                                                 "undecided": len(v.undecided)})
@dataclass(frozen=True)
class Preview:
    """What draft preferences mean: the party's verdict on each version of the text.

    Attributes:
        party: the party's index in ``space.party_ids``.
        space: the scenario with the draft in the party's place (its
            ``reservation`` and utilities are the draft's).
        texts: the texts previewed, as indices, in the order asked.
        verdicts: the party's verdict on each of ``texts``
            (:class:`~accord.analysis.evaluate.PartyVerdict`: utility interval,
            acceptable, reasons, blockers).
    """

    party: int
    space: Space
    texts: tuple[int, ...]
    verdicts: tuple[PartyVerdict, ...]

    def _where(self, verdict: bool | None) -> tuple[int, ...]:
        return tuple(t for t, v in zip(self.texts, self.verdicts, strict=True)
                     if v.acceptable is verdict)

    @property
    def accepted(self) -> tuple[int, ...]:
        """The texts the party would surely accept."""
        return self._where(True)

    @property
    def rejected(self) -> tuple[int, ...]:
        """The texts the party would surely reject."""
        return self._where(False)

    @property
    def undecided(self) -> tuple[int, ...]:
        """The texts whose verdict depends on how their open points close."""
        return self._where(None)


def preview(space: Space, party: str | int, preferences: Preferences, *,
            texts: str | int | Iterable[str | int] | None = None) -> Preview:
    """The party's verdict on each version of the text under draft ``preferences``.

    The verdicts, utilities and blockers are
    :func:`accord.analysis.evaluate.evaluate_package`'s, computed on
    :func:`with_preferences` ``(space, party, preferences)``.

    Parameters
    ----------
    space
        The compiled scenario.
    party
        The party entering preferences, by id or index.
    preferences
        Its draft (from :func:`preferences_from_ratings`, :meth:`ChoiceFit.to_preferences`, or typed in).
    texts
        The texts to preview, by id or index (default: every text, in file order).

    Returns
    -------
    Preview

    Raises
    ------
    UnknownIdError
        When the party, a text, or an issue or option in ``preferences`` names nothing.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> draft = Preferences(weights={"salary": 1},
    ...                     values={"salary": {"110k": 0.6, "120k": 1.0}}, reservation=0.5)
    >>> found = preview(space, "dana", draft)
    >>> [space.text_ids[t] for t in found.accepted], [space.text_ids[t] for t in found.rejected]
    (['counter', 'revised'], ['offer'])
    """
    p = space.party_index(party)
    chosen = list(range(len(space.text_ids))) if texts is None else space.text_indices(texts)
    assert chosen is not None
    draft = with_preferences(space, p, preferences)
    verdicts = tuple(evaluate_package(draft, draft.texts[t], text=t).parties[p] for t in chosen)
    return Preview(party=p, space=draft, texts=tuple(chosen), verdicts=verdicts)


# -- 3. pairwise choices ------------------------------------------------------------------------


@short_repr(fields=("chosen",), extra=lambda a: {"differ": len(a.differing)})
@dataclass(frozen=True)
class Answer:
    """One answered question: two complete packages and which the person would rather have.

    Attributes:
        first: one option index per issue.
        second: one option index per issue.
        chosen: 0 when ``first`` was chosen, 1 when ``second`` was.
    """

    first: IntArray
    second: IntArray
    chosen: int

    @property
    def differing(self) -> tuple[int, ...]:
        """The issues on which the two packages differ."""
        return tuple(int(i) for i in np.flatnonzero(self.first != self.second))

    @property
    def preferred(self) -> IntArray:
        return self.first if self.chosen == 0 else self.second

    @property
    def other(self) -> IntArray:
        return self.second if self.chosen == 0 else self.first


@short_repr(fields=("party", "number"), extra=lambda q: {"differ": len(q.differing)})
@dataclass(frozen=True)
class Question:
    """"Which of these two packages would you rather have?"

    Attributes:
        party: the party asked, an index into ``space.party_ids``.
        number: 1 for the first question, and so on.
        first: a complete package (one option index per issue).
        second: a complete package, equal to ``first`` except on ``differing``.
        differing: the issues on which the two differ (two or three, when the scenario has them).
        predicted: the current fit's utility of ``first`` minus ``second`` (0 before any answer).
    """

    party: int
    number: int
    first: IntArray
    second: IntArray
    differing: tuple[int, ...]
    predicted: float

    def answer(self, chosen: int) -> Answer:
        """The :class:`Answer` for ``chosen`` (0: ``first``, 1: ``second``)."""
        return Answer(self.first, self.second, _chosen(chosen))


@short_repr(fields=("party", "used", "violations"))
@dataclass(frozen=True)
class ChoiceFit:
    """Weights and option values fitted to pairwise answers.

    Attributes:
        party: the party, an index into the space's ``party_ids``.
        issue_ids: the space's issue ids (so that :meth:`to_preferences` can name them).
        option_ids: the space's option ids per issue.
        weights: ``(I,)`` normalised weights (0 for a point the answers say nothing about).
        values: ``(I, K)`` values in [0, 1], best option of each point 1 and worst 0.
        answers: the answers fitted, in order.
        margins: ``(N,)`` the fitted utility of the chosen package minus the other's.
        violated: indices into ``answers`` the fit does not explain (margin ≤ 0):
            answers no single additive model reconciles with the rest.
    """

    party: int
    issue_ids: tuple[str, ...]
    option_ids: tuple[tuple[str, ...], ...]
    weights: FloatArray
    values: FloatArray
    answers: tuple[Answer, ...]
    margins: FloatArray
    violated: tuple[int, ...]

    @property
    def used(self) -> int:
        """How many answers were fitted."""
        return len(self.answers)

    @property
    def violations(self) -> int:
        """How many answers the fit contradicts."""
        return len(self.violated)

    @property
    def consistency(self) -> float:
        """The share of answers the fit explains (1.0 with no answers)."""
        return 1.0 - self.violations / self.used if self.used else 1.0

    def utility(self, package: Sequence[int] | IntArray) -> float:
        """The fitted utility of a complete package (option indices)."""
        vector = np.asarray(package, dtype=np.int64)
        return float((self.weights * self.values[np.arange(len(vector)), vector]).sum())

    def to_preferences(self, *, red_lines: Mapping[str, Sequence[str]] | None = None,
                       reservation: float = 0.0) -> Preferences:
        """The fit as :class:`~accord.model.Preferences` (the party's own numbers, not an estimate).

        Parameters
        ----------
        red_lines
            ``{issue id: [option id, …]}`` to add (choices do not reveal red lines).
        reservation
            The walk-away utility in [0, 1] (on the fit's scale: the worst package 0, the best 1).
        """
        weights = {self.issue_ids[i]: float(w) for i, w in enumerate(self.weights) if w > 0}
        values = {self.issue_ids[i]: {option: float(self.values[i, o])
                                      for o, option in enumerate(self.option_ids[i])}
                  for i in range(len(self.issue_ids)) if self.weights[i] > 0}
        return Preferences(
            estimate=False,
            basis=(f"fitted to {self.used} pairwise choices "
                   f"({self.violations} not explained by the fit)"),
            weights=weights, values=values,
            red_lines={k: list(v) for k, v in (red_lines or {}).items()},
            reservation=float(reservation),
        )


def _chosen(chosen: Any) -> int:
    if isinstance(chosen, bool) or chosen not in (0, 1):
        raise ValueError(f"chosen must be 0 (the first package) or 1 (the second), got {chosen!r}")
    return int(chosen)


def _complete(space: Space, package: PackageLike) -> IntArray:
    """A complete package from ``{issue: option}`` (ids or indices) or an index vector."""
    if isinstance(package, Mapping):
        vector = np.full(space.n_issues, UNRESOLVED, dtype=np.int64)
        for key, option in package.items():
            i = space.issue_index(key)
            vector[i] = space.option_index(i, option)
        missing = [space.issue_ids[i] for i in np.flatnonzero(vector == UNRESOLVED)]
        if missing:
            raise ValueError(f"a package needs an option for every point; missing: {', '.join(missing)}")
        return vector
    vector = np.asarray(package, dtype=np.int64)
    if vector.shape != (space.n_issues,):
        raise ValueError(f"a package needs {space.n_issues} option indices, got shape {vector.shape}")
    if ((vector < 0) | (vector >= space.n_options)).any():
        raise ValueError("a package must be complete, each option index within its point's options")
    return vector


def _answers(space: Space, answers: Iterable[Answer | tuple[Any, Any, Any]]) -> tuple[Answer, ...]:
    found: list[Answer] = []
    for item in answers:
        if isinstance(item, Answer):
            first, second, chosen = item.first, item.second, item.chosen
        else:
            first, second, chosen = item
        answer = Answer(_complete(space, first), _complete(space, second), _chosen(chosen))
        if not answer.differing:
            raise ValueError(f"answer {len(found)}: the two packages are the same")
        found.append(answer)
    return tuple(found)


def _columns(space: Space) -> tuple[IntArray, list[IntArray]]:
    """Offsets of each issue's options in the flat vector of part-worths, and their ranges."""
    offsets = np.concatenate([[0], np.cumsum(space.n_options)[:-1]]).astype(np.int64)
    return offsets, [np.arange(offsets[i], offsets[i] + space.n_options[i])
                     for i in range(space.n_issues)]


def _difference_rows(space: Space, answers: Sequence[Answer]) -> FloatArray:
    """``(N, n)``: row k is the indicator of the chosen package minus the other's."""
    offsets, _ = _columns(space)
    n = int(space.n_options.sum())
    rows = np.zeros((len(answers), n))
    for k, a in enumerate(answers):
        np.add.at(rows[k], offsets + a.preferred, 1.0)
        np.add.at(rows[k], offsets + a.other, -1.0)
    return rows


#: Part-worths are bounded by this in the consistency program (a margin of 1 in its units),
#: so an answer counts as explainable when some model explains it by at least 1/BOUND of
#: the largest part-worth.
_BOUND = 1_000.0


def _explainable(rows: FloatArray) -> np.ndarray:
    """Which answers the L1 soft-margin program explains: ``min Σ ξ`` s.t. ``d_k·c + ξ_k ≥ 1``."""
    from scipy.optimize import linprog

    n_answers, n = rows.shape
    cost = np.concatenate([np.zeros(n), np.ones(n_answers)])
    a_ub = np.hstack([-rows, -np.eye(n_answers)])
    b_ub = -np.ones(n_answers)
    bounds = [(-_BOUND, _BOUND)] * n + [(0.0, None)] * n_answers
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if result.status != 0:  # pragma: no cover - the program is always feasible and bounded
        raise RuntimeError(f"the consistency program failed: {result.message}")
    slack = result.x[n:]
    return np.asarray(slack <= 1e-7)


def _max_margin(space: Space, rows: FloatArray) -> FloatArray:
    """Hard-margin L2 fit: ``min ½‖c‖²`` s.t. ``d_k·c ≥ 1`` and each issue's part-worths sum to 0."""
    from scipy.optimize import minimize

    n = rows.shape[1]
    _, ranges = _columns(space)
    equalities = np.zeros((space.n_issues, n))
    for i, columns in enumerate(ranges):
        equalities[i, columns] = 1.0
    if not len(rows):
        return np.zeros(n)
    # The least-norm solution of d_k·c = 1 is a good start; SLSQP then enforces ≥.
    start = np.linalg.lstsq(np.vstack([rows, equalities]),
                            np.concatenate([np.ones(len(rows)), np.zeros(space.n_issues)]),
                            rcond=None)[0]
    result = minimize(
        lambda c: 0.5 * float(c @ c), start, jac=lambda c: c, method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda c: rows @ c - 1.0, "jac": lambda c: rows},
                     {"type": "eq", "fun": lambda c: equalities @ c, "jac": lambda c: equalities}],
        options={"maxiter": 500, "ftol": 1e-12},
    )
    return np.asarray(result.x, dtype=np.float64)


def _as_model(space: Space, worths: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Part-worths → ``(weights, values)``: each point's swing normalised, values spanning 0–1."""
    _, ranges = _columns(space)
    width = int(space.n_options.max())
    swings = np.zeros(space.n_issues)
    values = np.zeros((space.n_issues, width))
    for i, columns in enumerate(ranges):
        part = worths[columns]
        low, high = float(part.min()), float(part.max())
        swings[i] = high - low
        if swings[i] > 1e-12:
            values[i, : len(columns)] = (part - low) / swings[i]
        else:
            swings[i] = 0.0
    total = swings.sum()
    weights = swings / total if total > 0 else swings
    return weights, values


def fit_choices(space: Space, party: str | int,
                answers: Iterable[Answer | tuple[Any, Any, Any]]) -> ChoiceFit:
    """Fit additive weights and option values to "which would you rather have?" answers.

    The model is the scenario's own, ``u(x) = Σ_i w_i · v_i(x_i)``, written as one
    part-worth per option, ``c_{i,o} = w_i · v_i(o)``.  An answer "``a`` rather
    than ``b``" says ``Σ_i c_{i,a_i} − c_{i,b_i} > 0``.  Two programs:

    1. which answers can one additive model explain together: the linear
       program ``min Σ_k ξ_k`` subject to ``d_k·c + ξ_k ≥ 1``, ``ξ ≥ 0``,
       ``|c| ≤ 1000`` (``scipy.optimize.linprog``, HiGHS); the answers with
       ``ξ_k > 0`` are set aside — when the answers contradict each other, the
       fewest-violations relaxation of LINMAP (Srinivasan and Shocker, 1973);
    2. on the rest, the hard-margin fit ``min ½‖c‖²`` subject to ``d_k·c ≥ 1``
       and each point's part-worths summing to 0 (Evgeniou, Boussios and
       Zacharia, 2005): the unique model that explains the answers with the
       widest margin; a point the answers never vary gets weight 0.

    The part-worths then become weights (each point's swing from its worst to
    its best option, normalised to sum to 1) and values (its options stretched
    to span 0–1).  ``violated`` lists the answers the final fit contradicts.

    Parameters
    ----------
    space
        The compiled scenario.
    party
        The party answering, by id or index.
    answers
        :class:`Answer` objects, or ``(first, second, chosen)`` triples whose packages are
        ``{issue: option}`` mappings (ids or indices) or option-index vectors, and
        ``chosen`` 0 (first) or 1 (second).

    Returns
    -------
    ChoiceFit
        With no answers, all weights 0.

    Raises
    ------
    UnknownIdError
        When the party, or an issue or option in a package, names nothing.
    ValueError
        When a package is incomplete, the two packages of an answer are the
        same, or ``chosen`` is not 0 or 1.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> base = dict(space.positions(space.texts[0]))
    >>> fit = fit_choices(space, "dana", [
    ...     ({**base, "salary": "120k"}, {**base, "remote": "remote"}, 0)])
    >>> fit.violations, fit.weights.argmax() == space.issue_index("salary")
    (0, np.True_)
    """
    p = space.party_index(party)
    given = _answers(space, answers)
    rows = _difference_rows(space, given)
    keep = _explainable(rows) if len(given) else np.zeros(0, dtype=bool)
    return _fit(space, p, given, rows, keep)


def _fit(space: Space, p: int, given: tuple[Answer, ...], rows: FloatArray,
         keep: np.ndarray) -> ChoiceFit:
    worths = _max_margin(space, rows[keep])
    weights, values = _as_model(space, worths)
    flat = np.concatenate([weights[i] * values[i, : int(space.n_options[i])]
                           for i in range(space.n_issues)])
    margins = rows @ flat if len(given) else np.zeros(0)
    _frozen(weights, values, margins)
    violated = tuple(int(k) for k in np.flatnonzero(margins <= 1e-9))
    return ChoiceFit(party=p, issue_ids=space.issue_ids, option_ids=space.option_ids,
                     weights=weights, values=values, answers=given, margins=margins,
                     violated=violated)


#: Enumerate every candidate question up to this many; above it, sample this many.
_CANDIDATES = 4_000


def _candidate_changes(space: Space, allowed: list[list[int]], points: int,
                       rng: np.random.Generator) -> list[tuple[tuple[int, int, int], ...]]:
    """Candidate questions as ``((issue, option in first, option in second), …)`` per differing issue."""
    varied = [i for i in range(space.n_issues) if len(allowed[i]) >= 2]
    points = min(points, len(varied))
    if points == 0:
        return []
    per_issue = {i: list(itertools.permutations(allowed[i], 2)) for i in varied}
    combos = list(itertools.combinations(varied, points))
    total = sum(math.prod(len(per_issue[i]) for i in combo) for combo in combos)
    found: list[tuple[tuple[int, int, int], ...]] = []
    if total <= _CANDIDATES:
        for combo in combos:
            for pairs in itertools.product(*(per_issue[i] for i in combo)):
                found.append(tuple((i, a, b) for i, (a, b) in zip(combo, pairs, strict=True)))
        return found
    for _ in range(_CANDIDATES):
        combo = tuple(sorted(int(i) for i in rng.choice(varied, size=points, replace=False)))
        found.append(tuple((i, *per_issue[i][int(rng.integers(len(per_issue[i])))]) for i in combo))
    return found


def _signature(changes: Iterable[tuple[int, int, int]]) -> frozenset[tuple[tuple[int, int], ...]]:
    """What a question compares, whatever the order of its packages: the two sides' options.

    ``(a, a′)`` against ``(b, b′)`` is not ``(a, b′)`` against ``(b, a′)``, so the
    sides are kept whole rather than an option pair per point.
    """
    changes = sorted(changes)
    return frozenset({tuple((i, a) for i, a, _ in changes), tuple((i, b) for i, _, b in changes)})


def next_question(space: Space, party: str | int,
                  answers: Iterable[Answer | tuple[Any, Any, Any]], *,
                  rng: np.random.Generator | int | None = None,
                  points: int = 2,
                  red_lines: Mapping[IssueKey, Iterable[OptionKey]] | None = None,
                  max_questions: int | None = None,
                  patience: int | None = None) -> Question | None:
    """The next "which of these two packages would you rather have?" question, or None to stop.

    The two packages are complete (an option for every point, all from the
    scenario's own options) and differ on ``points`` points (two by default),
    so that a person weighs one trade-off at a time; elsewhere both hold the
    latest text's options (an open point, or a red-line option, replaced by a
    random allowed one).  A question is *open* when the answers so far do not
    already imply its answer: some additive model consistent with them prefers
    each package (a linear program over the part-worths; see
    :func:`fit_choices`).  The question chosen is an open one, never one asked
    before:

    1. while some option has not yet been shown on a point where the packages
       differ, one that shows such an option;
    2. among those (or all), the one the current fit (:func:`fit_choices` of the
       answers so far) finds closest — the answer it is least sure of, as in
       active learning with a max-margin classifier.

    When no question on ``points`` points is open, questions on fewer points
    are tried (down to one: which of two options of one point is better), and
    then two versions of the text whose order is still open (their open points
    filled alike), so that the answers settle how the party ranks the texts.

    **Stopping** (None): after ``max_questions`` answers (default
    ``3 × Σ(options − 1)``, between 8 and 40); when no question is open — among
    the 200 the fit finds closest at each size; when there are at most 200,
    that is every question, and the answers then imply the order of every pair
    of packages differing on ``points`` points or fewer and of every pair of
    texts, so the fit ranks them all as the answerer would; or, with ``patience``,
    once every option has been shown and each of the last ``patience`` answers
    was predicted by the fit of the answers before it.

    Parameters
    ----------
    space
        The compiled scenario.
    party
        The party answering, by id or index.
    answers
        The answers so far (as for :func:`fit_choices`).
    rng
        A numpy Generator or a seed for sampling and tie-breaks; default: seeded
        by the number of answers, so the same answers give the same question.
    points
        On how many points the two packages differ (2 or 3 read best).
    red_lines
        ``{issue: [option, …]}`` the party never accepts: never shown (unless
        every option of a point is one, when the point's options are all used).
    max_questions
        Stop after this many answers.
    patience
        Also stop after this many answers in a row the fit predicted (default: off).

    Returns
    -------
    Question or None

    Raises
    ------
    UnknownIdError
        When the party, or an issue or option, names nothing.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> question = next_question(space, "dana", [])
    >>> question.number, len(question.differing)
    (1, 2)
    """
    p = space.party_index(party)
    given = _answers(space, answers)
    if points < 1:
        raise ValueError("points must be at least 1")
    generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(
        len(given) if rng is None else rng)
    banned = np.zeros(space.option_mask.shape, dtype=bool)
    for key, options in (red_lines or {}).items():
        i = space.issue_index(key)
        for option in options:
            banned[i, space.option_index(i, option)] = True
    allowed = [[o for o in range(int(space.n_options[i])) if not banned[i, o]]
               for i in range(space.n_issues)]
    free = sum(max(len(options) - 1, 0) for options in allowed)
    limit = max_questions if max_questions is not None else min(40, max(8, 3 * free))
    if len(given) >= limit or free == 0:
        return None

    shown = np.zeros(space.option_mask.shape, dtype=bool)
    asked: set[Any] = set()
    for a in given:
        seen_changes = [(i, int(a.first[i]), int(a.second[i])) for i in a.differing]
        asked.add(_signature(seen_changes))
        for i, x, y in seen_changes:
            shown[i, x] = shown[i, y] = True
    unseen = {(i, o) for i in range(space.n_issues) for o in allowed[i]
              if len(allowed[i]) >= 2 and not shown[i, o]}
    if (not unseen and patience and len(given) >= patience
            and all(_predicted(space, p, given[:k], given[k])
                    for k in range(len(given) - patience, len(given)))):
        return None

    rows = _difference_rows(space, given)
    keep = _explainable(rows) if len(given) else np.zeros(0, dtype=bool)
    fit = _fit(space, p, given, rows, keep)
    contribution = fit.weights[:, None] * fit.values
    offsets, _ = _columns(space)
    changes: tuple[tuple[int, int, int], ...] | None = None
    for size in range(points, 0, -1):
        candidates = [c for c in _candidate_changes(space, allowed, size, generator)
                      if _signature(c) not in asked]
        if unseen:
            covering = [c for c in candidates
                        if any((i, a) in unseen or (i, b) in unseen for i, a, b in c)]
            candidates = covering or candidates
        if not candidates:
            continue
        closeness = np.array([abs(sum(contribution[i, a] - contribution[i, b] for i, a, b in c))
                              for c in candidates])
        order = np.lexsort((generator.random(len(candidates)), np.round(closeness, 12)))
        for k in order[:_CHECKED]:
            if _open(space, rows[keep], offsets, candidates[int(k)]):
                changes = candidates[int(k)]
                break
        if changes is not None:
            break
    base = _base(space, allowed, generator)
    if changes is None:
        changes = _open_texts(space, allowed, base, rows[keep], offsets, asked, contribution)
    if changes is None:
        return None

    first, second = base.copy(), base.copy()
    for i, x, y in changes:
        first[i], second[i] = x, y
    _frozen(first, second)
    predicted = float(sum(contribution[i, a] - contribution[i, b] for i, a, b in changes))
    return Question(party=p, number=len(given) + 1, first=first, second=second,
                    differing=tuple(i for i, _, _ in changes), predicted=predicted)


def _open_texts(space: Space, allowed: list[list[int]], base: IntArray, rows: FloatArray,
                offsets: IntArray, asked: set[Any], contribution: FloatArray,
                ) -> tuple[tuple[int, int, int], ...] | None:
    """Two versions of the text whose order the answers leave open, closest under the fit first.

    Their open points (and red-line options) hold ``base``'s options in both, so that
    the question is about what the versions really disagree on.
    """
    versions = []
    for t in range(len(space.text_ids)):
        package = np.array(space.texts[t], dtype=np.int64)
        filled = [(package[i] == UNRESOLVED or package[i] not in allowed[i])
                  for i in range(space.n_issues)]
        versions.append(np.where(filled, base, package))
    found = []
    for s, t in itertools.combinations(range(len(versions)), 2):
        changes = tuple((int(i), int(versions[s][i]), int(versions[t][i]))
                        for i in np.flatnonzero(versions[s] != versions[t]))
        if changes and _signature(changes) not in asked:
            gap = abs(sum(contribution[i, a] - contribution[i, b] for i, a, b in changes))
            found.append((gap, s, t, changes))
    for _, _, _, changes in sorted(found):
        if _open(space, rows, offsets, changes):
            return changes
    return None


#: At most this many candidate questions (the closest under the fit) are checked for being open.
_CHECKED = 200


def _open(space: Space, rows: FloatArray, offsets: IntArray,
          changes: tuple[tuple[int, int, int], ...]) -> bool:
    """Do the answers (``rows``, all explainable together) leave this question's answer open?

    Over the part-worths ``c`` with ``|c| ≤ 1``, each point's summing to 0 and
    ``d_k·c ≥ 0`` for every answer (the closure of the models that explain
    them), the question is open when ``d·c`` takes both signs.
    """
    from scipy.optimize import linprog

    n = int(space.n_options.sum())
    d = np.zeros(n)
    for i, a, b in changes:
        d[offsets[i] + a] += 1.0
        d[offsets[i] + b] -= 1.0
    _, ranges = _columns(space)
    equalities = np.zeros((space.n_issues, n))
    for i, columns in enumerate(ranges):
        equalities[i, columns] = 1.0
    for sign in (1.0, -1.0):
        result = linprog(sign * d, A_ub=-rows if len(rows) else None,
                         b_ub=np.zeros(len(rows)) if len(rows) else None,
                         A_eq=equalities, b_eq=np.zeros(space.n_issues),
                         bounds=[(-1.0, 1.0)] * n, method="highs")
        if result.status != 0 or result.fun > -1e-7:
            return False  # this side cannot be strictly reached: the answer is implied
    return True


def _predicted(space: Space, p: int, before: Sequence[Answer], answer: Answer) -> bool:
    """Did the fit of ``before`` prefer the package that was then chosen?"""
    fit = fit_choices(space, p, before)
    return fit.utility(answer.preferred) > fit.utility(answer.other) + 1e-9


def _base(space: Space, allowed: list[list[int]], rng: np.random.Generator) -> IntArray:
    """The latest text, its open points and red-line options replaced by random allowed options."""
    latest = space.texts[-1] if len(space.text_ids) else np.full(space.n_issues, UNRESOLVED)
    base = np.array(latest, dtype=np.int64)
    for i in range(space.n_issues):
        if base[i] == UNRESOLVED or base[i] not in allowed[i]:
            pool = allowed[i] or list(range(int(space.n_options[i])))
            base[i] = pool[int(rng.integers(len(pool)))]
    return base
