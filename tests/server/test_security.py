"""Accounts and sessions: argon2id, cookies, CSRF, tokens, invitations, rate limits, no enumeration."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.server.helpers import PASSWORD, Service, create_negotiation, expect, flagship_preferences, join


def test_passwords_are_argon2id_and_login_failures_say_the_same(service: Service) -> None:
    email, account_id = service.account("Someone")
    from accord.server.db.models import Account

    with service.services.db.read() as session:
        stored = session.get(Account, account_id).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    client = service.anonymous()
    wrong = client.post("/session", json={"email": email, "password": "not the password"})
    unknown = client.post("/session", json={"email": "nobody@example.org", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()  # no account enumeration through login


def test_session_cookie_flags_and_csrf(service: Service) -> None:
    browser = service.browser("Page user", base_url="https://testserver")
    cookies = browser.client.cookies
    assert cookies.get("accord_session") and cookies.get("accord_csrf")
    # Fresh login to read the Set-Cookie attributes.
    email, _ = service.account("Flags")
    client = service.anonymous(base_url="https://testserver").client
    response = client.post("/api/v1/session", json={"email": email, "password": PASSWORD})
    session_cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("accord_session=")
    )
    assert (
        "HttpOnly" in session_cookie
        and "Secure" in session_cookie
        and "SameSite=lax" in session_cookie.replace("SameSite=Lax", "SameSite=lax")
    )
    plain = service.anonymous().client.post("/api/v1/session", json={"email": email, "password": PASSWORD})
    assert "Secure" not in next(
        h for h in plain.headers.get_list("set-cookie") if h.startswith("accord_session=")
    )
    # A state change with the cookie but without the CSRF token is refused; with it, it works.
    no_csrf = browser.client.post("/api/v1/tokens", json={"name": "x"})
    assert no_csrf.status_code == 403 and "CSRF" in no_csrf.json()["error"]
    expect(browser.post("/tokens", json={"name": "x"}), 201)
    # A cross-site Origin is refused even with the token.
    cross = browser.post("/tokens", json={"name": "x"}, headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    # Reads need no CSRF token; logging out ends the session.
    expect(browser.client.get("/api/v1/session"), 200)
    expect(browser.delete("/session"), 204)
    assert browser.client.get("/api/v1/session").status_code == 401


def test_api_tokens_are_hashed_and_revocable(service: Service) -> None:
    from sqlalchemy import select

    from accord.server.db.models import ApiToken

    actor = service.actor("Scripter")
    created = expect(actor.post("/tokens", json={"name": "ci", "expires_in_days": 1}), 201)
    secret = created["token"]
    with service.services.db.read() as session:
        stored = session.scalars(select(ApiToken.token_hash)).all()
    assert secret not in stored and all(len(h) == 64 for h in stored)
    client = service.anonymous(headers={"Authorization": f"Bearer {secret}"})
    expect(client.get("/session"), 200)
    assert [t["token"] for t in expect(actor.get("/tokens"), 200)["tokens"]] == [None, None]  # shown once
    expect(actor.delete(f"/tokens/{created['id']}"), 204)
    assert client.get("/session").status_code == 401
    assert service.anonymous(headers={"Authorization": "Bearer nonsense"}).get("/session").status_code == 401


def test_login_rate_limit_is_the_same_for_known_and_unknown_accounts(sqlite_url: str) -> None:
    with Service.start(sqlite_url, login_failures_per_account=3, login_failures_per_address=100) as service:
        email, _ = service.account("Target")
        client = service.anonymous()
        for who in (email, "ghost@example.org"):
            statuses = [
                client.post("/session", json={"email": who, "password": "wrong password!"}).status_code
                for _ in range(4)
            ]
            assert statuses == [401, 401, 401, 429], who
        blocked = client.post("/session", json={"email": email, "password": PASSWORD})
        assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
        # Another address is not held up by these failures (the limit is per email and address).
        elsewhere = service.anonymous(client=("10.0.0.9", 1234))
        expect(elsewhere.post("/session", json={"email": email, "password": PASSWORD}), 200)


def test_invitations_are_single_use_bound_and_expire(service: Service) -> None:
    mediator = service.actor("Mediator")
    nid = create_negotiation(mediator)
    invitation = expect(
        mediator.post(
            f"/negotiations/{nid}/invitations",
            json={"role": "delegate", "party": "ru", "expires_in_hours": 1},
        ),
        201,
    )
    first, second = service.actor("First"), service.actor("Second")
    joined = expect(first.post("/invitations/accept", json={"token": invitation["token"]}), 200)
    assert joined["role"] == "delegate" and joined["party"] == "ru"  # bound to the role and party
    # Not bound to an email: whoever held the link waits for a mediator before seeing anything.
    assert joined["status"] == "pending"
    assert first.get(f"/negotiations/{nid}").status_code == 404
    assert first.get(f"/negotiations/{nid}/preferences/ru").status_code == 404
    assert expect(first.get("/account"), 200)["memberships"][0]["confirmed"] is False
    submit = {"visibility": "full", "preferences": flagship_preferences("ru")}
    assert first.put(f"/negotiations/{nid}/preferences/ru", json=submit).status_code == 404
    expect(mediator.post(f"/negotiations/{nid}/members/{first.account_id}/confirm"), 200)
    assert expect(first.get(f"/negotiations/{nid}"), 200)["party"] == "ru"
    assert mediator.post(f"/negotiations/{nid}/members/{first.account_id}/confirm").status_code == 409
    used = second.post("/invitations/accept", json={"token": invitation["token"]})
    assert used.status_code == 404
    # Expired: the same answer as unknown.
    late = expect(mediator.post(f"/negotiations/{nid}/invitations", json={"role": "observer"}), 201)
    from accord.server.db.models import Invitation

    with service.services.db.write() as session:
        session.get(Invitation, late["id"]).expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    expired = second.post("/invitations/accept", json={"token": late["token"]})
    assert expired.status_code == 404 and expired.json() == used.json()
    # Revoked likewise.
    revoked = expect(mediator.post(f"/negotiations/{nid}/invitations", json={"role": "observer"}), 201)
    expect(mediator.delete(f"/negotiations/{nid}/invitations/{revoked['id']}"), 204)
    assert second.post("/invitations/accept", json={"token": revoked["token"]}).json() == used.json()
    # Validated: a delegate needs a known party (with a suggestion), others none.
    bad = mediator.post(f"/negotiations/{nid}/invitations", json={"role": "delegate", "party": "rus"})
    assert bad.status_code == 422 and "did you mean 'ru'" in bad.json()["problems"][0]["message"]
    too_long = mediator.post(
        f"/negotiations/{nid}/invitations", json={"role": "observer", "expires_in_hours": 10**6}
    )
    assert too_long.status_code == 422 and too_long.json()["problems"][0]["path"] == "expires_in_hours"


def test_registering_through_an_invitation_does_not_reveal_accounts(service: Service) -> None:
    mediator = service.actor("Mediator")
    nid = create_negotiation(mediator)
    existing, _ = service.account("Existing")
    answers = []
    for email in (existing, "brand.new@example.org"):
        invitation = expect(mediator.post(f"/negotiations/{nid}/invitations", json={"role": "observer"}), 201)
        response = service.anonymous().post(
            "/invitations/accept",
            json={
                "token": invitation["token"],
                "email": email,
                "name": "N",
                "password": "a long enough password",
            },
        )
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1] == (202, answers[0][1])
    members = expect(mediator.get(f"/negotiations/{nid}/members"), 200)["members"]
    assert sorted(m["email"] for m in members if m["role"] == "observer") == ["brand.new@example.org"]


def test_admin_rights_do_not_open_negotiations(service: Service) -> None:
    mediator, admin = service.actor("Mediator"), service.actor("Admin", admin=True)
    nid = create_negotiation(mediator)
    assert admin.get(f"/negotiations/{nid}").status_code == 404
    expect(
        admin.post("/accounts", json={"email": "made@example.org", "name": "Made", "password": PASSWORD}), 201
    )
    assert (
        mediator.post(
            "/accounts", json={"email": "x@example.org", "name": "X", "password": PASSWORD}
        ).status_code
        == 403
    )


def test_changing_the_password_ends_other_sessions(service: Service) -> None:
    first = service.browser("Changer")
    from tests.server.flow import login

    second = login(service.anonymous().client, first.email, PASSWORD)
    refused = first.patch("/account", json={"password": "a brand new password"})
    assert refused.status_code == 403  # the current password is needed
    expect(
        first.patch("/account", json={"password": "a brand new password", "current_password": PASSWORD}), 200
    )
    assert second.client.get("/api/v1/session").status_code == 401
    expect(first.client.get("/api/v1/session"), 200)
    short = first.patch("/account", json={"password": "short", "current_password": "a brand new password"})
    assert short.status_code == 422 and short.json()["problems"][0]["path"] == "password"


@pytest.mark.parametrize("size", [3 * 1024 * 1024])
def test_request_size_limit(sqlite_service: Service, size: int) -> None:
    actor = sqlite_service.actor("Big")
    response = actor.post(
        "/negotiations", content=b"{" + b" " * size + b"}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413 and "bytes" in response.json()["error"]


def test_one_role_per_negotiation(service: Service) -> None:
    mediator, delegate = service.actor("Mediator"), service.actor("Delegate")
    nid = create_negotiation(mediator)
    join(mediator, nid, delegate, "delegate", "ua")
    invitation = expect(mediator.post(f"/negotiations/{nid}/invitations", json={"role": "observer"}), 201)
    again = delegate.post("/invitations/accept", json={"token": invitation["token"]})
    assert again.status_code == 409 and "one role" in again.json()["error"]


def test_an_invitation_bound_to_an_email_is_for_that_account_alone(service: Service) -> None:
    mediator = service.actor("Mediator")
    nid = create_negotiation(mediator)
    meant, other = service.actor("Meant"), service.actor("Other")
    invitation = expect(
        mediator.post(
            f"/negotiations/{nid}/invitations",
            json={"role": "delegate", "party": "ua", "email": meant.email.upper()},
        ),
        201,
    )
    preview = expect(service.anonymous().get(f"/api/v1/invitations/{invitation['token']}"), 200)
    assert preview["bound"] is True and meant.email not in str(preview)  # the email is not shown
    refused = other.post("/invitations/accept", json={"token": invitation["token"]})
    assert refused.status_code == 403 and meant.email not in refused.text
    # Registering a new account under another email is refused the same way.
    stranger = service.anonymous().post(
        "/api/v1/invitations/accept",
        json={"token": invitation["token"], "email": "x@example.org", "name": "X", "password": PASSWORD},
    )
    assert stranger.status_code == 403 and stranger.json() == refused.json()
    # Not used up by the refusals: the account it was made for joins, confirmed at once.
    joined = expect(meant.post("/invitations/accept", json={"token": invitation["token"]}), 200)
    assert joined["status"] == "joined"
    assert expect(meant.get(f"/negotiations/{nid}"), 200)["party"] == "ua"


def test_numbers_in_request_bodies_are_not_coerced(service: Service) -> None:
    # As in the scenario file: a number is a number, never true or "72".
    mediator = service.actor("Mediator")
    nid = create_negotiation(mediator)
    for hours in (True, "72", "72.5"):
        answer = mediator.post(f"/negotiations/{nid}/invitations",
                               json={"role": "delegate", "party": "ru", "expires_in_hours": hours})
        assert answer.status_code == 422, (hours, answer.text)
        assert "expires_in_hours" in answer.text
    expect(mediator.post(f"/negotiations/{nid}/invitations",
                         json={"role": "delegate", "party": "ru", "expires_in_hours": 2}), 201)
