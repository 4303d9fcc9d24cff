"""GeniusWeb JSON domains and linear-additive profiles."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accord.analysis.nonlinear import party_utilities
from accord.errors import ScenarioError
from accord.io import genius, genius_web
from accord.space import compile_scenario

DOMAIN = {"name": "trip", "issuesValues": {
    "place": {"values": ["Tokyo", "Osaka"]},
    "days": {"range": {"low": 1, "high": 5, "step": 2}},
}}


def profile(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "issueUtilities": {
            "place": {"discreteutils": {"valueUtilities": {"Tokyo": 1.0, "Osaka": 0.25}}},
            "days": {"numberutils": {"lowValue": 1, "lowUtility": 0.2, "highValue": 5,
                                     "highUtility": 0.9}},
        },
        "issueWeights": {"place": 0.6, "days": 0.4},
        "domain": DOMAIN,
        "name": "p",
        "reservationBid": {"issuevalues": {"place": "Osaka", "days": 3}},
    }
    body.update(changes)
    return {"LinearAdditiveUtilitySpace": body}


def folder_with(tmp_path: Path, *profiles: dict[str, Any]) -> Path:
    (tmp_path / "trip.json").write_text(json.dumps(DOMAIN))
    for n, document in enumerate(profiles, start=1):
        (tmp_path / f"trip{n}.json").write_text(json.dumps(document))
    return tmp_path


def test_geniusweb_semantics(tmp_path: Path) -> None:
    scenario = genius.load_folder(folder_with(tmp_path, profile()))
    assert [o.label for o in scenario.issues[1].options] == ["1", "3", "5"]
    # U = Σ w·u with no per-issue normalisation; number utilities interpolate linearly
    got = party_utilities(scenario, "trip1", [[0, 0], [1, 1], [0, 2]])
    assert got == pytest.approx([0.6 + 0.4 * 0.2, 0.6 * 0.25 + 0.4 * 0.55, 0.6 + 0.4 * 0.9])
    # the reservation value is the utility of the reservation bid
    assert scenario.preferences["trip1"].reservation == pytest.approx(0.6 * 0.25 + 0.4 * 0.55)
    compile_scenario(scenario)  # plain additive


@pytest.mark.parametrize(("changes", "fragment"), [
    ({"issueWeights": {"place": 0.6, "days": 0.5}}, "sum to 1.1"),
    ({"issueWeights": {"place": 0.6, "nights": 0.4}}, "no issue 'nights'"),
    ({"issueUtilities": {"place": {"discreteutils": {"valueUtilities": {"Tokyo": 1.5,
                                                                         "Osaka": 0}}},
                         "days": {"numberutils": {"lowValue": 1, "lowUtility": 0,
                                                  "highValue": 5, "highUtility": 1}}}},
     "between 0 and 1"),
    ({"reservationBid": {"issuevalues": {"place": "Kyoto"}}}, "not a value"),
])
def test_geniusweb_refusals(tmp_path: Path, changes: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        genius.load_folder(folder_with(tmp_path, profile(**changes)))
    assert fragment in str(caught.value)
    assert caught.value.problems[0].file.endswith("trip1.json")


def test_number_utilities_round_half_up_to_8_decimals() -> None:
    spec = {"lowValue": Decimal(0), "lowUtility": Decimal(0), "highValue": Decimal(3),
            "highUtility": Decimal(1)}
    assert genius_web._number_utility(spec, Decimal(1)) == Decimal("0.33333333")
    assert genius_web._number_utility(spec, Decimal(2)) == Decimal("0.66666667")
    assert genius_web._number_utility(spec, Decimal(4)) == 0


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "trip.json").write_text(json.dumps(DOMAIN))
    (tmp_path / "trip1.json").write_text('{"LinearAdditiveUtilitySpace": {\n  "issueWeights": ')
    with pytest.raises(ScenarioError) as caught:
        genius.load_folder(tmp_path)
    assert caught.value.problems[0].path.startswith("line 2")


@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["Fitness", "FlightBooking", "JapnTrip", "Party"])
def test_shared_geniusweb_domains(genius_data: Path, name: str) -> None:
    scenario = genius.load_folder(genius_data / "extra" / "geniusweb" / name)
    assert len(scenario.parties) == 2
    space = compile_scenario(scenario)
    raw = {p.id: json.loads((genius_data / "extra" / "geniusweb" / name /
                             f"{p.name}.json").read_text())["LinearAdditiveUtilitySpace"]
           for p in scenario.parties}
    for p, party in enumerate(space.party_ids):
        body = raw[party]
        package = [0] * len(scenario.issues)
        expected = 0.0
        for issue, k in zip(scenario.issues, package, strict=True):
            table = body["issueUtilities"][issue.title]["discreteutils"]["valueUtilities"]
            expected += body["issueWeights"][issue.title] * table[issue.options[k].label]
        assert space.utilities([package])[0][p] == pytest.approx(expected, abs=1e-12)


def test_every_command_reads_a_geniusweb_folder_as_import_does(tmp_path: Path) -> None:
    from tests.cli.helpers import run_cli

    folder = folder_with(tmp_path, profile())
    result = run_cli("check", folder)
    assert result.code == 0, result.stderr
    assert run_cli("frontier", folder).code == 0
