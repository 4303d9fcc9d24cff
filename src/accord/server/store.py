"""Negotiation state as the library's model objects: request bodies in, scenario documents out.

There is no second model of a negotiation here.  A negotiation's parts are
stored as the JSON form of the library's own classes (``Scenario`` info,
``Party``, ``Issue``, ``SettledPoint``, ``Source``, ``Text``,
``Preferences``, ``Statement``, ``Meeting``), and every check of a request
body rebuilds a scenario document and runs the library's validation on it
(:func:`accord.model.validate.scenario_from_document`), so that a request gets
exactly the messages a scenario file gets, with paths relative to the body.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.errors import Problem, ScenarioError
from accord.model import Scenario
from accord.model.suggest import did_you_mean
from accord.model.validate import scenario_from_document
from accord.server.access import PreferenceInput
from accord.server.audit import canonical
from accord.server.db.models import (
    Agreement,
    Meeting,
    Negotiation,
    PreferenceRecord,
    Statement,
    TextVersion,
)
from accord.server.errors import ApiError

__all__ = [
    "BODY",
    "STRUCTURE_KEYS",
    "build_document",
    "check_document",
    "package_key",
    "parse_json",
    "parse_model",
    "validate_structure",
]

#: The "file" a request's problems are reported in.
BODY = "request body"
STRUCTURE_KEYS = ("scenario", "sources", "parties", "issues", "settled")

JSON_TYPES = ("application/json",)
TOML_TYPES = ("application/toml", "text/toml", "application/x-toml")


def dumps(value: Any) -> str:
    return canonical(value)


def loads(text: str) -> Any:
    return json.loads(text)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- request bodies ------------------------------------------------------------------


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def parse_json(raw: bytes, content_type: str | None, *, allow_toml: bool = False) -> Any:
    """The parsed body, or a 400/415 that says what is wrong and where."""
    kind = media_type(content_type)
    if allow_toml and kind in TOML_TYPES:
        return _parse_toml(raw)
    if kind not in JSON_TYPES and not kind.endswith("+json"):
        expected = "application/json" + (" or application/toml" if allow_toml else "")
        raise ApiError(415, f"expected a request body of type {expected}, got {kind or 'none'}")
    text = _decode(raw)
    if not text.strip():
        raise ApiError(400, "the request body is empty; expected a JSON object")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ApiError(
            400,
            "the request body is not valid JSON",
            [Problem(BODY, f"line {error.lineno}, column {error.colno}", f"invalid JSON: {error.msg}")],
        ) from None
    except ValueError as error:
        message = str(error)
        if "integer string conversion" in message:
            message = "a number has too many digits (at most 4300)"
        raise ApiError(
            400, "the request body is not valid JSON", [Problem(BODY, "", f"invalid JSON: {message}")]
        ) from None
    except RecursionError:
        raise ApiError(400, "the request body is nested too deeply") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApiError(
            400,
            "the request body is not UTF-8 text",
            [Problem(BODY, f"byte {error.start}", "expected UTF-8 text")],
        ) from None


def _parse_toml(raw: bytes) -> Any:
    text = _decode(raw)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f"line {match.group(1)}, column {match.group(2)}" if match else ""
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        raise ApiError(
            400, "the request body is not valid TOML", [Problem(BODY, where, f"invalid TOML: {message}")]
        ) from None
    except RecursionError:
        raise ApiError(400, "the request body is nested too deeply") from None


def require_object(value: Any, what: str = "the request body") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ApiError(
            422, f"{what} must be a JSON object", [Problem(BODY, "(top level)", "expected a table { … }")]
        )
    return value


_M = Any


def parse_model(model: type[BaseModel], value: Any) -> Any:
    """Validate a body against one of the service's own request models, in the library's words."""
    require_object(value)
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise ApiError(422, "the request body is not valid", list(_problems(error, model))) from None


def _problems(error: ValidationError, model: type[BaseModel]) -> Iterable[Problem]:
    from accord.model.validate import _message  # the library's wording of each kind of error

    for item in error.errors(include_url=False):
        loc = [part for part in item["loc"] if part != "[key]"]
        path = ".".join(str(p) for p in loc) or "(top level)"
        if item["type"] == "missing":
            parent = ".".join(str(p) for p in loc[:-1]) or "(top level)"
            yield Problem(BODY, parent, f"missing required key {loc[-1]!r}")
        elif item["type"] == "extra_forbidden":
            known = list(model.model_fields) if len(loc) == 1 else []
            hint = did_you_mean(str(loc[-1]), known)
            expected = f"; expected one of: {', '.join(sorted(known))}" if known and not hint else ""
            parent = ".".join(str(p) for p in loc[:-1]) or "(top level)"
            yield Problem(BODY, parent, f"unknown key {loc[-1]!r}{hint}{expected}")
        elif item["type"] in {"literal_error", "enum"}:
            expected = (item.get("ctx") or {}).get("expected", "")
            given = item.get("input")
            choices = re.findall(r"'([^']*)'", str(expected))
            hint = did_you_mean(given, choices) if isinstance(given, str) else ""
            yield Problem(BODY, path, f"unknown value {given!r}{hint}; expected one of: {expected}")
        elif item["type"] == "string_too_long" and len(loc) == 1:
            # The library's wording is for its identifiers; the service's own fields (a note, a
            # comment, a name) are free text with a length.
            limit = (item.get("ctx") or {}).get("max_length")
            yield Problem(BODY, path, f"too long: expected at most {limit} characters")
        elif item["type"] == "string_unicode":
            yield Problem(BODY, path, "expected text without unpaired surrogates (\\ud800–\\udfff)")
        else:
            yield Problem(BODY, path, _message(item["type"], item.get("input"), item.get("ctx") or {}, loc))


# -- documents -------------------------------------------------------------------------------


def effective_must_accept(structure: Mapping[str, Any]) -> list[str]:
    """The parties whose acceptance a deal needs (default: every principal), as the model says."""
    info = structure.get("scenario") or {}
    if isinstance(info, Mapping) and isinstance(info.get("must_accept"), list):
        return list(info["must_accept"])
    return [p["id"] for p in structure.get("parties", []) if p.get("role") == "principal"]


def build_document(
    structure: Mapping[str, Any],
    *,
    texts: Sequence[Mapping[str, Any]] = (),
    statements: Sequence[Mapping[str, Any]] = (),
    meetings: Sequence[Mapping[str, Any]] = (),
    preferences: Mapping[str, Mapping[str, Any]] | None = None,
    must_accept: Sequence[str] | None = None,
) -> dict[str, Any]:
    """A scenario document (the file's JSON form) from stored parts."""
    document: dict[str, Any] = {key: _copy(structure[key]) for key in STRUCTURE_KEYS if key in structure}
    document["scenario"] = dict(document.get("scenario") or {})
    if must_accept is not None:
        document["scenario"]["must_accept"] = list(must_accept)
    document["preferences"] = {party: _copy(prefs) for party, prefs in (preferences or {}).items()}
    document["texts"] = [_copy(t) for t in texts]
    document["statements"] = [_copy(s) for s in statements]
    document["meetings"] = [_copy(m) for m in meetings]
    return document


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


def analysis_document(
    structure: Mapping[str, Any],
    texts: Sequence[Mapping[str, Any]],
    preferences: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, Any], list[str]]:
    """The document an analysis runs on, and the must-accept parties it had to leave out.

    A must-accept party without preferences the viewer's analysis may use is
    dropped from ``must_accept`` (and reported), so that the analysis answers
    for the parties it knows about rather than refusing.
    """
    must = effective_must_accept(structure)
    missing = [p for p in must if p not in preferences]
    document = build_document(
        structure, texts=texts, preferences=preferences, must_accept=[p for p in must if p in preferences]
    )
    return document, missing


