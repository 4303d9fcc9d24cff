"""Who can accept a text, who cannot, and because of which points.

For a text ``x`` (complete, or partial with unresolved points) and each party:

* the **utility interval** ``[lo, hi]``: the minimum and maximum of ``u_p`` over
  every completion of the unresolved points (``lo == hi`` for a complete text).
  Because utility is additive the extremes are attained point by point, so the
  interval costs ``O(I·K)`` rather than an enumeration of completions;
* **acceptable**: ``True`` when every completion is acceptable (no red line can
  be hit and ``lo ≥ r``), ``False`` when no completion is (a resolved point is a
  red line, or even the best completion that avoids the party's red lines falls
  short of ``r``), and ``None`` when it depends on how the open points close;
* the **reasons**, and for a party that is not sure to accept, the
  **blockers**: every point ranked by how much moving it to the party's best
  acceptable option would raise the party's guaranteed utility, and the smallest
  set of such moves that makes the text acceptable to it however the remaining
  open points close.

Every public function takes parties and texts by id or by index (resolved by
:meth:`accord.space.Space.party_index` and :meth:`~accord.space.Space.text_index`,
which raise :class:`~accord.errors.UnknownIdError` with "did you mean");
results carry indices, which ``space.party_ids``/``space.text_ids`` name.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from accord._repr import short_repr
from accord.space import UNRESOLVED, UTILITY_TOLERANCE, FloatArray, IntArray, Space

__all__ = [
    "Blockers",
    "Conflict",
    "PartyVerdict",
    "PointGain",
    "Reason",
    "ReasonKind",
    "TextEvaluation",
    "blockers",
    "evaluate_package",
    "evaluate_texts",
    "utility_bounds",
]


class ReasonKind(StrEnum):
    RED_LINE = "red_line"
    """A resolved point is one of the party's red lines."""
    OPEN_RED_LINE = "open_red_line"
    """An unresolved point could still close on one of the party's red lines."""
    BELOW_RESERVATION = "below_reservation"
    """Even the best completion falls short of the reservation value."""
    MAY_FALL_BELOW_RESERVATION = "may_fall_below_reservation"
    """Some completions fall short of the reservation value, others do not."""
    NO_ACCEPTABLE_OPTION = "no_acceptable_option"
    """An unresolved point has only red-line options for the party."""
    PACKAGE_DEAL = "package_deal"
    """Two resolved points form a pair the party refuses together (a conditional red line)."""
    OPEN_PACKAGE_DEAL = "open_package_deal"
    """Open points could still complete a pair the party refuses together."""
    NO_ACCEPTABLE_COMPLETION = "no_acceptable_completion"
    """Every completion of the open points sets one of the party's red lines or refused pairs."""


@short_repr(fields=("kind", "issue", "option", "shortfall"))
@dataclass(frozen=True)
class Reason:
    """Why a party cannot (or might not) accept a text.

    For the reservation-value reasons, ``utility`` is the relevant bound (the
    best red-line-free completion, or the worst completion) and ``shortfall``
    how far it lies below the reservation value (positive).
    """

    kind: ReasonKind
    issue: int | None = None
    option: int | None = None
    utility: float | None = None
    shortfall: float | None = None
    #: For the package-deal reasons, the other point of the refused pair and its option.
    other_issue: int | None = None
    other_option: int | None = None


@short_repr
@dataclass(frozen=True)
class PointGain:
    """Moving ``issue`` from its current option (or from open) to ``option`` gains ``gain``."""

    issue: int
    current: int
    option: int
    gain: float
    required: bool
    """True when the point must change whatever its gain (a red line, or one that may close on one)."""
    red_line_of: tuple[int, ...] = ()
    """The other parties for which ``option`` is a red line (the move would make them reject)."""


@short_repr(fields=("party", "red_lines", "below_reservation"))
@dataclass(frozen=True)
class Conflict:
    """Another party that a party's smallest fix would make reject (or no longer surely accept).

    Attributes:
        party: the other party's index.
        red_lines: issues the fix moves onto one of this party's red lines (that
            the text did not already set on one).
        below_reservation: True when the fix takes one end of this party's
            utility interval from at least its reservation value to below it.
        utility: ``(lo, hi)``: this party's utility interval once the fix is made.
    """

    party: int
    red_lines: tuple[int, ...]
    below_reservation: bool
    utility: tuple[float, float]


