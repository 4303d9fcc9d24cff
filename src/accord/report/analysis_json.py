"""The JSON forms of the package analyses, kept importable from here; they live in :mod:`accord.views`.

Numbers are at full precision (:func:`accord.views.numbers.exact`).
"""

from __future__ import annotations

from accord.views.amend import improvement_to_dict
from accord.views.amend import to_dict as amendment_to_dict
from accord.views.frontier import to_dict as frontier_to_dict
from accord.views.packages import CHANGE_RULE as AMENDMENT_CONVENTION
from accord.views.packages import positions
from accord.views.solutions import feasibility_to_dict
from accord.views.solutions import to_dict as solutions_to_dict

__all__ = [
    "AMENDMENT_CONVENTION",
    "amendment_to_dict",
    "feasibility_to_dict",
    "frontier_to_dict",
    "improvement_to_dict",
    "positions",
    "solutions_to_dict",
]
