"""Structured and byte-level mutations of the project's own inputs, for the fuzzer.

A *case* is a set of files (name -> bytes) for one *target* (a reader).  Seeds
are the project's examples and test data; every case starts from a seed and
applies one to three mutations chosen by a seeded :class:`random.Random`, so a
seed number reproduces the same sequence of cases.

Documents (TOML and JSON) are mutated as parsed trees — a key deleted, a value
swapped for another type, an extreme number, odd unicode, a duplicated entry,
deep nesting — and written back with small writers that can also write what
accord's own writer never would (duplicate JSON keys, integers with thousands
of digits, NaN).  XML, CSV and anything else is mutated as text (attribute
values, cells, lines) and as bytes (flips, truncation, NUL, UTF-16).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TESTS = ROOT / "tests"

# ---------------------------------------------------------------------------
# values that break things


class BigInt:
    """An integer written with ``digits`` digits (too long for ``str(int)`` in Python 3.11)."""

    def __init__(self, digits: int, sign: str = "") -> None:
        self.text = sign + "9" * digits

    def __repr__(self) -> str:
        return f"BigInt({len(self.text)} digits)"


class Nested:
    """``value`` wrapped ``depth`` times in arrays (or one-key tables), written without recursion."""

    def __init__(self, value: Any, depth: int, tables: bool) -> None:
        self.value, self.depth, self.tables = value, depth, tables


class DupKeys:
    """A JSON object written with a repeated key (``pairs`` in order)."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        self.pairs = pairs


EXTREME_NUMBERS: list[Any] = [
    0, -1, 1, 2, -0.0, 0.0, 1e308, -1e308, 1.7976931348623157e308, 5e-324, 1e-300,
    float("nan"), float("inf"), float("-inf"), 2**31, 2**63, -(2**63), 2**64 + 1, 10**30,
    BigInt(400), BigInt(5000), BigInt(5000, "-"), 0.1 + 0.2, 1.0000000000000002, 99, 101, 100.0,
]

ODD_STRINGS: list[str] = [
    "", " ", "\x00", "a\x00b", "\x1b[2J\x1b[H", "\x1b]0;owned\x07", "\x07\x08\x0b\x0c", "\r\n",
    "\u202eevil\u202c", "\u2066rtl\u2069", "\ud800", "\udfff", "x\ud83dy", "\ufeff", "\u200b",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467", "e\u0301\u0301\u0301\u0301", "\u0000\u0085\u2028",
    "[/oops]", "[bold red]x[/]", "[link=file:///etc/passwd]x[/link]", "<script>x</script>",
    "{{7*7}}", "%s%n", "../../../etc/passwd", "a" * 10_000, "line1\nline2", "\t",
    "Ω" * 300, "\x7f", "CON", "null", "true", "1e999", "NaN", "-0", "0x10", "1_000",
]

TOML_ONLY: list[Any] = [
    dt.date(2026, 3, 28), dt.datetime(2026, 3, 28, 12, 0), dt.time(12, 30),
    dt.datetime(2026, 3, 28, 12, 0, tzinfo=dt.UTC), dt.date(1, 1, 1), dt.date(9999, 12, 31),
]


def random_value(rng: random.Random, *, toml: bool, depth: int = 0) -> Any:
    """A value of a random type (for type swaps)."""
    kinds = ["int", "float", "str", "bool", "list", "dict", "extreme", "odd"]
    if toml:
        kinds.append("date")
    else:
        kinds.append("null")
    kind = rng.choice(kinds)
    if depth > 2 and kind in ("list", "dict"):
        kind = "str"
    if kind == "int":
        return rng.choice([0, 1, -1, 3, 1000, 2**40])
    if kind == "float":
        return rng.choice([0.5, -0.5, 1.5, 0.55, 1e-9])
    if kind == "str":
        return rng.choice(["0.55", "yes", "1", "x", "dana", "2025-11-20", "[1]", "true"])
    if kind == "bool":
        return rng.choice([True, False])
    if kind == "list":
        return [random_value(rng, toml=toml, depth=depth + 1) for _ in range(rng.randint(0, 3))]
    if kind == "dict":
        return {rng.choice(["a", "id", "x", "weights"]): random_value(rng, toml=toml, depth=depth + 1)
                for _ in range(rng.randint(0, 2))}
    if kind == "extreme":
        return rng.choice(EXTREME_NUMBERS)
    if kind == "date":
        return rng.choice(TOML_ONLY)
    if kind == "null":
        return None
    return rng.choice(ODD_STRINGS)


