"""The evaluate view says, in words, whose red lines a party's smallest fix runs into."""

from __future__ import annotations

import re

from rich.console import Console

from accord.analysis.evaluate import evaluate_texts
from accord.io.scenario_file import load
from accord.space import UNRESOLVED, compile_scenario
from accord.views.labels import Labels
from accord.views.texts import evaluation_to_dict, evaluation_view


def test_smallest_fix_conflicts_are_shown(peace_plan_path) -> None:  # type: ignore[no-untyped-def]
    scenario = load(peace_plan_path)
    space = compile_scenario(scenario)
    labels = Labels(scenario, space)
    t = space.text_ids.index("plan-28")
    (evaluation,) = evaluate_texts(space, [t])
    console = Console(width=400, record=True, color_system=None)
    console.print(evaluation_view([evaluation], labels))
    out = re.sub(r"\s+", " ", console.export_text())
    data = evaluation_to_dict(evaluation, labels)
    text = space.texts[t]
    seen = 0
    for verdict in evaluation.parties:
        if verdict.blockers is None or not verdict.blockers.smallest_fix:
            continue
        fixed = text.copy()
        for move in verdict.blockers.smallest_fix:
            fixed[move.issue] = move.option
            # By hand: the other parties with a red line on the option the fix moves to.
            others = [q for q in range(space.n_parties)
                      if q != verdict.party and space.red_lines[q, move.issue, move.option]]
            entry = next(m for m in data["parties"][space.party_ids[verdict.party]]["blockers"]
                         ["smallest_fix"] if m["issue"] == space.issue_ids[move.issue])
            assert entry["red_line_of"] == [space.party_ids[q] for q in others]
            if others:
                names = " and ".join(labels.party_named(q) for q in others)
                assert f"{labels.option_label(move.issue, move.option)} (a red line of {names})" in out
                seen += 1
        conflicts = data["parties"][space.party_ids[verdict.party]]["blockers"]["conflicts"]
        for q in range(space.n_parties):
            broken = [space.issue_ids[i] for i in range(space.n_issues)
                      if space.red_lines[q, i, fixed[i]] and fixed[i] != text[i]
                      and not (text[i] != UNRESOLVED and space.red_lines[q, i, text[i]])]
            if q != verdict.party and broken:
                (found,) = [c for c in conflicts if c["party"] == space.party_ids[q]]
                assert found["red_lines"] == broken
                assert f"with that fix, {labels.party_named(q)} would then reject the text" in out
    # On the 28-point plan, Ukraine's fix on Donetsk is one of Russia's red lines.
    assert seen >= 1
