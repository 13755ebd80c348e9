"""A unit's figures for a month (SCORING.md §4): a pure function of the facts and the plugins in force.

The figures are kept in a compact form, which is what a ``ScoreChanged`` records:
the inputs of every indicator as exact decimal strings
(``[plugin, kind, value, target, weight, cap]``), the coefficient, the deduction,
A(u, d) and the final score. Everything else (each ratio and score, the base) is
``derive``d from them with the same ``Decimal`` arithmetic, by the scorer and by
every reader alike, so that nothing is stored twice and nothing can disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.clock import month_end, parse_period
from core.errors import PluginError
from core.model import Measure

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)


@dataclass(frozen=True)
class Figures:
    """A unit's figures for a month, as recorded (exact decimal strings)."""

    assessed: bool
    indicators: tuple  # of (plugin, kind, value, target, weight, cap)
    coefficient: str
    deduction: str
    signed_amount: str
    final: str

    def as_event_data(self) -> dict:
        return {"assessed": self.assessed, "indicators": [list(i) for i in self.indicators],
                "coefficient": self.coefficient, "deduction": self.deduction,
                "signed_amount": self.signed_amount, "final": self.final}

    @classmethod
    def from_event(cls, event) -> "Figures":
        return cls(event.assessed, tuple(tuple(i) for i in event.indicators), event.coefficient, event.deduction,
                   event.signed_amount, event.final)


@dataclass(frozen=True)
class Derived:
    """Everything shown of a unit's month, unrounded: the base, the final, and per indicator
    ``{"plugin", "kind", "value", "target", "ratio", "weight", "score"}`` (Decimals)."""

    base: Decimal
    coefficient: Decimal
    deduction: Decimal
    final: Decimal
    signed_amount: Decimal
    indicators: list


def derive(figures: Figures) -> Derived:
    """The ratios, scores, base and final of recorded figures (SCORING.md §4)."""
    rows, total_weight, total_score = [], ZERO, ZERO
    for plugin, kind, value, target, weight, cap in figures.indicators:
        value, target, weight, cap = Decimal(value), Decimal(target), Decimal(weight), Decimal(cap)
        ratio = value / target
        score = weight * min(ratio, cap)
        total_weight += weight
        total_score += score
        rows.append({"plugin": plugin, "kind": kind, "value": value, "target": target, "ratio": ratio,
                     "weight": weight, "score": score})
    base = total_score * HUNDRED / total_weight if total_weight > 0 else ZERO
    coefficient, deduction = Decimal(figures.coefficient), Decimal(figures.deduction)
    return Derived(base, coefficient, deduction, max(ZERO, base * coefficient - deduction),
                   Decimal(figures.signed_amount), rows)


def compute(ps, unit: str, period: str, view, cases, previous: Figures | None = None,
            changed: frozenset | None = None) -> Figures:
    """The figures of ``unit`` for ``period`` under the plugin set ``ps``.

    With ``previous`` figures (of the same month and rules) and the set of
    ``changed`` inputs, an indicator that declares ``inputs`` none of which
    changed keeps its previous value and target without being asked again.
    """
    year, month = parse_period(period)
    targets = view.targets(unit, year)
    kept = {}
    if previous is not None and changed is not None:
        kept = {row[0]: row for row in previous.indicators}
    measures = {}
    skip = {name for name, spec in ps.indicators.items()
            if name in kept and spec.inputs is not None and not (spec.inputs & changed)}
    for plugin, measure in ps.measures(unit=unit, period=period, facts=view, skip=skip):
        if measure is None:
            continue
        if not isinstance(measure, Measure) or ps.owners.get(measure.plugin) != plugin or not all(
                isinstance(x, Decimal) and x.is_finite() and x >= 0 for x in (measure.value, measure.target)):
            raise PluginError(f'plugin "{plugin}" returned nonsense from sankao_measure for {unit} '
                              f"{period}: {measure!r} (want a Measure of its own indicator with "
                              "finite Decimal value and target >= 0)")
        measures[measure.plugin] = (str(measure.value), str(measure.target))
    indicators = []
    for name in ps.order:
        spec = ps.indicators.get(name)
        if spec is None:
            continue
        if name in measures:
            value, target = measures[name]
        elif name in skip:
            value, target = kept[name][2], kept[name][3]
        else:
            continue
        if Decimal(target) == 0:
            continue
        weight = Decimal(targets.weights.get(name, spec.default_weight)) if targets else spec.default_weight
        indicators.append((name, spec.kind, value, target, str(weight), str(spec.cap)))
    assessed = sum((Decimal(i[4]) for i in indicators), ZERO) > 0
    coefficient = _decimal(ps, "sankao_coefficient", ONE, unit=unit, period=period, facts=view)
    deduction = _decimal(ps, "sankao_deduction", ZERO, unit=unit, period=period, cases=cases)
    signed = view.signed_amount(unit, month_end(year, month))
    figures = Figures(assessed, tuple(indicators), str(coefficient), str(deduction), str(signed), "0")
    final = derive(figures).final if assessed else ZERO
    return Figures(assessed, tuple(indicators), str(coefficient), str(deduction), str(signed), str(final))


def _decimal(ps, hook, default, **kwargs):
    for plugin, value in ps.each(hook, **kwargs):
        if value is None:
            continue
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            raise PluginError(f'plugin "{plugin}" returned nonsense from {hook}: {value!r} '
                              "(want a finite Decimal >= 0)")
        return value
    return default
