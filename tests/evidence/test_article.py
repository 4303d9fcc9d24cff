"""Reading articles: plain text and HTML through the guarded reader, and hostile files refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accord.errors import ScenarioError
from accord.io.article import MAX_ARTICLE_BYTES, MAX_NESTING, parse_article, read_article


def test_plain_text_paragraphs_are_blank_line_separated(tmp_path: Path) -> None:
    file = tmp_path / "a.txt"
    file.write_text("GENEVA - One\nline wrapped.\n\n  Two.  \n\n\nThree.", encoding="utf-8")
    assert read_article(file).paragraphs == ("GENEVA - One line wrapped.", "Two.", "Three.")


def test_a_file_without_blank_lines_has_one_paragraph_a_line(tmp_path: Path) -> None:
    file = tmp_path / "a.txt"
    file.write_text("First paragraph.\nSecond paragraph.\n", encoding="utf-8")
    assert read_article(file).paragraphs == ("First paragraph.", "Second paragraph.")


def test_html_keeps_the_story_and_drops_scripts_navigation_and_footers() -> None:
    page = b"""<!doctype html><html><head><title>T</title>
    <meta property="article:published_time" content="2025-11-30T10:00:00Z">
    <link rel="canonical" href="https://example.org/x"><script>var q = "<p>\\"no\\"</p>";</script>
    <style>p:before { content: "no" }</style></head><body><nav>"menu"</nav><header>"top"</header>
    <article><h1>T</h1><p>First &ldquo;quoted&rdquo; &amp; <b>bold</b>
    text,<br>still the first.</p><p>Second &#8220;one&#8221;<p>Third, unclosed</article>
    <aside>"related"</aside><footer>&copy; "Wire"</footer></body></html>"""
    article = parse_article(page, name="x.html")
    assert article.paragraphs == ("First “quoted” & bold text, still the first.", "Second “one”",
                                  "Third, unclosed")
    assert article.title == "T"
    assert article.date == dt.date(2025, 11, 30)
    assert article.url == "https://example.org/x"


def test_html_date_from_a_time_element_when_no_metadata() -> None:
    article = parse_article(b'<p>Text <time datetime="2024-02-29">then</time>.</p>', name="x.html")
    assert article.date == dt.date(2024, 2, 29)


def test_deep_nesting_is_refused_with_the_line() -> None:
    page = ("<div>\n" * (MAX_NESTING + 1)).encode()
    with pytest.raises(ScenarioError, match=f"nested more than {MAX_NESTING} deep") as caught:
        parse_article(page, name="deep.html", html=True)
    assert caught.value.problems[0].path.startswith("line ")


def test_binary_files_are_refused(tmp_path: Path) -> None:
    file = tmp_path / "photo.txt"
    file.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ScenarioError, match="is a binary file, expected an article"):
        read_article(file)


def test_a_file_over_the_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    file = tmp_path / "huge.html"
    file.write_bytes(b"<p>" + b"x" * MAX_ARTICLE_BYTES + b"</p>")
    with pytest.raises(ScenarioError, match=r"MiB; an article .* is at most 4 MiB"):
        read_article(file)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    file = tmp_path / "latin1.txt"
    file.write_bytes("first line\n\n\"Café,\" she said".encode("latin-1"))
    with pytest.raises(ScenarioError, match="not valid UTF-8") as caught:
        read_article(file)
    assert caught.value.problems[0].path == "line 3"


@pytest.mark.parametrize("content", [b"", b"   \n\n ", b"<html><script>x</script></html>"])
def test_an_article_without_text_is_refused(tmp_path: Path, content: bytes) -> None:
    file = tmp_path / "empty.html"
    file.write_bytes(content)
    with pytest.raises(ScenarioError, match="has no text"):
        read_article(file)


def test_a_directory_or_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="is a directory"):
        read_article(tmp_path)
    with pytest.raises(ScenarioError, match="no such file"):
        read_article(tmp_path / "nope.txt")


def test_an_html_title_is_text_as_browsers_read_it() -> None:
    page = b"<html><head><title>Talks <b>bold</b> &amp; more</title></head><body><p>Body.</p></body></html>"
    article = parse_article(page, name="x.html")
    assert article.title == "Talks <b>bold</b> & more" and article.paragraphs == ("Body.",)


@pytest.mark.parametrize("opening", [
    '<div hidden>', '<div aria-hidden="true">', '<div style="color:red; display: none">',
    '<div style="visibility:hidden">', '<div role="dialog">', '<div id="cookie-banner">',
    '<section class="consent-modal wide">', '<span class="sr-only">',
])
def test_hidden_elements_and_consent_banners_are_not_article_text(opening: str) -> None:
    tag = opening[1:].split()[0].rstrip(">")
    page = (f'<article><p>Kept, "said" here.</p>{opening}<p>"OK"</p> "Accept all"</{tag}>'
            f'<p>After.</p></article>').encode()
    assert parse_article(page, name="x.html").paragraphs == ('Kept, "said" here.', "After.")


def test_a_paragraph_about_cookies_with_no_marker_is_kept() -> None:
    page = b'<article><p>The "cookie law" vote was close.</p><div class="story">Body.</div></article>'
    assert parse_article(page, name="x.html").paragraphs == ('The "cookie law" vote was close.',
                                                             "Body.")
