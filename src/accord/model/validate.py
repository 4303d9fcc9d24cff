"""Turn a parsed document into a :class:`Scenario`, reporting *every* problem at once.

Two passes run on the raw document and their problems are merged:

1. structure, by pydantic (types, ranges, unknown keys), with its messages
   rewritten in the user's words;
2. cross-references, by :func:`check_references` (does this option exist? is
   every option of a weighted issue valued? do the text parents form a cycle?),
   written defensively so that it also runs on a structurally broken document.

Paths name list entries by their ``id`` where they have one
(``issues.donetsk.options``) and by their position counting from 1 otherwise
(``issues[3]``), so that a user can find the place in the file.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeGuard

from pydantic import BaseModel, ValidationError

from accord.errors import Problem, ScenarioError
from accord.model.scenario import Preferences, Role, Scenario, Text, TextStatus
from accord.model.suggest import Suggester

__all__ = ["HugeNumber", "check_references", "json_int", "json_object", "scenario_from_document"]


def scenario_from_document(document: Any, file: str, *, from_file: bool = False) -> Scenario:
    """Validate a parsed TOML/JSON document; raise :class:`ScenarioError` listing every problem.

    ``from_file``: the document is a user's file, where ``must_accept = []`` is a
    slip and refused; documents the program builds itself (the service's
    per-viewer analysis input) may say that no party's acceptance is known yet.
    """
    if not isinstance(document, Mapping):
        raise ScenarioError.single(file, "", "expected a table of keys at the top of the file")
    problems: list[Problem] = list(_duplicate_keys(document, file))
    suggester = Suggester()
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(document)
    except ValidationError as error:
        problems.extend(_translate(error, document, file, suggester))
    problems.extend(check_references(document, file, suggester, from_file=from_file))
    if not problems and scenario is not None:
        from accord.model.ranges import check_utility_ranges

        problems.extend(check_utility_ranges(scenario, document, file))
    if problems:
        raise ScenarioError(_unique(_explain_sub_table_traps(document, file, problems)))
    assert scenario is not None
    return scenario


# ---------------------------------------------------------------------------
# TOML: a key written after a [sub-table] header belongs to the sub-table

#: (list of entries or table of tables, sub-table keyed by issue id, the entry's own fields)
_SUB_TABLES: tuple[tuple[str, str, type[BaseModel]], ...] = (
    ("texts", "positions", Text),
    ("preferences", "weights", Preferences),
    ("preferences", "values", Preferences),
)


def _explain_sub_table_traps(document: Mapping[str, Any], file: str,
                             problems: list[Problem]) -> list[Problem]:
    """One clear problem for ``notes = …`` written below ``[texts.positions]``.

    TOML puts every key after a ``[texts.positions]`` header into that table, so a
    text's ``notes`` or ``date`` written there reads as an issue called ``notes``
    (and fails as an id or an option too).  When such a key is not an issue but is
    one of the entry's own fields, every problem at its place is replaced by one
    that says where the key belongs.
    """
    issues = document.get("issues")
    issue_ids = {issue.get("id") for issue in issues
                 if isinstance(issue, Mapping) and isinstance(issue.get("id"), str)} \
        if isinstance(issues, list) else set()
    traps: dict[str, Problem] = {}
    for container, sub_table, model in _SUB_TABLES:
        raw = document.get(container)
        if isinstance(raw, list):
            located = [((container, n), entry) for n, entry in enumerate(raw)]
        elif isinstance(raw, Mapping):
            located = [((container, key), entry) for key, entry in raw.items()]
        else:
            continue
        fields = set(model.model_fields) - {sub_table}
        for loc, entry in located:
            table = entry.get(sub_table) if isinstance(entry, Mapping) else None
            if not isinstance(table, Mapping):
                continue
            for key in table:
                if isinstance(key, str) and key in fields and key not in issue_ids:
                    path = _render_path(document, [*loc, sub_table, key])
                    header = f"[{container}.{sub_table}]" if container == "texts" \
                        else f"[{container}.{loc[1]}.{sub_table}]"
                    what = "the text" if container == "texts" else "the party's preferences"
                    traps[path] = Problem(
                        file, path,
                        f"{key!r} is a key of {what}, not an issue: in TOML every key after the "
                        f"{header} header belongs to that sub-table, so write {key} = … above {header}")
    if not traps:
        return problems
    kept = [p for p in problems if p.path not in traps]
    return kept + list(traps.values())


# ---------------------------------------------------------------------------
# JSON: keys given twice, and numbers too long to convert


class _KeyedTwice(dict[str, Any]):
    """A JSON object in which some key was given more than once (the last value is kept)."""

    duplicates: list[str]


def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for :func:`json.loads`: remembers keys given twice.

    JSON allows a repeated key and keeps the last value, which silently drops
    the first; :func:`scenario_from_document` reports each one with its path.
    An object that holds such an object (directly or in an array) is marked too,
    so that the report walks only the marked branches.
    """
    result: dict[str, Any] = dict(pairs)
    if len(result) == len(pairs) and not any(_holds_marked(value) for value in result.values()):
        return result
    marked = _KeyedTwice(result)
    seen: set[str] = set()
    marked.duplicates = []
    for key, _ in pairs:
        if key in seen and key not in marked.duplicates:
            marked.duplicates.append(key)
        seen.add(key)
    return marked


