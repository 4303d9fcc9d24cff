"""The pages in a real browser: a mediator and two delegations run a round on the flagship scenario.

Playwright for Python drives Debian's Chromium (``/usr/bin/chromium``, installed by
``.ci/run`` or the fixture when missing; never a browser download) headless, in one
browser context per person.  The round, as issue 13's "Tests in a real browser" says:
the mediator signs in, creates the negotiation from the flagship file and invites two
delegates; Ukraine's delegate enters preferences by rating, with the keyboard only;
Russia's by pairwise choices; the mediator publishes a version; both comment and vote
(the second vote appears on the mediator's desk without a reload); the mediator
publishes the suggested amendment in one click; both mark it acceptable, and the
agreement appears on all three pages without a reload.

Throughout: no console error on any page, no request to any address but the local
service, and no delegate page or response (HTML and JSON; the event stream is not read
here, tests/server covers it) containing another party's numbers.  Screenshots of each
page at 1280 px and 390 px go to ``test-artifacts/``.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.cdp import find_or_install_chromium
from tests.browser.pages_helpers import (
    add_account,
    flagship_ratings,
    live_service,
    numbers_in,
    telltales,
)
from tests.conftest import ROOT
from tests.server.helpers import FLAGSHIP, PASSWORD

pytest.importorskip("fastapi", reason="the server extra is not installed (pip install 'accord[server]')")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra)")

ARTIFACTS = ROOT / "test-artifacts"
WAIT = 30_000  # ms: the longest a step may take (an analysis on a slow machine)


@pytest.fixture(scope="module")
def chromium() -> str:
    path, reason = find_or_install_chromium()
    if path is None:
        pytest.skip(reason)
    return path


class Watch:
    """Everything one person's browser context did: requests, console errors, bodies read."""

    def __init__(self, name: str, context: Any, base: str) -> None:
        self.name, self.base = name, base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.bodies: list[tuple[str, str]] = []
        self.pages: list[Any] = []
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("response", self._response)

    def _response(self, response: Any) -> None:
        kind = response.headers.get("content-type", "")
        if kind.startswith(("text/html", "application/json")) and response.request.method != "OPTIONS":
            # A body can be gone with a page that navigated away.
            with contextlib.suppress(Exception):
                self.bodies.append((response.url, response.text()))

    def page(self, context: Any) -> Any:
        page = context.new_page()
        self.pages.append(page)
        page.set_default_timeout(WAIT)
        page.on(
            "console",
            lambda m: self.errors.append(f"{m.text} [{m.location.get('url', '')}]") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.errors.append(f"exception: {e}"))
        return page

    def foreign(self) -> list[str]:
        return [u for u in self.requests if not u.startswith((self.base + "/", "data:", "about:"))]


#: Accessibility findings per page (axe-core, from the axe-playwright-python package: its own copy of
#: axe.min.js, run in the page; nothing is fetched).  Only serious and critical ones fail the test.
A11Y: dict[str, list[str]] = {}
A11Y_ALL: dict[str, list[str]] = {}
TOO_WIDE: dict[str, int] = {}


def accessibility(page: Any, name: str) -> None:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        A11Y.setdefault("(not run)", []).append("axe-playwright-python is not installed")
        return
    results = Axe().run(page)
    A11Y_ALL[name] = [f"{v['id']} ({v['impact']})" for v in results.response["violations"]]
    A11Y[name] = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def shoot(page: Any, name: str) -> None:
    accessibility(page, name)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"pages-{name}-1280.png"), full_page=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    # Usable at 390 px: nothing pushes the page wider than the screen (wide tables scroll in their card).
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > 390:
        TOO_WIDE[name] = width
    page.screenshot(path=str(ARTIFACTS / f"pages-{name}-390.png"), full_page=True)
    page.set_viewport_size(size)


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def invite(page: Any, role: str, party: str | None, email: str) -> str:
    page.select_option("#f-role", role)
    if party:
        page.select_option("#f-party", party)
    else:  # the party applies to delegates only: for anyone else it is disabled, and not sent
        assert page.is_disabled("#f-party")
    page.fill("#parties #f-email", email)
    page.click("text=Create the invitation link")
    page.wait_for_selector(".invite-link", state="visible")
    return str(page.input_value("#f-invite-link"))


def accept(page: Any, link: str, email: str, name: str, nid: str, base: str) -> None:
    page.goto(link)
    page.fill("#f-email", email)
    page.fill("#f-name", name)
    page.fill("#f-password", PASSWORD)
    page.click("text=Accept and set my password")
    page.wait_for_url(f"{base}/n/{nid}")


