"""What each viewer's analysis runs on, and reading it: the bridge between stored state and :mod:`jobs`.

* A mediator's analysis uses the preferences :func:`accord.server.access.mediator_profile`
  allows, runs off the request path (:class:`accord.server.jobs.JobRunner`)
  and is cached in the database per input; it is started as soon as a change
  commits (a published text, new preferences, an agreement), so it is usually
  ready when a mediator asks.
* A delegate's analysis uses its own party's preferences alone; it is small
  (one party) and computed on request, cached per input in the process.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.server import access
from accord.server.access import Viewer
from accord.server.context import Services
from accord.server.db.models import AnalysisResult, Negotiation
from accord.server.errors import ApiError
from accord.server.jobs import MEDIATOR_KIND, QueueFull, delegate_bundle, input_key
from accord.server.store import agreements, analysis_document, load, loads

__all__ = ["MediatorInput", "mediator_analysis", "mediator_input", "refresh", "viewer_analysis"]


class MediatorInput:
    """The mediators' analysis input of a negotiation's current state."""

    def __init__(
        self,
        document: dict[str, Any],
        params: dict[str, Any],
        profile: Mapping[str, access.ProfileEntry],
        missing: list[str],
    ) -> None:
        self.document = document
        self.params = params
        self.profile = profile
        self.missing = missing
        self.key = input_key(document, params)

    @property
    def hidden(self) -> set[str]:
        return {party for party, entry in self.profile.items() if not entry.numbers_visible}


def mediator_input(session: Session, services: Services, negotiation: Negotiation) -> MediatorInput:
    loaded = load(session, negotiation)
    chosen, profile = access.mediator_profile(loaded.inputs())
    document, missing = analysis_document(loaded.structure, loaded.text_documents, chosen)
    agreed = agreements(session, negotiation.id)
    params: dict[str, Any] = {"samples": services.settings.chance_samples, "seed": 0, "k": 5}
    if agreed:
        params["agreement"] = loads(agreed[-1].positions)
    return MediatorInput(document, params, profile, missing)


def refresh(services: Services, negotiation_id: str) -> None:
    """Start the mediators' analysis of the current state (after a change has committed)."""

    def start() -> None:
        with services.db.read() as session:
            negotiation = session.get(Negotiation, negotiation_id)
            if negotiation is None:
                return
            spec = mediator_input(session, services, negotiation)
            if _cached(session, negotiation_id, spec.key) is not None:
                return
        services.jobs.submit(negotiation_id, spec.key, spec.document, spec.params)

    import logging

    try:
        start()
    except QueueFull:  # started when a mediator asks for it
        logging.getLogger("accord.server").warning(
            "analysis queue full; %s waits for a request", negotiation_id
        )
    except Exception:  # an analysis that cannot start is retried when someone asks for it
        logging.getLogger("accord.server").exception("could not start an analysis")


def _cached(session: Session, negotiation_id: str, key: str) -> dict[str, Any] | None:
    row = session.scalar(
        select(AnalysisResult.result).where(
            AnalysisResult.negotiation_id == negotiation_id,
            AnalysisResult.key == key,
            AnalysisResult.kind == MEDIATOR_KIND,
        )
    )
    return None if row is None else loads(row)


def viewer_analysis(
    services: Services, session: Session, negotiation: Negotiation, viewer: Viewer, *, wait: float = 0.0
) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) of the viewer's analysis: 200 when ready, 202 while it is being computed."""
    access.require_member(viewer)
    if viewer.is_mediator:
        return _mediator(services, session, negotiation, wait)[:2]
    if viewer.is_delegate and viewer.party is not None:
        return 200, _delegate(services, session, negotiation, viewer.party)
    # Observers see no analysis: every one is computed from someone's confidential preferences.
    return 200, {
        "status": "none",
        "role": viewer.role,
        "note": "observers see the public record only; analyses rest on confidential preferences",
    }


def mediator_analysis(
    services: Services, session: Session, negotiation: Negotiation, wait: float
) -> tuple[int, dict[str, Any], str]:
    """The mediators' analysis (status, body) and the key of the input it was computed from."""
    return _mediator(services, session, negotiation, wait)


def _mediator(
    services: Services, session: Session, negotiation: Negotiation, wait: float
) -> tuple[int, dict[str, Any], str]:
    spec = mediator_input(session, services, negotiation)
    result = _cached(session, negotiation.id, spec.key)
    if result is None:
        try:
            future = services.jobs.running(spec.key) or services.jobs.submit(
                negotiation.id, spec.key, spec.document, spec.params
            )
        except QueueFull:
            raise ApiError(
                503,
                "the service has too many analyses waiting; ask again in a moment",
                headers={"Retry-After": "5"},
            ) from None
        if wait > 0:
            deadline = time.monotonic() + wait
            try:
                result = future.result(timeout=max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                result = None
            except Exception:
                result = None
    # Not the input's key: it is a hash of every party's preferences, so a mediator could test a
    # guess of a hidden party's numbers against it offline.
    meta = {
        "role": access.MEDIATOR,
        "profile": {party: entry.as_dict() for party, entry in spec.profile.items()},
        "missing": spec.missing,
    }
    if result is None:
        return (
            202,
            {
                "status": "pending",
                **meta,
                "note": "being computed; an 'analysis' event announces it, or ask again with ?wait=5",
            },
            spec.key,
        )
    hidden = spec.hidden
    if result.get("status") in {"unavailable", "failed"}:
        party = result.get("error_party")
        if (party is not None and party in hidden) or (result.get("status") == "failed" and hidden):
            # The refusal would describe a party's preferences the mediators may not see.
            result = {
                "status": result["status"],
                "error": "the analysis cannot use the preferences of a party whose numbers are "
                "hidden from you (their form is outside what the analysis supports)",
            }
        else:
            result = {k: v for k, v in result.items() if k != "error_party"}
        return 200, {**result, **meta}, spec.key
    return 200, {**access.redact_bundle(result, hidden), **meta}, spec.key


def _delegate(services: Services, session: Session, negotiation: Negotiation, party: str) -> dict[str, Any]:
    loaded = load(session, negotiation)
    own = access.delegate_profile(loaded.inputs(), party)
    base = {"role": access.DELEGATE, "party": party}
    if not own:
        return {
            "status": "none",
            **base,
            "note": "submit your party's preferences to see your utilities and verdicts",
        }
    # The published versions only: an unpublished one is the mediators' until they publish it.
    document, _ = analysis_document(loaded.structure, loaded.visible(False).text_documents, own)
    document["scenario"]["must_accept"] = [party]
    key = ("delegate", input_key(document, {"party": party}))
    cached = services.analysis_cache.get(key)
    if cached is None:
        cached = delegate_bundle(document, party)
        services.analysis_cache.put(key, cached)
    return {**cached, **base}