def dummy_preferences(structure: Mapping[str, Any]) -> dict[str, Any]:
    """Valid stand-in preferences, so that a structure without submissions validates on its own."""
    issues = structure.get("issues")
    if not isinstance(issues, list) or not issues or not isinstance(issues[0], Mapping):
        return {"weights": {}}
    first = issues[0]
    options = [o.get("id") for o in first.get("options", []) if isinstance(o, Mapping)]
    issue_id = first.get("id") if isinstance(first.get("id"), str) else "x"
    return {"weights": {issue_id: 1.0}, "values": {issue_id: {o: 0.0 for o in options if isinstance(o, str)}}}


def check_document(
    document: Mapping[str, Any], *, stand_ins: Iterable[str] = (), file: str = BODY
) -> Scenario:
    """Validate; problems inside stand-in preferences (not the user's) are dropped."""
    stand_ins = set(stand_ins)
    try:
        return scenario_from_document(document, file)
    except ScenarioError as error:
        problems = [p for p in error.problems if not _under_preferences_of(p.path, stand_ins)]
        if not problems:
            # Only the stand-ins were wrong, which means the structure itself is: validate once more
            # without them for a message about the structure.
            raise
        raise ScenarioError(problems) from None


def _under_preferences_of(path: str, parties: set[str]) -> bool:
    return any(path == f"preferences.{p}" or path.startswith(f"preferences.{p}.") for p in parties)


