"""Adjusted Winner: two parties divide items with 100 points each, in exact fractions.

Brams, S. J. and Taylor, A. D. (1996), *Fair Division: From Cake-Cutting to
Dispute Resolution*, ch. 4; (1999) *The Win-Win Solution*.  Each party spreads
100 points over the items.  Every item first goes to the party that values it
more; the party then ahead (the "winner") gives items back, in increasing order
of the ratio (winner's points / loser's points), until the scores would cross;
the item at which they would cross is split so that both end with exactly the
same score.  The result is envy-free, equitable and efficient (Pareto-optimal
among fractional divisions) and splits at most one item.

Arithmetic is in :class:`fractions.Fraction` throughout, so the equality of the
two scores is exact, not approximate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from accord.protocols.limits import shown

if TYPE_CHECKING:
    from accord.errors import Problem

__all__ = ["POINTS_TOTAL", "Division", "adjusted_winner", "check_points", "read_points"]

#: The points each party spreads over the items.
POINTS_TOTAL = 100
#: A table of points larger than this is refused unread (a table lists a few dozen items).
MAX_TABLE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Division:
    """The result of Adjusted Winner.

    Attributes:
        parties: the two parties, in input order.
        items: the item ids, in input order.
        shares: ``shares[item][party]`` the fraction of the item the party receives
            (the two fractions of an item sum to 1).
        scores: each party's points from its shares, by its own valuation.
        split_item: the item divided between the parties, or None.
        initial_winner: the party ahead after the first allocation (it gave items back).
    """

    parties: tuple[str, str]
    items: tuple[str, ...]
    shares: Mapping[str, Mapping[str, Fraction]]
    scores: Mapping[str, Fraction]
    split_item: str | None
    initial_winner: str

    def as_dict(self) -> dict[str, object]:
        """JSON-able form with fractions written as ``"5/6"`` (integers as ``"1"``, ``"0"``)."""
        return {
            "allocation": {
                item: {party: str(self.shares[item][party]) for party in self.parties}
                for item in self.items
            },
            "scores": {party: str(self.scores[party]) for party in self.parties},
            "split_item": self.split_item,
            "initial_winner": self.initial_winner,
        }


def check_points(parties: Sequence[str], points: Mapping[str, Mapping[str, object]]) -> list[str]:
    """Problems with a points table (empty when it is valid), each a sentence naming the place.

    ``points[item][party]`` must be a non-negative integer or fraction, and each
    party's points must sum to exactly :data:`POINTS_TOTAL`.
    """
    problems: list[str] = []
    if len(parties) != 2:
        problems.append(f"Adjusted Winner divides between exactly 2 parties, got {len(parties)}")
        return problems
    if parties[0] == parties[1]:
        problems.append(f"the two parties must differ, got {parties[0]!r} twice")
        return problems
    if not points:
        problems.append("there are no items to divide")
    totals = {party: Fraction(0) for party in parties}
    for item, row in points.items():
        for party in parties:
            if party not in row:
                problems.append(f"item {item!r}: no points for party {party!r}")
                continue
            value = row[party]
            if isinstance(value, bool) or not isinstance(value, int | Fraction):
                problems.append(f"item {item!r}, party {party!r}: points must be a whole "
                                f"number or a fraction, got {shown(value)}")
                continue
            if not 0 <= value <= POINTS_TOTAL:
                problems.append(f"item {item!r}, party {party!r}: points must be from 0 to "
                                f"{POINTS_TOTAL}, got {shown(value)}")
                continue
            totals[party] += Fraction(value)
        for party in row:
            if party not in parties:
                problems.append(f"item {item!r}: points for {party!r}, which is not one of "
                                f"the parties ({', '.join(parties)})")
    if not problems:
        for party in parties:
            if totals[party] != POINTS_TOTAL:
                problems.append(f"party {party!r}: points sum to {totals[party]}, "
                                f"expected {POINTS_TOTAL}")
    return problems


def adjusted_winner(
    parties: Sequence[str], points: Mapping[str, Mapping[str, int | Fraction]]
) -> Division:
    """Divide the items by Adjusted Winner.

    Args:
        parties: the two parties.
        points: ``points[item][party]``, each party's points summing to 100
            (checked; :class:`ValueError` lists the problems otherwise).

    Items both parties value equally go first to the first party; they then
    have ratio 1 and are the first given back if the first party is ahead, so
    the tie rule does not affect the scores' equality or efficiency.
    """
    problems = check_points(parties, points)
    if problems:
        raise ValueError("; ".join(problems))
    first, second = parties[0], parties[1]
    items = tuple(points)
    value = {item: (Fraction(points[item][first]), Fraction(points[item][second]))
             for item in items}

    holder = {item: 0 if value[item][0] >= value[item][1] else 1 for item in items}
    score = [sum((value[i][0] for i in items if holder[i] == 0), Fraction(0)),
             sum((value[i][1] for i in items if holder[i] == 1), Fraction(0))]
    winner = 0 if score[0] >= score[1] else 1
    loser = 1 - winner
    share_to_loser = {item: Fraction(1 if holder[item] == loser else 0) for item in items}

    # The winner's items in increasing ratio winner/loser: giving back the
    # cheapest-for-the-winner points per point gained by the loser keeps the
    # division efficient.  Ratios are compared by cross-multiplying, so an item
    # the loser values at 0 (infinite ratio) needs no special case.
    from functools import cmp_to_key

    def by_ratio(a: str, b: str) -> int:
        wa, la = value[a][winner], value[a][loser]
        wb, lb = value[b][winner], value[b][loser]
        left, right = wa * lb, wb * la
        if la == 0 and wa == 0:  # a worthless item: give it back first, it changes nothing
            return -1 if not (lb == 0 and wb == 0) else 0
        if lb == 0 and wb == 0:
            return 1
        return -1 if left < right else (1 if left > right else 0)

    split_item: str | None = None
    for item in sorted((i for i in items if holder[i] == winner), key=cmp_to_key(by_ratio)):
        if score[winner] == score[loser]:
            break
        w, lo = value[item][winner], value[item][loser]
        if score[winner] - w >= score[loser] + lo:
            share_to_loser[item] = Fraction(1)
            score[winner] -= w
            score[loser] += lo
            continue
        # Split: a fraction f of the item moves so that the scores meet exactly.
        fraction = (score[winner] - score[loser]) / (w + lo)
        share_to_loser[item] = fraction
        score[winner] -= fraction * w
        score[loser] += fraction * lo
        split_item = item
        break

    names = (first, second)
    shares = {
        item: {names[loser]: share_to_loser[item], names[winner]: 1 - share_to_loser[item]}
        for item in items
    }
    ordered = {item: {party: shares[item][party] for party in names} for item in items}
    scores = {party: sum((value[item][k] * ordered[item][party] for item in items), Fraction(0))
              for k, party in enumerate(names)}
    return Division(parties=(first, second), items=items, shares=ordered, scores=scores,
                    split_item=split_item, initial_winner=names[winner])


def read_points(path: str | object) -> tuple[tuple[str, ...], dict[str, dict[str, int | Fraction]]]:
    """Read a points table for :func:`adjusted_winner` from TOML or CSV.

    TOML::

        parties = ["carol", "bob"]
        [[items]]
        id = "retirement"
        points = { carol = 50, bob = 40 }

    CSV: a header ``item,<party>,<party>`` and one row per item.  Points may be
    whole numbers or fractions written ``a/b``.  Every problem found raises
    :class:`~accord.errors.ScenarioError` naming the file and the place; the
    points themselves are checked by :func:`check_points`.
    """
    from pathlib import Path

    from accord.errors import Problem, ScenarioError
    from accord.io.files import display_name, read_text

    file = Path(str(path))
    name = display_name(str(path))
    text = read_text(file, what="a table of points (.toml or .csv)", limit=MAX_TABLE_BYTES,
                     name=name)

    problems: list[Problem] = []
    points: dict[str, dict[str, int | Fraction]] = {}
    if file.suffix.lower() == ".csv":
        parties = _read_csv(name, text, points, problems)
    elif file.suffix.lower() == ".toml":
        parties = _read_toml(name, text, points, problems)
    else:
        raise ScenarioError.single(name, "", "expected a .toml or .csv file of points "
                                   f"(got suffix {file.suffix or '(none)'!r})")
    if problems:
        raise ScenarioError(problems)
    for message in check_points(parties, points):
        problems.append(Problem(name, "", message))
    if problems:
        raise ScenarioError(problems)
    return parties, points


#: A points string: a whole number, a decimal or a fraction a/b, each part at most 15 digits
#: (Fraction("1e999999999") would compute 10**999999999 before any range check).
_POINTS = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?|-?\d{1,15}\s*/\s*\d{1,15}")


def _parse_points(value: object) -> int | Fraction | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _POINTS.fullmatch(value.strip()):
        try:
            parsed = Fraction(value.strip().replace(" ", ""))
        except (ValueError, ZeroDivisionError):
            return None
        return int(parsed) if parsed.denominator == 1 else parsed
    return None


def _read_toml(name: str, text: str, points: dict[str, dict[str, int | Fraction]],
               problems: list[Problem]) -> tuple[str, ...]:
    import tomllib

    from accord.errors import Problem, ScenarioError

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError.single(name, "", f"not valid TOML: {error}") from None
    except ValueError:  # Python refuses to convert a whole number of thousands of digits
        raise ScenarioError.single(name, "", "not valid here: a number with thousands of digits; "
                                             "points are at most 100") from None
    except RecursionError:
        raise ScenarioError.single(name, "", "not valid TOML: nested too deeply") from None
    parties = data.get("parties")
    if not isinstance(parties, list) or not all(isinstance(p, str) for p in parties):
        problems.append(Problem(name, "parties", 'expected a list of two party ids, '
                                'e.g. parties = ["carol", "bob"]'))
        parties = []
    for key in data:
        if key not in ("parties", "items", "title", "description"):
            problems.append(Problem(name, key, "unknown key; expected parties and [[items]]"))
    items = data.get("items")
    if not isinstance(items, list) or not items:
        problems.append(Problem(name, "items", "expected one [[items]] table per item, "
                                'each with id = "..." and points = { <party> = <points>, ... }'))
        return tuple(parties)
    for k, item in enumerate(items):
        place = f"items[{k}]"
        if not isinstance(item, dict):
            problems.append(Problem(name, place, "expected a table with id and points"))
            continue
        item_id = item.get("id")
        if not isinstance(item_id, str) or not item_id:
            problems.append(Problem(name, f"{place}.id", "expected the item's id as a string"))
            continue
        if item_id in points:
            problems.append(Problem(name, f"{place}.id", f"item {item_id!r} appears twice"))
            continue
        for key in item:
            if key not in ("id", "points", "label"):
                problems.append(Problem(name, f"{place}.{key}",
                                        "unknown key; expected id and points"))
        row = item.get("points")
        if not isinstance(row, dict):
            problems.append(Problem(name, f"{place}.points",
                                    "expected points = { <party> = <points>, ... }"))
            continue
        parsed_row: dict[str, int | Fraction] = {}
        for party, value in row.items():
            parsed = _parse_points(value)
            if parsed is None:
                problems.append(Problem(name, f"{place}.points.{party}",
                                        f"expected a whole number or a fraction, got {shown(value)}"))
            else:
                parsed_row[party] = parsed
        points[item_id] = parsed_row
    return tuple(parties)


def _read_csv(name: str, text: str, points: dict[str, dict[str, int | Fraction]],
              problems: list[Problem]) -> tuple[str, ...]:
    import csv
    import io

    from accord.errors import Problem, ScenarioError

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:  # a field over the csv module's limit, a stray NUL or line end
        raise ScenarioError.single(name, f"line {reader.line_num}",
                                   f"not a readable CSV table: {error}") from None
    if not rows:
        raise ScenarioError.single(name, "", "empty file; expected a header item,<party>,<party>")
    header = [cell.strip() for cell in rows[0]]
    if len(header) != 3 or not all(header):
        raise ScenarioError.single(name, "line 1", "expected the header item,<party>,<party> "
                                   f"(got {','.join(header)!r})")
    parties = tuple(header[1:])
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row]
        if len(cells) != 3:
            problems.append(Problem(name, f"line {number}", f"expected 3 cells, got {len(cells)}"))
            continue
        item_id = cells[0]
        if item_id in points:
            problems.append(Problem(name, f"line {number}", f"item {item_id!r} appears twice"))
            continue
        parsed_row: dict[str, int | Fraction] = {}
        for party, cell in zip(parties, cells[1:], strict=True):
            parsed = _parse_points(cell)
            if parsed is None:
                problems.append(Problem(name, f"line {number}, column {party}",
                                        f"expected a whole number or a fraction, got {shown(cell)}"))
            else:
                parsed_row[party] = parsed
        points[item_id] = parsed_row
    return parties