@short_repr(fields=("party", "achievable", "best_utility"),
            extra=lambda b: {"ranking": len(b.ranking), "smallest_fix": len(b.smallest_fix),
                             "conflicts": len(b.conflicts)})
@dataclass(frozen=True)
class Blockers:
    """What stands between a party and a sure acceptance of a text.

    Attributes:
        ranking: every point whose move to the party's best acceptable option
            would raise the party's guaranteed utility or remove a red-line
            risk, required ones first, then by gain.
        smallest_fix: the fewest point moves that make the text acceptable to
            the party however the other open points close.  Among sets of that
            size: first the one that puts fewest other parties' red lines in the
            text (a move may go to a lesser option of the party, not in
            ``ranking``, to spare another party's red line), then the one asking
            least (smallest total gain).  Empty with ``achievable`` False when
            no set of moves can.
        achievable: whether the party can be brought to a sure acceptance at all.
        best_utility: the party's best utility over all packages avoiding its red lines.
        conflicts: the other parties that ``smallest_fix`` would make reject:
            it breaks one of their red lines or lowers them below their
            reservation value (empty when the fix costs no one an acceptance).
    """

    party: int
    ranking: tuple[PointGain, ...]
    smallest_fix: tuple[PointGain, ...]
    achievable: bool
    best_utility: float
    conflicts: tuple[Conflict, ...] = ()


@short_repr(fields=("party", "acceptable", "utility"), extra=lambda v: {"reasons": len(v.reasons)})
@dataclass(frozen=True)
class PartyVerdict:
    """One party's verdict on a text: its utility interval, whether it accepts, and why not.

    Attributes:
        party: the party's index.
        utility: ``(lo, hi)`` over the completions of the open points.
        acceptable: True (surely), False (surely not) or None (depends on the open points).
        reasons: why it cannot or might not accept (empty when it surely accepts).
        blockers: what to change for a sure acceptance (None when it surely accepts).
    """

    party: int
    utility: tuple[float, float]
    acceptable: bool | None
    reasons: tuple[Reason, ...]
    blockers: Blockers | None


@short_repr(fields=("text", "deal"),
            extra=lambda e: {"parties": len(e.parties), "open_points": len(e.open_points)})
@dataclass(frozen=True)
class TextEvaluation:
    """One text (or package) evaluated for every party with preferences.

    ``deal`` is True when every must-accept party surely accepts, False when one
    surely does not, None when it depends on the open points.
    """

    text: int | None
    package: IntArray
    parties: tuple[PartyVerdict, ...]
    deal: bool | None

    @property
    def open_points(self) -> tuple[int, ...]:
        return tuple(int(i) for i in np.flatnonzero(self.package == UNRESOLVED))


#: What the functions below take for a text or a package: a text id or index, a
#: mapping ``{issue: option}`` (ids or indices; issues left out are open), or one
#: option index per issue (``UNRESOLVED`` for an open point).  Resolved by
#: :meth:`accord.space.Space.text_or_package`.
TextOrPackage = str | int | Mapping[str | int, str | int] | Sequence[int] | IntArray


def _masked(space: Space, fill: float) -> FloatArray:
    """``contribution`` with padding replaced by ``fill`` (for min/max over real options)."""
    return np.where(space.option_mask[None, :, :], space.additive_contribution, fill)


