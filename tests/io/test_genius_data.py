"""Every domain of ../shared/data/genius, read in place (never copied into this repository).

Each MANIFEST row loads, or is refused for its documented reason; the spec's
test vectors are reproduced; accord's utilities equal GENIUS's on every bid
(or on a sample for the largest domains); and import → export → import keeps
every utility.  Skipped, with the reason, when ../shared is absent.
"""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.analysis.nonlinear import party_utilities, scenario_utilities
from accord.errors import AnalysisError, ScenarioError
from accord.io import genius
from accord.io import genius_xml as gx
from accord.model.scenario import Scenario
from accord.space import compile_scenario
from tests.conftest import GENIUS_DATA
from tests.io.test_genius_oracle import bid_indices, genius_utilities

pytestmark = pytest.mark.shared_data


def _manifest() -> list[dict[str, str]]:
    path = GENIUS_DATA / "MANIFEST.tsv"
    if not path.is_file():
        return [{"folder": "(../shared absent)", "profiles": "0", "issues": "0", "outcomes": "0",
                 "has_pareto_xml": "False"}]
    with path.open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


ROWS = _manifest()
ROW_IDS = [row["folder"] for row in ROWS]

#: Folders GENIUS 10.4 itself cannot load: accord refuses them at import, for the same reason.
REFUSED_AT_IMPORT = {
    "extra/ItexvsCypress": "unknown profile type 'any'",
    "other/web_service": "needs lowerbound=",
}
_HYPER = "non-linear (hyper-rectangle) utility"
_CAPPED = "which GENIUS caps at 1"
#: Folders that import exactly but that accord's additive analysis refuses, and why.
NOT_ADDITIVE = {
    **{row["folder"]: _HYPER for row in ROWS
       if row["folder"].startswith(("anac/y2014/", "other/S-1N")) or row["folder"] ==
       "extra/10issues"},
    **{folder: _CAPPED for folder in (
        "anac/y2011/Laptop", "anac/y2012/LaptopA", "anac/y2012/LaptopB", "anac/y2012/LaptopC",
        "anac/y2013/Laptop", "extra/Laptop", "other/laptopdomain", "other/laptopdomainNoBayes",
        "anac/y2015/group5-car_domain", "anac/y2016/SYAgent", "other/QODomain",
        "other/journal_learning/six_issues")},
}
#: Where MANIFEST's outcome count differs from GENIUS's enumeration, and why.
OUTCOME_DIFFERENCES = {
    # MANIFEST counts <item>s at any depth; GENIUS reads only an issue's direct <item> children.
    "other/journal_learning/four_issues": 8**4,
    "other/journal_learning/six_issues": 8**6,
    # MANIFEST counts a real issue once; GENIUS enumerates it on a 21-point grid.
    "extra/fuzzyagent": 21,
}


def _row(folder: str) -> dict[str, str]:
    return next(row for row in ROWS if row["folder"] == folder)


_CACHE: dict[str, Any] = {}


def _load(folder: str) -> tuple[Scenario, genius.GeniusFolder]:
    if folder not in _CACHE:
        path = GENIUS_DATA / folder
        _CACHE[folder] = (genius.load_folder(path), genius.read_folder(path))
    return _CACHE[folder]  # type: ignore[no-any-return]


def _loadable(limit: int | None = None, linear: bool | None = None) -> list[str]:
    found = []
    for row in ROWS:
        folder = row["folder"]
        if folder in REFUSED_AT_IMPORT or folder.startswith("("):
            continue
        is_linear = NOT_ADDITIVE.get(folder) != _HYPER
        if linear is not None and is_linear != linear:
            continue
        outcomes = OUTCOME_DIFFERENCES.get(folder, int(row["outcomes"]))
        if limit is not None and outcomes > limit:
            continue
        found.append(folder)
    return found


# ---------------------------------------------------------------------------
# every row loads or is refused with its documented reason


@pytest.mark.parametrize("folder", ROW_IDS)
def test_manifest_domain_loads_or_is_refused(genius_data: Path, folder: str) -> None:
    row = _row(folder)
    if folder in REFUSED_AT_IMPORT:
        with pytest.raises(ScenarioError) as caught:
            genius.load_folder(genius_data / folder)
        assert REFUSED_AT_IMPORT[folder] in str(caught.value)
        assert all(problem.path for problem in caught.value.problems)
        return
    scenario, raw = _load(folder)
    assert len(scenario.parties) == int(row["profiles"])
    assert len(scenario.issues) == int(row["issues"])
    outcomes = 1
    for issue in scenario.issues:
        outcomes *= len(issue.options)
    assert outcomes == OUTCOME_DIFFERENCES.get(folder, int(row["outcomes"]))
    assert (raw.pareto is not None) == (row["has_pareto_xml"] == "True")
    if folder in NOT_ADDITIVE:
        with pytest.raises(AnalysisError) as refused:
            compile_scenario(scenario)
        assert NOT_ADDITIVE[folder] in str(refused.value)
        assert "party '" in str(refused.value)
    else:
        space = compile_scenario(scenario)
        assert space.n_parties == int(row["profiles"])


