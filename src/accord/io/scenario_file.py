"""accord's own scenario file: TOML (read with :mod:`tomllib`) or JSON of the same shape.

Reading never raises anything but :class:`~accord.errors.ScenarioError` for a
bad file, and that error lists every problem with the file name and the key
path.  Writing is lossless (load → save → load gives an equal model) and atomic
(a temporary file renamed over the target), and refuses to replace an existing
file unless asked to.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from accord.errors import ScenarioError
from accord.io.files import decode_text, display_name, read_bytes, write_atomic
from accord.model.scenario import Scenario
from accord.model.validate import json_int, json_object, scenario_from_document

__all__ = [
    "MAX_FILE_BYTES",
    "dumps_json",
    "dumps_toml",
    "json_schema",
    "load",
    "loads",
    "read_document",
    "save",
]

#: Files larger than this are refused before parsing.  The flagship is 60 KB; 2 MiB holds some
#: 9,000 issues, far beyond the 1,000 that the exact analyses take (accord.analysis.limits),
#: and is what `accord check` answers in about 2 s on a busy 2-core machine.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Above this size TOML is parsed by rtoml (compiled, about 6× faster than tomllib); smaller
#: files, and any file rtoml refuses, go to tomllib, whose messages name the line and column.
_FAST_TOML_BYTES = 256 * 1024
_KIND = "a scenario file (.toml or .json)"


def load(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate a scenario file (``.toml`` or ``.json``)."""
    name = display_name(path)
    document = read_document(path)
    return scenario_from_document(document, name, from_file=True)


def loads(text: str, *, format: str = "toml", name: str = "<string>") -> Scenario:
    """Validate a scenario given as a string in ``format`` (``toml`` or ``json``)."""
    return scenario_from_document(_parse(text, format, name), name, from_file=True)


def read_document(path: str | os.PathLike[str]) -> Any:
    """The raw parsed document of a scenario file, with every reading failure as a ScenarioError."""
    name = display_name(path)
    file = Path(path)
    data = read_bytes(path, what=_KIND, limit=MAX_FILE_BYTES, name=name)
    if not data.strip():
        raise ScenarioError.single(name, "", "is empty; expected a scenario (see `accord schema`)")
    text = decode_text(data, name=name, what="a TOML or JSON text file")
    if file.suffix.lower() == ".xml" or text.lstrip().startswith("<"):
        _refuse_genius(name, file, "GENIUS " + _genius_xml_kind(text))
    document = _parse(text, _format_of(file, text), name)
    if isinstance(document, Mapping) and "scenario" not in document:
        if "issuesValues" in document:
            _refuse_genius(name, file, "GeniusWeb domain")
        if "LinearAdditiveUtilitySpace" in document:
            _refuse_genius(name, file, "GeniusWeb profile")
    return document


def _genius_xml_kind(text: str) -> str:
    """``domain`` or ``profile`` by the root element GENIUS writes (``profile or domain`` if
    neither: any XML given as a scenario is most likely one of the two)."""
    head = re.sub(r"<\?.*?\?>|<!--.*?-->", "", text[:4096], flags=re.DOTALL).lstrip()
    if head.startswith("<negotiation_template"):
        return "domain"
    if head.startswith("<utility_space"):
        return "profile"
    return "profile or domain"


def _refuse_genius(name: str, file: Path, kind: str) -> None:
    """A GENIUS file given where a scenario file goes: say what it is and what to pass instead.

    GENIUS splits a negotiation into a domain file and one profile per party, so no
    single one of its files is a scenario; the folder that holds them all is.
    """
    folder = file.parent if str(file.parent) else Path(".")
    raise ScenarioError.single(
        name, "", f"is a {kind} file, not a scenario; pass the folder that holds the domain and "
                  f"its profiles instead ({display_name(folder)}), or write a scenario from it "
                  f"with `accord import genius {display_name(folder)} -o scenario.toml`")


def _format_of(file: Path, text: str) -> str:
    suffix = file.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix == ".toml":
        return "toml"
    return "json" if text.lstrip().startswith(("{", "[")) and not text.lstrip().startswith("[[") \
        and not re.match(r"\s*\[[A-Za-z_]", text) else "toml"