def utility_bounds(space: Space, package: TextOrPackage) -> tuple[FloatArray, FloatArray]:
    """Each party's lowest and highest utility over the completions of ``package``.

    Additivity makes the extremes point by point, so this costs ``O(I·K)`` and
    never enumerates completions.

    Parameters
    ----------
    space
        The compiled scenario.
    package
        A text (id or index), ``{issue: option}`` (ids or indices; issues left
        out are open), or one option index per issue (``UNRESOLVED``, -1, open).

    Returns
    -------
    tuple of numpy.ndarray
        ``(lo, hi)``, each ``(P,)`` in the order of ``space.party_ids``.

    Raises
    ------
    UnknownIdError
        When a text, issue or option id names nothing.
    ValueError
        When an index array has the wrong length or an option index out of range.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> low, high = utility_bounds(space, "revised")
    >>> [round(float(x), 2) for x in low], [round(float(x), 2) for x in high]
    ([0.66, 0.48], [0.76, 0.58])
    """
    _, vector = space.text_or_package(package)
    if space.has_terms:
        from accord.analysis.terms import term_bounds

        return term_bounds(space, vector)
    open_points = vector == UNRESOLVED
    chosen = np.take_along_axis(
        space.additive_contribution, np.where(open_points, 0, vector)[None, :, None], axis=2
    )[:, :, 0]
    low = np.where(open_points[None, :], _masked(space, np.inf).min(axis=2), chosen)
    high = np.where(open_points[None, :], _masked(space, -np.inf).max(axis=2), chosen)
    return low.sum(axis=1), high.sum(axis=1)


def _best_acceptable(space: Space, party: int) -> tuple[IntArray, FloatArray]:
    """Per issue, the party's best option that is not a red line, and its contribution (−inf if none)."""
    allowed = space.option_mask & ~space.red_lines[party]
    scores = np.where(allowed, space.contribution[party], -np.inf)
    best = scores.argmax(axis=1)
    return best, scores.max(axis=1)


def evaluate_package(space: Space, package: TextOrPackage, *,
                     text: int | str | None = None) -> TextEvaluation:
    """Evaluate one (possibly partial) package for every party.

    Parameters
    ----------
    space
        The compiled scenario.
    package
        A text (id or index), ``{issue: option}`` (ids or indices; issues left
        out are open), or one option index per issue (``UNRESOLVED``, -1, open).
    text
        The text this package is, by id or index, recorded in the result
        (default: the text given as ``package``, or None for a package).

    Returns
    -------
    TextEvaluation
        Each party's verdict, and ``deal``: True when every must-accept party
        surely accepts, False when one surely does not, None when it depends
        on the open points.

    Raises
    ------
    UnknownIdError
        When ``text``, or a text, issue or option id in ``package``, names nothing.
    ValueError
        When an index array has the wrong length or an option index out of range.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> evaluate_package(space, [2, 1, 1, 1, -1])
    TextEvaluation(text=None, deal=None, parties=2, open_points=1)
    >>> evaluate_package(space, {"salary": "110k", "remote": "hybrid"}).open_points
    (2, 3, 4)
    >>> evaluate_package(space, "revised")
    TextEvaluation(text=2, deal=None, parties=2, open_points=1)
    """
    given, vector = space.text_or_package(package)
    text = given if text is None else space.text_index(text)
    low, high = utility_bounds(space, vector)
    open_points = vector == UNRESOLVED
    verdicts = []
    judge = _verdict if space.is_additive else _term_verdict
    for p in range(space.n_parties):
        verdicts.append(judge(space, vector, open_points, p, float(low[p]), float(high[p])))
    must = [v.acceptable for v, m in zip(verdicts, space.must_accept, strict=True) if m]
    deal: bool | None
    if any(a is False for a in must):
        deal = False
    elif all(a is True for a in must):
        deal = True
    else:
        deal = None
    return TextEvaluation(text=text, package=vector, parties=tuple(verdicts), deal=deal)


def _verdict(space: Space, vector: IntArray, open_points: np.ndarray, p: int,
             low: float, high: float) -> PartyVerdict:
    red = space.red_lines[p]
    reasons: list[Reason] = []
    for i in np.flatnonzero(~open_points):
        if red[i, vector[i]]:
            reasons.append(Reason(ReasonKind.RED_LINE, int(i), int(vector[i])))
    surely_blocked = bool(reasons)
    risky = False
    for i in np.flatnonzero(open_points):
        options = red[i, : space.n_options[i]]
        if options.all():
            reasons.append(Reason(ReasonKind.NO_ACCEPTABLE_OPTION, int(i)))
            surely_blocked = True
        elif options.any():
            for o in np.flatnonzero(options):
                reasons.append(Reason(ReasonKind.OPEN_RED_LINE, int(i), int(o)))
            risky = True
    # Best utility over completions that avoid red lines on the open points.
    _, best_scores = _best_acceptable(space, p)
    best_open = best_scores[open_points].sum() if open_points.any() else 0.0
    resolved_sum = float(space.contribution[p, np.flatnonzero(~open_points),
                                            vector[~open_points]].sum())
    best_clean = resolved_sum + float(best_open)
    return _finish_verdict(space, vector, p, (low, high), best_clean, reasons,
                           surely_blocked, risky)


