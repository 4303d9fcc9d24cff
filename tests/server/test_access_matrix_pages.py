"""Every page route × every kind of viewer: who gets which page, and that no page shows Ukraine's data.

The API's matrix (:mod:`tests.server.test_access_matrix`) reads its endpoints from
the OpenAPI document; the pages are not in it (``include_in_schema=False``), so
this matrix reads the app's own routes instead: a page route without an entry in
:data:`PAGES` fails :func:`test_every_page_route_has_an_entry`.

Each page is fetched by each viewer of the API matrix's world (anonymous, an
outsider mediator, an administrator, the mediator, Ukraine's and Russia's
delegates, an observer).  Ukraine shares ``analysis-only`` and its preferences are
the canary ones, so no page for anyone but Ukraine's delegates may hold its
canary numbers — as the API spells them or as the preference form spells them
(×100) — its confidential comment, vote or proposal, or a number computed from
its preferences; and no page for anyone but the mediator names the unpublished
version.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.server.context import ROLES, World, build_world, canary_preferences, ua_derived
from tests.server.helpers import Service, expect
from tests.server.test_access_matrix import _leaks, app_routes

MEMBERS = frozenset({"mediator", "ua", "ru", "observer"})
DELEGATES = frozenset({"ua", "ru"})


@dataclass(frozen=True)
class Page:
    """Who may open a page (``allowed``) and the status the others get, after the defaults."""

    allowed: frozenset[str]
    ok: int = 200
    method: str = "GET"
    negotiation: bool = True
    denied: dict[str, int] = field(default_factory=dict)
    #: A JSON helper of the pages' script: the anonymous get the API's 401, not the sign-in page.
    json: bool = False

    def expected(self, role: str) -> int:
        if role in self.denied:
            return self.denied[role]
        if role in self.allowed:
            return self.ok
        if role == "anonymous":
            return 401 if self.json else 303  # to /sign-in?next=…
        if self.negotiation and role in {"outsider", "admin"}:
            return 404  # not a member: the negotiation does not exist for them
        return 403


#: method and path → who may open it.  ``/n/{nid}`` is each member's own page (the mediator's desk,
#: a delegation's room, the observer's record); the chart is the mediators' (Ukraine shares results
#: only, so there is no chart of its utilities: 404 even to them).
PAGES: dict[str, Page] = {
    "GET /": Page(MEMBERS | {"outsider", "admin"}, negotiation=False),
    "GET /sign-in": Page(frozenset(ROLES), negotiation=False),
    "GET /new": Page(MEMBERS | {"outsider", "admin"}, negotiation=False),
    # An unknown token: the page says it cannot be used (404), to anyone, signed in or not.
    "GET /invite/{token}": Page(frozenset(), negotiation=False, denied=dict.fromkeys(ROLES, 404)),
    "GET /n/{nid}": Page(MEMBERS),
    "GET /n/{nid}/record": Page(MEMBERS),
    "GET /n/{nid}/frontier.svg": Page(frozenset(), denied={"mediator": 404}),
    "GET /n/{nid}/preferences": Page(DELEGATES),
    "GET /n/{nid}/preferences/choices": Page(DELEGATES),
    "POST /n/{nid}/preferences/ratings": Page(DELEGATES, method="POST", json=True),
    "POST /n/{nid}/preferences/choices/next": Page(DELEGATES, method="POST", json=True),
    "POST /n/{nid}/preferences/choices/fit": Page(DELEGATES, method="POST", json=True),
}

#: A body each JSON helper accepts from a delegate (the fit needs an answer: one from the questions).
BODIES: dict[str, Any] = {
    "/preferences/ratings": {
        "importance": {"donetsk": 60, "army": 20},
        "ratings": {"donetsk": {"hold-line": 100, "withdraw-dmz": 0, "free-economic-zone": 40, "mutual-pullback": 70},
                    "army": {"no-cap": 100, "cap-800k": 80, "cap-600k": 40, "cap-85k": 0}},
        "walk_away": 50,
    },
    "/preferences/choices/next": {"answers": []},
}


def page_routes(app: Any) -> set[str]:
    """The app's routes that are not the JSON API, its documentation or the static files."""
    return {
        r for r in app_routes(app)
        if not r.split(" ", 1)[1].startswith(("/api/", "/docs"))
        and not r.startswith("MOUNT ")
    }


def test_every_page_route_has_an_entry(sqlite_service: Service) -> None:
    found = page_routes(sqlite_service.app)
    assert "GET /n/{nid}" in found and "POST /n/{nid}/preferences/ratings" in found, found
    assert found - set(PAGES) == set(), "page routes without an entry in the pages' access matrix"
    assert set(PAGES) - found == set(), "matrix entries for page routes that do not exist"
    # The only mount is the static files: no second way in that the matrix would not see.
    assert {r for r in app_routes(sqlite_service.app) if r.startswith("MOUNT ")} == {"MOUNT /static"}