# ---------------------------------------------------------------------------
# §11 test vectors

VECTORS: list[tuple[str, str, str, Any, float, float | None]] = [
    # (id, folder, profile, bid (names → values, or values in issue order), U, exact U or None)
    ("V1", "anac/y2010/Travel", "travel_chox.xml",
     {"Atmosphere": "Security (personal)", "Amusement": "Zoo", "Culinary": "International cuisine",
      "Shopping": "Streets", "Culture": "Cinema", "Sport": "Hiking", "Environment": "Palace"},
     0.702375, None),
    ("V2", "other/Jobs", "Jobs_util1.xml",
     {"salary": "3000", "fte": "0.8", "work from home": "1", "lease car": "no",
      "permanent contract": "yes", "career development opportunities": "medium"}, 0.648333, None),
    ("V3", "anac/y2016/SYAgent", "JapanTrip_util1.xml",
     {"Place": "Tokyo", "Budget": "900", "Days": "3", "Purpose": "Activity"}, 1.0, 1.0),
    ("V4", "anac/y2012/FitnessA", "Fitness-A-prof1.xml",
     {"kind of fitness": "yoga", "time to do": "3hour", "distance": "~1km",
      "intensity": "moderate", "Price($)": "4"}, 0.790309, None),
    ("V5", "other/IntegerDomain", "IntegerDomain-prof1.xml", {"price": 5, "otherprice": 0},
     0.875, 0.875),
    ("V6", "anac/y2015/group9-killer_robot", "KillerRobot_util1.xml",
     {"Torso": "Humanoid", "Propulsion": "Tracks", "Guns": 4, "GunType": "Laser",
      "Color": "White", "Height (m)": 20}, 0.644558, None),
    ("V7", "anac/y2016/AgentHp2", "consumer.xml", [8, 9, 10, 11, 12, 13, 14, 9], 0.549250, None),
    ("V8", "anac/y2011/Car", "adg_deal.xml",
     {"CD player": "standard", "Extra speakers": "meager", "Airconditioning": "good",
      "Tow hedge": "none", "Tow hedge2": "fairly good", "Tow hedge3": "standard"}, 0.775, None),
    ("V9", "anac/y2014/10issues", "profile-2.xml", [8, 7, 7, 7, 5, 6, 9, 5, 6, 5], 0.594350,
     526 / 885),
    ("V10", "other/S-1NAGUNL-114", "profile-1.xml", [5, 8, 8, 6, 5, 6, 7, 5, 4, 6], 0.944529,
     1243 / 1316),
]


def _bid(raw: genius.GeniusFolder, bid: Any) -> list[Any]:
    if isinstance(bid, dict):
        assert set(bid) == {issue.name for issue in raw.domain.issues}
        return [bid[issue.name] for issue in raw.domain.issues]
    return list(bid)


def _party(scenario: Scenario, profile: str) -> str:
    return next(p.id for p in scenario.parties if p.name == Path(profile).stem)


@pytest.mark.parametrize(("vector", "folder", "profile", "bid", "expected", "exact"), VECTORS,
                         ids=[v[0] for v in VECTORS])
def test_spec_vector(genius_data: Path, vector: str, folder: str, profile: str, bid: Any,
                     expected: float, exact: float | None) -> None:
    scenario, raw = _load(folder)
    values = _bid(raw, bid)
    genius_profile = dict((p.name, prof) for p, prof in raw.profiles)[profile]
    raw_utility = genius_profile.utility(raw.domain, values)
    package = [issue.values.index(v) for issue, v in zip(raw.domain.issues, values, strict=True)]
    accord_utility = party_utilities(scenario, _party(scenario, profile), [package])[0]
    assert raw_utility == pytest.approx(expected, abs=5e-7)  # the table has 6 decimals
    assert accord_utility == pytest.approx(raw_utility, abs=1e-12)
    if exact is not None:
        assert accord_utility == pytest.approx(exact, abs=1e-9)