def keyboard_preferences(page: Any, issues: list[dict[str, Any]], rated: dict[str, Any]) -> int:
    """Fill the rating form with the keyboard alone: Tab from field to field, type, Space, arrows, Enter.

    Returns the number of key presses.  Each Tab must land on the field expected next, so the
    form's keyboard order is checked as well.
    """
    presses = 0

    def focused() -> str:
        return str(page.evaluate("document.activeElement ? document.activeElement.id : ''"))

    first = f"f-w-{issues[0]['id']}"
    for _ in range(30):
        page.keyboard.press("Tab")
        presses += 1
        if focused() == first:
            break
    assert focused() == first, "the first importance field is not reachable with Tab"

    def tab_to(expected: str, steps: int = 1) -> None:
        nonlocal presses
        for _ in range(steps):
            if focused() == expected:
                break
            page.keyboard.press("Tab")
            presses += 1
        assert focused() == expected, f"Tab went to {focused()!r}, expected {expected!r}"

    def type_number(value: float) -> None:
        nonlocal presses
        page.keyboard.press("Control+a")
        page.keyboard.type(f"{value:g}")
        presses += 2

    for issue in issues:
        iid = issue["id"]
        tab_to(f"f-w-{iid}")
        type_number(rated["importance"].get(iid, 0.0))
        for option in issue["options"]:
            oid = option["id"]
            tab_to(f"f-v-{iid}-{oid}")
            type_number(rated["ratings"].get(iid, {}).get(oid, 0.0))
            tab_to(f"f-r-{iid}-{oid}")
            wanted = oid in rated["red_lines"].get(iid, [])
            if page.is_checked(f"#f-r-{iid}-{oid}") != wanted:
                page.keyboard.press("Space")
                presses += 1
    tab_to("f-reservation")
    type_number(rated["walk_away"])
    tab_to("f-vis-analysis-only")  # the radio group's checked one takes the focus
    page.keyboard.press("ArrowUp")  # → "Everything": this delegation shares its numbers
    presses += 1
    assert page.is_checked("#f-vis-full")
    # The live preview states what the numbers mean before anything is saved.
    page.wait_for_function("() => document.querySelector('#preview .summary') && "
                           "document.querySelector('#preview .summary').textContent.includes('you would')")
    # The preview speaks the form's language: versions by title, scores out of 100 like the walk-away.
    page.wait_for_function(f"() => document.getElementById('preview').textContent.includes("
                           f"'walk-away {rated['walk_away']:g})')")
    preview = page.inner_text("#preview")
    assert "out of 100" in preview, preview[:400]
    headline = page.inner_text("#preview .summary")
    assert "plan-28" not in headline and "28-point plan" in headline, headline
    tab_to("save-preferences", steps=3)  # past the preview's "in one sentence" disclosure
    page.keyboard.press("Enter")
    presses += 1
    return presses


def answer_choices(page: Any, party: str, most: int = 14) -> int:
    """Answer the pairwise questions as the flagship's estimate of ``party`` would, then confirm."""
    answered = 0
    for _ in range(most):
        page.wait_for_function(
            "() => !document.getElementById('choose').hidden || !document.getElementById('confirm').hidden"
        )
        if not page.is_hidden("#confirm"):
            break
        table = page.locator("table.pair tbody tr")
        table.first.wait_for()
        rows = [[c.inner_text() for c in row.locator("th, td").all()] for row in table.all()]
        # Which package is better for the party: compare its estimated utility on the differing points.
        a = b = 0.0
        for _point, first, second in rows:
            a += _score(party, first)
            b += _score(party, second)
        page.click(f"[data-choose='{0 if a >= b else 1}']")
        answered += 1
        page.wait_for_function(f"() => document.getElementById('q-h').textContent.includes('Question {answered + 1}') "
                               "|| !document.getElementById('confirm').hidden")
    if page.is_hidden("#confirm"):
        page.click("#enough")
    page.wait_for_selector("#confirm", state="visible")
    # No question left: no answer buttons either (a display rule once beat their `hidden`).
    assert page.is_hidden("#choose") and page.is_hidden("#enough")
    fitted = page.inner_text("#fit")
    assert "% of what matters" in fitted and not re.search(r"^(donetsk|nato|army|assets):", fitted, re.M), fitted
    page.fill("#f-walk", "25")
    page.check("#f-cvis-full")
    page.wait_for_selector("#choice-preview .summary")
    page.click("#save-choices")
    return answered


