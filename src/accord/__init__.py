"""accord: mediated multi-party negotiations over a single negotiating text.

The public API, re-exported here and loaded on first use (so that the command
line starts instantly)::

    import accord
    scenario = accord.load("examples/peace-plan-2025/scenario.toml")
    space = accord.compile_scenario(scenario)
    for evaluation in accord.evaluate_texts(space):
        ...
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str | tuple[str, str]] = {
    # model
    "Scenario": "accord.model",
    "Party": "accord.model",
    "Issue": "accord.model",
    "Option": "accord.model",
    "Preferences": "accord.model",
    "Text": "accord.model",
    "Role": "accord.model",
    "Statement": "accord.model",
    "Meeting": "accord.model",
    "Source": "accord.model",
    # files
    "load": "accord.io.scenario_file",
    "loads": "accord.io.scenario_file",
    "save": "accord.io.scenario_file",
    "json_schema": "accord.io.scenario_file",
    # numbers
    "Space": "accord.space",
    "compile_scenario": "accord.space",
    "UNRESOLVED": "accord.space",
    # analysis
    "evaluate_texts": "accord.analysis.evaluate",
    "evaluate_package": "accord.analysis.evaluate",
    "utility_bounds": "accord.analysis.evaluate",
    "blockers": "accord.analysis.evaluate",
    "diff_texts": "accord.analysis.diff",
    "lineage_diffs": "accord.analysis.diff",
    "pareto_frontier": "accord.analysis.pareto",
    "bargaining_solutions": "accord.analysis.bargaining",
    "genius_solutions": "accord.analysis.bargaining",
    "feasibility": "accord.analysis.feasibility",
    "amend": "accord.analysis.amend",
    "improve": "accord.analysis.improve",
    "build_model": "accord.analysis.uncertainty",
    "deal_chances": "accord.analysis.uncertainty",
    "robust_package": "accord.analysis.robust",
    "tornado": "accord.analysis.sensitivity",
    "sobol_indices": "accord.analysis.sensitivity",
    "preferences_from_ratings": "accord.analysis.elicit",
    "preview": "accord.analysis.elicit",
    "with_preferences": "accord.analysis.elicit",
    "with_walk_away": "accord.analysis.elicit",
    "next_question": "accord.analysis.elicit",
    "fit_choices": "accord.analysis.elicit",
    # forecasts
    "Capability": "accord.model",
    "SpatialProblem": "accord.forecast",
    "run_smp": "accord.forecast",
    "forecast_scenario": "accord.forecast.negotiation",
    "run_backtest": "accord.forecast.backtest",
    "read_ktab": "accord.io.ktab",
    "read_deu3": "accord.io.deu3",
    # foreign formats
    "load_genius": ("accord.io.genius", "load_folder"),
    "save_genius": ("accord.io.genius", "save_folder"),
    # reports
    "build_report": "accord.report.html",
    # result types (short reprs; their attributes hold indices into the Space)
    "TextEvaluation": "accord.analysis.evaluate",
    "PartyVerdict": "accord.analysis.evaluate",
    "Blockers": "accord.analysis.evaluate",
    "Reason": "accord.analysis.evaluate",
    "PointGain": "accord.analysis.evaluate",
    "Conflict": "accord.analysis.evaluate",
    "TextDiff": "accord.analysis.diff",
    "Feasibility": "accord.analysis.feasibility",
    "Amendment": "accord.analysis.amend",
    "AmendmentResult": "accord.analysis.amend",
    "Improvement": "accord.analysis.improve",
    "ImprovementResult": "accord.analysis.improve",
    "ParetoFrontier": "accord.analysis.pareto",
    "Preview": "accord.analysis.elicit",
    "Question": "accord.analysis.elicit",
    "Answer": "accord.analysis.elicit",
    "ChoiceFit": "accord.analysis.elicit",
    "party_utilities": "accord.analysis.nonlinear",
    "scenario_utilities": "accord.analysis.nonlinear",
    "capped_frontier": "accord.analysis.nonlinear",
    # errors: every class accord raises on purpose
    "AccordError": "accord.errors",
    "ScenarioError": "accord.errors",
    "AnalysisError": "accord.errors",
    "ExportError": "accord.errors",
    "FrontierTooLarge": "accord.errors",
    "OutputExists": "accord.errors",
    "TermsTooLarge": "accord.errors",
    "UnknownIdError": "accord.errors",
    "Problem": "accord.errors",
    "TournamentConfigError": "accord.errors",
}

__all__ = [
    "UNRESOLVED",
    "AccordError",
    "Amendment",
    "AmendmentResult",
    "AnalysisError",
    "Answer",
    "Blockers",
    "Capability",
    "ChoiceFit",
    "Conflict",
    "ExportError",
    "Feasibility",
    "FrontierTooLarge",
    "Improvement",
    "ImprovementResult",
    "Issue",
    "Meeting",
    "Option",
    "OutputExists",
    "ParetoFrontier",
    "Party",
    "PartyVerdict",
    "PointGain",
    "Preferences",
    "Preview",
    "Problem",
    "Question",
    "Reason",
    "Role",
    "Scenario",
    "ScenarioError",
    "Source",
    "Space",
    "SpatialProblem",
    "Statement",
    "TermsTooLarge",
    "Text",
    "TextDiff",
    "TextEvaluation",
    "TournamentConfigError",
    "UnknownIdError",
    "__version__",
    "amend",
    "bargaining_solutions",
    "blockers",
    "build_model",
    "build_report",
    "capped_frontier",
    "compile_scenario",
    "deal_chances",
    "diff_texts",
    "evaluate_package",
    "evaluate_texts",
    "feasibility",
    "fit_choices",
    "forecast_scenario",
    "genius_solutions",
    "improve",
    "json_schema",
    "lineage_diffs",
    "load",
    "load_genius",
    "loads",
    "next_question",
    "pareto_frontier",
    "party_utilities",
    "preferences_from_ratings",
    "preview",
    "read_deu3",
    "read_ktab",
    "robust_package",
    "run_backtest",
    "run_smp",
    "save",
    "save_genius",
    "scenario_utilities",
    "sobol_indices",
    "tornado",
    "utility_bounds",
    "with_preferences",
    "with_walk_away",
]


def __getattr__(name: str) -> Any:
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    module, attribute = target if isinstance(target, tuple) else (target, name)
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from accord.analysis.amend import Amendment, AmendmentResult, amend
    from accord.analysis.bargaining import bargaining_solutions, genius_solutions
    from accord.analysis.diff import TextDiff, diff_texts, lineage_diffs
    from accord.analysis.elicit import (
        Answer,
        ChoiceFit,
        Preview,
        Question,
        fit_choices,
        next_question,
        preferences_from_ratings,
        preview,
        with_preferences,
        with_walk_away,
    )
    from accord.analysis.evaluate import (
        Blockers,
        Conflict,
        PartyVerdict,
        PointGain,
        Reason,
        TextEvaluation,
        blockers,
        evaluate_package,
        evaluate_texts,
        utility_bounds,
    )
    from accord.analysis.feasibility import Feasibility, feasibility
    from accord.analysis.improve import Improvement, ImprovementResult, improve
    from accord.analysis.nonlinear import capped_frontier, party_utilities, scenario_utilities
    from accord.analysis.pareto import ParetoFrontier, pareto_frontier
    from accord.analysis.robust import robust_package
    from accord.analysis.sensitivity import sobol_indices, tornado
    from accord.analysis.uncertainty import build_model, deal_chances
    from accord.errors import (
        AccordError,
        AnalysisError,
        ExportError,
        FrontierTooLarge,
        OutputExists,
        Problem,
        ScenarioError,
        TermsTooLarge,
        TournamentConfigError,
        UnknownIdError,
    )
    from accord.forecast import SpatialProblem, run_smp
    from accord.forecast.backtest import run_backtest
    from accord.forecast.negotiation import forecast_scenario
    from accord.io.deu3 import read_deu3
    from accord.io.genius import load_folder as load_genius
    from accord.io.genius import save_folder as save_genius
    from accord.io.ktab import read_ktab
    from accord.io.scenario_file import json_schema, load, loads, save
    from accord.model import (
        Capability,
        Issue,
        Meeting,
        Option,
        Party,
        Preferences,
        Role,
        Scenario,
        Source,
        Statement,
        Text,
    )
    from accord.report.html import build_report
    from accord.space import UNRESOLVED, Space, compile_scenario