def test_hand_checked_vectors_to_1e_9(genius_data: Path) -> None:
    """The spec's hand checks, recomputed from the numbers in the files."""
    scenario, raw = _load("other/Jobs")
    bid = _bid(raw, VECTORS[1][3])
    package = [issue.values.index(v) for issue, v in zip(raw.domain.issues, bid, strict=True)]
    weights = dict((p.name, prof) for p, prof in raw.profiles)["Jobs_util1.xml"].weights
    w = [weights[issue.index] for issue in raw.domain.issues]
    # salary 0.5/1, fte 0.5/0.75, work from home 0.5/0.6667, lease car 0, permanent 1, career 0.5/1
    evaluations = [0.5, 0.5 / 0.75, 0.5 / 0.66666666666666, 0.0, 1.0, 0.5]
    hand = sum(wi * ei for wi, ei in zip(w, evaluations, strict=True))
    assert party_utilities(scenario, "Jobs_util1", [package])[0] == pytest.approx(hand, abs=1e-9)
    scenario, raw = _load("anac/y2010/Travel")
    bid = _bid(raw, VECTORS[0][3])
    package = [issue.values.index(v) for issue, v in zip(raw.domain.issues, bid, strict=True)]
    profile = dict((p.name, prof) for p, prof in raw.profiles)["travel_chox.xml"]
    hand_terms = [(262, 370), (262, 370), (360, 508), (360, 508), (221, 382), (341, 481),
                  (224, 316)]
    hand = sum(profile.weights[issue.index] * Fraction(a, b) for issue, (a, b)
               in zip(raw.domain.issues, hand_terms, strict=True))
    assert party_utilities(scenario, "travel_chox", [package])[0] == pytest.approx(
        float(hand), abs=1e-9)


def test_discounted_extras(genius_data: Path) -> None:
    """§11: discounted utilities and reservation values at t = 0.5."""
    from accord.analysis.nonlinear import discounted

    cases = [("anac/y2016/SYAgent", "JapanTrip_util1", VECTORS[2], 0.948683, 0.853815),
             ("anac/y2012/FitnessA", "Fitness-A-prof1", VECTORS[3], 0.684428, 0.433013),
             ("other/S-1NAGUNL-114", "profile-1", VECTORS[9], 0.920613, None)]
    for folder, party, vector, utility, reservation in cases:
        scenario, raw = _load(folder)
        values = _bid(raw, vector[3])
        package = [issue.values.index(v) for issue, v in zip(raw.domain.issues, values,
                                                             strict=True)]
        prefs = scenario.preferences[party]
        u = party_utilities(scenario, party, [package])[0]
        assert discounted(u, prefs.discount, 0.5) == pytest.approx(utility, abs=5e-7)
        if reservation is not None:
            raw_rv = prefs.nonlinear.reservation if prefs.nonlinear is not None and \
                prefs.nonlinear.kind == "capped" else prefs.reservation
            assert discounted(raw_rv, prefs.discount, 0.5) == pytest.approx(reservation, abs=5e-7)


# ---------------------------------------------------------------------------
# accord's utilities are GENIUS's, on every bid


def _exact_utilities(scenario: Scenario, packages: np.ndarray) -> np.ndarray:
    try:
        space = compile_scenario(scenario)
    except AnalysisError:
        return scenario_utilities(scenario, packages)
    return space.utilities(packages)


@pytest.mark.parametrize("folder", _loadable(linear=True))
def test_accord_utilities_equal_genius_on_every_bid(genius_data: Path, folder: str) -> None:
    scenario, raw = _load(folder)
    sizes = [issue.size for issue in raw.domain.issues]
    n = int(np.prod(sizes, dtype=object))
    if n <= 400_000:
        expected = genius_utilities(raw)
        index = bid_indices(sizes).T
    else:  # AMPOvsCity, AgentHp2: a sample of bids
        rng = np.random.default_rng(0)
        index = np.stack([rng.integers(0, s, 20_000) for s in sizes], axis=1)
        expected = np.array([[profile.utility(raw.domain, [issue.values[k] for issue, k
                                                         in zip(raw.domain.issues, row,
                                                                strict=True)])
                              for _, profile in raw.profiles] for row in index[:2000]])
        index = index[:2000]
    for start in range(0, len(index), 50_000):
        chunk = index[start:start + 50_000]
        got = _exact_utilities(scenario, chunk)
        assert np.abs(got - expected[start:start + 50_000]).max() <= 1e-12


