"""Writing GENIUS folders: an accord scenario as one domain file and one profile per party.

:func:`save_folder` exports a scenario so that it reads back, under GENIUS
semantics (:mod:`accord.io.genius`), to the same utilities; what GENIUS cannot
say (ranged estimates, red lines, …) is refused with
:class:`~accord.errors.ExportError` rather than silently dropped.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import ExportError
from accord.io.files import write_folder_atomic
from accord.io.genius_common import slugify
from accord.io.genius_common import unique as _unique
from accord.model.nonlinear import UtilityNode
from accord.model.scenario import Preferences, Scenario

__all__ = ["ExportError", "genius_documents", "save_folder"]


_UNSAFE = re.compile(r'[<>"&\x00-\x1f]')


def _safe(name: str) -> bool:
    return bool(name.strip()) and name == name.strip() and not _UNSAFE.search(name)


def _names(items: Sequence[tuple[str, str]], fallback_prefix: str) -> list[str]:
    """GENIUS names for (id, label) pairs: the labels when they re-import to the same ids."""
    labels = [label for _, label in items]
    taken: set[str] = set()
    reimported = [_unique(slugify(label, f"{fallback_prefix}-{k}"), taken)
                  for k, label in enumerate(labels, start=1)]
    if all(_safe(label) for label in labels) and len(set(labels)) == len(labels) \
            and reimported == [item_id for item_id, _ in items]:
        return labels
    return [item_id for item_id, _ in items]


def _fmt(value: float) -> str:
    return repr(float(value))


def _attribute_text(value: str) -> str:
    if _UNSAFE.search(value):
        raise ExportError(f"cannot write {value!r} into a GENIUS file: GENIUS does not unescape "
                          "<, >, \", & or control characters")
    return value


def _integer_labels(labels: Sequence[str]) -> int | None:
    """The lower bound when the labels are consecutive integers lb, lb+1, …; else None."""
    try:
        numbers = [int(label) for label in labels]
    except ValueError:
        return None
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return None
    return numbers[0]


@dataclass(frozen=True)
class _ExportIssue:
    index: int
    name: str
    values: list[str]
    integer_lower: int | None  # set when written as a GENIUS integer issue


def save_folder(scenario: Scenario, directory: str | os.PathLike[str], *,
                overwrite: bool = False, drop_red_lines: bool = False) -> list[Path]:
    """Write ``scenario`` as a GENIUS domain folder; return the files written.

    One ``<title>-domain.xml`` and one ``<party id>.xml`` per party with
    preferences.  Utilities read back under GENIUS semantics equal accord's
    exact utilities (issues are written as discrete issues; an issue that a
    hyper-rectangle profile refers to is written as an integer issue).
    Raises :class:`ExportError` for what GENIUS cannot express (red lines,
    unless ``drop_red_lines``), :class:`~accord.errors.OutputExists` (a
    :class:`FileExistsError`) when a file would be replaced without
    ``overwrite``, and :class:`ScenarioError` when the folder cannot be
    written.  The folder is written all or nothing
    (:func:`accord.io.files.write_folder_atomic`): a new folder appears only
    once every file is complete, and a failure leaves nothing behind.
    """
    files = genius_documents(scenario, drop_red_lines=drop_red_lines)
    return write_folder_atomic(directory, files, force=overwrite, what="the GENIUS folder")


def genius_documents(scenario: Scenario, *, drop_red_lines: bool = False) -> dict[str, str]:
    """The GENIUS files of ``scenario``: ``{file name: XML text}`` (see :func:`save_folder`)."""
    from accord.model.nonlinear import HyperRectangleUtility

    party_ids = [p.id for p in scenario.parties if p.id in scenario.preferences]
    if not party_ids:
        raise ExportError("no party has preferences, so there is no GENIUS profile to write")
    with_red_lines = [p for p in party_ids if scenario.preferences[p].red_lines]
    if with_red_lines and not drop_red_lines:
        raise ExportError(f"GENIUS has no red lines, but {', '.join(with_red_lines)} "
                          f"{'has' if len(with_red_lines) == 1 else 'have'} some; pass "
                          "--drop-red-lines to export without them")
    needs_integer: set[str] = set()
    for party_id in party_ids:
        nonlinear = scenario.preferences[party_id].nonlinear
        if isinstance(nonlinear, HyperRectangleUtility):
            needs_integer |= _referenced_issues(nonlinear.root)
    issue_names = _names([(i.id, i.title) for i in scenario.issues], "issue")
    export_issues = []
    for n, (issue, name) in enumerate(zip(scenario.issues, issue_names, strict=True), start=1):
        values = _names([(o.id, o.label) for o in issue.options], "option")
        lower = None
        if issue.id in needs_integer:
            lower = _integer_labels(values)
            if lower is None:
                raise ExportError(
                    f"issue {issue.id!r}: a hyper-rectangle profile needs it as a GENIUS integer "
                    "issue, but its option labels are not consecutive integers")
        export_issues.append(_ExportIssue(n, _attribute_text(name),
                                          [_attribute_text(v) for v in values], lower))
    stem = slugify(scenario.title, "domain")
    domain_file = f"{stem}-domain.xml"
    if domain_file[: -len(".xml")] in party_ids:
        domain_file = f"{stem}-domain-file.xml"
    objective = _attribute_text(scenario.title) if _safe(scenario.title) else stem
    files = {domain_file: _domain_xml(objective, export_issues)}
    for party_id in party_ids:
        files[f"{party_id}.xml"] = _profile_xml(scenario, party_id, objective, export_issues)
    return files


def _referenced_issues(node: UtilityNode) -> set[str]:
    found = {bound.issue for rectangle in node.rectangles
             for bound in (*rectangle.includes, *rectangle.excludes)}
    for child in node.children:
        found |= _referenced_issues(child)
    return found


def _issue_open(issue: _ExportIssue, *, close: bool) -> str:
    if issue.integer_lower is not None:
        upper = issue.integer_lower + len(issue.values) - 1
        return (f'<issue index="{issue.index}" name="{issue.name}" type="integer" etype="integer" '
                f'vtype="integer" lowerbound="{issue.integer_lower}" upperbound="{upper}"'
                + ("/>" if close else ">"))
    return (f'<issue index="{issue.index}" name="{issue.name}" type="discrete" etype="discrete" '
            f'vtype="discrete">')


def _domain_xml(objective: str, issues: list[_ExportIssue]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<negotiation_template>',
             f'<utility_space number_of_issues="{len(issues)}">',
             f'<objective index="0" name="{objective}" type="objective" etype="objective" '
             'vtype="objective">']
    for issue in issues:
        if issue.integer_lower is not None:
            lines.append("  " + _issue_open(issue, close=True))
            continue
        lines.append("  " + _issue_open(issue, close=False))
        for k, value in enumerate(issue.values, start=1):
            lines.append(f'    <item index="{k}" value="{value}"/>')
        lines.append("  </issue>")
    lines += ["</objective>", "</utility_space>", "</negotiation_template>", ""]
    return "\n".join(lines)


def _profile_xml(scenario: Scenario, party_id: str, objective: str,
                 issues: list[_ExportIssue]) -> str:
    from accord.model.nonlinear import CappedUtility, HyperRectangleUtility
    from accord.model.uncertain import point_estimate

    prefs = scenario.preferences[party_id]
    nonlinear = prefs.nonlinear
    if isinstance(nonlinear, HyperRectangleUtility):
        return _nonlinear_xml(scenario, prefs, nonlinear, objective, issues)
    terms = _additive_terms(scenario, prefs, party_id)
    reservation = point_estimate(prefs.reservation)
    if isinstance(nonlinear, CappedUtility):
        terms, reservation = _capped_terms(party_id, nonlinear, terms, reservation)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<utility_space>',
             f'<objective index="0" name="{objective}" type="objective" etype="objective" '
             'vtype="objective">']
    weights: list[tuple[int, float]] = []
    for issue, column in zip(issues, terms, strict=True):
        top = float(column.max()) if len(column) else 0.0
        if issue.integer_lower is not None:
            slope, offset, weight = _integer_evaluator(party_id, issue, column)
            lines.append("  " + _issue_open(issue, close=False))
            lines.append(f'    <evaluator ftype="linear" slope="{_fmt(slope)}" '
                         f'offset="{_fmt(offset)}"/>')
            lines.append("  </issue>")
            weights.append((issue.index, weight))
            continue
        if top > 0.0:
            evaluations = [float(t) / top for t in column]
            weight = top
        elif (column == 0.0).all():
            evaluations = [0.0] * len(column)
            weight = 0.0
        else:
            raise ExportError(f"party {party_id!r}: issue {issue.name!r} only lowers the utility "
                              "(every term ≤ 0 and some < 0); GENIUS's max-normalised "
                              "evaluations cannot express it")
        lines.append("  " + _issue_open(issue, close=False))
        for k, (value, evaluation) in enumerate(zip(issue.values, evaluations, strict=True),
                                                start=1):
            lines.append(f'    <item index="{k}" value="{value}" evaluation="{_fmt(evaluation)}"/>')
        lines.append("  </issue>")
        weights.append((issue.index, weight))
    for index, weight in weights:
        lines.append(f'  <weight index="{index}" value="{_fmt(weight)}"/>')
    lines += ["</objective>",
              f'<discount_factor value="{_fmt(prefs.discount)}"/>',
              f'<reservation value="{_fmt(reservation)}"/>',
              "</utility_space>", ""]
    return "\n".join(lines)


def _additive_terms(scenario: Scenario, prefs: Preferences, party_id: str) -> list[np.ndarray]:
    """Per issue, ``w_i · v_i(o)`` with the weights normalised to sum 1."""
    from accord.model.uncertain import point_estimate

    weights = {issue_id: point_estimate(w) for issue_id, w in prefs.weights.items()}
    total = math.fsum(weights.values())
    terms = []
    for issue in scenario.issues:
        weight = weights.get(issue.id, 0.0)
        table = prefs.values.get(issue.id, {})
        if weight <= 0.0 or total <= 0.0:
            terms.append(np.zeros(len(issue.options)))
            continue
        terms.append(np.array([weight / total * point_estimate(table.get(o.id, 0.0))
                               for o in issue.options]))
    return terms


def _capped_terms(party_id: str, capped: Any, terms: list[np.ndarray],
                  reservation: float) -> tuple[list[np.ndarray], float]:
    """Terms whose sum is ``offset + scale·u`` (GENIUS then caps at 1), and the raw RV."""
    maximum = capped.offset + capped.scale * math.fsum(float(t.max()) for t in terms)
    if (capped.cap is None and maximum > 1.0) or (
            capped.cap is not None and capped.cap != 1.0 and capped.cap < min(1.0, maximum)):
        raise ExportError(f"party {party_id!r}: GENIUS always caps utility at 1, so a cap of "
                          f"{capped.cap} cannot be written")
    scaled = [capped.scale * t for t in terms]
    tops = [float(t.max()) for t in scaled]
    positive = math.fsum(tops)
    if capped.offset >= 0.0:
        shares = [capped.offset / len(scaled)] * len(scaled)
    elif positive + capped.offset > 0.0:
        shares = [capped.offset * top / positive for top in tops]
    else:
        raise ExportError(f"party {party_id!r}: every package has utility ≤ 0, which GENIUS's "
                          "max-normalised evaluations cannot express")
    raw_rv = capped.reservation if capped.reservation is not None else \
        capped.offset + capped.scale * reservation
    return [t + k for t, k in zip(scaled, shares, strict=True)], raw_rv


def _integer_evaluator(party_id: str, issue: _ExportIssue,
                       column: np.ndarray) -> tuple[float, float, float]:
    """(slope, offset, weight) with ``weight·clip(offset + slope·(x − lb), 0, 1) = column``."""
    top = float(column.max())
    if top <= 0.0:
        if (column == 0.0).all():
            return 0.0, 0.0, 0.0
        raise ExportError(f"party {party_id!r}: issue {issue.name!r} has negative terms, which "
                          "a GENIUS integer evaluator (clipped to [0, 1]) cannot express")
    evaluations = column / top
    n = len(evaluations)
    offset = float(evaluations[0])
    slope = float(evaluations[-1] - evaluations[0]) / (n - 1) if n > 1 else 0.0
    fitted = np.clip(offset + slope * np.arange(n), 0.0, 1.0)
    if np.abs(fitted - evaluations).max() > 1e-12:
        raise ExportError(f"party {party_id!r}: issue {issue.name!r} must be a GENIUS integer "
                          "issue (a hyper-rectangle profile refers to it) but this party's values "
                          "on it are not linear in the integer value")
    return slope, offset, top


def _nonlinear_xml(scenario: Scenario, prefs: Preferences, utility: Any, objective: str,
                   issues: list[_ExportIssue]) -> str:
    from accord.model.uncertain import point_estimate

    by_id = {issue.id: export for issue, export in zip(scenario.issues, issues, strict=True)}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<utility_space type="nonlinear">',
             f'<objective index="0" name="{objective}" type="objective" etype="objective" '
             'vtype="objective">']
    for issue in issues:
        if issue.integer_lower is not None:
            lines.append("  " + _issue_open(issue, close=True))
    lines.append(f'  <utility maxutility="{_fmt(utility.max_utility)}">')
    lines.extend(_ufun_xml(utility.root, by_id, depth=2))
    lines += ["  </utility>", "</objective>",
              f'<discount_factor value="{_fmt(prefs.discount)}"/>',
              f'<reservation value="{_fmt(point_estimate(prefs.reservation))}"/>',
              "</utility_space>", ""]
    return "\n".join(lines)


def _ufun_xml(node: Any, by_id: dict[str, _ExportIssue], depth: int) -> Iterable[str]:
    pad = "  " * depth
    yield (f'{pad}<ufun type="PlainUfun" weight="{_fmt(node.weight)}" '
           f'aggregation="{node.aggregation}">')
    for rectangle in node.rectangles:
        yield (f'{pad}  <hyperRectangle utility="{_fmt(rectangle.utility)}" '
               f'weight="{_fmt(rectangle.weight)}">')
        tag = "EXCLUDES" if rectangle.excludes else "INCLUDES"
        for bound in rectangle.excludes or rectangle.includes:
            issue = by_id[bound.issue]
            lower = issue.integer_lower if issue.integer_lower is not None else 0
            yield (f'{pad}    <{tag} index="{issue.index}" min="{lower + bound.low}" '
                   f'max="{lower + bound.high}"/>')
        yield f"{pad}  </hyperRectangle>"
    for child in node.children:
        yield from _ufun_xml(child, by_id, depth + 1)
    yield f"{pad}</ufun>"
