"""GENIUS negotiation domains: read them exactly as GENIUS 10.4 means them, and write them back.

Reading (:func:`load_folder`, :func:`load`) turns a GENIUS domain file and its
preference profiles into an accord :class:`~accord.model.Scenario`, one
principal party per profile.  The GENIUS semantics (``genius-format.md``; see
:mod:`accord.io.genius_xml` for the file rules) are kept exactly:

* **Linear-additive profiles.**  GENIUS's utility is ``U = min(1, Σ_i t_i)``
  with ``t_i = w_i · e_i(value)`` (weights as written, discrete evaluations
  divided by the issue's maximum, …).  Whenever every package's ``Σ t_i`` lies
  in [0, 1] (true of nearly every published profile) it is written as accord's
  additive utility *with the same numbers*: weight ``m_i / M`` and value
  ``M · c_i / m_i`` where ``c_i`` is ``t_i`` (shifted between issues if some
  evaluations are negative), ``m_i = max c_i`` and ``M = Σ m_i``.  Then
  ``Σ w·v = Σ t_i = U`` for every package — the weights a GENIUS file does not
  normalise are absorbed into the values.  Otherwise (weights summing to more
  than 1, so that GENIUS's cap at 1 bites, or utilities below 0) the profile is
  kept exactly as a :class:`~accord.model.nonlinear.CappedUtility`
  ``U = min(1, offset + scale·u)`` over an additive ``u`` in [0, 1]; it
  evaluates exactly, and the additive analyses refuse it.
* **Hyper-rectangle profiles** (ANAC 2014) become a
  :class:`~accord.model.nonlinear.HyperRectangleUtility`.
* **Issues**: discrete items become options (duplicates kept); an integer
  issue becomes one option per integer; a real issue becomes the 21 options of
  GENIUS's own grid ``lb + k(ub − lb)/20`` (values between grid points are
  lost; every GENIUS analysis uses the same grid).
* Reservation value and discount factor are kept (``reservation``,
  ``discount``).

Writing (:func:`save_folder`, :func:`genius_documents`) lives in
:mod:`accord.io.genius_write` and is re-exported here; the names both share
(ids from GENIUS names, validation) live in :mod:`accord.io.genius_common`.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.errors import ExportError, Problem, ScenarioError
from accord.io import genius_xml as gx
from accord.io.files import display_name, read_bytes
from accord.io.genius_common import slugify, validate_document
from accord.io.genius_common import unique as _unique
from accord.io.genius_write import genius_documents, save_folder

if TYPE_CHECKING:
    from accord.model.scenario import Scenario

__all__ = [
    "REPRESENTATION_TOLERANCE",
    "ExportError",
    "GeniusFolder",
    "genius_documents",
    "load",
    "load_folder",
    "read_folder",
    "save_folder",
    "slugify",
    "to_scenario",
    "validate_document",
]

#: A profile whose utilities lie in [−tol, 1 + tol] is written as plain additive preferences
#: (the rounding of weights that sum to 1 ± 1e-16 must not make a profile "capped").
REPRESENTATION_TOLERANCE = 1e-12



# ---------------------------------------------------------------------------
# reading: files → raw GENIUS objects


@dataclass(frozen=True)
class GeniusFolder:
    """The raw content of a GENIUS domain folder (or of an explicit domain file + profiles)."""

    domain: gx.GeniusDomain
    profiles: tuple[tuple[Path, gx.LinearProfile | gx.NonlinearProfile], ...]
    source: Path
    skipped: tuple[str, ...] = ()
    pareto: Path | None = None

    @property
    def profile_files(self) -> list[Path]:
        return [path for path, _ in self.profiles]


def _natural_key(path: Path) -> list[Any]:
    return [int(part) if part.isdigit() else part.lower()
            for part in re.split(r"(\d+)", path.name)]


def read_folder(path: str | os.PathLike[str]) -> GeniusFolder:
    """Parse a GENIUS domain folder: one domain file and its profiles, every problem at once.

    XML files whose root is neither a domain nor a profile (e.g. GENIUS's
    tournament logs) are skipped and named in ``skipped``.
    """
    folder = Path(path)
    name = display_name(path)
    if not folder.exists():
        raise ScenarioError.single(name, "", "no such folder")
    if not folder.is_dir():
        raise ScenarioError.single(name, "", "is not a folder; pass a GENIUS domain folder, or "
                                             "the domain file with --profile files")
    entries = [p for p in folder.iterdir()
               if p.suffix.lower() == ".xml" and p.name.lower() != "pareto.xml"]
    files = sorted((p for p in entries if p.is_file()), key=_natural_key)
    if not files:
        raise ScenarioError.single(name, "", "no GENIUS .xml files in this folder")
    parsed: list[gx.XmlFile] = []
    problems: list[Problem] = []
    # A pipe, device or socket named *.xml is never opened (it could block or never end).
    foreign: list[str] = [f"{display_name(p.name)} (not a regular file)" for p in entries
                          if not p.is_file() and not p.is_dir()]
    for file in files:
        # Each file is read once, through the guarded reader (at most MAX_XML_BYTES of it).
        shown = display_name(file)
        try:
            data = read_bytes(file, what="a GENIUS XML file", limit=gx.MAX_XML_BYTES, name=shown)
            if gx.foreign_root_of(data) is not None:
                foreign.append(display_name(file.name))
                continue
            xml = gx.parse_xml_bytes(data, shown)
        except ScenarioError as error:
            problems.extend(error.problems)
            continue
        parsed.append(gx.XmlFile(name=xml.name, root=xml.root, body=xml.body,
                                 prefix_lines=xml.prefix_lines, path=file))
    domains = [x for x in parsed if gx.is_domain(x)]
    profiles = [x for x in parsed if gx.is_profile(x)]
    skipped = tuple(sorted([*foreign, *(display_name(_path(x).name) for x in parsed
                                        if x not in domains and x not in profiles)]))
    if not domains:
        problems.append(Problem(name, "", "no GENIUS domain file here (a domain file's root "
                                          "element contains <utility_space>)"))
    if len(domains) > 1:
        listed = ", ".join(display_name(_path(x).name) for x in domains)
        problems.append(Problem(name, "", f"several domain files ({listed}); pass the domain "
                                          "file and its profiles explicitly"))
    if len(domains) != 1:
        raise ScenarioError(problems)
    pareto = folder / "pareto.xml"
    return _assemble(domains[0], profiles, folder, skipped,
                     pareto if pareto.is_file() else None, problems)


def _path(xml: gx.XmlFile) -> Path:
    return xml.path if xml.path is not None else Path(xml.name)


def read_files(domain_file: str | os.PathLike[str],
               profile_files: Sequence[str | os.PathLike[str]]) -> GeniusFolder:
    """Parse an explicit domain file and profile files."""
    if not profile_files:
        raise ScenarioError.single(display_name(domain_file), "", "no profile files given")
    problems: list[Problem] = []
    profiles: list[gx.XmlFile] = []
    for file in profile_files:
        try:
            profiles.append(gx.read_xml(file))
        except ScenarioError as error:
            problems.extend(error.problems)
    try:
        domain_xml = gx.read_xml(domain_file)
    except ScenarioError as error:
        raise ScenarioError([*error.problems, *problems]) from None
    return _assemble(domain_xml, profiles, Path(domain_file).parent, (), None, problems)


def _assemble(domain_xml: gx.XmlFile, profile_xmls: list[gx.XmlFile], source: Path,
              skipped: tuple[str, ...], pareto: Path | None,
              problems: list[Problem]) -> GeniusFolder:
    """Parse the domain, then every profile against it, and raise every problem at once."""
    try:
        domain = gx.parse_domain(domain_xml)
    except ScenarioError as error:
        raise ScenarioError([*error.problems, *problems]) from None
    if not profile_xmls and not problems:
        raise ScenarioError.single(display_name(source), "", "no GENIUS preference profiles here (a "
                                                    "profile's root element is <utility_space>)")
    profiles: list[tuple[Path, gx.LinearProfile | gx.NonlinearProfile]] = []
    for xml in profile_xmls:
        try:
            profiles.append((_path(xml), gx.parse_profile(xml, domain)))
        except ScenarioError as error:
            problems.extend(error.problems)
    if problems:
        raise ScenarioError(problems)
    return GeniusFolder(domain, tuple(profiles), source, skipped, pareto)


# ---------------------------------------------------------------------------
# reading: raw GENIUS objects → accord scenario


def load_folder(path: str | os.PathLike[str]) -> Scenario:
    """Read a GENIUS domain folder (XML, or GeniusWeb JSON) into a validated scenario."""
    folder = Path(path)
    if folder.is_dir() and not any(p.suffix.lower() == ".xml" for p in folder.iterdir()) \
            and any(p.suffix.lower() == ".json" for p in folder.iterdir()):
        from accord.io import genius_web

        return genius_web.load_folder(folder)
    return to_scenario(read_folder(folder))


def load(domain_file: str | os.PathLike[str],
         profile_files: Sequence[str | os.PathLike[str]]) -> Scenario:
    """Read an explicit GENIUS domain file and profile files into a validated scenario."""
    if str(domain_file).lower().endswith(".json"):
        from accord.io import genius_web

        return genius_web.load(domain_file, profile_files)
    return to_scenario(read_files(domain_file, profile_files))


def _number_label(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(value, ".15g")
    return text


@dataclass
class _Ids:
    """Accord ids for a domain's issues and options, unique and valid."""

    issue_ids: list[str] = field(default_factory=list)
    option_ids: list[list[str]] = field(default_factory=list)
    option_labels: list[list[str]] = field(default_factory=list)


