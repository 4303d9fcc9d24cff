"""GENIUS XML files as GENIUS 10.4 reads them: domains, linear and hyper-rectangle profiles.

This module is the *raw* layer of the GENIUS importer: it reads the files into
small dataclasses that mirror GENIUS's own objects and evaluates bids with
GENIUS's exact utility semantics.  :mod:`accord.io.genius` turns the result
into an accord :class:`~accord.model.Scenario`.  The rules followed are those of
``shared/notes/genius-format.md`` (§ numbers below refer to it):

* §1 reading: GENIUS's reader is not an XML parser.  Files are decoded as UTF-8
  (falling back to cp1252), everything before the first element is dropped,
  entities are *not* decoded (``&amp;`` stays five characters), and attributes
  glued together (``type="x"vtype="x"``) are separated.  The cleaned text is
  then parsed by :mod:`defusedxml` with DTDs, entity declarations and external
  references forbidden, a size limit and a nesting-depth limit.
* §2 domains, §3 profile kinds, §4 linear-additive profiles (weights as
  written, discrete evaluations divided by the issue's maximum, integer
  evaluators offset from the *lower bound*, real evaluators on the raw value,
  ``U = min(1, Σ w·e)``), §5 reservation value and discount factor, §6
  hyper-rectangle profiles, §7 ``pareto.xml``.

Every problem with a file is a :class:`~accord.errors.ScenarioError` naming the
file, the element (an XPath-like path) and, where known, its line.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import numpy as np
from numpy.typing import NDArray

from accord.errors import ScenarioError
from accord.io.files import _utf16, display_name, read_bytes

__all__ = [
    "MAX_DEPTH",
    "MAX_INTEGER_VALUES",
    "MAX_XML_BYTES",
    "REAL_GRID_POINTS",
    "DiscreteEvaluator",
    "GeniusDomain",
    "GeniusIssue",
    "IntegerEvaluator",
    "LinearProfile",
    "NonlinearProfile",
    "RealEvaluator",
    "Rectangle",
    "UfunNode",
    "XmlFile",
    "effective_discount",
    "foreign_root",
    "parse_domain",
    "parse_profile",
    "read_pareto",
    "read_xml",
]

#: Files larger than this are refused before parsing (the largest GENIUS profile is ~2 MB).
MAX_XML_BYTES = 32 * 1024 * 1024
#: Deepest element nesting accepted (GENIUS files nest 4–6 levels).
MAX_DEPTH = 100
#: Largest integer issue accepted (ub − lb + 1): each value becomes an option.
MAX_INTEGER_VALUES = 10_001
#: GENIUS enumerates a real issue at lb + k·(ub − lb)/20, k = 0..20 (§2).
REAL_GRID_POINTS = 21
#: Below this maximum evaluation GENIUS scores a discrete issue 0 everywhere (§4).
_DISCRETE_ZERO_MAX = 1e-5
#: Java's Integer.MAX_VALUE: the start value of GENIUS's ``min`` aggregation (§6).
_JAVA_INT_MAX = 2147483647.0

IssueKind = Literal["discrete", "integer", "real"]
FloatArray = NDArray[np.float64]


# ---------------------------------------------------------------------------
# §1 reading


@dataclass(frozen=True, eq=False)
class XmlFile:
    """A parsed XML file: its root element, its (cleaned) text and the file name.

    Element line numbers, needed only for error messages, are found on first
    use by parsing the text once more with a line-recording builder.
    """

    name: str
    root: Element
    body: str = field(repr=False)
    prefix_lines: int = 0
    _lines: dict[int, int] = field(default_factory=dict, repr=False)
    #: The file itself (``name`` is how it is printed, with control characters escaped).
    path: Path | None = None

    def line(self, element: Element) -> int | None:
        if not self._lines:
            self._lines.update(_element_lines(self.root, self.body, self.prefix_lines))
        return self._lines.get(id(element))

    def error(self, where: str, element: Element | None, message: str) -> ScenarioError:
        """A :class:`ScenarioError` naming the element (``where``) and its line."""
        line = self.line(element) if element is not None else None
        path = f"{where} (line {line})" if line is not None and where else where
        return ScenarioError.single(self.name, path, message)


class _LineTreeBuilder(TreeBuilder):
    """An element-tree builder that records the line of each element."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []
        self.parser: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = super().start(tag, attrs)
        self.lines.append(int(self.parser.CurrentLineNumber))
        return element


def _element_lines(root: Element, body: str, prefix_lines: int) -> dict[int, int]:
    """``id(element) → line`` for the elements of ``root``, parsed from ``body`` again."""
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser.parser
    parser.feed(body)
    parser.close()
    return {id(element): line + prefix_lines
            for element, line in zip(root.iter(), builder.lines, strict=False)}


class _TooDeep(Exception):
    """Raised from inside the parser when an element opens deeper than :data:`MAX_DEPTH`."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _DepthTreeBuilder(TreeBuilder):
    """A tree builder that stops the parse as soon as elements nest deeper than MAX_DEPTH.

    The depth is counted on the parser's own start/end events, so nothing in an
    attribute value or a comment (``/>`` in ``x="/>"``) can fool it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parser: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep(int(self.parser.CurrentLineNumber) if self.parser is not None else 0)
        return super().start(tag, attrs)

    def end(self, tag: str) -> Element:
        self.depth -= 1
        return super().end(tag)


