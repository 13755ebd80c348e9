"""Policy ``strict_supervision``: an office's own supervision deductions (the plugin guide's "replace the
supervision deductions", docs/plugins.md).

This office forgives a late self-check but not a missing one: the month after, a unit that owed a self-check
and has filed none loses ``missing_points`` (2.00), whatever the date of one filed. A misreported spot-check
finding costs ``misreport_points`` (5.00); special assessments cost what they say. It reads only the
``SupervisionView`` the hook hands it: no core code is touched.
"""

from __future__ import annotations

from decimal import Decimal

from marshmallow import RAISE, Schema, fields, validate

from core.hookspecs import hookimpl
from core.model import SupervisionPoints

ZERO = Decimal(0)


class Settings(Schema):
    class Meta:
        unknown = RAISE

    missing_points = fields.Decimal(load_default=Decimal("2.00"), validate=validate.Range(min=0))
    misreport_points = fields.Decimal(load_default=Decimal("5.00"), validate=validate.Range(min=0))


def month_before(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


class StrictSupervision:
    version = "0.1"
    Settings = Settings
    inputs = frozenset({"supervision", "targets"})  # what the hook reads: asked again only when these change

    def __init__(self, settings):
        self.missing, self.misreport = settings["missing_points"], settings["misreport_points"]

    @hookimpl
    def sankao_supervision_points(self, unit, period, supervision):
        before = month_before(period)
        missing = supervision.owes(unit, before) and supervision.self_check(unit, before) is None
        return SupervisionPoints(self.missing if missing else ZERO,
                                 self.misreport * supervision.misreports(unit, period),
                                 sum(supervision.specials(unit, period), ZERO))
