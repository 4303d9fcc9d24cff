"""The model is strict: no coercion but a whole number for a number; holes in the id lists refused.

Each case is one change to examples/job-offer.toml; the expected message is
written by hand from the rule in docs/reference/scenario-format.md (Limits and
types).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.errors import ScenarioError
from accord.io.scenario_file import dumps_json, load, loads

JOB_OFFER = Path(__file__).resolve().parents[2] / "examples" / "job-offer.toml"

#: (old text, new text, key path, words in the message)
CASES = {
    "datetime": ("as_of = 2026-03-20", "as_of = 2026-03-20T10:00:00", "scenario.as_of",
                 "got the date and time 2026-03-20T10:00:00"),
    "local time": ("as_of = 2026-03-20", "as_of = 10:00:00", "scenario.as_of",
                   "got the time of day 10:00:00"),
    "date zero": ("date = 2026-03-05", "date = 0", "texts.counter.date", "got 0"),
    "date string in TOML is fine only in JSON": ("date = 2026-03-05", 'date = "yesterday"',
                                                 "texts.counter.date", "got 'yesterday'"),
    "reservation string": ("reservation = 0.55", 'reservation = "0.55"',
                           "preferences.dana.reservation", "expected a number, got '0.55'"),
    "reservation huge": ("reservation = 0.55", "reservation = " + "9" * 400,
                         "preferences.dana.reservation", "too large to use"),
    "estimate yes": ("estimate = true", 'estimate = "yes"', "preferences.dana.estimate",
                     "expected true or false, got 'yes'"),
    "estimate one": ("estimate = true", "estimate = 1", "preferences.dana.estimate",
                     "expected true or false, got 1"),
    "point string": ("points = [1]", 'points = ["1"]', "issues.salary.points[1]",
                     "expected a whole number, got '1'"),
    "point float": ("points = [1]", "points = [1.0]", "issues.salary.points[1]",
                    "expected a whole number, got 1.0"),
    "point twice": ("points = [1]", "points = [1, 1]", "issues.salary.points[2]", "listed twice"),
    "weight true": ("salary = 0.4", "salary = true", "preferences.dana.weights.salary",
                    "expected a number, got true"),
    "weight inf": ("salary = 0.4", "salary = inf", "preferences.dana.weights.salary",
                   "expected a finite number, got inf"),
    "must_accept empty": ('must_accept = ["dana", "northwind"]', "must_accept = []",
                          "scenario.must_accept", "is empty"),
    "must_accept twice": ('must_accept = ["dana", "northwind"]',
                          'must_accept = ["dana", "dana", "northwind"]', "scenario.must_accept[2]",
                          "'dana' is listed twice in must_accept (first at position 1)"),
    "red line twice": ('red_lines = { remote = ["office"] }',
                       'red_lines = { remote = ["office", { option = "office", p = 0.5 }] }',
                       "preferences.dana.red_lines.remote[2]", "option 'office' is listed twice"),
    "red line option as array": ('red_lines = { remote = ["office"] }',
                                 'red_lines = { remote = [{ option = ["office"], p = 1 }] }',
                                 "preferences.dana.red_lines.remote[1].option", "got an array"),
    "red line as table": ('red_lines = { remote = ["office"] }',
                          'red_lines = { remote = { office = 1 } }',
                          "preferences.dana.red_lines.remote", "expected an array"),
    "red line entry as array": ('red_lines = { remote = ["office"] }',
                                'red_lines = { remote = [["office"]] }',
                                "preferences.dana.red_lines.remote[1]", "got an array"),
    "participant twice": ('participants = ["dana", "agency"]',
                          'participants = ["dana", "agency", "dana"]',
                          "meetings[1].participants[3]", "'dana' is listed twice"),
    "nonlinear without kind": ("reservation = 0.5\n", "nonlinear = { max_utility = 1 }\n",
                               "preferences.northwind.nonlinear", "missing required key 'kind'"),
    "nonlinear unknown kind": ("reservation = 0.5\n", 'nonlinear = { kind = "cubic" }\n',
                               "preferences.northwind.nonlinear",
                               "unknown kind 'cubic'; expected one of: 'hyperrectangles', 'capped'"),
    "label too long": ('{ id = "90k", label = "€90,000" }',
                       '{ id = "90k", label = "' + "9" * 1001 + '" }',
                       "issues.salary.options.90k.label", "at most 1,000 characters"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_coercion_or_hole_is_one_precise_problem(case: str) -> None:
    old, new, where, words = CASES[case]
    text = JOB_OFFER.read_text()
    assert old in text
    with pytest.raises(ScenarioError) as caught:
        loads(text.replace(old, new, 1), name="job.toml")
    messages = [(p.path, p.message) for p in caught.value.problems]
    assert any(path == where and words in message for path, message in messages), messages
    for _, message in messages:  # the user's words: no Python reprs, no pydantic names
        assert "datetime." not in message and "Input should" not in message


def test_a_whole_number_is_a_number_and_json_dates_are_strings() -> None:
    text = JOB_OFFER.read_text().replace("reservation = 0.5\n", "reservation = 0\n", 1)
    assert load(JOB_OFFER).preferences["northwind"].reservation == 0.5
    assert loads(text).preferences["northwind"].reservation == 0.0
    document = json.loads(dumps_json(load(JOB_OFFER)))
    assert document["texts"][0]["date"] == "2026-03-02"
    assert loads(json.dumps(document), format="json") == load(JOB_OFFER)
    document["texts"][0]["date"] = "2026-03-02T10:00:00"
    with pytest.raises(ScenarioError, match=r"texts\.offer\.date: expected an ISO date"):
        loads(json.dumps(document), format="json")


def test_json_keys_given_twice_are_reported_where_they_are() -> None:
    text = dumps_json(load(JOB_OFFER))
    text = text.replace('"name": "Dana Kim"', '"name": "Dana Kim", "name": "D"', 1)
    text = text.replace('"reservation": 0.55', '"reservation": 0.55, "reservation": 0.6', 1)
    with pytest.raises(ScenarioError) as caught:
        loads(text, format="json")
    assert {(p.path, p.message) for p in caught.value.problems} == {
        ("parties.dana.name", "key 'name' is given more than once; give it once"),
        ("preferences.dana.reservation", "key 'reservation' is given more than once; give it once"),
    }


def test_json_number_of_thousands_of_digits_is_a_message() -> None:
    text = dumps_json(load(JOB_OFFER)).replace('"reservation": 0.55', '"reservation": ' + "7" * 6000)
    with pytest.raises(ScenarioError, match="a whole number with 6000 digits"):
        loads(text, format="json")


def test_schema_still_describes_the_types() -> None:
    from accord.io.scenario_file import json_schema

    schema = json.dumps(json_schema())
    assert '"format": "date"' in schema and '"maxLength": 1000' in schema


def test_an_empty_must_accept_is_fine_in_a_structure_only_file() -> None:
    text = JOB_OFFER.read_text().replace('must_accept = ["dana", "northwind"]', "must_accept = []")
    text = text[: text.index("[preferences.dana]")] + text[text.index("[[texts]]"):]
    assert loads(text).scenario.must_accept == []