#: A quote directly followed by ``name=``: two attributes glued together (y2011 Car).
_GLUED_ATTRIBUTE = re.compile(r"""(["'])(?=[A-Za-z_][\w.:-]*=["'])""")


def read_xml(path: str | os.PathLike[str], *, name: str | None = None) -> XmlFile:
    """Read an XML file the way GENIUS does (§1), safely.

    Raises :class:`ScenarioError` for a missing, oversized, binary, hostile or
    malformed file, naming the line where parsing failed.
    """
    name = name or display_name(path)
    data = read_bytes(path, what="a GENIUS XML file", limit=MAX_XML_BYTES, name=name)
    xml = parse_xml_bytes(data, name)
    return XmlFile(name=xml.name, root=xml.root, body=xml.body, prefix_lines=xml.prefix_lines,
                   path=Path(path))


def parse_xml_bytes(data: bytes, name: str) -> XmlFile:
    """Clean (§1) and parse the bytes of a GENIUS XML file; see :func:`read_xml`."""
    if not data.strip():
        raise ScenarioError.single(name, "", "is empty; expected a GENIUS XML file")
    encoding = _utf16(data)
    if encoding:
        raise ScenarioError.single(name, "", f"is {encoding} text; GENIUS reads its XML files as "
                                             "UTF-8 (or Windows-1252): save it as UTF-8")
    if b"\x00" in data[:8192]:
        raise ScenarioError.single(name, "", "is a binary file, expected a GENIUS XML file")
    text = _decode(data)
    offset, doctype_problem = _skip_leading(text)
    if doctype_problem:
        line = text.count("\n", 0, offset) + 1
        raise ScenarioError.single(name, f"line {line}", doctype_problem)
    prefix_lines = text.count("\n", 0, offset)
    body = text[offset:]
    if not body.startswith("<"):
        line = prefix_lines + 1
        raise ScenarioError.single(
            name, f"line {line}", "expected an XML element here; this is not a GENIUS XML file")
    # GENIUS decodes no entities: a literal '&amp;' is five characters of the name.
    body = body.replace("&", "&amp;")
    body = _GLUED_ATTRIBUTE.sub(r"\1 ", body)
    return _parse(body, name, prefix_lines)


#: Bytes of a file looked at to tell another program's XML from GENIUS's.
SNIFF_BYTES = 65536


def foreign_root(path: str | os.PathLike[str]) -> str | None:
    """The root tag of an XML file that is clearly neither a GENIUS domain nor a profile.

    Used to skip other XML in a domain folder (GENIUS's tournament logs) without
    parsing it.  ``None`` when the file may be GENIUS's, or cannot be sniffed:
    it is then read in full, so that a damaged file is still reported.
    """
    try:
        data = read_bytes(path, what="a GENIUS XML file", limit=MAX_XML_BYTES)
    except ScenarioError:
        return None
    return foreign_root_of(data)


def foreign_root_of(data: bytes) -> str | None:
    """:func:`foreign_root` for the bytes of a file already read (in time linear in its size)."""
    if b"<utility_space" in data:
        return None
    text = _decode(data[:SNIFF_BYTES])
    offset, problem = _skip_leading(text)
    match = re.match(r"<([A-Za-z_][\w.:-]*)", text[offset:])
    if problem or match is None:
        return None
    return match.group(1)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # never fails; the 5 bytes cp1252 lacks


_DOCTYPE_END = re.compile(r"[\[>]")


def _skip_leading(text: str) -> tuple[int, str]:
    """Position of the first element; a message if a leading construct is refused.

    Skips processing instructions (``<?xml …?>``), comments and ``<!DOCTYPE …>``
    declarations with a plain scan (each character looked at once: a construct
    that never closes costs no more than reading the file).  An unclosed one is
    left in place for the parser to report.
    """
    position, end = 0, len(text)
    while True:
        while position < end and text[position].isspace():
            position += 1
        if text.startswith("<?", position):
            close = text.find("?>", position + 2)
            if close < 0:
                break
            position = close + 2
        elif text.startswith("<!--", position):
            close = text.find("-->", position + 4)
            if close < 0:
                break
            position = close + 3
        elif text.startswith("<!", position):
            doctype = text[position + 2:position + 9].upper() == "DOCTYPE"
            stop = _DOCTYPE_END.search(text, position + 2)
            if stop is None:
                break
            subset = stop.group() == "["
            if subset:
                bracket = text.find("]", stop.end())
                close = text.find(">", bracket + 1) if bracket >= 0 else -1
            else:
                close = stop.start()
            if close < 0:
                break
            if doctype:
                body = text[position + 9:close]
                if subset or re.search(r"<!ENTITY", body, re.IGNORECASE):
                    return position, ("the file declares entities in a <!DOCTYPE>; GENIUS files "
                                      "declare none, and accord does not expand them (refused as "
                                      "unsafe)")
                if re.search(r"\b(SYSTEM|PUBLIC)\b", body):
                    return position, ("the <!DOCTYPE> refers to an external resource; accord "
                                      "never fetches one (refused as unsafe)")
            position = close + 1
        else:
            break
    return position, ""


