"""Every endpoint × every kind of viewer: who gets what, and that nothing of Ukraine's leaks.

The endpoints come from the app's own OpenAPI document, so a new endpoint
without an entry in :data:`MATRIX` fails :func:`test_every_endpoint_has_an_entry`.
Viewers: anonymous, an administrator and another negotiation's mediator (both
outsiders here), the mediator, Ukraine's and Russia's delegates, an observer.

For every answer to anyone but Ukraine's delegate, the test also looks for
Ukraine's canary numbers and for every utility (and margin) Ukraine's
preferences give to any package that answer or the texts mention: 0 leaks,
through data, errors and the event stream alike.  Ukraine chose
``analysis-only``, so even the mediator may see results computed from its
preferences but no number.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.server.context import (
    CANARY_TEXTS,
    ROLES,
    UNPUBLISHED,
    World,
    build_world,
    numbers_in,
    ua_derived,
)
from tests.server.helpers import PASSWORD, Service, expect

ANY_ACCOUNT = frozenset({"outsider", "admin", "mediator", "ua", "ru", "observer"})
MEMBERS = frozenset({"mediator", "ua", "ru", "observer"})
PARTICIPANTS = frozenset({"mediator", "ua", "ru"})
MEDIATOR = frozenset({"mediator"})
DELEGATES = frozenset({"ua", "ru"})
UA = frozenset({"ua"})
EVERYONE = frozenset(ROLES)

Request = dict[str, Any]


@dataclass(frozen=True)
class Entry:
    """Who may (``allowed``) and how the others are refused (``denied``, after the defaults)."""

    allowed: frozenset[str]
    ok: frozenset[int] = frozenset({200})
    negotiation: bool = True
    denied: dict[str, int] = field(default_factory=dict)
    request: Callable[[World, str], Request] | None = None
    #: Send from a new cookie jar (logging in must not log the actor's own client in).
    fresh_client: bool = False

    def expected(self, role: str) -> frozenset[int]:
        if role in self.denied:
            return frozenset({self.denied[role]})
        if role in self.allowed:
            return self.ok
        if role == "anonymous":
            return frozenset({401})
        if self.negotiation and role in {"outsider", "admin"}:
            return frozenset({404})
        return frozenset({403})


def body(value: Any) -> Callable[[World, str], Request]:
    return lambda world, role: {"json": value}


def _fresh_invitation(world: World, role: str = "observer") -> dict[str, Any]:
    return expect(
        world.actor("mediator").post(f"/negotiations/{world.nid}/invitations", json={"role": role}), 201
    )


def _fresh_member(world: World) -> int:
    newcomer = world.service.actor("Newcomer")
    token = _fresh_invitation(world)["token"]
    expect(newcomer.post("/invitations/accept", json={"token": token}), 200)
    return newcomer.account_id


def _pending_delegate(world: World, role: str) -> Request:
    """A delegate who joined by a link not bound to an email: waiting for a mediator's confirmation."""
    newcomer = world.service.actor("Pending delegate")
    invitation = expect(
        world.actor("mediator").post(
            f"/negotiations/{world.nid}/invitations", json={"role": "delegate", "party": "us"}
        ),
        201,
    )
    assert (
        expect(newcomer.post("/invitations/accept", json={"token": invitation["token"]}), 200)["status"]
        == "pending"
    )
    assert newcomer.get(f"/negotiations/{world.nid}").status_code == 404
    return {"path": {"account_id": newcomer.account_id}}


def _version(world: World, path: str) -> str:
    response = (
        world.actor("mediator").get(path) if "preferences/ua" not in path else world.actor("ua").get(path)
    )
    return response.headers.get("etag", '"1"')


def _login(world: World, role: str) -> Request:
    email, _ = world.service.account("Login test")
    return {"json": {"email": email, "password": PASSWORD}}


def _own_token(world: World, role: str) -> Request:
    if role == "anonymous":
        return {"path": {"token_id": "nothing"}}
    created = expect(world.actor(role).post("/tokens", json={"name": "to revoke"}), 201)
    return {"path": {"token_id": created["id"]}}


def _structure(world: World, role: str) -> Request:
    current = expect(world.actor("mediator").get(f"/negotiations/{world.nid}/structure"), 200)
    settled = current["structure"]["settled"]
    return {"json": {"settled": settled}, "headers": {"If-Match": f'"{current["version"]}"'}}


