"""Confidentiality rules found missing by the second review (notes: review-12), each with its oracle.

* the analysis cache key is a hash of every party's preferences: never shown;
* what a mediator sees of an analysis is an allow-list: a field the library adds is shown to no one;
* a hidden party's blockers name the points that block, not its favourite option on every point.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.server.context import World, build_world
from tests.server.helpers import Service, expect

NEW = "NEWFIELD-7731"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with Service.start(f"sqlite:///{tmp_path_factory.mktemp('conf') / 'accord.db'}") as service:
        yield build_world(service)


def _raw_bundle(world: World) -> tuple[dict[str, Any], Any]:
    """The mediators' bundle as computed (not yet redacted), and the input it was computed from."""
    from accord.server import analytics
    from accord.server.db.models import Negotiation
    from accord.server.jobs import mediator_bundle

    services = world.service.services
    with services.db.read() as session:
        negotiation = session.get(Negotiation, world.nid)
        spec = analytics.mediator_input(session, services, negotiation)
    return mediator_bundle(spec.document, spec.params), spec


def test_the_analysis_input_key_is_not_shown(world: World) -> None:
    """The key hashes Ukraine's analysis-only numbers: with it a mediator could test guesses offline."""
    _, spec = _raw_bundle(world)
    assert "ua" in spec.hidden
    for role in ("mediator", "ua", "ru", "observer"):
        body = expect(world.actor(role).get(f"/negotiations/{world.nid}/analysis", params={"wait": 30}), 200)
        assert spec.key not in json.dumps(body), role
    events = world.actor("mediator").get(f"/negotiations/{world.nid}/audit")
    assert spec.key not in events.text


def _inject(value: Any, ids: set[str]) -> Any:
    """A copy with a new field in every table that is a record (not a map keyed by party or issue)."""
    if isinstance(value, list):
        return [_inject(v, ids) for v in value]
    if isinstance(value, dict):
        out = {k: _inject(v, ids) for k, v in value.items()}
        if value and not set(value) <= ids:
            out[f"zz_{NEW}"] = {"number": 0.123456, "label": NEW}
        return out
    return value


def test_a_field_the_library_adds_is_not_shown(world: World) -> None:
    """Every record of every result gains a field; the redaction (allow-list) must drop them all."""
    from accord.server.access import redact_bundle

    bundle, _ = _raw_bundle(world)
    assert bundle["status"] == "ready"
    structure = expect(world.actor("mediator").get(f"/negotiations/{world.nid}/structure"), 200)["structure"]
    ids = {p["id"] for p in structure["parties"]} | {i["id"] for i in structure["issues"]}
    ids |= set(bundle["solutions"]["solutions"])  # a map by solution name
    injected = _inject(copy.deepcopy(bundle), ids)
    assert json.dumps(injected).count(NEW) > 100  # the oracle: the new fields are there to be dropped
    for hidden in ({"ua"}, set()):
        shown = json.dumps(redact_bundle(injected, hidden))
        assert NEW not in shown, f"hidden={hidden}: {shown[shown.find(NEW) - 300 : shown.find(NEW) + 50]}"
        # and what is allowed is still there: the same answer as without the new fields
        assert json.loads(shown) == redact_bundle(bundle, hidden)


def test_allowed_results_are_still_shown(world: World) -> None:
    """The allow-list is not an empty answer: a visible party's numbers and the shared results stay."""
    body = expect(world.actor("mediator").get(f"/negotiations/{world.nid}/analysis"), 200)
    ru = body["evaluation"][0]["parties"]["ru"]
    assert ru["numbers_hidden"] is False and ru["utility"][0] is not None and ru["reservation"] is not None
    assert body["feasibility"]["positions"] and "feasible" in body["feasibility"]
    assert body["feasibility"]["margins"]["ru"] is not None and body["feasibility"]["margins"]["ua"] is None
    assert all(s["positions"] for s in body["solutions"]["solutions"].values())
    assert body["frontier"]["points"] and body["amendment"]["text"] == body["text"]


def test_a_hidden_partys_blockers_name_only_what_blocks(world: World) -> None:
    bundle, _ = _raw_bundle(world)
    raw = bundle["evaluation"][0]["parties"]["ua"]["blockers"]
    assert any(not m["required"] for m in raw["ranking"])  # the library ranks every point
    body = expect(world.actor("mediator").get(f"/negotiations/{world.nid}/analysis"), 200)
    shown = body["evaluation"][0]["parties"]["ua"]["blockers"]
    assert [m["issue"] for m in shown["ranking"]] == sorted(
        m["issue"] for m in raw["ranking"] if m["required"]
    )
    assert {m["issue"] for m in shown["smallest_fix"]} == {m["issue"] for m in raw["smallest_fix"]}
    assert all("gain" not in m for m in shown["ranking"] + shown["smallest_fix"])
    for reason in body["evaluation"][0]["parties"]["ua"]["reasons"]:
        assert not any(ch.isdigit() for ch in reason["message"]), reason


# -- unpublished versions ------------------------------------------------------------------------


