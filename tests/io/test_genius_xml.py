"""The GENIUS XML reader on small hand-written files: every rule of genius-format.md, and hostile input.

These tests need no reference data: each builds the files it reads.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.nonlinear import party_utilities
from accord.errors import ScenarioError
from accord.io import genius
from accord.io import genius_xml as gx

HOSTILE = Path(__file__).resolve().parent / "hostile_xml"

DOMAIN = """<negotiation_template>
<utility_space number_of_issues="3">
<objective index="0" name="root" type="objective">
  <issue index="1" name="Color" type="discrete"><item index="1" value="Red"/><item index="2" value="Blue"/><item index="3" value="Green"/></issue>
  <issue index="2" name="Guns" type="integer" lowerbound="1" upperbound="10"/>
  <issue index="3" name="Price" type="real"><range lowerbound="10.0" upperbound="40.0"/></issue>
</objective>
</utility_space>
</negotiation_template>
"""

PROFILE = """<utility_space>
<objective index="0" name="root" type="objective">
  <issue index="1" name="Color" type="discrete"><item value="Red" evaluation="4"/><item value="Blue" evaluation="2"/><item value="Green" evaluation="1"/></issue>
  <issue index="2" name="Guns" type="integer" lowerbound="1" upperbound="10"><evaluator ftype="linear" slope="-0.0444" offset="1.0"/></issue>
  <issue index="3" name="Price" type="real"><range lowerbound="10" upperbound="40"/><evaluator ftype="linear" parameter0="1.333" parameter1="-0.0333"/></issue>
  <weight index="1" value="0.22"/><weight index="2" value="0.3"/><weight index="3" value="0.4"/>
</objective>
<discount_factor value="0.9"/>
<reservation value="0.5"/>
</utility_space>
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def domain_and_profile(tmp_path: Path, profile: str = PROFILE,
                       domain: str = DOMAIN) -> tuple[gx.GeniusDomain, gx.Profile]:
    d = gx.parse_domain(gx.read_xml(write(tmp_path, "domain.xml", domain)))
    p = gx.parse_profile(gx.read_xml(write(tmp_path, "profile.xml", profile)), d)
    return d, p


def error_of(call: object, *args: object) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value


# ---------------------------------------------------------------------------
# §1 reading


def test_leading_comment_before_the_xml_declaration_is_skipped(tmp_path: Path) -> None:
    xml = gx.read_xml(write(tmp_path, "p.xml", "<!-- profile 1 -->\n<?xml version='1.0'?>\n"
                                                + PROFILE))
    assert xml.root.tag == "utility_space"
    assert xml.line(xml.root) == 3


def test_entities_are_not_decoded_and_bare_ampersands_are_accepted(tmp_path: Path) -> None:
    text = DOMAIN.replace('value="Red"', 'value="R&amp;D"').replace('value="Blue"',
                                                                    'value="Salt & Pepper"')
    domain = gx.parse_domain(gx.read_xml(write(tmp_path, "d.xml", text)))
    assert domain.issues[0].values[:2] == ("R&amp;D", "Salt & Pepper")


def test_cp1252_bytes_are_read(tmp_path: Path) -> None:
    text = DOMAIN.replace('value="Red"', 'value="10 €"').encode("cp1252")
    assert b"\x80" in text
    domain = gx.parse_domain(gx.read_xml(write(tmp_path, "d.xml", text)))
    assert domain.issues[0].values[0] == "10 €"


def test_glued_attributes_are_separated(tmp_path: Path) -> None:
    text = DOMAIN.replace('name="Color" type="discrete"',
                          'name="Color" type="discrete"vtype="discrete"')
    domain = gx.parse_domain(gx.read_xml(write(tmp_path, "d.xml", text)))
    assert domain.issues[0].name == "Color"


# ---------------------------------------------------------------------------
# §2 domain