def _ua_preferences(world: World, role: str) -> Request:
    from tests.server.context import canary_preferences

    etag = world.actor("ua").get(f"/negotiations/{world.nid}/preferences/ua").headers["etag"]
    return {
        "json": {"visibility": "analysis-only", "preferences": canary_preferences()},
        "headers": {"If-Match": etag},
    }


def _estimate(world: World, role: str) -> Request:
    from tests.server.helpers import flagship_preferences

    etag = world.actor("mediator").get(f"/negotiations/{world.nid}/estimates/us").headers.get("etag")
    return {"json": flagship_preferences("us"), "headers": {"If-Match": etag} if etag else {}}


def _delete_estimate(world: World, role: str) -> Request:
    from tests.server.helpers import flagship_preferences

    mediator = world.actor("mediator")
    response = mediator.get(f"/negotiations/{world.nid}/estimates/us")
    if response.status_code == 404:
        response = mediator.put(f"/negotiations/{world.nid}/estimates/us", json=flagship_preferences("us"))
    return {"path": {"party": "us"}, "headers": {"If-Match": response.headers["etag"]}}


def _vote(world: World, role: str) -> Request:
    etag = None
    if role in DELEGATES:
        votes = expect(world.actor(role).get(f"/negotiations/{world.nid}/texts/plan-28/votes"), 200)["votes"]
        etag = f'"{votes[0]["version"]}"' if votes else None
    return {"json": {"verdict": "reject"}, "headers": {"If-Match": etag} if etag else {}}


def _new_text(world: World, role: str) -> Request:
    import secrets

    return {
        "json": {
            "id": f"t-{secrets.token_hex(3)}",
            "title": "A version",
            "parent": "plan-20",
            "positions": {"donetsk": "hold-line"},
        }
    }


def _fresh_draft(world: World, role: str) -> Request:
    import secrets

    text_id = f"d-{secrets.token_hex(3)}"
    expect(
        world.actor("mediator").post(
            f"/negotiations/{world.nid}/texts",
            params={"publish": "false"},
            json={
                "id": text_id,
                "title": "To publish",
                "parent": "plan-20",
                "positions": {"donetsk": "hold-line"},
            },
        ),
        201,
    )
    return {"path": {"text_id": text_id}}


def _pending_amendment(world: World, role: str) -> dict[str, Any]:
    return expect(
        world.actor("ua").post(
            f"/negotiations/{world.nid}/amendments",
            json={"base": "plan-20", "changes": {"amnesty": "full-amnesty"}},
        ),
        201,
    )


def _decision(world: World, role: str) -> Request:
    amendment = _pending_amendment(world, role)
    return {
        "path": {"aid": amendment["id"]},
        "json": {"decision": "decline"},
        "headers": {"If-Match": f'"{amendment["version"]}"'},
    }


def _withdraw(world: World, role: str) -> Request:
    amendment = _pending_amendment(world, role)
    return {
        "path": {"aid": amendment["id"]},
        "json": {},
        "headers": {"If-Match": f'"{amendment["version"]}"'},
    }


def _withdraw_acceptance(world: World, role: str) -> Request:
    mark = expect(
        world.actor("ua").post(f"/negotiations/{world.nid}/acceptances", json={"text": "plan-28"}), 201
    )
    return {"path": {"acceptance_id": mark["acceptance"]["id"]}}


def _mark(world: World, role: str) -> Request:
    """Packages no two parties both mark (an agreement would change what the rest of the matrix sees)."""
    if role != "ru":
        return {"json": {"text": "e3-counter"}}
    text = expect(world.actor("mediator").get(f"/negotiations/{world.nid}/texts/plan-28"), 200)["text"]
    return {"json": {"positions": {**text["positions"], "donetsk": "mutual-pullback"}}}


def _accept_invitation(world: World, role: str) -> Request:
    spare = world.ids.get("spare")
    host = world.actor("spare")
    if spare is None:
        from tests.server.helpers import create_negotiation

        spare = world.ids["spare"] = create_negotiation(host)
    invitation = expect(host.post(f"/negotiations/{spare}/invitations", json={"role": "observer"}), 201)
    return {"json": {"token": invitation["token"]}}


