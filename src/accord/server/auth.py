"""Who is asking: accounts, passwords, sessions, CSRF, API tokens, invitations and login rate limits.

* Passwords are hashed with argon2id (argon2-cffi; by default the OWASP
  baseline of 19 MiB, 2 passes, 1 lane, see
  :class:`~accord.server.settings.Settings`).  A login for an unknown email
  verifies against a dummy hash, so that the answer and its timing are the same
  as for a wrong password: no account enumeration through login.
* A session is a random 256-bit token in an ``HttpOnly``, ``SameSite=Lax``
  cookie (``Secure`` when the request came over HTTPS); the database keeps only
  its SHA-256.  Every state change made with a session cookie must carry the
  session's CSRF token in ``X-CSRF-Token`` (pages: a ``csrf_token`` form field,
  checked with :func:`check_csrf`), and a cross-site ``Origin`` is refused.
* API tokens (``Authorization: Bearer acc_…``) are for scripts: shown once,
  stored as SHA-256, revocable; they are not sent by browsers on their own, so
  they need no CSRF token.
* Invitations are single-use, expiring tokens bound to a negotiation, a role
  and (for a delegate) a party, stored as SHA-256.
* Failed logins are counted per (email, address), per address and per email
  (from any address) over a sliding window, in the database so that every
  worker process sees them; an attempt is counted before its password is
  checked, so that a burst of simultaneous attempts cannot outrun the count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from accord.server.db.models import Account, ApiToken, LoginFailure, WebSession, utcnow
from accord.server.errors import ApiError
from accord.server.settings import Settings

__all__ = [
    "CSRF_COOKIE",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "Passwords",
    "Principal",
    "check_csrf",
    "hash_token",
    "new_token",
    "normalise_email",
]

SESSION_COOKIE = "accord_session"
#: Readable by the page's own script (not HttpOnly): it only carries the value the server checks.
CSRF_COOKIE = "accord_csrf"
CSRF_HEADER = "X-CSRF-Token"
TOKEN_PREFIX = "acc_"
INVITATION_PREFIX = "inv_"

MIN_PASSWORD = 10
MAX_PASSWORD = 1024

#: Refresh a session's last-seen time at most this often (each refresh is a write).
_TOUCH_EVERY = dt.timedelta(minutes=5)


def hash_token(token: str) -> str:
    """SHA-256 of a random token (tokens carry 256 bits, so a fast hash is enough)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_key(email: str) -> str:
    """The email as the rate limiter stores it (a hash: failed logins leave no addresses behind)."""
    return hashlib.sha256(normalise_email(email).encode("utf-8")).hexdigest()


class Passwords:
    """argon2id hashing with the configured cost, and a dummy hash for unknown accounts."""

    def __init__(self, settings: Settings) -> None:
        self.hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )
        self._dummy: str | None = None  # made on first use: start-up stays quick

    @property
    def dummy(self) -> str:
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """True when ``password`` matches; an unknown account (None) costs the same and fails."""
        try:
            self.hasher.verify(stored or self.dummy, password)
        except (VerificationError, InvalidHashError):
            return False
        return stored is not None

    def check_strength(self, password: str) -> None:
        if not isinstance(password, str) or len(password) < MIN_PASSWORD:
            raise ApiError(
                422,
                "the password is too short",
                [{"path": "password", "message": f"expected at least {MIN_PASSWORD} characters"}],
            )
        if len(password) > MAX_PASSWORD:
            raise ApiError(
                422,
                "the password is too long",
                [{"path": "password", "message": f"expected at most {MAX_PASSWORD} characters"}],
            )


@dataclass(frozen=True)
class Principal:
    """An authenticated account, and how it proved who it is."""

    account_id: int
    email: str
    name: str
    is_admin: bool
    via: str  # "session" or "token"
    session_id: int | None = None
    csrf_token: str | None = None
    token_id: str | None = None