def test_issue_order_is_pre_order_with_child_objectives_first(tmp_path: Path) -> None:
    text = """<negotiation_template><utility_space><objective index="0" name="root">
      <issue index="1" name="own" type="discrete"><item value="a"/></issue>
      <objective index="5" name="sub"><issue index="2" name="nested" type="discrete"><item value="b"/></issue></objective>
    </objective></utility_space></negotiation_template>"""
    domain = gx.parse_domain(gx.read_xml(write(tmp_path, "d.xml", text)))
    assert [issue.name for issue in domain.issues] == ["nested", "own"]


def test_issue_types(tmp_path: Path) -> None:
    text = DOMAIN.replace('type="discrete"', 'type="DISCRETE"')
    domain = gx.parse_domain(gx.read_xml(write(tmp_path, "d.xml", text)))
    color, guns, price = domain.issues
    assert color.kind == "discrete" and color.values == ("Red", "Blue", "Green")
    assert guns.kind == "integer" and guns.values == tuple(range(1, 11))
    assert price.kind == "real" and len(price.values) == 21
    assert price.values[0] == 10.0 and price.values[-1] == 40.0 and price.values[1] == 11.5
    assert domain.n_outcomes == 3 * 10 * 21
    unknown = DOMAIN.replace('name="Color" type="discrete"', 'name="Color" type="fuzzy"')
    assert gx.parse_domain(gx.read_xml(write(tmp_path, "u.xml", unknown))).issues[0].kind \
        == "discrete"


def test_duplicate_discrete_values_are_kept(tmp_path: Path) -> None:
    text = DOMAIN.replace('<item index="3" value="Green"/>', '<item index="3" value="Red"/>')
    domain = gx.parse_domain(gx.read_xml(write(tmp_path, "d.xml", text)))
    assert domain.issues[0].values == ("Red", "Blue", "Red")
    scenario = genius.load(tmp_path / "d.xml", [write(tmp_path, "p.xml", PROFILE)])
    assert [o.id for o in scenario.issues[0].options] == ["Red", "Blue", "Red-2"]
    assert [o.label for o in scenario.issues[0].options] == ["Red", "Blue", "Red"]


def test_integer_bounds_in_a_range_child_are_refused_like_genius(tmp_path: Path) -> None:
    text = DOMAIN.replace('lowerbound="1" upperbound="10"/>',
                          '><range lowerbound="1" upperbound="10"/></issue>')
    error = error_of(gx.parse_domain, gx.read_xml(write(tmp_path, "d.xml", text)))
    problem = error.problems[0]
    assert problem.file.endswith("d.xml")
    assert 'issue[@name="Guns"]' in problem.path and "line 5" in problem.path
    assert "<range> child" in problem.message


# ---------------------------------------------------------------------------
# §3–§5 linear profiles


def test_linear_profile_semantics(tmp_path: Path) -> None:
    domain, profile = domain_and_profile(tmp_path)
    assert isinstance(profile, gx.LinearProfile)
    # discrete: divided by the issue maximum (4); integer: offset from the lower bound;
    # real: the raw x, clipped.
    u = profile.utility(domain, ("Blue", 4, 25.0))
    expected = 0.22 * (2 / 4) + 0.3 * (1.0 - 0.0444 * 3) + 0.4 * min(1.0, 1.333 - 0.0333 * 25)
    assert u == pytest.approx(expected, abs=1e-15)
    assert profile.reservation == 0.5 and profile.discount == 0.9


def test_weights_are_not_normalised_and_utility_is_capped(tmp_path: Path) -> None:
    text = PROFILE.replace('<weight index="3" value="0.4"/>', '<weight index="3" value="0.9"/>')
    domain, profile = domain_and_profile(tmp_path, text)
    assert profile.utility(domain, ("Red", 1, 10.0)) == 1.0  # 0.22 + 0.3 + 0.9 capped
    assert profile.utility(domain, ("Green", 10, 40.0)) == pytest.approx(
        0.22 / 4 + 0.3 * max(0.0, 1 - 0.0444 * 9) + 0.9 * max(0.0, 1.333 - 0.0333 * 40))