_LABELS: dict[str, tuple[str, str]] = {}


def _score(party: str, label: str) -> float:
    """The party's estimated value (0–100) of the option with this label, weighted by its importance."""
    if not _LABELS:
        import accord

        for issue in accord.load(FLAGSHIP).issues:
            for option in issue.options:
                _LABELS[option.label] = (issue.id, option.id)
    issue, option = _LABELS[label]
    rated = flagship_ratings(party)
    return rated["importance"].get(issue, 0.0) * rated["ratings"].get(issue, {}).get(option, 0.0)


def test_a_round_in_three_browsers(chromium: str, tmp_path: Path) -> None:
    _round(chromium, tmp_path, {})


def _dump(watches: dict[str, Watch]) -> None:
    """What each browser showed when the round stopped, for whoever reads the failure."""
    ARTIFACTS.mkdir(exist_ok=True)
    for name, watch in watches.items():
        for k, page in enumerate(watch.pages):
            try:
                page.screenshot(path=str(ARTIFACTS / f"pages-failure-{name}-{k}.png"), full_page=True)
                print(name, k, page.url, [t for t in page.locator(".form-status").all_inner_texts() if t])
            except Exception as error:
                print(name, k, "no screenshot:", error)
        print(name, "console errors:", watch.errors[:5])


