"""KTAB Spatial Model of Politics scenarios: the CSV and the XML format, read safely.

KAPSARC's KTAB toolkit stores an SMP scenario either as CSV or as XML (schema
``smpSchema.xsd``); both give, per actor, a capability and, per dimension, a
position and a salience on 0–100.  The XML adds the model parameters, a seed
for the random stream and an ideal-adjustment matrix.  This reader follows what
KTAB's own reader accepts and checks, and is stricter where KTAB would crash or
silently misread:

**CSV** — line 1: scenario name, description, number of actors, number of
dimensions (further fields ignored); line 2: ``Actor, Description, <power>``
then ``<position name>, <salience name>`` per dimension (each dimension is
named after its position column); then one row per actor.  A UTF-8 byte-order
mark, CRLF line ends, trailing commas, fields padded with spaces and fields in
double quotes are all accepted.  Positions and saliences lie in 0–100, each
actor's saliences sum to at most 100 (KTAB's rule) and to more than 0 (KTAB's
distance divides by it), capabilities are positive.  The declared counts must
match the rows and columns.

**XML** — ``<Scenario>`` with ``name``, ``desc``, ``prngSeed``, optional
``ModelParameters`` (the nine enumerations; both the schema's spellings and
KTAB's, e.g. ``Proportional`` and ``Prop``), ``Dimensions``, ``Actors`` and an
optional ``IdealAdjustment``.  Parsed with :mod:`defusedxml` (no DTDs, no
entities, no external references) and a nesting limit.

Every problem is a :class:`~accord.errors.ScenarioError` naming the file, the
place (``line 5, column 4`` in a CSV; ``Actors/Actor[1]/Position/dCoord[1]
(line 23)`` in XML) and what is expected.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import numpy as np

from accord.errors import Problem, ScenarioError
from accord.io.files import decode_text, display_name, read_bytes
from accord.model.smp_settings import (
    KTAB_DEFAULT_SEED,
    MAX_ACTORS,
    MIN_ACTORS,
    BigRAdjust,
    BigRRange,
    InterVecBrgn,
    PCEModel,
    SMPBargnModel,
    SmpParameters,
    StateTransMode,
    ThirdPartyCommit,
    VotingRule,
    VPModel,
)
from accord.model.spatial import SpatialProblem
from accord.model.suggest import did_you_mean
from accord.space import FloatArray

__all__ = ["MAX_KTAB_BYTES", "MAX_KTAB_DIMENSIONS", "KtabScenario", "parse_ktab", "read_ktab"]

#: KTAB scenarios are a few kilobytes; anything above this is refused unread.
MAX_KTAB_BYTES = 4 * 1024 * 1024
#: Most dimensions accepted (KTAB's examples have up to 6).
MAX_KTAB_DIMENSIONS = 100
_MAX_DEPTH = 32
_MAX_NAME = 256


@dataclass(frozen=True, eq=False)
class KtabScenario:
    """A KTAB SMP scenario as read from a file.

    Attributes:
        name: the scenario name.
        description: its description.
        problem: actors, dimensions, positions, saliences and capabilities.
        parameters: the model parameters and seed (KTAB's defaults where the file gives none).
        accommodation: the ideal-adjustment matrix, or None (ideals track positions).
        format: ``"csv"`` or ``"xml"``.
        has_model_parameters: True when the file set the model parameters itself.
    """

    name: str
    description: str
    problem: SpatialProblem
    parameters: SmpParameters
    accommodation: FloatArray | None
    format: str
    has_model_parameters: bool = False


def read_ktab(path: str | os.PathLike[str], *, name: str | None = None) -> KtabScenario:
    """Read a KTAB SMP scenario (``.csv`` or ``.xml``; the content decides when unsure)."""
    name = name or display_name(path)
    data = read_bytes(path, what="a KTAB scenario (CSV or XML)", limit=MAX_KTAB_BYTES, name=name)
    return parse_ktab(data, name, suffix=Path(path).suffix.lower())


def parse_ktab(data: bytes, name: str, *, suffix: str = "") -> KtabScenario:
    """Parse the bytes of a KTAB scenario; see :func:`read_ktab`."""
    if not data.strip():
        raise ScenarioError.single(name, "", "is empty; expected a KTAB scenario (CSV or XML)")
    text = decode_text(data, name=name, what="a KTAB scenario (CSV or XML)")
    looks_xml = text.lstrip().startswith("<")
    if suffix == ".xml" or (suffix != ".csv" and looks_xml):
        return _parse_xml(text, name)
    return _parse_csv(text, name)


# ---------------------------------------------------------------------------
# CSV


def _parse_csv(text: str, name: str) -> KtabScenario:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as error:  # a cell over the csv module's 128 KiB limit, a stray NUL
        raise ScenarioError.single(name, f"line {reader.line_num}",
                                   f"not a readable CSV table: {error}") from None
    # Trailing commas and padding: cells are stripped, and empty trailing cells dropped.
    cells = [[cell.strip() for cell in row] for row in rows]
    problems: list[Problem] = []

    def where(line: int, column: int | None = None) -> str:
        return f"line {line}" if column is None else f"line {line}, column {column}"

    def fail(line: int, column: int | None, message: str) -> ScenarioError:
        return ScenarioError.single(name, where(line, column), message)

    if not cells or len(cells[0]) < 4:
        raise fail(1, None, "expected the scenario line: name, description, number of actors, "
                            "number of dimensions")
    head = cells[0]
    n_actors = _count(head[2], lambda: fail(1, 3, f"expected the number of actors, got {head[2]!r}"))
    n_dims = _count(head[3], lambda: fail(1, 4, f"expected the number of dimensions, got {head[3]!r}"))
    if not MIN_ACTORS <= n_actors <= MAX_ACTORS:
        raise fail(1, 3, f"the number of actors must be between {MIN_ACTORS} and {MAX_ACTORS} "
                         f"(KTAB's limits), got {n_actors}")
    if not 1 <= n_dims <= MAX_KTAB_DIMENSIONS:
        raise fail(1, 4, f"the number of dimensions must be between 1 and {MAX_KTAB_DIMENSIONS}, "
                         f"got {n_dims}")
    width = 3 + 2 * n_dims
    if len(cells) < 2:
        raise fail(2, None, "expected the header line: Actor, Description, Power, then a position "
                            "and a salience column per dimension")
    header = cells[1]
    if len(_trimmed(header)) < width:
        raise fail(2, None, f"the header has {len(_trimmed(header))} columns; {n_dims} dimension(s) "
                            f"need {width}: Actor, Description, Power, then a position and a "
                            "salience column per dimension")
    dimensions = tuple(header[3 + 2 * d] or f"Dim{d}" for d in range(n_dims))
    actor_rows = [(number, row) for number, row in enumerate(cells[2:], start=3) if any(row)]
    if len(actor_rows) != n_actors:
        line = actor_rows[n_actors][0] if len(actor_rows) > n_actors else len(cells) + 1
        raise fail(line, None, f"line 1 declares {n_actors} actors but the file has "
                               f"{len(actor_rows)} actor rows")
    actors: list[str] = []
    descriptions: list[str] = []
    capabilities = np.zeros(n_actors)
    positions = np.zeros((n_actors, n_dims))
    saliences = np.zeros((n_actors, n_dims))
    for a, (line, row) in enumerate(actor_rows):
        values = _trimmed(row)
        if len(values) != width:
            problems.append(Problem(name, where(line), f"expected {width} fields (actor, description, "
                                    f"power, then position and salience for {n_dims} dimension(s)), "
                                    f"found {len(values)}"))
            continue
        actor = values[0]
        if not actor:
            problems.append(Problem(name, where(line, 1), "the actor's short name is empty"))
        elif actor in actors:
            problems.append(Problem(name, where(line, 1), f"actor {actor!r} appears twice"))
        elif len(actor) > _MAX_NAME:
            problems.append(Problem(name, where(line, 1), f"the actor name is longer than "
                                    f"{_MAX_NAME} characters"))
        actors.append(actor)
        descriptions.append(values[1])
        capabilities[a] = _csv_number(problems, name, line, 3, values[2], "the capability (power)",
                                      low=0.0, low_open=True)
        for d in range(n_dims):
            positions[a, d] = _csv_number(problems, name, line, 4 + 2 * d, values[3 + 2 * d],
                                          f"the position on {dimensions[d]!r}", low=0.0, high=100.0)
            saliences[a, d] = _csv_number(problems, name, line, 5 + 2 * d, values[4 + 2 * d],
                                          f"the salience on {dimensions[d]!r}", low=0.0, high=100.0)
        _salience_total(problems, name, where(line), saliences[a])
    if problems:
        raise ScenarioError(problems)
    problem = SpatialProblem(tuple(actors), dimensions, positions, saliences, capabilities,
                             tuple(descriptions[a] or actors[a] for a in range(n_actors)))
    return KtabScenario(head[0], head[1], problem, SmpParameters(), None, "csv")


def _trimmed(row: Sequence[str]) -> list[str]:
    out = list(row)
    while out and not out[-1]:
        out.pop()
    return out


def _count(text: str, error: object) -> int:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value != int(value):
        raise error() if callable(error) else ScenarioError([])
    return int(value)


def _csv_number(problems: list[Problem], name: str, line: int, column: int, text: str, what: str,
                *, low: float, high: float | None = None, low_open: bool = False) -> float:
    place = f"line {line}, column {column}"
    expected = (f"a number above {low:g}" if high is None and low_open
                else f"a number from {low:g} to {high:g}" if high is not None else f"a number ≥ {low:g}")
    try:
        value = float(text)
    except ValueError:
        shown = "empty" if not text else repr(text)
        problems.append(Problem(name, place, f"{what} is {shown}; expected {expected}"))
        return 0.0
    if not math.isfinite(value) or value < low or (low_open and value <= low) \
            or (high is not None and value > high):
        problems.append(Problem(name, place, f"{what} is {text}; expected {expected}"))
        return 0.0
    return value


def _salience_total(problems: list[Problem], name: str, place: str, row: FloatArray) -> None:
    total = float(row.sum())
    if total > 100.0 + 1e-9:
        problems.append(Problem(name, place, f"the saliences sum to {total:g}; KTAB allows at most "
                                             "100 over all dimensions"))
    elif total <= 0.0:
        problems.append(Problem(name, place, "every salience is 0; an actor needs a positive "
                                             "salience on some dimension"))


# ---------------------------------------------------------------------------
# XML


class _Builder(TreeBuilder):
    """Builds the tree, recording each element's line and refusing deep nesting."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.depth = 0
        self.parser: object = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.depth += 1
        line = int(getattr(self.parser, "CurrentLineNumber", 0))
        if self.depth > _MAX_DEPTH:
            raise _TooDeep(line)
        element = super().start(tag, attrs)
        self.lines[id(element)] = line
        return element

    def end(self, tag: str) -> Element:
        self.depth -= 1
        return super().end(tag)


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _Xml:
    def __init__(self, name: str, lines: dict[int, int]) -> None:
        self.name = name
        self.lines = lines
        self.problems: list[Problem] = []

    def place(self, where: str, element: Element | None) -> str:
        line = self.lines.get(id(element)) if element is not None else None
        return f"{where} (line {line})" if line else where

    def add(self, where: str, element: Element | None, message: str) -> None:
        self.problems.append(Problem(self.name, self.place(where, element), message))

    def fail(self, where: str, element: Element | None, message: str) -> ScenarioError:
        return ScenarioError.single(self.name, self.place(where, element), message)


def _parse_xml(text: str, name: str) -> KtabScenario:
    import defusedxml
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    builder.parser = parser.parser
    try:
        parser.feed(text)
        root = parser.close()
    except ParseError as error:
        line, column = error.position
        message = str(error).split(":")[0]
        hint = " — is the file truncated?" if "no element found" in message or "unclosed" in \
            message else ""
        raise ScenarioError.single(name, f"line {line}, column {column + 1}",
                                   f"malformed XML ({message}){hint}") from None
    except _TooDeep as error:
        raise ScenarioError.single(name, f"line {error.line}",
                                   f"elements are nested more than {_MAX_DEPTH} levels deep; KTAB "
                                   "scenarios nest 4 (refused)") from None
    except defusedxml.DTDForbidden:
        raise ScenarioError.single(name, "", "the file has a <!DOCTYPE>; KTAB scenarios have none, "
                                             "and accord expands no DTDs or entities (refused as "
                                             "unsafe)") from None
    except defusedxml.DefusedXmlException:
        raise ScenarioError.single(name, "", "has an entity declaration or an external reference; "
                                             "KTAB scenarios have none, and accord expands none "
                                             "(refused as unsafe)") from None
    xml = _Xml(name, builder.lines)
    genius = {"utility_space": "profile", "negotiation_template": "domain"}.get(root.tag)
    if genius is not None:
        # One file of a GENIUS domain: the folder holding all of them is what accord reads.
        raise ScenarioError.single(name, "", f"is a GENIUS {genius} file, not a KTAB scenario; "
                                             "pass the folder that holds the domain and its "
                                             f"profiles instead ({Path(name).parent})")
    if root.tag != "Scenario":
        raise xml.fail(root.tag, root, f"the root element is <{root.tag}>; a KTAB scenario's is "
                                       "<Scenario>")
    _unknown_children(xml, root, "Scenario", ("name", "desc", "prngSeed", "ModelParameters",
                                              "Dimensions", "Actors", "IdealAdjustment"))
    title = _text(xml, root, "name", "Scenario", required=True)
    description = _text(xml, root, "desc", "Scenario", required=False)
    seed = _seed(xml, root)
    parameters, has_parameters = _model_parameters(xml, root, seed)
    dimensions = _dimensions(xml, root)
    problem, actor_names = _actors(xml, root, dimensions)
    accommodation = _ideal_adjustment(xml, root, actor_names)
    if xml.problems:
        raise ScenarioError(xml.problems)
    assert problem is not None
    return KtabScenario(title, description, problem, parameters, accommodation, "xml",
                        has_parameters)


def _unknown_children(xml: _Xml, element: Element, where: str, known: Sequence[str]) -> None:
    for child in element:
        if child.tag not in known:
            xml.add(f"{where}/{child.tag}", child,
                    f"unknown element <{child.tag}>{did_you_mean(str(child.tag), list(known))}; "
                    f"expected one of {', '.join(known)}")


def _child(element: Element, tag: str) -> Element | None:
    for child in element:
        if child.tag == tag:
            return child
    return None


def _text(xml: _Xml, parent: Element, tag: str, where: str, *, required: bool) -> str:
    child = _child(parent, tag)
    if child is None:
        if required:
            xml.add(f"{where}/{tag}", parent, f"<{tag}> is missing")
        return ""
    return (child.text or "").strip()


def _seed(xml: _Xml, root: Element) -> int:
    element = _child(root, "prngSeed")
    if element is None:
        return KTAB_DEFAULT_SEED
    text = (element.text or "").strip()
    # (A length check first: Python refuses to convert thousands of digits.)
    if not text.isdigit() or len(text) > 20 or int(text) >= 2 ** 64:
        shown = text if len(text) <= 40 else f"{text[:20]}… ({len(text):,} characters)"
        xml.add("Scenario/prngSeed", element,
                f"expected a decimal 64-bit unsigned integer (KTAB's seed), got {shown!r}")
        return KTAB_DEFAULT_SEED
    # KTAB treats 0 as "draw a random seed"; a run must be reproducible, so 0 means the default.
    return int(text) or KTAB_DEFAULT_SEED


_E = TypeVar("_E", bound=StrEnum)

#: The schema (smpSchema.xsd) and KTAB's code spell two values differently; both are accepted.
_ALIASES = {"Proportional": "Prop", "No": "None"}

_PARAMETERS: tuple[tuple[str, str, type[StrEnum]], ...] = (
    ("VictoryProbModel", "victory_prob_model", VPModel),
    ("PCEModel", "pce_model", PCEModel),
    ("StateTransitions", "state_transitions", StateTransMode),
    ("VotingRule", "voting_rule", VotingRule),
    ("BigRAdjust", "big_r_adjust", BigRAdjust),
    ("BigRRange", "big_r_range", BigRRange),
    ("ThirdPartyCommit", "third_party_commit", ThirdPartyCommit),
    ("InterVecBrgn", "inter_vec_brgn", InterVecBrgn),
    ("BargnModel", "bargn_model", SMPBargnModel),
)


def _model_parameters(xml: _Xml, root: Element, seed: int) -> tuple[SmpParameters, bool]:
    element = _child(root, "ModelParameters")
    if element is None:
        return SmpParameters(seed=seed), False
    where = "Scenario/ModelParameters"
    _unknown_children(xml, element, where, [tag for tag, _, _ in _PARAMETERS])
    chosen: dict[str, StrEnum] = {}
    for tag, field_name, enum in _PARAMETERS:
        child = _child(element, tag)
        if child is None:
            xml.add(f"{where}/{tag}", element, f"<{tag}> is missing; KTAB needs all nine model "
                                               "parameters when <ModelParameters> is given")
            continue
        text = (child.text or "").strip()
        value = _ALIASES.get(text, text)
        allowed = [member.value for member in enum]
        if value not in allowed:
            spellings = allowed + [alias for alias, name in _ALIASES.items() if name in allowed]
            xml.add(f"{where}/{tag}", child, f"unknown value {text!r}{did_you_mean(text, spellings)}; "
                                             f"expected one of {', '.join(allowed)}")
            continue
        chosen[field_name] = enum(value)
    return SmpParameters(seed=seed, **chosen), True  # type: ignore[arg-type]


def _dimensions(xml: _Xml, root: Element) -> list[str] | None:
    element = _child(root, "Dimensions")
    if element is None:
        return None  # named from the first actor's coordinates
    names = []
    for k, child in enumerate(element, start=1):
        if child.tag != "dName":
            xml.add(f"Scenario/Dimensions/{child.tag}", child,
                    f"unknown element <{child.tag}>; expected <dName>")
            continue
        text = (child.text or "").strip()
        if not text:
            xml.add(f"Scenario/Dimensions/dName[{k}]", child, "the dimension name is empty")
        names.append(text or f"Dim{k - 1}")
    if not names:
        xml.add("Scenario/Dimensions", element, "expected at least one <dName>")
    if len(names) > MAX_KTAB_DIMENSIONS:
        xml.add("Scenario/Dimensions", element, f"{len(names)} dimensions; at most "
                                                f"{MAX_KTAB_DIMENSIONS} are accepted")
    return names


def _xml_number(xml: _Xml, element: Element | None, where: str, parent: Element, what: str, *,
                low: float, high: float | None, low_open: bool = False) -> float:
    expected = (f"a number above {low:g}" if high is None and low_open
                else f"a number from {low:g} to {high:g}")
    if element is None:
        xml.add(where, parent, f"{what} is missing; expected {expected}")
        return 0.0
    text = (element.text or "").strip()
    try:
        value = float(text)
    except ValueError:
        xml.add(where, element, f"{what} is {'empty' if not text else repr(text)}; expected {expected}")
        return 0.0
    if not math.isfinite(value) or value < low or (low_open and value <= low) \
            or (high is not None and value > high):
        xml.add(where, element, f"{what} is {text}; expected {expected}")
        return 0.0
    return value


def _actors(xml: _Xml, root: Element, dimensions: list[str] | None
            ) -> tuple[SpatialProblem | None, list[str]]:
    container = _child(root, "Actors")
    if container is None:
        xml.add("Scenario/Actors", root, "<Actors> is missing")
        return None, []
    elements = [child for child in container if child.tag == "Actor"]
    for child in container:
        if child.tag != "Actor":
            xml.add(f"Scenario/Actors/{child.tag}", child,
                    f"unknown element <{child.tag}>; expected <Actor>")
    if not MIN_ACTORS <= len(elements) <= MAX_ACTORS:
        xml.add("Scenario/Actors", container, f"{len(elements)} actors; KTAB needs between "
                                              f"{MIN_ACTORS} and {MAX_ACTORS}")
        return None, []
    if dimensions is None:
        first = _child(elements[0], "Position")
        count = len([c for c in first if c.tag == "dCoord"]) if first is not None else 0
        dimensions = [f"Dim{k}" for k in range(max(count, 1))]
    n_dims = len(dimensions)
    names: list[str] = []
    descriptions: list[str] = []
    capabilities = np.zeros(len(elements))
    positions = np.zeros((len(elements), n_dims))
    saliences = np.zeros((len(elements), n_dims))
    for a, actor in enumerate(elements):
        where = f"Scenario/Actors/Actor[{a + 1}]"
        _unknown_children(xml, actor, where, ("name", "description", "capability", "Position",
                                              "Salience"))
        label = _text(xml, actor, "name", where, required=True)
        if _child(actor, "name") is not None and not label:
            xml.add(f"{where}/name", _child(actor, "name"), "the actor name is empty")
        elif label in names:
            xml.add(f"{where}/name", _child(actor, "name"), f"actor {label!r} appears twice")
        names.append(label)
        descriptions.append(_text(xml, actor, "description", where, required=False))
        capabilities[a] = _xml_number(xml, _child(actor, "capability"), f"{where}/capability", actor,
                                      "the capability", low=0.0, high=None, low_open=True)
        for block, tag, target, what in (("Position", "dCoord", positions, "the position"),
                                         ("Salience", "dSal", saliences, "the salience")):
            holder = _child(actor, block)
            if holder is None:
                xml.add(f"{where}/{block}", actor, f"<{block}> is missing")
                continue
            values = [child for child in holder if child.tag == tag]
            if len(values) != n_dims:
                xml.add(f"{where}/{block}", holder, f"{len(values)} <{tag}> values for {n_dims} "
                                                    "dimension(s); expected one per dimension")
                continue
            for d, child in enumerate(values):
                target[a, d] = _xml_number(xml, child, f"{where}/{block}/{tag}[{d + 1}]", holder,
                                           f"{what} on {dimensions[d]!r}", low=0.0, high=100.0)
        total = float(saliences[a].sum())
        if _child(actor, "Salience") is not None and total > 100.0 + 1e-9:
            xml.add(f"{where}/Salience", _child(actor, "Salience"),
                    f"the saliences sum to {total:g}; KTAB allows at most 100 over all dimensions")
        elif _child(actor, "Salience") is not None and total <= 0:
            xml.add(f"{where}/Salience", _child(actor, "Salience"),
                    "every salience is 0; an actor needs a positive salience on some dimension")
    if xml.problems:
        return None, names
    problem = SpatialProblem(tuple(names), tuple(dimensions), positions, saliences, capabilities,
                             tuple(descriptions[a] or names[a] for a in range(len(names))))
    return problem, names


def _ideal_adjustment(xml: _Xml, root: Element, names: list[str]) -> FloatArray | None:
    element = _child(root, "IdealAdjustment")
    if element is None or not names:
        return None
    # KTAB starts from the identity and overwrites the pairs given.
    matrix = np.eye(len(names))
    for k, pair in enumerate(element, start=1):
        where = f"Scenario/IdealAdjustment/iaPair[{k}]"
        if pair.tag != "iaPair":
            xml.add(f"Scenario/IdealAdjustment/{pair.tag}", pair,
                    f"unknown element <{pair.tag}>; expected <iaPair>")
            continue
        indices = []
        for tag in ("adjustingIdeal", "referencePos"):
            text = _text(xml, pair, tag, where, required=True)
            if _child(pair, tag) is None:
                continue
            if text not in names:
                xml.add(f"{where}/{tag}", _child(pair, tag),
                        f"unknown actor {text!r}{did_you_mean(text, names)}")
                continue
            indices.append(names.index(text))
        rate = _xml_number(xml, _child(pair, "adjust"), f"{where}/adjust", pair,
                           "the adjustment rate", low=0.0, high=1.0)
        if len(indices) == 2:
            matrix[indices[0], indices[1]] = rate
    for a, total in enumerate(matrix.sum(axis=1)):
        if total > 1.0 + 1e-9:
            xml.add("Scenario/IdealAdjustment", element,
                    f"the adjustment rates of {names[a]!r}'s ideal sum to {total:g}; at most 1 "
                    "(the diagonal is 1 unless a pair sets it)")
    return matrix
