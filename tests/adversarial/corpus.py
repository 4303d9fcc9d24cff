"""Build the adversarial corpus: bad or extreme inputs for every reader, and command-line misuse.

``python -m tests.adversarial.corpus OUT`` writes the inputs under ``OUT/inputs/``
and ``OUT/manifest.json``: one entry per input (or per misuse case) saying which
of the issue's ten classes it belongs to, what kind of input it is (which
commands read it), and what is expected:

* ``refuse`` — every command must exit 2 with one message naming the file;
* ``accept`` — a valid input: every command answers (exit 0, or 1 for a "no");
* ``either`` — a valid but large input: each command answers, or refuses up front
  (exit 2) naming the limit; ``check`` must still answer within its bound.

Special files (FIFO, symlinks to ``/dev/zero``, a sparse 2 GiB file, a directory,
an unreadable file) cannot live in git, so they are made here.  Entries may
carry ``answers``: extra runs whose output is compared with a known answer.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from tests.adversarial.mutators import (
    EXAMPLES,
    GENIUSWEB_DOMAIN,
    KTAB_CSV,
    TESTS,
    BigInt,
    DupKeys,
    Nested,
    _geniusweb_profile,
    write_json,
    write_toml,
)

Doc = dict[str, Any]
#: The commands a scenario that the reader should refuse goes through: the reader is shared, so
#: these four (reading, showing, an analysis, a writer) stand for all.
READER = ["check", "show", "frontier", "report"]
#: ... and what passes the reader reaches the analyses: class 4 goes through these.
PASSED_READER = ["check", "show", "evaluate", "frontier", "solve", "chance", "robust", "simulate", "evidence",
                 "report", "export"]


def job() -> Doc:
    return tomllib.loads((EXAMPLES / "job-offer.toml").read_text(encoding="utf-8"))


def _issue(document: Doc, issue_id: str) -> Doc:
    return next(i for i in document["issues"] if i["id"] == issue_id)


def _text(document: Doc, text_id: str) -> Doc:
    return next(t for t in document["texts"] if t["id"] == text_id)


class Builder:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.inputs = out / "inputs"
        self.inputs.mkdir(parents=True, exist_ok=True)
        self.entries: list[dict[str, Any]] = []

    def add(self, entry_id: str, cls: int, kind: str, path: Path | str, expect: str, *,
            commands: str | list[str] = "full", why: str, **extra: Any) -> None:
        relative = os.path.relpath(path, self.out) if isinstance(path, Path) else path
        self.entries.append({"id": entry_id, "class": cls, "kind": kind, "path": relative,
                             "expect": expect, "commands": commands, "why": why, **extra})

    def file(self, name: str, data: bytes | str) -> Path:
        path = self.inputs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
        return path

    def scenario(self, entry_id: str, cls: int, document: Any, expect: str, why: str, *,
                 fmt: str = "toml", **extra: Any) -> None:
        text = write_toml(document) if fmt == "toml" else write_json(document)
        extra.setdefault("commands", READER)
        self.add(entry_id, cls, "scenario", self.file(f"{entry_id}.{fmt}", text), expect, why=why, **extra)

    def folder(self, entry_id: str, cls: int, kind: str, files: dict[str, bytes | str], expect: str,
               why: str, **extra: Any) -> Path:
        folder = self.inputs / entry_id
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str)
                                        else data)
        self.add(entry_id, cls, kind, folder, expect, why=why, **extra)
        return folder


# ---------------------------------------------------------------------------


def _special(b: Builder, name: str, what: str) -> Path:
    """Make a special file ``name`` under inputs/ (fifo, zero, urandom, null, sparse, dir,
    unreadable, loop, dangling)."""
    path = b.inputs / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        if path.is_dir() and not path.is_symlink():
            os.rmdir(path)
        else:
            path.unlink()
    if what == "fifo":
        os.mkfifo(path)
    elif what in ("zero", "urandom", "null"):
        os.symlink(f"/dev/{what}", path)
    elif what == "sparse":
        with open(path, "wb") as handle:
            handle.truncate(2 * 1024**3)
    elif what == "dir":
        path.mkdir()
    elif what == "unreadable":
        path.write_text("[scenario]\ntitle = 'x'\n")
        path.chmod(0)
    elif what == "loop":
        os.symlink(path.name, path)
    elif what == "dangling":
        os.symlink("no-such-target", path)
    return path


SPECIALS = ["fifo", "zero", "urandom", "sparse", "dir", "unreadable", "loop", "dangling", "null"]


def class1(b: Builder) -> None:
    read = ["check", "show", "report"]
    for what in SPECIALS:
        b.add(f"c1-scenario-{what}", 1, "scenario", _special(b, f"c1-scenario-{what}.toml", what),
              "refuse", commands=read, why=f"a {what} given as a scenario file",
              needs_non_root=what == "unreadable")
        b.add(f"c1-divide-{what}", 1, "divide", _special(b, f"c1-divide-{what}.toml", what), "refuse",
              commands=["divide"], why=f"a {what} given as a divide table", needs_non_root=what == "unreadable")
        b.add(f"c1-tournament-{what}", 1, "tournament", _special(b, f"c1-tournament-{what}.toml", what),
              "refuse", commands=["tournament"], why=f"a {what} given as a tournament config",
              needs_non_root=what == "unreadable")
    for what in ["fifo", "zero", "sparse", "unreadable", "dir"]:
        root = what == "unreadable"
        b.add(f"c1-ktab-{what}", 1, "ktab", _special(b, f"c1-ktab-{what}.csv", what), "refuse",
              commands=["forecast"], why=f"a {what} given as a KTAB scenario", needs_non_root=root)
        b.add(f"c1-article-{what}", 1, "article", _special(b, f"c1-article-{what}.txt", what), "refuse",
              commands=["ingest"], why=f"a {what} given as an article", needs_non_root=root)
        b.add(f"c1-json-{what}", 1, "scenario", _special(b, f"c1-json-{what}.json", what), "refuse",
              commands=["check"], why=f"a {what} given as a JSON scenario", needs_non_root=root)
    hostile = TESTS / "io" / "hostile_xml"
    for what in ["fifo", "zero", "urandom", "sparse", "unreadable", "dir"]:
        # In a folder, a special file may be skipped (never opened) or refused: either keeps the
        # promise; reading it (a hang, or memory) does not.  A sparse regular file must be refused.
        folder = b.folder(f"c1-genius-profile-{what}", 1, "genius",
                          {"domain.xml": (hostile / "domain.xml").read_bytes(),
                           "profile1.xml": (hostile / "profile_ok.xml").read_bytes()},
                          "refuse" if what in ("sparse", "unreadable") else "either",
                          f"a GENIUS domain folder whose second profile is a {what}",
                          commands=["check", "show", "import"], needs_non_root=what == "unreadable")
        _special(b, f"c1-genius-profile-{what}/profile2.xml", what)
        _ = folder
    for what in ["fifo", "zero"]:
        folder = b.folder(f"c1-geniusweb-{what}", 1, "geniusweb",
                          {"trip.json": write_json(GENIUSWEB_DOMAIN),
                           "trip1.json": write_json(_geniusweb_profile((0.6, 0.4), "Osaka"))},
                          "either", f"a GeniusWeb folder whose second profile is a {what} (skipped "
                                    "or refused, never read)")
        _special(b, f"c1-geniusweb-{what}/trip2.json", what)
    # a tournament that names a FIFO scenario
    fifo = _special(b, "c1-referenced-fifo.toml", "fifo")
    b.add("c1-tournament-names-fifo", 1, "tournament",
          b.file("c1-tournament-names-fifo.toml", f'seeds = 1\nstrategies = ["boulware"]\n'
                 f'[[scenarios]]\nfile = "{fifo.name}"\n'), "refuse",
          why="a tournament whose scenario file is a FIFO")


def class2(b: Builder) -> None:
    hostile = TESTS / "io" / "hostile_xml"
    domain = (hostile / "domain.xml").read_bytes()
    profile = (hostile / "profile_ok.xml").read_bytes()
    good = {"domain.xml": domain, "profile1.xml": profile}
    cmds = ["check", "show", "frontier", "import"]
    b.folder("c2-valid-genius", 2, "genius", good, "accept", "a valid two-file GENIUS folder (control)")
    b.folder("c2-foreign-200k", 2, "genius", {**good, "log.xml": b"<!" + b"a" * 200_000}, "accept",
             "a 200 kB non-GENIUS .xml (an unclosed '<!') dropped into a valid folder: skipped quickly",
             commands=cmds)
    b.folder("c2-foreign-comments", 2, "genius", {**good, "notes.xml": b"<!--" + b"-" * 200_000},
             "accept", "a 200 kB .xml that opens a comment and never closes it", commands=cmds)
    b.folder("c2-foreign-doctype", 2, "genius",
             {**good, "notes.xml": b"<!DOCTYPE x [" + b"<!ELEMENT a ANY>" * 12_000}, "either",
             "a DOCTYPE internal subset that never closes in a foreign .xml (skipped or refused "
             "as unsafe, quickly)", commands=cmds)
    b.folder("c2-profile-bang", 2, "genius", {"domain.xml": domain, "profile1.xml": b"<!" + b" x" * 100_000},
             "refuse", "a profile that starts with '<!' and never closes it", commands=cmds)
    slash = b'<a x="/>">' * 3000 + b"</a>" * 3000
    b.folder("c2-slash-in-attribute", 2, "genius",
             {"domain.xml": domain, "profile1.xml": b"<utility_space>" + slash + b"</utility_space>"},
             "refuse", "nesting 3000 deep hidden behind '/>' inside attribute values", commands=cmds)
    b.folder("c2-deep-nesting", 2, "genius",
             {"domain.xml": domain, "profile1.xml": b"<a>" * 100_000 + b"</a>" * 100_000}, "refuse",
             "elements nested 100,000 deep", commands=cmds)
    b.folder("c2-billion-laughs", 2, "genius",
             {"domain.xml": domain, "profile1.xml": (hostile / "billion_laughs.xml").read_bytes()},
             "refuse", "entity expansion (billion laughs)", commands=cmds)
    b.folder("c2-external-entity", 2, "genius",
             {"domain.xml": domain, "profile1.xml": (hostile / "external_entity.xml").read_bytes()},
             "refuse", "an external entity", commands=cmds)
    folder = b.folder("c2-sparse-xml", 2, "genius", dict(good), "accept",
                      "a 2 GiB sparse .xml in a valid folder (must not be read whole)", commands=cmds)
    _special(b, f"{folder.name}/zz-big.xml", "sparse")
    folder = b.folder("c2-sparse-profile", 2, "genius", {"domain.xml": domain}, "refuse",
                      "the only profile is a 2 GiB sparse file", commands=cmds)
    _special(b, f"{folder.name}/profile1.xml", "sparse")
    b.folder("c2-many-attributes", 2, "genius",
             {"domain.xml": domain, "profile1.xml": b"<utility_space " + b'a="1" ' * 1 + b" ".join(
                 b'b%d="x"' % k for k in range(200_000)) + b"/>"},
             "refuse", "a profile element with 200,000 attributes", commands=cmds)
    b.folder("c2-utf16-profile", 2, "genius",
             {"domain.xml": domain, "profile1.xml": profile.decode().encode("utf-16")}, "refuse",
             "a profile saved as UTF-16", commands=cmds, words="UTF-16")
    b.folder("c2-geniusweb-deep", 2, "geniusweb",
             {"trip.json": write_json(GENIUSWEB_DOMAIN), "trip1.json": "[" * 100_000 + "]" * 100_000},
             "refuse", "a GeniusWeb profile nested 100,000 deep")
    b.folder("c2-geniusweb-huge-range", 2, "geniusweb",
             {"trip.json": write_json({"name": "t", "issuesValues": {
                 "d": {"range": {"low": 0, "high": 1e300, "step": 1e-300}}}}),
              "trip1.json": write_json(_geniusweb_profile((0.6, 0.4), "Osaka"))},
             "refuse", "a GeniusWeb number issue with 1e600 values")


def class3(b: Builder) -> None:
    def variant(entry_id: str, change: Any, why: str, *, fmt: str = "toml", expect: str = "refuse",
                **extra: Any) -> None:
        document = job()
        result = change(document)
        b.scenario(entry_id, 3, document if result is None else result, expect, why, fmt=fmt, **extra)

    variant("c3-datetime-for-date", lambda d: _text(d, "offer").update(date=dt.datetime(2026, 3, 2, 9, 30)),
            "a TOML local datetime where a date is expected")
    variant("c3-datetime-offset-for-date",
            lambda d: d["scenario"].update(as_of=dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)),
            "a TOML offset datetime where a date is expected")
    variant("c3-time-for-date", lambda d: d["sources"][0].update(date=dt.time(12, 0)),
            "a TOML local time where a date is expected")
    variant("c3-date-zero", lambda d: _text(d, "offer").update(date=0), "date = 0")
    variant("c3-date-zero-json", lambda d: _text(d, "offer").update(date=0), "date = 0 (JSON)", fmt="json")
    variant("c3-huge-int-weight", lambda d: d["preferences"]["dana"]["weights"].update(salary=BigInt(5000)),
            "a weight written with 5000 digits")
    variant("c3-huge-int-json", lambda d: d["preferences"]["dana"]["weights"].update(salary=BigInt(5000)),
            "a weight written with 5000 digits (JSON)", fmt="json")
    variant("c3-huge-int-point", lambda d: _issue(d, "salary").update(points=[BigInt(400)]),
            "a point number with 400 digits")
    variant("c3-reservation-string", lambda d: d["preferences"]["dana"].update(reservation="0.55"),
            'reservation = "0.55"')
    variant("c3-reservation-string-json", lambda d: d["preferences"]["dana"].update(reservation="0.55"),
            'reservation = "0.55" (JSON)', fmt="json")
    variant("c3-estimate-yes", lambda d: d["preferences"]["dana"].update(estimate="yes"), 'estimate = "yes"')
    variant("c3-estimate-one", lambda d: d["preferences"]["dana"].update(estimate=1), "estimate = 1")
    variant("c3-points-string", lambda d: _issue(d, "salary").update(points=["1"]), 'points = ["1"]')
    variant("c3-points-float", lambda d: _issue(d, "salary").update(points=[1.0]), "points = [1.0]")
    variant("c3-weight-true", lambda d: d["preferences"]["dana"]["weights"].update(salary=True),
            "a weight of true")
    variant("c3-value-true", lambda d: d["preferences"]["dana"]["values"]["salary"].update({"90k": True}),
            "an option value of true")
    variant("c3-value-string", lambda d: d["preferences"]["dana"]["values"]["salary"].update({"90k": "0"}),
            'an option value of "0"')
    variant("c3-nan-reservation", lambda d: d["preferences"]["dana"].update(reservation=float("nan")),
            "reservation = nan")
    variant("c3-inf-weight", lambda d: d["preferences"]["dana"]["weights"].update(salary=float("inf")),
            "weight = inf")
    variant("c3-nan-value-json", lambda d: d["preferences"]["dana"]["values"]["salary"].update(
        {"90k": float("nan")}), "an option value NaN (JSON)", fmt="json")
    variant("c3-title-number", lambda d: d["scenario"].update(title=5), "title = 5")
    variant("c3-role-number", lambda d: d["parties"][0].update(role=1), "role = 1")
    variant("c3-options-string", lambda d: _issue(d, "salary").update(options="90k"), 'options = "90k"')
    variant("c3-must-accept-string", lambda d: d["scenario"].update(must_accept="dana"),
            'must_accept = "dana"')
    variant("c3-top-level-array-json", lambda d: [d], "a JSON array at the top level", fmt="json")
    variant("c3-null-json", lambda d: d["preferences"]["dana"].update(reservation=None),
            "reservation = null (JSON)", fmt="json")
    variant("c3-capability-string", lambda d: d["parties"][0].update(capability="10"), 'capability = "10"')

    def dup(document: Doc) -> Any:
        prefs = document["preferences"]["dana"]
        document["preferences"]["dana"] = DupKeys([*prefs.items(), ("reservation", 0.99)])
        return document

    variant("c3-json-duplicate-key", dup, "a JSON object with the key reservation twice", fmt="json")

    def dup_top(document: Doc) -> Any:
        return DupKeys([*document.items(), ("scenario", document["scenario"])])

    variant("c3-json-duplicate-top", dup_top, "a JSON document with scenario twice", fmt="json")
    variant("c3-deep-json", lambda d: d["scenario"].update(description=Nested("x", 100_000, False)),
            "an array nested 100,000 deep (JSON)", fmt="json")
    variant("c3-deep-toml", lambda d: d["scenario"].update(description=Nested("x", 20_000, True)),
            "an inline table nested 20,000 deep (TOML)")
    variant("c3-negative-zero", lambda d: d["preferences"]["dana"]["values"]["salary"].update({"90k": -0.0}),
            "an option value of -0.0 (valid: it is zero)", expect="accept",
            commands=["check", "show", "evaluate", "frontier"])
    b.add("c3-utf16-scenario", 10, "scenario",
          b.file("c3-utf16-scenario.toml", (EXAMPLES / "job-offer.toml").read_text().encode("utf-16")),
          "refuse", commands=["check", "show", "frontier"], why="a scenario saved as UTF-16", words="UTF-16")
    latin1 = (EXAMPLES / "job-offer.toml").read_text().replace("Dana Kim", "Dána Kim").replace("€", "EUR ")
    b.add("c3-latin1-name", 10, "scenario", b.file("c3-latin1-name.toml", latin1.encode("latin-1")),
          "refuse", commands=["check", "show"], why="a scenario saved as Latin-1 (an á in a name)")


def class4(b: Builder) -> None:
    def variant(entry_id: str, change: Any, why: str) -> None:
        document = job()
        change(document)
        b.scenario(entry_id, 4, document, "refuse", why, commands=PASSED_READER)

    variant("c4-must-accept-empty", lambda d: d["scenario"].update(must_accept=[]), "must_accept = []")
    variant("c4-must-accept-twice", lambda d: d["scenario"].update(must_accept=["dana", "dana", "northwind"]),
            "a party listed twice in must_accept")
    variant("c4-red-line-table", lambda d: d["preferences"]["dana"].update(red_lines={"remote": [{"x": 1}]}),
            "a red-line option given as a table")
    variant("c4-red-line-list", lambda d: d["preferences"]["dana"].update(red_lines={"remote": [["office"]]}),
            "a red-line option given as a list")
    variant("c4-red-line-string", lambda d: d["preferences"]["dana"].update(red_lines={"remote": "office"}),
            "red lines given as a string, not a list")
    variant("c4-meeting-participant-twice",
            lambda d: d["meetings"][0].update(participants=["dana", "dana"]), "a meeting participant twice")
    variant("c4-text-own-parent", lambda d: _text(d, "offer").update(parent="offer"), "a text its own parent")
    variant("c4-weights-all-zero", lambda d: d["preferences"]["dana"].update(
        weights={k: 0 for k in d["preferences"]["dana"]["weights"]}), "every weight 0")
    variant("c4-point-twice", lambda d: _issue(d, "remote").update(points=[1]),
            "two issues claim plan point 1")
    variant("c4-issues-empty", lambda d: d.update(issues=[]), "no issues at all")
    variant("c4-parties-empty", lambda d: d.update(parties=[]), "no parties at all")


def _big_scenario(issues: int, options: int, texts: int = 2, chain: int = 0, parties: int = 2) -> Doc:
    party_ids = [f"p{k}" for k in range(parties)]
    document: Doc = {
        "scenario": {"title": f"{issues} issues", "as_of": dt.date(2026, 1, 1)},
        "parties": [{"id": p, "name": p, "role": "principal"} for p in party_ids],
        "issues": [{"id": f"i{n}", "title": f"issue {n}", "points": [n + 1],
                    "options": [{"id": f"o{k}", "label": f"option {k}"} for k in range(options)]}
                   for n in range(issues)],
        "preferences": {p: {"estimate": True, "reservation": 0.1,
                            "weights": {f"i{n}": 1.0 for n in range(issues)},
                            "values": {f"i{n}": {f"o{k}": ((k + j + n) % options) / max(1, options - 1)
                                                 for k in range(options)} for n in range(issues)}}
                        for j, p in enumerate(party_ids)},
        "texts": [],
    }
    count = max(texts, chain)
    for t in range(count):
        text: Doc = {"id": "offer" if t == 0 else ("counter" if t == 1 else f"t{t}"),
                     "title": f"text {t}", "date": dt.date(2025, 1, 1) + dt.timedelta(days=t % 300),
                     "status": "proposal",
                     "positions": {f"i{n}": f"o{(t + n) % options}" for n in range(min(issues, 50))}}
        if chain and t:
            text["parent"] = "offer" if t == 1 else ("counter" if t == 2 else f"t{t - 1}")
        document["texts"].append(text)
    return document


def class5(b: Builder) -> None:
    heavy = ["check", "show", "frontier", "report"]
    b.scenario("c5-chain-1000", 5, _big_scenario(3, 3, chain=1000), "either",
               "a 1,000-text parent chain", commands=heavy)
    b.scenario("c5-chain-2000", 5, _big_scenario(3, 3, chain=2000), "either",
               "a 2,000-text parent chain", commands=heavy)
    b.scenario("c5-options-20000", 5, _big_scenario(1, 20_000), "either",
               "an issue with 20,000 options", commands=heavy)
    b.scenario("c5-issues-10000", 5, _big_scenario(10_000, 2), "either",
               "a valid 10,000-issue scenario", commands=[*heavy, "simulate"])
    b.scenario("c5-issues-30", 5, _big_scenario(30, 5), "either",
               "30 issues × 5 options (5^30 packages)", commands=[*heavy, "solve", "robust"])
    b.scenario("c5-parties-300", 5, _big_scenario(3, 3, parties=300), "either",
               "300 parties that must accept", commands=heavy)
    document = _big_scenario(3, 3)
    document["meetings"] = [{"date": dt.date(2025, 1, 1), "participants": [f"q{k}x" for k in range(3000)],
                             "summary": "misspelt"}]
    b.scenario("c5-misspelt-3000", 5, document, "refuse", "3,000 misspelt references (did-you-mean)",
               commands=["check", "show"])
    document = job()
    document["scenario"]["title"] = "T" * 10_000_000
    b.scenario("c5-title-10mb", 5, document, "either", "a 10 MB title", commands=["check", "show", "report"])
    document = job()
    document["statements"] = document["statements"] * 20_000
    b.scenario("c5-statements-20000", 5, document, "either", "20,000 statements",
               commands=["check", "evidence", "report"])
    big = b"# " + b"x" * (40 * 1024 * 1024) + b"\n" + (EXAMPLES / "job-offer.toml").read_bytes()
    b.add("c5-file-40mb", 5, "scenario", b.file("c5-file-40mb.toml", big), "refuse",
          commands=["check", "show"], why="a 40 MiB scenario (over the file cap)")


def class6(b: Builder) -> None:
    divide = tomllib.loads((EXAMPLES / "divide-retirement.toml").read_text())

    def table(entry_id: str, points: Any, why: str, expect: str = "refuse") -> None:
        document = copy.deepcopy(divide)
        document["items"][0]["points"]["carol"] = points
        b.add(entry_id, 6, "divide", b.file(f"{entry_id}.toml", write_toml(document)), expect, why=why)

    table("c6-divide-1e999999999", "1e999999999", 'points "1e999999999" in a divide table')
    table("c6-divide-huge-fraction", "1/" + "9" * 4000, "a fraction with a 4000-digit denominator")
    table("c6-divide-huge-int", BigInt(5000), "a 5000-digit integer of points")
    table("c6-divide-negative", -5, "negative points")
    table("c6-divide-float", 12.5, "points 12.5 (not whole)")
    table("c6-divide-nan", float("nan"), "points nan")
    rows = "item,carol,bob\n" + "".join(f"i{k},1,1\n" for k in range(200_000))
    b.add("c6-divide-200000-items", 6, "divide", b.file("c6-divide-200000-items.csv", rows), "either",
          why="200,000 items (a documented limit or an answer)")
    csv_rows = ["item,carol,bob"] + [f"{i['id']},{i['points']['carol']},{i['points']['bob']}"
                                     for i in divide["items"]]
    b.add("c6-divide-csv-control", 6, "divide", b.file("c6-divide-csv-control.csv", "\n".join(csv_rows) + "\n"),
          "accept", why="the worked example as CSV (known answer: 170/3 points each)",
          answers=[{"argv": ["divide", "{f}"], "stdout_contains": "170/3"}])
    b.add("c6-divide-cell-200k", 6, "divide",
          b.file("c6-divide-cell-200k.csv", "item,carol,bob\n" + "x" * 200_000 + ",1,1\n"), "refuse",
          why="a 200 kB CSV cell")
    job_file = str((EXAMPLES / "job-offer.toml").resolve())

    def config(entry_id: str, text: str, why: str) -> None:
        b.add(entry_id, 6, "tournament", b.file(f"{entry_id}.toml", text + f'\n[[scenarios]]\nfile = "{job_file}"\n'
                                                 'parties = ["dana", "northwind"]\n'), "refuse", why=why)

    config("c6-tour-seeds-1e9", 'seeds = 1000000000\nstrategies = ["boulware"]', "seeds = 10^9")
    config("c6-tour-rounds-1e9", 'seeds = 1\nrounds = 1000000000\nstrategies = ["boulware"]', "rounds = 10^9")
    config("c6-tour-proposals-1e9", 'protocols = ["mediate"]\nseeds = 1\n[mediate]\nproposals = 1000000000',
           "proposals = 10^9")
    config("c6-tour-seed-list", "seeds = [" + ", ".join(str(k) for k in range(100_000)) + ']\n'
           'strategies = ["boulware"]', "a list of 100,000 seeds")
    config("c6-tour-seeds-huge", 'seeds = ' + "9" * 5000 + '\nstrategies = ["boulware"]', "a 5000-digit seed count")
    config("c6-tour-asks-1e9", 'protocols = ["shuttle"]\nseeds = 1\n[shuttle]\nmax_asks = [1000000000]\n'
           'rounds = 1000000000', "shuttle max_asks and rounds 10^9")
    config("c6-tour-strategies-x5000", "seeds = 1\nstrategies = [" + ", ".join(['"random"'] * 5000) + "]",
           "5,000 strategies (25 million profiles)")
    b.add("c6-tour-control", 6, "tournament", b.file("c6-tour-control.toml",
          f'seeds = 1\nrounds = 20\nstrategies = ["boulware", "conceder"]\n[[scenarios]]\nfile = "{job_file}"\n'
          'parties = ["dana", "northwind"]\n'), "accept", why="a small valid tournament (control)")


def class7(b: Builder) -> None:
    def variant(entry_id: str, change: Any, why: str, *, fmt: str = "toml") -> None:
        document = job()
        change(document)
        b.scenario(entry_id, 7, document, "accept", why, fmt=fmt,
                   commands=["check", "show", "evaluate", "report", "chart"])

    variant("c7-markup-title", lambda d: d["scenario"].update(title="Offer [/oops] [bold]x"), "rich markup in the title")
    variant("c7-markup-label", lambda d: _issue(d, "salary")["options"][0].update(label="[red]90k[/red] [/x]"),
            "rich markup in an option label")
    variant("c7-markup-party", lambda d: d["parties"][0].update(name="[link=file:///etc/passwd]Dana[/link]"),
            "rich markup in a party name")
    variant("c7-escape-title", lambda d: d["scenario"].update(title="\x1b]0;owned\x07\x1b[2J\x1b[HOffer"),
            "terminal escape sequences in the title (retitle and clear the terminal)")
    variant("c7-escape-quote", lambda d: d["statements"][0].update(quote="We \x1b[31mcan\x1b[0m move\x08\x08"),
            "escape sequences and backspaces in a quote")
    variant("c7-bidi-title", lambda d: d["scenario"].update(title="Offer \u202eevil\u202c done"),
            "a BiDi override in the title")
    variant("c7-surrogate-json", lambda d: d["scenario"].update(title="Offer \ud800 here"),
            "a lone surrogate in a JSON title", fmt="json")
    variant("c7-nul-json", lambda d: d["scenario"].update(title="Offer\u0000here"), "a NUL in a JSON title",
            fmt="json")
    variant("c7-newline-title", lambda d: d["scenario"].update(title="Offer\nerror: forged line"),
            "a newline in the title")
    variant("c7-c1-controls", lambda d: d["scenario"].update(description="x\u009b2J\u0085y"),
            "C1 control characters in the description")
    variant("c7-html-title", lambda d: d["scenario"].update(title="<script>alert(1)</script>"),
            "HTML in the title (the report must escape it)")


def class8(b: Builder) -> None:
    # Destinations: the misuse cases carry these (they are options, not input files).
    existing = b.file("c8-existing.toml", "keep me\n")
    folder = b.inputs / "c8-readonly"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o555)
    b.entries.append({"id": "c8-fixtures", "class": 8, "kind": "none", "path": os.path.relpath(existing, b.out),
                      "expect": "none", "commands": [], "why": "files the write cases aim at"})


def class9(b: Builder) -> None:
    document = job()
    for party in ("dana", "northwind"):
        weights = document["preferences"][party]["weights"]
        for key in weights:
            weights[key] = weights[key] * 1e308 if weights[key] <= 1.0 else weights[key]
    reference = job()
    b.scenario("c9-weights-1e308", 9, document, "either",
               "weights scaled by 1e308 (each finite): the same utilities as the example",
               commands=["check", "evaluate", "frontier"],
               answers=[{"argv": ["evaluate", "{f}", "--json"], "same_json_as": ["evaluate", "{job}", "--json"],
                         "ignore": ["file"]}])
    _ = reference
    b.add("c9-epsilon-tiny", 9, "scenario", b.file("c9-epsilon-tiny.toml", (EXAMPLES / "job-offer.toml").read_bytes()),
          "accept", commands=["check"], why="frontier --epsilon 1e-300 must equal the exact frontier or refuse",
          answers=[{"argv": ["frontier", "{f}", "--epsilon", "1e-300", "--json"],
                    "same_json_as": ["frontier", "{f}", "--json"], "keys": ["points"]}])
    big = _big_scenario(8, 6)
    b.scenario("c9-epsilon-large-space", 9, big, "accept", "ε = 1e-300 on 6^8 packages: exact or refuse",
               commands=["check"],
               answers=[{"argv": ["frontier", "{f}", "--epsilon", "1e-300", "--json"],
                         "same_json_as": ["frontier", "{f}", "--json"], "keys": ["points"]}])


def class10(b: Builder) -> None:
    name = "c10-name-with\nnewline.toml"
    b.add("c10-newline-name", 10, "scenario", b.file(name, "[scenario\n"), "refuse",
          commands=["check", "show"], why="a file name with a newline (the message must stay one line)")
    b.add("c10-space-name", 10, "scenario", b.file("c10 name with spaces [x].toml", "[scenario\n"), "refuse",
          commands=["check", "show"], why="a file name with spaces and brackets (markup-like)")
    b.add("c10-escape-name", 10, "scenario", b.file("c10-\x1b[2Jname.toml", "[scenario\n"), "refuse",
          commands=["check"], why="a file name with an escape sequence")
    b.add("c10-no-suffix", 10, "scenario", b.file("c10-no-suffix", "{\"scenario\": 1}"), "refuse",
          commands=["check", "show"], why="a file without a suffix")
    b.add("c10-wrong-suffix", 10, "scenario", b.file("c10-wrong-suffix.yaml", "scenario:\n  title: x\n"),
          "refuse", commands=["check", "show"], why="a YAML file")
    b.add("c10-empty", 10, "scenario", b.file("c10-empty.toml", ""), "refuse", why="an empty scenario file")
    b.add("c10-bom-only", 10, "scenario", b.file("c10-bom-only.toml", b"\xef\xbb\xbf"), "refuse",
          commands=["check", "show"], why="a file with only a BOM")
    b.add("c10-binary", 10, "scenario", b.file("c10-binary.toml", bytes(range(256)) * 4), "refuse",
          commands=["check", "show"], why="binary bytes")
    b.add("c10-ktab-utf16", 10, "ktab", b.file("c10-ktab-utf16.csv", KTAB_CSV.decode().encode("utf-16")),
          "refuse", why="a KTAB CSV saved as UTF-16", words="UTF-16")
    b.add("c10-divide-utf16", 10, "divide", b.file("c10-divide-utf16.toml",
          (EXAMPLES / "divide-retirement.toml").read_text().encode("utf-16")), "refuse",
          why="a divide table saved as UTF-16", words="UTF-16")


def others(b: Builder) -> None:
    """Per-kind odd files that are not one of the classes above (KTAB, articles, GeniusWeb)."""
    small = (TESTS / "data" / "ktab" / "small.xml").read_text()
    b.add("k-valid-csv", 3, "ktab", b.file("k-valid.csv", KTAB_CSV), "accept", why="a valid KTAB CSV (control)")
    b.add("k-valid-xml", 3, "ktab", b.file("k-valid.xml", small), "accept", why="a valid KTAB XML (control)")
    b.add("k-cell-200k", 3, "ktab", b.file("k-cell-200k.csv", KTAB_CSV.replace(b"A,a", b"A," + b"a" * 200_000)),
          "refuse", why="a 200 kB CSV cell")
    b.add("k-nan-power", 3, "ktab", b.file("k-nan-power.csv", KTAB_CSV.replace(b",10,", b",nan,")), "refuse",
          why="capability nan")
    b.add("k-inf-position", 3, "ktab", b.file("k-inf-position.csv", KTAB_CSV.replace(b",10,40", b",10,inf")),
          "refuse", why="position inf")
    b.add("k-huge-actors", 5, "ktab", b.file("k-huge-actors.csv", KTAB_CSV.replace(b",3,2,", b"," + b"9" * 5000 + b",2,")),
          "refuse", why="an actor count of 5000 digits")
    b.add("k-xml-deep", 2, "ktab", b.file("k-xml-deep.xml", small.replace("<name>Mini</name>",
          "<a>" * 50_000 + "</a>" * 50_000)), "refuse", why="KTAB XML nested 50,000 deep")
    b.add("k-xml-slash", 2, "ktab", b.file("k-xml-slash.xml", small.replace("<name>Mini</name>",
          '<a x="/>">' * 5000 + "</a>" * 5000)), "refuse", why="KTAB XML nesting behind '/>' in attributes")
    b.add("k-xml-bang", 2, "ktab", b.file("k-xml-bang.xml", "<!" + "x" * 300_000), "refuse",
          why="KTAB XML that opens '<!' and never closes it")
    b.add("k-xml-1e308", 3, "ktab", b.file("k-xml-1e308.xml", small.replace("<capability>10<", "<capability>1e308<")),
          "either", why="capability 1e308 (finite): an answer or a refusal")
    b.add("k-seed-huge", 3, "ktab", b.file("k-seed-huge.xml", small.replace("12345", "9" * 5000)), "refuse",
          why="a PRNG seed of 5000 digits")
    article = (TESTS / "data" / "articles" / "dev" / "d01-sarn-dam.txt").read_text()
    b.add("a-valid", 7, "article", b.file("a-valid.txt", article), "accept", why="a real test article (control)")
    b.add("a-escape", 7, "article", b.file("a-escape.txt", article.replace("said", "\x1b[2Jsaid", 3)), "either",
          why="terminal escapes inside an article")
    b.add("a-markup", 7, "article", b.file("a-markup.txt", article.replace("said", "said [/oops]", 3)), "either",
          why="rich markup inside an article")
    b.add("a-huge-line", 5, "article", b.file("a-huge-line.txt", "“" + "word " * 2_000_000 + "”, said Kim."),
          "either", why="a 10 MB quotation")
    b.add("a-quotes-50000", 5, "article", b.file("a-quotes-50000.txt",
          "LONDON, 3 March 2025 — " + "“Yes,” said Kim. " * 50_000), "either", why="50,000 quotations")
    b.add("a-html-deep", 2, "article", b.file("a-html-deep.html", "<html><body>" + "<div>" * 200_000 + "“x,” said Kim."
          + "</div>" * 200_000), "either", why="HTML nested 200,000 deep")
    b.add("a-binary", 10, "article", b.file("a-binary.txt", bytes(range(256)) * 8), "refuse", why="binary article")
    b.add("a-utf16", 10, "article", b.file("a-utf16.txt", article.encode("utf-16")), "refuse",
          why="an article saved as UTF-16", words="UTF-16")
    gw_domain = write_json(GENIUSWEB_DOMAIN)
    b.folder("w-valid", 3, "geniusweb", {"trip.json": gw_domain,
             "trip1.json": write_json(_geniusweb_profile((0.6, 0.4), "Osaka")),
             "trip2.json": write_json(_geniusweb_profile((0.25, 0.75), "Nara"))}, "accept",
             "a valid GeniusWeb folder (control)")
    bad_profiles: dict[str, Any] = {
        "w-weight-string": lambda p: p["LinearAdditiveUtilitySpace"]["issueWeights"].update(place="0.6"),
        "w-weight-nan": lambda p: p["LinearAdditiveUtilitySpace"]["issueWeights"].update(place=float("nan")),
        "w-rv-dict": lambda p: p["LinearAdditiveUtilitySpace"]["reservationBid"]["issuevalues"].update(place={}),
        "w-rv-list": lambda p: p["LinearAdditiveUtilitySpace"]["reservationBid"]["issuevalues"].update(days=[1, 2, 3]),
        "w-utility-huge": lambda p: p["LinearAdditiveUtilitySpace"]["issueUtilities"]["place"]["discreteutils"][
            "valueUtilities"].update(Tokyo=BigInt(5000)),
        "w-profile-array": lambda p: p.clear(),
    }
    for entry_id, change in bad_profiles.items():
        profile = _geniusweb_profile((0.6, 0.4), "Osaka")
        change(profile)
        b.folder(entry_id, 3, "geniusweb", {"trip.json": gw_domain, "trip1.json": write_json(profile)},
                 "refuse", f"GeniusWeb profile: {entry_id[2:]}")
    bad_domains = {
        "w-domain-low-string": {"name": "t", "issuesValues": {"d": {"range": {"low": "x", "high": 3, "step": 1}}}},
        "w-domain-step-zero": {"name": "t", "issuesValues": {"d": {"range": {"low": 0, "high": 3, "step": 0}}}},
        "w-domain-values-dict": {"name": "t", "issuesValues": {"d": {"values": {"a": 1}}}},
        "w-domain-issues-list": {"name": "t", "issuesValues": ["a", "b"]},
    }
    for entry_id, document in bad_domains.items():
        b.folder(entry_id, 3, "geniusweb", {"trip.json": write_json(document),
                 "trip1.json": write_json(_geniusweb_profile((0.6, 0.4), "Osaka"))}, "refuse",
                 f"GeniusWeb domain: {entry_id[2:]}")


# ---------------------------------------------------------------------------
# command-line misuse: argv templates ({job}, {peace}, {divide}, {tour}, {ktab}, {article}, {o})


def misuse() -> list[dict[str, Any]]:
    cases: list[tuple[str, int, list[str], str, str]] = [
        # (id, class, argv, expect, a word the message must contain)
        ("m-unknown-command", 10, ["chek", "{job}"], "refuse", "chek"),
        ("m-unknown-option", 10, ["check", "{job}", "--jsn"], "refuse", "--jsn"),
        ("m-missing-file-arg", 10, ["check"], "refuse", "file"),
        ("m-missing-file", 10, ["check", "no-such-file.toml"], "refuse", "no-such-file.toml"),
        ("m-missing-folder", 10, ["check", "no/such/dir/"], "refuse", "no/such/dir"),
        ("m-chance-samples-neg", 6, ["chance", "{job}", "-n", "-1"], "refuse", "--samples"),
        ("m-chance-samples-zero", 6, ["chance", "{job}", "-n", "0"], "refuse", "--samples"),
        ("m-chance-samples-huge", 6, ["chance", "{job}", "-n", "1000000000000"], "refuse", "--samples"),
        ("m-chance-samples-text", 6, ["chance", "{job}", "-n", "many"], "refuse", "--samples"),
        ("m-chance-seed-neg", 6, ["chance", "{job}", "--seed", "-1"], "refuse", "--seed"),
        ("m-chance-seed-huge", 6, ["chance", "{job}", "--seed", "9" * 400], "refuse", "--seed"),
        ("m-chance-scheduler-bad", 6, ["chance", "{job}", "--scheduler", "bogus"], "refuse", "--scheduler"),
        ("m-chance-scheduler-dead", 6, ["chance", "{job}", "--scheduler", "tcp://127.0.0.1:9"], "refuse",
         "127.0.0.1:9"),
        ("m-chance-text-unknown", 10, ["chance", "{job}", "-t", "ofer"], "refuse", "ofer"),
        ("m-sens-top-neg", 6, ["sensitivity", "{job}", "--top", "-1"], "refuse", "--top"),
        ("m-sens-top-huge", 6, ["sensitivity", "{job}", "--top", "1000000000", "-n", "64"], "either", ""),
        ("m-sens-samples-huge", 6, ["sensitivity", "{job}", "-n", "1000000000"], "refuse", "--samples"),
        ("m-sens-method-bad", 10, ["sensitivity", "{job}", "--method", "sobel"], "refuse", "sobel"),
        ("m-robust-samples-huge", 6, ["robust", "{job}", "-n", "1000000000"], "refuse", "--samples"),
        ("m-robust-samples-neg", 6, ["robust", "{job}", "-n", "-5"], "refuse", "--samples"),
        ("m-robust-seed-neg", 6, ["robust", "{job}", "--seed", "-1"], "refuse", "--seed"),
        ("m-sim-rounds-zero", 6, ["simulate", "{job}", "--rounds", "0"], "refuse", "--rounds"),
        ("m-sim-rounds-huge", 6, ["simulate", "{job}", "--rounds", "1000000000"], "refuse", "--rounds"),
        ("m-sim-proposals-huge", 6, ["simulate", "{job}", "--protocol", "mediate", "--proposals",
                                     "1000000000000"], "refuse", "--proposals"),
        ("m-sim-max-asks-huge", 6, ["simulate", "{job}", "--max-asks", "1000000000"], "either", ""),
        ("m-sim-protocol-bad", 10, ["simulate", "{job}", "--protocol", "shutle"], "refuse", "shutle"),
        ("m-sim-strategy-bad", 10, ["simulate", "{job}", "--protocol", "alternate", "--strategies", "boulwar"],
         "refuse", "boulwar"),
        ("m-sim-mediator-bad", 10, ["simulate", "{job}", "--protocol", "mediate", "--mediator", "x"], "refuse",
         "--mediator"),
        ("m-sim-voters-bad", 10, ["simulate", "{job}", "--protocol", "mediate", "--voters", "x,y,z"], "refuse",
         "--voters"),
        ("m-sim-order-bad", 10, ["simulate", "{job}", "--order", "dana,nobody"], "refuse", "nobody"),
        ("m-sim-start-bad", 10, ["simulate", "{job}", "--start", "nope"], "refuse", "nope"),
        ("m-sim-seed-neg", 6, ["simulate", "{job}", "--seed", "-1"], "refuse", "--seed"),
        ("m-sim-trace-nodir", 8, ["simulate", "{job}", "--trace", "{o}/no/such/dir/t.jsonl"], "refuse",
         "no/such/dir"),
        ("m-sim-trace-exists", 8, ["simulate", "{job}", "--trace", "{existing}"], "refuse", "--force"),
        ("m-frontier-limit-neg", 6, ["frontier", "{job}", "--limit", "-1"], "refuse", "--limit"),
        ("m-frontier-eps-neg", 6, ["frontier", "{job}", "--epsilon", "-0.1"], "refuse", "--epsilon"),
        ("m-frontier-eps-nan", 6, ["frontier", "{job}", "--epsilon", "nan"], "refuse", "--epsilon"),
        ("m-frontier-eps-inf", 6, ["frontier", "{job}", "--epsilon", "inf"], "refuse", "--epsilon"),
        ("m-frontier-eps-zero", 6, ["frontier", "{job}", "--epsilon", "0"], "either", ""),
        ("m-frontier-parties-bad", 10, ["frontier", "{job}", "-p", "dana,nobody"], "refuse", "nobody"),
        ("m-frontier-parties-empty", 10, ["frontier", "{job}", "-p", ""], "refuse", "--parties"),
        ("m-frontier-plot-ext", 8, ["frontier", "{job}", "--plot", "{o}/f.bmp"], "refuse", "f.bmp"),
        ("m-frontier-plot-nodir", 8, ["frontier", "{job}", "--plot", "{o}/no/such/f.png"], "refuse", "no/such"),
        ("m-amend-k-neg", 6, ["amend", "{job}", "-k", "-1"], "refuse", "-k"),
        ("m-amend-k-huge", 6, ["amend", "{job}", "-k", "1000000000"], "either", ""),
        ("m-amend-text-bad", 10, ["amend", "{job}", "-t", "ofer"], "refuse", "ofer"),
        ("m-improve-k-zero", 6, ["improve", "{job}", "-k", "0"], "refuse", "-k"),
        ("m-solve-text-bad", 10, ["solve", "{job}", "-t", "nope"], "refuse", "nope"),
        ("m-diff-one-text", 10, ["diff", "{job}", "offer"], "refuse", "diff"),
        ("m-diff-unknown", 10, ["diff", "{job}", "offer", "countr"], "refuse", "countr"),
        ("m-diff-lineage-bad", 10, ["diff", "{job}", "--lineage", "x"], "refuse", "x"),
        ("m-evaluate-text-empty", 10, ["evaluate", "{job}", "-t", ""], "refuse", "text"),
        ("m-forecast-samples-neg", 6, ["forecast", "{job}", "-n", "-1"], "refuse", "--samples"),
        ("m-forecast-samples-huge", 6, ["forecast", "{job}", "-n", "1000000000"], "refuse", "--samples"),
        ("m-forecast-model-bad", 10, ["forecast", "{job}", "-m", "smpp"], "refuse", "smpp"),
        ("m-backtest-missing", 10, ["backtest", "no-such.tsv"], "refuse", "no-such.tsv"),
        ("m-backtest-folds-1", 6, ["backtest", "{job}", "--folds", "1"], "refuse", "--folds"),
        ("m-backtest-bootstrap-neg", 6, ["backtest", "{job}", "--bootstrap", "-1"], "refuse", "--bootstrap"),
        ("m-report-nodir", 8, ["report", "{job}", "-o", "{o}/no/such/dir/r.html"], "refuse", "no/such/dir"),
        ("m-report-exists", 8, ["report", "{job}", "-o", "{existing}"], "refuse", "--force"),
        ("m-report-readonly", 8, ["report", "{job}", "-o", "{readonly}/r.html"], "refuse", "c8-readonly"),
        ("m-report-is-dir", 8, ["report", "{job}", "-o", "{o}"], "refuse", "directory"),
        ("m-chart-kind-bad", 10, ["chart", "{job}", "stanse", "-o", "{o}/c.png"], "refuse", "stanse"),
        ("m-chart-ext-bad", 8, ["chart", "{job}", "stance", "-o", "{o}/c.txt"], "refuse", "c.txt"),
        ("m-chart-nodir", 8, ["chart", "{job}", "stance", "-o", "{o}/no/such/c.png"], "refuse", "no/such"),
        ("m-chart-frontier-one", 10, ["chart", "{job}", "frontier", "-p", "dana", "-o", "{o}/c.png"], "refuse",
         "--party"),
        ("m-chart-mode", 8, ["chart", "{job}", "stance", "-o", "{o}/c.png"], "accept", ""),
        ("m-export-exists", 8, ["export", "genius", "{job}", "-o", "{existing}"], "refuse", "c8-existing"),
        ("m-export-nodir", 8, ["export", "genius", "{job}", "-o", "{o}/no/such/dir/g"], "refuse", "no/such"),
        ("m-export-red-lines", 10, ["export", "genius", "{job}", "-o", "{o}/g"], "refuse", "--drop-red-lines"),
        ("m-import-exists", 8, ["import", "genius", "{genius}", "-o", "{existing}"], "refuse", "--force"),
        ("m-import-profile-missing", 10, ["import", "genius", "{genius}/domain.xml", "-p", "nope.xml"], "refuse",
         "nope.xml"),
        ("m-divide-suffix", 10, ["divide", "{job_copy_txt}"], "refuse", ".txt"),
        ("m-tour-workers-zero", 6, ["tournament", "{tour}", "--workers", "0"], "refuse", "--workers"),
        ("m-tour-workers-huge", 6, ["tournament", "{tour}", "--workers", "1000000"], "refuse", "--workers"),
        ("m-tour-out-nodir", 8, ["tournament", "{tour}", "--out", "{o}/no/such/dir/runs.csv"], "refuse",
         "no/such/dir"),
        ("m-tour-out-ext", 8, ["tournament", "{tour}", "--out", "{o}/runs.xlsx"], "refuse", "runs.xlsx"),
        ("m-tour-scheduler-bad", 6, ["tournament", "{tour}", "--scheduler", "udp://x"], "refuse", "--scheduler"),
        ("m-ingest-date-bad", 10, ["ingest", "{article}", "--date", "yesterday"], "refuse", "--date"),
        ("m-ingest-date-impossible", 10, ["ingest", "{article}", "--override-date", "2025-02-30"], "refuse",
         "2025-02-30"),
        ("m-ingest-write-no-scenario", 10, ["ingest", "{article}", "--write"], "refuse", "--scenario"),
        ("m-ingest-source-bad", 10, ["ingest", "{article}", "-s", "{job}", "--source", "nope"], "refuse", "nope"),
        ("m-serve-port-neg", 6, ["serve", "--port", "-1"], "refuse", "--port"),
        ("m-serve-port-huge", 6, ["serve", "--port", "70000"], "refuse", "--port"),
        ("m-serve-max-body-neg", 6, ["serve", "--max-body", "-1", "--port", "1"], "refuse", "--max-body"),
        ("m-serve-workers-zero", 6, ["serve", "--workers", "0", "--port", "1"], "refuse", "--workers"),
        ("m-serve-database-bad", 10, ["serve", "--database", "bogus://x", "--port", "1"], "refuse", "bogus"),
        ("m-audit-missing", 10, ["audit", "verify", "no-such"], "refuse", "no-such"),
    ]
    out = []
    for case_id, cls, argv, expect, word in cases:
        entry: dict[str, Any] = {"id": case_id, "class": cls, "kind": "cli", "argv": argv, "expect": expect,
                                 "why": " ".join(argv)}
        if word:
            entry["names"] = word
        if case_id == "m-chart-mode":
            entry["answers"] = [{"argv": argv, "file_mode": ["{o}/c.png", "0644"]}]
        if case_id == "m-report-readonly":
            entry["needs_non_root"] = True
        if case_id == "m-tour-workers-huge":
            entry["unsafe"] = "may start a million processes on a shared machine"
        out.append(entry)
    return out


def build(out: Path) -> list[dict[str, Any]]:
    out.mkdir(parents=True, exist_ok=True)
    b = Builder(out)
    for part in (class1, class2, class3, class4, class5, class6, class7, class8, class9, class10, others):
        part(b)
    # fixtures the misuse cases name
    fixtures = {
        "job": (EXAMPLES / "job-offer.toml").resolve(),
        "genius": (out / "inputs" / "c2-valid-genius").resolve(),
        "tour": (out / "inputs" / "c6-tour-control.toml").resolve(),
        "article": (TESTS / "data" / "articles" / "dev" / "d01-sarn-dam.txt").resolve(),
        "existing": (out / "inputs" / "c8-existing.toml").resolve(),
        "readonly": (out / "inputs" / "c8-readonly").resolve(),
        "job_copy_txt": b.file("m-job-copy.txt", (EXAMPLES / "job-offer.toml").read_bytes()).resolve(),
    }
    entries = b.entries + misuse()
    manifest = {"fixtures": {k: str(v) for k, v in fixtures.items()}, "entries": entries}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=True))
    return entries


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "adversarial-corpus")
    entries = build(out)
    inputs = sum(1 for e in entries if e["kind"] not in ("cli", "none"))
    cli = sum(1 for e in entries if e["kind"] == "cli")
    print(f"corpus: {inputs} inputs and {cli} command-line misuse cases in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
