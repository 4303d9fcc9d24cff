"""User text is printed as text: markup, escape sequences, BiDi overrides and lone surrogates.

tests/data/malformed/cli/cli-7-hostile-text.toml is the job-offer example with every
title, name, label, description, summary and basis starting with Rich markup
(``[/oops]`` crashed ``check`` and ``show``), an emoji code, terminal escape sequences
(retitle, clear screen), a C1 CSI and BiDi controls; cli-7-lone-surrogate.json adds a
lone surrogate (``UnicodeEncodeError`` on output).  Every command runs on both: no
crash, no raw control character on stdout or stderr, ``--json`` valid and exact.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from accord.views.safe import json_safe, printable
from tests.cli.helpers import run_cli

CORPUS = Path(__file__).resolve().parents[1] / "data" / "malformed" / "cli"
HOSTILE = CORPUS / "cli-7-hostile-text.toml"
SURROGATE = CORPUS / "cli-7-lone-surrogate.json"

#: What must never reach a terminal raw (tab and newline are fine).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")

COMMANDS: list[tuple[str, ...]] = [
    ("check",), ("show",), ("evaluate",), ("diff", "offer", "counter"), ("frontier",),
    ("solve", "--text", "offer"), ("amend", "--text", "offer"), ("improve", "--text", "offer"),
    ("chance", "-n", "200"), ("robust", "-n", "64"), ("simulate",),
    ("simulate", "--protocol", "mediate", "--proposals", "30"),
    ("simulate", "--protocol", "alternate", "--rounds", "20"), ("evidence",), ("forecast", "-n", "0", "-m", "compromise", "-m", "median"),
]


def _assert_clean(result: object, *, json_out: bool) -> None:
    code, stdout, stderr, exception = (getattr(result, k) for k in ("code", "stdout", "stderr",
                                                                    "exception"))
    assert exception is None, exception
    assert code in (0, 1), (code, stderr[-500:])
    assert "Traceback" not in stderr
    for stream in (stdout, stderr):
        found = RAW.search(stream)
        assert found is None, (hex(ord(found.group())), stream[max(0, found.start() - 60):found.end()])
    if json_out:
        json.loads(stdout)


@pytest.mark.parametrize("json_out", [False, True], ids=["table", "json"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_prints_hostile_text_as_text(command: tuple[str, ...], json_out: bool) -> None:
    name, *rest = command
    result = run_cli(name, HOSTILE, *rest, *(["--json"] if json_out else []))
    _assert_clean(result, json_out=json_out)
    if not json_out and name in ("check", "show"):
        # Markup is shown as written, and an escape sequence as its escape.
        assert "[/oops][bold]:smile:" in result.stdout
        assert "\\x1b]0;pwned" in result.stdout and "\\u202e" in result.stdout


@pytest.mark.parametrize("command", [("check",), ("show",), ("evaluate",), ("frontier",),
                                     ("amend", "--text", "offer")], ids=" ".join)
def test_a_lone_surrogate_never_crashes_the_output(command: tuple[str, ...]) -> None:
    name, *rest = command
    for extra in ([], ["--json"]):
        result = run_cli(name, SURROGATE, *rest, *extra)
        if result.code == 2:  # refused on input, with a message: also fine
            assert result.exception is None
            assert "error:" in result.stderr or json.loads(result.stdout)["valid"] is False
            assert RAW.search(result.stdout + result.stderr) is None
            continue
        _assert_clean(result, json_out=bool(extra))


def test_json_keeps_the_exact_text(tmp_path: Path) -> None:
    result = run_cli("show", HOSTILE, "--json")
    assert result.code == 0
    title = json.loads(result.stdout)["scenario"]["title"]
    assert title.startswith("[/oops][bold]:smile:\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e\u2066")


def test_report_chart_demo_and_export(tmp_path: Path) -> None:
    for source in (HOSTILE, SURROGATE):
        report = run_cli("report", source, "-o", tmp_path / f"{source.stem}.html")
        if report.code != 2:
            assert report.code == 0 and report.exception is None, report.stderr
            page = (tmp_path / f"{source.stem}.html").read_text(encoding="utf-8")
            assert "\x1b" not in page and "[/oops]" in page
        # vl-convert aborted the whole process (a Rust panic) on ESC in an SVG text.
        chart = run_cli("chart", source, "frontier", "-o", tmp_path / f"{source.stem}.svg")
        assert chart.code in (0, 2) and chart.exception is None, chart.stderr
        if chart.code == 0:
            assert "\x1b" not in (tmp_path / f"{source.stem}.svg").read_text(encoding="utf-8")
    _assert_clean(run_cli("demo", HOSTILE), json_out=False)


def test_printable_escapes_only_what_is_unsafe() -> None:
    assert printable("a\x1b[2Jb\x9b\u202ec\ud800") == "a\\x1b[2Jb\\x9b\\u202ec\\ud800"
    assert printable("Café — ✓ 日本 \U0001F600\tx\ny") == "Café — ✓ 日本 \U0001F600\tx\ny"
    assert printable("x\ny", one_line=True) == "x\\ny"
    document = json.dumps({"t": "\u202e\x9b\ud800"}, ensure_ascii=False)
    assert RAW.search(json_safe(document)) is None
    assert json.loads(json_safe(document)) == {"t": "\u202e\x9b\ud800"}


def test_styles_survive_escaping() -> None:
    from rich.text import Text

    from accord.cli.common import _escape_texts

    text = Text.assemble(("ok", "green"), ": \x1btitle", ("bold", "bold"))
    _escape_texts(text)
    assert text.plain == "ok: \\x1btitle" + "bold"
    styled = {text.plain[span.start:span.end]: str(span.style) for span in text.spans}
    assert styled == {"ok": "green", "bold": "bold"}