def test_discrete_maximum_counts_values_the_domain_lacks_and_the_last_evaluation_wins(
        tmp_path: Path) -> None:
    text = PROFILE.replace('<item value="Green" evaluation="1"/>',
                           '<item value="Green" evaluation="3"/><item value="Pink" evaluation="8"/>'
                           '<item value="Green" evaluation="1"/>')
    _, profile = domain_and_profile(tmp_path, text)
    assert isinstance(profile, gx.LinearProfile)
    assert profile.evaluators[1].evaluate("Red") == 0.5  # 4 / 8
    assert profile.evaluators[1].evaluate("Green") == 1 / 8


def test_all_zero_discrete_issue_scores_zero(tmp_path: Path) -> None:
    text = PROFILE.replace('evaluation="4"', 'evaluation="0"').replace(
        'evaluation="2"', 'evaluation="0"').replace('evaluation="1"', 'evaluation="0"')
    _, profile = domain_and_profile(tmp_path, text)
    assert isinstance(profile, gx.LinearProfile)
    assert profile.evaluators[1].evaluate("Red") == 0.0


def test_integer_without_evaluator_scores_zero_and_is_clipped(tmp_path: Path) -> None:
    text = PROFILE.replace('<evaluator ftype="linear" slope="-0.0444" offset="1.0"/>', "")
    _, profile = domain_and_profile(tmp_path, text)
    assert isinstance(profile, gx.LinearProfile)
    assert profile.evaluators[2].evaluate(7) == 0.0
    clipped = gx.IntegerEvaluator(lower=-5, upper=5, slope=0.08, offset=0.3)
    assert clipped.evaluate(5) == 1.0 and clipped.evaluate(-5) == 0.3


def test_real_evaluator_kinds() -> None:
    assert gx.RealEvaluator("constant", (1.7,), 0, 1).evaluate(0.3) == 1.7  # not clipped
    triangle = gx.RealEvaluator("triangular", (10.0, 40.0, 20.0), 10, 40)
    assert [triangle.evaluate(x) for x in (5, 15, 20, 30, 40)] == [0.0, 0.5, 1.0, 0.5, 0.0]
    assert gx.RealEvaluator("faratin", (), 0, 1).evaluate(0.5) == -1.0


def test_weight_of_the_objective_itself_has_no_effect(tmp_path: Path) -> None:
    text = PROFILE.replace('<weight index="1" value="0.22"/>',
                           '<weight index="1" value="0.22"/><weight index="0" value="1.0"/>')
    domain, profile = domain_and_profile(tmp_path, text)
    assert profile.utility(domain, ("Red", 1, 10.0)) == pytest.approx(0.22 + 0.3 + 0.4)


def test_weights_and_issues_may_sit_directly_under_utility_space(tmp_path: Path) -> None:
    inner = PROFILE.split('type="objective">', 1)[1].split("</objective>", 1)[0]
    text = f"<utility_space>{inner}<reservation value='0.1'/></utility_space>"
    domain, profile = domain_and_profile(tmp_path, text)
    assert profile.utility(domain, ("Red", 1, 10.0)) == pytest.approx(0.22 + 0.3 + 0.4)
    assert profile.reservation == 0.1


@pytest.mark.parametrize(("raw", "effective"), [("0.0", 1.0), ("-1", 1.0), ("1.5", 1.0),
                                                ("0.75", 0.75), (None, 1.0)])
def test_discount_outside_zero_one_means_none(tmp_path: Path, raw: str | None,
                                              effective: float) -> None:
    text = PROFILE.replace('<discount_factor value="0.9"/>',
                           "" if raw is None else f'<discount_factor value="{raw}"/>')
    _, profile = domain_and_profile(tmp_path, text)
    assert profile.discount == effective


@pytest.mark.parametrize(("kind", "fragment"), [("any", "unknown profile type"),
                                                ("constraint", "not supported")])
def test_profile_types_genius_refuses(tmp_path: Path, kind: str, fragment: str) -> None:
    text = PROFILE.replace("<utility_space>", f'<utility_space type="{kind}">', 1)
    error = error_of(domain_and_profile, tmp_path, text)
    assert fragment in str(error)


# ---------------------------------------------------------------------------
# §6 hyper-rectangles

NL_DOMAIN = """<negotiation_template><utility_space><objective index="0" name="root">
  <issue index="1" name="a" type="integer" lowerbound="0" upperbound="9"/>
  <issue index="2" name="b" type="integer" lowerbound="2" upperbound="5"/>
</objective></utility_space></negotiation_template>"""


