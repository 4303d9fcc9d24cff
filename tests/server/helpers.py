"""Drive the service in tests: one app per test, one HTTP client per actor (mediator, delegates, …)."""

from __future__ import annotations

import contextlib
import secrets
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "examples" / "peace-plan-2025" / "scenario.toml"
JOB_OFFER = ROOT / "examples" / "job-offer.toml"

#: Cheap password hashing and short Monte Carlo runs: the tests check behaviour, not cost.
TEST_SETTINGS: dict[str, Any] = {
    "argon2_memory_kib": 1024,
    "argon2_time_cost": 1,
    "argon2_parallelism": 1,
    "chance_samples": 2000,
    "analysis_wait_max_seconds": 30.0,
    "event_keepalive_seconds": 1.0,
}
PASSWORD = "correct horse battery staple"


def make_client(app: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient(app, **kwargs)


def expect(response: Any, status: int | set[int]) -> Any:
    """The JSON body of a response that must have ``status`` (the body is shown when it has not)."""
    wanted = {status} if isinstance(status, int) else status
    assert response.status_code in wanted, (
        f"{response.request.method} {response.request.url}: expected "
        f"{sorted(wanted)}, got {response.status_code}: {response.text[:2000]}"
    )
    if response.status_code == 204 or not response.content:
        return None
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.json()
    return response.text


@dataclass
class Actor:
    """One account and its own client (cookie jar / token)."""

    email: str
    name: str
    account_id: int
    client: Any
    token: str | None = None
    csrf: str | None = None

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        out = dict(headers or {})
        if self.csrf:
            out.setdefault("X-CSRF-Token", self.csrf)
        return out

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(_api(path), headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.client.post(
            _api(path), json=json, headers=self._headers(kwargs.pop("headers", None)), **kwargs
        )

    def put(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.client.put(
            _api(path), json=json, headers=self._headers(kwargs.pop("headers", None)), **kwargs
        )

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.client.patch(
            _api(path), json=json, headers=self._headers(kwargs.pop("headers", None)), **kwargs
        )

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.client.delete(_api(path), headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.client.request(
            method, _api(path), headers=self._headers(kwargs.pop("headers", None)), **kwargs
        )


def _api(path: str) -> str:
    return path if path.startswith(("/api/", "http")) else "/api/v1" + path


@dataclass
class Service:
    app: Any
    settings: Any
    main: Any
    actors: list[Actor] = field(default_factory=list)

    @classmethod
    @contextlib.contextmanager
    def start(cls, database_url: str, **overrides: Any) -> Iterator[Service]:
        from accord.server.app import create_app
        from accord.server.settings import Settings

        settings = Settings(database_url=database_url, **{**TEST_SETTINGS, **overrides})
        app = create_app(settings)
        with make_client(app) as main:  # runs the lifespan once (listener, jobs)
            yield cls(app, settings, main)

    @property
    def services(self) -> Any:
        return self.app.state.services

    def anonymous(self, **kwargs: Any) -> Actor:
        return Actor("", "anonymous", 0, make_client(self.app, **kwargs))

    def account(self, name: str, *, admin: bool = False, password: str = PASSWORD) -> tuple[str, int]:
        from accord.server.db.models import Account

        email = f"{name.lower().replace(' ', '.')}.{secrets.token_hex(3)}@example.org"
        with self.services.db.write() as session:
            account = Account(
                email=email, name=name, password_hash=self.services.passwords.hash(password), is_admin=admin
            )
            session.add(account)
            session.flush()
            return email, account.id

    def actor(self, name: str, *, admin: bool = False) -> Actor:
        """An account with an API token (scripts' way in: no cookie, no CSRF)."""
        from accord.server.auth import TOKEN_PREFIX, hash_token, new_token
        from accord.server.db.models import ApiToken

        email, account_id = self.account(name, admin=admin)
        token = new_token(TOKEN_PREFIX)
        with self.services.db.write() as session:
            session.add(
                ApiToken(account_id=account_id, name="tests", token_hash=hash_token(token), prefix=token[:10])
            )
        client = make_client(self.app, headers={"Authorization": f"Bearer {token}"})
        actor = Actor(email, name, account_id, client, token=token)
        self.actors.append(actor)
        return actor

    def browser(self, name: str, *, base_url: str = "http://testserver") -> Actor:
        """An account logged in with a session cookie, as a page would be."""
        email, account_id = self.account(name)
        client = make_client(self.app, base_url=base_url)
        body = expect(client.post("/api/v1/session", json={"email": email, "password": PASSWORD}), 200)
        return Actor(email, name, account_id, client, csrf=body["csrf_token"])


def create_negotiation(mediator: Actor, path: Path = FLAGSHIP, **params: Any) -> str:
    response = mediator.post(
        "/negotiations",
        content=path.read_bytes(),
        params=params,
        headers={"Content-Type": "application/toml"},
    )
    return str(expect(response, 201)["id"])


def join(mediator: Actor, nid: str, actor: Actor, role: str, party: str | None = None) -> None:
    body: dict[str, Any] = {"role": role}
    if party is not None:
        body["party"] = party
    if role == "delegate":
        body["email"] = actor.email  # bound: the delegate needs no confirmation
    invitation = expect(mediator.post(f"/negotiations/{nid}/invitations", json=body), 201)
    expect(actor.post("/invitations/accept", json={"token": invitation["token"]}), 200)


def flagship_preferences(party: str) -> dict[str, Any]:
    """A party's preferences as the flagship file estimates them (a delegate submits them as its own)."""
    import accord

    scenario = accord.load(FLAGSHIP)
    data = scenario.preferences[party].model_dump(mode="json", exclude_none=True)
    data["estimate"] = False
    return data


def wait_analysis(actor: Actor, nid: str) -> dict[str, Any]:
    body = expect(actor.get(f"/negotiations/{nid}/analysis", params={"wait": 30}), 200)
    assert body["status"] == "ready", body
    return body  # type: ignore[no-any-return]
