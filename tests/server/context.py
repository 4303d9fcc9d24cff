"""A negotiation with something of everything in it, and every kind of viewer.

Ukraine submits *canary* preferences — numbers found nowhere else (reservation
0.4137, option values such as 0.2719) — with visibility ``analysis-only``, so
that a leak of Ukraine's numbers, or of anything computed from them, can be
found by looking for those numbers and for Ukraine's utilities in every answer
any other viewer gets.  Russia submits with ``full``, Europe with ``none``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tests.server.helpers import Actor, Service, create_negotiation, expect, flagship_preferences, join

ROLES = ("anonymous", "outsider", "admin", "mediator", "ua", "ru", "observer")


def canary_preferences() -> dict[str, Any]:
    """Ukraine's flagship preferences with every number moved to a distinctive one."""
    prefs = flagship_preferences("ua")
    prefs["reservation"] = 0.4137
    prefs["weights"] = {issue: round(7.4173 + 1.1311 * k, 4) for k, issue in enumerate(prefs["weights"])}
    values = {}
    for k, (issue, table) in enumerate(prefs["values"].items()):
        values[issue] = {}
        for m, (option, value) in enumerate(table.items()):
            base = (
                value if isinstance(value, float | int) else (value.get("low", 0) + value.get("high", 1)) / 2
            )
            values[issue][option] = round(min(0.9973, 0.0271 + 0.9 * float(base) + 0.0013 * (k + m)), 4)
    prefs["values"] = values
    return prefs


CANARY_TEXTS = ("0.4137", "7.4173")
#: The id and title of a version the mediators keep unpublished: found in no one else's answers.
UNPUBLISHED = ("secret-draft", "UNPUBLISHED-MARKER")


@dataclass
class World:
    service: Service
    nid: str
    other_nid: str
    actors: dict[str, Actor]
    ids: dict[str, str] = field(default_factory=dict)

    def actor(self, role: str) -> Actor:
        return self.actors[role]

    def ua_utilities(self, positions: dict[str, str]) -> tuple[float, float]:
        """Ukraine's utility interval for a (possibly partial) package, from its canary numbers."""
        from accord.analysis.evaluate import utility_bounds

        space = _ua_space()
        vector = space.package({i: o for i, o in positions.items() if o is not None})
        lo, hi = utility_bounds(space, vector)
        return float(lo[0]), float(hi[0])


_SPACE: list[Any] = []


def _ua_space() -> Any:
    if not _SPACE:
        import accord
        from accord.model.validate import scenario_from_document
        from tests.server.helpers import FLAGSHIP

        scenario = accord.load(FLAGSHIP)
        document = scenario.model_dump(mode="json", exclude_none=True)
        document["preferences"] = {"ua": canary_preferences()}
        document["scenario"]["must_accept"] = ["ua"]
        _SPACE.append(accord.compile_scenario(scenario_from_document(document, "canary")))
    return _SPACE[0]