# ---------------------------------------------------------------------------
# writers that can write anything


def _json_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)  # lone surrogates become \udXXX escapes


def write_json(value: Any) -> str:
    """JSON text of ``value``, with NaN/Infinity, huge integers and duplicate keys allowed."""
    if isinstance(value, Nested):
        head, tail = ('{"a": ', "}") if value.tables else ("[", "]")
        return head * value.depth + write_json(value.value) + tail * value.depth
    if isinstance(value, DupKeys):
        return "{" + ", ".join(f"{_json_string(k)}: {write_json(v)}" for k, v in value.pairs) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_json_string(str(k))}: {write_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(write_json(v) for v in value) + "]"
    if isinstance(value, BigInt):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, dt.date | dt.time):
        return _json_string(value.isoformat())
    return _json_string(str(value))


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_key(key: str) -> str:
    return key if key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key) \
        else _toml_string(key)


def write_toml_value(value: Any) -> str:
    if isinstance(value, Nested):
        head, tail = ("{ a = ", " }") if value.tables else ("[", "]")
        return head * value.depth + write_toml_value(value.value) + tail * value.depth
    if isinstance(value, DupKeys):
        return "{ " + ", ".join(f"{_toml_key(k)} = {write_toml_value(v)}" for k, v in value.pairs) + " }"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(str(k))} = {write_toml_value(v)}"
                                for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(write_toml_value(v) for v in value) + "]"
    if isinstance(value, BigInt):
        return value.text
    if value is None:
        return '""'  # TOML has no null: the closest a user could write
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return _toml_string(str(value))


def write_toml(document: Any) -> str:
    """TOML text of a document: top-level keys with inline values (any shape survives)."""
    if not isinstance(document, dict | DupKeys):
        return f"value = {write_toml_value(document)}\n"
    pairs = document.pairs if isinstance(document, DupKeys) else list(document.items())
    return "".join(f"{_toml_key(str(k))} = {write_toml_value(v)}\n" for k, v in pairs)


