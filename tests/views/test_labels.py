"""One label-and-id format for every view: ``Label (id)``, and the id once when the two agree."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from accord.analysis.bargaining import bargaining_solutions
from accord.io.genius import load_folder
from accord.io.scenario_file import load
from accord.space import UNRESOLVED, compile_scenario
from accord.views import solutions as solutions_view
from accord.views.labels import Labels, named

VIEWS = Path(__file__).resolve().parents[2] / "src" / "accord"


def _text(renderable: object) -> str:
    console = Console(width=400, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_named_by_hand() -> None:
    assert named("Ukraine", "ua") == "Ukraine (ua)"
    assert named("Maker", "Maker") == "Maker"
    assert named(" standard ", "standard") == "standard"
    assert named("", "plan-20") == "plan-20"
    assert named(None, "plan-20") == "plan-20"
    assert named("(open)", None) == "(open)"


def test_labels_name_every_kind(job_offer_path) -> None:  # type: ignore[no-untyped-def]
    scenario = load(job_offer_path)
    labels = Labels(scenario, compile_scenario(scenario))
    assert labels.party_named(0) == f"{scenario.parties[0].name} ({scenario.parties[0].id})"
    issue = scenario.issues[0]
    assert labels.issue_named(0) == f"{issue.title} ({issue.id})"
    assert labels.option_named(0, 0) == f"{issue.options[0].label} ({issue.options[0].id})"
    assert labels.option_named(0, UNRESOLVED) == "(open)"
    assert labels.text_named(0) == f"{scenario.texts[0].title} ({scenario.texts[0].id})"
    assert labels.text_named(None) == "(package)"


def test_genius_ids_are_not_printed_twice(genius_data) -> None:  # type: ignore[no-untyped-def]
    # A GENIUS party is named by its profile and an option's label is its id:
    # "Car-A-prof1 (Car-A-prof1)" and "standard (standard)" read as a stutter.
    scenario = load_folder(genius_data / "anac" / "y2012" / "CarA")
    space = compile_scenario(scenario)
    labels = Labels(scenario, space)
    out = _text(solutions_view.render(bargaining_solutions(space), labels))
    stutters = {m.group(0) for m in re.finditer(r"(?<![\w-])([\w-]+) \(\1\)", out)}
    assert not stutters, stutters
    assert space.party_ids[0] in out


def test_no_view_formats_label_and_id_by_hand() -> None:
    # One formatter: a view that writes "{label} ({id})" itself drifts from it.
    by_hand = re.compile(r"\{(?:escape\()?labels\.(?:party_name|issue_title|text_title|option_label)"
                         r"\([^)]*\)\)?\} \(\{")
    found = [f"{path.name}:{n}" for folder in ("views", "report")
             for path in sorted((VIEWS / folder).glob("*.py"))
             for n, line in enumerate(path.read_text().splitlines(), 1) if by_hand.search(line)]
    assert not found, found


def test_the_evaluate_and_diff_views_name_parties_and_points_with_ids(job_offer_path) -> None:  # type: ignore[no-untyped-def]
    from accord.analysis.diff import diff_texts
    from accord.analysis.evaluate import evaluate_texts
    from accord.views.texts import diff_view, evaluation_view

    scenario = load(job_offer_path)
    space = compile_scenario(scenario)
    labels = Labels(scenario, space)
    out = _text(evaluation_view(evaluate_texts(space), labels))
    diff = diff_texts(space, "offer", "counter")
    moved = _text(diff_view([diff], labels))
    for party in scenario.parties:
        if party.id in space.party_ids:
            assert f"{party.name} ({party.id})" in out and f"{party.name} ({party.id})" in moved
    for change in diff.changes:
        issue = scenario.issues[change.issue]
        assert f"{issue.title} ({issue.id})" in moved