def _ids_for(domain: gx.GeniusDomain) -> _Ids:
    ids = _Ids()
    taken_issues: set[str] = set()
    for n, issue in enumerate(domain.issues, start=1):
        ids.issue_ids.append(_unique(slugify(issue.name, f"issue-{n}"), taken_issues))
        labels = [v if isinstance(v, str) else _number_label(v) for v in issue.values]
        taken: set[str] = set()
        ids.option_ids.append([_unique(slugify(label, f"option-{k}"), taken)
                               for k, label in enumerate(labels, start=1)])
        ids.option_labels.append(labels)
    return ids


def to_scenario(folder: GeniusFolder, *, title: str | None = None) -> Scenario:
    """The accord scenario of a parsed GENIUS folder (see the module docstring for the rules)."""
    domain = folder.domain
    ids = _ids_for(domain)
    issues: list[dict[str, Any]] = []
    for i, issue in enumerate(domain.issues):
        options = []
        for k, (option_id, label) in enumerate(zip(ids.option_ids[i], ids.option_labels[i],
                                                   strict=True)):
            option: dict[str, Any] = {"id": option_id, "label": label}
            if issue.descriptions and issue.descriptions[k].strip() \
                    and issue.descriptions[k] != label:
                option["description"] = issue.descriptions[k]
            options.append(option)
        entry: dict[str, Any] = {"id": ids.issue_ids[i], "title": issue.name, "options": options}
        if issue.kind == "integer":
            entry["description"] = f"GENIUS integer issue {int(issue.lower)}..{int(issue.upper)}"
        elif issue.kind == "real":
            entry["description"] = (
                f"GENIUS real issue [{issue.lower:g}, {issue.upper:g}], discretised to GENIUS's "
                f"{gx.REAL_GRID_POINTS}-point grid lb + k(ub - lb)/20")
        issues.append(entry)

    parties: list[dict[str, Any]] = []
    preferences: dict[str, dict[str, Any]] = {}
    taken_parties: set[str] = set()
    for n, (path, profile) in enumerate(folder.profiles, start=1):
        party_id = _unique(slugify(path.stem, f"party-{n}"), taken_parties)
        parties.append({"id": party_id, "name": path.stem, "role": "principal",
                        "description": f"GENIUS profile {path.name}"})
        preferences[party_id] = _preferences(profile, domain, ids, path.name)

    source = folder.source
    name = title or (source.name if source.name else domain.name)
    notes = [f"GENIUS domain {Path(domain.file).name!r} (objective {domain.name!r}): "
             f"{len(domain.issues)} issues, {domain.n_outcomes} outcomes, "
             f"{len(folder.profiles)} profiles; read with GENIUS 10.4 semantics."]
    if any(issue.kind == "real" for issue in domain.issues):
        notes.append("Real-valued issues are discretised to GENIUS's 21-point grid.")
    if folder.skipped:
        notes.append(f"Skipped files that are neither domain nor profile: "
                     f"{', '.join(folder.skipped)}.")
    document: dict[str, Any] = {
        "scenario": {"title": name, "description": " ".join(notes)},
        "parties": parties,
        "issues": issues,
        "preferences": preferences,
    }
    return validate_document(document, display_name(source))


