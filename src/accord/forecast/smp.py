"""KTAB's Spatial Model of Politics (SMP): actors challenge, bargain and move, state by state.

The model of KAPSARC's KTAB toolkit (B. Wise, L. Lester et al., "KTAB: the
KAPSARC Toolkit for Behavioral Analysis", and the SMP documentation in KTAB's
``examples/smp``), itself a descendant of Bueno de Mesquita's expected-utility
model ("Forecasting policy decisions: an expected utility approach to
post-Khomeini Iran", *PS* 17(2), 1984; *The Predictioneer's Game*, 2009).
Written from KTAB's method description and the behaviour of its reference
runs; parameter names and their defaults are KTAB's.  Positions and saliences
are on 0–100 outside and on 0–1 inside, as in KTAB.

One **state** holds every actor's position ``x_a`` and ideal point ``y_a`` (the
ideal tracks the position unless an ideal-adjustment matrix says otherwise).
From a state the next is built in five steps:

1. **Utilities.** ``d(a, b) = ‖(y_a − x_b)·s_a‖ / ‖s_a‖`` (salience-weighted
   distance), ``u = (1 − d)(1 + d·R)`` for a risk attitude ``R`` (KTAB's
   ``bsUtil``; ``(1 − d)(1 + R)`` when ``d > 1``).
2. **Risk attitudes.** With risk-neutral utilities ``1 − d`` every actor votes
   (weight = capability, ``VotingRule``) over every pair of positions; the
   probabilistic Condorcet election (``PCEModel``, ``VPModel``;
   :mod:`accord.forecast.pce`) gives each position a chance ``p_a`` of winning,
   and ``R_a`` rescales ``p_a`` between the least and the most likely
   (``BigRRange`` Mid: ``R ∈ [−1/2, 1]``).  Actor ``h`` perceives ``i``'s risk
   attitude as a blend of its own and ``i``'s (``BigRAdjust`` OneThird:
   ``(2R_h + R_i)/3``).
3. **Challenges.** Each actor ``i`` estimates, for every target ``j``, the chance
   that ``i`` beats ``j`` — its own and ``j``'s votes, plus every third party
   ``n``'s vote in the "little conflict" ``(i:j)`` (``ThirdPartyCommit``) — and
   the expected gain of challenging ``j`` over the status quo: with ``j``'s
   salience ``σ_j`` as the chance that ``j`` resists, ``(1 − σ_j)·2u_i(x_i) +
   σ_j·[P·2u_i(x_i) + (1 − P)·2u_i(x_j)] − [u_i(x_i) + u_i(x_j)]``.  It targets
   the ``j`` with the largest gain, if that gain exceeds 1e-5.
4. **Bargains.** A challenge becomes a bargain: both move toward each other
   dimension by dimension, the weights being ``(salience · chance)^2``
   (``InterVecBrgn`` S2P2), rounded to 4 decimals (KTAB's ``interpBrgnSnPm``).
5. **Resolution.** For each actor, its status quo and every bargain it is part
   of are put to a probabilistic Condorcet election among all actors (weight =
   capability; utility of a bargain = the mean utility of all positions after
   it); the most likely bargain wins (``StateTransitions`` Deterministic) or one
   is drawn with those chances from KTAB's own random stream (Stochastic,
   :mod:`accord.forecast.ktab_prng`).  Ideals then move: ``y' = A·x' +
   (1 − ΣA)·y``.

**Stopping rule** (KTAB's ``smpStopFn``): after step ``t``, stop when ``t ≥ 100``, or
when ``t ≥ 2`` and the step's movement ``Σ_a ‖x_a^t − x_a^{t−1}‖`` is below 2 % of the
first step's (plus 1e-4).

KTAB threads the challenges and the resolution; here they run in actor order
and a bargain list is ordered status quo first, then by initiator.  The order
only matters for exact ties (deterministic) and for which bargain a random draw
lands on (stochastic); :func:`run_smp` takes the order as an option so that a
run whose order was logged can be replayed.  Where KTAB's bargaining options
``InitRcvrInterp`` and ``PWCompInterp`` pass the target's expected *gain* (not
its probability) into the interpolation and weigh with the initiator's
capability twice, this module does the same, so that results match KTAB.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from accord.forecast.ktab_prng import KtabPrng
from accord.forecast.pce import VotingRule, coalitions, pce, scalar_pce, vote
from accord.forecast.problem import SpatialProblem
from accord.model.smp_settings import (
    MAX_ACTORS,
    MIN_ACTORS,
    BigRAdjust,
    BigRRange,
    InterVecBrgn,
    SMPBargnModel,
    SmpParameters,
    StateTransMode,
    ThirdPartyCommit,
)
from accord.space import FloatArray, IntArray

__all__ = [
    "MAX_ACTORS",
    "BigRAdjust",
    "BigRRange",
    "InterVecBrgn",
    "SMPBargnModel",
    "SmpParameters",
    "SmpRun",
    "StateTransMode",
    "ThirdPartyCommit",
    "ThreadSchedule",
    "run_smp",
]

#: KTAB's ``minSigEDU``: a challenge must be expected to gain more than this.
_MIN_GAIN = 1e-5
@dataclass(frozen=True, eq=False)
class SmpRun:
    """The states of one SMP run (state 0 = the input).

    Attributes:
        problem: the input.
        parameters: the model parameters used.
        positions: ``(T, A, D)`` every actor's position in every state, 0–100.
        ideals: ``(T, A, D)`` the ideal points (equal to the positions without ideal adjustment).
        win_probabilities: ``(T, A)`` the chance that the actor's position wins the state's
            probabilistic Condorcet election (actors sharing a position share its chance,
            so a column can sum to more than 1; KTAB's "winning probabilities").
        risk_attitudes: ``(T, A)`` the inferred risk attitudes ``R``.
        outcomes: ``(T, D)`` the expected outcome of each state: positions weighted by
            their chance of winning (each distinct position counted once).
        change_ratios: ``(T − 1,)`` each step's movement over the first step's.
        converged: True when the run stopped because the movement fell below the
            threshold, False when it hit ``max_iter``.
    """

    problem: SpatialProblem
    parameters: SmpParameters
    positions: FloatArray
    ideals: FloatArray
    win_probabilities: FloatArray
    risk_attitudes: FloatArray
    outcomes: FloatArray
    change_ratios: FloatArray
    converged: bool
    draws: tuple[int, ...] = field(default=())

    @property
    def n_states(self) -> int:
        return int(self.positions.shape[0])

    @property
    def forecast(self) -> FloatArray:
        """``(D,)`` the forecast: the expected outcome of the last state."""
        return self.outcomes[-1]

    def __repr__(self) -> str:
        shown = ", ".join(f"{value:.1f}" for value in self.forecast[:4])
        return (f"SmpRun({self.problem.n_actors} actors, {self.n_states} states, "
                f"{'converged' if self.converged else 'stopped at max_iter'}; forecast {shown})")


# ---------------------------------------------------------------------------
# utilities


def _bs_util(distance: FloatArray, risk: FloatArray | float) -> FloatArray:
    # KTAB's bsUtil; searches and round-off can push a distance slightly over 1.
    r = np.asarray(risk, dtype=np.float64)
    return np.where(distance <= 1.0, (1.0 - distance) * (1.0 + distance * r),
                    (1.0 - distance) * (1.0 + r))


def _distances(references: FloatArray, points: FloatArray, saliences: FloatArray) -> FloatArray:
    """``d[a, b]``: the salience-weighted distance from ``references[a]`` to ``points[b]``."""
    diff = (references[:, None, :] - points[None, :, :]) * saliences[:, None, :]
    return np.sqrt((diff ** 2).sum(axis=2) / (saliences ** 2).sum(axis=1)[:, None])


def _big_r(p: FloatArray, rng: BigRRange) -> FloatArray:
    low, high = float(p.min()), float(p.max())
    if high - low <= 0.0:
        # Every position equally likely: nobody is more or less risk-averse than another.
        return np.zeros_like(p)
    if rng is BigRRange.MIN:
        return (p - low) / (high - low)
    if rng is BigRRange.MID:
        return (3 * p - (high + 2 * low)) / (2 * (high - low))
    return (2 * p - (high + low)) / (high - low)


#: (α, β) with h's perception of i's risk attitude = α·R_h + β·R_i (KTAB ``estNRA``).
_BLEND = {
    BigRAdjust.FULL: (0.0, 1.0),
    BigRAdjust.TWO_THIRDS: (1.0 / 3.0, 2.0 / 3.0),
    BigRAdjust.HALF: (0.5, 0.5),
    BigRAdjust.ONE_THIRD: (2.0 / 3.0, 1.0 / 3.0),
    BigRAdjust.NONE: (1.0, 0.0),
}


@dataclass(frozen=True, eq=False)
class _Assessment:
    """What every actor thinks of one state.

    ``u = (1 − d)(1 + d′·r)`` is affine in the risk attitude ``r`` (``d′ = min(d, 1)``),
    so h's whole view ``U_h[a, b] = base[a, b] + α·R_h·slope[a, b]`` costs two array
    operations once ``base`` (with ``β·R_a``) and ``slope`` are known.
    """

    distance: FloatArray    # (A, A) ideal of a to position of b
    risk: FloatArray        # (A,) inferred risk attitudes
    own: FloatArray         # (A, A) u_a(x_b) with a's own risk attitude
    base_t: FloatArray      # (A, A) transposed: base[a, b] at [b, a]
    slope_t: FloatArray     # (A, A) transposed
    alpha: float

    def view(self, h: int) -> _View:
        """h's estimates of everyone's utilities."""
        return _View(self, float(self.alpha * self.risk[h]))


@dataclass(frozen=True, eq=False)
class _View:
    """``U_h`` transposed, computed row by row: ``[b, a]`` = h's estimate of ``u_a(x_b)``."""

    assessment: _Assessment
    shift: float

    def rows(self, b: IntArray) -> FloatArray:
        return self.assessment.base_t[b] + self.shift * self.assessment.slope_t[b]

    def column(self, a: int) -> FloatArray:
        return self.assessment.base_t[:, a] + self.shift * self.assessment.slope_t[:, a]

    @property
    def diagonal(self) -> FloatArray:
        return np.diagonal(self.assessment.base_t) + self.shift * np.diagonal(self.assessment.slope_t)


def _assess(positions: FloatArray, ideals: FloatArray, saliences: FloatArray,
            capabilities: FloatArray, params: SmpParameters) -> _Assessment:
    distance = _distances(ideals, positions, saliences)
    neutral = 1.0 - distance
    c = coalitions(capabilities, neutral, params.voting_rule)
    chances, _ = pce(params.pce_model, params.victory_prob_model, c)
    risk = _big_r(chances, params.big_r_range)
    own = _bs_util(distance, risk[:, None])
    alpha, beta = _BLEND[params.big_r_adjust]
    slope = neutral * np.minimum(distance, 1.0)
    base = neutral + slope * (beta * risk[:, None])
    return _Assessment(distance, risk, own, np.ascontiguousarray(base.T),
                       np.ascontiguousarray(slope.T), alpha)


# ---------------------------------------------------------------------------
# challenges


def _challenges(i: int, view: _View, weight: FloatArray, total_salience: FloatArray,
                params: SmpParameters, targets: IntArray) -> tuple[FloatArray, FloatArray]:
    """``(P[i > j], expected gain to i of challenging j)`` for the targets ``j`` given.

    ``view`` is the estimator's view of everyone's utilities; ``weight`` is
    capability × total salience.  Rows are targets ``j``, columns third parties
    ``n``; ``i`` must not be among the targets.
    """
    rule = params.voting_rule
    diag = view.diagonal
    u_t = view.rows(targets)                               # [j, n] = u_n(x_j)
    u_ii = diag[i]
    u_ij = u_t[:, i]                                       # i's utility for each j's position
    u_ni = view.rows(np.array([i]))[0]                     # each n's utility for i's position
    contrib_i = vote(rule, weight[i], u_ii, u_ij)          # i's own vote in (i:j), over j
    contrib_j = vote(rule, weight[targets], u_ni[targets], diag[targets])  # j's own vote
    c_ij0 = 1e-10 + np.maximum(contrib_i, 0.0) + np.maximum(contrib_j, 0.0)
    c_ji0 = 1e-10 + np.maximum(-contrib_i, 0.0) + np.maximum(-contrib_j, 0.0)
    # Third party n in contest (i:j) weighs in on the little conflict of i, j and itself,
    # starting afresh from the principals' contributions (KTAB's vProbLittle).
    first = vote(rule, weight, u_ni, u_t)                  # [j, n]: u_t[j, n] = u_n(x_j)
    p_in = np.maximum(first, 0.0)
    p_in += c_ij0[:, None]
    np.abs(first, out=first)
    first += (c_ij0 + c_ji0)[:, None]
    p_in /= first
    # Its vote compares joining i (ik vs j) with joining j (i vs jk), each the chance-
    # weighted sum of three position utilities (KTAB's thirdPartyVoteSU).
    commit = params.third_party_commit
    if rule is VotingRule.PROP and commit is ThirdPartyCommit.SEMI_COMMIT:
        # join_i − join_j = p·(u_nn − u_ni) + (1 − p)·(u_nj − u_nn), in place.
        third = u_t - diag
        gap = (diag - u_ni) - third
        gap *= p_in
        third += gap
        third *= weight
    else:
        u_nj, u_nn, u_ni2 = u_t, diag[None, :], u_ni[None, :]
        if commit is ThirdPartyCommit.FULL_COMMIT:
            ik_beats_j, j_beats_ik, i_beats_jk, jk_beats_i = 3 * u_ni2, 3 * u_nj, 3 * u_ni2, 3 * u_nj
        elif commit is ThirdPartyCommit.SEMI_COMMIT:
            ik_beats_j, j_beats_ik = 2 * u_ni2 + u_nn, 3 * u_nj
            i_beats_jk, jk_beats_i = 3 * u_ni2, 2 * u_nj + u_nn
        else:
            ik_beats_j, j_beats_ik = 2 * u_ni2 + u_nn, 2 * u_nj + u_nn
            i_beats_jk, jk_beats_i = 2 * u_ni2 + u_nn, 2 * u_nj + u_nn
        join_i = p_in * ik_beats_j + (1.0 - p_in) * j_beats_ik
        join_j = p_in * i_beats_jk + (1.0 - p_in) * jk_beats_i
        third = vote(rule, weight[None, :], join_i, join_j)
    third[:, i] = 0.0
    third[np.arange(len(targets)), targets] = 0.0          # n = j is a principal, not a third party
    net = third.sum(axis=1)
    total = np.abs(third, out=third).sum(axis=1)
    # Σ max(v, 0) = (Σ|v| + Σv)/2: the support for i; the rest of Σ|v| supports j.
    p_ij = (c_ij0 + (total + net) / 2.0) / (c_ij0 + c_ji0 + total)
    status_quo = u_ii + u_ij
    victory = 2.0 * u_ii
    defeat = 2.0 * u_ij
    s_j = total_salience[targets]
    challenge = (1.0 - s_j) * victory + s_j * (p_ij * victory + (1.0 - p_ij) * defeat)
    return p_ij, challenge - status_quo


# ---------------------------------------------------------------------------
# bargains


def _round4(x: FloatArray) -> FloatArray:
    # KTAB's round4: (int)(0.5 + 10000·x) / 10000 (positions are never negative).
    return np.trunc(0.5 + x * 10000.0) / 10000.0


def _interpolate(t_i: FloatArray, s_i: FloatArray, p_i: float, t_j: FloatArray, s_j: FloatArray,
                 p_j: float, how: InterVecBrgn) -> tuple[FloatArray, FloatArray]:
    min_w = 1e-6
    if how is InterVecBrgn.S2PMAX:
        d_i = max(0.0, p_j - p_i)
        d_j = max(0.0, p_i - p_j)
        d_ik = (d_i * s_j ** 2) / ((d_i * s_j ** 2) + min_w + ((1 - d_i) * s_i ** 2))
        d_jk = (d_j * s_i ** 2) / ((d_j * s_i ** 2) + min_w + ((1 - d_j) * s_j ** 2))
        return t_i + d_ik * (t_j - t_i), t_j + d_jk * (t_i - t_j)
    power = 1 if how is InterVecBrgn.S1P1 else 2
    w_i = s_i ** power * p_i ** power
    w_j = s_j ** power * p_j ** power
    # With w_i = 0 = w_j (neither cares, or neither can coerce) each keeps its position;
    # the tiny asymmetric weight makes that so without 0/0.
    b_i = _round4(((w_i + min_w) * t_i + w_j * t_j) / (w_i + min_w + w_j))
    b_j = _round4((w_i * t_i + (min_w + w_j) * t_j) / (w_i + min_w + w_j))
    return b_i, b_j


@dataclass(frozen=True, eq=False)
class _Bargain:
    initiator: int
    receiver: int
    initiator_position: FloatArray
    receiver_position: FloatArray


@dataclass(frozen=True)
class ThreadSchedule:
    """The order in which KTAB's threads happened to run in one logged run, to replay it.

    KTAB builds each actor's bargain list and draws the stochastic choices in
    parallel threads, so their order depends on timing; its log records both.

    Attributes:
        bargain_lists: ``(state, actor) → [(initiator, receiver), …]``, the actor's
            bargains in KTAB's order; the status quo is ``(actor, actor)``.
        resolution_order: ``state → [actor, …]``, the order in which the actors'
            bargains were resolved (and random numbers drawn).
    States or actors not given use this module's order.
    """

    bargain_lists: Mapping[tuple[int, int], Sequence[tuple[int, int]]] = field(default_factory=dict)
    resolution_order: Mapping[int, Sequence[int]] = field(default_factory=dict)

    def ranking(self, state: int, actor: int, pairs: list[tuple[int, int]]) -> list[int]:
        listed = self.bargain_lists.get((state, actor))
        if listed is None:
            return list(range(len(pairs)))
        if sorted(listed) != sorted(pairs):
            raise ValueError(f"the schedule lists bargains {list(listed)} for actor {actor} in state "
                             f"{state}, but the model formed {pairs}")
        return [pairs.index(pair) for pair in listed]

    def actors(self, state: int, n: int) -> list[int]:
        order = self.resolution_order.get(state)
        if order is None:
            return list(range(n))
        if sorted(order) != list(range(n)):
            raise ValueError(f"the resolution order of state {state} is not a permutation of the actors")
        return list(order)


def _bargains(state: int, positions: FloatArray, saliences: FloatArray, capabilities: FloatArray,
              assessment: _Assessment, params: SmpParameters) -> list[_Bargain]:
    n = positions.shape[0]
    total_salience = saliences.sum(axis=1)
    weight = capabilities * total_salience
    found: list[_Bargain] = []
    for i in range(n):
        view = assessment.view(i)
        # The gain is affine in the chance of winning P ∈ [0, 1]: u_ii − u_ij at P = 1 and
        # (1 − 2σ_j)(u_ii − u_ij) at P = 0.  Targets whose best case cannot reach another
        # target's worst case cannot be the best target, so only the rest are computed.
        mine_for_others = view.column(i)
        at_one = mine_for_others[i] - mine_for_others
        at_zero = (1.0 - 2.0 * total_salience) * at_one
        best_case = np.maximum(at_one, at_zero)
        worst_case = np.minimum(at_one, at_zero)
        best_case[i] = worst_case[i] = -np.inf
        floor = max(float(worst_case.max()), _MIN_GAIN) - 1e-12
        targets = np.flatnonzero(best_case >= floor)
        if targets.size == 0:
            continue
        p_ij, gain = _challenges(i, view, weight, total_salience, params, targets)
        # KTAB keeps the first largest gain above 1e-5 (targets scanned in index order).
        best = int(np.argmax(gain))
        if not gain[best] > _MIN_GAIN:
            continue
        j = int(targets[best])
        p = float(p_ij[best])
        b_i, b_j = _interpolate(positions[i], saliences[i], p, positions[j], saliences[j], 1 - p,
                                params.inter_vec_brgn)
        mine = _Bargain(i, j, b_i, b_j)
        if params.bargn_model is SMPBargnModel.INIT_ONLY_INTERP:
            found.append(mine)
            continue
        # KTAB's J-perspective bargain: its "probability" is the second element of
        # probEduChlg(j, i, i, j), i.e. j's estimate of i's expected gain.
        _, gain_j = _challenges(i, assessment.view(j), weight, total_salience, params,
                                np.array([j]))
        q = float(gain_j[0])
        c_i, c_j = _interpolate(positions[i], saliences[i], q, positions[j], saliences[j], 1 - q,
                                params.inter_vec_brgn)
        theirs = _Bargain(i, j, c_i, c_j)
        if params.bargn_model is SMPBargnModel.INIT_RCVR_INTERP:
            found.extend((mine, theirs))
            continue
        # KTAB weighs both halves with the initiator's capability (times each one's salience).
        w_i = capabilities[i] * total_salience[i]
        w_j = capabilities[i] * total_salience[j]
        found.append(_Bargain(i, j, (w_i * b_i + w_j * c_i) / (w_i + w_j),
                              (w_i * b_j + w_j * c_j) / (w_i + w_j)))
    return found


def _resolve(positions: FloatArray, references: FloatArray, saliences: FloatArray,
             capabilities: FloatArray, assessment: _Assessment, bargains: list[_Bargain],
             params: SmpParameters, prng: KtabPrng, state: int, schedule: ThreadSchedule,
             draws: list[int]) -> FloatArray:
    n = positions.shape[0]
    own = assessment.own
    row_total = own.sum(axis=1)
    status_quo = row_total / n
    # u_a(state after bargain b): the mean of a's utilities for every position, with the
    # initiator's and the receiver's replaced by the bargain's (KTAB's brgnUtil).
    if bargains:
        starts = np.stack([b.initiator_position for b in bargains])
        ends = np.stack([b.receiver_position for b in bargains])
        init = np.array([b.initiator for b in bargains])
        rcvr = np.array([b.receiver for b in bargains])
        at_i = _bs_util(_distances(references, starts, saliences), assessment.risk[:, None])
        at_r = _bs_util(_distances(references, ends, saliences), assessment.risk[:, None])
        values = (at_i + at_r + (row_total[:, None] - own[:, init] - own[:, rcvr])) / n
    involved: list[list[int]] = [[] for _ in range(n)]
    for m, b in enumerate(bargains):
        involved[b.initiator].append(m)
        involved[b.receiver].append(m)
    # Every actor's election among its status quo and bargains; actors with the same number
    # of options are voted on in one batch (the elections are independent).
    order = schedule.actors(state, n)
    rankings: dict[int, list[int]] = {}
    groups: dict[int, list[int]] = {}
    for k in order:
        pairs: list[tuple[int, int]] = [(k, k)] + [(bargains[m].initiator, bargains[m].receiver)
                                                   for m in involved[k]]
        rankings[k] = schedule.ranking(state, k, pairs)
        groups.setdefault(len(pairs), []).append(k)
    chances: dict[int, FloatArray] = {}
    for size, members in groups.items():
        if size == 1:
            for k in members:
                chances[k] = np.ones(1)
            continue
        utilities = np.stack([
            np.stack([status_quo if index == 0 else values[:, involved[k][index - 1]]
                      for index in rankings[k]], axis=1)
            for k in members])
        batch = scalar_pce(capabilities, utilities, params.voting_rule,
                           params.victory_prob_model, params.pce_model)
        for k, row in zip(members, batch, strict=True):
            chances[k] = row
    new = np.array(positions)
    for k in order:
        if params.state_transitions is StateTransMode.DETERMINISTIC:
            chosen = int(np.argmax(chances[k]))
        else:
            chosen = prng.select([float(c) for c in chances[k]])
            draws.append(chosen)
        index = rankings[k][chosen]
        if index == 0:
            continue
        b = bargains[involved[k][index - 1]]
        new[k] = b.initiator_position if b.initiator == k else b.receiver_position
    return new


def _win_chances(positions: FloatArray, capabilities: FloatArray, assessment: _Assessment,
                 params: SmpParameters) -> tuple[FloatArray, FloatArray]:
    """Per-actor winning chances and the expected outcome (0–1 scale) of one state."""
    n = positions.shape[0]
    same = np.sqrt(((positions[:, None, :] - positions[None, :, :]) ** 2).sum(axis=2)) \
        < _POSITION_TOLERANCE
    unique: list[int] = []
    for a in range(n):
        if not same[a, unique].any():
            unique.append(a)
    # KTAB's pDist: votes weighted by capability, each actor's own utilities.
    chances = scalar_pce(capabilities, assessment.own[:, unique], params.voting_rule,
                         params.victory_prob_model, params.pce_model)
    # KTAB's posProb takes the last distinct position equivalent to the actor's.
    match = same[:, unique]
    last = match.shape[1] - 1 - np.argmax(match[:, ::-1], axis=1)
    outcome = (chances[:, None] * positions[unique]).sum(axis=0) / chances.sum()
    return chances[last], outcome


#: KTAB's ``SMPModel::posTol`` (0.1 on the 0–100 scale): positions closer are the same.
_POSITION_TOLERANCE = 1e-3


def run_smp(problem: SpatialProblem, parameters: SmpParameters | None = None, *,
            accommodation: FloatArray | None = None,
            schedule: ThreadSchedule | None = None) -> SmpRun:
    """Run KTAB's Spatial Model of Politics on ``problem`` until it settles.

    Parameters
    ----------
    problem
        Actors with positions and saliences (0–100) and capabilities.  Each actor's
        saliences must sum to at most 100 and to more than 0, as KTAB requires.
    parameters
        Model parameters; KTAB's defaults when omitted.
    accommodation
        ``(A, A)`` ideal-adjustment matrix ``A[i, j]`` (the rate at which i's ideal
        moves toward j's position; rows sum to at most 1).  Identity when omitted:
        ideals track positions.
    schedule
        Replays the thread-dependent order of a logged KTAB run (see
        :class:`ThreadSchedule`); this module's order when omitted.

    Returns
    -------
    SmpRun
        Every state's positions, ideals, winning chances and expected outcome.

    Examples
    --------
    Three equally salient, equally capable actors spread evenly over a scale
    meet at its centre, by symmetry:

    >>> from accord.forecast import SpatialProblem, run_smp
    >>> problem = SpatialProblem(("a", "b", "c"), ("x",), [[10.0], [50.0], [90.0]],
    ...                          [[50.0], [50.0], [50.0]], [1.0, 1.0, 1.0])
    >>> run = run_smp(problem)
    >>> run.converged, [round(float(x), 6) for x in run.positions[-1, :, 0]]
    (True, [50.0, 50.0, 50.0])
    """
    params = parameters or SmpParameters()
    n = problem.n_actors
    if not MIN_ACTORS <= n <= MAX_ACTORS:
        raise ValueError(f"the SMP needs between {MIN_ACTORS} and {MAX_ACTORS} actors, got {n}")
    saliences = problem.saliences / 100.0
    totals = saliences.sum(axis=1)
    if (totals <= 0).any():
        raise ValueError("every actor needs a positive salience on some dimension")
    if (totals > 1.0 + 1e-9).any():
        raise ValueError("an actor's saliences may sum to at most 100 over all dimensions")
    capabilities = problem.capabilities
    if (capabilities <= 0).any():
        raise ValueError("the SMP needs every capability to be positive")
    adjust = np.eye(n) if accommodation is None else np.asarray(accommodation, dtype=np.float64)
    if adjust.shape != (n, n) or (adjust < 0).any() or (adjust > 1).any() \
            or (adjust.sum(axis=1) > 1.0 + 1e-10).any():
        raise ValueError("the ideal-adjustment matrix must be actors × actors with entries in "
                         "[0, 1] and rows summing to at most 1")
    lag = 1.0 - np.minimum(adjust.sum(axis=1), 1.0)
    prng = KtabPrng(params.seed)

    positions = [problem.positions / 100.0]
    ideals = [np.array(positions[0])]
    assessments = [_assess(positions[0], ideals[0], saliences, capabilities, params)]
    first_step = 0.0
    ratios: list[float] = []
    draws: list[int] = []
    converged = False
    for step in range(1, params.max_iter + 1):
        x, y, assessment = positions[-1], ideals[-1], assessments[-1]
        bargains = _bargains(step - 1, x, saliences, capabilities, assessment, params)
        # KTAB's posUtil measures a bargain from the actor's current position.
        x_new = _resolve(x, y, saliences, capabilities, assessment, bargains, params, prng,
                         step - 1, schedule or ThreadSchedule(), draws)
        y_new = adjust @ x_new + lag[:, None] * y
        positions.append(x_new)
        ideals.append(y_new)
        assessments.append(_assess(x_new, y_new, saliences, capabilities, params))
        moved = float(np.linalg.norm(x_new - x, axis=1).sum())
        if step == 1:
            first_step = moved + params.min_sig_delta
        ratios.append(moved / first_step)
        if step >= params.min_iter and ratios[-1] < params.min_delta_ratio:
            converged = True
            break

    wins, outcomes = zip(*(_win_chances(x, capabilities, a, params)
                           for x, a in zip(positions, assessments, strict=True)), strict=True)
    return SmpRun(
        problem=problem,
        parameters=params,
        positions=np.stack(positions) * 100.0,
        ideals=np.stack(ideals) * 100.0,
        win_probabilities=np.stack(wins),
        risk_attitudes=np.stack([a.risk for a in assessments]),
        outcomes=np.stack(outcomes) * 100.0,
        change_ratios=np.array(ratios),
        converged=converged,
        draws=tuple(draws),
    )