#: Characters of a body fed to the fast parser at a time, between depth checks.
_FEED = 1 << 16


def _parse(body: str, name: str, prefix_lines: int) -> XmlFile:
    """Parse a cleaned body: the fast path for plain files, else the guarded one.

    Nearly every GENIUS file is plain elements and attributes.  Those are parsed
    by the C parser (:class:`xml.etree.ElementTree.XMLPullParser`), whose
    start and end events bound the depth as the text is fed; a body that could
    hold a DTD or an entity (``<!``), that nests deeper than :data:`MAX_DEPTH`
    or that does not parse goes through :func:`_parse_guarded`, which refuses or
    reports it exactly as before.  The tree is the same either way.
    """
    if "<!" not in body:
        root = _parse_plain(body)
        if root is not None:
            return XmlFile(name=name, root=root, body=body, prefix_lines=prefix_lines)
    return _parse_guarded(body, name, prefix_lines)


def _parse_plain(body: str) -> Element | None:
    """The tree of a body without DTDs or entities; None when the guarded parse must decide."""
    from xml.etree.ElementTree import XMLPullParser

    parser = XMLPullParser(events=("start", "end"))
    depth = 0
    root: Element | None = None
    try:
        for start in range(0, len(body), _FEED):
            parser.feed(body[start:start + _FEED])
            for event, element in parser.read_events():
                if event == "start":
                    depth += 1
                    if depth > MAX_DEPTH:
                        return None
                    if root is None:
                        root = element
                else:
                    depth -= 1
        parser.close()
    except (ParseError, RecursionError, ValueError):
        return None
    return root


def _parse_guarded(body: str, name: str, prefix_lines: int) -> XmlFile:
    import defusedxml
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _DepthTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    builder.parser = parser.parser
    try:
        parser.feed(body)
        root = parser.close()
    except _TooDeep as error:
        raise ScenarioError.single(
            name, f"line {error.line + prefix_lines}",
            f"elements are nested more than {MAX_DEPTH} levels deep; GENIUS files nest a few "
            "levels (refused as unsafe)") from None
    except ParseError as error:
        line, column = error.position
        message = str(error).split(":")[0]
        hint = " — is the file truncated?" if "no element found" in message or "unclosed" in \
            message else ""
        raise ScenarioError.single(
            name, f"line {line + prefix_lines}, column {column + 1}",
            f"malformed XML ({message}){hint}") from None
    except defusedxml.DefusedXmlException as error:
        raise ScenarioError.single(name, "", _unsafe(error)) from None
    except RecursionError:
        raise ScenarioError.single(name, "", "elements are nested too deeply (refused)") from None
    return XmlFile(name=name, root=root, body=body, prefix_lines=prefix_lines)


# ---------------------------------------------------------------------------
# small helpers


def _children(element: Element, tag: str) -> list[Element]:
    """Direct children with exactly this (case-sensitive) tag: GENIUS's only look-up."""
    return [child for child in element if child.tag == tag]


def _first(element: Element, tag: str) -> Element | None:
    for child in element:
        if child.tag == tag:
            return child
    return None


def _describe(element: Element) -> str:
    """``issue[@name="Color"]`` — the element's tag and its most telling attribute."""
    for key in ("name", "index", "value"):
        if key in element.attrib:
            return f'{element.tag}[@{key}="{_clip(element.attrib[key])}"]'
    return element.tag


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _number(xml: XmlFile, where: str, element: Element, key: str, *,
            required: bool = True, default: float | None = None) -> float:
    raw = element.attrib.get(key)
    if raw is None:
        if not required and default is not None:
            return default
        raise xml.error(where, element, f"missing attribute {key}=\"…\" (a number)")
    try:
        value = float(raw.strip())
    except ValueError:
        raise xml.error(where, element, f"attribute {key}={_clip(raw)!r} is not a number") from None
    if not math.isfinite(value):
        raise xml.error(where, element, f"attribute {key}={raw!r} is not a finite number")
    return value


def _integer(xml: XmlFile, where: str, element: Element, key: str) -> int:
    raw = element.attrib.get(key)
    if raw is None:
        raise xml.error(where, element, f"missing attribute {key}=\"…\" (a whole number)")
    try:
        return int(raw.strip())
    except ValueError:
        raise xml.error(where, element,
                        f"attribute {key}={_clip(raw)!r} is not a whole number") from None


# ---------------------------------------------------------------------------
# §2 domain


@dataclass(frozen=True)
class GeniusIssue:
    """An issue of a GENIUS domain.

    ``values`` are the bid values in GENIUS's enumeration order: the item
    strings of a discrete issue (duplicates kept), ``lb..ub`` for an integer
    issue, and the 21-point grid for a real issue.
    """

    index: int
    name: str
    kind: IssueKind
    values: tuple[str, ...] | tuple[int, ...] | tuple[float, ...]
    descriptions: tuple[str, ...] = ()
    lower: float = 0.0
    upper: float = 0.0

    @property
    def size(self) -> int:
        return len(self.values)