def _parse(text: str, format: str, name: str) -> Any:
    if format == "json":
        try:
            # Keys given twice and numbers too long to convert are reported by the validator.
            document = json.loads(text, object_pairs_hook=json_object, parse_int=json_int)
        except json.JSONDecodeError as error:
            raise ScenarioError.single(
                name, f"line {error.lineno}, column {error.colno}", f"invalid JSON: {error.msg}"
            ) from None
        except RecursionError:
            raise ScenarioError.single(name, "", "invalid JSON: nested too deeply") from None
        return document
    if format != "toml":
        raise ValueError(f"unknown format {format!r}; expected 'toml' or 'json'")
    if len(text) > _FAST_TOML_BYTES:
        fast = _fast_toml(text)
        if fast is not None:
            return fast
    try:
        return tomllib.loads(text)
    except ValueError as error:  # also TOMLDecodeError (a subclass)
        if not isinstance(error, tomllib.TOMLDecodeError):
            # Python refuses to convert a whole number of thousands of digits.
            match = re.search(r"[0-9_]{4000,}", text)
            line = f"line {text.count(chr(10), 0, match.start()) + 1}" if match else ""
            raise ScenarioError.single(name, line, "invalid TOML: a number with thousands of "
                                                   "digits; no value in a scenario needs more "
                                                   "than a few") from None
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f"line {match.group(1)}, column {match.group(2)}" if match else ""
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        if "end of document" in str(error):
            where = "end of file"
        _unterminated(text, name, message, int(match.group(1)) if match else None)
        return _raise_toml(name, where, message)
    except RecursionError:
        raise ScenarioError.single(name, "", "invalid TOML: nested too deeply") from None


#: tomllib's words for a string still open where its line (or the file) ends.
_OPEN_STRING = ("Illegal character '\\n'", "Found invalid character '\\n'", "Unterminated string",
                "Expected \"'\"")


def _unterminated(text: str, name: str, message: str, line: int | None) -> None:
    """Raise "unterminated string" naming the quote that opened it, when that is the mistake.

    tomllib reports where it noticed (the end of the line, or of the file); the
    reader needs the quote that was never closed.  Nothing is raised when no
    such quote is found (the caller then words tomllib's own message).
    """
    if not message.startswith(_OPEN_STRING):
        return
    if line is None:  # noticed at the end of the file: the last line with a quote left open
        rows = text.split("\n")
        first = max((i for i, row in enumerate(rows) if '"""' in row or "\'\'\'" in row),
                    default=-1) + 1
        line = next((i + 1 for i in range(len(rows) - 1, first - 1, -1)
                     if _open_quote(text, i + 1) is not None), None)
        if line is None:
            return
    column = _open_quote(text, line)
    if column is None:
        return
    raise ScenarioError.single(
        name, f"line {line}, column {column}",
        f"invalid TOML: unterminated string: the quote opened at line {line}, column {column} "
        "is not closed on that line (a string on one line ends with the quote it began with; "
        "use triple quotes for a string over several lines)")


def _open_quote(text: str, line: int) -> int | None:
    """The column (1-based) of the quote on ``line`` that no quote closes, or None.

    Walks the line as TOML reads it: ``#`` outside a string starts a comment, a
    basic string (``"``) has backslash escapes, a literal one (``'``) has none.
    A line inside a multi-line string is not told apart: the caller only asks
    about lines tomllib has already found a single-line string left open on.
    """
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    row = lines[line - 1]
    quote: str | None = None
    opened = 0
    index = 0
    while index < len(row):
        character = row[index]
        if quote is None:
            if character == "#":
                return None
            if character in "\"'":
                quote, opened = character, index
                if row.startswith(character * 3, index):  # a multi-line string opens here
                    return None
        elif character == "\\" and quote == '"':
            index += 1
        elif character == quote:
            quote = None
        index += 1
    return opened + 1 if quote is not None else None


def _fast_toml(text: str) -> Any:
    """The document as rtoml reads it, or None (not installed, or refused: tomllib then decides
    and words the error).  tests/io/test_scenario_file.py checks that both read every example and
    test file alike."""
    try:
        import rtoml
    except ImportError:  # pragma: no cover - rtoml is a dependency; a stripped install still works
        return None
    try:
        return rtoml.loads(text)
    except Exception:  # any refusal: tomllib gives the precise message
        return None


def _raise_toml(name: str, where: str, message: str) -> Any:
    hint = ""
    if "Cannot overwrite a value" in message or "Cannot declare" in message:
        hint = " (a key or table is defined twice)"
    if "Invalid value" in message or "Invalid statement" in message:
        hint = " (strings need quotes, e.g. role = \"principal\"; dates are written 2025-11-20)"
    raise ScenarioError.single(name, where, f"invalid TOML: {message[0].lower()}{message[1:]}{hint}")


# ---------------------------------------------------------------------------
# writing