# ---------------------------------------------------------------------------
# structured mutations of a parsed document


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out.extend(_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out.extend(_paths(child, (*prefix, index)))
    return out


def _get(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


def _set(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _get(document, path[:-1])[path[-1]] = value
    return document


def _renamed(key: str, rng: random.Random) -> str:
    if len(key) > 1 and rng.random() < 0.5:
        k = rng.randrange(len(key))
        return key[:k] + key[k + 1:]
    return key + rng.choice(["_", "s", "\u200b", " ", "X"])


def mutate_document(document: Any, rng: random.Random, *, toml: bool) -> tuple[Any, str]:
    """One structured mutation; returns the new document and what was done."""
    document = copy.deepcopy(document)
    paths = _paths(document)
    path = rng.choice(paths[1:] or paths)
    where = ".".join(str(p) for p in path) or "(root)"
    current = _get(document, path)
    op = rng.choice(["delete", "delete", "swap", "swap", "swap", "extreme", "extreme", "odd", "odd",
                     "duplicate", "duplicate", "nest", "grow", "rename", "steal", "inject"])
    parent = _get(document, path[:-1]) if path else None
    if op == "delete" and path:
        del parent[path[-1]]
    elif op == "swap":
        document = _set(document, path, random_value(rng, toml=toml))
    elif op == "extreme":
        document = _set(document, path, rng.choice(EXTREME_NUMBERS))
    elif op == "odd":
        document = _set(document, path, rng.choice(ODD_STRINGS))
    elif op == "inject" and isinstance(current, str):
        k = rng.randint(0, len(current))
        document = _set(document, path, current[:k] + rng.choice(ODD_STRINGS) + current[k:])
    elif op == "duplicate" and isinstance(parent, list):
        parent.insert(path[-1], copy.deepcopy(current))
    elif op == "duplicate" and isinstance(parent, dict):
        if toml or rng.random() < 0.5:
            parent[_renamed(str(path[-1]), rng)] = copy.deepcopy(current)
        else:
            # a JSON object with the same key twice (the later one wins in json.loads)
            pairs = [*list(parent.items()), (path[-1], random_value(rng, toml=False))]
            document = _set(document, path[:-1], DupKeys(pairs))
    elif op == "nest":
        depth = rng.choice([30, 120, 1_000, 5_000])
        document = _set(document, path, Nested(current, depth, rng.random() < 0.5))
    elif op == "grow" and isinstance(current, list) and current:
        count = rng.choice([50, 500, 3_000])
        grown = []
        for n in range(count):
            item = copy.deepcopy(rng.choice(current))
            if isinstance(item, dict) and isinstance(item.get("id"), str) and rng.random() < 0.7:
                item["id"] = f"{item['id']}-{n}"
            grown.append(item)
        document = _set(document, path, grown)
    elif op == "rename" and isinstance(parent, dict):
        value = parent.pop(path[-1])
        parent[_renamed(str(path[-1]), rng)] = value
    elif op == "steal":
        other = _get(document, rng.choice(paths))
        document = _set(document, path, copy.deepcopy(other))
    else:
        document = _set(document, path, random_value(rng, toml=toml))
        op = "swap"
    return document, f"{op} at {where}"


# ---------------------------------------------------------------------------
# text and byte mutations


def mutate_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    op = rng.choice(["flip", "flip", "truncate", "insert", "delete", "repeat", "utf16", "bom", "nul",
                     "high", "crlf"])
    if not data:
        return b"\xff\xfe", "replace empty with a BOM"
    k = rng.randrange(len(data))
    if op == "flip":
        for _ in range(rng.randint(1, 8)):
            j = rng.randrange(len(data))
            data = data[:j] + bytes([data[j] ^ (1 << rng.randrange(8))]) + data[j + 1:]
        return data, "flip bits"
    if op == "truncate":
        return data[:k], f"truncate at byte {k}"
    if op == "insert":
        junk = rng.choice([b"\x00", b"\x1b[2J", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"<", b"[",
                           b"{", b'"', b"\\", b"\r", b"=", b",", b"/>", b"<!", b"]]>", b"&#0;"])
        return data[:k] + junk + data[k:], f"insert {junk!r} at byte {k}"
    if op == "delete":
        j = min(len(data), k + rng.randint(1, 64))
        return data[:k] + data[j:], f"delete bytes {k}..{j}"
    if op == "repeat":
        j = min(len(data), k + rng.randint(1, 256))
        return data[:j] + data[k:j] * rng.choice([2, 50, 2_000]) + data[j:], f"repeat bytes {k}..{j}"
    if op == "utf16":
        return data.decode("utf-8", "replace").encode("utf-16"), "re-encode as UTF-16"
    if op == "bom":
        return b"\xef\xbb\xbf" + data, "prepend a UTF-8 BOM"
    if op == "nul":
        return data[:k] + b"\x00" * rng.choice([1, 9_000]) + data[k:], "insert NULs"
    if op == "high":
        return data[:k] + bytes(rng.randrange(128, 256) for _ in range(8)) + data[k:], "insert high bytes"
    return data.replace(b"\n", b"\r\n") if rng.random() < 0.5 else data.replace(b"\n", b"\r"), "line ends"


_ATTRIBUTE_VALUES = [
    "", "-1", "0", "-0", "-0.0", "1e308", "-1e308", "1e999", "nan", "NaN", "inf", "Infinity", "1e-320",
    "99999999999999999999", "2147483648", "9" * 5000, "0x10", "1,5", " 1 ", "abc", "/>", "<", "&",
    "\u202e", "\x1b[2J", "[/oops]", "a" * 20_000, "0.5.5", "+1", "1_0",
]


def mutate_markup(text: str, rng: random.Random) -> tuple[str, str]:
    """Mutate XML or CSV as text: values, attributes, lines, nesting."""
    import re

    op = rng.choice(["attr", "attr", "attr", "attr-drop", "line-drop", "line-dup", "line-swap", "nest",
                     "nest-slash", "bang", "cell", "cell", "text-node", "big-line"])
    lines = text.split("\n")
    if op in ("attr", "attr-drop"):
        matches = list(re.finditer(r'([\w:.-]+)="([^"]*)"', text))
        if matches:
            m = rng.choice(matches)
            if op == "attr-drop":
                return text[:m.start()] + text[m.end():], f"drop attribute {m.group(1)}"
            value = rng.choice(_ATTRIBUTE_VALUES)
            escaped = value.replace('"', "&quot;")
            return (text[:m.start(2)] + escaped + text[m.end(2):],
                    f"attribute {m.group(1)} = {value[:20]!r}")
        op = "cell"
    if op == "text-node":
        matches = list(re.finditer(r">([^<>\n]+)<", text))
        if matches:
            m = rng.choice(matches)
            value = rng.choice(_ATTRIBUTE_VALUES)
            return text[:m.start(1)] + value + text[m.end(1):], f"text node = {value[:20]!r}"
        op = "cell"
    if op == "cell":
        row = rng.randrange(len(lines))
        cells = lines[row].split(",")
        c = rng.randrange(len(cells))
        cells[c] = rng.choice([*_ATTRIBUTE_VALUES, "", '"', '"a,b"', "1e999999999", "1/0", "3/4"])
        lines[row] = ",".join(cells)
        return "\n".join(lines), f"cell {row + 1}:{c + 1}"
    k = rng.randrange(len(lines))
    if op == "line-drop":
        del lines[k]
        return "\n".join(lines), f"drop line {k + 1}"
    if op == "line-dup":
        lines.insert(k, lines[k])
        return "\n".join(lines), f"duplicate line {k + 1}"
    if op == "line-swap":
        j = rng.randrange(len(lines))
        lines[k], lines[j] = lines[j], lines[k]
        return "\n".join(lines), f"swap lines {k + 1} and {j + 1}"
    if op == "nest":
        depth = rng.choice([50, 101, 2_000, 50_000])
        lines.insert(k, "<a>" * depth + "</a>" * depth)
        return "\n".join(lines), f"nest {depth} deep at line {k + 1}"
    if op == "nest-slash":
        depth = rng.choice([150, 5_000])
        lines.insert(k, '<a x="/>">' * depth + "</a>" * depth)
        return "\n".join(lines), f"nest {depth} deep with '/>' in attributes"
    if op == "bang":
        junk = rng.choice(["<!", "<!--", "<!DOCTYPE x [", "<![CDATA[", "<?xml", "<!" + "-" * 5000])
        lines.insert(k, junk)
        return "\n".join(lines), f"insert {junk[:12]!r} at line {k + 1}"
    lines.insert(k, rng.choice(["x" * 200_000, "<a " + 'b="c" ' * 20_000 + "/>"]))
    return "\n".join(lines), "insert a very long line"


# ---------------------------------------------------------------------------
# targets: which reader, which seeds, how a case is built


@dataclass
class Case:
    """One fuzz input: ``files`` (name -> bytes); a folder target gets all of them, a file
    target the single one (``main`` names it)."""

    target: str
    main: str
    files: dict[str, bytes]
    steps: list[str] = field(default_factory=list)

    @property
    def is_folder(self) -> bool:
        return TARGETS[self.target].folder


@dataclass(frozen=True)
class Target:
    name: str
    folder: bool
    seeds: Callable[[], list[dict[str, bytes]]]
    kind: str  # toml, json, xml, csv, mixed: what the mutator treats the files as


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _scenario_toml_seeds() -> list[dict[str, bytes]]:
    return [{"scenario.toml": _read(EXAMPLES / "job-offer.toml")},
            {"scenario.toml": _read(EXAMPLES / "peace-plan-2025" / "scenario.toml")}]


def _scenario_json_seeds() -> list[dict[str, bytes]]:
    out = []
    for seed in _scenario_toml_seeds():
        document = tomllib.loads(seed["scenario.toml"].decode())
        out.append({"scenario.json": write_json(document).encode()})
    return out


def _genius_seeds() -> list[dict[str, bytes]]:
    hostile = TESTS / "io" / "hostile_xml"
    seeds = [{"domain.xml": _read(hostile / "domain.xml"), "profile1.xml": _read(hostile / "profile_ok.xml"),
              "profile2.xml": _read(hostile / "profile_ok.xml").replace(b'"0.6"', b'"0.3"')
              .replace(b'"0.4"', b'"0.7"')}]
    try:  # the project's own export of the tutorial example: a real multi-issue GENIUS folder
        from accord.io.genius import genius_documents
        from accord.io.scenario_file import load

        documents = genius_documents(load(EXAMPLES / "job-offer.toml"), drop_red_lines=True)
        seeds.append({name: text.encode() for name, text in documents.items()})
    except Exception:  # a broken exporter must not stop the reader's fuzzing
        pass
    return seeds


GENIUSWEB_DOMAIN = {"name": "trip", "issuesValues": {
    "place": {"values": ["Tokyo", "Osaka", "Nara"]},
    "days": {"range": {"low": 1, "high": 7, "step": 2}},
}}


def _geniusweb_profile(weights: tuple[float, float], rv_place: str) -> dict[str, Any]:
    return {"LinearAdditiveUtilitySpace": {
        "issueUtilities": {
            "place": {"discreteutils": {"valueUtilities": {"Tokyo": 1.0, "Osaka": 0.25, "Nara": 0.5}}},
            "days": {"numberutils": {"lowValue": 1, "lowUtility": 0.2, "highValue": 7, "highUtility": 0.9}},
        },
        "issueWeights": {"place": weights[0], "days": weights[1]},
        "domain": GENIUSWEB_DOMAIN, "name": "p",
        "reservationBid": {"issuevalues": {"place": rv_place, "days": 3}},
    }}


def _geniusweb_seeds() -> list[dict[str, bytes]]:
    return [{"trip.json": write_json(GENIUSWEB_DOMAIN).encode(),
             "trip1.json": write_json(_geniusweb_profile((0.6, 0.4), "Osaka")).encode(),
             "trip2.json": write_json(_geniusweb_profile((0.25, 0.75), "Nara")).encode()}]


def _divide_seeds() -> list[dict[str, bytes]]:
    toml_seed = _read(EXAMPLES / "divide-retirement.toml")
    document = tomllib.loads(toml_seed.decode())
    rows = ["item," + ",".join(document["parties"])]
    for item in document["items"]:
        rows.append(",".join([item["id"], *(str(item["points"][p]) for p in document["parties"])]))
    return [{"points.toml": toml_seed}, {"points.csv": ("\n".join(rows) + "\n").encode()}]


def _tournament_seeds() -> list[dict[str, bytes]]:
    out = []
    for name in ("job-offer.toml", "all-protocols.toml"):
        document = tomllib.loads((EXAMPLES / "tournament" / name).read_text())
        for entry in document.get("scenarios", []):
            entry["file"] = str((EXAMPLES / "tournament" / entry["file"]).resolve())
        out.append({"tournament.toml": write_toml(document).encode()})
    return out


KTAB_CSV = b"""Mini,A small scenario,3,2,
Actor,Description,Power,Pos,Sal,Tax,Sal,
A,a,10,10,40,80,20,
B,b,20,50,50,20,30,
C,c,30,90,50,55,45,
"""


def _ktab_seeds() -> list[dict[str, bytes]]:
    return [{"scenario.xml": _read(TESTS / "data" / "ktab" / "small.xml")}, {"scenario.csv": KTAB_CSV}]


TARGETS: dict[str, Target] = {
    "scenario-toml": Target("scenario-toml", False, _scenario_toml_seeds, "toml"),
    "scenario-json": Target("scenario-json", False, _scenario_json_seeds, "json"),
    "genius-xml": Target("genius-xml", True, _genius_seeds, "xml"),
    "geniusweb": Target("geniusweb", True, _geniusweb_seeds, "json"),
    "divide": Target("divide", False, _divide_seeds, "mixed"),
    "tournament": Target("tournament", False, _tournament_seeds, "toml"),
    "ktab": Target("ktab", False, _ktab_seeds, "mixed"),
}

_FOREIGN_XML = [
    b"<?xml version='1.0'?><Tournament>" + b"<run x='1'/>" * 12_000 + b"</Tournament>",
    b"<!" + b"x" * 200_000,
    b"<!--" + b"-" * 100_000,
    b"<log>" + b"<!" * 50_000 + b"</log>",
]


class Mutator:
    """Builds cases for one target from its seeds with a seeded generator."""

    def __init__(self, target: str, seed: int) -> None:
        self.target = TARGETS[target]
        self.rng = random.Random(f"{target}:{seed}")
        self.seeds = self.target.seeds()
        if not self.seeds:
            raise RuntimeError(f"no seeds for {target}")

    def case(self) -> Case:
        rng = self.rng
        files = dict(rng.choice(self.seeds))
        steps: list[str] = []
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
            name = rng.choice(sorted(files))
            if self.target.folder and rng.random() < 0.12:
                steps.append(self._folder_change(files, rng))
                continue
            files[name], step = self._mutate_file(name, files[name], rng)
            steps.append(f"{name}: {step}")
        main = sorted(files)[0] if files else "empty"
        return Case(self.target.name, main, files, steps)

    def _folder_change(self, files: dict[str, bytes], rng: random.Random) -> str:
        op = rng.choice(["foreign", "drop", "copy"])
        if op == "foreign":
            ext = ".json" if self.target.name == "geniusweb" else ".xml"
            data = rng.choice(_FOREIGN_XML) if ext == ".xml" else b'{"other": ' * 3 + b"1" + b"}" * 3
            files[f"zz-foreign{ext}"] = data
            return f"add foreign file zz-foreign{ext} ({len(data)} bytes)"
        name = rng.choice(sorted(files))
        if op == "drop" and len(files) > 1:
            del files[name]
            return f"drop {name}"
        files[f"copy-{name}"] = files[name]
        return f"copy {name}"

    def _mutate_file(self, name: str, data: bytes, rng: random.Random) -> tuple[bytes, str]:
        suffix = Path(name).suffix
        structured = suffix in (".toml", ".json") and rng.random() < 0.75
        if structured:
            try:
                text = data.decode("utf-8")
                document = tomllib.loads(text) if suffix == ".toml" else json.loads(text)
            except (UnicodeDecodeError, ValueError, RecursionError):
                structured = False
        if structured:
            document, step = mutate_document(document, rng, toml=suffix == ".toml")
            written = write_toml(document) if suffix == ".toml" else write_json(document)
            return written.encode("utf-8", "surrogatepass"), step
        # The markup mutations use regular expressions that are quadratic on long runs of word
        # characters: a case grown past 50 kB by an earlier step gets byte mutations instead.
        if suffix in (".xml", ".csv") and len(data) < 50_000 and rng.random() < 0.7:
            text, step = mutate_markup(data.decode("utf-8", "replace"), rng)
            return text.encode("utf-8", "surrogatepass"), step
        return mutate_bytes(data, rng)


def write_case(case: Case, directory: Path) -> Path:
    """Write ``case`` under ``directory``; the path to hand to the reader."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in case.files.items():
        (directory / name).write_bytes(data)
    return directory if case.is_folder else directory / case.main
