"""The append-only audit log: every state change, who made it, when, from where, hash-chained.

Each entry stores the SHA-256 of its canonical form, and that form includes
the previous entry's hash, so editing, inserting or deleting an entry anywhere
but at the very end breaks the chain (Haber and Stornetta, "How to time-stamp a
digital document", J. Cryptology 3(2), 1991, introduced such linking).  To
catch a truncated or wholly rewritten chain, keep the head hash that
``accord audit verify`` prints somewhere else and pass it back with ``--head``.

There is one chain per (negotiation, stream) — a stream is what one audience
sees (:mod:`accord.server.access`) — and one for account changes.  An entry is
written in the same transaction as the change it records, so a change and its
entry are committed together or not at all.

Confidential content is never copied into an entry a wider audience can read:
an entry about submitted preferences carries a salted commitment
(SHA-256 of a random salt and the preferences), not the numbers; the salt stays
with the stored preferences, so :func:`verify` can check that what is stored
is what was recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from accord.server.db.models import AuditEntry, AuditHead, Negotiation, PreferenceRecord, TextVersion

__all__ = [
    "ACCOUNTS_CHAIN",
    "GENESIS",
    "VerifyReport",
    "append",
    "canonical",
    "chain_name",
    "commitment",
    "entry_hash",
    "verify",
]

#: The previous-hash of a chain's first entry.
GENESIS = "0" * 64
ACCOUNTS_CHAIN = "accounts"


def canonical(value: Any) -> str:
    """One JSON text per value: sorted keys, no spaces, UTF-8 kept, dates as ISO strings."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_default
    )


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def sha256(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def commitment(salt: str, content: str) -> str:
    """A salted hash that binds an entry to confidential content without revealing it."""
    return sha256(salt + "\n" + content)


def chain_name(negotiation_id: str | None, stream: str) -> str:
    return ACCOUNTS_CHAIN if negotiation_id is None else f"n/{negotiation_id}/{stream}"


def entry_hash(entry: AuditEntry | Mapping[str, Any]) -> str:
    get: Callable[[str], Any] = entry.get if isinstance(entry, Mapping) else lambda name: getattr(entry, name)
    body = canonical(
        {
            "chain": get("chain"),
            "seq": get("seq"),
            "negotiation": get("negotiation_id"),
            "stream": get("stream"),
            "at": get("at"),
            "actor_id": get("actor_id"),
            "actor": get("actor"),
            "address": get("address"),
            "action": get("action"),
            "details": get("details"),
        }
    )
    return sha256(f"{get('prev_hash')}\n{body}")


@dataclass(frozen=True)
class Actor:
    """Who made a change and from which address (None for the service itself)."""

    account_id: int | None
    email: str | None
    address: str | None


def append(
    session: Session,
    *,
    negotiation_id: str | None,
    stream: str,
    action: str,
    details: Mapping[str, Any],
    actor: Actor,
    dialect: str,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Append one entry to its chain (in the caller's transaction) and bump the negotiation's state."""
    chain = chain_name(negotiation_id, stream)
    if dialect == "postgresql":
        # Serialise appends to this chain until the transaction ends.
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:chain))"), {"chain": chain})
    head = session.get(AuditHead, chain)
    seq = 1 if head is None else head.seq + 1
    prev = GENESIS if head is None else head.hash
    moment = (at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    entry = AuditEntry(
        chain=chain,
        seq=seq,
        negotiation_id=negotiation_id,
        stream=stream,
        at=moment.isoformat(timespec="microseconds"),
        actor_id=actor.account_id,
        actor=actor.email,
        address=actor.address,
        action=action,
        details=canonical(dict(details)),
        prev_hash=prev,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    if head is None:
        session.add(AuditHead(chain=chain, seq=seq, hash=entry.hash))
    else:
        head.seq, head.hash = seq, entry.hash
    if negotiation_id is not None:
        session.execute(
            update(Negotiation)
            .where(Negotiation.id == negotiation_id)
            .values(state_version=Negotiation.state_version + 1)
        )
    session.flush()
    return entry


# -- verification ----------------------------------------------------------------------


@dataclass
class ChainReport:
    chain: str
    entries: int = 0
    head: str = GENESIS


@dataclass
class VerifyReport:
    """What :func:`verify` found: one problem per broken link, and each chain's head."""

    negotiation_id: str
    chains: list[ChainReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def entries(self) -> int:
        return sum(c.entries for c in self.chains)


def verify(session: Session, negotiation_id: str, *, heads: Mapping[str, str] | None = None) -> VerifyReport:
    """Check every chain of a negotiation, and that stored texts and preferences match their entries.

    ``heads`` (chain → a head hash recorded earlier) must each appear in its chain.
    """
    report = VerifyReport(negotiation_id)
    prefix = f"n/{negotiation_id}/"
    chains = sorted(
        set(
            session.scalars(select(AuditEntry.chain).where(AuditEntry.negotiation_id == negotiation_id)).all()
        )
        | set(session.scalars(select(AuditHead.chain).where(AuditHead.chain.startswith(prefix))).all())
    )
    recorded: dict[str, list[AuditEntry]] = {}
    for chain in chains:
        entries = list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.chain == chain).order_by(AuditEntry.seq)
            ).all()
        )
        recorded[chain] = entries
        chain_report = ChainReport(chain, len(entries))
        report.chains.append(chain_report)
        prev = GENESIS
        hashes = set()
        for expected_seq, entry in enumerate(entries, start=1):
            where = f"{chain} entry {entry.seq}"
            if entry.seq != expected_seq:
                report.problems.append(f"{chain}: entry {expected_seq} is missing (next is {entry.seq})")
            if entry.prev_hash != prev:
                report.problems.append(
                    f"{where}: does not link to the entry before it "
                    "(an entry was removed, inserted or edited)"
                )
            if entry_hash(entry) != entry.hash:
                report.problems.append(f"{where}: its hash does not match its content (edited)")
            prev = entry.hash
            hashes.add(entry.hash)
        chain_report.head = prev
        head = session.get(AuditHead, chain)
        if head is None or head.hash != prev or head.seq != len(entries):
            report.problems.append(
                f"{chain}: the recorded head does not match the last entry "
                "(entries were removed from the end)"
            )
        if heads and chain in heads and heads[chain] not in hashes:
            report.problems.append(
                f"{chain}: the head {heads[chain][:12]}… recorded earlier is not "
                "in the chain (rewritten or truncated)"
            )
    if heads:
        for chain in set(heads) - set(chains):
            report.problems.append(f"{chain}: recorded earlier but absent now")
    report.problems.extend(_check_objects(session, negotiation_id, recorded))
    return report


def _check_objects(
    session: Session, negotiation_id: str, recorded: Mapping[str, list[AuditEntry]]
) -> list[str]:
    """Stored texts and preferences must be exactly what their latest entries committed to."""
    problems: list[str] = []
    published: dict[str, str] = {}
    preference_commitments: dict[tuple[str, str], str] = {}
    # In the order they were written, across streams: a version drafted (mediators' stream) and later
    # published (public stream) must be checked against its latest entry.
    ordered = sorted((e for entries in recorded.values() for e in entries), key=lambda e: e.id)
    for entry in ordered:
        try:
            details = json.loads(entry.details)
        except ValueError:
            continue  # the hash check has already reported an edited entry
        if entry.action in {"text.published", "text.drafted"}:
            published[details.get("text", "")] = details.get("sha256", "")
        elif entry.action in {"preferences.submitted", "estimate.saved"}:
            key = (
                details.get("party", ""),
                "submitted" if entry.action == "preferences.submitted" else "estimate",
            )
            preference_commitments[key] = details.get("commitment", "")
        elif entry.action == "estimate.deleted":
            preference_commitments.pop((details.get("party", ""), "estimate"), None)
    for row in session.scalars(select(TextVersion).where(TextVersion.negotiation_id == negotiation_id)):
        if published.get(row.text_id) != sha256(row.data):
            problems.append(f"text {row.text_id!r}: stored content differs from what was published")
    for record in session.scalars(
        select(PreferenceRecord).where(PreferenceRecord.negotiation_id == negotiation_id)
    ):
        expected = preference_commitments.get((record.party_id, record.kind))
        if expected != commitment(record.salt, record.data):
            problems.append(
                f"{record.kind} preferences of {record.party_id!r}: stored content differs "
                "from what the audit log committed to"
            )
    return problems
