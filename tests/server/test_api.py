"""Bodies, versions and keys: the library's messages, 409 with the current state, retried creates once."""

from __future__ import annotations

import threading
from typing import Any

from tests.server.helpers import (
    FLAGSHIP,
    JOB_OFFER,
    Service,
    create_negotiation,
    expect,
    flagship_preferences,
    join,
)


def _world(service: Service) -> tuple[Any, Any, Any, str]:
    mediator, ua, ru = service.actor("Mediator"), service.actor("UA"), service.actor("RU")
    nid = create_negotiation(mediator)
    join(mediator, nid, ua, "delegate", "ua")
    join(mediator, nid, ru, "delegate", "ru")
    return mediator, ua, ru, nid


def test_preferences_errors_are_the_files_messages_at_body_paths(service: Service) -> None:
    _, ua, _, nid = _world(service)
    prefs = flagship_preferences("ua")
    prefs["values"]["donetsk"]["hold-lin"] = prefs["values"]["donetsk"].pop("hold-line")
    prefs["reservation"] = 1.5
    prefs["wieghts"] = prefs.pop("weights")
    response = ua.put(
        f"/negotiations/{nid}/preferences/ua", json={"visibility": "full", "preferences": prefs}
    )
    body = expect(response, 422)
    problems = [(p["path"], p["message"]) for p in body["problems"]]
    assert ("preferences.reservation", "must be between 0 and 1, got 1.5") in problems
    assert ("preferences", "unknown key 'wieghts' (did you mean 'weights'?)") in problems
    assert any(
        path.startswith("preferences.values.donetsk")
        and "unknown option 'hold-lin' for issue 'donetsk' (did you mean 'hold-line'?)" in message
        for path, message in problems
    )
    # The same document as a file gives the same messages (paths relative to the file there).
    import tomllib

    from accord.errors import ScenarioError
    from accord.model.validate import scenario_from_document

    document = tomllib.loads(FLAGSHIP.read_text())
    document["preferences"]["ua"] = prefs
    try:
        scenario_from_document(document, "f.toml")
    except ScenarioError as error:
        file_messages = {p.message for p in error.problems}
    assert {p["message"] for p in body["problems"]} <= file_messages


def test_bad_bodies_are_4xx_with_a_place(service: Service) -> None:
    mediator, ua, _, nid = _world(service)
    broken = mediator.post(
        f"/negotiations/{nid}/texts",
        content=b'{"id": "x",\n "title": }',
        headers={"Content-Type": "application/json"},
    )
    assert broken.status_code == 400 and broken.json()["problems"][0]["path"] == "line 2, column 11"
    wrong_type = mediator.post(
        f"/negotiations/{nid}/texts", content=b"id = 1", headers={"Content-Type": "text/plain"}
    )
    assert wrong_type.status_code == 415
    text = mediator.post(
        f"/negotiations/{nid}/texts",
        json={"id": "t1", "title": "T", "parent": "plan-2O", "positions": {"donetsk": "hold-lines"}},
    )
    problems = {p["path"]: p["message"] for p in expect(text, 422)["problems"]}
    assert "did you mean 'plan-20'" in problems["parent"]
    assert "did you mean 'hold-line'" in problems["positions.donetsk"]
    vote = ua.put(f"/negotiations/{nid}/texts/plan-28/vote", json={"verdict": "acept"})
    assert "did you mean 'accept'" in expect(vote, 422)["problems"][0]["message"]
    toml = mediator.post(
        "/negotiations", content=b"[scenario]\ntitle = \n", headers={"Content-Type": "application/toml"}
    )
    assert toml.status_code == 400 and toml.json()["problems"][0]["path"].startswith("line 2")
    scratch = mediator.post("/negotiations", json={"scenario": {"title": "t"}, "parties": [], "issues": []})
    assert {p["path"] for p in expect(scratch, 422)["problems"]} >= {"parties", "issues"}


