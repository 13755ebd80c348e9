"""A unit's figures for a month (docs/assessment.md §4): a pure function of the facts and the plugins in force.

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
from core.messages import msg
from core.rules.model import Measure, SupervisionPoints
from core.rules.plugins import plugin_failure

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
SIGNING_FIELDS = frozenset({"signed_on", "signed_amount", "withdrawn_on"})  # what A(u, d) reads


@dataclass(frozen=True)
class Figures:
    """A unit's figures for a month, as recorded (exact decimal strings)."""

    assessed: bool
    indicators: tuple  # of (plugin, kind, value, target, weight, cap)
    base: str
    coefficient: str
    deduction: str
    signed_amount: str
    final: str

    FIELDS = ("assessed", "indicators", "base", "coefficient", "deduction", "signed_amount", "final")

    def as_event_data(self) -> dict:
        return {"assessed": self.assessed, "indicators": [list(i) for i in self.indicators], "base": self.base,
                "coefficient": self.coefficient, "deduction": self.deduction,
                "signed_amount": self.signed_amount, "final": self.final}

    @classmethod
    def from_data(cls, data) -> "Figures":
        """From a ``ScoreChanged`` (or its stored JSON, or a frozen board's entry): anything with the fields."""
        get = data.get if isinstance(data, dict) else lambda key: getattr(data, key)
        return cls(bool(get("assessed")), tuple(tuple(i) for i in get("indicators")), get("base"),
                   get("coefficient"), get("deduction"), get("signed_amount"), get("final"))

    from_event = from_data


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
    """The ratios, scores, base and final of recorded figures (docs/assessment.md §4)."""
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
            changed: frozenset | None = None, supervision=None) -> Figures:
    """The figures of ``unit`` for ``period`` under the plugin set ``ps``.

    With ``previous`` figures (of the same month and rules) and the set of
    ``changed`` inputs (project fields, ``targets``, ``cases``, ``supervision``), a part whose
    plugin declares ``inputs`` none of which changed keeps its previous answer
    without being asked again; when nothing anything reads changed, the previous
    figures stand as they are.
    """
    plan = plan_of(ps)
    reuse = previous is not None and changed is not None
    if reuse and plan.reads is not None and not (plan.reads & changed):
        return previous
    year, month = parse_period(period)
    targets = view.targets(unit, year)
    kept = {row[0]: row for row in previous.indicators} if reuse else None
    args = {"unit": unit, "period": period, "facts": view}
    measures = {}
    for plugin, function, argnames, name, inputs in plan.measures:
        if kept is not None and inputs is not None and name in kept and not (inputs & changed):
            row = kept[name]
            measures[name] = (row[2], row[3])
            continue
        try:
            measure = function(*[args[a] for a in argnames])
        except Exception as exc:
            raise plugin_failure(plugin, "sankao_measure", exc) from exc
        if measure is None:
            continue
        if type(measure) is not Measure or measure.plugin != name or not _amount(measure.value) \
                or not _amount(measure.target):
            raise PluginError(msg("plugins.nonsense_measure", plugin=plugin, unit=unit, period=period,
                                  measure=repr(measure)))
        measures[name] = (str(measure.value), str(measure.target))
    indicators, total_weight, total_score = [], ZERO, ZERO
    weights = targets.weights if targets is not None else {}
    for name, kind, cap, cap_text, default_weight in plan.order:
        found = measures.get(name)
        if found is None:
            continue
        value, target = found
        target_d = Decimal(target)
        if not target_d:
            continue
        weight = weights.get(name)
        weight = default_weight if weight is None else Decimal(weight)
        total_weight += weight
        ratio = Decimal(value) / target_d
        total_score += weight * (ratio if ratio < cap else cap)
        indicators.append((name, kind, value, target, str(weight), cap_text))
    assessed = total_weight > 0
    if reuse and plan.coefficient_inputs is not None and not (plan.coefficient_inputs & changed):
        coefficient = Decimal(previous.coefficient)
    else:
        coefficient = _decimal(ps, "sankao_coefficient", ONE, unit=unit, period=period, facts=view)
    if reuse and plan.deduction_inputs is not None and not (plan.deduction_inputs & changed):
        deduction = Decimal(previous.deduction)
    else:
        deduction = _decimal(ps, "sankao_deduction", ZERO, unit=unit, period=period, cases=cases)
        if supervision is not None:  # D = D_warning + D_supervision (docs/assessment.md §9)
            deduction += supervision_points(ps, unit, period, supervision).total
    if reuse and not (changed & SIGNING_FIELDS):
        signed = previous.signed_amount
    else:
        signed = str(view.signed_amount(unit, month_end(year, month)))
    base = total_score * HUNDRED / total_weight if assessed else ZERO
    final = max(ZERO, base * coefficient - deduction) if assessed else ZERO
    return Figures(assessed, tuple(indicators), str(base), str(coefficient), str(deduction), signed, str(final))


