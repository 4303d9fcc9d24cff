"""The terminal views, kept importable from here; they live in :mod:`accord.views`."""

from __future__ import annotations

from accord.views.cells import probability_cell, utility_bar, utility_cell, verdict_text
from accord.views.scenario import scenario_view
from accord.views.texts import diff_view, evaluation_view

__all__ = ["diff_view", "evaluation_view", "probability_cell", "scenario_view", "utility_bar",
           "utility_cell", "verdict_text"]