MATRIX: dict[str, Entry] = {
    "POST /api/v1/session": Entry(EVERYONE, negotiation=False, request=_login, fresh_client=True),
    "GET /api/v1/session": Entry(ANY_ACCOUNT, negotiation=False),
    # The actors here use API tokens: a token has no session to end.
    "DELETE /api/v1/session": Entry(frozenset(), negotiation=False, denied={r: 400 for r in ANY_ACCOUNT}),
    "GET /api/v1/account": Entry(ANY_ACCOUNT, negotiation=False),
    "PATCH /api/v1/account": Entry(ANY_ACCOUNT, negotiation=False, request=body({"name": "Renamed"})),
    "POST /api/v1/accounts": Entry(
        frozenset({"admin"}),
        ok=frozenset({201}),
        negotiation=False,
        request=lambda w, r: {
            "json": {"email": f"new.{r}.{len(w.ids)}@example.org", "name": "New", "password": PASSWORD}
        },
    ),
    "GET /api/v1/tokens": Entry(ANY_ACCOUNT, negotiation=False),
    "POST /api/v1/tokens": Entry(
        ANY_ACCOUNT, ok=frozenset({201}), negotiation=False, request=body({"name": "t"})
    ),
    "DELETE /api/v1/tokens/{token_id}": Entry(
        ANY_ACCOUNT, ok=frozenset({204}), negotiation=False, request=_own_token
    ),
    "GET /api/v1/invitations/{token}": Entry(
        EVERYONE, negotiation=False, request=lambda w, r: {"path": {"token": _fresh_invitation(w)["token"]}}
    ),
    # An invitation to a third negotiation (joining this one would change who sees what here).
    "POST /api/v1/invitations/accept": Entry(ANY_ACCOUNT, negotiation=False, request=_accept_invitation),
    "GET /api/v1/negotiations": Entry(ANY_ACCOUNT, negotiation=False),
    "POST /api/v1/negotiations": Entry(
        ANY_ACCOUNT,
        ok=frozenset({201}),
        negotiation=False,
        request=lambda w, r: {
            "json": {
                "scenario": {"title": "scratch"},
                "parties": [{"id": "a", "name": "A", "role": "principal"}],
                "issues": [{"id": "x", "title": "X", "options": [{"id": "o", "label": "O"}]}],
            }
        },
    ),
    "GET /api/v1/negotiations/{nid}": Entry(MEMBERS),
    "GET /api/v1/negotiations/{nid}/structure": Entry(MEMBERS),
    "PATCH /api/v1/negotiations/{nid}/structure": Entry(MEDIATOR, request=_structure),
    "GET /api/v1/negotiations/{nid}/members": Entry(MEMBERS),
    "DELETE /api/v1/negotiations/{nid}/members/{account_id}": Entry(
        MEDIATOR, ok=frozenset({204}), request=lambda w, r: {"path": {"account_id": _fresh_member(w)}}
    ),
    "POST /api/v1/negotiations/{nid}/members/{account_id}/confirm": Entry(
        MEDIATOR, request=_pending_delegate
    ),
    "GET /api/v1/negotiations/{nid}/invitations": Entry(MEDIATOR),
    "POST /api/v1/negotiations/{nid}/invitations": Entry(
        MEDIATOR, ok=frozenset({201}), request=body({"role": "observer"})
    ),
    "DELETE /api/v1/negotiations/{nid}/invitations/{invitation_id}": Entry(
        MEDIATOR,
        ok=frozenset({204}),
        request=lambda w, r: {"path": {"invitation_id": _fresh_invitation(w)["id"]}},
    ),
    "GET /api/v1/negotiations/{nid}/export": Entry(MEMBERS),
    "GET /api/v1/negotiations/{nid}/audit": Entry(MEMBERS),
    "GET /api/v1/negotiations/{nid}/preferences": Entry(PARTICIPANTS),
    "GET /api/v1/negotiations/{nid}/preferences/{party}": Entry(frozenset({"mediator", "ua"})),
    "PUT /api/v1/negotiations/{nid}/preferences/{party}": Entry(UA, request=_ua_preferences),
    "GET /api/v1/negotiations/{nid}/estimates/{party}": Entry(
        MEDIATOR, request=lambda w, r: {"path": {"party": "us"}}
    ),
    "PUT /api/v1/negotiations/{nid}/estimates/{party}": Entry(
        MEDIATOR, ok=frozenset({200, 201}), request=lambda w, r: {"path": {"party": "us"}, **_estimate(w, r)}
    ),
    "DELETE /api/v1/negotiations/{nid}/estimates/{party}": Entry(
        MEDIATOR, ok=frozenset({204}), request=_delete_estimate
    ),
    "GET /api/v1/negotiations/{nid}/texts": Entry(MEMBERS),
    "POST /api/v1/negotiations/{nid}/texts": Entry(MEDIATOR, ok=frozenset({201}), request=_new_text),
    "GET /api/v1/negotiations/{nid}/texts/{text_id}": Entry(MEMBERS),
    "POST /api/v1/negotiations/{nid}/texts/{text_id}/publish": Entry(MEDIATOR, request=_fresh_draft),
    "GET /api/v1/negotiations/{nid}/texts/{text_id}/comments": Entry(PARTICIPANTS),
    "POST /api/v1/negotiations/{nid}/texts/{text_id}/comments": Entry(
        PARTICIPANTS, ok=frozenset({201}), request=body({"body": "a comment"})
    ),
    "GET /api/v1/negotiations/{nid}/texts/{text_id}/votes": Entry(PARTICIPANTS),
    "PUT /api/v1/negotiations/{nid}/texts/{text_id}/vote": Entry(
        DELEGATES, ok=frozenset({200, 201}), request=_vote
    ),
    "GET /api/v1/negotiations/{nid}/amendments": Entry(PARTICIPANTS),
    "POST /api/v1/negotiations/{nid}/amendments": Entry(
        DELEGATES,
        ok=frozenset({201}),
        request=body({"base": "plan-20", "changes": {"amnesty": "full-amnesty"}}),
    ),
    # Another party's amendment is not even said to exist.
    "GET /api/v1/negotiations/{nid}/amendments/{aid}": Entry(
        frozenset({"mediator", "ua"}), denied={"ru": 404, "observer": 404}
    ),
    "POST /api/v1/negotiations/{nid}/amendments/{aid}/decision": Entry(MEDIATOR, request=_decision),
    "POST /api/v1/negotiations/{nid}/amendments/{aid}/withdraw": Entry(
        UA, request=_withdraw, denied={"ru": 404, "observer": 404}
    ),
    "GET /api/v1/negotiations/{nid}/acceptances": Entry(DELEGATES),
    "POST /api/v1/negotiations/{nid}/acceptances": Entry(
        DELEGATES, ok=frozenset({201}), request=lambda w, r: _mark(w, r)
    ),
    "DELETE /api/v1/negotiations/{nid}/acceptances/{acceptance_id}": Entry(
        UA, ok=frozenset({204}), request=_withdraw_acceptance, denied={"ru": 404}
    ),
    "GET /api/v1/negotiations/{nid}/agreement": Entry(MEMBERS),
    # Allowed to the mediator, who is told there is no agreement to improve yet.
    "POST /api/v1/negotiations/{nid}/agreement/improvement": Entry(
        MEDIATOR, ok=frozenset({409}), request=body({"pick": 1, "text_id": "imp", "title": "Improved"})
    ),
    "GET /api/v1/negotiations/{nid}/analysis": Entry(MEMBERS, request=lambda w, r: {"params": {"wait": 30}}),
    "GET /api/v1/negotiations/{nid}/statements": Entry(MEMBERS),
    "POST /api/v1/negotiations/{nid}/statements": Entry(
        MEDIATOR,
        ok=frozenset({201}),
        request=body({"statement": {"speaker": "ua", "date": "2025-12-01", "quote": "q"}}),
    ),
    "GET /api/v1/negotiations/{nid}/meetings": Entry(MEMBERS),
    "POST /api/v1/negotiations/{nid}/meetings": Entry(
        MEDIATOR,
        ok=frozenset({201}),
        request=body({"meeting": {"date": "2025-12-01", "place": "Geneva", "participants": ["ua", "us"]}}),
    ),
    "GET /api/v1/negotiations/{nid}/events": Entry(
        MEMBERS, request=lambda w, r: {"params": {"after": "start"}}
    ),
    "GET /api/v1/health": Entry(EVERYONE, negotiation=False),
}