def _term_verdict(space: Space, vector: IntArray, open_points: np.ndarray, p: int,
                  low: float, high: float) -> PartyVerdict:
    """:func:`_verdict` for a Space with terms or conditional red lines (exact, by integer programs)."""
    from accord.analysis.terms import best_acceptable

    red = space.tables.red_lines[p]
    reasons: list[Reason] = []
    for i in np.flatnonzero(~open_points):
        if red[i, vector[i]]:
            reasons.append(Reason(ReasonKind.RED_LINE, int(i), int(vector[i])))
    risky = False
    for _, i, a, j, b in space.pair_bans[space.pair_bans[:, 0] == p].tolist():
        set_i, set_j = vector[i] == a, vector[j] == b
        if set_i and set_j:
            reasons.append(Reason(ReasonKind.PACKAGE_DEAL, i, a, other_issue=j, other_option=b))
        elif (set_i or open_points[i]) and (set_j or open_points[j]):
            reasons.append(Reason(ReasonKind.OPEN_PACKAGE_DEAL, i, a, other_issue=j,
                                  other_option=b))
            risky = True
    surely_blocked = any(reason.kind in (ReasonKind.RED_LINE, ReasonKind.PACKAGE_DEAL)
                         for reason in reasons)
    for i in np.flatnonzero(open_points):
        options = red[i, : space.n_options[i]]
        if options.all():
            reasons.append(Reason(ReasonKind.NO_ACCEPTABLE_OPTION, int(i)))
            surely_blocked = True
        elif options.any():
            for o in np.flatnonzero(options):
                reasons.append(Reason(ReasonKind.OPEN_RED_LINE, int(i), int(o)))
            risky = True
    best_clean, _ = best_acceptable(space, vector, p)
    if not np.isfinite(best_clean):
        if not any(reason.kind is ReasonKind.NO_ACCEPTABLE_OPTION for reason in reasons):
            reasons.append(Reason(ReasonKind.NO_ACCEPTABLE_COMPLETION))
        return _finish_verdict(space, vector, p, (low, high), None, reasons, True, risky)
    return _finish_verdict(space, vector, p, (low, high), best_clean, reasons,
                           surely_blocked, risky)


def _finish_verdict(space: Space, vector: IntArray, p: int, interval: tuple[float, float],
                    best_clean: float | None, reasons: list[Reason], surely_blocked: bool,
                    risky: bool) -> PartyVerdict:
    """The reservation-value reasons and the verdict, shared by the additive and the term paths.

    ``best_clean`` is the best utility over the completions that set no red line
    (None when a reason already blocks for good and the bound is not needed).
    """
    r = float(space.reservation[p])
    low = interval[0]
    if best_clean is not None and best_clean < r - UTILITY_TOLERANCE:
        reasons.append(Reason(ReasonKind.BELOW_RESERVATION, utility=best_clean,
                              shortfall=r - best_clean))
        surely_blocked = True
    elif best_clean is not None and low < r - UTILITY_TOLERANCE:
        reasons.append(Reason(ReasonKind.MAY_FALL_BELOW_RESERVATION, utility=low,
                              shortfall=r - low))
        risky = True
    acceptable: bool | None = False if surely_blocked else (None if risky else True)
    found = None if acceptable is True else blockers(space, vector, p)
    return PartyVerdict(p, interval, acceptable, tuple(reasons), found)


