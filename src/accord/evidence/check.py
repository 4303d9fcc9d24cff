"""Stated positions against estimates: where a scenario's statements contradict its numbers.

For each statement tied to an issue, the stance is the file's own (``stance``)
or else read from the quote and its evidence span, and the options are the
file's (``options``) or those the words name under that stance — both by
:func:`accord.evidence.position.position_of`, the reading ``accord ingest``
proposes, so that a statement ingested and then checked reads the same.  Then, for the speaker's party:

* **rules out** an option — a contradiction when the estimates value that option
  at :data:`HIGH` or more (``values-ruled-out``); and a red line stated in
  public but missing from the file when the option is not a certain red line
  (``missing-red-line``);
* **insists on** an option — a contradiction when it is one of the party's red
  lines (``red-line-insisted``), or when the estimates value it at most
  :data:`LOW` while another option of the issue scores higher (``insists-on-low``);
* **accepts** an option — a contradiction when it is a certain red line
  (``accepts-red-line``);
* a position on an issue the party's weights leave out (``no-weight``).

Progress and difficulty are general and contradict no number.  Red lines the
file gives a party that none of its statements backs (a rules-out or
insists-on on that issue) are listed too: an estimate without public evidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.evidence.linking import Linker
from accord.evidence.position import position_of
from accord.model import Preferences, Scenario, Stance
from accord.model.uncertain import point_estimate, red_line_chance

__all__ = ["HIGH", "LOW", "EvidenceCheck", "Finding", "StatementReading", "check_evidence"]

#: An option valued at least this high is one the party likes: ruling it out contradicts the estimate.
HIGH = 0.5
#: An option valued at most this low is one the party dislikes: insisting on it contradicts the estimate.
LOW = 0.5


@dataclass(frozen=True)
class StatementReading:
    """One statement of the file and the stance read from it."""

    index: int
    party: str
    person: str | None
    date: dt.date
    quote: str
    issues: tuple[str, ...]
    stance: Stance | None
    options: tuple[str, ...]
    stance_from: str   # "file" (the statement's own) or "read" (from the quote), "" when none


@dataclass(frozen=True)
class Finding:
    """A statement at odds with the scenario's estimates."""

    kind: str
    statement: int
    party: str
    issue: str
    option: str | None
    stance: Stance
    value: float | None
    message: str


@dataclass(frozen=True)
class EvidenceCheck:
    """Every statement's reading, the contradictions, and the red lines no statement backs."""

    readings: tuple[StatementReading, ...]
    findings: tuple[Finding, ...]
    unbacked_red_lines: tuple[tuple[str, str, str, float], ...]  # (party, issue, option, chance)


def check_evidence(scenario: Scenario) -> EvidenceCheck:
    """Compare the statements of ``scenario`` with its estimated preferences."""
    linker = Linker(scenario)
    labels = {(i.id, o.id): o.label for i in scenario.issues for o in i.options}
    readings: list[StatementReading] = []
    findings: list[Finding] = []
    backed: set[tuple[str, str]] = set()
    for index, statement in enumerate(scenario.statements):
        # The reading `accord ingest` proposes (one function for both): the file's own stance and
        # options win, and what it leaves out is read from the quote and its evidence.
        position = position_of(statement.quote, statement.evidence, statement.issues, linker,
                               stance=statement.stance)
        stance = position.stance
        source = "file" if statement.stance is not None else ("read" if stance else "")
        options = list(statement.options) or list(position.options)
        readings.append(StatementReading(
            index=index, party=statement.speaker, person=statement.person, date=statement.date,
            quote=statement.quote, issues=tuple(statement.issues), stance=stance,
            options=tuple(options), stance_from=source))
        if stance in (Stance.RULES_OUT, Stance.INSISTS_ON):
            backed.update((statement.speaker, i) for i in statement.issues)
        prefs = scenario.preferences.get(statement.speaker)
        if prefs is None or stance is None or stance in (Stance.PROGRESS, Stance.DIFFICULTY):
            continue
        for issue_id in statement.issues:
            if issue_id not in prefs.weights:
                findings.append(Finding(
                    "no-weight", index, statement.speaker, issue_id, None, stance, None,
                    f"states a position ({stance.value}) on {issue_id!r}, which the estimates of "
                    f"{statement.speaker!r} give no weight"))
        for option in options:
            issue_id = next(i for i in statement.issues if (i, option) in labels)
            findings.extend(_compare(index, statement.speaker, issue_id, option, stance, prefs,
                                     labels[(issue_id, option)]))
    unbacked = []
    for party_id, prefs in scenario.preferences.items():
        for issue_id, entries in prefs.red_lines.items():
            if (party_id, issue_id) in backed:
                continue
            for entry in entries:
                option, chance = red_line_chance(entry)
                unbacked.append((party_id, issue_id, option, chance))
    return EvidenceCheck(readings=tuple(readings), findings=tuple(findings),
                         unbacked_red_lines=tuple(unbacked))


def _compare(index: int, party: str, issue: str, option: str, stance: Stance, prefs: Preferences,
             label: str) -> list[Finding]:
    values = {o: point_estimate(v) for o, v in prefs.values.get(issue, {}).items()}
    value = values.get(option)
    chances = dict(red_line_chance(e) for e in prefs.red_lines.get(issue, []))
    chance = chances.get(option, 0.0)
    found: list[Finding] = []

    def add(kind: str, message: str) -> None:
        found.append(Finding(kind, index, party, issue, option, stance, value, message))

    if stance is Stance.RULES_OUT:
        if value is not None and value >= HIGH:
            add("values-ruled-out", f"rules out “{label}” ({issue}.{option}), which the estimates "
                                    f"value at {value:.2f}")
        if chance < 1.0:
            add("missing-red-line", f"rules out “{label}” ({issue}.{option}) in public, but the file "
                                    + (f"makes it a red line only with probability {chance:.2f}"
                                       if chance else "does not make it a red line"))
    elif stance is Stance.INSISTS_ON:
        if chance > 0:
            add("red-line-insisted", f"insists on “{label}” ({issue}.{option}), which the file makes "
                                     f"one of its red lines (probability {chance:.2f})")
        elif value is not None and value <= LOW and values and max(values.values()) > value:
            best = max(values, key=lambda o: values[o])
            add("insists-on-low", f"insists on “{label}” ({issue}.{option}), which the estimates value "
                                  f"at {value:.2f}, below {best} ({values[best]:.2f})")
    elif stance is Stance.ACCEPTS and chance >= 1.0:
        add("accepts-red-line", f"accepts “{label}” ({issue}.{option}), which the file makes a red line")
    return found