def routes(app: Any) -> set[str]:
    schema = app.openapi()
    return {f"{method.upper()} {path}" for path, methods in schema["paths"].items() for method in methods}


def app_routes(app: Any) -> set[str]:
    """Every "METHOD /path" the app answers, through included routers (FastAPI 0.165 wraps them)."""
    from starlette.routing import Mount, Route

    found: set[str] = set()

    def walk(routes: list[Any], prefix: str) -> None:
        for route in routes:
            if hasattr(route, "original_router"):
                walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif isinstance(route, Route):
                for method in route.methods or ():
                    if method != "HEAD":
                        found.add(f"{method} {prefix}{route.path}")
            elif isinstance(route, Mount):
                found.add(f"MOUNT {prefix}{route.path}")

    walk(app.routes, "")
    return found



def test_every_endpoint_has_an_entry(sqlite_service: Service) -> None:
    documented = routes(sqlite_service.app)
    # Every API route is in the OpenAPI document (none hidden from the matrix that way).  The walk
    # goes into the included routers: the app's top level holds only the health check and wrappers.
    api = {r for r in app_routes(sqlite_service.app) if r.split(" ", 1)[1].startswith("/api/v1")}
    # The documentation itself (the Swagger page and the OpenAPI document) holds no one's data.
    api -= {r for r in api if r.split(" ", 1)[1].startswith(("/api/v1/docs", "/api/v1/openapi.json"))}
    assert len(api) > 30, "the route walk found too few API routes"
    assert api - documented == set(), "API routes missing from the OpenAPI document"
    assert documented - set(MATRIX) == set(), "endpoints without an access-matrix entry"
    assert set(MATRIX) - documented == set(), "matrix entries for endpoints that do not exist"