def nonlinear(body: str, maximum: str = "10") -> str:
    return (f'<utility_space type="nonlinear"><objective index="0" name="root">'
            f'<utility maxutility="{maximum}">{body}</utility></objective>'
            f'<discount_factor value="0.5"/><reservation value="0.75"/></utility_space>')


def test_hyper_rectangles(tmp_path: Path) -> None:
    body = ('<ufun type="PlainUfun" weight="1" aggregation="sum">'
            '<hyperRectangle utility="4"><INCLUDES index="1" min="2" max="4"/>'
            '<INCLUDES index="2" min="3" max="3"/></hyperRectangle>'
            '<hyperRectangle utility="3" weight="2"><EXCLUDES index="1" min="0" max="5"/>'
            '<INCLUDES index="2" min="0" max="9"/></hyperRectangle>'
            '<hyperRectangle utility="1"/>'
            '<ufun weight="0.5" aggregation="MAX"><hyperRectangle utility="6">'
            '<INCLUDES index="1" min="9" max="9"/></hyperRectangle></ufun></ufun>')
    domain, profile = domain_and_profile(tmp_path, nonlinear(body), NL_DOMAIN)
    assert isinstance(profile, gx.NonlinearProfile)
    assert profile.utility(domain, (2, 3)) == pytest.approx((4 + 0 + 1 + 0) / 10)  # 0·0.5
    assert profile.utility(domain, (9, 3)) == pytest.approx((0 + 6 + 1 + 3) / 10)
    assert profile.utility(domain, (4, 5)) == pytest.approx(1 / 10)
    assert profile.reservation == 0.75 and profile.discount == 0.5
    scenario = genius.load(tmp_path / "domain.xml", [tmp_path / "profile.xml"])
    packages = [[2, 1], [9, 1], [4, 3]]  # b's positions are offset by its lower bound 2
    assert party_utilities(scenario, "profile", packages) == pytest.approx([0.5, 1.0, 0.1])


def test_hyper_rectangle_cap_and_empty_min_node(tmp_path: Path) -> None:
    body = '<ufun aggregation="sum"><hyperRectangle utility="30"/><ufun aggregation="min"/></ufun>'
    domain, profile = domain_and_profile(tmp_path, nonlinear(body), NL_DOMAIN)
    assert profile.utility(domain, (0, 2)) == 1.0  # (30 + 2147483647)/10 capped at 1


def test_hyper_rectangle_naming_an_unknown_issue(tmp_path: Path) -> None:
    body = ('<ufun aggregation="sum"><hyperRectangle utility="4">'
            '<INCLUDES index="7" min="2" max="4"/></hyperRectangle></ufun>')
    error = error_of(domain_and_profile, tmp_path, nonlinear(body), NL_DOMAIN)
    assert "INCLUDES[1]" in error.problems[0].path and "index 7" in error.problems[0].message


# ---------------------------------------------------------------------------
# §7 pareto.xml


def test_pareto_file_is_plain_text_in_file_order(tmp_path: Path) -> None:
    path = write(tmp_path, "pareto.xml", "\n0.5, 1\n0.75,0.25\nno comma\n1.0, 0.2")
    assert gx.read_pareto(path) == [(0.5, 1.0), (0.75, 0.25), (1.0, 0.2)]


# ---------------------------------------------------------------------------
# representing GENIUS terms in accord's additive form


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.floats(-0.5, 1.0, allow_nan=False), min_size=1, max_size=5),
                min_size=1, max_size=5),
       st.floats(0.05, 1.2))