def _round(chromium: str, tmp_path: Path, watches: dict[str, Watch]) -> None:
    import accord

    scenario = accord.load(FLAGSHIP)
    issues = [{"id": i.id, "options": [{"id": o.id} for o in i.options]} for i in scenario.issues]
    with live_service(tmp_path / "accord.db") as (base, app), sync_api.sync_playwright() as p:
        add_account(app, "mediator@example.org", "The Mediator")
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        contexts = {}
        for name in ("mediator", "ua", "ru", "observer"):
            contexts[name] = browser.new_context(viewport={"width": 1280, "height": 900})
            watches[name] = Watch(name, contexts[name], base)
        med = watches["mediator"].page(contexts["mediator"])
        try:

            # -- the mediator: sign in, create the negotiation from the flagship file, invite --
            sign_in(med, base, "mediator@example.org")
            med.click("text=Start a negotiation from a scenario file")
            # A file over the service's limit is said before it is sent, in megabytes.
            limit = int(med.get_attribute("#f-scenario", "data-max-bytes") or 0)
            assert limit > 0
            med.set_input_files("#f-scenario", files=[{"name": "huge.toml", "mimeType": "application/toml",
                                                        "buffer": b"#" * (limit + 1)}])
            med.click("text=Create the negotiation")
            med.wait_for_selector("form .form-status.error:has-text('accepts files up to')")
            assert not watches["mediator"].errors, watches["mediator"].errors  # nothing was sent
            med.set_input_files("#f-scenario", str(FLAGSHIP))
            med.click("text=Create the negotiation")
            med.wait_for_url(re.compile(rf"{base}/n/[0-9a-f]+$"))
            nid = med.url.rsplit("/", 1)[-1]
            # A delegate needs a party: said at the field, before anything is sent.
            med.select_option("#f-role", "delegate")
            med.select_option("#f-party", "")
            med.click("text=Create the invitation link")
            no_party = med.locator("#parties [data-error-for='party']")
            no_party.wait_for(state="visible")
            assert "party this delegate speaks for" in no_party.inner_text()
            links = {
                "ua": invite(med, "delegate", "ua", "umerov@example.org"),
                "ru": invite(med, "delegate", "ru", "ushakov@example.org"),
                "observer": invite(med, "observer", None, "student@example.org"),
            }

            # -- a form with a mistake: the message is next to the field, what was typed stays --
            # An empty title is caught before anything is sent, in words (not "string too short").
            med.fill("#f-id", "Not an id!")
            med.fill("#f-title", "")
            med.click("#publish-button")
            missing = med.locator("#publish [data-error-for='title']")
            missing.wait_for(state="visible")
            assert "title" in missing.inner_text() and med.get_attribute("#f-title", "aria-invalid") == "true"
            assert not watches["mediator"].errors, "the empty title was sent to the service"
            med.fill("#f-title", "A draft with a bad id")
            med.click("#publish-button")
            error = med.locator("#publish [data-error-for='id']")
            error.wait_for(state="visible")
            assert error.inner_text().strip() and med.input_value("#f-id") == "Not an id!"
            assert med.get_attribute("#f-id", "aria-invalid") == "true"
            # Chromium reports the refused request itself on the console; that one is expected.
            expected = [e for e in watches["mediator"].errors if "status of 422" in e and "/texts" in e]
            assert len(expected) == len(watches["mediator"].errors) == 1, watches["mediator"].errors
            watches["mediator"].errors.clear()

            # -- Ukraine: accept the invitation, enter preferences by rating, keyboard only --
            ua = watches["ua"].page(contexts["ua"])
            accept(ua, links["ua"], "umerov@example.org", "R. Umerov", nid, base)
            ua.click("text=Enter your preferences")
            ua.wait_for_url(f"{base}/n/{nid}/preferences")
            shoot(ua, "preference-form")
            rated = flagship_ratings("ua")
            # Importances off the round numbers, so that Ukraine's weights are telltales (below).
            rated["importance"] = {k: v + 0.3 for k, v in rated["importance"].items()}
            presses = keyboard_preferences(ua, issues, rated)
            ua.wait_for_url(f"{base}/n/{nid}")
            assert presses > 100

            # -- a stale edit: a second tab of Ukraine's form is saved after the first one was --
            ua2 = watches["ua"].page(contexts["ua"])
            ua2.goto(f"{base}/n/{nid}/preferences")
            ua.goto(f"{base}/n/{nid}/preferences")
            ua.click("#save-preferences")  # the same numbers again: now version 2
            ua.wait_for_url(f"{base}/n/{nid}")
            point = issues[0]["id"]
            ua2.fill(f"#f-w-{point}", "1")
            ua2.click("#save-preferences")
            stored = ua2.locator(f"#preferences [data-error-for='importance.{point}']")
            stored.wait_for(state="visible")
            assert "Stored meanwhile" in stored.inner_text() and "you typed 1)" in stored.inner_text()
            assert "Someone else saved" in " ".join(ua2.locator("#preferences .form-status").all_inner_texts())
            assert ua2.input_value(f"#f-w-{point}") == "1"  # what was typed stays
            # Only the changed field is marked: the others hold what is stored.
            marked = ua2.locator("#preferences .field-error:visible").all_inner_texts()
            assert len(marked) == 1, marked
            stale = [e for e in watches["ua"].errors if "status of 409" in e]
            assert len(stale) == len(watches["ua"].errors) == 1, watches["ua"].errors
            watches["ua"].errors.clear()
            ua2.close()

            # -- Russia: by pairwise choices, shown back for confirmation --
            ru = watches["ru"].page(contexts["ru"])
            accept(ru, links["ru"], "ushakov@example.org", "Y. Ushakov", nid, base)
            ru.goto(f"{base}/n/{nid}/preferences/choices")
            ru.wait_for_selector("table.pair")
            shoot(ru, "pairwise-choices")
            answered = answer_choices(ru, "ru")
            ru.wait_for_url(f"{base}/n/{nid}")
            assert answered >= 3

            # -- the mediator publishes a version (the current one with its open points closed) --
            med.goto(f"{base}/n/{nid}")
            med.wait_for_selector("#deal .answer")
            med.fill("#f-id", "mediator-1")
            med.fill("#f-title", "Mediator's first draft")
            for issue, option in (("donetsk", "withdraw-dmz"), ("recognition", "de-facto-us"), ("znpp", "iaea-50-50")):
                med.select_option(f"#f-positions-{issue}", option)
            med.click("#publish-button")
            med.wait_for_selector("#now-h:has-text('mediator-1')")
            med.evaluate("window.__notReloaded = true")

            # -- both comment and vote; the second vote appears on the desk without a reload --
            for page, party, verdict in ((ua, "ua", "reject"), (ru, "ru", "accept_with_reservations")):
                page.goto(f"{base}/n/{nid}")
                page.select_option("#f-c-point", "elections")
                page.fill("#act #f-body", f"{party}: the timing of elections needs more thought.")
                page.click("#comment-button")
                page.wait_for_selector(f"#comments li:has-text('{party}: the timing')")
                page.check(f"#f-verdict-{verdict}")
                if verdict == "accept_with_reservations":
                    # Reservations without their points: said at the field before anything is sent.
                    page.click("#vote-button")
                    unnamed = page.locator("#act [data-error-for='points']")
                    unnamed.wait_for(state="visible")
                    assert "points your reservations are about" in unnamed.inner_text()
                    page.check("#f-vp-elections")
                page.click("#vote-button")
                page.wait_for_selector("#my-vote:has-text('You voted')")
            med.wait_for_selector("[data-vote='ua']")
            med.wait_for_selector("[data-vote='ru']")
            assert med.evaluate("window.__notReloaded === true"), "the desk reloaded to show the votes"
            shoot(ua, "delegation-room")

            # -- the suggested amendment, in one click; both mark it acceptable; the agreement appears --
            med.wait_for_selector("#deal #draft-smallest")
            med.wait_for_function("() => document.querySelector('#deal h3') && "
                                  "document.querySelector('#deal h3').textContent.includes('mediator-1')")
            shoot(med, "mediator-desk")
            med.click("#draft-smallest")
            med.wait_for_selector("#publish .notice")
            med.fill("#f-id", "mediator-2")
            med.fill("#f-title", "Mediator's proposal")
            med.click("#publish-button")
            med.wait_for_selector("#now-h:has-text('mediator-2')")
            for page in (med, ua, ru):
                page.evaluate("window.__notReloaded = true")
            for page in (ua, ru):
                page.wait_for_selector("[data-accept='mediator-2']")  # arrived live
                page.click("[data-accept='mediator-2']")
                page.wait_for_selector("#versions .tag.yes, #agreement h2")
            for page in (med, ua, ru):
                page.wait_for_selector("#agreement h2:has-text('Agreement declared')")
                assert "Mediator's proposal" in page.inner_text("#agreement")  # by its title
            assert med.evaluate("window.__notReloaded === true"), "the desk reloaded to show the agreement"
            for page in (ua, ru):
                assert page.evaluate("window.__notReloaded === true"), "a delegate's room reloaded"
            shoot(med, "mediator-desk-agreed")
            # The lineage is drawn as a tree: a revision sits indented under the version it revises.
            root = med.locator("#version-tree > ul.tree > li > .node").first.bounding_box()
            child = med.locator("#version-tree ul.tree ul.tree .node").first.bounding_box()
            assert root and child and child["x"] > root["x"] + 8, (root, child)

            # -- the observer: the public record --
            obs = watches["observer"].page(contexts["observer"])
            accept(obs, links["observer"], "student@example.org", "A student", nid, base)
            obs.wait_for_selector("#agreement h2")
            shoot(obs, "observer-record")

            # -- what no one may see: another party's numbers, in any page or response of a delegate --
            mediator_view = med.evaluate(
                f"fetch('/api/v1/negotiations/{nid}/preferences').then(r => r.json())"
            )
            submitted = {
                party: med.evaluate(f"fetch('/api/v1/negotiations/{nid}/preferences/{party}').then(r => r.json())")
                for party in ("ua", "ru")
            }
            estimates = {p: scenario.preferences[p].model_dump(mode="json") for p in scenario.preferences}
            checked: dict[str, int] = {}
            for party, other in (("ua", "ru"), ("ru", "ua")):
                own = numbers_in(submitted[party]["preferences"]) | numbers_in(estimates[party])
                theirs = numbers_in(submitted[other]["preferences"]) | set().union(
                    *(numbers_in(e) for p, e in estimates.items() if p != party)
                )
                forbidden = telltales(theirs, own)
                assert forbidden, "the check needs telltale numbers to look for"
                page = ua if party == "ua" else ru
                seen = [("DOM", page.content()), *watches[party].bodies]
                leaks = [(url, s) for url, body in seen for s in forbidden if s in body]
                assert not leaks, f"{party}'s browser saw another party's numbers: {leaks[:5]}"
                checked[party] = len(forbidden)
            assert mediator_view and submitted["ru"]["preferences"]["basis"].startswith("fitted to")

            assert not TOO_WIDE, f"pages wider than a 390 px screen: {TOO_WIDE}"
            serious = {name: found for name, found in A11Y.items() if found}
            assert not serious, f"serious accessibility violations: {serious}"
            for name, watch in watches.items():
                assert not watch.foreign(), f"{name}'s browser asked another address: {watch.foreign()[:5]}"
                assert not watch.errors, f"console errors on {name}'s pages: {watch.errors[:5]}"
        except Exception:
            _dump(watches)
            raise
        browser.close()
    print(json.dumps({"keyboard_presses": presses, "pairwise_answers": answered, "telltales": checked,
                      "axe": A11Y_ALL}))