def build_world(service: Service) -> World:
    mediator = service.actor("Mediator")
    actors = {
        "anonymous": service.anonymous(),
        "mediator": mediator,
        "ua": service.actor("Ukraine delegate"),
        "ru": service.actor("Russia delegate"),
        "observer": service.actor("Observer"),
        "outsider": service.actor("Other mediator"),
        "admin": service.actor("Admin", admin=True),
        "eu": service.actor("Europe delegate"),
        "spare": service.actor("Spare mediator"),
    }
    nid = create_negotiation(mediator)
    other = create_negotiation(actors["outsider"])
    join(mediator, nid, actors["ua"], "delegate", "ua")
    join(mediator, nid, actors["ru"], "delegate", "ru")
    join(mediator, nid, actors["eu"], "delegate", "eu")
    join(mediator, nid, actors["observer"], "observer")
    ua, ru, eu = actors["ua"], actors["ru"], actors["eu"]
    expect(
        ua.put(
            f"/negotiations/{nid}/preferences/ua",
            json={"visibility": "analysis-only", "preferences": canary_preferences()},
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
    eu_prefs = flagship_preferences("eu")
    expect(
        eu.put(f"/negotiations/{nid}/preferences/eu", json={"visibility": "none", "preferences": eu_prefs}),
        201,
    )
    world = World(service, nid, other, actors)
    amendment = expect(
        ua.post(
            f"/negotiations/{nid}/amendments",
            json={"base": "plan-20", "changes": {"elections": "security-first"}, "note": "ua's own proposal"},
        ),
        201,
    )
    world.ids["amendment"] = amendment["id"]
    expect(
        ua.put(f"/negotiations/{nid}/texts/plan-28/vote", json={"verdict": "reject", "note": "ua's vote"}),
        201,
    )
    expect(ru.put(f"/negotiations/{nid}/texts/plan-28/vote", json={"verdict": "accept"}), 201)
    expect(
        ua.post(
            f"/negotiations/{nid}/texts/plan-28/comments",
            json={"body": "ua's confidential comment", "point": "donetsk"},
        ),
        201,
    )
    expect(
        ru.post(
            f"/negotiations/{nid}/texts/plan-28/comments",
            json={"body": "ru to everyone", "audience": "participants"},
        ),
        201,
    )
    acceptance = expect(ua.post(f"/negotiations/{nid}/acceptances", json={"text": "plan-28"}), 201)
    world.ids["acceptance"] = acceptance["acceptance"]["id"]
    expect(
        mediator.post(
            f"/negotiations/{nid}/statements",
            json={
                "published": False,
                "statement": {
                    "speaker": "ru",
                    "date": "2025-12-02",
                    "quote": "an unpublished note",
                    "issues": ["donetsk"],
                },
            },
        ),
        201,
    )
    # An unpublished version (the mediators' alone), and a published one whose parent it is: no one
    # else may learn of the first, not even through the second's lineage.
    plan = expect(mediator.get(f"/negotiations/{nid}/texts/plan-28"), 200)["text"]["positions"]
    expect(
        mediator.post(
            f"/negotiations/{nid}/texts",
            params={"publish": "false"},
            json={
                "id": UNPUBLISHED[0],
                "title": UNPUBLISHED[1],
                "parent": "plan-28",
                "positions": {**plan, "donetsk": "mutual-pullback"},
                "notes": "the mediators' working version",
            },
        ),
        201,
    )
    expect(
        mediator.post(
            f"/negotiations/{nid}/texts",
            json={
                "id": "after-draft",
                "title": "Published after the unpublished one",
                "parent": UNPUBLISHED[0],
                "positions": {**plan, "donetsk": "hold-line"},
            },
        ),
        201,
    )
    analysis = expect(mediator.get(f"/negotiations/{nid}/analysis", params={"wait": 30}), 200)
    assert analysis["status"] == "ready", analysis
    return world


def numbers_in(value: Any) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict):
        return [x for v in value.values() for x in numbers_in(v)]
    if isinstance(value, list):
        return [x for v in value for x in numbers_in(v)]
    return []


def packages_in(value: Any) -> list[dict[str, str]]:
    """Every ``positions`` table found in an answer."""
    found: list[dict[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if (
                key == "positions"
                and isinstance(item, dict)
                and all(isinstance(v, str | None) for v in item.values())
            ):
                found.append(item)
            else:
                found.extend(packages_in(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(packages_in(item))
    return found


def distinctive(x: float) -> bool:
    """A number with more than three decimals: the other parties' numbers have at most three, so
    only a number of Ukraine's own making can match one of these."""
    return abs(x * 1000 - round(x * 1000)) > 0.02


def ua_derived(world: World, bodies: list[Any]) -> set[float]:
    """Ukraine's utilities (and margins over its reservation) for every package any answer names."""
    values: set[float] = set()
    space = _ua_space()
    texts = expect(world.actor("mediator").get(f"/negotiations/{world.nid}/texts"), 200)["texts"]
    packages = [
        expect(world.actor("mediator").get(f"/negotiations/{world.nid}/texts/{t['id']}"), 200)["text"][
            "positions"
        ]
        for t in texts
    ]
    for body in bodies:
        packages.extend(packages_in(body))
    reservation = float(space.reservation[0])
    for package in packages:
        lo, hi = world.ua_utilities(package)
        for u in (lo, hi):
            values.update({round(u, 6), round(u - reservation, 6), round(reservation - u, 6)})
    values.add(round(reservation, 6))
    for row in np.asarray(space.contribution[0]).ravel().tolist():
        values.add(round(float(row), 6))
    return {v for v in values if distinctive(v)}
