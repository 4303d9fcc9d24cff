"""Write docs/reference/python-api.md from the docstrings of the names ``accord`` exports.

The page is generated so that it cannot drift from the code:
``tests/test_python_api_doc.py`` fails when the committed page differs from what
this script writes.  Run it after changing a public docstring or signature::

    PYTHONPATH=src python docs/gen_python_api.py          # rewrite the page
    PYTHONPATH=src python docs/gen_python_api.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "reference" / "python-api.md"

#: Sections of the page, by the module an export comes from (first match wins).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("accord.io", "Reading and writing files"),
    ("accord.model", "The model"),
    ("accord.space", "The compiled space"),
    ("accord.analysis", "Analysis"),
    ("accord.forecast", "Forecasts"),
    ("accord.report", "Reports"),
    ("accord.errors", "Errors"),
    ("accord.protocols", "Errors"),
)

INTRO = """\
# Reference: the Python API

*Generated from the docstrings by `docs/gen_python_api.py`; do not edit by hand
(`tests/test_python_api_doc.py` fails when this page and the code disagree).*

Everything below is importable from `accord` itself (`import accord;
accord.evaluate_texts(...)`), loaded on first use. Functions that take parties
or texts accept an id (`"ua"`, `"plan-28"`) or an index; a package is a mapping
`{issue: option}` of ids or indices (issues left out are open points, where the
function allows them) or an array of option indices (`UNRESOLVED`, -1, open),
and where a function takes "a text or a package" a text id or index will do
(`accord.amend(space, "revised")`). An id that names nothing raises
`UnknownIdError` with "did you mean". Arguments mostly come in one order: what
is analysed in (the space; the model from `build_model` for `deal_chances`,
`tornado`, `sobol_indices` and `robust_package`; the scenario for the functions
that read it), then what is analysed (a text or a package), then who (a party
or parties), then keyword-only options. Two functions differ:
`party_utilities(scenario, party_id, packages)` takes the party before the
packages, and `deal_chances(model, text_indices)` takes text *indices* in its
second place (ids go to `texts=`). The same option does not always have the
same default: `any_package` is off in `deal_chances` (as in `accord chance`)
and on in `tornado` and `sobol_indices` (as in `accord sensitivity` without
`--text`). Results hold indices,
which `space.party_ids`, `space.issue_ids` and `space.text_ids` name; their
`repr` is one line, and `accord.views` renders them for people.
For the HTTP service see [the HTTP API](api.md).
"""

_ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|exc|obj):`~?([^`]+)`")
_UNDERLINE = re.compile(r"^(\w[\w ]*)\n-{3,}$", re.MULTILINE)
_GOOGLE = re.compile(r"^(Args|Attributes|Returns|Raises|Examples|Parameters):$", re.MULTILINE)


def _short(name: str) -> str:
    """``~accord.space.Space`` (Sphinx) → ``Space``; ``accord.x.y`` stays whole."""
    return name.rsplit(".", 1)[-1] if name.startswith("~") else name


_LISTS = ("Parameters", "Args", "Attributes", "Returns", "Raises")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _lists(doc: str) -> str:
    """Parameter-style sections (``name`` then an indented description) as Markdown bullets."""
    out: list[str] = []
    section = False
    base = -1
    for line in doc.split("\n"):
        header = line.strip().strip("*")
        if line.startswith("**") and line.endswith("**"):
            section, base = header in _LISTS, -1
            out.append(line)
            continue
        if not section or line.strip().startswith(">>>"):
            section = section and not line.strip().startswith(">>>")
            out.append(line)
            continue
        if not line.strip():
            out.append(line)
            continue
        if base < 0:
            base = _indent(line)
        if _indent(line) < base:
            section = False
            out.append(line)
        elif _indent(line) == base:
            name, colon, rest = line.strip().partition(": ")
            if colon and base > 0:  # Google style: "name: description"
                out.append(f"- `{name}`: {rest}")
            else:
                out.append(f"- `{line.strip()}`")
        else:  # the description of the item above
            previous = out[-1] if out else ""
            joiner = " — " if re.fullmatch(r"- `[^`]*`", previous) else " "
            out[-1] = previous + joiner + line.strip()
    return "\n".join(out)


def _markdown(doc: str) -> str:
    """A numpydoc/Google docstring as Markdown: roles as code, headings bold, examples fenced."""
    doc = _ROLE.sub(lambda m: f"`{_short(m.group(1))}`", doc)
    doc = doc.replace("``", "`")
    doc = _UNDERLINE.sub(lambda m: f"**{m.group(1)}**", doc)
    doc = _GOOGLE.sub(lambda m: f"**{m.group(1)}**", doc)
    doc = _lists(doc)
    out: list[str] = []
    in_code = False
    for line in doc.split("\n"):
        stripped = line.strip()
        if stripped.startswith(">>>") and not in_code:
            out.append("```python")
            in_code = True
        elif in_code and not stripped:
            out.append("```")
            in_code = False
        out.append(stripped if in_code else line)
    if in_code:
        out.append("```")
    return "\n".join(out).strip()


def _signature(obj: Any, name: str) -> str:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return name
    return f"{name}{signature}"


def _members(cls: type) -> list[tuple[str, Any]]:
    """Public methods and properties the class itself defines (not pydantic's or dataclass's)."""
    found = []
    for key, value in vars(cls).items():
        if key.startswith("_"):
            continue
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if inspect.isfunction(value) or isinstance(value, property):
            found.append((key, value))
    return found


def _entry(name: str, obj: Any, module: str) -> str:
    lines = [f"### `{name}`", "", f"*from `{module}`*", ""]
    doc = inspect.getdoc(obj) if not isinstance(obj, (int, float, str)) else None
    if inspect.isclass(obj):
        kind = "exception" if issubclass(obj, BaseException) else "class"
        bases = ", ".join(b.__name__ for b in obj.__bases__ if b is not object)
        lines += ["```python", f"{kind} {name}" + (f"({bases})" if bases else ""), "```", ""]
        if doc and doc != inspect.getdoc(obj.__bases__[0]):
            lines += [_markdown(doc), ""]
        if dataclasses.is_dataclass(obj):
            fields = [f"`{f.name}: {f.type}`" for f in dataclasses.fields(obj)]
            lines += ["Fields: " + ", ".join(fields) + ".", ""]
        if not issubclass(obj, BaseException) and not hasattr(obj, "model_fields"):
            for key, member in _members(obj):
                target = member.fget if isinstance(member, property) else member
                label = key if isinstance(member, property) else _signature(target, key)
                lines += [f"- **`{label}`**" + (" (property)" if isinstance(member, property)
                                                else "")]
                member_doc = inspect.getdoc(target)
                if member_doc:
                    lines += ["", "  " + _markdown(member_doc).replace("\n", "\n  ").rstrip()
                              .replace("\n  \n", "\n\n"), ""]
            lines.append("")
    elif callable(obj):
        lines += ["```python", _signature(obj, name), "```", ""]
        if doc:
            lines += [_markdown(doc), ""]
    else:
        lines += ["```python", f"{name} = {obj!r}", "```", ""]
    return "\n".join(line.rstrip() for line in lines).rstrip() + "\n"


def render() -> str:
    """The page's text, from the exports of the installed ``accord``."""
    accord = importlib.import_module("accord")
    exports: dict[str, str | tuple[str, str]] = accord._EXPORTS
    grouped: dict[str, list[str]] = {title: [] for _, title in SECTIONS}
    for name in sorted(exports, key=str.lower):
        target = exports[name]
        module = target if isinstance(target, str) else target[0]
        title = next(t for prefix, t in SECTIONS if module.startswith(prefix))
        grouped[title].append(_entry(name, getattr(accord, name), module))
    parts = [INTRO]
    for title, entries in grouped.items():
        if entries:
            parts.append(f"## {title}\n")
            parts.extend(entries)
    return "\n".join(parts).rstrip() + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(f"{PAGE.relative_to(ROOT)} is out of date: run docs/gen_python_api.py",
                  file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
