"""The audit chain: every state change recorded; an edit, insertion or deletion anywhere is found."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from tests.cli.helpers import run_cli
from tests.server.helpers import Service, create_negotiation, expect, flagship_preferences, join


def _negotiation(service: Service) -> tuple[str, Any]:
    mediator, ua = service.actor("Mediator"), service.actor("UA")
    nid = create_negotiation(mediator)
    join(mediator, nid, ua, "delegate", "ua")
    expect(
        ua.put(
            f"/negotiations/{nid}/preferences/ua",
            json={"visibility": "analysis-only", "preferences": flagship_preferences("ua")},
        ),
        201,
    )
    expect(ua.post(f"/negotiations/{nid}/acceptances", json={"text": "plan-28"}), 201)
    return nid, mediator


def _verify(service: Service, nid: str, *extra: str) -> Any:
    return run_cli("audit", "verify", nid, "--database", service.settings.database_url, *extra)


def test_every_change_is_recorded_and_the_chain_verifies(service: Service) -> None:
    nid, mediator = _negotiation(service)
    result = _verify(service, nid, "--json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and report["entries"] >= 40
    chains = {c["chain"].rsplit("/", 1)[1] for c in report["chains"]}
    assert {"public", "mediators", "party:ua", "private:ua"} <= chains
    log = expect(mediator.get(f"/negotiations/{nid}/audit", params={"limit": 1000}), 200)
    actions = {e["action"] for e in log["entries"]}
    assert {
        "negotiation.created",
        "text.published",
        "estimate.saved",
        "invitation.created",
        "member.joined",
        "preferences.submitted",
    } <= actions
    assert "acceptance.marked" not in actions  # the mediators' log has no view of blind acceptances
    assert all(e["address"] for e in log["entries"]) and all(e["actor"] for e in log["entries"])
    submitted = next(e for e in log["entries"] if e["action"] == "preferences.submitted")
    assert set(submitted["details"]) == {"party", "version", "visibility", "commitment"}  # no numbers


@pytest.mark.parametrize(
    "tamper", ["edit-entry", "delete-entry", "delete-last", "edit-text", "edit-preferences"]
)
def test_tampering_is_found(sqlite_service: Service, tamper: str) -> None:
    from accord.server.db.models import AuditEntry, AuditHead, PreferenceRecord, TextVersion

    service = sqlite_service
    nid, _ = _negotiation(service)
    head = json.loads(_verify(service, nid, "--json").stdout)
    public = next(c for c in head["chains"] if c["chain"].endswith("/public"))
    with service.services.db.write() as session:
        chain = public["chain"]
        if tamper == "edit-entry":
            session.execute(
                update(AuditEntry)
                .where(AuditEntry.chain == chain, AuditEntry.seq == 2)
                .values(details='{"forged": true}')
            )
        elif tamper == "delete-entry":
            session.execute(delete(AuditEntry).where(AuditEntry.chain == chain, AuditEntry.seq == 3))
        elif tamper == "delete-last":  # and move the head back, as a careful forger would
            last = public["entries"]
            session.execute(delete(AuditEntry).where(AuditEntry.chain == chain, AuditEntry.seq == last))
            previous = session.scalar(
                select(AuditEntry).where(AuditEntry.chain == chain, AuditEntry.seq == last - 1)
            )
            session.execute(
                update(AuditHead).where(AuditHead.chain == chain).values(seq=last - 1, hash=previous.hash)
            )
        elif tamper == "edit-text":
            row = session.scalar(select(TextVersion).where(TextVersion.negotiation_id == nid).limit(1))
            row.data = (
                row.data.replace("hold-line", "withdraw-dmz", 1)
                if "hold-line" in row.data
                else row.data.replace('"title":"', '"title":"X', 1)
            )
        else:
            row = session.scalar(
                select(PreferenceRecord).where(
                    PreferenceRecord.party_id == "ua", PreferenceRecord.kind == "submitted"
                )
            )
            row.data = row.data.replace('"reservation":', '"reservation":0.1,"x":', 1)
    result = _verify(service, nid)
    if tamper == "delete-last":
        # The chain alone cannot tell a truncated end; the head recorded earlier can.
        assert result.code == 0
        result = _verify(service, nid, "--head", f"{public['chain']}={public['head']}")
    assert result.code == 1, result.stdout
    assert "error:" in result.stderr and result.stdout.startswith("BROKEN")


def test_verify_bad_input(sqlite_service: Service) -> None:
    nid, _ = _negotiation(sqlite_service)
    wrong = run_cli("audit", "verify", nid[:-1] + "x", "--database", sqlite_service.settings.database_url)
    assert wrong.code == 2 and "no negotiation" in wrong.stderr
    missing = run_cli("audit", "verify", nid, "--database", "sqlite:////nonexistent/accord.db")
    assert missing.code == 2 and "no database at" in missing.stderr
    bad_head = run_cli(
        "audit", "verify", nid, "--database", sqlite_service.settings.database_url, "--head", "x"
    )
    assert bad_head.code == 2 and "CHAIN=HASH" in bad_head.stderr