@dataclass(frozen=True)
class GeniusDomain:
    """A GENIUS domain: its name and its issues in bid-enumeration order (§2)."""

    file: str
    name: str
    root_index: int
    issues: tuple[GeniusIssue, ...]

    @property
    def n_outcomes(self) -> int:
        total = 1
        for issue in self.issues:
            total *= issue.size
        return total

    def issue_by_index(self, index: int) -> GeniusIssue | None:
        for issue in self.issues:
            if issue.index == index:
                return issue
        return None


def is_domain(xml: XmlFile) -> bool:
    """A domain file's root (any name) has a ``utility_space`` child; a profile's root *is* one."""
    return xml.root.tag != "utility_space" and _first(xml.root, "utility_space") is not None


def parse_domain(xml: XmlFile) -> GeniusDomain:
    """The domain of a GENIUS domain file (§2)."""
    root = xml.root
    space = _first(root, "utility_space")
    if space is None:
        if root.tag == "utility_space":
            raise xml.error(root.tag, root, "this is a GENIUS preference profile, not a domain "
                                            "file (a domain's root element contains <utility_space>)")
        raise xml.error(root.tag, root, f"not a GENIUS domain file: the root element <{root.tag}> "
                                        "has no <utility_space> child")
    where = f"{root.tag}/utility_space"
    objective = _first(space, "objective")
    if objective is None:
        raise xml.error(where, space, "missing the root <objective> that lists the issues")
    objective_where = f"{where}/{_describe(objective)}"
    root_index = _integer(xml, objective_where, objective, "index")
    name = objective.attrib.get("name", "root")
    issues: list[GeniusIssue] = []
    _walk_domain(xml, objective, objective_where, issues)
    if not issues:
        raise xml.error(objective_where, objective, "the domain has no <issue> elements")
    seen: dict[int, str] = {}
    for issue in issues:
        if issue.index in seen:
            raise xml.error(objective_where, objective,
                            f"issues {seen[issue.index]!r} and {issue.name!r} share index "
                            f"{issue.index}; profiles refer to issues by index, so it must be unique")
        if issue.index == root_index:
            raise xml.error(objective_where, objective,
                            f"issue {issue.name!r} has the root objective's index {root_index}; "
                            "GENIUS would attach its weight to the objective instead")
        seen[issue.index] = issue.name
    return GeniusDomain(file=xml.name, name=name, root_index=root_index, issues=tuple(issues))


def _walk_domain(xml: XmlFile, objective: Element, where: str, out: list[GeniusIssue]) -> None:
    # Pre-order: child objectives (recursively) first, then this objective's own issues.
    for child in _children(objective, "objective"):
        _walk_domain(xml, child, f"{where}/{_describe(child)}", out)
    for element in _children(objective, "issue"):
        out.append(_domain_issue(xml, element, f"{where}/{_describe(element)}"))


def _issue_kind(element: Element) -> IssueKind:
    kind = element.attrib.get("type", "discrete").strip().lower()
    return kind if kind in ("integer", "real") else "discrete"  # type: ignore[return-value]


def _domain_issue(xml: XmlFile, element: Element, where: str) -> GeniusIssue:
    index = _integer(xml, where, element, "index")
    name = element.attrib.get("name", f"issue {index}")
    kind = _issue_kind(element)
    if kind == "discrete":
        items = _children(element, "item")
        values = []
        for n, item in enumerate(items, start=1):
            if "value" not in item.attrib:
                raise xml.error(f"{where}/item[{n}]", item, "missing attribute value=\"…\"")
            values.append(item.attrib["value"])
        if not values:
            raise xml.error(where, element, f"discrete issue {name!r} lists no <item> values")
        descriptions = tuple(item.attrib.get("description", "") for item in items)
        return GeniusIssue(index, name, "discrete", tuple(values), descriptions)
    if kind == "integer":
        lower, upper = _integer_bounds(xml, where, element, name)
        return GeniusIssue(index, name, "integer", tuple(range(lower, upper + 1)),
                           lower=lower, upper=upper)
    low, high = _real_bounds(xml, where, element, name)
    return GeniusIssue(index, name, "real", real_grid(low, high), lower=low, upper=high)


def _integer_bounds(xml: XmlFile, where: str, element: Element, name: str) -> tuple[int, int]:
    if "lowerbound" not in element.attrib or "upperbound" not in element.attrib:
        inside = " (this file puts them in a <range> child, which GENIUS 10.4 fails to load)" \
            if _first(element, "range") is not None else ""
        raise xml.error(where, element,
                        f"integer issue {name!r} needs lowerbound=\"…\" and upperbound=\"…\" "
                        f"attributes on <issue>{inside}")
    lower = _integer(xml, where, element, "lowerbound")
    upper = _integer(xml, where, element, "upperbound")
    if upper < lower:
        raise xml.error(where, element,
                        f"integer issue {name!r}: upperbound {upper} is below lowerbound {lower}")
    if upper - lower + 1 > MAX_INTEGER_VALUES:
        raise xml.error(where, element,
                        f"integer issue {name!r} has {upper - lower + 1} values; accord makes one "
                        f"option per value and accepts at most {MAX_INTEGER_VALUES}")
    return lower, upper