def _call(world: World, key: str, entry: Entry, role: str) -> tuple[int, Any]:
    method, template = key.split(" ", 1)
    spec = entry.request(world, role) if entry.request else {}
    values = {
        "nid": world.nid,
        "party": "ua",
        "text_id": "plan-28",
        "aid": world.ids["amendment"],
        "acceptance_id": world.ids["acceptance"],
        "token": "inv_x",
        "token_id": "x",
        "invitation_id": "x",
        "account_id": 0,
        **spec.get("path", {}),
    }
    path = template.format(**values)
    actor = world.service.anonymous() if entry.fresh_client else world.actor(role)
    kwargs: dict[str, Any] = {k: spec[k] for k in ("json", "params", "headers") if k in spec}
    if key.endswith("/events") and method == "GET":
        with actor.client.stream(
            "GET", path, params=kwargs.get("params"), headers=kwargs.get("headers")
        ) as response:
            if response.status_code != 200:
                response.read()
                return response.status_code, response.json()
            text = ""
            # Replay comes first; the first keep-alive (every second here) means it is complete.
            for line in response.iter_lines():
                if line.startswith(": keep-alive"):
                    break
                text += line + "\n"
            return 200, text
    response = actor.request(method, path, **kwargs)
    content = response.headers.get("content-type", "")
    data = response.json() if content.startswith("application/json") and response.content else response.text
    return response.status_code, data


def _leaks(world: World, role: str, data: Any, derived: set[float]) -> list[str]:
    text = data if isinstance(data, str) else json.dumps(data)
    found = [f"canary {c}" for c in CANARY_TEXTS if c in text]
    if role != "mediator":  # an unpublished version is the mediators' alone
        found += [f"unpublished version {u!r}" for u in UNPUBLISHED if u in text]
    if role != "mediator":  # the mediators see a party's votes, comments to them and amendments
        found += [
            f"ua's confidential {what}"
            for what in ("comment", "vote", "own proposal")
            if f"ua's {what}" in text
        ]
    if role == "mediator" and not isinstance(data, str):
        # What the mediators may see of the other parties (Russia's 'full', the estimates of the rest)
        # has numbers of every precision (a sampled mean margin): only what is not theirs is searched.
        data = _without(data, VISIBLE_TO_MEDIATOR)
    numbers = numbers_in(data) if not isinstance(data, str) else _numbers_in_text(text)
    for number in numbers:
        for value in derived:
            if abs(number - value) < 1.5e-6:
                found.append(f"{number} (one of Ukraine's utilities or margins)")
    return found


VISIBLE_TO_MEDIATOR = frozenset({"ru", "us", "eu"})


def _without(value: Any, keys: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_without(v, keys) for v in value]
    return value


