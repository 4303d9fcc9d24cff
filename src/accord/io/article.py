"""News articles as text: plain-text and HTML reports, read safely for `accord ingest`.

An article is read through the one guarded reader (:func:`accord.io.files.read_bytes`),
so a directory, a missing file or one over :data:`MAX_ARTICLE_BYTES` is refused
before anything is parsed.  HTML is reduced to its paragraphs with the standard
library's event parser (:class:`html.parser.HTMLParser`): nothing is executed or
fetched, scripts, styles, navigation, headers, footers and asides are dropped,
entities are decoded, the ``<title>`` is read as text the way browsers read it
(markup inside it is kept as written, never interpreted), and nesting deeper
than :data:`MAX_NESTING` is refused
(the parser builds no tree, so depth costs nothing, but a file like that is not
an article).  No network access, ever: links are text, not requests.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from accord.errors import ScenarioError
from accord.io.files import decode_text, display_name, read_bytes

__all__ = ["MAX_ARTICLE_BYTES", "MAX_NESTING", "Article", "parse_article", "read_article"]

#: Articles larger than this are refused before parsing (a long report is ~100 KB of HTML).
MAX_ARTICLE_BYTES = 4 * 1024 * 1024
#: Open elements deeper than this are refused as "not an article".
MAX_NESTING = 256
#: Paragraphs kept at most (a report has dozens); the rest are refused, not silently dropped.
MAX_PARAGRAPHS = 5000

_KIND = "an article (plain text or HTML)"


@dataclass(frozen=True)
class Article:
    """The readable text of one report.

    Attributes:
        name: the file name as the user gave it (for messages).
        paragraphs: the paragraphs in reading order, whitespace collapsed.
        title: the HTML ``<title>`` (or ``og:title``), if any.
        date: the publication date the file itself gives (HTML metadata), if any.
        url: the canonical address the file gives, if any (never fetched).
        html: whether the file was HTML.
    """

    name: str
    paragraphs: tuple[str, ...]
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    html: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def read_article(path: str | os.PathLike[str]) -> Article:
    """Read a plain-text or HTML article; any problem is a :class:`ScenarioError` naming the file."""
    name = display_name(path)
    data = read_bytes(path, what=_KIND, limit=MAX_ARTICLE_BYTES, name=name)
    return parse_article(data, name=name, html=_looks_like_html(Path(path), data))


def parse_article(data: bytes | str, *, name: str = "<article>", html: bool | None = None) -> Article:
    """The :class:`Article` in ``data`` (bytes as read from a file, or text)."""
    if isinstance(data, bytes):
        if len(data) > MAX_ARTICLE_BYTES:
            raise ScenarioError.single(name, "", f"is over {MAX_ARTICLE_BYTES // 2**20} MiB; "
                                                 f"expected {_KIND}")
        if b"\x00" not in data[:8192] and _is_binary(data):  # NUL bytes: UTF-16 or binary, below
            raise ScenarioError.single(name, "", f"is a binary file, expected {_KIND}")
        text = decode_text(data, name=name, what=_KIND)
    else:
        text = data
    if html is None:
        html = _looks_like_html(Path(name), text.encode("utf-8", "replace")[:4096])
    article = _parse_html(text, name) if html else _parse_text(text, name)
    if not article.paragraphs:
        raise ScenarioError.single(name, "", f"has no text; expected {_KIND}")
    if len(article.paragraphs) > MAX_PARAGRAPHS:
        raise ScenarioError.single(name, "", f"has {len(article.paragraphs):,} paragraphs; an article "
                                             f"has at most {MAX_PARAGRAPHS:,} here")
    return article


def _is_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    # Control characters other than tab, newline, form feed and carriage return are not text.
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > max(8, len(head) // 100)


def _looks_like_html(file: Path, head: bytes) -> bool:
    if file.suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    if file.suffix.lower() in (".txt", ".text", ".md"):
        return False
    start = head[:1024].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<p>" in head.lower()


def _parse_text(text: str, name: str) -> Article:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Paragraphs are separated by blank lines; a file with none has one paragraph a line.
    separator = r"\n\s*\n" if re.search(r"\n\s*\n", text.strip()) else r"\n"
    paragraphs = tuple(p for p in (_collapse(block) for block in re.split(separator, text)) if p)
    return Article(name=name, paragraphs=paragraphs)


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# -- HTML ----------------------------------------------------------------------------------

# Elements whose content is never article text.
_SKIP = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer", "aside",
                   "form", "svg", "iframe", "object", "select", "button", "figure", "menu"})
# Elements that end a paragraph.
_BLOCK = frozenset({"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
                    "li", "ul", "ol", "blockquote", "pre", "table", "tr", "td", "th", "dd", "dt",
                    "body", "hr"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
# Elements that an opening of the same kind closes implicitly (<p>one<p>two).
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "td", "th", "tr", "dt", "dd", "option"})
# Elements hidden from a reader, or page furniture that names itself so (cookie and consent
# banners, dialogs, screen-reader-only copies): their words are not the article's.
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HIDDEN_NAMES = ("cookie", "consent", "gdpr", "sr-only", "visually-hidden")
_DATE_META = ("article:published_time", "og:published_time", "date", "pubdate", "publishdate",
              "dc.date", "dcterms.date", "datepublished")


def _hidden(values: dict[str, str]) -> bool:
    if "hidden" in values or values.get("aria-hidden", "").lower() == "true":
        return True
    if _HIDDEN_STYLE.search(values.get("style", "")):
        return True
    if values.get("role", "").lower() in {"dialog", "alertdialog"}:
        return True
    names = f"{values.get('id', '')} {values.get('class', '')}".lower()
    return any(word in names for word in _HIDDEN_NAMES)


class _Extractor(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.stack: list[str] = []
        self.skips: list[bool] = []  # per open element: does it hide its content?
        self.skipping = 0
        self.in_title = False
        self.title_parts: list[str] = []
        self.current: list[str] = []
        self.paragraphs: list[str] = []
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.time_datetime: str | None = None

    # -- structure --
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if self.in_title and tag != "title":
            # A title is plain text (RCDATA, as browsers read it): "Talks <b>bold</b>" stays so.
            self.title_parts.append(self.get_starttag_text() or f"<{tag}>")
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and "content" in values:
                self.meta.setdefault(key, values["content"])
            return
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href")
            return
        if tag == "time" and self.time_datetime is None and values.get("datetime"):
            self.time_datetime = values["datetime"]
        if tag in _VOID:
            if tag == "hr":
                self._break()
            elif tag == "br" and not self.skipping:
                self.current.append(" ")  # a line break inside a paragraph is a space
            return
        if tag in _SELF_CLOSING_SIBLINGS and self.stack and self.stack[-1] == tag:
            self.handle_endtag(tag)
        self.stack.append(tag)
        if len(self.stack) > MAX_NESTING:
            raise ScenarioError.single(self.name, f"line {self.getpos()[0]}",
                                       f"elements are nested more than {MAX_NESTING} deep; "
                                       f"expected {_KIND}")
        skip = tag in _SKIP or _hidden(values)
        self.skips.append(skip)
        if skip:
            self.skipping += 1
        elif tag == "title":
            self.in_title = True
        if tag in _BLOCK:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_title:
            self.title_parts.append(self.get_starttag_text() or f"<{tag}/>")
            return
        self.handle_starttag(tag, attrs)
        if tag.lower() not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if self.in_title and tag != "title":
            self.title_parts.append(f"</{tag}>")
            return
        if tag not in self.stack:
            return  # a stray end tag: ignored, as browsers do
        while self.stack:
            top = self.stack.pop()
            if self.skips.pop():
                self.skipping -= 1
            elif top == "title":
                self.in_title = False
            if top in _BLOCK:
                self._break()
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif not self.skipping and "head" not in self.stack:
            self.current.append(data)

    def _break(self) -> None:
        text = _collapse("".join(self.current))
        if text:
            self.paragraphs.append(text)
        self.current = []

    def close(self) -> None:
        super().close()
        self._break()


def _parse_html(text: str, name: str) -> Article:
    parser = _Extractor(name)
    try:
        parser.feed(text)
        parser.close()
    except ScenarioError:
        raise
    except (ValueError, AssertionError) as error:  # html.parser's own complaints
        raise ScenarioError.single(name, f"line {parser.getpos()[0]}",
                                   f"cannot read as HTML: {error}") from None
    title = _collapse(parser.meta.get("og:title") or "".join(parser.title_parts)) or None
    # The page title usually repeats as the first heading: not a paragraph of the report.
    paragraphs = [p for n, p in enumerate(parser.paragraphs) if not (n == 0 and title and p == title)]
    date = None
    for key in _DATE_META:
        if key in parser.meta:
            date = _iso_date(parser.meta[key])
            if date:
                break
    if date is None and parser.time_datetime:
        date = _iso_date(parser.time_datetime)
    url = parser.canonical or parser.meta.get("og:url") or None
    return Article(name=name, paragraphs=tuple(paragraphs), title=title, date=date, url=url, html=True)


def _iso_date(value: str) -> dt.date | None:
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
