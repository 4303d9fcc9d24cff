"""The DEU III table of EU legislative decisions (Arregui & Perarnaud, 2021), read safely.

*Decision-making in the European Union III* (doi:10.34810/data53, CC BY 4.0)
records, for EU legislative issues, each actor's initial position and salience
(0–100), the reference point and the decision outcome on a common 0–100
scale per issue.  The tab-separated copy this reads (``deu3.tsv``; see its
README) has 75 columns: proposal and issue ids, instrument, Council
configuration, procedure, voting rule, dates, then ``p<actor>`` and
``s<actor>`` for 30 actors (the Commission, the Parliament and 28 member
states), ``rp`` and ``out``.  Its traps, handled here:

* line 2 is a row of GDP figures added by the copy, not an issue: it is kept
  apart (:attr:`Deu3Table.gdp`, labelled as the copy's addition) and never
  read as an issue;
* issues with an empty outcome are skipped and listed
  (:attr:`Deu3Table.skipped`);
* an empty salience next to a position counts as 0 (that actor drops out of
  salience-weighted models), as in the README's baseline;
* the ERDF proposal is split over two proposal ids; issues are grouped by the
  proposal part of their issue id (``d04167i3`` → ``d04167``), so that linked
  issues stay together when a backtest splits the data.

Every malformed cell is a :class:`~accord.errors.ScenarioError` naming the
line, the column and what is expected.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
from dataclasses import dataclass

import numpy as np

from accord.errors import Problem, ScenarioError
from accord.io.files import decode_text, display_name, read_bytes
from accord.model.spatial import BacktestData
from accord.space import FloatArray

__all__ = ["DEU3_ACTORS", "MAX_DEU3_BYTES", "Deu3Issue", "Deu3Table", "parse_deu3", "read_deu3"]

#: The copy is 88 kB; anything above this is refused unread.
MAX_DEU3_BYTES = 16 * 1024 * 1024

#: Actor suffixes of the ``p…``/``s…`` columns, in file order.
DEU3_ACTORS = ("com", "ep", "at", "be", "bu", "cr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "el",
               "hu", "ie", "it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "si", "sk", "es",
               "se", "uk")

_TEXT_COLUMNS = ("prnr", "prname", "isnr", "type", "council", "proc", "counvte")


@dataclass(frozen=True)
class Deu3Issue:
    """One DEU III issue with a recorded outcome.

    Attributes:
        issue: the issue id (``d00032i1``).
        proposal: the proposal it belongs to, from the issue id (``d00032``).
        label: the proposal's short label (``documents``).
        instrument: ``Reg``, ``Dir`` or ``Dec``.
        council: the Council configuration.
        procedure: ``COD`` or ``CNS``.
        voting_rule: the Council's voting rule (``QMV``, ``Unan``, ``QMV(10)``).
        positions: actor → position (0–100) for the actors with one.
        saliences: actor → salience (0–100) for the same actors (empty counts as 0).
        reference_point: the policy without a new act, or None where not recorded.
        outcome: the decision outcome (0–100).
    """

    issue: str
    proposal: str
    label: str
    instrument: str
    council: str
    procedure: str
    voting_rule: str
    positions: dict[str, float]
    saliences: dict[str, float]
    reference_point: float | None
    outcome: float


@dataclass(frozen=True, eq=False)
class Deu3Table:
    """The usable issues of the table, and what was left out.

    Attributes:
        issues: the issues with an outcome, in file order.
        skipped: ids of the issues without an outcome (skipped).
        gdp: the copy's added GDP row (actor → value; not part of DEU III, unit not stated).
    """

    issues: tuple[Deu3Issue, ...]
    skipped: tuple[str, ...]
    gdp: dict[str, float]

    def arrays(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """``positions (N, 30)`` (NaN where none), ``saliences (N, 30)`` (0 where none),
        ``outcomes (N,)`` and ``reference points (N,)`` (NaN where none), actors as
        :data:`DEU3_ACTORS`."""
        n = len(self.issues)
        positions = np.full((n, len(DEU3_ACTORS)), np.nan)
        saliences = np.zeros((n, len(DEU3_ACTORS)))
        for row, issue in enumerate(self.issues):
            for actor, value in issue.positions.items():
                a = DEU3_ACTORS.index(actor)
                positions[row, a] = value
                saliences[row, a] = issue.saliences.get(actor, 0.0)
        outcomes = np.array([issue.outcome for issue in self.issues])
        reference = np.array([np.nan if issue.reference_point is None else issue.reference_point
                              for issue in self.issues])
        return positions, saliences, outcomes, reference

    def backtest_data(self) -> BacktestData:
        """The issues as the backtest's arrays; capabilities from the GDP row when present.

        Without a GDP row every capability base is 1 (``α`` then makes no difference).
        """
        positions, saliences, outcomes, reference = self.arrays()
        base = np.array([self.gdp.get(actor, 1.0) for actor in DEU3_ACTORS]) if self.gdp \
            else np.ones(len(DEU3_ACTORS))
        base = np.where(base > 0, base, 1.0)
        issues = self.issues
        return BacktestData(
            issues=tuple(i.issue for i in issues), proposals=tuple(i.proposal for i in issues),
            councils=tuple(i.council for i in issues), procedures=tuple(i.procedure for i in issues),
            voting_rules=tuple(i.voting_rule for i in issues), actors=DEU3_ACTORS,
            positions=positions, saliences=saliences, outcomes=outcomes, capability_base=base,
            reference_points=reference)

    def __repr__(self) -> str:
        return (f"Deu3Table({len(self.issues)} issues with an outcome from "
                f"{len({i.proposal for i in self.issues})} proposals; {len(self.skipped)} skipped)")


def read_deu3(path: str | os.PathLike[str], *, name: str | None = None) -> Deu3Table:
    """Read the DEU III table (tab-separated, as ``deu3.tsv``)."""
    name = name or display_name(path)
    data = read_bytes(path, what="the DEU III table (tab-separated)", limit=MAX_DEU3_BYTES, name=name)
    return parse_deu3(data, name)


def parse_deu3(data: bytes, name: str) -> Deu3Table:
    """Parse the bytes of the DEU III table; see :func:`read_deu3`."""
    if not data.strip():
        raise ScenarioError.single(name, "", "is empty; expected the DEU III table (tab-separated)")
    text = decode_text(data, name=name, what="the DEU III table (tab-separated)")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    header = [cell.strip() for cell in rows[0]]
    needed = [*_TEXT_COLUMNS, *(f"p{a}" for a in DEU3_ACTORS), *(f"s{a}" for a in DEU3_ACTORS),
              "rp", "out"]
    missing = [column for column in needed if column not in header]
    if missing:
        raise ScenarioError.single(
            name, "line 1", f"the header lacks the column(s) {', '.join(missing[:6])}"
                            f"{' …' if len(missing) > 6 else ''}; expected the DEU III columns "
                            "(prnr, isnr, council, proc, counvte, p<actor>, s<actor>, rp, out)")
    column = {label: index for index, label in enumerate(header)}
    problems: list[Problem] = []
    issues: list[Deu3Issue] = []
    skipped: list[str] = []
    gdp: dict[str, float] = {}
    seen: set[str] = set()

    def cell(row: list[str], label: str) -> str:
        index = column[label]
        return row[index].strip() if index < len(row) else ""

    def number(line: int, row: list[str], label: str) -> float | None:
        text = cell(row, label)
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not 0.0 <= value <= 100.0:
            problems.append(Problem(name, f"line {line}, column {column[label] + 1} ({label})",
                                    f"{text!r} is not a number from 0 to 100"))
            return None
        return value

    for line, row in enumerate(rows[1:], start=2):
        if not any(part.strip() for part in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(name, f"line {line}", f"{len(row)} fields; the header has "
                                                          f"{len(header)}"))
            continue
        issue_id = cell(row, "isnr")
        if not issue_id:
            if not cell(row, "out") and any(cell(row, f"p{a}") for a in DEU3_ACTORS):
                # The copy's GDP row (line 2): figures per actor, no issue.  Kept apart.
                for actor in DEU3_ACTORS:
                    with contextlib.suppress(ValueError):
                        gdp[actor] = float(cell(row, f"p{actor}"))
                continue
            problems.append(Problem(name, f"line {line}, column {column['isnr'] + 1} (isnr)",
                                    "the issue id is empty"))
            continue
        if issue_id in seen:
            problems.append(Problem(name, f"line {line}", f"issue {issue_id!r} appears twice"))
            continue
        seen.add(issue_id)
        outcome = number(line, row, "out")
        positions: dict[str, float] = {}
        saliences: dict[str, float] = {}
        for actor in DEU3_ACTORS:
            position = number(line, row, f"p{actor}")
            salience = number(line, row, f"s{actor}")
            if position is not None:
                positions[actor] = position
                saliences[actor] = salience or 0.0
        reference = number(line, row, "rp")
        if outcome is None:
            if not cell(row, "out"):
                skipped.append(issue_id)
            continue
        if not positions:
            problems.append(Problem(name, f"line {line}", f"issue {issue_id!r} has no positions"))
            continue
        proposal = issue_id.rsplit("i", 1)[0] if "i" in issue_id[1:] else cell(row, "prnr")
        issues.append(Deu3Issue(issue_id, proposal, cell(row, "prname"), cell(row, "type"),
                                cell(row, "council"), cell(row, "proc"), cell(row, "counvte"),
                                positions, saliences, reference, outcome))
    if problems:
        raise ScenarioError(problems[:50])
    return Deu3Table(tuple(issues), tuple(skipped), gdp)