def _real_bounds(xml: XmlFile, where: str, element: Element, name: str) -> tuple[float, float]:
    bounds = _first(element, "range")
    if bounds is None:
        raise xml.error(where, element, f"real issue {name!r} needs a <range lowerbound=… "
                                        "upperbound=…> child")
    low = _number(xml, f"{where}/range", bounds, "lowerbound")
    high = _number(xml, f"{where}/range", bounds, "upperbound")
    if high < low:
        raise xml.error(f"{where}/range", bounds,
                        f"real issue {name!r}: upperbound {high} is below lowerbound {low}")
    return low, high


def real_grid(low: float, high: float) -> tuple[float, ...]:
    """GENIUS's enumeration of a real issue: lb + k·(ub − lb)/20 for k = 0..20 (§2, §8)."""
    steps = REAL_GRID_POINTS - 1
    return tuple(low + k * (high - low) / steps for k in range(REAL_GRID_POINTS))


# ---------------------------------------------------------------------------
# §3–§5 profiles


@dataclass(frozen=True)
class DiscreteEvaluator:
    """Evaluations by value string (last one wins); ``e(v) = E(v)/max`` (§4)."""

    evaluations: dict[str, float]
    unset: frozenset[str] = frozenset()

    @property
    def maximum(self) -> float:
        return max(self.evaluations.values(), default=0.0)

    def evaluate(self, value: str) -> float:
        top = self.maximum
        raw = self.evaluations[value]
        return raw / top if top >= _DISCRETE_ZERO_MAX else 0.0


@dataclass(frozen=True)
class IntegerEvaluator:
    """``e(x) = clip(offset + slope·(x − lower), 0, 1)`` with the *profile's* lower bound (§4)."""

    lower: int
    upper: int
    slope: float
    offset: float

    def evaluate(self, value: float) -> float:
        return min(1.0, max(0.0, self.offset + self.slope * (value - self.lower)))


@dataclass(frozen=True)
class RealEvaluator:
    """A real evaluator by ``ftype`` on the raw value (§4)."""

    ftype: Literal["linear", "constant", "triangular", "faratin"]
    parameters: tuple[float, ...]
    lower: float
    upper: float

    def evaluate(self, x: float) -> float:
        p = self.parameters
        if self.ftype == "linear":
            return min(1.0, max(0.0, p[0] + p[1] * x))
        if self.ftype == "constant":
            return p[0]
        if self.ftype == "triangular":
            low, high, top = p[0], p[1], p[2]
            if x < low:
                return 0.0
            if x < top:
                return (x - low) / (top - low)
            if x < high:
                return 1.0 - (x - top) / (high - top)
            return 0.0
        return -1.0  # faratin


Evaluator = DiscreteEvaluator | IntegerEvaluator | RealEvaluator


@dataclass(frozen=True)
class LinearProfile:
    """A linear-additive GENIUS profile: ``U(ω) = min(1, Σ_i w_i · e_i(ω_i))`` (§4).

    ``weights`` and ``evaluators`` are keyed by domain issue index;
    ``reservation`` is the raw file value (None when absent), ``discount`` the
    effective factor (§5: values outside (0, 1] mean 1).
    """

    file: str
    weights: dict[int, float]
    evaluators: dict[int, Evaluator]
    reservation: float | None
    discount: float
    raw_discount: float | None

    kind: Literal["linear"] = "linear"

    def terms(self, domain: GeniusDomain) -> list[FloatArray]:
        """Per domain issue, ``w_i · e_i(v)`` for each of its values in enumeration order."""
        result = []
        for issue in domain.issues:
            evaluator = self.evaluators[issue.index]
            weight = self.weights[issue.index]
            result.append(np.array([weight * evaluator.evaluate(v)  # type: ignore[arg-type]
                                    for v in issue.values], dtype=np.float64))
        return result

    def utility(self, domain: GeniusDomain, bid: Sequence[Any]) -> float:
        """GENIUS's ``getUtility`` for one bid (values in domain issue order)."""
        total = 0.0
        for issue, value in zip(domain.issues, bid, strict=True):
            total += self.weights[issue.index] * self.evaluators[issue.index].evaluate(value)
        return min(1.0, total)


@dataclass(frozen=True)
class Rectangle:
    """A hyper-rectangle: ``utility·weight`` when its bounds hold (INCLUDES) or fail (EXCLUDES)."""

    utility: float
    weight: float
    bounds: tuple[tuple[int, int, int], ...]  # (issue index, min, max), closed
    exclusive: bool


@dataclass(frozen=True)
class UfunNode:
    """A ``<ufun>``: rectangles and nested ufuns aggregated by sum, min or max (§6)."""

    aggregation: Literal["sum", "min", "max"]
    weight: float
    rectangles: tuple[Rectangle, ...]
    children: tuple[UfunNode, ...]