def test_a_negotiation_from_scratch_needs_no_preferences(service: Service) -> None:
    mediator = service.actor("Mediator")
    state = expect(
        mediator.post(
            "/negotiations",
            json={
                "scenario": {"title": "Two parties"},
                "parties": [
                    {"id": "a", "name": "A", "role": "principal"},
                    {"id": "b", "name": "B", "role": "principal"},
                ],
                "issues": [
                    {
                        "id": "x",
                        "title": "X",
                        "options": [{"id": "o1", "label": "1"}, {"id": "o2", "label": "2"}],
                    }
                ],
            },
        ),
        201,
    )
    assert state["must_accept"] == ["a", "b"] and state["texts"] == []
    analysis = expect(mediator.get(f"/negotiations/{state['id']}/analysis", params={"wait": 10}), 200)
    assert analysis["status"] == "unavailable" and analysis["missing"] == ["a", "b"]


def test_stale_writes_get_409_with_the_current_state(service: Service) -> None:
    mediator, ua, _, nid = _world(service)
    structure = expect(mediator.get(f"/negotiations/{nid}/structure"), 200)
    settled = structure["structure"]["settled"]
    missing = mediator.patch(f"/negotiations/{nid}/structure", json={"settled": settled})
    assert missing.status_code == 428
    first = mediator.patch(
        f"/negotiations/{nid}/structure", json={"settled": settled[:-1]}, headers={"If-Match": '"1"'}
    )
    assert expect(first, 200)["version"] == 2 and first.headers["etag"] == '"2"'
    stale = mediator.patch(
        f"/negotiations/{nid}/structure", json={"settled": settled}, headers={"If-Match": '"1"'}
    )
    body = expect(stale, 409)
    assert body["current"]["version"] == 2 and body["current"]["structure"]["settled"] == settled[:-1]
    # Preferences likewise: the second of two writers based on version 1 is refused, not lost.
    created = expect(
        ua.put(
            f"/negotiations/{nid}/preferences/ua",
            json={"visibility": "none", "preferences": flagship_preferences("ua")},
        ),
        201,
    )
    update = {"visibility": "full", "preferences": flagship_preferences("ua")}
    expect(ua.put(f"/negotiations/{nid}/preferences/ua", json=update, headers={"If-Match": '"1"'}), 200)
    lost = ua.put(
        f"/negotiations/{nid}/preferences/ua",
        json={**update, "visibility": "none"},
        headers={"If-Match": f'"{created["version"]}"'},
    )
    assert expect(lost, 409)["current"]["version"] == 2


def test_structure_errors_do_not_reveal_hidden_preferences(service: Service) -> None:
    mediator, ua, _, nid = _world(service)
    expect(
        ua.put(
            f"/negotiations/{nid}/preferences/ua",
            json={"visibility": "analysis-only", "preferences": flagship_preferences("ua")},
        ),
        201,
    )
    structure = expect(mediator.get(f"/negotiations/{nid}/structure"), 200)
    issues = structure["structure"]["issues"]
    for issue in issues:  # drop the option that is one of Ukraine's red lines
        if issue["id"] == "recognition":
            issue["options"] = [o for o in issue["options"] if o["id"] != "international"]
    body = expect(
        mediator.patch(
            f"/negotiations/{nid}/structure",
            json={"issues": issues},
            headers={"If-Match": f'"{structure["version"]}"'},
        ),
        422,
    )
    text = str(body)
    assert "red_lines" not in text and "preferences.ua." not in text
    assert any(
        p["path"] == "preferences.ua" and "its delegates must revise them" in p["message"]
        for p in body["problems"]
    )


def test_idempotency_keys_apply_a_create_once(service: Service) -> None:
    mediator, _, _, nid = _world(service)
    statement = {"statement": {"speaker": "ua", "date": "2025-12-01", "quote": "once"}}
    headers = {"Idempotency-Key": "k-1"}
    first = expect(mediator.post(f"/negotiations/{nid}/statements", json=statement, headers=headers), 201)
    again = mediator.post(f"/negotiations/{nid}/statements", json=statement, headers=headers)
    assert expect(again, 201) == first and again.headers["Idempotent-Replayed"] == "true"
    other = mediator.post(
        f"/negotiations/{nid}/statements", json={**statement, "published": False}, headers=headers
    )
    assert other.status_code == 422 and "different request" in other.json()["error"]
    quotes = [
        s["statement"]["quote"] for s in expect(mediator.get(f"/negotiations/{nid}/statements"), 200)["items"]
    ]
    assert quotes.count("once") == 1


