"""Package deals and interaction terms in the scenario file: validation, the [0, 1] check, the Space."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import ScenarioError
from accord.io.scenario_file import dumps_json, dumps_toml, json_schema, load, loads
from accord.model import terms as terms_module
from accord.model.terms import TermSpec, utility_extremes
from accord.space import compile_scenario

JOB = Path(__file__).parents[2] / "examples" / "job-offer.toml"

#: Dana's utility is 1 only at her best package (120k, remote, 30d, july, 10k), so a
#: positive term there would lift it above 1; these terms keep it inside [0, 1].
LINKS = """
[[preferences.dana.terms]]
when = { remote = "remote", start = ["july", "september"] }
value = 0.05
basis = "moving is worth more with a later start"

[[preferences.dana.terms]]
when = { salary = "120k", bonus = "10k" }
value = -0.1

[[preferences.dana.requires]]
issue = "start"
option = "june"
with_issue = "bonus"
with_options = ["5k", "10k"]

[[preferences.northwind.excludes]]
issue = "remote"
option = "remote"
with_issue = "salary"
with_options = ["120k"]
"""


def job_with(extra: str) -> str:
    text = JOB.read_text(encoding="utf-8")
    anchor = '[[texts]]\nid = "offer"'
    assert anchor in text
    return text.replace(anchor, extra + "\n" + anchor, 1)


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as error:
        loads(text, name="s.toml")
    return [f"{p.path}: {p.message}" for p in error.value.problems]


def test_links_load_round_trip_and_satisfy_the_schema() -> None:
    scenario = loads(job_with(LINKS), name="s.toml")
    dana = scenario.preferences["dana"]
    assert len(dana.terms) == 2 and len(dana.requires) == 1
    assert loads(dumps_toml(scenario)) == scenario
    assert loads(dumps_json(scenario), format="json") == scenario
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json_schema())
    validator.validate(json.loads(dumps_json(scenario)))


def test_unknown_ids_are_named_with_their_place_and_a_suggestion() -> None:
    bad = (LINKS.replace('with_issue = "salary"', 'with_issue = "salry"')
           .replace('remote = "remote", start', 'remote = "remot", start')
           .replace('with_options = ["5k", "10k"]', 'with_options = ["5k", "10K"]')
           .replace('when = { salary = "120k"', 'when = { salay = "120k"'))
    found = problems_of(job_with(bad))
    assert "preferences.northwind.excludes[1].with_issue: unknown issue 'salry' " \
           "(did you mean 'salary'?)" in found
    assert "preferences.dana.terms[1].when.remote: unknown option 'remot' for issue 'remote' " \
           "(did you mean 'remote'?)" in found
    assert any(p.startswith("preferences.dana.requires[1].with_options[2]: unknown option '10K'")
               and "did you mean '10k'" in p for p in found)
    assert any(p.startswith("preferences.dana.terms[2].when.salay: unknown issue 'salay'")
               for p in found)


def test_a_rule_on_one_point_and_a_one_point_term_are_refused_in_words() -> None:
    same = LINKS.replace('with_issue = "bonus"', 'with_issue = "start"').replace(
        'with_options = ["5k", "10k"]', 'with_options = ["july"]')
    assert any("requires[1].with_issue: names the rule's own issue 'start'" in p
               for p in problems_of(job_with(same)))
    single = LINKS.replace('when = { salary = "120k", bonus = "10k" }', 'when = { salary = "120k" }')
    assert any("terms[2].when: an interaction term needs at least two points" in p
               for p in problems_of(job_with(single)))


def test_a_range_on_a_term_value_is_refused() -> None:
    ranged = LINKS.replace("value = -0.1", "value = { low = -0.2, high = 0.0 }")
    assert any("terms[2].value: expected a number" in p for p in problems_of(job_with(ranged)))


def test_a_utility_pushed_above_one_names_the_terms_and_the_package() -> None:
    over = LINKS.replace("value = -0.1", "value = 0.1")
    (found,) = problems_of(job_with(over))
    assert found.startswith("preferences.dana.terms: the utility can reach 1.15, above 1: "
                            "terms[1] (+0.05), terms[2] (+0.1) hold together at salary = 120k, "
                            "remote = remote, start = july, bonus = 10k")


def test_a_utility_pushed_below_zero_is_refused() -> None:
    # Dana's worst package (90k, office, 20d, june, none) is worth 0.02 (june 0.2 × weight 0.1).
    under = LINKS + """