@dataclass(frozen=True)
class NonlinearProfile:
    """A hyper-rectangle profile: ``U(ω) = min(1, F(ω)/maxutility)`` (§6)."""

    file: str
    max_utility: float
    root: UfunNode
    reservation: float | None
    discount: float
    raw_discount: float | None

    kind: Literal["nonlinear"] = "nonlinear"

    def utility(self, domain: GeniusDomain, bid: Sequence[Any]) -> float:
        values = {issue.index: value for issue, value in zip(domain.issues, bid, strict=True)}
        return min(1.0, _node_value(self.root, values) / self.max_utility)


def _node_value(node: UfunNode, values: dict[int, Any]) -> float:
    scores = [_rectangle_score(r, values) for r in node.rectangles]
    scores += [child.weight * _node_value(child, values) for child in node.children]
    if node.aggregation == "min":
        return min(scores, default=_JAVA_INT_MAX) if scores else _JAVA_INT_MAX
    if node.aggregation == "max":
        return max(scores) if scores else -_JAVA_INT_MAX
    return float(sum(scores))


def _rectangle_score(rectangle: Rectangle, values: dict[int, Any]) -> float:
    inside = [low <= values[index] <= high for index, low, high in rectangle.bounds]
    hit = (not all(inside)) if rectangle.exclusive else all(inside)
    return rectangle.utility * rectangle.weight if hit else 0.0


Profile = LinearProfile | NonlinearProfile


def effective_discount(raw: float | None) -> float:
    """§5: a discount factor d ≤ 0 or d > 1 (or none) means 1, no discount."""
    if raw is None or not (0.0 < raw <= 1.0):
        return 1.0
    return raw


def is_profile(xml: XmlFile) -> bool:
    return xml.root.tag == "utility_space"


def parse_profile(xml: XmlFile, domain: GeniusDomain) -> Profile:
    """A GENIUS preference profile for ``domain`` (§3–§6), checked to be complete."""
    root = xml.root
    if root.tag != "utility_space":
        if _first(root, "utility_space") is not None:
            raise xml.error(root.tag, root, "this is a GENIUS domain file, not a preference profile")
        raise xml.error(root.tag, root, f"not a GENIUS preference profile: the root element is "
                                        f"<{root.tag}>, expected <utility_space>")
    raw_kind = root.attrib.get("type")
    if raw_kind is None or raw_kind.strip().upper() == "LINEAR":
        return _parse_linear(xml, domain)
    kind = raw_kind.strip().upper()
    if kind == "NONLINEAR":
        return _parse_nonlinear(xml, domain)
    if kind in ("CONSTRAINT", "UNCERTAIN"):
        raise xml.error("utility_space", root,
                        f"profile type {raw_kind!r} (GENIUS {kind.lower()} profiles) is not supported")
    raise xml.error("utility_space", root,
                    f"unknown profile type {raw_kind!r}; GENIUS 10.4 accepts linear, nonlinear, "
                    "constraint or uncertain and refuses this file")


def _parse_linear(xml: XmlFile, domain: GeniusDomain) -> LinearProfile:
    state: dict[str, Any] = {"reservation": None, "discount": None}
    weights: dict[int, float] = {}
    evaluators: dict[int, Evaluator] = {}
    _visit_linear(xml, xml.root, "utility_space", domain, state, weights, evaluators)
    missing = [issue for issue in domain.issues if issue.index not in evaluators]
    if missing:
        names = ", ".join(f"{issue.name!r} (index {issue.index})" for issue in missing)
        orphans = state.get("orphans", [])
        extra = (f"; the weight{'s' if len(orphans) > 1 else ''} with index "
                 f"{', '.join(str(i) for i in orphans)} match{'' if len(orphans) > 1 else 'es'} "
                 "no issue") if orphans else ""
        raise xml.error("utility_space", xml.root,
                        f"no evaluator for issue{'s' if len(missing) > 1 else ''} {names}: each "
                        "needs an <issue> with a sibling <weight index=…>; GENIUS refuses an "
                        f"incomplete profile{extra}")
    return LinearProfile(
        file=xml.name, weights=weights, evaluators=evaluators,
        reservation=state["reservation"], discount=effective_discount(state["discount"]),
        raw_discount=state["discount"])


def _visit_linear(xml: XmlFile, element: Element, where: str, domain: GeniusDomain,
                  state: dict[str, Any], weights: dict[int, float],
                  evaluators: dict[int, Evaluator]) -> None:
    """§4 loading algorithm: every element, recursively; weights pair with sibling issues."""
    for child in element:
        if child.tag == "reservation":
            state["reservation"] = _number(xml, f"{where}/reservation", child, "value")
        elif child.tag == "discount_factor":
            state["discount"] = _number(xml, f"{where}/discount_factor", child, "value")
    level: dict[int, float] = {}
    for child in _children(element, "weight"):
        child_where = f"{where}/{_describe(child)}"
        index = _integer(xml, child_where, child, "index")
        level[index] = _number(xml, child_where, child, "value")
    siblings = {element.attrib.get("index", "")}
    siblings |= {child.attrib.get("index", "") for child in element
                 if child.tag in ("issue", "objective")}
    state.setdefault("orphans", []).extend(
        index for index in level if str(index) not in {s.strip() for s in siblings})
    for child in _children(element, "issue"):
        child_where = f"{where}/{_describe(child)}"
        index = _integer(xml, child_where, child, "index")
        if index not in level:
            continue  # GENIUS creates no evaluator; reported as incomplete if the domain has it
        if index == domain.root_index:
            continue  # captured by the root objective: no effect (§2)
        issue = domain.issue_by_index(index)
        if issue is None:
            name = child.attrib.get("name", "")
            raise xml.error(child_where, child,
                            f"the profile weighs issue {name!r} (index {index}), which the domain "
                            f"{Path(domain.file).name} does not have; is this the right domain?")
        kind = _issue_kind(child)
        if kind != issue.kind:
            raise xml.error(child_where, child,
                            f"the profile reads issue {issue.name!r} as {kind} but the domain "
                            f"declares it {issue.kind}")
        if kind == "discrete":
            evaluators[index] = _discrete_evaluator(xml, child, child_where, issue)
        elif kind == "integer":
            evaluators[index] = _integer_evaluator(xml, child, child_where, issue)
        else:
            evaluators[index] = _real_evaluator(xml, child, child_where, issue)
        weights[index] = level[index]
    for child in element:
        if len(child):
            _visit_linear(xml, child, f"{where}/{_describe(child)}", domain, state, weights,
                          evaluators)