def test_the_route_walk_sees_the_api(sqlite_service: Service) -> None:
    """The walk itself: it must find the API's routes too (a walk that found nothing would pass above)."""
    from tests.server.test_access_matrix import routes

    documented = routes(sqlite_service.app)
    walked = {r for r in app_routes(sqlite_service.app) if r.split(" ", 1)[1].startswith("/api/")}
    assert documented and documented <= walked


def _form_spellings(prefs: dict[str, Any]) -> set[str]:
    """Ukraine's canary numbers as the rating form writes them (0–100, two decimals), where they cannot
    be a coincidence: the walk-away and every option rating that is not a round number."""
    out = {f"{round(100 * prefs['reservation'], 2):g}"}
    for table in prefs["values"].values():
        for value in table.values():
            shown = f"{round(100 * value, 2):g}"
            if "." in shown and len(shown.split(".")[1]) == 2:
                out.add(shown)
    return out


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with Service.start(f"sqlite:///{tmp_path_factory.mktemp('pages-matrix') / 'accord.db'}") as service:
        yield build_world(service)


def _open(world: World, key: str, page: Page, role: str) -> tuple[int, str]:
    method, template = key.split(" ", 1)
    path = template.format(nid=world.nid, token="inv_unknown")
    actor = world.actor(role)
    if method == "GET":
        response = actor.client.get(path, follow_redirects=False)
    else:
        suffix = path.split(world.nid, 1)[-1]
        headers = {"X-CSRF-Token": actor.csrf} if actor.csrf else {}
        body = BODIES.get(suffix, {"answers": []})
        if suffix.endswith("/fit"):
            # One real answer, to the first question a delegate would be asked (anyone else: refused).
            asker = world.actor("ru")
            asked = expect(asker.client.post(f"/n/{world.nid}/preferences/choices/next", json={"answers": []},
                                             headers={"X-CSRF-Token": asker.csrf} if asker.csrf else {}), 200)
            first = asked["question"]
            body = {"answers": [{"first": first["first"], "second": first["second"], "chosen": 0}],
                    "walk_away": 40}
        response = actor.client.post(path, json=body, headers=headers)
    return response.status_code, response.text


def test_pages_access_matrix(world: World) -> None:
    outcomes, answers = [], []
    for key, page in PAGES.items():
        for role in ROLES:
            status, text = _open(world, key, page, role)
            assert status < 500, f"{key} as {role}: {status} {text[:300]}"
            if status != page.expected(role):
                outcomes.append(f"{key} as {role}: expected {page.expected(role)}, got {status}: {text[:160]}")
            answers.append((key, role, status, text))
    assert not outcomes, "\n".join(outcomes)

    derived = ua_derived(world, [])
    spellings = _form_spellings(canary_preferences())
    assert len(spellings) > 10, "the check needs Ukraine's form numbers to look for"
    # The positive control: Ukraine's own preference form holds them, so the search can find them.
    own = next(t for k, r, _, t in answers if k == "GET /n/{nid}/preferences" and r == "ua")
    assert len({s for s in spellings if s in own}) > 10, "Ukraine's form does not show its own numbers"

    leaks = []
    for key, role, _, text in answers:
        if role == "ua":
            continue
        leaks += [f"{key} as {role}: {leak}" for leak in _leaks(world, role, text, derived)]
        leaks += [f"{key} as {role}: Ukraine's {s} as the form writes it" for s in spellings if s in text]
    assert not leaks, "\n".join(leaks[:40])


def test_the_mediators_desk_hides_what_ukraine_keeps(world: World) -> None:
    """Ukraine shares results only: its row on the desk has a verdict but no utility or walk-away."""
    import re

    status, html = _open(world, "GET /n/{nid}", PAGES["GET /n/{nid}"], "mediator")
    assert status == 200 and "Mediator's desk" in html
    verdicts = [r for r in re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", html, flags=re.S)
                if 'data-label="Utility"' in r]
    rows = [r for r in verdicts if re.match(r"<tr>\s*<th scope=\"row\">Ukraine", r)]
    assert rows, "no row for Ukraine in the desk's verdicts"
    assert all(row.count(">hidden<") >= 2 for row in rows), rows[0][:400]
    russia = [r for r in verdicts if re.match(r"<tr>\s*<th scope=\"row\">Russia", r)]
    assert russia and ">hidden<" not in russia[0], "Russia shares everything: its numbers show"
