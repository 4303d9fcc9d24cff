"""What the deal probabilities hinge on: the tornado and Sobol indices (:mod:`accord.analysis.sensitivity`).

:func:`to_dict` / :func:`render` show a :class:`~accord.analysis.sensitivity.Tornado`,
:func:`sobol_to_dict` / :func:`render_sobol` a
:class:`~accord.analysis.sensitivity.SobolResult`.  Machine output keeps full
precision and names the targets by id (``any-package`` for P(some acceptable
package exists)); a person reads each text by title and id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from accord.views.chance import must_names, texts_key
from accord.views.numbers import exact, percent, plural, shown, significant

if TYPE_CHECKING:
    from rich.console import RenderableType

    from accord.analysis.sensitivity import EstimateEffect, SobolResult, Tornado
    from accord.views.labels import Labels

__all__ = ["estimates_key", "hinges", "render", "render_sobol", "settings", "sobol_to_dict",
           "to_dict"]

#: The id of P(some package acceptable to every must-accept party exists) among the targets.
ANY_PACKAGE = "any-package"


def _target_ids(labels: Labels, texts: tuple[int, ...], any_package: bool) -> list[str]:
    return [str(labels.text(t)) for t in texts] + ([ANY_PACKAGE] if any_package else [])


def _target_names(labels: Labels, texts: tuple[int, ...], any_package: bool) -> list[str]:
    """Column heads: text ids (the key below gives their titles) and ``any package``."""
    return [str(labels.text(t)) for t in texts] + (["any package"] if any_package else [])


def _key(labels: Labels, texts: tuple[int, ...], any_package: bool) -> str:
    key = texts_key(labels, texts) if texts else ""
    if any_package:
        key += (" " if key else "") + (f"any package: some package acceptable to "
                                        f"{must_names(labels)} exists.")
    return key


def settings(labels: Labels, effects: Sequence[EstimateEffect]) -> list[tuple[float, float]]:
    """Each effect's low and high pinned values in the scenario file's own units.

    The uncertain model divides a party's weights by a power of two before they
    are summed (so that weights like 1e308 cannot overflow); a weight the file
    gives as ``{ low = 15, high = 29 }`` is read back as 15 to 29, not as the
    model's 0.94 to 1.81.  Values, reservation values and red lines are kept as
    written.
    """
    from accord.analysis.uncertainty import build_model

    model = build_model(labels.scenario, labels.space) if effects else None
    out = []
    for effect in effects:
        assert model is not None
        estimate = model.estimates[effect.estimate]
        factor = 1.0
        if estimate.kind == "weight":
            written = labels.scenario.preferences[labels.party(estimate.party)].weights[
                labels.issue(estimate.issue)]
            high, scaled = getattr(written, "high", None), float(estimate.shape[-1])
            if high is not None and scaled != 0.0:
                factor = float(high) / scaled
        out.append((effect.low_setting * factor, effect.high_setting * factor))
    return out


def _estimate_words(labels: Labels, estimate: Any) -> str:
    """An estimate as a person reads it: party, point and option by label and id."""
    party = labels.party_named(estimate.party)
    if estimate.kind == "reservation":
        return f"the reservation value of {party}"
    point = labels.issue_named(estimate.issue)
    if estimate.kind == "weight":
        return f"the weight {party} gives {point}"
    option = labels.option_named(estimate.issue, estimate.option)
    if estimate.kind == "value":
        return f"the value {party} puts on {option} for {point}"
    return f"a red line of {party}: {option} for {point}"


def estimates_key(labels: Labels, columns: Sequence[int]) -> list[str]:
    """One line per estimate column: its short label, then what it is in words (label and id)."""
    from accord.analysis.uncertainty import build_model, estimate_label

    model = build_model(labels.scenario, labels.space)
    return [f"{estimate_label(model, model.estimates[c])}: "
            f"{_estimate_words(labels, model.estimates[c])}" for c in columns]


def to_dict(result: Tornado, labels: Labels) -> dict[str, Any]:
    """Each estimate pinned low and high, the probabilities it moves, ranked by swing."""
    targets = _target_ids(labels, result.texts, result.any_package)

    def per_target(values: tuple[float, ...]) -> dict[str, float | None]:
        return dict(zip(targets, (exact(v) for v in values), strict=True))

    pinned = settings(labels, result.effects)
    return {
        "method": "tornado",
        "samples": result.samples,
        "seed": result.seed,
        "targets": targets,
        "base": per_target(result.base),
        "estimates": [
            {"estimate": effect.label, "low": exact(low), "high": exact(high),
             "swing": exact(effect.swing),
             "p_low": per_target(effect.p_low), "p_high": per_target(effect.p_high)}
            for effect, (low, high) in zip(result.effects, pinned, strict=True)
        ],
    }


def render(result: Tornado, labels: Labels, top: int = 10) -> RenderableType:
    """The ``top`` estimates: pinned values, swing, and each target's probability low → high."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"What the deal probabilities hinge on ({plural(result.samples, 'sample')} "
                        "per run; each estimate pinned at its 5th/95th percentile)")
    table.add_column("estimate", overflow="fold", min_width=16)
    table.add_column("low → high", justify="right")
    table.add_column("swing", justify="right")
    for name in _target_names(labels, result.texts, result.any_package):
        table.add_column(f"{name}\nlow → high", justify="right", overflow="fold")
    table.add_row("(as estimated)", "", "", *(percent(p) for p in result.base))
    for effect, (low, high) in zip(result.effects[:top], settings(labels, result.effects[:top]),
                                   strict=True):
        table.add_row(effect.label, f"{significant(low)} → {significant(high)}",
                      percent(effect.swing),
                      *(percent(lo) if percent(lo) == percent(hi) else f"{percent(lo)} → {percent(hi)}"
                        for lo, hi in zip(effect.p_low, effect.p_high, strict=True)))
    shown_estimates = [effect.estimate for effect in result.effects[:top]]
    return Group(table, Text(f"  {_key(labels, result.texts, result.any_package)}"),
                 Text("\n".join(f"  {line}" for line in estimates_key(labels, shown_estimates))))