def _holds_marked(value: Any) -> bool:
    # Objects are built inner first, so only arrays need looking into (each element once
    # per enclosing object: nested arrays of arrays are rare and short in a scenario).
    if type(value) is _KeyedTwice:
        return True
    if type(value) is list:
        return any(_holds_marked(item) for item in value if type(item) in (list, _KeyedTwice))
    return False


#: Whole numbers with more digits than this are not converted (Python refuses past 4300,
#: and no count or number in a scenario needs more than a handful).
MAX_DIGITS = 400


class HugeNumber:
    """A JSON number too long to be converted; validation reports it where it stands."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


def json_int(text: str) -> int | HugeNumber:
    """``parse_int`` for :func:`json.loads`: refuses to convert thousands of digits."""
    digits = len(text.lstrip("-"))
    return HugeNumber(digits) if digits > MAX_DIGITS else int(text)


def _duplicate_keys(document: Any, file: str) -> Iterator[Problem]:
    if type(document) is not _KeyedTwice:
        return  # a TOML file (tomllib refuses a key given twice) or JSON without repeats
    stack: list[tuple[Any, list[int | str]]] = [(document, [])]
    while stack:  # iterative: a deeply nested file must not exhaust the call stack
        node, loc = stack.pop()
        if isinstance(node, _KeyedTwice):
            for key in node.duplicates:
                yield Problem(file, _render_path(document, [*loc, key]),
                              f"key {key!r} is given more than once; give it once")
            stack.extend((value, [*loc, key]) for key, value in node.items() if _holds_marked(value))
        elif isinstance(node, list):
            stack.extend((value, [*loc, n]) for n, value in enumerate(node) if _holds_marked(value))


# ---------------------------------------------------------------------------
# paths


_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def _render_path(document: Any, loc: Sequence[int | str]) -> str:
    """``('issues', 2, 'options')`` → ``issues.donetsk.options`` (or ``issues[3].options``)."""
    parts: list[str] = []
    node = document
    for key in loc:
        if isinstance(key, int):
            entry = node[key] if isinstance(node, list) and 0 <= key < len(node) else None
            entry_id = entry.get("id") if isinstance(entry, Mapping) else None
            if isinstance(entry_id, str) and _ID_PATTERN.match(entry_id) and "." not in entry_id:
                parts.append(f".{entry_id}")
            else:
                parts.append(f"[{key + 1}]")
            node = entry
        else:
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, Mapping) else None
    return "".join(parts).lstrip(".")


# ---------------------------------------------------------------------------
# pass 1: structure (pydantic), in the user's words


def _translate(error: ValidationError, document: Any, file: str,
               suggester: Suggester) -> Iterator[Problem]:
    for item in error.errors(include_url=False):
        # Union members are tagged "<number>", "<uniform>", … (accord.model.uncertain): not keys.
        loc = [part for part in item["loc"] if part != "[key]"
               and not (isinstance(part, str) and part.startswith("<"))]
        if not loc:  # a user's own key that looks like a tag ("<x>"): keep the whole path
            loc = [part for part in item["loc"] if part != "[key]"]
        is_key = "[key]" in item["loc"]
        kind = item["type"]
        given = item.get("input")
        context = item.get("ctx") or {}
        if kind == "missing":
            yield Problem(file, _render_path(document, loc[:-1]) or "(top level)",
                          f"missing required key {loc[-1]!r}")
            continue
        if kind == "extra_forbidden":
            known = _known_keys(loc[:-1])
            hint = suggester.did_you_mean(str(loc[-1]), known)
            expected = f"; expected one of: {', '.join(sorted(known))}" if known and not hint else ""
            yield Problem(file, _render_path(document, loc[:-1]) or "(top level)",
                          f"unknown key {loc[-1]!r}{hint}{expected}")
            continue
        path = _render_path(document, loc)
        if is_key:
            yield Problem(file, path, f"invalid id {_describe(given)}: {_ID_RULE}")
            continue
        yield Problem(file, path, _message(kind, given, context, loc, suggester))


_ID_RULE = "ids use letters, digits, '_', '-' and '.', start with a letter or digit, at most 64 characters"


def _describe(value: Any) -> str:
    """A value as the user wrote it (TOML/JSON words), never a Python repr."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, HugeNumber):
        return f"a whole number with {value.digits} digits"
    if isinstance(value, int):
        # bit_length, not str(): converting thousands of digits is slow and Python refuses it
        if value.bit_length() > 64:
            return f"a whole number with about {int(value.bit_length() * 0.30103) + 1} digits"
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, dt.time):
        return f"the time of day {value.isoformat()}"
    if value is None:
        return "null"
    return "a value of another kind"