[[preferences.dana.terms]]
when = { salary = "90k", remote = "office" }
value = -0.05
"""
    (found,) = problems_of(job_with(under))
    assert "the utility can reach -0.03, below 0: terms[3] (-0.05)" in found
    exactly = under.replace("value = -0.05", "value = -0.02")
    loads(job_with(exactly), name="s.toml")  # reaching 0 exactly is inside [0, 1]


def test_the_cli_check_exits_2_on_a_utility_outside_the_unit_interval(tmp_path: Path) -> None:
    from tests.cli.helpers import run_cli

    target = tmp_path / "over.toml"
    target.write_text(job_with(LINKS.replace("value = -0.1", "value = 0.1")), encoding="utf-8")
    result = run_cli("check", target)
    assert result.code == 2 and "above 1" in result.stderr and "Traceback" not in result.stderr


def test_the_space_holds_terms_and_the_forbidden_pairs() -> None:
    space = compile_scenario(loads(job_with(LINKS), name="s.toml"))
    assert space.has_terms and space.has_pair_bans and not space.is_additive
    issue = {name: space.issue_index(name) for name in space.issue_ids}
    # requires: june only with a bonus, so june is refused with "none" only.
    dana, northwind = space.party_index("dana"), space.party_index("northwind")
    assert (dana, issue["start"], 0, issue["bonus"], 0) in {tuple(r) for r in space.pair_bans.tolist()}
    assert not any(r[0] == dana and r[4] != 0 for r in space.pair_bans.tolist())
    assert [northwind, issue["remote"], 2, issue["salary"], 3] in space.pair_bans.tolist()
    assert northwind not in space.term_party.tolist()
    assert space.term_conditions[0] == ((issue["remote"], (2,)), (issue["start"], (1, 2)))


def test_a_scenario_without_links_compiles_to_an_additive_space() -> None:
    space = compile_scenario(load(JOB))
    assert space.is_additive and type(space.contribution) is np.ndarray


# ---------------------------------------------------------------------------
# the exact extremes against enumeration


def _random_spec(seed: int) -> TermSpec:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 4, size=int(rng.integers(2, 6)))
    tables = tuple(np.round(rng.random(int(n)) / len(sizes), 3) for n in sizes)
    terms = []
    for _ in range(int(rng.integers(0, 6))):
        k = int(rng.integers(1, min(3, len(sizes)) + 1))
        chosen = sorted(rng.choice(len(sizes), size=k, replace=False).tolist())
        conditions = tuple((i, tuple(sorted(rng.choice(int(sizes[i]), size=int(rng.integers(
            1, sizes[i] + 1)), replace=False).tolist()))) for i in chosen)
        terms.append((conditions, float(np.round(rng.uniform(-0.4, 0.4), 3))))
    return TermSpec(tables, tuple(terms))


@pytest.mark.parametrize("limit", [terms_module.ENUMERATE_LIMIT, 0], ids=["enumeration", "milp"])
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_utility_extremes_match_enumeration(limit: int, seed: int) -> None:
    spec = _random_spec(seed)
    original = terms_module.ENUMERATE_LIMIT
    terms_module.ENUMERATE_LIMIT = limit
    try:
        low, low_at, high, high_at = utility_extremes(spec)
    finally:
        terms_module.ENUMERATE_LIMIT = original
    values = []
    for x in itertools.product(*(range(len(t)) for t in spec.tables)):
        total = sum(float(t[o]) for t, o in zip(spec.tables, x, strict=True))
        total += sum(v for conds, v in spec.terms if all(x[i] in opts for i, opts in conds))
        values.append(total)
    assert low == pytest.approx(min(values), abs=1e-9)
    assert high == pytest.approx(max(values), abs=1e-9)
    assert float(spec.evaluate(low_at)[0]) == low and float(spec.evaluate(high_at)[0]) == high


def test_more_than_the_limit_of_terms_is_refused_at_its_key() -> None:
    term = '[[preferences.dana.terms]]\nwhen = { salary = "90k", bonus = "none" }\nvalue = 0.0\n'
    found = problems_of(job_with(term * (terms_module.MAX_LINKS + 1)))
    assert found == [f"preferences.dana.terms: has too many entries (at most "
                     f"{terms_module.MAX_LINKS})"]


def test_an_integer_program_without_a_proven_optimum_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import scipy.optimize

    from accord.errors import AnalysisError
    from accord.model.terms import Program

    class Stopped:
        status, x, message = 1, None, "Time limit reached. "

    monkeypatch.setattr(scipy.optimize, "milp", lambda *args, **kwargs: Stopped())
    program = Program([2, 2])
    with pytest.raises(AnalysisError, match="no proven optimum within 5 s"):
        program.solve({program.x(0, 1): 1.0}, maximize=True, time_limit=5)