def test_representation_reproduces_every_sum(columns: list[list[float]], scale: float) -> None:
    terms = [np.array(column) * scale / max(1, len(columns)) for column in columns]
    representation = genius.represent_linear(terms)
    total = sum(representation.weights.values())
    assert total == pytest.approx(1.0)
    for values in representation.values.values():
        assert (values >= 0).all() and (values <= 1).all()
    rng = np.random.default_rng(0)
    for _ in range(20):
        bid = [int(rng.integers(len(t))) for t in terms]
        raw = math.fsum(float(t[k]) for t, k in zip(terms, bid, strict=True))
        additive = sum(w * representation.values[i][bid[i]]
                       for i, w in representation.weights.items())
        mapped = representation.offset + representation.scale * additive
        assert mapped == pytest.approx(raw, abs=1e-12)
        if representation.identity:
            assert representation.min_raw >= -1e-12 and representation.max_raw <= 1 + 1e-12


# ---------------------------------------------------------------------------
# hostile files: a clear error naming the file and the element, never a traceback or a hang

HOSTILE_CASES = {
    "billion_laughs.xml": ("line 2", "declares entities"),
    "external_entity.xml": ("line 2", "external resource"),
    "external_entity_declared.xml": ("line 2", "declares entities"),
    "doctype_inside.xml": ("line 2", "malformed XML"),
    "deeply_nested.xml": ("line 1", "nested more than 100 levels"),
    "truncated.xml": ("line 7", "truncated"),
    "wrong_root.xml": ("html", "not a GENIUS preference profile"),
    "profile_unknown_issue.xml": ('issue[@name="Armour"]', "does not have"),
    "profile_weights_mismatch.xml": ("utility_space", "no evaluator for issue 'Guns'"),
    "profile_missing_evaluation.xml": ('issue[@name="Color"]', "no evaluation for value 'Blue'"),
    "profile_bad_number.xml": ('issue[@name="Color"]/item[2]', "is not a number"),
    "profile_any_type.xml": ("utility_space", "unknown profile type 'any'"),
    "binary.xml": ("", "binary file"),
    "empty.xml": ("", "is empty"),
    "garbage.xml": ("line 1", "not a GENIUS XML file"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CASES))
def test_hostile_profile_gives_a_clear_error(name: str) -> None:
    where, fragment = HOSTILE_CASES[name]
    started = time.perf_counter()
    error = error_of(genius.load, HOSTILE / "domain.xml", [HOSTILE / name])
    assert time.perf_counter() - started < 2.0
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert problem.file.endswith(name)
    assert where in problem.path
    assert fragment in problem.message


def test_hostile_domain_gives_a_clear_error() -> None:
    error = error_of(genius.load, HOSTILE / "huge_integer_issue.xml", [HOSTILE / "profile_ok.xml"])
    assert 'issue[@name="Money"]' in error.problems[0].path
    assert "at most" in error.problems[0].message


def test_the_sound_profile_next_to_the_hostile_ones_loads() -> None:
    scenario = genius.load(HOSTILE / "domain.xml", [HOSTILE / "profile_ok.xml"])
    prefs = scenario.preferences["profile_ok"]
    assert prefs.discount == 0.9 and prefs.reservation == 0.25
    assert party_utilities(scenario, "profile_ok", [[1, 2]])[0] == pytest.approx(0.6 + 0.4)


def test_every_problem_of_every_file_at_once(tmp_path: Path) -> None:
    for name in ("domain.xml", "profile_bad_number.xml", "truncated.xml", "profile_ok.xml"):
        write(tmp_path, name, (HOSTILE / name).read_bytes())
    error = error_of(genius.load_folder, tmp_path)
    assert sorted(Path(p.file).name for p in error.problems) == ["profile_bad_number.xml",
                                                                 "truncated.xml"]


def test_oversized_file_is_refused_before_reading(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gx, "MAX_XML_BYTES", 100)
    error = error_of(gx.read_xml, write(tmp_path, "big.xml", PROFILE))
    assert "at most 100 bytes" in error.problems[0].message


def test_a_folder_without_a_domain_or_with_two(tmp_path: Path) -> None:
    write(tmp_path, "p.xml", PROFILE)
    assert "no GENIUS domain file" in str(error_of(genius.load_folder, tmp_path))
    write(tmp_path, "d1.xml", DOMAIN)
    write(tmp_path, "d2.xml", DOMAIN)
    assert "several domain files" in str(error_of(genius.load_folder, tmp_path))
    assert "no such folder" in str(error_of(genius.load_folder, tmp_path / "missing"))
