"""Policy ``early_warning``: real-time early warning, three letters and one sheet (三函一单).

At each weekly dispatch (周调度) on date d, for every unit with an annual target
> 0 for year(d), in unit id order (docs/assessment.md §6):

- no evaluation while day-of-year(d) ≤ ``grace_days``;
- ``expected = annual × doy(d) / days_in_year``; ``lag = max(0, 1 − A(u, d) / expected)``;
- level ``red`` / ``orange`` / ``green`` when lag reaches its threshold;
- a green reminder letter (绿色提醒函), orange warning letter (橙色警示函) or red
  supervision letter (红色督办函) opens a case; levels only rise while it is open;
- when the unit no longer lags, a result feedback sheet (结果反馈单) closes the
  case: ``restored`` within ``rectify_days`` of its first letter, else ``confirmed``;
- the first dispatch of a new year closes the previous year's open cases, confirmed.

Pre-deductions (预扣分): an open case deducts its level's points; a closed case
deducts nothing if restored, its points if confirmed. Cases count in the months of
their own year only.
"""

from __future__ import annotations

from decimal import Decimal

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from core.clock import days_in_year, month_end, parse_period
from core.hookspecs import hookimpl
from core.messages import Name, msg
from core.model import NoticeDecision

LEVELS = ("green", "orange", "red")


def _levels(**kwargs):
    return fields.Dict(keys=fields.String(validate=validate.OneOf(LEVELS)),
                       values=fields.Decimal(validate=validate.Range(min=0)), **kwargs)


class Settings(Schema):
    class Meta:
        unknown = RAISE

    grace_days = fields.Integer(strict=True, load_default=31, validate=validate.Range(min=0, max=366))
    rectify_days = fields.Integer(strict=True, load_default=30, validate=validate.Range(min=0))
    thresholds = _levels(load_default=lambda: {"green": Decimal("0.10"), "orange": Decimal("0.20"),
                                               "red": Decimal("0.30")})
    points = _levels(load_default=lambda: {"green": Decimal("0"), "orange": Decimal("1.00"),
                                           "red": Decimal("2.00")})

    @validates_schema(skip_on_field_errors=False)
    def complete_and_rising(self, data, **kwargs):
        for key in ("thresholds", "points"):
            if key not in data:
                continue
            missing = [lv for lv in LEVELS if lv not in data[key]]
            if missing:
                raise ValidationError(msg("plugin.levels_missing", missing=[Name(lv) for lv in missing]), key)
            values = [data[key][lv] for lv in LEVELS]
            if values != sorted(values):
                raise ValidationError(msg("plugin.levels_rising"), key)


class EarlyWarning:
    version = "1.0"
    Settings = Settings
    inputs = frozenset({"cases"})  # what sankao_deduction reads (core.hookspecs)

    def __init__(self, settings: dict):
        self.s = settings

    def level_of(self, lag: Decimal) -> str | None:
        found = None
        for level in LEVELS:
            if lag >= self.s["thresholds"][level]:
                found = level
        return found

    @hookimpl
    def sankao_dispatch(self, date, facts, cases):
        notices = []
        for case in cases.open_cases():
            if case.year < date.year:  # year-end closing, before anything else
                notices.append(NoticeDecision(case.unit, case.name, "feedback", date, None,
                                              case.points, "confirmed"))
        doy = date.timetuple().tm_yday
        if doy <= self.s["grace_days"]:
            return notices
        for unit in facts.units():
            targets = facts.targets(unit, date.year)
            if targets is None or targets.annual <= 0:
                continue
            expected = targets.annual * doy / days_in_year(date.year)
            lag = max(Decimal(0), 1 - facts.signed_amount(unit, date) / expected)
            level = self.level_of(lag)
            mine = cases.of_unit(unit, date.year)
            case = next((c for c in mine if c.is_open), None)
            if case is None and level:
                name = f"{unit}-{date.year}-{len(mine) + 1}"
                notices.append(NoticeDecision(unit, name, level, date, lag, self.s["points"][level]))
            elif case is not None and level and LEVELS.index(level) > LEVELS.index(case.level):
                notices.append(NoticeDecision(unit, case.name, level, date, lag, self.s["points"][level]))
            elif case is not None and level is None:
                restored = (date - case.opened_on).days <= self.s["rectify_days"]
                notices.append(NoticeDecision(unit, case.name, "feedback", date, lag,
                                              Decimal("0.00") if restored else case.points,
                                              "restored" if restored else "confirmed"))
        return notices

    @hookimpl
    def sankao_deduction(self, unit, period, cases):
        year, month = parse_period(period)
        end = month_end(year, month)
        total = Decimal(0)
        for case in cases.of_unit(unit, year):
            if case.opened_on > end:
                continue
            points, outcome = Decimal(0), None
            for day, level, level_points, case_outcome in case.history:
                if day > end:
                    break
                points, outcome = level_points, case_outcome
            total += Decimal(0) if outcome == "restored" else points
        return total

    @hookimpl
    def sankao_explain(self, unit, period, facts, cases):
        year, month = parse_period(period)
        end = month_end(year, month)
        found = []
        for case in cases.of_unit(unit, year):
            if case.opened_on > end:
                continue
            letters = [{"date": day.isoformat(), "level": level, "points": str(points), "outcome": outcome}
                       for day, level, points, outcome in case.history if day <= end]
            points, outcome = Decimal(letters[-1]["points"]), letters[-1]["outcome"]
            found.append({"case": case.name, "letters": letters,
                          "deducts": str(Decimal(0) if outcome == "restored" else points)})
        return {"formula": "D = the sum over the unit's cases of the year opened by the month's end: an open "
                           "case its current level's points, a closed one 0 if restored, its points if confirmed",
                "inputs": {"cases": found}}