def _discrete_evaluator(xml: XmlFile, element: Element, where: str,
                        issue: GeniusIssue) -> DiscreteEvaluator:
    evaluations: dict[str, float] = {}
    unset: set[str] = set()
    for n, item in enumerate(_children(element, "item"), start=1):
        attrib = item.attrib
        value = attrib.get("value")
        if value is None:
            raise xml.error(f"{where}/item[{n}]", item, "missing attribute value=\"…\"")
        raw = attrib.get("evaluation")
        if raw is None or raw.strip() == "null":
            unset.add(value)
            evaluations.pop(value, None)
            continue
        # The place is spelt out only for a bad number (_number then raises with it).
        try:
            number = float(raw.strip())
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            number = _number(xml, f"{where}/item[{n}]", item, "evaluation")
        evaluations[value] = number
        unset.discard(value)
    missing = [v for v in dict.fromkeys(issue.values) if v not in evaluations]
    if missing:
        listed = ", ".join(repr(v) for v in missing[:5]) + (" …" if len(missing) > 5 else "")
        raise xml.error(where, element,
                        f"issue {issue.name!r} has no evaluation for value"
                        f"{'s' if len(missing) > 1 else ''} {listed}; GENIUS refuses an incomplete "
                        "profile")
    return DiscreteEvaluator(evaluations, frozenset(unset))


def _integer_evaluator(xml: XmlFile, element: Element, where: str,
                       issue: GeniusIssue) -> IntegerEvaluator:
    lower, upper = _integer_bounds(xml, where, element, issue.name)
    evaluator = _first(element, "evaluator")
    if evaluator is None:
        return IntegerEvaluator(lower, upper, 0.0, 0.0)
    evaluator_where = f"{where}/evaluator"
    slope = _number(xml, evaluator_where, evaluator, "slope")
    offset = _number(xml, evaluator_where, evaluator, "offset")
    return IntegerEvaluator(lower, upper, slope, offset)


_REAL_PARAMETERS = {"linear": 2, "constant": 1, "triangular": 3, "faratin": 0}


def _real_evaluator(xml: XmlFile, element: Element, where: str,
                    issue: GeniusIssue) -> RealEvaluator:
    low, high = _real_bounds(xml, where, element, issue.name)
    evaluator = _first(element, "evaluator")
    if evaluator is None:
        raise xml.error(where, element, f"real issue {issue.name!r} has no <evaluator ftype=…>; "
                                        "GENIUS cannot evaluate it")
    evaluator_where = f"{where}/evaluator"
    ftype = evaluator.attrib.get("ftype", "").strip().lower()
    if ftype not in _REAL_PARAMETERS:
        raise xml.error(evaluator_where, evaluator,
                        f"unknown real evaluator ftype={evaluator.attrib.get('ftype', '')!r}; "
                        "GENIUS knows linear, constant, triangular and faratin")
    parameters = tuple(_number(xml, evaluator_where, evaluator, f"parameter{k}")
                       for k in range(_REAL_PARAMETERS[ftype]))
    return RealEvaluator(ftype, parameters, low, high)  # type: ignore[arg-type]


# -- §6 hyper-rectangles ---------------------------------------------------------


def _parse_nonlinear(xml: XmlFile, domain: GeniusDomain) -> NonlinearProfile:
    root = xml.root
    reservation = discount = None
    for child in root:
        if child.tag == "reservation":
            reservation = _number(xml, "utility_space/reservation", child, "value")
        elif child.tag == "discount_factor":
            discount = _number(xml, "utility_space/discount_factor", child, "value")
    objective = next(iter(root), None)
    if objective is None or objective.tag != "objective":
        raise xml.error("utility_space", root, "a nonlinear profile's first child element must be "
                                               "the <objective>")
    where = f"utility_space/{_describe(objective)}"
    utility = _first(objective, "utility")
    if utility is None:
        raise xml.error(where, objective, "a nonlinear profile needs a <utility maxutility=…> "
                                          "element inside the objective")
    utility_where = f"{where}/utility"
    max_utility = _number(xml, utility_where, utility, "maxutility")
    if max_utility <= 0:
        raise xml.error(utility_where, utility,
                        f"maxutility={max_utility} must be positive (utilities are divided by it)")
    top = _first(utility, "ufun")
    if top is None:
        raise xml.error(utility_where, utility, "missing the <ufun> that holds the hyper-rectangles")
    node = _ufun(xml, top, f"{utility_where}/ufun", domain)
    return NonlinearProfile(file=xml.name, max_utility=max_utility, root=node,
                            reservation=reservation, discount=effective_discount(discount),
                            raw_discount=discount)


