"""The one input every forecasting model takes: actors on policy dimensions.

A :class:`SpatialProblem` is the actor-attribute table of the expected-utility
and spatial-bargaining tradition (Bueno de Mesquita, *The Predictioneer's
Game*, 2009; Thomson, Stokman, Achen & König, *The European Union Decides*,
2006): for actor ``a`` and dimension ``d`` a **position** ``x[a, d]`` on a
0–100 scale, a **salience** ``s[a, d]`` (how much the dimension matters to the
actor, 0–100), and a **capability** ``c[a]`` (how much weight the actor carries;
only ratios matter).  KTAB scenarios, DEU III issues and accord negotiations
are all read into this one structure.

:class:`BacktestData` is the other plain input: the DEU III issues as arrays,
for :func:`accord.forecast.backtest.run_backtest`.  Both are data only, so they
live in the model layer and the readers in :mod:`accord.io` need no forecast code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

__all__ = ["BacktestData", "SpatialProblem"]


@dataclass(frozen=True, eq=False)
class SpatialProblem:
    """Actors' positions, saliences and capabilities on one or more dimensions.

    Attributes:
        actors: actor ids, one per row.
        dimensions: dimension names, one per column.
        positions: ``(A, D)`` positions on 0–100.
        saliences: ``(A, D)`` saliences on 0–100 (0 = the dimension does not matter).
        capabilities: ``(A,)`` non-negative capabilities (only ratios matter).
        names: optional human labels of the actors (defaults to the ids).
    """

    actors: tuple[str, ...]
    dimensions: tuple[str, ...]
    positions: FloatArray
    saliences: FloatArray
    capabilities: FloatArray
    names: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        positions = np.array(self.positions, dtype=np.float64, ndmin=2)
        saliences = np.array(self.saliences, dtype=np.float64, ndmin=2)
        capabilities = np.array(self.capabilities, dtype=np.float64, ndmin=1)
        shape = (len(self.actors), len(self.dimensions))
        if positions.shape != shape or saliences.shape != shape:
            raise ValueError(f"positions and saliences must be {shape} (actors × dimensions), got "
                             f"{positions.shape} and {saliences.shape}")
        if capabilities.shape != (len(self.actors),):
            raise ValueError(f"capabilities must have one entry per actor ({len(self.actors)}), "
                             f"got {capabilities.shape}")
        for label, array in (("positions", positions), ("saliences", saliences),
                             ("capabilities", capabilities)):
            if not np.isfinite(array).all():
                raise ValueError(f"{label} must be finite numbers")
        if ((positions < 0) | (positions > 100)).any():
            raise ValueError("positions must lie on the 0–100 scale")
        if ((saliences < 0) | (saliences > 100)).any():
            raise ValueError("saliences must lie on the 0–100 scale")
        if (capabilities < 0).any():
            raise ValueError("capabilities must not be negative")
        for array in (positions, saliences, capabilities):
            array.setflags(write=False)
        object.__setattr__(self, "positions", positions)
        object.__setattr__(self, "saliences", saliences)
        object.__setattr__(self, "capabilities", capabilities)
        if not self.names:
            object.__setattr__(self, "names", tuple(self.actors))
        elif len(self.names) != len(self.actors):
            raise ValueError("names must have one entry per actor")

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    @property
    def n_dimensions(self) -> int:
        return len(self.dimensions)

    def dimension(self, index: int) -> SpatialProblem:
        """The one-dimensional problem of dimension ``index``."""
        return SpatialProblem(self.actors, (self.dimensions[index],),
                              self.positions[:, [index]], self.saliences[:, [index]],
                              self.capabilities, self.names)

    def subset(self, actors: Sequence[int]) -> SpatialProblem:
        """The problem restricted to the actors at the given row indices."""
        rows = list(actors)
        return SpatialProblem(tuple(self.actors[r] for r in rows), self.dimensions,
                              self.positions[rows], self.saliences[rows],
                              self.capabilities[rows], tuple(self.names[r] for r in rows))

    def __repr__(self) -> str:
        return (f"SpatialProblem({self.n_actors} actors × {self.n_dimensions} dimensions: "
                f"{', '.join(self.dimensions[:3])}{'…' if self.n_dimensions > 3 else ''})")


@dataclass(frozen=True, eq=False)
class BacktestData:
    """The issues as arrays (actors in columns; NaN where an actor has no position).

    ``capability_base`` is the per-actor figure ``g`` raised to ``α`` (all ones when
    the data have none); the group labels drive the breakdowns.  The first two
    actors are taken to be the Commission and the Parliament (as in DEU III) by
    the models that weigh them apart; ``reference_points`` (NaN where none is
    recorded; None: no such column) feed the reference-point models.
    """

    issues: tuple[str, ...]
    proposals: tuple[str, ...]
    councils: tuple[str, ...]
    procedures: tuple[str, ...]
    voting_rules: tuple[str, ...]
    actors: tuple[str, ...]
    positions: FloatArray
    saliences: FloatArray
    outcomes: FloatArray
    capability_base: FloatArray
    reference_points: FloatArray | None = None