def principal_from_session(session: Session, token: str, settings: Settings) -> Principal | None:
    now = utcnow()
    row = session.execute(
        select(WebSession, Account)
        .join(Account, Account.id == WebSession.account_id)
        .where(WebSession.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    web, account = row
    idle_limit = dt.timedelta(hours=settings.session_idle_hours)
    if web.expires_at <= now or web.last_seen_at + idle_limit <= now:
        return None
    return Principal(
        account.id,
        account.email,
        account.name,
        account.is_admin,
        "session",
        session_id=web.id,
        csrf_token=web.csrf_token,
    )


def session_needs_touch(session: Session, principal: Principal) -> bool:
    web = session.get(WebSession, principal.session_id)
    return web is not None and utcnow() - web.last_seen_at > _TOUCH_EVERY


def principal_from_token(session: Session, token: str) -> Principal | None:
    row = session.execute(
        select(ApiToken, Account)
        .join(Account, Account.id == ApiToken.account_id)
        .where(ApiToken.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    api_token, account = row
    if api_token.revoked_at is not None or (
        api_token.expires_at is not None and api_token.expires_at <= utcnow()
    ):
        return None
    return Principal(
        account.id, account.email, account.name, account.is_admin, "token", token_id=api_token.id
    )


def check_csrf(principal: Principal, given: str | None) -> None:
    """Refuse a cookie-authenticated state change without the session's CSRF token."""
    if principal.via != "session":
        return
    expected = principal.csrf_token or ""
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(
            403,
            f"missing or wrong CSRF token: send the {CSRF_HEADER} header with the "
            "csrf_token from POST /api/v1/session or GET /api/v1/session",
        )


def start_session(
    session: Session, account: Account, settings: Settings, address: str | None
) -> tuple[str, WebSession]:
    token = new_token()
    now = utcnow()
    web = WebSession(
        token_hash=hash_token(token),
        account_id=account.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + dt.timedelta(hours=settings.session_hours),
        address=address,
    )
    session.add(web)
    session.flush()
    return token, web


# -- rate limiting --------------------------------------------------------------------


def login_blocked(session: Session, email: str, address: str, settings: Settings) -> int | None:
    """Seconds to wait before another attempt, or None when the attempt may go ahead."""
    since = utcnow() - dt.timedelta(seconds=settings.login_window_seconds)
    key = email_key(email)
    per_account = (
        session.scalar(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.email_key == key, LoginFailure.address == address, LoginFailure.at > since)
        )
        or 0
    )
    per_address = (
        session.scalar(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.address == address, LoginFailure.at > since)
        )
        or 0
    )
    per_email = (
        session.scalar(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.email_key == key, LoginFailure.at > since)
        )
        or 0
    )
    if (
        per_account >= settings.login_failures_per_account
        or per_address >= settings.login_failures_per_address
        or per_email >= settings.login_failures_per_email
    ):
        scope = (
            LoginFailure.email_key == key
            if per_email >= settings.login_failures_per_email
            else LoginFailure.address == address
        )
        oldest = session.scalar(select(func.min(LoginFailure.at)).where(scope, LoginFailure.at > since))
        wait = settings.login_window_seconds
        if oldest is not None:
            wait = max(
                1.0, (oldest + dt.timedelta(seconds=settings.login_window_seconds) - utcnow()).total_seconds()
            )
        return int(wait) + 1
    return None


def begin_login(session: Session, email: str, address: str, settings: Settings) -> int | None:
    """Count this attempt as a failure *before* the password is checked; its id (None: blocked).

    Counted first so that attempts sent at the same moment all count (a check, then a slow
    password hash, then a write would let a burst through); a successful login removes it.
    The caller holds the database's write lock (SQLite) or, on PostgreSQL, the lock taken here.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": "login:" + email_key(email)}
        )
    if login_blocked(session, email, address, settings) is not None:
        return None
    row = LoginFailure(email_key=email_key(email), address=address)
    session.add(row)
    horizon = utcnow() - dt.timedelta(seconds=2 * settings.login_window_seconds)
    session.execute(delete(LoginFailure).where(LoginFailure.at < horizon))
    session.flush()
    return row.id


def clear_login_failures(session: Session, email: str, address: str) -> None:
    session.execute(
        delete(LoginFailure).where(
            LoginFailure.email_key == email_key(email), LoginFailure.address == address
        )
    )