def _term_blockers(space: Space, vector: IntArray, party: int) -> Blockers:
    """:func:`blockers` with terms or conditional red lines.

    The fix is the fewest changes to the resolved points after which *some*
    closing of the open points is acceptable to the party, and it closes every
    open point (:func:`accord.analysis.terms.smallest_fix`); the ranking lists
    the fix's moves, each with its gain to the party with the other moves made
    (an open point from its worst option).
    """
    from accord.analysis.terms import best_acceptable, smallest_fix

    free = np.full(space.n_issues, UNRESOLVED, dtype=np.int64)
    best_utility, _ = best_acceptable(space, free, party)
    reservation = float(space.reservation[party])
    achievable = bool(np.isfinite(best_utility)) and best_utility >= reservation - UTILITY_TOLERANCE
    others = np.array([q for q in range(space.n_parties) if q != party], dtype=np.int64)
    if not achievable:
        return Blockers(party, (), (), False, float(best_utility))
    package = smallest_fix(space, vector, party)
    assert package is not None  # achievable: some package is acceptable to the party
    red = space.tables.red_lines[party]
    utility = float(space.utilities(package)[party])
    moves = []
    for i in range(space.n_issues):
        current = int(vector[i])
        if current == int(package[i]):
            continue
        if current == UNRESOLVED:
            trials = np.repeat(package[None, :], int(space.n_options[i]), axis=0)
            trials[:, i] = np.arange(int(space.n_options[i]))
            before = float(space.utilities(trials)[:, party].min())
            required = bool(red[i, : int(space.n_options[i])].any())
        else:
            trial = package.copy()
            trial[i] = current
            before = float(space.utilities(trial)[party])
            required = bool(red[i, current])
        option = int(package[i])
        moves.append(PointGain(i, current, option, utility - before, required,
                               tuple(int(q) for q in others if space.tables.red_lines[q, i, option])))
    fix = tuple(sorted(moves, key=lambda g: (not g.required, -g.gain, g.issue)))
    return Blockers(party, fix, fix, True, float(best_utility), _conflicts(space, vector, fix, others))