def hinges(result: Tornado, labels: Labels, top: int = 3) -> list[str]:
    """One line per top estimate, on the target it moves most (the demo's summary)."""
    names = [labels.text_named(t) for t in result.texts] + \
        (["any package"] if result.any_package else [])
    lines = []
    for effect, (low, high) in zip(result.effects[:top], settings(labels, result.effects[:top]),
                                   strict=True):
        k = max(range(len(names)), key=lambda j: effect.swings[j])
        lines.append(f"{effect.label} ({significant(low)} → {significant(high)}): P({names[k]}) "
                     f"{percent(effect.p_low[k])} → {percent(effect.p_high[k])}")
    return lines


def sobol_to_dict(result: SobolResult, labels: Labels) -> dict[str, Any]:
    """First-order and total indices with their 95% half-widths, per estimate and target."""
    targets = _target_ids(labels, result.texts, result.any_package)

    def per_target(values: tuple[float, ...]) -> dict[str, float | None]:
        return dict(zip(targets, (exact(v) for v in values), strict=True))

    return {
        "method": "sobol",
        "base_samples": result.base_samples,
        "runs": result.runs,
        "seed": result.seed,
        "targets": targets,
        "p": per_target(result.p),
        "estimates": [
            {"estimate": effect.label, "first": per_target(effect.first),
             "first_conf": per_target(effect.first_conf), "total": per_target(effect.total),
             "total_conf": per_target(effect.total_conf)}
            for effect in result.effects
        ],
        "notes": list(result.notes),
    }


def _index(value: float, half: float) -> str:
    return f"{shown(value, 2)}±{shown(half, 2)}"


def render_sobol(result: SobolResult, labels: Labels, top: int = 10) -> RenderableType:
    """The ``top`` estimates' first-order / total indices for each target that varies."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    names = _target_names(labels, result.texts, result.any_package)
    table = Table(title=f"Sobol indices of the deal outcomes ({plural(result.runs, 'run')}, base "
                        f"{result.base_samples:,}): first order / total, ± 95%")
    table.add_column("estimate", overflow="fold", min_width=16)
    # A target decided the same way in every run has no variance to apportion (see the notes).
    varying = [k for k, p in enumerate(result.p) if 0.0 < p < 1.0]
    for k in varying:
        table.add_column(f"{names[k]}\nP = {percent(result.p[k])}\nfirst / total",
                         justify="right", overflow="fold")
    for effect in result.effects[:top]:
        table.add_row(effect.label, *(
            f"{_index(effect.first[k], effect.first_conf[k])} / "
            f"{_index(effect.total[k], effect.total_conf[k])}" for k in varying))
    shown_estimates = [effect.estimate for effect in result.effects[:top]]
    return Group(table, Text(f"  {_key(labels, result.texts, result.any_package)}"),
                 Text("\n".join(f"  {line}" for line in estimates_key(labels, shown_estimates))),
                 *(Text(f"  note: {note}") for note in result.notes))