def _ufun(xml: XmlFile, element: Element, where: str, domain: GeniusDomain) -> UfunNode:
    if "aggregation" not in element.attrib:
        raise xml.error(where, element, "missing attribute aggregation=\"sum|min|max\"")
    aggregation = element.attrib["aggregation"].strip().lower()
    if aggregation not in ("min", "max"):
        aggregation = "sum"
    weight = _number(xml, where, element, "weight", required=False, default=1.0)
    rectangles: list[Rectangle] = []
    children: list[UfunNode] = []
    count = {"hyperRectangle": 0, "ufun": 0}
    for child in element:
        if child.tag == "hyperRectangle":
            count["hyperRectangle"] += 1
            rectangles.append(_rectangle(xml, child, f"{where}/hyperRectangle"
                                                     f"[{count['hyperRectangle']}]", domain))
        elif child.tag == "ufun":
            count["ufun"] += 1
            children.append(_ufun(xml, child, f"{where}/ufun[{count['ufun']}]", domain))
    return UfunNode(aggregation, weight, tuple(rectangles), tuple(children))  # type: ignore[arg-type]


def _rectangle(xml: XmlFile, element: Element, where: str, domain: GeniusDomain) -> Rectangle:
    utility = _number(xml, where, element, "utility")
    weight = _number(xml, where, element, "weight", required=False, default=1.0)
    includes = _children(element, "INCLUDES")
    excludes = _children(element, "EXCLUDES")
    exclusive = bool(excludes)
    bounds = []
    tag = "EXCLUDES" if exclusive else "INCLUDES"
    for n, bound in enumerate(excludes if exclusive else includes, start=1):
        bound_where = f"{where}/{tag}[{n}]"
        index = _integer(xml, bound_where, bound, "index")
        issue = domain.issue_by_index(index)
        if issue is None:
            raise xml.error(bound_where, bound, f"refers to issue index {index}, which the domain "
                                                f"{Path(domain.file).name} does not have")
        if issue.kind != "integer":
            raise xml.error(bound_where, bound,
                            f"hyper-rectangles need integer issues, but {issue.name!r} is "
                            f"{issue.kind}; GENIUS cannot evaluate this profile")
        bounds.append((index, _integer(xml, bound_where, bound, "min"),
                       _integer(xml, bound_where, bound, "max")))
    return Rectangle(utility, weight, tuple(bounds), exclusive)


# ---------------------------------------------------------------------------
# §7 pareto.xml


def read_pareto(path: str | os.PathLike[str]) -> list[tuple[float, float]]:
    """The ``u1, u2`` points of a ``pareto.xml`` file (plain text, despite its name; §7).

    Column 1 is the utility under ``profile-1.xml``, column 2 under
    ``profile-2.xml``.  Lines without a comma after the first character are
    skipped, as GENIUS does; the file order is kept (it is not always sorted).
    """
    name = display_name(path)
    text = read_bytes(path, what="a GENIUS pareto.xml file", limit=MAX_XML_BYTES,
                      name=name).decode("utf-8", errors="replace")
    points = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.find(",") <= 0:
            continue
        first, _, second = line.partition(",")
        try:
            points.append((float(first), float(second)))
        except ValueError:
            raise ScenarioError.single(name, f"line {number}",
                                       f"expected 'u1, u2', got {_clip(line)!r}") from None
    return points


def iter_bids(domain: GeniusDomain, limit: int | None = None) -> Iterator[tuple[Any, ...]]:
    """Bids in GENIUS's enumeration order (§8): an odometer, first issue fastest."""
    sizes = [issue.size for issue in domain.issues]
    position = [0] * len(sizes)
    produced = 0
    while True:
        if limit is not None and produced >= limit:
            return
        yield tuple(issue.values[k] for issue, k in zip(domain.issues, position, strict=True))
        produced += 1
        for i in range(len(sizes)):
            position[i] += 1
            if position[i] < sizes[i]:
                break
            position[i] = 0
        else:
            return


def _unsafe(error: Exception) -> str:
    """What an XML construct that accord never expands is, in words (not the exception's repr)."""
    import defusedxml

    if isinstance(error, defusedxml.DTDForbidden):
        what = "a <!DOCTYPE> declaration"
    elif isinstance(error, defusedxml.EntitiesForbidden):
        what = "an entity declaration"
    elif isinstance(error, defusedxml.ExternalReferenceForbidden):
        what = "a reference to an external file"
    else:
        what = "a construct that accord does not read"
    return (f"has {what}; GENIUS files have none, and accord expands no DTDs or entities "
            "(refused as unsafe)")