def test_an_unpublished_version_is_the_mediators_alone(world: World) -> None:
    from tests.server.context import UNPUBLISHED

    nid, draft = world.nid, UNPUBLISHED[0]
    mediator = world.actor("mediator")
    listed = expect(mediator.get(f"/negotiations/{nid}/texts"), 200)["texts"]
    assert {t["id"]: t["published"] for t in listed}[draft] is False
    assert expect(mediator.get(f"/negotiations/{nid}/texts/after-draft"), 200)["lineage"][-2] == draft
    for role in ("ua", "ru", "observer"):
        actor = world.actor(role)
        ids = [t["id"] for t in expect(actor.get(f"/negotiations/{nid}/texts"), 200)["texts"]]
        assert draft not in ids and "after-draft" in ids
        assert expect(actor.get(f"/negotiations/{nid}"), 200)["current_text"] == "after-draft"
        assert actor.get(f"/negotiations/{nid}/texts/{draft}").status_code == 404
        child = expect(actor.get(f"/negotiations/{nid}/texts/after-draft"), 200)
        # Its parent, as they see it, is the nearest published ancestor; the changes are from that one.
        assert child["text"]["parent"] == "plan-28" and draft not in child["lineage"]
        assert [c["issue"] for c in child["changes"]] == ["donetsk"]
        assert child["changes"][0]["to"] == "hold-line"
        exported = actor.get(f"/negotiations/{nid}/export", params={"format": "json"})
        assert exported.status_code == 200 and draft not in exported.text and "after-draft" in exported.text
    for role in ("ua", "ru"):
        assert (
            world.actor(role)
            .put(f"/negotiations/{nid}/texts/{draft}/vote", json={"verdict": "accept"})
            .status_code
            == 404
        )
        marked = world.actor(role).post(f"/negotiations/{nid}/acceptances", json={"text": draft})
        assert marked.status_code == 422 and draft in marked.text  # "unknown text", as for any other id
        own = expect(world.actor(role).get(f"/negotiations/{nid}/analysis"), 200)
        assert draft not in json.dumps(own)
    # Comments on it stay among the mediators.
    to_all = mediator.post(
        f"/negotiations/{nid}/texts/{draft}/comments", json={"body": "x", "audience": "participants"}
    )
    assert to_all.status_code == 409
    expect(mediator.post(f"/negotiations/{nid}/texts/{draft}/comments", json={"body": "note to self"}), 201)


def test_publishing_a_version_shows_it_to_everyone(tmp_path: Any) -> None:
    from tests.server.helpers import create_negotiation, join

    with Service.start(f"sqlite:///{tmp_path / 'accord.db'}") as service:
        mediator, observer = service.actor("Mediator"), service.actor("Observer")
        nid = create_negotiation(mediator)
        join(mediator, nid, observer, "observer")
        new = {
            "id": "working",
            "title": "Working",
            "parent": "plan-28",
            "positions": {"donetsk": "hold-line"},
        }
        expect(mediator.post(f"/negotiations/{nid}/texts", params={"publish": "false"}, json=new), 201)
        assert observer.get(f"/negotiations/{nid}/texts/working").status_code == 404
        before = expect(observer.get(f"/negotiations/{nid}"), 200)["state_version"]
        out = expect(mediator.post(f"/negotiations/{nid}/texts/working/publish"), 200)
        assert out["published"] is True
        assert mediator.post(f"/negotiations/{nid}/texts/working/publish").status_code == 409
        seen = expect(observer.get(f"/negotiations/{nid}/texts/working"), 200)
        assert seen["text"]["parent"] == "plan-28"
        state = expect(observer.get(f"/negotiations/{nid}"), 200)
        assert state["current_text"] == "working" and state["state_version"] == before + 1
        from accord.server.audit import verify

        with service.services.db.read() as session:
            report = verify(session, nid)
        assert report.ok, report.problems


def test_the_state_version_moves_only_with_what_the_viewer_sees(world: World) -> None:
    """Another party's acceptance, vote or submission must not show as a change to this one."""
    nid = world.nid
    ua, ru = world.actor("ua"), world.actor("ru")
    first = ua.get(f"/negotiations/{nid}")
    version, tag = first.json()["state_version"], first.headers["etag"]
    listed = {n["id"]: n["state_version"] for n in expect(ua.get("/negotiations"), 200)["negotiations"]}
    assert listed[nid] == version
    theirs = expect(ru.get(f"/negotiations/{nid}"), 200)["state_version"]
    expect(ru.post(f"/negotiations/{nid}/acceptances", json={"text": "after-draft"}), 201)
    expect(ru.put(f"/negotiations/{nid}/texts/e3-counter/vote", json={"verdict": "reject"}), 201)
    again = ua.get(f"/negotiations/{nid}", headers={"If-None-Match": tag})
    assert again.status_code == 304, again.text
    assert expect(ua.get(f"/negotiations/{nid}"), 200)["state_version"] == version
    assert {n["id"]: n["state_version"] for n in expect(ua.get("/negotiations"), 200)["negotiations"]}[
        nid
    ] == version
    # ... while Russia's own view does move (by its acceptance and its vote).
    assert expect(ru.get(f"/negotiations/{nid}"), 200)["state_version"] == theirs + 2