def test_concurrent_last_acceptances_declare_one_agreement(service: Service) -> None:
    """Both parties mark the same package at the same moment: exactly one agreement, told to both."""
    mediator = service.actor("Recruiter")
    dana, north = service.actor("Dana"), service.actor("Northwind")
    nid = create_negotiation(mediator, JOB_OFFER)
    join(mediator, nid, dana, "delegate", "dana")
    join(mediator, nid, north, "delegate", "northwind")
    texts = expect(mediator.get(f"/negotiations/{nid}/texts"), 200)["texts"]
    complete = next(t["id"] for t in texts if not t["open_points"])
    results: dict[str, Any] = {}
    barrier = threading.Barrier(2)

    def mark(name: str, actor: Any) -> None:
        barrier.wait()
        results[name] = actor.post(f"/negotiations/{nid}/acceptances", json={"text": complete})

    threads = [threading.Thread(target=mark, args=(n, a)) for n, a in (("dana", dana), ("north", north))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    agreements = [expect(r, 201)["agreement"] for r in results.values()]
    assert sum(a is not None for a in agreements) == 1  # the second mark made the overlap
    history = expect(dana.get(f"/negotiations/{nid}/agreement"), 200)["history"]
    assert len(history) == 1 and history[0]["text"] == complete


def test_acceptances_are_blind_until_overlap(service: Service) -> None:
    mediator, ua, ru, nid = _world(service)
    mark = expect(ua.post(f"/negotiations/{nid}/acceptances", json={"text": "plan-28"}), 201)
    # Russia's view is the same whether or not Ukraine marked anything.
    assert expect(ru.get(f"/negotiations/{nid}/acceptances"), 200) == {"acceptances": []}
    state_before = expect(ru.get(f"/negotiations/{nid}"), 200)
    assert state_before["agreement"] is None
    open_text = ru.post(f"/negotiations/{nid}/acceptances", json={"text": "plan-20"})
    assert open_text.status_code == 422 and "leaves points open" in open_text.json()["problems"][0]["message"]
    expect(ua.delete(f"/negotiations/{nid}/acceptances/{mark['acceptance']['id']}"), 204)
    expect(ru.post(f"/negotiations/{nid}/acceptances", json={"text": "plan-28"}), 201)
    assert expect(mediator.get(f"/negotiations/{nid}/agreement"), 200)["agreement"] is None  # withdrawn first


def test_amendments_reach_the_mediators_only_and_can_be_published(service: Service) -> None:
    mediator, ua, ru, nid = _world(service)
    proposal = expect(
        ua.post(
            f"/negotiations/{nid}/amendments",
            json={
                "base": "plan-20",
                "changes": {"donetsk": "hold-line", "znpp": None},
                "note": "hold the line",
            },
        ),
        201,
    )
    assert expect(ru.get(f"/negotiations/{nid}/amendments"), 200)["amendments"] == []
    decided = expect(
        mediator.post(
            f"/negotiations/{nid}/amendments/{proposal['id']}/decision",
            json={"decision": "publish", "text_id": "plan-20b", "title": "Amended"},
            headers={"If-Match": '"1"'},
        ),
        200,
    )
    assert decided["status"] == "published" and decided["result_text"] == "plan-20b"
    text = expect(ru.get(f"/negotiations/{nid}/texts/plan-20b"), 200)
    assert text["text"]["positions"]["donetsk"] == "hold-line" and "znpp" not in text["text"]["positions"]
    assert text["origin"] == "mediator"  # not told whose proposal it was
    kinds = {c["issue"]: c["kind"] for c in text["changes"]}
    assert kinds == {"donetsk": "closed"}  # Donetsk was open in plan-20; the nuclear plant stays open


def test_state_reads_are_cached_and_conditional(service: Service) -> None:
    mediator, _, _, nid = _world(service)
    first = mediator.get(f"/negotiations/{nid}")
    tag = first.headers["etag"]
    assert mediator.get(f"/negotiations/{nid}", headers={"If-None-Match": tag}).status_code == 304
    expect(
        mediator.post(
            f"/negotiations/{nid}/statements",
            json={"statement": {"speaker": "ru", "date": "2025-12-02", "quote": "q"}},
        ),
        201,
    )
    assert mediator.get(f"/negotiations/{nid}", headers={"If-None-Match": tag}).status_code == 200