def _preferences(profile: gx.LinearProfile | gx.NonlinearProfile, domain: gx.GeniusDomain,
                 ids: _Ids, file_name: str) -> dict[str, Any]:
    basis = f"GENIUS profile {file_name}"
    raw_rv = profile.reservation if profile.reservation is not None else 0.0
    entry: dict[str, Any] = {"estimate": False, "basis": basis, "discount": profile.discount}
    if isinstance(profile, gx.NonlinearProfile):
        entry["reservation"] = min(1.0, max(0.0, raw_rv))
        entry["nonlinear"] = {
            "kind": "hyperrectangles",
            "max_utility": profile.max_utility,
            "root": _node_document(profile.root, domain, ids),
        }
        return entry
    terms = profile.terms(domain)
    representation = represent_linear(terms)
    weights: dict[str, float] = {}
    values: dict[str, dict[str, float]] = {}
    for i, weight in representation.weights.items():
        weights[ids.issue_ids[i]] = weight
        values[ids.issue_ids[i]] = {option_id: float(v) for option_id, v in
                                    zip(ids.option_ids[i], representation.values[i], strict=True)}
    entry["weights"] = weights
    entry["values"] = values
    offset, scale = representation.offset, representation.scale
    if representation.identity and 0.0 <= raw_rv <= 1.0:
        entry["reservation"] = raw_rv
        return entry
    reasons = []
    weight_sum = sum(profile.weights.values())
    if representation.max_raw > 1.0 + REPRESENTATION_TOLERANCE:
        reasons.append(f"the weights sum to {weight_sum:.6g} and the best package scores "
                       f"{representation.max_raw:.6g}, which GENIUS caps at 1")
    if representation.min_raw < -REPRESENTATION_TOLERANCE:
        reasons.append(f"negative evaluations let the utility fall to "
                       f"{representation.min_raw:.6g}")
    if not 0.0 <= raw_rv <= 1.0:
        reasons.append(f"the reservation value {raw_rv:g} lies outside [0, 1]")
    entry["reservation"] = min(1.0, max(0.0, (raw_rv - offset) / scale))
    entry["nonlinear"] = {"kind": "capped", "offset": offset, "scale": scale, "cap": 1.0,
                          "reservation": raw_rv, "reason": "; ".join(reasons)}
    return entry