@pytest.mark.parametrize("folder", _loadable(linear=False))
def test_hyper_rectangle_bids_evaluate_as_the_spec_says(genius_data: Path, folder: str) -> None:
    """§6/§7: sampled bids evaluate exactly; none lies beyond the pareto.xml frontier."""
    scenario, raw = _load(folder)
    rng = np.random.default_rng(1)
    sizes = [issue.size for issue in raw.domain.issues]
    index = np.stack([rng.integers(0, s, 300) for s in sizes], axis=1)
    got = scenario_utilities(scenario, index)
    for row, utilities in zip(index, got, strict=True):
        bid = [issue.values[k] for issue, k in zip(raw.domain.issues, row, strict=True)]
        for p, (_, profile) in enumerate(raw.profiles):
            assert utilities[p] == pytest.approx(profile.utility(raw.domain, bid), abs=1e-12)
    if raw.pareto is None:
        return
    points = np.array(gx.read_pareto(raw.pareto))
    names = [path.name for path in raw.profile_files]
    first, second = names.index("profile-1.xml"), names.index("profile-2.xml")
    sample = got[:, [first, second]]
    # utilities are rectangle sums / maxutility: the file's columns are profile-1 then profile-2
    for column, p in ((0, first), (1, second)):
        maximum = raw.profiles[p][1].max_utility  # type: ignore[union-attr]
        assert np.abs(points[:, column] * maximum - np.round(points[:, column] * maximum)).max() \
            < 1e-3
    # no sampled bid dominates a frontier point (float32 file precision)
    beyond = (sample[:, None, :] > points[None, :, :] + 1e-6).all(axis=2)
    assert not beyond.any()


def test_pareto_points_of_the_spec_vectors(genius_data: Path) -> None:
    """§11: V9 and V10 are frontier points in their pareto.xml."""
    for folder, vector, point in (("anac/y2014/10issues", VECTORS[8], (1.0, 0.5943503)),
                                  ("other/S-1NAGUNL-114", VECTORS[9], (0.9445289, 0.99390865))):
        scenario, raw = _load(folder)
        points = gx.read_pareto(raw.pareto)  # type: ignore[arg-type]
        assert any(abs(a - point[0]) < 1e-7 and abs(b - point[1]) < 1e-7 for a, b in points)
        package = list(vector[3])
        utilities = scenario_utilities(scenario, [package])[0]
        names = [path.name for path in raw.profile_files]
        pair = (utilities[names.index("profile-1.xml")], utilities[names.index("profile-2.xml")])
        assert pair == pytest.approx(point, abs=1e-6)


# ---------------------------------------------------------------------------
# round trip: import → export → import, and GENIUS reads the export back


@pytest.mark.parametrize("folder", _loadable())
def test_round_trip_preserves_every_utility(genius_data: Path, tmp_path: Path,
                                            folder: str) -> None:
    scenario, _ = _load(folder)
    genius.save_folder(scenario, tmp_path)
    again = genius.load_folder(tmp_path)
    assert [p.id for p in again.parties] == [p.id for p in scenario.parties]
    assert [i.id for i in again.issues] == [i.id for i in scenario.issues]
    assert [[o.id for o in i.options] for i in again.issues] == \
        [[o.id for o in i.options] for i in scenario.issues]
    for party_id, prefs in scenario.preferences.items():
        other = again.preferences[party_id]
        assert other.discount == prefs.discount
        assert other.reservation == pytest.approx(prefs.reservation, abs=1e-12)
        assert (other.nonlinear is None) == (prefs.nonlinear is None)
    sizes = [len(issue.options) for issue in scenario.issues]
    n = int(np.prod(sizes, dtype=object))
    if n <= 100_000:
        packages = bid_indices(sizes).T
    else:
        rng = np.random.default_rng(2)
        packages = np.stack([rng.integers(0, s, 5_000) for s in sizes], axis=1)
    before = scenario_utilities(scenario, packages)
    after = scenario_utilities(again, packages)
    assert np.abs(before - after).max() <= 1e-12
    # and GENIUS semantics, read straight from the exported files, agree
    exported = genius.read_folder(tmp_path)
    order = [next(k for k, (path, _) in enumerate(exported.profiles) if path.stem == p.id)
             for p in scenario.parties]
    for row, expected in zip(packages[:300], before[:300], strict=True):
        bid = [issue.values[k] for issue, k in zip(exported.domain.issues, row, strict=True)]
        got = [exported.profiles[k][1].utility(exported.domain, bid) for k in order]
        assert got == pytest.approx(expected.tolist(), abs=1e-12)


@pytest.mark.parametrize("folder", ["anac/y2014/50issues", "anac/y2016/SYAgent", "extra/fuzzyagent",
                                    "other/AMPOvsCity", "anac/y2015/group9-killer_robot"])
def test_imported_scenarios_survive_the_toml_file(genius_data: Path, folder: str) -> None:
    import tomllib

    from accord.io.scenario_file import dumps_json, dumps_toml, loads

    scenario, _ = _load(folder)
    text = dumps_toml(scenario)
    assert genius.validate_document(tomllib.loads(text), "x") == scenario
    if folder not in NOT_ADDITIVE or NOT_ADDITIVE[folder] != _HYPER:
        assert loads(text) == scenario
        assert loads(dumps_json(scenario), format="json") == scenario
    # A hyper-rectangle party has no weights, which accord.model.validate asks every party
    # for; until it exempts `nonlinear` parties, such files load through validate_document.