def _message(kind: str, given: Any, context: Mapping[str, Any], loc: Sequence[int | str],
             suggester: Suggester | None = None) -> str:
    # (also used by accord.server for request bodies, which pass no suggester)
    suggester = suggester or Suggester()
    got = _describe(given)
    if kind in {"float_type", "float_parsing", "finite_number", "int_type", "int_parsing",
                "int_from_float"}:
        expected = "a whole number" if kind.startswith("int") else "a number"
        if isinstance(given, HugeNumber) or (isinstance(given, int) and not isinstance(given, bool)
                                             and kind.startswith("float")):
            return f"expected {expected}, got {got}, which is too large to use"
        if kind == "finite_number":
            return f"expected a finite number, got {got}"
        return f"expected {expected}, got {got}"
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        field = str(loc[-2]) if len(loc) >= 2 else ""
        if kind == "greater_than" and context.get("gt") == 0:
            return f"must be a positive number, got {got}"
        if field in {"values"} or str(loc[-1]) == "reservation" or (
            len(loc) >= 3 and str(loc[-3]) == "values"
        ):
            return f"must be between 0 and 1, got {got}"
        bound = next(iter(context.values()), None)
        words = {"greater_than": "greater than", "greater_than_equal": "at least",
                 "less_than": "less than", "less_than_equal": "at most"}[kind]
        shown = f"{bound:,}" if isinstance(bound, int) and not isinstance(bound, bool) else bound
        return f"must be {words} {shown}, got {got}"
    if kind == "value_error" and context.get("error") is not None:
        return str(context["error"])
    if kind == "string_pattern_mismatch":
        return f"invalid id {got}: {_ID_RULE}"
    if kind == "string_type":
        return "expected a string (in quotes), got " + got
    if kind == "string_too_long":
        limit = context.get("max_length")
        if limit == 64:
            return f"too long: {_ID_RULE}"
        size = f"{len(given):,} characters" if isinstance(given, str) else "too long"
        return (f"is {size}; at most {limit:,} characters here (put long text in a source "
                "and cite it)" if isinstance(limit, int) else f"is {size}")
    if kind == "bool_type" or kind == "bool_parsing":
        return f"expected true or false, got {got}"
    if kind == "enum":
        expected = context.get("expected", "")
        choices = _enum_choices(loc)
        hint = suggester.did_you_mean(given, choices) if isinstance(given, str) else ""
        return f"unknown value {got}{hint}; expected one of: {expected}"
    if kind.startswith("date") or kind.startswith("datetime"):
        tip = "; leave the time of day out" if isinstance(given, dt.datetime) else ""
        return f"expected an ISO date such as 2025-11-20, got {got}{tip}"
    if kind in {"literal_error"}:
        return f"unknown value {got}; expected {context.get('expected', '')}"
    if kind == "union_tag_invalid":
        tag = context.get("discriminator", "kind").strip("'")
        return (f"unknown {tag} {_describe(context.get('tag'))}; expected one of: "
                f"{context.get('expected_tags', '')}")
    if kind == "union_tag_not_found":
        tag = context.get("discriminator", "kind").strip("'")
        return f"missing required key {tag!r} (it says which form the table has)"
    if kind in {"list_type", "tuple_type", "set_type"}:
        return f"expected an array [ … ], got {got}"
    if kind in {"dict_type", "model_type", "model_attributes_type", "mapping_type"}:
        return f"expected a table {{ … }}, got {got}"
    if kind == "too_short":
        return f"needs at least {context.get('min_length', 1)} entry, got none"
    if kind == "too_long":
        return f"has too many entries (at most {context.get('max_length')})"
    return f"{kind.replace('_', ' ')}: got {got}"  # a kind not seen yet; still in words


