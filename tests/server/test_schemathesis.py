"""schemathesis over the service's own OpenAPI document: no 5xx, and every answer matches the schema.

Each operation gets generated requests (valid and invalid bodies, parameters
and headers), sent as the negotiation's mediator with an API token, with the
negotiation, text and party in the path usually pointing at real ones so that
the requests reach the routes' logic rather than stopping at a 404.  Checks:
no server error, documented status codes, documented content types, and
bodies that conform to the documented response schemas.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

from tests.server.context import World, build_world  # noqa: E402
from tests.server.helpers import Service  # noqa: E402

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
#: Examples per operation (PostgreSQL runs fewer: the same code, another database).
EXAMPLES = {"sqlite": 8, "postgresql": 4}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres_server: str | None
) -> Iterator[World]:
    from tests.server.conftest import require_postgres

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('schemathesis') / 'accord.db'}"
    else:
        url = require_postgres(postgres_server)
    with Service.start(url) as service:
        world = build_world(service)
        world.ids["database"] = request.param
        yield world


def _aim(case: Any, world: World, rng: random.Random) -> None:
    """Point most generated requests at real objects (the rest stay random, which must also be 4xx)."""
    choices = {
        "nid": world.nid,
        "party": rng.choice(["ua", "ru", "us"]),
        "text_id": rng.choice(["plan-28", "plan-20"]),
        "aid": world.ids["amendment"],
        "acceptance_id": world.ids["acceptance"],
    }
    for name in list(case.path_parameters or {}):
        if name in choices and rng.random() < 0.8:
            case.path_parameters[name] = choices[name]


def _describe(error: BaseException) -> str:
    if isinstance(error, BaseExceptionGroup):
        return " | ".join(_describe(e) for e in error.exceptions)
    return f"{type(error).__name__}: {error}"


def test_api_conforms(world: World) -> None:
    api = schemathesis.openapi.from_asgi("/api/v1/openapi.json", world.service.app)
    headers = {"Authorization": f"Bearer {world.actor('mediator').token}"}
    rng = random.Random(12)
    failures: list[str] = []
    operations = 0
    for result in api.get_all_operations():
        operation = result.ok()
        if operation.path.endswith("/events"):
            continue  # a stream never ends: the event stream is tested with the access matrix
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES[world.ids["database"]],
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            _aim(case, world, rng)
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {_describe(error)[:1500]}")
    assert operations > 40
    assert not failures, "\n\n".join(failures)