@dataclass(frozen=True)
class LinearRepresentation:
    """GENIUS ``Σ t_i`` as ``offset + scale · Σ w_i v_i`` (weights sum 1, values in [0, 1]).

    ``identity`` means offset 0 and scale 1: the accord utility *is* GENIUS's.
    ``weights`` maps an issue position to its weight (issues that cannot
    change the utility are left out) and ``values`` gives its option values.
    """

    weights: dict[int, float]
    values: dict[int, np.ndarray]
    offset: float
    scale: float
    identity: bool
    min_raw: float
    max_raw: float


#: A share of the utility range below this is rounding noise (about 5 ulps of 1).
_NEGLIGIBLE = 1e-15


def represent_linear(terms: Sequence[np.ndarray]) -> LinearRepresentation:
    """Write per-issue GENIUS terms ``t_i(o) = w_i·e_i(o)`` in accord's additive form.

    When ``0 ≤ Σ t ≤ 1`` for every package (up to :data:`REPRESENTATION_TOLERANCE`)
    the representation is the identity: issue constants are moved between
    issues so that every term is ≥ 0 (``c_i = t_i + k_i``, ``Σ k_i = 0``), and
    with ``m_i = max c_i``, ``M = Σ m_i``, weight ``m_i / M`` and value
    ``M·c_i/m_i`` give ``Σ w·v = Σ c_i = Σ t_i``.  Otherwise it is affine:
    ``u = (Σ t − min) / (max − min)``.
    """
    lows = [float(t.min()) for t in terms]
    highs = [float(t.max()) for t in terms]
    min_raw, max_raw = math.fsum(lows), math.fsum(highs)
    tol = REPRESENTATION_TOLERANCE
    if min_raw >= -tol and max_raw <= 1.0 + tol:
        shifts = _shifts(lows)
        shifted = [np.maximum(t + k, 0.0) for t, k in zip(terms, shifts, strict=True)]
        tops = [float(c.max()) for c in shifted]
        # An issue whose whole range is below rounding noise of the total (down to
        # subnormal numbers, whose reciprocal overflows) contributes nothing: drop it.
        floor = _NEGLIGIBLE * math.fsum(tops)
        tops = [top if top > floor else 0.0 for top in tops]
        total = math.fsum(tops)
        weights: dict[int, float] = {}
        values: dict[int, np.ndarray] = {}
        if total <= 0.0:
            return LinearRepresentation({0: 1.0}, {0: np.zeros(len(terms[0]))}, 0.0, 1.0, True,
                                        min_raw, max_raw)
        for i, (c, top) in enumerate(zip(shifted, tops, strict=True)):
            if top > 0.0:
                weights[i] = top / total
                values[i] = np.minimum(1.0, c * (total / top))
        return LinearRepresentation(weights, values, 0.0, 1.0, True, min_raw, max_raw)
    span = max_raw - min_raw
    if span <= 0.0:
        return LinearRepresentation({0: 1.0}, {0: np.zeros(len(terms[0]))}, min_raw, 1.0, False,
                                    min_raw, max_raw)
    weights = {}
    values = {}
    for i, (t, low, high) in enumerate(zip(terms, lows, highs, strict=True)):
        if high - low > _NEGLIGIBLE * span:
            weights[i] = (high - low) / span
            values[i] = np.clip((t - low) / (high - low), 0.0, 1.0)
    return LinearRepresentation(weights, values, min_raw, span, False, min_raw, max_raw)