def save(scenario: Scenario, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write ``scenario`` to ``path`` (TOML, or JSON for a ``.json`` name), atomically.

    Raises :class:`~accord.errors.OutputExists` (a :class:`FileExistsError`) when ``path``
    exists and ``overwrite`` is False, :class:`ScenarioError` when it cannot be written.
    """
    target = Path(path)
    text = dumps_json(scenario) if target.suffix.lower() == ".json" else dumps_toml(scenario)
    write_atomic(target, text, force=overwrite, what="the scenario file")
    return target


def write_text_atomic(target: Path, text: str, *, overwrite: bool = False) -> None:
    """Deprecated: :func:`accord.io.files.write_atomic` (``overwrite`` is ``force``)."""
    write_atomic(target, text, force=overwrite)


def _document(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a plain document, leaving out empty and default-valued optional keys."""
    document = scenario.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    # Estimates are labelled: always say whether a preference is an estimate, and its walk-away.
    for party_id, prefs in scenario.preferences.items():
        entry = document.setdefault("preferences", {}).setdefault(party_id, {})
        entry["estimate"] = prefs.estimate
        entry.setdefault("reservation", prefs.reservation)  # dumped already unless default
    for n, text in enumerate(scenario.texts):
        document["texts"][n]["status"] = text.status.value
    for n, party in enumerate(scenario.parties):
        if party.capability is not None:  # a capability is labelled too
            document["parties"][n]["capability"]["estimate"] = party.capability.estimate
    return document


def dumps_json(scenario: Scenario) -> str:
    """The scenario as JSON (dates as ISO strings)."""

    def default(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if hasattr(value, "value"):
            return value.value
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    return json.dumps(_document(scenario), indent=2, ensure_ascii=False, default=default) + "\n"


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the scenario file, for editors and validators."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "accord scenario"
    schema["description"] = (
        "A mediated multi-party negotiation over a single negotiating text "
        "(see docs/reference/scenario-format.md). TOML dates appear as ISO strings in JSON."
    )
    return schema


# -- TOML writer ---------------------------------------------------------------
# A small writer for this one layout: tomllib reads only, and the layout (options
# as inline tables, preferences and positions as sub-tables) is part of the format.

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")

# Arrays of tables in file order, and which of their keys are written as sub-tables.
_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sources", ()),
    ("parties", ()),
    ("issues", ()),
    ("settled", ()),
    ("texts", ("positions",)),
    ("statements", ()),
    ("meetings", ()),
)


def dumps_toml(scenario: Scenario) -> str:
    """The scenario as TOML in the documented layout."""
    document = _document(scenario)
    out: list[str] = []
    out.append("[scenario]")
    out.extend(_pairs(document["scenario"]))
    for key, sub_tables in _SECTIONS[:4]:
        _array_of_tables(out, key, document.get(key, []), sub_tables)
    for party_id, prefs in document.get("preferences", {}).items():
        head = f"preferences.{_key(party_id)}"
        out.extend(["", f"[{head}]"])
        scalars = {k: v for k, v in prefs.items() if k not in {"weights", "values"}}
        out.extend(_pairs(scalars))
        if "weights" in prefs:
            out.extend(["", f"[{head}.weights]"])
            out.extend(_pairs(prefs["weights"]))
        for issue_id, table in prefs.get("values", {}).items():
            out.extend(["", f"[{head}.values.{_key(issue_id)}]"])
            out.extend(_pairs(table))
    for key, sub_tables in _SECTIONS[4:]:
        _array_of_tables(out, key, document.get(key, []), sub_tables)
    return "\n".join(out) + "\n"


def _array_of_tables(out: list[str], key: str, entries: list[dict[str, Any]],
                     sub_tables: tuple[str, ...]) -> None:
    for entry in entries:
        out.extend(["", f"[[{key}]]"])
        out.extend(_pairs({k: v for k, v in entry.items() if k not in sub_tables}))
        for sub in sub_tables:
            if sub in entry:
                out.append(f"[{key}.{sub}]")
                out.extend(_pairs(entry[sub]))


def _pairs(table: Mapping[str, Any]) -> list[str]:
    lines = []
    for key, value in table.items():
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            items = ",\n".join(f"  {_value(v)}" for v in value)
            lines.append(f"{_key(key)} = [\n{items},\n]")
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    return lines


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes; TOML also forbids raw DEL.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }" \
            if value else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if hasattr(value, "value"):  # enums
        return _value(value.value)
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def dumps_toml_tables(key: str, entries: list[Any]) -> str:
    """``entries`` (model objects of one array, e.g. statements) as ``[[key]]`` tables in the
    layout :func:`dumps_toml` writes, for adding to an existing file without rewriting it."""
    out: list[str] = []
    documents = [e.model_dump(mode="python", exclude_none=True, exclude_defaults=True) for e in entries]
    sub_tables = dict(_SECTIONS).get(key, ())
    _array_of_tables(out, key, documents, sub_tables)
    return "\n".join(out).lstrip("\n") + "\n"