def _enum_choices(loc: Sequence[int | str]) -> list[str]:
    last = str(loc[-1]) if loc else ""
    if last == "role":
        return [r.value for r in Role]
    if last == "status":
        return [s.value for s in TextStatus]
    return []


def _known_keys(loc: Sequence[int | str]) -> list[str]:
    """The keys allowed at ``loc``, found by walking the model's annotations."""
    annotation: Any = Scenario
    for key in loc:
        annotation = _unwrap_optional(annotation)
        origin = typing.get_origin(annotation)
        if isinstance(key, int):
            if origin is list:
                annotation = typing.get_args(annotation)[0]
                continue
            return []
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(key)
            if field is None:
                return []
            annotation = field.annotation
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return []
    annotation = _unwrap_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in {typing.Union, types.UnionType}:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    if origin is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation


# ---------------------------------------------------------------------------
# pass 2: cross-references, on the raw document


def check_references(document: Mapping[str, Any], file: str,
                     suggester: Suggester | None = None, *, from_file: bool = True) -> list[Problem]:
    """Problems that need the whole scenario: ids that must exist, be unique or be complete.

    Every look-up is a set or dict look-up and every walk visits each entry once,
    so the time grows linearly with the file (see the Limits section of
    ``docs/reference/scenario-format.md``).
    """
    problems: list[Problem] = []
    suggest = suggester or Suggester()

    def report(loc: Sequence[int | str], message: str) -> None:
        problems.append(Problem(file, _render_path(document, loc) or "(top level)", message))

    def entries(key: str) -> list[tuple[int, Mapping[str, Any]]]:
        value = document.get(key)
        if not isinstance(value, list):
            return []
        return [(n, entry) for n, entry in enumerate(value) if isinstance(entry, Mapping)]

    def ids_of(key: str) -> list[str]:
        found: list[str] = []
        seen: set[str] = set()
        for n, entry in entries(key):
            entry_id = entry.get("id")
            if isinstance(entry_id, str):
                if entry_id in seen:
                    report([key, n, "id"], f"duplicate id {entry_id!r}: ids must be unique in {key}")
                else:
                    found.append(entry_id)
                    seen.add(entry_id)
        return found

    def once(loc: Sequence[int | str], values: Any, what: str) -> None:
        """Each entry of a list at most once (a repeat is a slip, and analyses count entries)."""
        first: dict[Any, int] = {}
        for m, value in enumerate(_list(values)):
            if not isinstance(value, str | int) or isinstance(value, bool):
                continue
            if value in first:
                report([*loc, m], f"{_describe(value)} is listed twice in {what} "
                                  f"(first at position {first[value] + 1}); list it once")
            else:
                first[value] = m

    party_ids = ids_of("parties")
    issue_ids = ids_of("issues")
    text_ids = ids_of("texts")
    source_ids = ids_of("sources")
    party_set, issue_set, text_set, source_set = (set(party_ids), set(issue_ids), set(text_ids),
                                                  set(source_ids))
    options: dict[str, list[str]] = {}
    option_sets: dict[str, set[str]] = {}
    for n, issue in entries("issues"):
        issue_id = issue.get("id")
        option_ids: list[str] = []
        seen: set[str] = set()
        raw_options = issue.get("options")
        for m, option in enumerate(raw_options if isinstance(raw_options, list) else []):
            option_id = option.get("id") if isinstance(option, Mapping) else None
            if isinstance(option_id, str):
                if option_id in seen:
                    report(["issues", n, "options", m, "id"],
                           f"duplicate option id {option_id!r} in issue {issue_id!r}")
                else:
                    option_ids.append(option_id)
                    seen.add(option_id)
        once(["issues", n, "points"], issue.get("points"), "the issue's points")
        if isinstance(issue_id, str) and issue_id not in options:
            options[issue_id] = option_ids
            option_sets[issue_id] = seen

    def known(loc: Sequence[int | str], value: Any, pool: Sequence[str], pool_set: set[str],
              kind: str) -> bool:
        if not isinstance(value, str):
            return False
        if value not in pool_set:
            report(loc, f"unknown {kind} {value!r}{suggest.did_you_mean(value, pool)}")
            return False
        return True

    def check_option(loc: Sequence[int | str], issue_id: str, option_id: Any) -> None:
        # An issue whose options are themselves broken is reported once, not at every use.
        if isinstance(option_id, str) and options.get(issue_id) and option_id not in option_sets[issue_id]:
            report(loc, f"unknown option {option_id!r} for issue {issue_id!r}"
                        f"{suggest.did_you_mean(option_id, options[issue_id])}")

    # settled points must not also be disputed
    disputed: dict[int, str] = {}
    for _n, issue in entries("issues"):
        for point in _list(issue.get("points")):
            if _is_whole(point) and isinstance(issue.get("id"), str):
                disputed.setdefault(point, issue["id"])
    for n, settled in entries("settled"):
        points = settled.get("points")
        once(["settled", n, "points"], points, "the settled points")
        for m, point in enumerate(_list(points)):
            if _is_whole(point) and point in disputed:
                report(["settled", n, "points", m],
                       f"plan point {point} is listed as settled but issue {disputed[point]!r} covers it")

    # scenario.must_accept
    info = document.get("scenario")
    preferences = document.get("preferences")
    preferences = preferences if isinstance(preferences, Mapping) else {}
    must_accept: list[str] = []
    if isinstance(info, Mapping) and isinstance(info.get("must_accept"), list):
        # An empty list is how a structure-only file (no preferences, e.g. the service's
        # public export) says nobody's acceptance is known; with preferences it is a slip.
        if not info["must_accept"] and from_file and preferences:
            report(["scenario", "must_accept"],
                   "is empty, so no one would need to accept a deal; list the parties whose "
                   "acceptance a deal needs, or leave the key out to mean every principal")
        once(["scenario", "must_accept"], info["must_accept"], "must_accept")
        for m, party_id in enumerate(info["must_accept"]):
            if known(["scenario", "must_accept", m], party_id, party_ids, party_set, "party"):
                must_accept.append(party_id)
    else:
        # (An id that is not a string, e.g. a list, is reported elsewhere; it is no key here.)
        roles = {e.get("id"): e.get("role") for _, e in entries("parties") if isinstance(e.get("id"), str)}
        must_accept = [p for p in party_ids if roles.get(p) == Role.PRINCIPAL.value]
        if party_ids and not must_accept:
            report(["scenario"], "no party has role 'principal', so no one must accept a deal; "
                                 "add principals or set scenario.must_accept")
    for party_id in dict.fromkeys(must_accept):
        if party_id not in preferences:
            report(["preferences"], f"party {party_id!r} must accept a deal but has no "
                                    f"[preferences.{party_id}] table")

    # preferences
    for party_id, prefs in preferences.items():
        base: list[int | str] = ["preferences", party_id]
        if party_id not in party_set:
            report(base, f"unknown party {party_id!r}{suggest.did_you_mean(party_id, party_ids)}")
        if not isinstance(prefs, Mapping):
            continue
        weights = prefs.get("weights")
        weights = weights if isinstance(weights, Mapping) else {}
        nonlinear = prefs.get("nonlinear")
        rectangles_only = isinstance(nonlinear, Mapping) and nonlinear.get("kind") == "hyperrectangles"
        if rectangles_only:
            pass  # a hyper-rectangle utility needs no additive weights (accord.model.nonlinear)
        elif not weights and "weights" not in prefs:
            report(base, "missing [weights]: give each issue the party cares about a positive weight")
        elif not weights:
            report([*base, "weights"], "needs at least one issue with a positive weight")
        for issue_id in weights:
            known([*base, "weights", issue_id], issue_id, issue_ids, issue_set, "issue")
        values = prefs.get("values")
        values = values if isinstance(values, Mapping) else {}
        for issue_id, table in values.items():
            if not known([*base, "values", issue_id], issue_id, issue_ids, issue_set, "issue"):
                continue
            if isinstance(table, Mapping):
                for option_id in table:
                    check_option([*base, "values", issue_id], issue_id, option_id)
        for issue_id in weights:
            if issue_id not in options:
                continue
            table = values.get(issue_id)
            if not isinstance(table, Mapping):
                report([*base, "values"], f"issue {issue_id!r} has a weight but no values: add "
                                          f"[preferences.{party_id}.values.{issue_id}]")
                continue
            missing = [o for o in options[issue_id] if o not in table]
            if missing:
                shown = ", ".join(repr(o) for o in missing[:10])
                more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
                report([*base, "values", issue_id],
                       f"no value for option{'s' if len(missing) > 1 else ''} {shown}{more}: "
                       "every option of a weighted issue needs a value in [0, 1]")
        red_lines = prefs.get("red_lines")
        for issue_id, banned in (red_lines.items() if isinstance(red_lines, Mapping) else []):
            if not known([*base, "red_lines", issue_id], issue_id, issue_ids, issue_set, "issue"):
                continue
            certain: set[str] = set()
            named: dict[str, int] = {}
            for m, entry in enumerate(_list(banned)):
                if isinstance(entry, Mapping):  # { option = "…", p = 0.7 }
                    option_id = entry.get("option")
                    check_option([*base, "red_lines", issue_id, m, "option"], issue_id, option_id)
                    if isinstance(option_id, str) and entry.get("p") == 1:
                        certain.add(option_id)
                else:
                    option_id = entry
                    check_option([*base, "red_lines", issue_id, m], issue_id, option_id)
                    if isinstance(option_id, str):
                        certain.add(option_id)
                if isinstance(option_id, str):
                    if option_id in named:
                        report([*base, "red_lines", issue_id, m],
                               f"option {option_id!r} is listed twice (first at position "
                               f"{named[option_id] + 1}); list it once")
                    else:
                        named[option_id] = m
            if option_sets.get(issue_id) and option_sets[issue_id] <= certain:
                report([*base, "red_lines", issue_id],
                       "every option of this issue is a red line, so no text can ever be acceptable")
        for key in ("requires", "excludes"):
            for m, rule in enumerate(_list(prefs.get(key))):
                if not isinstance(rule, Mapping):
                    continue
                loc = [*base, key, m]
                issue_id, other = rule.get("issue"), rule.get("with_issue")
                if known([*loc, "issue"], issue_id, issue_ids, issue_set, "issue"):
                    check_option([*loc, "option"], issue_id, rule.get("option"))
                if known([*loc, "with_issue"], other, issue_ids, issue_set, "issue"):
                    once([*loc, "with_options"], rule.get("with_options"), "with_options")
                    for k, option_id in enumerate(_list(rule.get("with_options"))):
                        check_option([*loc, "with_options", k], other, option_id)
                if isinstance(issue_id, str) and issue_id == other:
                    report([*loc, "with_issue"], f"names the rule's own issue {issue_id!r}: a package "
                                                 "deal links two different points (a single "
                                                 "option is a red line)")
        for m, term in enumerate(_list(prefs.get("terms"))):
            when = term.get("when") if isinstance(term, Mapping) else None
            for issue_id, given in (when.items() if isinstance(when, Mapping) else []):
                loc = [*base, "terms", m, "when", issue_id]
                if not known(loc, issue_id, issue_ids, issue_set, "issue"):
                    continue
                if isinstance(given, list):
                    once(loc, given, "the term's options")
                    for k, option_id in enumerate(given):
                        check_option([*loc, k], issue_id, option_id)
                else:
                    check_option(loc, issue_id, given)

    # texts
    parents: dict[str, str] = {}
    for n, text in entries("texts"):
        if text.get("author") is not None:
            known(["texts", n, "author"], text.get("author"), party_ids, party_set, "party")
        parent = text.get("parent")
        if (parent is not None and known(["texts", n, "parent"], parent, text_ids, text_set, "text")
                and isinstance(text.get("id"), str)):
            parents.setdefault(text["id"], parent)
        once(["texts", n, "sources"], text.get("sources"), "the text's sources")
        for m, source in enumerate(_list(text.get("sources"))):
            known(["texts", n, "sources", m], source, source_ids, source_set, "source")
        positions = text.get("positions")
        for issue_id, option_id in (positions.items() if isinstance(positions, Mapping) else []):
            if known(["texts", n, "positions", issue_id], issue_id, issue_ids, issue_set, "issue"):
                check_option(["texts", n, "positions", issue_id], issue_id, option_id)
    cycles = _cycles(parents)
    for n, text in entries("texts"):
        text_id = text.get("id")
        cycle = cycles.get(text_id) if isinstance(text_id, str) else None
        if cycle:
            report(["texts", n, "parent"], "text parents form a cycle: " + _show_cycle(cycle))

    # statements and meetings
    for n, statement in entries("statements"):
        known(["statements", n, "speaker"], statement.get("speaker"), party_ids, party_set, "party")
        if statement.get("source") is not None:
            known(["statements", n, "source"], statement.get("source"), source_ids, source_set,
                  "source")
        once(["statements", n, "issues"], statement.get("issues"), "the statement's issues")
        once(["statements", n, "options"], statement.get("options"), "the statement's options")
        for m, issue_id in enumerate(_list(statement.get("issues"))):
            known(["statements", n, "issues", m], issue_id, issue_ids, issue_set, "issue")
        # A stance's options must be options of the statement's own issues.
        stated = list(dict.fromkeys(i for i in _list(statement.get("issues")) if isinstance(i, str)))
        for m, option_id in enumerate(_list(statement.get("options"))):
            if isinstance(option_id, str) and not any(option_id in option_sets.get(i, ())
                                                      for i in stated):
                pool = [o for i in stated for o in options.get(i, [])]
                report(["statements", n, "options", m],
                       f"option {option_id!r} is not an option of the statement's issues "
                       f"({', '.join(stated[:10]) or 'none given'}){suggest.did_you_mean(option_id, pool)}")
    for n, meeting in entries("meetings"):
        for key, what in (("participants", "the participants"), ("texts", "the meeting's texts"),
                          ("sources", "the meeting's sources")):
            once(["meetings", n, key], meeting.get(key), what)
        for m, party_id in enumerate(_list(meeting.get("participants"))):
            known(["meetings", n, "participants", m], party_id, party_ids, party_set, "party")
        for m, text_id in enumerate(_list(meeting.get("texts"))):
            known(["meetings", n, "texts", m], text_id, text_ids, text_set, "text")
        for m, source in enumerate(_list(meeting.get("sources"))):
            known(["meetings", n, "sources", m], source, source_ids, source_set, "source")
        start, end = meeting.get("date"), meeting.get("end_date")
        if _is_day(start) and _is_day(end) and end < start:
            report(["meetings", n, "end_date"], f"ends ({end}) before it starts ({start})")
    for n, party in entries("parties"):
        for m, delegate in enumerate(_list(party.get("delegates"))):
            if not isinstance(delegate, Mapping):
                continue
            since, until = delegate.get("since"), delegate.get("until")
            if _is_day(since) and _is_day(until) and until < since:
                report(["parties", n, "delegates", m, "until"],
                       f"served until {until}, before starting on {since}")
    from accord.model.nonlinear import check_references as check_nonlinear

    problems.extend(check_nonlinear(document, file))
    return problems


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_day(value: Any) -> TypeGuard[dt.date]:
    # A datetime is a date to Python, but comparing one with a date raises; it is refused anyway.
    return type(value) is dt.date


def _cycles(parents: Mapping[str, str]) -> dict[str, list[str]]:
    """For each text on a cycle of parents, the cycle starting from it (one pass: O(texts))."""
    state: dict[str, int] = {}  # 1: on the current walk, 2: finished
    cycles: dict[str, list[str]] = {}
    for start in parents:
        walk: list[str] = []
        position: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            position[node] = len(walk)
            walk.append(node)
            node = parents.get(node)
        if node is not None and state.get(node) == 1:  # the walk closed on itself
            ring = walk[position[node]:]
            for k, member in enumerate(ring):
                cycles[member] = ring[k:] + ring[:k]
        for member in walk:
            state[member] = 2
    return cycles


def _show_cycle(cycle: list[str]) -> str:
    """``a → b → c → a``; a long cycle is shortened so that the message stays one line."""
    if len(cycle) <= 8:
        return " → ".join([*cycle, cycle[0]])
    return " → ".join(cycle[:4]) + f" → … ({len(cycle)} texts in all) → " + " → ".join(
        [*cycle[-2:], cycle[0]])


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str, str]] = set()
    unique: list[Problem] = []
    for problem in problems:
        key = (problem.file, problem.path, problem.message)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique
