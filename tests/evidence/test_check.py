"""Linking, stance and contradictions on small scenarios whose answers are worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.evidence.check import check_evidence
from accord.evidence.linking import Linker
from accord.evidence.stance import stance_of
from accord.evidence.timeline import statement_timeline
from accord.io.scenario_file import loads
from accord.model import Stance

SCENARIO = """
[scenario]
title = "Water"

[[parties]]
id = "up"
name = "Upland"
role = "principal"
delegates = [{ name = "Ana Ruiz", title = "Water minister" }]

[[parties]]
id = "down"
name = "Downland"
role = "principal"

[[issues]]
id = "dam"
title = "Dam filling schedule"
options = [
  { id = "fast", label = "Fill the reservoir within three years" },
  { id = "slow", label = "Fill the reservoir over seven years" },
]

[[issues]]
id = "drought"
title = "Drought releases"
description = "Water released downstream in drought years."
options = [
  { id = "guaranteed", label = "Guaranteed minimum releases" },
  { id = "voluntary", label = "Voluntary releases" },
]

[[issues]]
id = "fees"
title = "Navigation fees"
options = [{ id = "none", label = "No fees" }, { id = "toll", label = "A toll on barges" }]

[preferences.up]
weights = { dam = 2, drought = 1 }
red_lines = { drought = ["guaranteed"] }
[preferences.up.values.dam]
fast = 1.0
slow = 0.2
[preferences.up.values.drought]
guaranteed = 0.0
voluntary = 1.0

[preferences.down]
weights = { dam = 1, drought = 2 }
[preferences.down.values.dam]
fast = 0.1
slow = 0.9
[preferences.down.values.drought]
guaranteed = 0.8
voluntary = 0.2
"""

STATEMENTS = """
[[statements]]
speaker = "down"
date = 2025-03-01
quote = "We will never accept guaranteed minimum releases"
issues = ["drought"]

[[statements]]
speaker = "up"
date = 2025-03-02
quote = "Guaranteed minimum releases are acceptable to us"
issues = ["drought"]

[[statements]]
speaker = "down"
date = 2025-03-03
quote = "The reservoir must be filled within three years"
issues = ["dam"]

[[statements]]
speaker = "up"
date = 2025-03-04
quote = "No toll"
issues = ["fees"]
stance = "rules-out"
options = ["toll"]

