"""GeniusWeb JSON domains and linear-additive profiles.

GeniusWeb (the successor of GENIUS) writes a domain as
``{"name": …, "issuesValues": {issue: {"values": [...]} | {"range": {"low", "high", "step"}}}}``
and a profile as ``{"LinearAdditiveUtilitySpace": {"issueUtilities": …, "issueWeights": …,
"domain": …, "name": …, "reservationBid": {"issuevalues": …}}}``.  Its semantics
differ from GENIUS XML and are simpler, and accord keeps them exactly:

* ``U(bid) = Σ_i w_i · u_i(value)``, with the weights required to sum to exactly 1
  (compared as decimals, as GeniusWeb does) and every utility in [0, 1]: no
  per-issue maximum normalisation and no cap, so the profile *is* accord's
  additive utility;
* ``discreteutils`` map each value to its utility and must list exactly the
  domain's values; ``numberutils`` interpolate linearly between
  ``(lowValue, lowUtility)`` and ``(highValue, highUtility)``, rounded half-up
  to 8 decimals as GeniusWeb does, for a number issue ``low, low + step, …, high``;
* the reservation value is the utility of the ``reservationBid`` (0 without one);
* GeniusWeb has no discount factor.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import Problem, ScenarioError
from accord.io.files import display_name, read_text

if TYPE_CHECKING:
    from accord.model.scenario import Scenario

__all__ = ["MAX_JSON_BYTES", "MAX_NUMBER_VALUES", "load", "load_folder"]

MAX_JSON_BYTES = 16 * 1024 * 1024
#: Largest number issue accepted: each value of the range becomes an option.
MAX_NUMBER_VALUES = 10_001
_PROFILE_KEY = "LinearAdditiveUtilitySpace"


#: Bounds of a number issue's range (GeniusWeb writes them as JSON numbers).
_MAX_RANGE_NUMBER = 10**15

def _read_json(path: Path) -> Any:
    name = display_name(path)
    text = read_text(path, what="a GeniusWeb JSON file", limit=MAX_JSON_BYTES, name=name)
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError as error:
        raise ScenarioError.single(name, f"line {error.lineno}, column {error.colno}",
                                   f"invalid JSON: {error.msg}") from None
    except RecursionError:
        raise ScenarioError.single(name, "", "invalid JSON: nested too deeply (refused)") from None


class _Domain:
    def __init__(self, file: str, name: str, issues: dict[str, list[Any]]) -> None:
        self.file = file
        self.name = name
        self.issues = issues  # issue name → values (str for discrete, Decimal for numbers)
        self.number_ranges: dict[str, tuple[Decimal, Decimal]] = {}


def _fail(file: str, path: str, message: str) -> ScenarioError:
    return ScenarioError.single(file, path, message)


def _domain(document: Any, file: str, where: str = "") -> _Domain:
    if not isinstance(document, Mapping) or not isinstance(document.get("issuesValues"), Mapping):
        raise _fail(file, where or "(top level)",
                    "not a GeniusWeb domain: expected an object with \"issuesValues\"")
    name = document.get("name")
    issues: dict[str, list[Any]] = {}
    ranges: dict[str, tuple[Decimal, Decimal]] = {}
    prefix = f"{where}." if where else ""
    for issue, spec in document["issuesValues"].items():
        path = f"{prefix}issuesValues.{issue}"
        if not isinstance(spec, Mapping):
            raise _fail(file, path, "expected {\"values\": [...]} or {\"range\": {...}}")
        if "values" in spec:
            values = spec["values"]
            if not isinstance(values, list) or not values:
                raise _fail(file, f"{path}.values", "expected a non-empty list of values")
            if not all(isinstance(v, str) for v in values):
                raise _fail(file, f"{path}.values", "discrete values must be strings")
            if len(set(values)) != len(values):
                raise _fail(file, f"{path}.values", "values must be distinct")
            issues[issue] = list(values)
        elif "range" in spec and isinstance(spec["range"], Mapping):
            bounds = spec["range"]
            try:
                low, high, step = (Decimal(bounds[k]) for k in ("low", "high", "step"))
            except (KeyError, InvalidOperation, TypeError, ValueError):
                raise _fail(file, f"{path}.range", "expected numbers low, high and step") from None
            if not all(x.is_finite() and abs(x) <= _MAX_RANGE_NUMBER for x in (low, high, step)):
                raise _fail(file, f"{path}.range", f"low, high and step must be finite numbers "
                                                   f"of at most {_MAX_RANGE_NUMBER:,} in size")
            if step <= 0 or high < low:
                raise _fail(file, f"{path}.range", "needs step > 0 and low ≤ high")
            count = int((high - low) / step) + 1
            if count > MAX_NUMBER_VALUES:
                raise _fail(file, f"{path}.range", f"has {count} values; accord makes one option "
                                                   f"per value and accepts at most "
                                                   f"{MAX_NUMBER_VALUES}")
            issues[issue] = [low + k * step for k in range(count)]
            ranges[issue] = (low, high)
        else:
            raise _fail(file, path, "expected {\"values\": [...]} or {\"range\": {...}}")
    if not issues:
        raise _fail(file, f"{prefix}issuesValues", "the domain has no issues")
    domain = _Domain(file, str(name) if name is not None else Path(file).stem, issues)
    domain.number_ranges = ranges
    return domain


def _unit(file: str, path: str, value: Any) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise _fail(file, path, f"expected a number, got {value!r}")
    if value < 0 or value > 1:
        raise _fail(file, path, f"must be between 0 and 1, got {value}")
    return value


def _number_utility(spec: Mapping[str, Decimal], x: Decimal) -> Decimal:
    low, high = spec["lowValue"], spec["highValue"]
    if x < low or x > high:
        return Decimal(0)
    delta_u = spec["highUtility"] - spec["lowUtility"]
    value = spec["lowUtility"] + delta_u * (x - low) / (high - low)
    return value.quantize(Decimal("1.00000000"), rounding=ROUND_HALF_UP)


def _profile(document: Any, file: str, domain: _Domain) -> dict[str, Any]:
    """``{"weights": {issue: Decimal}, "utilities": {issue: [Decimal per value]}, "rv": Decimal}``."""
    if not isinstance(document, Mapping) or _PROFILE_KEY not in document:
        kinds = ", ".join(repr(k) for k in document) if isinstance(document, Mapping) else ""
        raise _fail(file, "(top level)",
                    f"not a GeniusWeb linear-additive profile (expected {_PROFILE_KEY!r}"
                    f"{', found ' + kinds if kinds else ''})")
    body = document[_PROFILE_KEY]
    if not isinstance(body, Mapping):
        raise _fail(file, _PROFILE_KEY, "expected an object")
    if isinstance(body.get("domain"), Mapping):
        embedded = _domain(body["domain"], file, f"{_PROFILE_KEY}.domain")
        if embedded.issues != domain.issues:
            raise _fail(file, f"{_PROFILE_KEY}.domain",
                        f"the profile's domain differs from {Path(domain.file).name}")
    utilities_spec = body.get("issueUtilities")
    weights_spec = body.get("issueWeights")
    if not isinstance(utilities_spec, Mapping) or not isinstance(weights_spec, Mapping):
        raise _fail(file, _PROFILE_KEY, "needs \"issueUtilities\" and \"issueWeights\" objects")
    for key, spec in (("issueUtilities", utilities_spec), ("issueWeights", weights_spec)):
        extra = [k for k in spec if k not in domain.issues]
        missing = [k for k in domain.issues if k not in spec]
        if extra:
            raise _fail(file, f"{_PROFILE_KEY}.{key}.{extra[0]}",
                        f"the domain {Path(domain.file).name} has no issue {extra[0]!r}")
        if missing:
            raise _fail(file, f"{_PROFILE_KEY}.{key}",
                        f"no entry for issue{'s' if len(missing) > 1 else ''} "
                        f"{', '.join(repr(m) for m in missing)}")
    weights = {}
    for issue, weight in weights_spec.items():
        weights[issue] = _unit(file, f"{_PROFILE_KEY}.issueWeights.{issue}", weight)
    total = sum(weights.values(), Decimal(0))
    if total != 1:
        raise _fail(file, f"{_PROFILE_KEY}.issueWeights",
                    f"the weights sum to {total}; GeniusWeb requires exactly 1")
    utilities: dict[str, list[Decimal]] = {}
    for issue, spec in utilities_spec.items():
        path = f"{_PROFILE_KEY}.issueUtilities.{issue}"
        values = domain.issues[issue]
        if isinstance(spec, Mapping) and isinstance(spec.get("discreteutils"), Mapping):
            table = spec["discreteutils"].get("valueUtilities")
            if not isinstance(table, Mapping):
                raise _fail(file, f"{path}.discreteutils", "needs a \"valueUtilities\" object")
            if issue in domain.number_ranges or set(table) != set(values):
                raise _fail(file, f"{path}.discreteutils.valueUtilities",
                            "the values do not match the domain's values for this issue: "
                            f"{sorted(set(table) ^ {str(v) for v in values})[:5]}")
            utilities[issue] = [_unit(file, f"{path}.discreteutils.valueUtilities.{v}", table[v])
                                for v in values]
        elif isinstance(spec, Mapping) and isinstance(spec.get("numberutils"), Mapping):
            numbers = spec["numberutils"]
            where = f"{path}.numberutils"
            if issue not in domain.number_ranges:
                raise _fail(file, where, "number utilities for an issue with discrete values")
            try:
                parsed = {k: Decimal(numbers[k]) for k in
                          ("lowValue", "lowUtility", "highValue", "highUtility")}
            except (KeyError, InvalidOperation, TypeError, ValueError):
                raise _fail(file, where, "needs numbers lowValue, lowUtility, highValue and "
                                         "highUtility") from None
            _unit(file, f"{where}.lowUtility", parsed["lowUtility"])
            _unit(file, f"{where}.highUtility", parsed["highUtility"])
            if (parsed["lowValue"], parsed["highValue"]) != domain.number_ranges[issue]:
                raise _fail(file, where, "lowValue and highValue must be the range's low and high")
            utilities[issue] = [_number_utility(parsed, Decimal(v)) for v in values]
        else:
            raise _fail(file, path, "expected {\"discreteutils\": …} or {\"numberutils\": …}")
    rv = Decimal(0)
    reservation = body.get("reservationBid")
    if isinstance(reservation, Mapping):
        chosen = reservation.get("issuevalues")
        if not isinstance(chosen, Mapping):
            raise _fail(file, f"{_PROFILE_KEY}.reservationBid", "needs an \"issuevalues\" object")
        for issue, value in chosen.items():
            if issue not in domain.issues:
                raise _fail(file, f"{_PROFILE_KEY}.reservationBid.issuevalues.{issue}",
                            "unknown issue")
            options = domain.issues[issue]
            try:
                chosen_value: Any = value if isinstance(value, str) else Decimal(value)
            except (TypeError, ValueError, ArithmeticError):
                raise _fail(file, f"{_PROFILE_KEY}.reservationBid.issuevalues.{issue}",
                            "expected a value of the issue (a string or a number)") from None
            if chosen_value not in options:
                raise _fail(file, f"{_PROFILE_KEY}.reservationBid.issuevalues.{issue}",
                            f"{value!r} is not a value of this issue")
            rv += weights[issue] * utilities[issue][options.index(chosen_value)]
    return {"weights": weights, "utilities": utilities, "rv": rv}


def _kind(document: Any) -> str:
    if isinstance(document, Mapping):
        if "issuesValues" in document:
            return "domain"
        if _PROFILE_KEY in document or len(document) == 1:
            return "profile"
    return "other"


def load_folder(path: str | os.PathLike[str]) -> Scenario:
    """Read a folder of GeniusWeb JSON files: one domain and its profiles."""
    folder = Path(path)
    files = sorted((p for p in folder.iterdir() if p.suffix.lower() == ".json"),
                   key=lambda p: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.name)])
    documents: list[tuple[Path, Any]] = []
    problems: list[Problem] = []
    for file in files:
        try:
            documents.append((file, _read_json(file)))
        except ScenarioError as error:
            problems.extend(error.problems)
    if problems:
        raise ScenarioError(problems)
    domains = [(f, d) for f, d in documents if _kind(d) == "domain"]
    if len(domains) != 1:
        raise ScenarioError.single(str(folder), "", f"expected one GeniusWeb domain file "
                                                    f"(with \"issuesValues\"), found {len(domains)}")
    profiles = [f for f, d in documents if _kind(d) == "profile"]
    return _scenario(domains[0][0], domains[0][1], [(f, dict(documents)[f]) for f in profiles],
                     folder)


def load(domain_file: str | os.PathLike[str],
         profile_files: Sequence[str | os.PathLike[str]]) -> Scenario:
    """Read an explicit GeniusWeb domain file and profile files."""
    domain_path = Path(domain_file)
    domain_document = _read_json(domain_path)
    profiles = [(Path(p), _read_json(Path(p))) for p in profile_files]
    return _scenario(domain_path, domain_document, profiles, domain_path.parent)


def _scenario(domain_path: Path, domain_document: Any, profiles: list[tuple[Path, Any]],
              source: Path) -> Scenario:
    from accord.io.genius_common import slugify, validate_document
    from accord.io.genius_common import unique as _unique

    domain = _domain(domain_document, str(domain_path))
    if not profiles:
        raise ScenarioError.single(str(source), "", "no GeniusWeb profiles found")
    problems: list[Problem] = []
    parsed = []
    for path, document in profiles:
        try:
            parsed.append((path, _profile(document, str(path), domain)))
        except ScenarioError as error:
            problems.extend(error.problems)
    if problems:
        raise ScenarioError(problems)
    taken_issues: set[str] = set()
    issues = []
    option_ids: dict[str, list[str]] = {}
    issue_ids: dict[str, str] = {}
    for n, (issue, issue_values) in enumerate(domain.issues.items(), start=1):
        issue_id = _unique(slugify(issue, f"issue-{n}"), taken_issues)
        issue_ids[issue] = issue_id
        taken: set[str] = set()
        labels = [v if isinstance(v, str) else format(v.normalize(), "f") for v in issue_values]
        option_ids[issue] = [_unique(slugify(label, f"option-{k}"), taken)
                             for k, label in enumerate(labels, start=1)]
        issues.append({"id": issue_id, "title": issue,
                       "options": [{"id": o, "label": label}
                                   for o, label in zip(option_ids[issue], labels, strict=True)]})
    parties = []
    preferences: dict[str, Any] = {}
    taken_parties: set[str] = set()
    for n, (path, profile) in enumerate(parsed, start=1):
        party_id = _unique(slugify(path.stem, f"party-{n}"), taken_parties)
        parties.append({"id": party_id, "name": path.stem, "role": "principal",
                        "description": f"GeniusWeb profile {path.name}"})
        weights = {issue_ids[i]: float(w) for i, w in profile["weights"].items() if w > 0}
        values = {issue_ids[i]: {o: float(u) for o, u in
                                 zip(option_ids[i], profile["utilities"][i], strict=True)}
                  for i in profile["weights"] if profile["weights"][i] > 0}
        preferences[party_id] = {"estimate": False, "basis": f"GeniusWeb profile {path.name}",
                                 "reservation": float(profile["rv"]), "weights": weights,
                                 "values": values}
    document = {
        "scenario": {"title": source.name or domain.name,
                     "description": f"GeniusWeb domain {domain.name!r} "
                                    f"({Path(domain.file).name}): {len(issues)} issues, "
                                    f"{len(parsed)} profiles."},
        "parties": parties,
        "issues": issues,
        "preferences": preferences,
    }
    return validate_document(document, str(source))