def _shifts(lows: Sequence[float]) -> list[float]:
    """Constants ``k_i`` with ``Σ k_i = 0`` and ``low_i + k_i ≥ 0`` (given ``Σ low_i ≥ 0``)."""
    deficit = math.fsum(-low for low in lows if low < 0.0)
    if deficit == 0.0:
        return [0.0] * len(lows)
    pool = math.fsum(low for low in lows if low > 0.0)
    share = min(1.0, deficit / pool) if pool > 0.0 else 0.0
    return [-low if low < 0.0 else -low * share for low in lows]


def _node_document(node: gx.UfunNode, domain: gx.GeniusDomain, ids: _Ids) -> dict[str, Any]:
    position = {issue.index: i for i, issue in enumerate(domain.issues)}
    rectangles = []
    for rectangle in node.rectangles:
        bounds = []
        for index, low, high in rectangle.bounds:
            i = position[index]
            lower = int(domain.issues[i].lower)
            bounds.append({"issue": ids.issue_ids[i], "low": low - lower, "high": high - lower})
        entry: dict[str, Any] = {"utility": rectangle.utility}
        if rectangle.weight != 1.0:
            entry["weight"] = rectangle.weight
        entry["excludes" if rectangle.exclusive else "includes"] = bounds
        rectangles.append(entry)
    document: dict[str, Any] = {"aggregation": node.aggregation}
    if node.weight != 1.0:
        document["weight"] = node.weight
    if rectangles:
        document["rectangles"] = rectangles
    if node.children:
        document["children"] = [_node_document(child, domain, ids) for child in node.children]
    return document