def _amount(value) -> bool:
    return type(value) is Decimal and value.is_finite() and value >= 0


def plan_of(ps) -> "FigurePlan":
    """How to compute a unit's figures with the plugin set ``ps`` (a ``FigurePlan``), worked out once per set."""
    found = ps.__dict__.get("_figure_plan")
    if found is None:
        found = ps.__dict__["_figure_plan"] = FigurePlan.of(ps)
    return found


@dataclass(frozen=True)
class FigurePlan:
    """What ``compute`` needs of a plugin set, worked out once per set of rules.

    :ivar measures: ``(plugin, function, argnames, indicator, inputs)`` per ``sankao_measure``.
    :ivar order: ``(indicator, kind, cap, cap as text, default weight)`` in the order of the rules.
    """

    measures: list
    order: list
    coefficient_inputs: frozenset | None
    deduction_inputs: frozenset | None
    reads: frozenset | None

    @classmethod
    def of(cls, ps) -> "FigurePlan":
        measures = []
        for plugin, function, argnames in ps.implementations("sankao_measure"):
            name = ps.supplies.get(plugin)
            spec = ps.indicators.get(name)
            measures.append((plugin, function, argnames, name, spec.inputs if spec else None))
        order = [(name, spec.kind, spec.cap, str(spec.cap), spec.default_weight)
                 for name in ps.order if (spec := ps.indicators.get(name)) is not None]
        warning, supervision = ps.inputs_of("sankao_deduction"), ps.inputs_of("sankao_supervision_points")
        deduction = None if warning is None or supervision is None else warning | supervision
        return cls(measures, order, ps.inputs_of("sankao_coefficient"), deduction, ps.reads)


NO_POINTS = SupervisionPoints(ZERO, ZERO, ZERO)


def supervision_points(ps, unit: str, period: str, supervision) -> SupervisionPoints:
    """The parts of D_supervision(u, P) by the plugins in force (``sankao_supervision_points``); none: nothing."""
    return supervision_points_of(ps, (unit,), period, supervision)[unit]


def supervision_points_of(ps, units, period: str, supervision) -> dict:
    """``{unit: SupervisionPoints}`` of ``units`` for ``period``: the hook's implementations looked up once (the
    supervision query asks it for every unit of the board)."""
    callers = ps.implementations("sankao_supervision_points")
    found = {}
    for unit in units:
        args = {"unit": unit, "period": period, "supervision": supervision}
        found[unit] = NO_POINTS
        for plugin, function, argnames in callers:
            try:
                value = function(*[args[a] for a in argnames])
            except Exception as exc:
                raise plugin_failure(plugin, "sankao_supervision_points", exc) from exc
            if value is None:
                continue
            if type(value) is not SupervisionPoints or not all(
                    _amount(p) for p in (value.self_check, value.misreport, value.special)):
                raise PluginError(msg("plugins.nonsense", plugin=plugin, hook="sankao_supervision_points",
                                      value=repr(value)))
            found[unit] = value
            break
    return found


def _decimal(ps, hook, default, **kwargs):
    for plugin, value in ps.each(hook, **kwargs):
        if value is None:
            continue
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            raise PluginError(msg("plugins.nonsense", plugin=plugin, hook=hook, value=repr(value)))
        return value
    return default
