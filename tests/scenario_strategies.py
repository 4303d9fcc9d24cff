"""Hypothesis strategies for random, valid scenarios (small enough to enumerate)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from accord.model import Scenario

# Values on a coarse grid make exact ties (and utilities exactly at a reservation value) common.
_value = st.one_of(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), st.floats(0, 1))


@st.composite
def scenarios(draw: st.DrawFn, max_parties: int = 4, max_issues: int = 5, max_options: int = 4,
              max_texts: int = 3) -> Scenario:
    n_parties = draw(st.integers(2, max_parties))
    n_issues = draw(st.integers(1, max_issues))
    option_counts = [draw(st.integers(1, max_options)) for _ in range(n_issues)]
    party_ids = [f"p{k}" for k in range(n_parties)]
    issue_ids = [f"i{k}" for k in range(n_issues)]
    issues = [
        {"id": issue_ids[i], "title": f"Issue {i}",
         "options": [{"id": f"o{o}", "label": f"Option {o}"} for o in range(option_counts[i])]}
        for i in range(n_issues)
    ]
    preferences: dict[str, Any] = {}
    for p in party_ids:
        weighted = draw(st.lists(st.sampled_from(issue_ids), min_size=1, unique=True))
        weights = {i: draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])) for i in weighted}
        values = {
            i: {f"o{o}": draw(_value) for o in range(option_counts[issue_ids.index(i)])}
            for i in weighted
        }
        red_lines: dict[str, list[str]] = {}
        for i, count in zip(issue_ids, option_counts, strict=True):
            if count > 1 and draw(st.integers(0, 4)) == 0:
                red_lines[i] = [f"o{draw(st.integers(0, count - 1))}"]
        preferences[p] = {"weights": weights, "values": values, "red_lines": red_lines,
                          "reservation": draw(st.sampled_from([0.0, 0.3, 0.5, 0.7]))}
    texts = []
    for t in range(draw(st.integers(1, max_texts))):
        positions = {}
        for i, count in zip(issue_ids, option_counts, strict=True):
            choice = draw(st.integers(-1, count - 1))
            if choice >= 0:
                positions[i] = f"o{choice}"
        texts.append({"id": f"t{t}", "title": f"Text {t}", "positions": positions,
                      **({"parent": f"t{t - 1}"} if t else {})})
    document = {
        "scenario": {"title": "random", "must_accept": party_ids[: draw(st.integers(1, n_parties))]},
        "parties": [{"id": p, "name": p.upper(), "role": "principal"} for p in party_ids],
        "issues": issues,
        "preferences": preferences,
        "texts": texts,
    }
    return Scenario.model_validate(document)
