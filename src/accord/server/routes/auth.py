"""Logging in and out, one's own account, API tokens, and invitations (preview and acceptance)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from accord.server import access
from accord.server.audit import ACCOUNTS_CHAIN
from accord.server.auth import (
    CSRF_COOKIE,
    INVITATION_PREFIX,
    SESSION_COOKIE,
    TOKEN_PREFIX,
    Principal,
    begin_login,
    clear_login_failures,
    hash_token,
    login_blocked,
    new_token,
    normalise_email,
    start_session,
)
from accord.server.db.models import Account, ApiToken, Invitation, Membership, Negotiation, WebSession, utcnow
from accord.server.db.session import busy_error
from accord.server.errors import ApiError
from accord.server.routes.common import (
    Authenticated,
    Body,
    MaybeAuthenticated,
    Reply,
    Write,
    address,
    errors,
    idempotency_doc,
    json_body,
    respond,
    services,
    write,
)
from accord.server.schemas import (
    AccountCreateBody,
    AccountOut,
    AccountUpdateBody,
    InvitationAcceptBody,
    InvitationPreview,
    LoginBody,
    MembershipOut,
    SessionOut,
    TokenCreateBody,
    TokenList,
    TokenOut,
)
from accord.server.store import parse_json, parse_model

router = APIRouter(tags=["accounts"])

LOGIN_FAILED = "the email or the password is not right"
INVITATION_INVALID = "this invitation is not valid (unknown, used, revoked or expired)"
INVITATION_BOUND = (
    "this invitation was made for another account; log in with that one (or ask for one of your own)"
)


def account_dict(account: Account) -> dict[str, Any]:
    return {"id": account.id, "email": account.email, "name": account.name, "is_admin": account.is_admin}


def _secure(request: Request) -> bool:
    mode = services(request).settings.secure_cookies
    return mode == "always" or (mode == "auto" and request.url.scheme == "https")


def set_session_cookies(response: Response, request: Request, token: str, csrf: str, max_age: int) -> None:
    secure = _secure(request)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=max_age, httponly=True, secure=secure, samesite="lax", path="/"
    )
    response.set_cookie(
        CSRF_COOKIE, csrf, max_age=max_age, httponly=False, secure=secure, samesite="lax", path="/"
    )


def clear_session_cookies(response: Response, request: Request) -> None:
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/", secure=_secure(request), samesite="lax")


# -- sessions -----------------------------------------------------------------------------------


@router.post(
    "/session",
    response_model=SessionOut,
    status_code=200,
    responses=errors(400, 401, 403, 415, 422, 429),
    openapi_extra=json_body("LoginBody"),
    summary="Log in: starts a session (cookie) and returns its CSRF token",
)
def login(request: Request, body: bytes = Body) -> Response:
    svc = services(request)
    data = parse_model(LoginBody, parse_json(body, request.headers.get("content-type")))
    email, where = normalise_email(data.email), address(request)
    try:
        with svc.db.write() as session:
            attempt = begin_login(session, email, where, svc.settings)
            wait = login_blocked(session, email, where, svc.settings) if attempt is None else None
    except OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise busy_error() from None
        raise
    if attempt is None:
        # Said whether or not the account exists: the limit is on what was typed.
        raise ApiError(
            429, "too many failed logins; wait before trying again", headers={"Retry-After": str(wait or 1)}
        )
    with svc.db.read() as session:
        account = session.scalar(select(Account).where(Account.email == email))
        stored = account.password_hash if account is not None else None
    if not svc.passwords.verify(stored, data.password) or account is None:
        raise ApiError(401, LOGIN_FAILED)  # the attempt stays counted

    started: dict[str, str] = {}

    def start(w: Write) -> Reply:
        found = w.session.get(Account, account.id)
        assert found is not None
        clear_login_failures(w.session, email, where)
        token, web = start_session(w.session, found, svc.settings, where)
        w.record(None, ACCOUNTS_CHAIN, "session.started", {"account": found.id})
        started.update(token=token, csrf=web.csrf_token)  # for the cookies, set once it has committed
        return Reply({"account": account_dict(found), "csrf_token": web.csrf_token, "via": "session"})

    response = write(request, None, body, start)
    token, csrf = started["token"], started["csrf"]
    set_session_cookies(response, request, token, csrf, int(svc.settings.session_hours * 3600))
    return response


@router.get(
    "/session",
    response_model=SessionOut,
    responses=errors(401),
    summary="Who is logged in (and the session's CSRF token)",
)
def whoami(request: Request, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        account = session.get(Account, who.account_id)
        assert account is not None
        return respond({"account": account_dict(account), "csrf_token": who.csrf_token, "via": who.via})


@router.delete(
    "/session", status_code=204, responses=errors(400, 401, 403), summary="Log out: ends this session"
)
def logout(request: Request, who: Principal = Authenticated, body: bytes = Body) -> Response:
    if who.via != "session":
        raise ApiError(
            400, "an API token has no session to end; revoke the token with DELETE /api/v1/tokens/{id}"
        )

    def end(w: Write) -> Reply:
        web = w.session.get(WebSession, who.session_id)
        if web is not None:
            w.session.delete(web)
        w.record(None, ACCOUNTS_CHAIN, "session.ended", {"account": who.account_id})
        return Reply(None, 204)

    write(request, who, body, end)
    response = Response(status_code=204)
    clear_session_cookies(response, request)
    return response


# -- accounts -----------------------------------------------------------------------------------


@router.get("/account", response_model=AccountOut, responses=errors(401), summary="Your account")
def my_account(request: Request, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        account = session.get(Account, who.account_id)
        assert account is not None
        data = account_dict(account)
        memberships = session.scalars(select(Membership).where(Membership.account_id == who.account_id))
        data["memberships"] = [
            MembershipOut(
                negotiation=m.negotiation_id, role=m.role, party=m.party_id, confirmed=m.confirmed
            ).model_dump()
            for m in memberships
        ]
        return respond(data)


@router.patch(
    "/account",
    response_model=AccountOut,
    responses=errors(400, 401, 403, 415, 422),
    openapi_extra=json_body("AccountUpdateBody"),
    summary="Change your name or password (the current password is needed for the latter)",
)
def update_account(request: Request, who: Principal = Authenticated, body: bytes = Body) -> Response:
    svc = services(request)
    data = parse_model(AccountUpdateBody, parse_json(body, request.headers.get("content-type")))
    if data.password is not None:
        svc.passwords.check_strength(data.password)
        with svc.db.read() as session:
            account = session.get(Account, who.account_id)
            assert account is not None
            stored = account.password_hash
        if data.current_password is None or not svc.passwords.verify(stored, data.current_password):
            raise ApiError(403, "to change the password, give the current one in current_password")
        new_hash = svc.passwords.hash(data.password)

    def update(w: Write) -> Reply:
        account = w.session.get(Account, who.account_id)
        assert account is not None
        changed = []
        if data.name is not None:
            account.name = data.name
            changed.append("name")
        if data.password is not None:
            account.password_hash = new_hash
            changed.append("password")
            # Every other session of the account ends with the old password.
            for web in w.session.scalars(select(WebSession).where(WebSession.account_id == account.id)):
                if web.id != who.session_id:
                    w.session.delete(web)
        w.record(None, ACCOUNTS_CHAIN, "account.updated", {"account": account.id, "changed": changed})
        return Reply(account_dict(account))

    return write(request, who, body, update)


@router.post(
    "/accounts",
    response_model=AccountOut,
    status_code=201,
    responses=errors(400, 401, 403, 409, 415, 422),
    openapi_extra={**json_body("AccountCreateBody"), "parameters": [idempotency_doc()]},
    summary="Create an account (administrators only; others join through invitations)",
)
def create_account(request: Request, who: Principal = Authenticated, body: bytes = Body) -> Response:
    svc = services(request)
    if not who.is_admin:
        raise ApiError(403, "only administrators may create accounts; others join through an invitation")
    data = parse_model(AccountCreateBody, parse_json(body, request.headers.get("content-type")))
    svc.passwords.check_strength(data.password)
    password_hash = svc.passwords.hash(data.password)

    def create(w: Write) -> Reply:
        email = normalise_email(data.email)
        if w.session.scalar(select(Account.id).where(Account.email == email)) is not None:
            # An administrator may learn that an email is taken: they can list accounts anyway.
            raise ApiError(409, f"an account with the email {email!r} exists already")
        account = Account(email=email, name=data.name, password_hash=password_hash, is_admin=data.is_admin)
        w.session.add(account)
        w.session.flush()
        w.record(
            None,
            ACCOUNTS_CHAIN,
            "account.created",
            {"account": account.id, "by": who.account_id, "is_admin": data.is_admin},
        )
        return Reply(account_dict(account), 201)

    return write(request, who, body, create)


# -- API tokens ---------------------------------------------------------------------------------


def token_dict(token: ApiToken, secret: str | None = None) -> dict[str, Any]:
    return TokenOut(
        id=token.id,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at,
        expires_at=token.expires_at,
        revoked=token.revoked_at is not None,
        token=secret,
    ).model_dump(mode="json")


@router.get("/tokens", response_model=TokenList, responses=errors(401), summary="Your API tokens")
def list_tokens(request: Request, who: Principal = Authenticated) -> Response:
    with services(request).db.read() as session:
        tokens = session.scalars(
            select(ApiToken).where(ApiToken.account_id == who.account_id).order_by(ApiToken.created_at)
        )
        return respond({"tokens": [token_dict(t) for t in tokens]})


@router.post(
    "/tokens",
    response_model=TokenOut,
    status_code=201,
    responses=errors(400, 401, 403, 415, 422),
    openapi_extra={**json_body("TokenCreateBody"), "parameters": [idempotency_doc()]},
    summary="Create an API token for scripts (the token is shown once)",
)
def create_token(request: Request, who: Principal = Authenticated, body: bytes = Body) -> Response:
    data = parse_model(TokenCreateBody, parse_json(body, request.headers.get("content-type")))

    def create(w: Write) -> Reply:
        secret = new_token(TOKEN_PREFIX)
        expires = None if data.expires_in_days is None else utcnow() + dt.timedelta(days=data.expires_in_days)
        token = ApiToken(
            account_id=who.account_id,
            name=data.name,
            token_hash=hash_token(secret),
            prefix=secret[:10],
            expires_at=expires,
        )
        w.session.add(token)
        w.session.flush()
        w.record(None, ACCOUNTS_CHAIN, "token.created", {"account": who.account_id, "token": token.id})
        return Reply(token_dict(token, secret), 201)

    return write(request, who, body, create)


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    responses=errors(401, 403, 404),
    summary="Revoke one of your API tokens",
)
def revoke_token(
    request: Request, token_id: str, who: Principal = Authenticated, body: bytes = Body
) -> Response:
    def revoke(w: Write) -> Reply:
        token = w.session.get(ApiToken, token_id) if len(token_id) <= 32 else None
        if token is None or token.account_id != who.account_id:
            raise ApiError(404, "no such token among yours")
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            w.record(None, ACCOUNTS_CHAIN, "token.revoked", {"account": who.account_id, "token": token.id})
        return Reply(None, 204)

    write(request, who, body, revoke)
    return Response(status_code=204)


# -- invitations ---------------------------------------------------------------------------------


def _usable(invitation: Invitation | None) -> bool:
    return (
        invitation is not None
        and invitation.used_at is None
        and invitation.revoked_at is None
        and invitation.expires_at > utcnow()
    )


@router.get(
    "/invitations/{token}",
    response_model=InvitationPreview,
    responses=errors(404),
    summary="What an invitation is for (the token is the secret part of the link)",
)
def preview_invitation(request: Request, token: str) -> Response:
    with services(request).db.read() as session:
        invitation = session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
        if not _usable(invitation) or invitation is None:
            raise ApiError(404, INVITATION_INVALID)
        negotiation = session.get(Negotiation, invitation.negotiation_id)
        assert negotiation is not None
        from accord.server.store import loads

        parties = {p["id"]: p["name"] for p in loads(negotiation.structure).get("parties", [])}
        return respond(
            InvitationPreview(
                negotiation=negotiation.id,
                title=negotiation.title,
                role=invitation.role,
                party=invitation.party_id,
                party_name=parties.get(invitation.party_id or ""),
                expires_at=invitation.expires_at,
                bound=invitation.email is not None,
            ).model_dump(mode="json")
        )


@router.post(
    "/invitations/accept",
    status_code=200,
    responses=errors(400, 401, 403, 404, 409, 415, 422),
    openapi_extra=json_body("InvitationAcceptBody"),
    summary="Accept an invitation: join as the logged-in account, or create an account",
)
def accept_invitation(
    request: Request, who: Principal | None = MaybeAuthenticated, body: bytes = Body
) -> Response:
    """Logged in: the account joins.  Not logged in: ``email``, ``name`` and ``password`` create an account.

    Creating an account answers the same whether or not the email is taken (no
    enumeration): for a taken email nothing is joined and the invitation is
    used up; log in first to accept with an existing account.
    """
    svc = services(request)
    data = parse_model(InvitationAcceptBody, parse_json(body, request.headers.get("content-type")))
    if not data.token.startswith(INVITATION_PREFIX):
        raise ApiError(404, INVITATION_INVALID)
    registering = who is None
    password_hash = None
    if registering:
        missing = [k for k in ("email", "name", "password") if getattr(data, k) is None]
        if missing:
            raise ApiError(
                401,
                "log in to accept with your account, or give " + ", ".join(missing) + " to create one",
                [{"path": k, "message": "missing required key"} for k in missing],
            )
        assert data.password is not None
        svc.passwords.check_strength(data.password)
        # Hashed whether or not the account will be created, so both take the same time.
        password_hash = svc.passwords.hash(data.password)

    def accept(w: Write) -> Reply:
        invitation = w.session.scalar(
            select(Invitation).where(Invitation.token_hash == hash_token(data.token))
        )
        if not _usable(invitation) or invitation is None:
            raise ApiError(404, INVITATION_INVALID)
        if invitation.email is not None:
            given = who.email if who is not None else data.email
            if given is None or normalise_email(given) != invitation.email:
                # Not used up: it stays for the person it was made for.  The answer names no email.
                raise ApiError(403, INVITATION_BOUND)
        account_id = who.account_id if who is not None else None
        if registering:
            assert data.email is not None and data.name is not None and password_hash is not None
            email = normalise_email(data.email)
            existing = w.session.scalar(select(Account).where(Account.email == email))
            if existing is None:
                account = Account(email=email, name=data.name, password_hash=password_hash)
                w.session.add(account)
                w.session.flush()
                account_id = account.id
                w.record(
                    None,
                    ACCOUNTS_CHAIN,
                    "account.created",
                    {"account": account.id, "invitation": invitation.id},
                )
        invitation.used_at = utcnow()
        invitation.used_by = account_id
        joined = pending = False
        if account_id is not None:
            member = w.session.scalar(
                select(Membership).where(
                    Membership.negotiation_id == invitation.negotiation_id,
                    Membership.account_id == account_id,
                )
            )
            if member is not None:
                if registering:
                    raise AssertionError("a new account has no memberships")
                raise ApiError(
                    409,
                    f"you are already a {member.role} in this negotiation; an account has "
                    "one role per negotiation",
                )
            w.session.add(
                Membership(
                    negotiation_id=invitation.negotiation_id,
                    account_id=account_id,
                    role=invitation.role,
                    party_id=invitation.party_id,
                    # A delegate reached by a link anyone could hold is confirmed by a mediator first.
                    confirmed=invitation.role != access.DELEGATE or invitation.email is not None,
                )
            )
            joined = True
            pending = invitation.role == access.DELEGATE and invitation.email is None
            w.record(
                invitation.negotiation_id,
                access.MEDIATORS,
                "member.joined",
                {
                    "account": account_id,
                    "role": invitation.role,
                    "party": invitation.party_id,
                    "invitation": invitation.id,
                    "confirmed": not pending,
                },
            )
        if registering:
            # The same answer whether the account was created or the email was taken.
            return Reply({"status": "accepted", "next": "log in with POST /api/v1/session"}, 202)
        return Reply(
            {
                "status": ("pending" if pending else "joined") if joined else "accepted",
                "negotiation": invitation.negotiation_id,
                "role": invitation.role,
                "party": invitation.party_id,
            },
            200,
        )

    return write(request, who, body, accept)


def count_accounts(request: Request) -> int:
    with services(request).db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Account)) or 0)
