"""Deal chances (:func:`accord.analysis.uncertainty.deal_chances`) for people and machines.

:func:`to_dict` is what ``accord chance --json`` prints: every probability and
margin at full precision (they are Monte Carlo estimates, and their 95 %
intervals stand next to them; rounding is for people).  :func:`render` is the
table a person reads, parties and texts by label and id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from accord.analysis.uncertainty import ChanceResult
from accord.views.labels import Labels
from accord.views.numbers import exact, percent, plural, sampled

if TYPE_CHECKING:
    from rich.console import RenderableType

__all__ = ["NO_TEXTS", "must_names", "parties_key", "render",
           "texts_key", "to_dict"]

#: What a person reads instead of an empty table when the scenario has no texts.
NO_TEXTS = "The scenario has no texts (a GENIUS domain has none)"


def must_names(labels: Labels) -> str:
    """The must-accept parties as a sentence lists them: ``Ukraine (ua) and Russia (ru)``."""
    from accord.views.packages import names_of

    space = labels.space
    return names_of([labels.party_named(p) for p in range(space.n_parties) if space.must_accept[p]])


def parties_key(labels: Labels) -> str:
    """``Parties: United States (us), Ukraine (ua) *, …``: the key to columns headed by id."""
    space = labels.space
    return "Parties: " + ", ".join(labels.party_named(p) + (" *" if space.must_accept[p] else "")
                                   for p in range(space.n_parties)) + "."


def texts_key(labels: Labels, texts: Sequence[int]) -> str:
    """``Texts: 28-point plan (plan-28), …``: the key to columns headed by id."""
    return "Texts: " + ", ".join(labels.text_named(t) for t in texts) + "."


def to_dict(result: ChanceResult, labels: Labels) -> dict[str, Any]:
    """P(acceptable) per text and party, P(deal) per text, margins, and P(some package exists)."""
    space = labels.space
    texts = []
    for text in result.texts:
        parties: dict[str, Any] = {}
        for party in text.parties:
            parties[space.party_ids[party.party]] = {
                "p_accept": exact(party.p_accept),
                "interval": [exact(x) for x in party.interval],
                "p_possible": exact(party.p_possible),
                "must_accept": bool(space.must_accept[party.party]),
                "margin": {
                    "mean": exact(party.margin_mean),
                    "p05": exact(party.margin_quantiles[0]),
                    "median": exact(party.margin_quantiles[1]),
                    "p95": exact(party.margin_quantiles[2]),
                },
            }
        texts.append(
            {
                "id": space.text_ids[text.text],
                "p_all": exact(text.p_all),
                "interval": [exact(x) for x in text.interval],
                "parties": parties,
            }
        )
    data: dict[str, Any] = {
        "samples": result.samples,
        "seed": result.seed,
        "texts": texts,
        "p_any_package": exact(result.p_any_package),
    }
    if result.any_package_interval is not None:
        data["any_package"] = {
            "interval": [exact(x) for x in result.any_package_interval],
            "settled_by_bound": result.settled_by_bound,
            "settled_by_candidate": result.settled_by_candidate,
            "exact_checks": result.exact_checks,
        }
    data["estimates"] = result.estimates
    data["chunks"] = result.chunks
    data["chunk_size"] = result.chunk_size
    notes = list(result.notes)
    if not space.text_ids:
        notes.append(f"{NO_TEXTS}: no text to estimate")
    data["notes"] = notes
    return data


def render(result: ChanceResult, labels: Labels) -> RenderableType:
    """One row per text: P(deal) with its bar and interval, then P(acceptable) per party."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from accord.views.cells import probability_cell

    space = labels.space
    must = must_names(labels)
    parts: list[RenderableType] = []
    head = (f"Deal chances: {plural(result.samples, 'sample')}, seed {result.seed}, "
            f"{plural(result.estimates, 'uncertain estimate')}")
    if result.texts:
        table = Table(title=head)
        table.add_column("text", overflow="fold", max_width=30)
        table.add_column("P(deal)", justify="right")
        table.add_column("95% interval", justify="right")
        for p in range(space.n_parties):
            table.add_column(f"P({labels.party(p)})" + (" *" if space.must_accept[p] else ""),
                             justify="right")
        for text in result.texts:
            table.add_row(labels.text_named(text.text),
                          probability_cell(text.p_all, *text.interval),
                          f"{percent(text.interval[0])}–{percent(text.interval[1])}",
                          *(percent(party.p_accept) for party in text.parties))
        parts.append(table)
        parts.append(Text(f"  {parties_key(labels)}"))
        parts.append(Text(
            f"  P(deal): every party that must accept (*), {must}, accepts; P(party): that "
            "party accepts. A text with open points counts as acceptable to a party only when "
            "it is acceptable however they close."))
        parts.append(Text(
            "  Bars: solid to the 95% interval's low end, shaded to its high end; green: a deal "
            "is more likely than not (the whole interval ≥ 50%), red: less likely, yellow: "
            "cannot tell."))
    else:
        hint = "" if result.p_any_package is not None else \
            "; --any-package estimates P(some package acceptable to every must-accept party exists)"
        parts.append(Text(f"{head}. {NO_TEXTS}, so there is no text whose chances to "
                          f"estimate{hint}."))
    if result.p_any_package is not None and result.any_package_interval is not None:
        lo, hi = result.any_package_interval
        parts.append(Text(
            f"  P(some package acceptable to {must} exists) = "
            f"{sampled(result.p_any_package, result.samples)} "
            f"(95% {percent(lo)}–{percent(hi)}); settled by bounds {result.settled_by_bound:,}, "
            f"by a candidate package {result.settled_by_candidate:,}, by exact search "
            f"{result.exact_checks:,}."))
    for note in result.notes:
        parts.append(Text(f"  note: {note}"))
    return Group(*parts)
