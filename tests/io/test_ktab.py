"""KTAB SMP scenarios: every shared file read as KTAB reads it; every malformed one refused clearly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.errors import ScenarioError
from accord.forecast.pce import PCEModel, VotingRule
from accord.forecast.smp import StateTransMode
from accord.io.ktab import parse_ktab, read_ktab
from tests.cli.helpers import run_cli

DATA = Path(__file__).resolve().parent.parent / "data"
MALFORMED = DATA / "malformed" / "ktab"

#: file -> (place the message must name, words it must contain)
EXPECTED: dict[str, tuple[str, str]] = {
    "actor_count_not_a_number.csv": ("line 1, column 3", "expected the number of actors, got 'three'"),
    "bad_seed.xml": ("Scenario/prngSeed (line 5)", "64-bit unsigned integer"),
    "binary.csv": ("", "is a binary file"),
    "capability_not_a_number.csv": ("line 3, column 3", "the capability (power) is 'ten'; expected a number above 0"),
    "coordinate_count.xml": ("Scenario/Actors/Actor[3]/Position (line 13)", "2 <dCoord> values for 1 dimension"),
    "count_mismatch.csv": ("line 6", "declares 4 actors but the file has 3 actor rows"),
    "duplicate_actor.csv": ("line 4, column 1", "actor 'A' appears twice"),
    "empty.csv": ("", "is empty"),
    "empty_coordinate.xml": ("Scenario/Actors/Actor[2]/Position/dCoord[1] (line 11)", "is empty; expected a number from 0 to 100"),
    "empty_position.csv": ("line 4, column 4", "the position on 'Pos' is empty"),
    "entity.xml": ("", "<!DOCTYPE>"),
    "header_too_short.csv": ("line 2", "2 dimension(s) need 7"),
    "position_out_of_range.csv": ("line 4, column 4", "is 120; expected a number from 0 to 100"),
    "salience_over_100.csv": ("line 3", "sum to 105.91; KTAB allows at most 100"),
    "too_deep.xml": ("line 2", "nested more than 32 levels"),
    "truncated.xml": ("line 14, column 1", "is the file truncated?"),
    "unknown_actor_in_ideal_adjustment.xml": ("Scenario/IdealAdjustment/iaPair[1]/adjustingIdeal (line 15)", "did you mean 'Alice'?"),
    "unknown_voting_rule.xml": ("Scenario/ModelParameters/VotingRule (line 6)", "did you mean 'Proportional'?"),
    "wrong_root.xml": ("Scene (line 2)", "a KTAB scenario's is <Scenario>"),
    "zero_capability.csv": ("line 3, column 3", "is 0; expected a number above 0"),
    "zero_salience.csv": ("line 3", "every salience is 0"),
}


def test_corpus_is_covered() -> None:
    assert sorted(p.name for p in MALFORMED.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_file_is_refused_with_place_and_reason(name: str) -> None:
    place, words = EXPECTED[name]
    with pytest.raises(ScenarioError) as caught:
        read_ktab(MALFORMED / name)
    problem = caught.value.problems[0]
    assert problem.file == str(MALFORMED / name)
    assert problem.path == place
    assert words in problem.message


@pytest.mark.parametrize("name", ["count_mismatch.csv", "empty_coordinate.xml", "entity.xml"])
def test_cli_exits_2_with_one_clear_line(name: str) -> None:
    run = run_cli("forecast", MALFORMED / name)
    assert run.code == 2 and run.exception is None
    assert run.stderr.startswith(f"error: {MALFORMED / name}: ")
    assert "Traceback" not in run.stderr and run.stdout == ""


def test_every_problem_of_a_file_is_listed_at_once() -> None:
    data = b"X,d,3,1\nActor,Description,Power,P,S\nA,a,-1,120,50\nB,b,2,50,\nC,c,3,50,50\n"
    with pytest.raises(ScenarioError) as caught:
        parse_ktab(data, "many.csv")
    places = [p.path for p in caught.value.problems]
    assert places == ["line 3, column 3", "line 3, column 4", "line 4"]


def test_ktab_csv_traps_bom_crlf_quotes_padding_and_trailing_commas() -> None:
    text = ('\ufeff"Quoted; name","desc, with comma",3,1,0,,,\r\n'
            "Actor,  Description,  Power,  Pos,  Sal,\r\n"
            "A,  a,   1.5,  10.00 ,  50,\r\nB,b,2,50,50,\r\nC,c,3,90,50\r\n\r\n")
    scenario = parse_ktab(text.encode("utf-8"), "traps.csv")
    assert scenario.name == "Quoted; name" and scenario.description == "desc, with comma"
    assert scenario.problem.actors == ("A", "B", "C")
    assert scenario.problem.dimensions == ("Pos",)
    np.testing.assert_allclose(scenario.problem.positions[:, 0], [10, 50, 90])
    np.testing.assert_allclose(scenario.problem.capabilities, [1.5, 2, 3])


def test_schema_spellings_are_accepted() -> None:
    text = (DATA / "ktab" / "small.xml").read_text().replace(
        "<Dimensions>", "<ModelParameters><VictoryProbModel>Linear</VictoryProbModel>"
        "<PCEModel>MarkovIncentive</PCEModel><StateTransitions>Stochastic</StateTransitions>"
        "<VotingRule>Proportional</VotingRule><BigRAdjust>No</BigRAdjust><BigRRange>Mid</BigRRange>"
        "<ThirdPartyCommit>SemiCommit</ThirdPartyCommit><InterVecBrgn>S2P2</InterVecBrgn>"
        "<BargnModel>InitOnlyInterp</BargnModel></ModelParameters><Dimensions>")
    scenario = parse_ktab(text.encode(), "schema.xml")
    p = scenario.parameters
    assert scenario.has_model_parameters and p.seed == 12345
    assert (p.voting_rule, p.pce_model, p.state_transitions) == (
        VotingRule.PROP, PCEModel.MARKOV_INCENTIVE, StateTransMode.STOCHASTIC)
    assert p.big_r_adjust.value == "None"


@pytest.mark.shared_data
def test_every_shared_ktab_file(ktab_data: Path) -> None:
    expected = {
        "SOE-Policy.csv": (26, 1), "SOE-Competitive.csv": (34, 1), "SOE-Pol-Comp.csv": (13, 2),
        "dummyData_3Dim.csv": (7, 3), "dummyData_6Dim.csv": (27, 6), "dummyData-a040.csv": (40, 1),
        "dummyData-a080.csv": (80, 1), "dummyData-a160.csv": (160, 1), "dummyData_3Dim.xml": (7, 3),
        "variants/smpExample.0bbdd85.xml": (5, 3),
    }
    for name, (actors, dims) in expected.items():
        scenario = read_ktab(ktab_data / name)
        assert (scenario.problem.n_actors, scenario.problem.n_dimensions) == (actors, dims), name
    csv_run = read_ktab(ktab_data / "dummyData_3Dim.csv").problem
    xml_run = read_ktab(ktab_data / "dummyData_3Dim.xml").problem
    np.testing.assert_allclose(csv_run.positions, xml_run.positions)
    np.testing.assert_allclose(csv_run.saliences, xml_run.saliences)
    example = read_ktab(ktab_data / "variants/smpExample.0bbdd85.xml")
    assert example.parameters.seed == 3507583219545544127
    assert example.accommodation is not None
    assert example.accommodation[1, 0] == pytest.approx(0.07) and example.accommodation[4, 4] == 1.0
    # The branch tip of smpExample.xml empties Alice's first coordinate (see the README).
    with pytest.raises(ScenarioError, match=r"Actor\[1\]/Position/dCoord\[1\] \(line 32\)"):
        read_ktab(ktab_data / "smpExample.xml")


@pytest.mark.shared_data
def test_forecast_command_runs_on_a_ktab_csv_and_xml(ktab_data: Path) -> None:
    import json

    for name in ("SOE-Pol-Comp.csv", "dummyData_3Dim.xml"):
        run = run_cli("forecast", ktab_data / name, "--json")
        assert run.code == 0, run.stderr
        data = json.loads(run.stdout)
        assert set(data["forecasts"]) == {"compromise", "median", "nash", "smp"}
        assert len(data["smp"]["positions"][0]) == len(data["actors"])
    table = run_cli("forecast", ktab_data / "SOE-Pol-Comp.csv", "--trajectories")
    assert table.code == 0 and "SMP trajectory: Policy Position" in table.stdout