def blockers(space: Space, package: TextOrPackage, party: int | str) -> Blockers:
    """Rank the points that keep ``party`` from surely accepting ``package``; find the smallest fix.

    Each point may move to the party's best option that is not one of its red
    lines.  The party's *guaranteed* utility counts an open point at its worst
    option, so closing an open point gains ``best − worst``.  Points on a red
    line, and open points that could close on one, must move.  Because utility
    is additive, the fewest further moves that lift the guaranteed utility to
    the reservation value are found by taking the largest gains in order (exact,
    by additivity).  Among sets of that size, one that puts no other party's
    red line into the text is preferred when one exists (a point may then move
    to the party's best option that is no one's red line), then the least
    demanding one.  ``conflicts`` says whom the chosen fix would still make
    reject.

    Parameters
    ----------
    space
        The compiled scenario.
    package
        A text (id or index), ``{issue: option}`` (ids or indices; issues left
        out are open), or one option index per issue (``UNRESOLVED``, -1, open).
    party
        The party, by id or index.

    Returns
    -------
    Blockers
        The ranked points, the smallest fix, whether any fix exists, and the
        other parties the fix would make reject.

    Raises
    ------
    UnknownIdError
        When ``party``, or a text, issue or option id in ``package``, names nothing.
    ValueError
        When an index array has the wrong length or an option index out of range.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> found = blockers(space, "offer", "dana")
    >>> found.achievable, [space.issue_ids[g.issue] for g in found.smallest_fix]
    (True, ['remote', 'vacation'])

    On the revised offer, the least Northwind could ask for (back to the office)
    is one of Dana's red lines; a June start is as small a fix and costs Dana
    no acceptance:

    >>> found = blockers(space, "revised", "northwind")
    >>> [(space.issue_ids[g.issue], space.option_ids[g.issue][g.option]) for g in found.smallest_fix]
    [('start', 'june')]
    >>> [space.party_ids[q] for g in found.ranking for q in g.red_line_of], found.conflicts
    (['dana'], ())
    """
    party = space.party_index(party)
    _, vector = space.text_or_package(package)
    if not space.is_additive:
        return _term_blockers(space, vector, party)
    best, best_scores = _best_acceptable(space, party)
    contribution = space.contribution[party]
    red = space.red_lines[party]
    others = np.array([q for q in range(space.n_parties) if q != party], dtype=np.int64)
    # (I, K): options that are some other party's red line, and whose.
    others_red = space.red_lines[others].any(axis=0) if others.size else np.zeros_like(red)
    spare = np.where(space.option_mask & ~red & ~others_red, contribution, -np.inf)

    def whose(i: int, o: int) -> tuple[int, ...]:
        return tuple(int(q) for q in others if space.red_lines[q, i, o])

    gains: list[PointGain] = []
    alternatives: dict[int, PointGain] = {}
    guaranteed = 0.0
    for i in range(space.n_issues):
        n = space.n_options[i]
        if vector[i] == UNRESOLVED:
            current_value = float(contribution[i, :n].min())
            required = bool(red[i, :n].any())
        else:
            current_value = float(contribution[i, vector[i]])
            required = bool(red[i, vector[i]])
        guaranteed += current_value
        if not np.isfinite(best_scores[i]):
            continue  # every option is a red line: nothing to move to
        gain = float(best_scores[i]) - current_value
        if vector[i] == best[i] and not required:
            continue
        if required or gain > UTILITY_TOLERANCE:
            move = PointGain(i, int(vector[i]), int(best[i]), gain, required, whose(i, int(best[i])))
            gains.append(move)
            # The party's best option on this point that is no one's red line, if that is another.
            other = int(np.argmax(spare[i]))
            other_gain = float(spare[i, other]) - current_value
            if (move.red_line_of and np.isfinite(spare[i, other]) and other != vector[i]
                    and (required or other_gain > UTILITY_TOLERANCE)):
                alternatives[i] = PointGain(i, int(vector[i]), other, other_gain, required)
    ranking = tuple(sorted(gains, key=lambda g: (not g.required, -g.gain, g.issue)))
    reservation = float(space.reservation[party])
    best_utility = float(best_scores.sum())
    achievable = bool(np.isfinite(best_utility)) and best_utility >= reservation - UTILITY_TOLERANCE
    fix: tuple[PointGain, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    if achievable:
        fix = _smallest_fix(ranking, reservation - guaranteed, alternatives,
                            _cost_to_others(space, vector, party))
        conflicts = _conflicts(space, vector, fix, others)
    return Blockers(party, ranking, fix, achievable, best_utility, conflicts)


def _cost_to_others(space: Space, vector: IntArray,
                    party: int) -> Callable[[Sequence[PointGain]], tuple[int, int]]:
    """A set of moves → (other parties' red lines it sets, other parties it lowers below reservation).

    Additivity again: each move shifts every party's interval ends by the
    change in that point's contribution, so no package is re-evaluated.
    """
    low, high = utility_bounds(space, vector)
    threshold = space.reservation - UTILITY_TOLERANCE
    lowest = _masked(space, np.inf).min(axis=2)  # (P, I): an open point's worst contribution
    highest = _masked(space, -np.inf).max(axis=2)
    contribution = space.contribution

    def cost(moves: Sequence[PointGain]) -> tuple[int, int]:
        lo, hi = low.copy(), high.copy()
        for move in moves:
            column = contribution[:, move.issue, move.option]
            if vector[move.issue] == UNRESOLVED:
                lo += column - lowest[:, move.issue]
                hi += column - highest[:, move.issue]
            else:
                step = column - contribution[:, move.issue, vector[move.issue]]
                lo += step
                hi += step
        pushed = ((low >= threshold) & (lo < threshold)) | ((high >= threshold) & (hi < threshold))
        pushed[party] = False
        return sum(len(g.red_line_of) for g in moves), int(pushed.sum())

    return cost


def _conflicts(space: Space, vector: IntArray, fix: tuple[PointGain, ...],
               others: IntArray) -> tuple[Conflict, ...]:
    """The other parties that making ``fix`` in ``vector`` would make reject (see :class:`Conflict`)."""
    if not fix:
        return ()
    after = vector.copy()
    for move in fix:
        after[move.issue] = move.option
    low_before, high_before = utility_bounds(space, vector)
    low_after, high_after = utility_bounds(space, after)
    found = []
    for q in others:
        red = space.tables.red_lines[q]
        broken = tuple(m.issue for m in fix if red[m.issue, m.option]
                       and not (vector[m.issue] != UNRESOLVED and red[m.issue, vector[m.issue]]))
        r = float(space.reservation[q]) - UTILITY_TOLERANCE
        below = bool((low_before[q] >= r > low_after[q]) or (high_before[q] >= r > high_after[q]))
        if broken or below:
            found.append(Conflict(int(q), broken, below, (float(low_after[q]), float(high_after[q]))))
    return tuple(found)


#: Above this many candidate sets, the tie-break among smallest fixes falls back to greedy.
_TIE_BREAK_LIMIT = 20_000


def _smallest_fix(ranking: tuple[PointGain, ...], deficit: float,
                  alternatives: Mapping[int, PointGain] | None = None,
                  cost: Callable[[Sequence[PointGain]], tuple[int, int]] | None = None,
                  ) -> tuple[PointGain, ...]:
    """Required moves plus the fewest optional ones whose gains cover ``deficit``.

    The count is exact (largest gains first, each point at the party's best
    option).  Among the sets of that size — where a point may instead move to
    its alternative in ``alternatives`` (an option that is no one's red line,
    worth less to the party) — the one with the least ``cost`` to the other
    parties is chosen (red lines set first, then parties lowered below their
    reservation value), then the one with the least total gain (the least a
    party needs to ask for), by enumeration while there are at most
    ``_TIE_BREAK_LIMIT`` candidates; beyond that, the largest gains at the best
    options.
    """
    alternatives = alternatives or {}
    required = [g for g in ranking if g.required]
    optional = [g for g in ranking if not g.required]
    remaining = deficit - sum(g.gain for g in required)
    count, total = 0, 0.0
    if remaining > UTILITY_TOLERANCE:
        for gain in optional:  # sorted by gain, largest first
            count += 1
            total += gain.gain
            if total >= remaining - UTILITY_TOLERANCE:
                break
    spared = sum(1 for g in ranking if g.issue in alternatives)
    candidates = math.comb(len(optional), count) * 2 ** min(spared, len(required) + count)
    if candidates > _TIE_BREAK_LIMIT:
        return tuple(required + optional[:count])

    def choices(move: PointGain) -> list[PointGain]:
        return [move, alternatives[move.issue]] if move.issue in alternatives else [move]

    best: tuple[tuple[int, int, float, list[int]], tuple[PointGain, ...]] | None = None
    for combo in itertools.combinations(optional, count):
        for moves in itertools.product(*(choices(g) for g in required + list(combo))):
            gained = sum(g.gain for g in moves)
            if gained < deficit - UTILITY_TOLERANCE:
                continue
            key = (*(cost(moves) if cost is not None else (0, 0)), round(gained, 9),
                   [g.issue for g in moves])
            if best is None or key < best[0]:
                best = (key, moves)
    assert best is not None  # the largest gains at the best options cover the deficit
    chosen = best[1]
    return tuple(chosen[: len(required)]) + tuple(
        sorted(chosen[len(required):], key=lambda g: (-g.gain, g.issue)))


def evaluate_texts(space: Space,
                   texts: str | int | Iterable[str | int] | None = None) -> list[TextEvaluation]:
    """Evaluate the scenario's texts: all of them, or the ones given by id or index.

    Parameters
    ----------
    space
        The compiled scenario.
    texts
        Text ids or indices, or one of them alone (default: every text, in file order).

    Returns
    -------
    list of TextEvaluation
        One evaluation per text, in the order asked.

    Raises
    ------
    UnknownIdError
        When one of ``texts`` names no text.

    Examples
    --------
    >>> from accord.io.scenario_file import load
    >>> from accord.space import compile_scenario
    >>> space = compile_scenario(load("examples/job-offer.toml"))
    >>> evaluate_texts(space, texts=["revised", 0])
    [TextEvaluation(text=2, deal=None, parties=2, open_points=1), \
TextEvaluation(text=0, deal=False, parties=2, open_points=0)]
    >>> [e.deal for e in evaluate_texts(space)]
    [False, False, None]
    """
    chosen = range(len(space.text_ids)) if texts is None else space.text_indices(texts)
    assert chosen is not None
    return [evaluate_package(space, space.texts[t], text=int(t)) for t in chosen]