[[statements]]
speaker = "up"
date = 2025-03-05
quote = "The talks were constructive"
"""


@pytest.fixture(scope="module")
def scenario():
    return loads(SCENARIO + STATEMENTS)


def test_stance_cues() -> None:
    assert stance_of("We will never accept it") is Stance.RULES_OUT
    assert stance_of("no legal or moral right") is Stance.RULES_OUT
    assert stance_of("by force") is Stance.INSISTS_ON
    assert stance_of("could be the basis") is Stance.ACCEPTS
    assert stance_of("more or less acceptable") is Stance.ACCEPTS
    assert stance_of("unacceptable as it stands") is Stance.RULES_OUT
    assert stance_of("very constructive") is Stance.PROGRESS
    assert stance_of("90% agreed") is Stance.PROGRESS
    assert stance_of("tough issues") is Stance.DIFFICULTY
    assert stance_of("illegitimate") is None
    assert stance_of("a plan", "Kyiv rejected the plan") is Stance.RULES_OUT
    assert stance_of("not negotiable") is Stance.INSISTS_ON
    assert stance_of("non-negotiable") is Stance.INSISTS_ON


def test_linking_names_issues_and_options(scenario) -> None:
    linker = Linker(scenario)
    [match] = linker.link("a filling schedule over seven years", "")
    assert (match.issue, match.option) == ("dam", "slow")
    assert [m.issue for m in linker.link("releases in drought years")] == ["drought"]
    assert linker.link("the weather was fine and everyone smiled") == []


def test_the_contradictions_worked_by_hand(scenario) -> None:
    result = check_evidence(scenario)
    found = {(f.kind, f.statement, f.party, f.issue, f.option) for f in result.findings}
    assert found == {
        # Downland rules out what its estimates value at 0.8, and it is no red line in the file.
        ("values-ruled-out", 0, "down", "drought", "guaranteed"),
        ("missing-red-line", 0, "down", "drought", "guaranteed"),
        # Upland accepts its own red line.
        ("accepts-red-line", 1, "up", "drought", "guaranteed"),
        # Downland insists on an option it values at 0.1 (its best is 0.9).
        ("insists-on-low", 2, "down", "dam", "fast"),
        # Upland rules out a toll: a point its weights leave out, and no red line in the file.
        ("no-weight", 3, "up", "fees", None),
        ("missing-red-line", 3, "up", "fees", "toll"),
    }
    readings = {r.index: (r.stance, r.stance_from) for r in result.readings}
    assert readings[3] == (Stance.RULES_OUT, "file")
    assert readings[4] == (Stance.PROGRESS, "read")
    # Upland's red line on drought is backed by no rules-out or insists-on statement of Upland.
    assert result.unbacked_red_lines == (("up", "drought", "guaranteed", 1.0),)


def test_no_contradiction_without_statements() -> None:
    result = check_evidence(loads(SCENARIO))
    assert result.findings == () and result.readings == ()


def test_the_timeline_per_party_and_point(scenario) -> None:
    rows = [(r.party, r.issue, [e.date for e in r.entries]) for r in statement_timeline(scenario)]
    assert rows == [("up", "drought", [dt.date(2025, 3, 2)]), ("up", "fees", [dt.date(2025, 3, 4)]),
                    ("up", None, [dt.date(2025, 3, 5)]), ("down", "dam", [dt.date(2025, 3, 3)]),
                    ("down", "drought", [dt.date(2025, 3, 1)])]


def test_a_stance_option_must_belong_to_the_statements_issues() -> None:
    from accord.errors import ScenarioError

    bad = SCENARIO + """
[[statements]]
speaker = "up"
date = 2025-03-04
quote = "No"
issues = ["fees"]
options = ["slow"]
"""
    with pytest.raises(ScenarioError, match="option 'slow' is not an option of the statement's issues"):
        loads(bad)


@pytest.mark.parametrize(("quote", "evidence", "expected"), [
    # The cue governs the words after it, within its clause.
    ("will never accept", "Upland will never accept guaranteed minimum releases, its minister said.",
     (Stance.RULES_OUT, ("guaranteed",))),
    # Nothing after the cue: the words before it ("… are acceptable").
    ("acceptable", "Voluntary releases are acceptable, the minister said.", (Stance.ACCEPTS, ("voluntary",))),
    # Rejecting "A without B" demands B: the condition is insisted on, not ruled out.
    ("never accept", "Downland would never accept any release schedule without guaranteed minimum releases.",
     (Stance.INSISTS_ON, ("guaranteed",))),
    ("only if", "The reservoir may be filled only if it takes over seven years.", (Stance.INSISTS_ON, ("slow",))),
    # "otherwise" reaches back to the clause before.
    ("by force", "The dam fills over seven years; otherwise we fill it \"by force\".", (Stance.INSISTS_ON, ("slow",))),
    # A cue in one clause says nothing about another clause's option.
    ("constructive", "The talks were constructive, but fees for barges were not discussed.", (Stance.PROGRESS, ())),
])
def test_positions_are_scoped_to_their_clause(scenario, quote, evidence, expected) -> None:
    from accord.evidence.position import position_of

    issues = ["dam", "drought", "fees"]
    position = position_of(quote, evidence, issues, Linker(scenario))
    assert (position.stance, position.options) == expected


def test_an_option_that_says_none_is_not_named_by_its_word(scenario) -> None:
    """ "No fees" is about there being none: "the fees" names the toll, never "no fees"."""
    linker = Linker(scenario)
    assert linker.option_for("fees", "a toll on barges") == "toll"
    assert linker.option_for("fees", "fees on every barge") != "none"
