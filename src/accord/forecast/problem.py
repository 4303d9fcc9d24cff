"""The one input every forecasting model takes: actors on policy dimensions.

The class lives in :mod:`accord.model.spatial` (plain data, so that the readers
in :mod:`accord.io` need no forecast code); this module keeps the old import
path working.
"""

from __future__ import annotations

from accord.model.spatial import SpatialProblem

__all__ = ["SpatialProblem"]
