"""User text made safe to print: control codes, BiDi overrides and lone surrogates escaped.

A scenario's titles, labels and notes are the user's text and reach a terminal.
Printed raw, an escape sequence (ESC ``]0;…``, ESC ``[2J``) would retitle or
clear the terminal, a C1 code (U+009B is a one-byte CSI) does the same on some
terminals, a BiDi override (U+202E) reorders what follows it on the screen, and
a lone surrogate (possible in JSON text) cannot be encoded at all.  Every
output path runs user text through one function of this module:

* :func:`printable` for text shown to people (tables, messages): each such
  character becomes a visible escape such as ``\\x1b`` or ``\\u202e``;
* :func:`json_safe` for JSON documents: the same characters become JSON
  ``\\uXXXX`` escapes, so the document keeps its exact values and stays valid.

Newlines and tabs are kept by :func:`printable` unless ``one_line`` is set (an
error message is one line per problem).
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE", "json_safe", "printable"]

#: The characters that never reach a terminal raw: C0 controls but tab and newline, DEL,
#: C1 controls, lone surrogates, the BiDi embeddings, overrides and isolates, and the
#: Unicode line and paragraph separators.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069"
                    "\u2028\u2029]")
_UNSAFE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069"
                              "\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0A:
        return "\\n"
    if code == 0x09:
        return "\\t"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control code, BiDi override and lone surrogate shown as an escape.

    >>> printable("Title\\x1b]0;pwned\\x07 \\u202eabc")
    'Title\\\\x1b]0;pwned\\\\x07 \\\\u202eabc'
    >>> printable("two\\nlines", one_line=True)
    'two\\\\nlines'
    >>> printable("[bold]plain[/bold] — é ✓")
    '[bold]plain[/bold] — é ✓'
    """
    pattern = _UNSAFE_ONE_LINE if one_line else UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(document: str) -> str:
    """A JSON document with the unsafe characters of its strings written as ``\\uXXXX`` escapes.

    Outside strings a JSON document is ASCII, so every match is inside a string
    and the escaped document denotes exactly the same values.

    >>> import json
    >>> doc = json.dumps({"t": "a\\u202eb\\x9b"}, ensure_ascii=False)
    >>> json_safe(doc)
    '{"t": "a\\\\u202eb\\\\u009b"}'
    >>> json.loads(json_safe(doc)) == json.loads(doc)
    True
    """
    return UNSAFE.sub(_json_escape, document) if UNSAFE.search(document) else document
