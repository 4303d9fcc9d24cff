"""The flagship negotiation driven end to end through the HTTP API, as the issue's "done when" says.

create → invite → submit preferences → publish → vote → blind acceptances →
agreement → improvement → export → audit verify, by a mediator and two
delegates (Ukraine and Russia), each with their own client.  Used by
``test_flow.py`` in-process (both databases) and against a real
``accord serve`` process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.server.helpers import FLAGSHIP, PASSWORD, Actor, expect, flagship_preferences

Client = Any


def login(client: Client, email: str, password: str) -> Actor:
    body = expect(client.post("/api/v1/session", json={"email": email, "password": password}), 200)
    return Actor(email, body["account"]["name"], body["account"]["id"], client, csrf=body["csrf_token"])


def register_by_invitation(new_client: Callable[[], Client], token: str, email: str, name: str) -> Actor:
    anonymous = new_client()
    body = expect(
        anonymous.post(
            "/api/v1/invitations/accept",
            json={"token": token, "email": email, "name": name, "password": PASSWORD},
        ),
        202,
    )
    assert body["status"] == "accepted"
    return login(new_client(), email, PASSWORD)


def run_flagship(
    new_client: Callable[[], Client], mediator_email: str, mediator_password: str
) -> dict[str, Any]:
    """Run the whole flow; returns what the caller checks afterwards (ids, the export)."""
    mediator = login(new_client(), mediator_email, mediator_password)

    # -- create, from the flagship scenario file; its estimates become the mediators' --
    state = expect(
        mediator.post(
            "/negotiations",
            content=FLAGSHIP.read_bytes(),
            headers={"Content-Type": "application/toml", "Idempotency-Key": "create-1"},
        ),
        201,
    )
    nid = state["id"]
    assert state["role"] == "mediator" and state["must_accept"] == ["ua", "ru"]
    assert [t["id"] for t in state["texts"]] == ["plan-28", "geneva-framework", "e3-counter", "plan-20"]
    # A retried create (same key, same body) is applied once.
    again = mediator.post(
        "/negotiations",
        content=FLAGSHIP.read_bytes(),
        headers={"Content-Type": "application/toml", "Idempotency-Key": "create-1"},
    )
    assert expect(again, 201)["id"] == nid and again.headers.get("Idempotent-Replayed") == "true"
    assert len(expect(mediator.get("/negotiations"), 200)["negotiations"]) == 1

    # -- invite two delegates; they create their accounts through the invitations --
    tokens = {}
    for party in ("ua", "ru"):
        invitation = expect(
            mediator.post(
                f"/negotiations/{nid}/invitations",
                json={
                    "role": "delegate",
                    "party": party,
                    "expires_in_hours": 24,
                    "email": f"{party}.{nid}@example.org",
                },
            ),
            201,
        )
        tokens[party] = invitation["token"]
    preview = expect(new_client().get(f"/api/v1/invitations/{tokens['ua']}"), 200)
    assert preview["role"] == "delegate" and preview["party"] == "ua" and preview["party_name"] == "Ukraine"
    ua = register_by_invitation(new_client, tokens["ua"], f"ua.{nid}@example.org", "Umerov")
    ru = register_by_invitation(new_client, tokens["ru"], f"ru.{nid}@example.org", "Ushakov")
    # Single use: the same link does not work twice.
    expect(new_client().get(f"/api/v1/invitations/{tokens['ua']}"), 404)
    assert expect(ua.get(f"/negotiations/{nid}"), 200)["party"] == "ua"

    # -- confidential preferences: Ukraine lets the mediators see results only, Russia everything --
    expect(
        ua.put(
            f"/negotiations/{nid}/preferences/ua",
            json={"visibility": "analysis-only", "preferences": flagship_preferences("ua")},
        ),
        201,
    )
    expect(
        ru.put(
            f"/negotiations/{nid}/preferences/ru",
            json={"visibility": "full", "preferences": flagship_preferences("ru")},
        ),
        201,
    )
    expect(ru.get(f"/negotiations/{nid}/preferences/ua"), 403)  # never another party's
    seen = expect(mediator.get(f"/negotiations/{nid}/preferences/ua"), 200)
    assert seen["preferences"] is None and seen["visibility"] == "analysis-only"
    assert expect(mediator.get(f"/negotiations/{nid}/preferences/ru"), 200)["preferences"]["reservation"]

    # -- the mediators' analysis; then they publish the package it finds acceptable to both --
    analysis = _ready(mediator, nid)
    assert (
        analysis["profile"]["ua"]["source"] == "submitted"
        and not analysis["profile"]["ua"]["numbers_visible"]
    )
    assert analysis["profile"]["us"]["source"] == "estimate"
    feasibility = analysis["feasibility"]
    assert feasibility["feasible"] is True and feasibility["margins"]["ua"] is None
    assert feasibility["margins"]["ru"] is not None
    # The smallest amendment of the 20-point framework that both can accept (it closes the open points).
    smallest = analysis["amendment"]["smallest"]
    assert analysis["amendment"]["text"] == "plan-20" and smallest["margins"]["ua"] is None
    package = smallest["positions"]
    proposal = {
        "id": "mediator-1",
        "title": "Mediator's proposal",
        "parent": "plan-20",
        "positions": package,
        "notes": "The smallest amendment of plan-20 both can accept.",
    }
    published = expect(
        mediator.post(f"/negotiations/{nid}/texts", json=proposal, headers={"Idempotency-Key": "publish-1"}),
        201,
    )
    assert published["lineage"][-2:] == ["plan-20", "mediator-1"]

    # -- each delegate sees its own verdict only, and votes --
    own = _ready(ua, nid)
    verdicts = {t["id"]: t["verdict"] for t in own["texts"]}
    assert verdicts["mediator-1"]["acceptable"] is True and set(own) >= {"texts", "party"}
    assert all(set(t) == {"id", "title", "open_points", "verdict"} for t in own["texts"])
    vote = expect(
        ua.put(
            f"/negotiations/{nid}/texts/mediator-1/vote",
            json={
                "verdict": "accept_with_reservations",
                "points": ["elections"],
                "note": "The timing of elections needs security first.",
            },
        ),
        201,
    )
    expect(ru.put(f"/negotiations/{nid}/texts/mediator-1/vote", json={"verdict": "accept"}), 201)
    # A revised vote must name the version it revises.
    expect(ua.put(f"/negotiations/{nid}/texts/mediator-1/vote", json={"verdict": "accept"}), 428)
    expect(
        ua.put(
            f"/negotiations/{nid}/texts/mediator-1/vote",
            json={"verdict": "accept"},
            headers={"If-Match": f'"{vote["version"]}"'},
        ),
        200,
    )
    votes = expect(mediator.get(f"/negotiations/{nid}/texts/mediator-1/votes"), 200)["votes"]
    assert sorted(v["party"] for v in votes) == ["ru", "ua"]
    assert [
        v["party"] for v in expect(ru.get(f"/negotiations/{nid}/texts/mediator-1/votes"), 200)["votes"]
    ] == ["ru"]

    # -- blind acceptances: nothing is learnt until both have marked the same package --
    first = expect(ua.post(f"/negotiations/{nid}/acceptances", json={"text": "mediator-1"}), 201)
    assert first["agreement"] is None
    assert expect(ru.get(f"/negotiations/{nid}/acceptances"), 200)["acceptances"] == []
    expect(mediator.get(f"/negotiations/{nid}/acceptances"), 403)
    assert expect(mediator.get(f"/negotiations/{nid}/agreement"), 200)["agreement"] is None
    second = expect(ru.post(f"/negotiations/{nid}/acceptances", json={"positions": package}), 201)
    agreement = second["agreement"]
    assert agreement is not None and agreement["text"] == "mediator-1" and agreement["kind"] == "agreement"
    assert expect(ua.get(f"/negotiations/{nid}/agreement"), 200)["agreement"]["seq"] == 1

    # -- post-agreement improvement: at least as good for all, better for some; offered to all --
    analysis = _ready(mediator, nid)
    improvement = analysis["improvement"]
    assert improvement is not None and improvement["improvements"], "the flagship agreement can be improved"
    best = improvement["improvements"][0]
    assert all(g is None or g >= -1e-9 for g in best["gains"].values())
    assert best["gains"]["ua"] is None  # analysis-only: no numbers of Ukraine's
    assert any(g is not None and g > 1e-9 for g in best["gains"].values())
    offer = expect(
        mediator.post(
            f"/negotiations/{nid}/agreement/improvement",
            json={"pick": 1, "text_id": "improved-1", "title": "Improved agreement"},
        ),
        201,
    )
    assert offer["text"]["parent"] == "mediator-1" and offer["origin"] == "improvement"
    for delegate in (ua, ru):
        own = {t["id"]: t["verdict"] for t in _ready(delegate, nid)["texts"]}
        before, after = own["mediator-1"]["utility"][0], own["improved-1"]["utility"][0]
        assert after >= before - 1e-9, "no party is worse off under its own submitted preferences"
    # Only the offer can be accepted now.
    expect(ua.post(f"/negotiations/{nid}/acceptances", json={"text": "plan-28"}), {409, 422})
    expect(ua.post(f"/negotiations/{nid}/acceptances", json={"text": "improved-1"}), 201)
    final = expect(ru.post(f"/negotiations/{nid}/acceptances", json={"text": "improved-1"}), 201)["agreement"]
    assert final["kind"] == "improvement" and final["text"] == "improved-1" and final["seq"] == 2

    # -- export: the public record, and with the mediators' estimates --
    public = expect(mediator.get(f"/negotiations/{nid}/export"), 200)
    with_estimates = expect(
        mediator.get(f"/negotiations/{nid}/export", params={"preferences": "estimates"}), 200
    )
    assert "0.2719" not in public and "[preferences" not in public
    return {
        "nid": nid,
        "mediator": mediator,
        "ua": ua,
        "ru": ru,
        "public_export": public,
        "estimates_export": with_estimates,
    }


def _ready(actor: Actor, nid: str) -> dict[str, Any]:
    body = expect(actor.get(f"/negotiations/{nid}/analysis", params={"wait": 30}), 200)
    assert body["status"] == "ready", body
    return body  # type: ignore[no-any-return]
