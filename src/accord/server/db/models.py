"""The tables.  Model objects of the library are stored as canonical JSON text, never re-modelled.

Columns named ``data`` hold one library object each (a ``Text``, a
``Preferences``, a ``Statement``, a ``Meeting``; ``negotiations.structure``
holds the scenario's info, sources, parties, issues and settled points),
validated on the way in by :mod:`accord.server.store`.  JSON is kept as text
(not JSONB) so that the same bytes are stored on SQLite and PostgreSQL and the
audit chain hashes exactly what was written.

Identifiers that a party sees of its own confidential objects (acceptances,
votes, amendments, comments) are random, not counters: a counter would tell
one party how many such objects the others created in between.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Acceptance",
    "Account",
    "Agreement",
    "Amendment",
    "AnalysisResult",
    "ApiToken",
    "AuditEntry",
    "AuditHead",
    "Base",
    "Comment",
    "IdempotencyRecord",
    "Invitation",
    "LoginFailure",
    "Meeting",
    "Membership",
    "Negotiation",
    "PreferenceRecord",
    "Statement",
    "TextVersion",
    "Vote",
    "WebSession",
    "new_id",
    "utcnow",
]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_id() -> str:
    """A random, unguessable identifier (96 bits, URL-safe)."""
    return secrets.token_urlsafe(12)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite stores naive text)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    pass


# -- people --------------------------------------------------------------------


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebSession(Base):
    """A login: the cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ApiToken(Base):
    """A bearer token for scripts; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_tokens"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class LoginFailure(Base):
    """One failed login, for rate limiting across worker processes (the email only as a hash)."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email_key: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (
        Index("ix_login_failures_email", "email_key", "at"),
        Index("ix_login_failures_address", "address", "at"),
    )


# -- negotiations ----------------------------------------------------------------


class Negotiation(Base):
    __tablename__ = "negotiations"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(500))
    #: The scenario's info, sources, parties, issues and settled points (canonical JSON).
    structure: Mapped[str] = mapped_column(Text)
    #: Version of ``structure``: the ETag a structure edit must name.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: Bumped by every change of anything in the negotiation (cache key of state reads).
    state_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))


class Membership(Base):
    """An account's one role in a negotiation: mediator, delegate (of one party) or observer."""

    __tablename__ = "memberships"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    party_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: A delegate who joined through an invitation not bound to their email waits for a mediator.
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    __table_args__ = (UniqueConstraint("negotiation_id", "account_id"),)


class Invitation(Base):
    """A single-use, expiring invitation bound to a role (and, for a delegate, a party)."""

    __tablename__ = "invitations"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    party_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: Only the account with this email may accept it (normalised), when given.
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    used_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PreferenceRecord(Base):
    """A party's preferences: ``submitted`` by its delegates, or the mediators' ``estimate``."""

    __tablename__ = "preferences"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"))
    party_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    #: For submitted preferences: what the mediators may see (full, analysis-only, none).
    visibility: Mapped[str] = mapped_column(String(16), default="none")
    data: Mapped[str] = mapped_column(Text)
    #: Random salt of the audit log's commitment to ``data`` (never shown).
    salt: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    __table_args__ = (UniqueConstraint("negotiation_id", "party_id", "kind"),)


class TextVersion(Base):
    """A published version of the negotiating text (the library's ``Text``); never edited."""

    __tablename__ = "texts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"))
    text_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)
    #: mediator (drafted by a mediator), amendment (a delegate's proposal), improvement.
    origin: Mapped[str] = mapped_column(String(16), default="mediator")
    origin_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    #: False: an unpublished version, seen by the mediators alone until they publish it.
    published: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    __table_args__ = (
        UniqueConstraint("negotiation_id", "text_id"),
        UniqueConstraint("negotiation_id", "seq"),
    )


class Comment(Base):
    __tablename__ = "comments"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    text_id: Mapped[str] = mapped_column(String(64))
    issue_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    #: The author's party (None for a mediator).
    party_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: mediators (the party and the mediators) or participants (every mediator and delegate).
    audience: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Amendment(Base):
    """A delegate's proposed change of positions, shown to the mediators only."""

    __tablename__ = "amendments"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[str] = mapped_column(String(64))
    base_text: Mapped[str] = mapped_column(String(64))
    #: {issue id: option id, or null to open the point}.
    changes: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: pending, published, declined, withdrawn.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    version: Mapped[int] = mapped_column(Integer, default=1)
    result_text: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Vote(Base):
    """A party's vote on a text: accept, reject, or accept with reservations on named points."""

    __tablename__ = "votes"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"))
    text_id: Mapped[str] = mapped_column(String(64))
    party_id: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(32))
    points: Mapped[str] = mapped_column(Text, default="[]")
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    cast_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    cast_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    __table_args__ = (UniqueConstraint("negotiation_id", "text_id", "party_id"),)


class Acceptance(Base):
    """A party's private mark "this package is acceptable to us"; seen by that party alone."""

    __tablename__ = "acceptances"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"))
    party_id: Mapped[str] = mapped_column(String(64))
    package_key: Mapped[str] = mapped_column(String(64))
    positions: Mapped[str] = mapped_column(Text)
    text_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    __table_args__ = (
        UniqueConstraint("negotiation_id", "party_id", "package_key"),
        Index("ix_acceptances_package", "negotiation_id", "package_key"),
    )


class Agreement(Base):
    """A declared agreement: every must-accept party marked the same package."""

    __tablename__ = "agreements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    package_key: Mapped[str] = mapped_column(String(64))
    positions: Mapped[str] = mapped_column(Text)
    text_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: agreement, or improvement (a Pareto improvement of the previous agreement).
    kind: Mapped[str] = mapped_column(String(16), default="agreement")
    parties: Mapped[str] = mapped_column(Text)
    declared_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("negotiation_id", "seq"),)


class Statement(Base):
    __tablename__ = "statements"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    data: Mapped[str] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))


class Meeting(Base):
    __tablename__ = "meetings"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    data: Mapped[str] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("accounts.id"))


# -- record, plumbing ---------------------------------------------------------------


class AuditEntry(Base):
    """One state change.  ``hash`` = SHA-256 of the entry's canonical form, which includes ``prev_hash``.

    Entries form one chain per (negotiation, stream); a stream is what one kind
    of viewer may see (see :mod:`accord.server.access`), so that no viewer sees
    gaps in a sequence that would betray entries hidden from them.
    """

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain: Mapped[str] = mapped_column(String(140))
    seq: Mapped[int] = mapped_column(Integer)
    negotiation_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    stream: Mapped[str] = mapped_column(String(80))
    #: ISO 8601 UTC with microseconds, kept as the exact text that was hashed.
    at: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str | None] = mapped_column(String(320), nullable=True)
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (UniqueConstraint("chain", "seq"),)


class AuditHead(Base):
    """The last entry of each chain; its row is locked while an entry is appended."""

    __tablename__ = "audit_heads"
    chain: Mapped[str] = mapped_column(String(140), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class IdempotencyRecord(Base):
    """The answer to a create that carried an Idempotency-Key, written with the create itself."""

    __tablename__ = "idempotency_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("account_id", "key"),)


class AnalysisResult(Base):
    """A cached analysis, keyed by the SHA-256 of the exact scenario it was computed from."""

    __tablename__ = "analysis_results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    result: Mapped[str] = mapped_column(Text)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("negotiation_id", "key", "kind"),)