def rebase(problems: Iterable[Problem], document_prefix: str, body_prefix: str = "") -> list[Problem]:
    """Problems at ``texts.plan-20.positions.x`` → ``positions.x`` (relative to the request body)."""
    out = []
    for problem in problems:
        path = problem.path
        if path == document_prefix:
            path = body_prefix or "(top level)"
        elif document_prefix and path.startswith(document_prefix + "."):
            rest = path[len(document_prefix) + 1 :]
            path = f"{body_prefix}.{rest}" if body_prefix else rest
        elif document_prefix and path.startswith(document_prefix + "["):
            rest = path[len(document_prefix) :]
            path = f"{body_prefix}{rest}" if body_prefix else rest.lstrip(".")
        out.append(Problem(BODY, path, problem.message))
    return out


def entry_prefix(key: str, entry: Any, position: int) -> str:
    """How the library's messages name a list entry: by its id, else by its position from 1."""
    entry_id = entry.get("id") if isinstance(entry, Mapping) else None
    if isinstance(entry_id, str) and re.match(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", entry_id):
        return f"{key}.{entry_id}"
    return f"{key}[{position}]"


def structure_from_scenario(scenario: Scenario) -> dict[str, Any]:
    data = scenario.model_dump(mode="json", exclude_none=True)
    return {key: data[key] for key in STRUCTURE_KEYS if key in data}


def model_json(model: BaseModel) -> dict[str, Any]:
    """The stored form of a library object: its JSON dump without empty optional fields."""
    return model.model_dump(mode="json", exclude_none=True)


# -- loading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """The parts of one negotiation, as stored (JSON forms of library objects)."""

    negotiation: Negotiation
    structure: dict[str, Any]
    texts: list[TextVersion]
    preferences: list[PreferenceRecord]
    #: Set in a non-mediator's view (:meth:`visible`): each version's parent as that view shows it.
    _parents: dict[str, str | None] | None = None

    @property
    def party_ids(self) -> list[str]:
        return [p["id"] for p in self.structure.get("parties", [])]

    @property
    def issue_ids(self) -> list[str]:
        return [i["id"] for i in self.structure.get("issues", [])]

    def inputs(self) -> list[PreferenceInput]:
        return [PreferenceInput(r.party_id, r.kind, r.visibility, loads(r.data)) for r in self.preferences]

    def issue(self, issue_id: str) -> Mapping[str, Any]:
        for issue in self.structure.get("issues", []):
            if issue["id"] == issue_id:
                return issue
        raise KeyError(issue_id)

    def text(self, text_id: str, *, published_only: bool = False) -> TextVersion | None:
        for text in self.texts:
            if text.text_id == text_id and (text.published or not published_only):
                return text
        return None

    def visible(self, mediator: bool) -> Loaded:
        """The negotiation as a viewer sees it: mediators every version, everyone else the published ones.

        A published version whose parent is unpublished gets, as its parent, its nearest published
        ancestor (so that no unpublished version's id, or what it says, shows through the lineage).
        """
        if mediator or all(t.published for t in self.texts):
            return self
        return Loaded(
            self.negotiation,
            self.structure,
            [t for t in self.texts if t.published],
            self.preferences,
            _parents=public_parents(self.texts),
        )

    @property
    def text_documents(self) -> list[dict[str, Any]]:
        documents = [loads(t.data) for t in self.texts]
        if self._parents is not None:
            for document in documents:
                if document.get("parent") is not None:
                    document["parent"] = self._parents.get(document["id"])
                    if document["parent"] is None:
                        del document["parent"]
        return documents

    def data(self, row: TextVersion) -> dict[str, Any]:
        """One version's stored form, with its parent as this view shows it."""
        document = loads(row.data)
        if self._parents is not None and document.get("parent") is not None:
            parent = self._parents.get(document["id"])
            if parent is None:
                del document["parent"]
            else:
                document["parent"] = parent
        return document


def public_parents(texts: Sequence[TextVersion]) -> dict[str, str | None]:
    """Each published version's nearest published ancestor (None: it has none)."""
    data = {t.text_id: loads(t.data) for t in texts}
    published = {t.text_id for t in texts if t.published}
    out: dict[str, str | None] = {}
    for text_id in published:
        parent = data[text_id].get("parent")
        seen = {text_id}
        while parent is not None and parent not in published and parent in data and parent not in seen:
            seen.add(parent)
            parent = data[parent].get("parent")
        out[text_id] = parent if parent in published else None
    return out


def load(session: Session, negotiation: Negotiation, *, preferences: bool = True) -> Loaded:
    texts = list(
        session.scalars(
            select(TextVersion).where(TextVersion.negotiation_id == negotiation.id).order_by(TextVersion.seq)
        ).all()
    )
    records = (
        list(
            session.scalars(
                select(PreferenceRecord)
                .where(PreferenceRecord.negotiation_id == negotiation.id)
                .order_by(PreferenceRecord.id)
            ).all()
        )
        if preferences
        else []
    )
    return Loaded(negotiation, loads(negotiation.structure), texts, records)


def published_records(
    session: Session,
    negotiation_id: str,
    model: type[Statement] | type[Meeting],
    *,
    include_unpublished: bool,
) -> list[Any]:
    query = select(model).where(model.negotiation_id == negotiation_id)
    if not include_unpublished:
        query = query.where(model.published.is_(True))
    return list(session.scalars(query.order_by(model.created_at, model.id)).all())


def agreements(session: Session, negotiation_id: str) -> list[Agreement]:
    return list(
        session.scalars(
            select(Agreement).where(Agreement.negotiation_id == negotiation_id).order_by(Agreement.seq)
        ).all()
    )


# -- validation of the whole negotiation ------------------------------------------------------


def validate_structure(
    structure: Mapping[str, Any],
    loaded_texts: Sequence[Mapping[str, Any]],
    statements: Sequence[Mapping[str, Any]],
    meetings: Sequence[Mapping[str, Any]],
    records: Sequence[PreferenceInput],
) -> Scenario:
    """Check a (new) structure with everything that depends on it; raise ScenarioError.

    Submitted preferences and the mediators' estimates are checked in separate
    passes (a party may have both); must-accept parties with neither get
    stand-in preferences, since parties submit theirs after the negotiation is
    set up.
    """
    must = effective_must_accept(structure)
    passes: list[dict[str, Mapping[str, Any]]] = [{r.party: r.data for r in records if r.kind == "submitted"}]
    estimates = {r.party: r.data for r in records if r.kind == "estimate"}
    if estimates:
        passes.append(estimates)
    problems: list[Problem] = []
    scenario: Scenario | None = None
    for chosen in passes:
        stand_ins = [p for p in must if p not in chosen]
        prefs = dict(chosen)
        for party in stand_ins:
            prefs[party] = dummy_preferences(structure)
        document = build_document(
            structure, texts=loaded_texts, statements=statements, meetings=meetings, preferences=prefs
        )
        try:
            result = check_document(document, stand_ins=stand_ins)
        except ScenarioError as error:
            problems.extend(p for p in error.problems if p not in problems)
            continue
        scenario = scenario or result
    if problems:
        raise ScenarioError(problems)
    assert scenario is not None
    return scenario


# -- packages ------------------------------------------------------------------------------------


def package_key(positions: Mapping[str, str]) -> str:
    return sha256(dumps(dict(sorted(positions.items()))))


def complete_package(loaded: Loaded, positions: Any, *, where: str = "positions") -> dict[str, str]:
    """A complete package (one option for every issue) checked against the structure."""
    if not isinstance(positions, Mapping):
        raise ApiError(
            422,
            "a package is a table of issue → option",
            [Problem(BODY, where, "expected a table { issue = option, … }")],
        )
    problems: list[Problem] = []
    issues = {i["id"]: [o["id"] for o in i.get("options", [])] for i in loaded.structure.get("issues", [])}
    for issue_id, option_id in positions.items():
        if issue_id not in issues:
            problems.append(
                Problem(
                    BODY, f"{where}.{issue_id}", f"unknown issue {issue_id!r}{did_you_mean(issue_id, issues)}"
                )
            )
        elif not isinstance(option_id, str) or option_id not in issues[issue_id]:
            problems.append(
                Problem(
                    BODY,
                    f"{where}.{issue_id}",
                    f"unknown option {option_id!r} for issue {issue_id!r}"
                    f"{did_you_mean(option_id, issues[issue_id])}",
                )
            )
    open_points = [i for i in issues if i not in positions]
    if open_points:
        problems.append(
            Problem(BODY, where, "a package must settle every point; open: " + ", ".join(open_points))
        )
    if problems:
        raise ApiError(422, "the package is not valid", problems)
    return {i: str(positions[i]) for i in issues}