def _numbers_in_text(text: str) -> list[float]:
    """The decimal numbers written in a text (an event stream), timestamps left out.

    A timestamp's seconds and microseconds (``13:14:00.042796``) read as a number
    of their own and once matched one of Ukraine's margins by chance.
    """
    import re

    text = re.sub(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?", " ", text)
    return [float(x) for x in re.findall(r"(?<![\d.:])-?\d+\.\d{3,}", text)]


def test_the_text_scan_skips_timestamps() -> None:
    stream = 'data: {"at": "2026-12-02T13:14:00.042796+00:00", "margin": -0.042796}\n'
    assert _numbers_in_text(stream) == [-0.042796]


def test_access_matrix(service: Service) -> None:
    world = build_world(service)
    outcomes: list[str] = []
    answers: list[tuple[str, str, Any]] = []
    for key, entry in MATRIX.items():
        for role in ROLES:
            status, data = _call(world, key, entry, role)
            assert status < 500, f"{key} as {role}: {status} {data}"
            if status not in entry.expected(role):
                outcomes.append(
                    f"{key} as {role}: expected {sorted(entry.expected(role))}, got {status}: "
                    f"{str(data)[:200]}"
                )
            answers.append((key, role, data))
    assert not outcomes, "\n".join(outcomes)
    # No one but Ukraine's delegates ever sees Ukraine's numbers or anything computed from them.
    derived = ua_derived(world, [data for _, _, data in answers if not isinstance(data, str)])
    assert len(derived) > 50, "the leak check needs Ukraine's utilities to look for"
    leaks = [
        f"{key} as {role}: {leak}"
        for key, role, data in answers
        if role != "ua"
        for leak in _leaks(world, role, data, derived)
    ]
    assert not leaks, "\n".join(leaks[:40])


@pytest.fixture(scope="module")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with Service.start(f"sqlite:///{tmp_path_factory.mktemp('world') / 'accord.db'}") as service:
        yield build_world(service)


def test_the_leak_check_finds_a_leak(small_world: World) -> None:
    """The oracle itself: Ukraine's own answers contain its numbers, so the check must fire on them."""
    world = small_world
    own = expect(world.actor("ua").get(f"/negotiations/{world.nid}/analysis"), 200)
    prefs = expect(world.actor("ua").get(f"/negotiations/{world.nid}/preferences/ua"), 200)
    derived = ua_derived(world, [own])
    assert _leaks(world, "ru", own, derived), "Ukraine's own analysis shows its utilities"
    assert any("canary" in leak for leak in _leaks(world, "ru", prefs, derived))
    # And a mediator's view of Russia ('full') does show Russia's numbers.
    mediator = expect(world.actor("mediator").get(f"/negotiations/{world.nid}/analysis"), 200)
    ru_verdict = mediator["evaluation"][0]["parties"]["ru"]
    assert ru_verdict["utility"][0] is not None and ru_verdict["numbers_hidden"] is False
    ua_verdict = mediator["evaluation"][0]["parties"]["ua"]
    assert ua_verdict["utility"] is None and ua_verdict["acceptable"] is False


@pytest.mark.parametrize("role", ["ru", "observer", "mediator"])
def test_events_carry_nothing_of_ukraines(small_world: World, role: str) -> None:
    world = small_world
    _, text = _call(
        world, "GET /api/v1/negotiations/{nid}/events", MATRIX["GET /api/v1/negotiations/{nid}/events"], role
    )
    assert "event: ready" in text and "event: text.published" in text
    # Acceptances are blind, even to the mediators: no one sees Ukraine's marks.
    assert '"stream":"private:ua"' not in text and "private:ua" not in text
    if role == "mediator":
        assert "acceptance.marked" not in text and '"stream":"private:' not in text
    if role != "mediator":
        assert '"stream":"party:ua"' not in text and "ua's confidential comment" not in text
        assert "ua's vote" not in text and "ua's own proposal" not in text
    else:
        assert '"stream":"party:ua"' in text and "ua's vote" in text  # what Ukraine shares with them
    assert not [c for c in CANARY_TEXTS if c in text]
    # An unpublished version: the mediators hear of it; everyone else does not, even by its id.
    assert ("event: text.drafted" in text) == (role == "mediator")
    assert (UNPUBLISHED[0] in text) == (role == "mediator")
