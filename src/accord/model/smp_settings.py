"""The settings of KTAB's Spatial Model of Politics: plain values a KTAB file fills in.

They live in the model layer so that the KTAB reader (:mod:`accord.io.ktab`)
can build them without importing the forecasting code; :mod:`accord.forecast.smp`,
:mod:`accord.forecast.pce` and :mod:`accord.forecast.ktab_prng` re-export them
under their old names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "KTAB_DEFAULT_SEED",
    "MAX_ACTORS",
    "MIN_ACTORS",
    "BigRAdjust",
    "BigRRange",
    "InterVecBrgn",
    "PCEModel",
    "SMPBargnModel",
    "SmpParameters",
    "StateTransMode",
    "ThirdPartyCommit",
    "VPModel",
    "VotingRule",
]

#: ``KBase::dSeed``, the seed KTAB uses when none is given.
KTAB_DEFAULT_SEED = 0xD67CC16FE69C185C


class VotingRule(StrEnum):
    """How much influence an actor exerts for a difference in utility (KTAB ``VotingRule``)."""

    BINARY = "Binary"
    PROP_BIN = "PropBin"
    PROP = "Prop"
    PROP_CBC = "PropCbc"
    CUBIC = "Cubic"
    ASYM_PROSP = "ASymProsp"


class VPModel(StrEnum):
    """How the chance of victory grows with the ratio of coalition strengths (KTAB ``VPModel``)."""

    LINEAR = "Linear"
    SQUARE = "Square"
    QUARTIC = "Quartic"
    OCTIC = "Octic"
    BINARY = "Binary"


class PCEModel(StrEnum):
    """Which probabilistic Condorcet election turns pairwise chances into outcome chances."""

    CONDITIONAL = "Conditional"
    MARKOV_INCENTIVE = "MarkovIncentive"
    MARKOV_UNIFORM = "MarkovUniform"


#: KTAB's ``Model::maxNumActor``; also bounds the work (each state costs O(actors³)).
MAX_ACTORS = 250
#: Fewest actors KTAB accepts (``Model::minNumActor``).
MIN_ACTORS = 3


class StateTransMode(StrEnum):
    DETERMINISTIC = "Deterministic"
    STOCHASTIC = "Stochastic"


class BigRRange(StrEnum):
    MIN = "Min"
    MID = "Mid"
    MAX = "Max"


class BigRAdjust(StrEnum):
    NONE = "None"
    ONE_THIRD = "OneThird"
    HALF = "Half"
    TWO_THIRDS = "TwoThirds"
    FULL = "Full"


class ThirdPartyCommit(StrEnum):
    NO_COMMIT = "NoCommit"
    SEMI_COMMIT = "SemiCommit"
    FULL_COMMIT = "FullCommit"


class InterVecBrgn(StrEnum):
    S1P1 = "S1P1"
    S2P2 = "S2P2"
    S2PMAX = "S2PMax"


class SMPBargnModel(StrEnum):
    INIT_ONLY_INTERP = "InitOnlyInterp"
    INIT_RCVR_INTERP = "InitRcvrInterp"
    PW_COMP_INTERP = "PWCompInterp"


@dataclass(frozen=True)
class SmpParameters:
    """The SMP's model parameters (names and defaults as KTAB's XML ``ModelParameters``).

    ``min_iter``, ``max_iter``, ``min_delta_ratio`` and ``min_sig_delta`` are the
    stopping rule of KTAB's ``SMPModel::configExec``; ``seed`` feeds the stochastic
    state transitions (KTAB's default seed ``KBase::dSeed`` when not given).
    """

    victory_prob_model: VPModel = VPModel.LINEAR
    pce_model: PCEModel = PCEModel.CONDITIONAL
    state_transitions: StateTransMode = StateTransMode.DETERMINISTIC
    voting_rule: VotingRule = VotingRule.PROP
    big_r_adjust: BigRAdjust = BigRAdjust.ONE_THIRD
    big_r_range: BigRRange = BigRRange.MID
    third_party_commit: ThirdPartyCommit = ThirdPartyCommit.SEMI_COMMIT
    inter_vec_brgn: InterVecBrgn = InterVecBrgn.S2P2
    bargn_model: SMPBargnModel = SMPBargnModel.INIT_ONLY_INTERP
    seed: int = KTAB_DEFAULT_SEED
    min_iter: int = 2
    max_iter: int = 100
    min_delta_ratio: float = 0.02
    min_sig_delta: float = 1e-4

    def __post_init__(self) -> None:
        if not 1 <= self.max_iter <= 1000:
            raise ValueError(f"max_iter must be between 1 and 1000, got {self.max_iter}")
        if not 0 <= self.seed < 2 ** 64:
            raise ValueError("seed must be a 64-bit unsigned integer")
