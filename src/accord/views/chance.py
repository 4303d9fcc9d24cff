"""Deal chances (:func:`accord.analysis.uncertainty.deal_chances`) as JSON, as `accord chance --json` prints.

Probabilities are rounded to 6 decimals: they are Monte Carlo estimates whose
95 % intervals are given next to them.
"""

from __future__ import annotations

from typing import Any

from accord.analysis.uncertainty import ChanceResult
from accord.views.labels import Labels

__all__ = ["to_dict"]


def _rounded(value: float) -> float:
    return round(float(value), 6)


def to_dict(result: ChanceResult, labels: Labels) -> dict[str, Any]:
    """P(acceptable) per text and party, P(deal) per text, margins, and P(some package exists)."""
    space = labels.space
    texts = []
    for text in result.texts:
        parties: dict[str, Any] = {}
        for party in text.parties:
            parties[space.party_ids[party.party]] = {
                "p_accept": _rounded(party.p_accept),
                "interval": [_rounded(x) for x in party.interval],
                "p_possible": _rounded(party.p_possible),
                "must_accept": bool(space.must_accept[party.party]),
                "margin": {
                    "mean": _rounded(party.margin_mean),
                    "p05": _rounded(party.margin_quantiles[0]),
                    "median": _rounded(party.margin_quantiles[1]),
                    "p95": _rounded(party.margin_quantiles[2]),
                },
            }
        texts.append(
            {
                "id": space.text_ids[text.text],
                "p_all": _rounded(text.p_all),
                "interval": [_rounded(x) for x in text.interval],
                "parties": parties,
            }
        )
    data: dict[str, Any] = {
        "samples": result.samples,
        "seed": result.seed,
        "texts": texts,
        "p_any_package": None if result.p_any_package is None else _rounded(result.p_any_package),
    }
    if result.any_package_interval is not None:
        data["any_package"] = {
            "interval": [_rounded(x) for x in result.any_package_interval],
            "settled_by_bound": result.settled_by_bound,
            "settled_by_candidate": result.settled_by_candidate,
            "exact_checks": result.exact_checks,
        }
    data["estimates"] = result.estimates
    data["chunks"] = result.chunks
    data["chunk_size"] = result.chunk_size
    data["notes"] = list(result.notes)
    return data
