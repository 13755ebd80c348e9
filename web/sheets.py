"""The board and the annual standing as .xlsx (XlsxWriter): amounts exact, in yuan, as numbers with two
decimals; scores as the record writes them."""

from __future__ import annotations

import io
from decimal import Decimal

import xlsxwriter
from flask_babel import gettext as _


def _book(title: str, header: list[str], rows: list[list], money_columns: set[int]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, header, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if c in money_columns and value is not None:
                sheet.write_number(r, c, Decimal(value), money)
            elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                sheet.write_number(r, c, value)
            else:
                sheet.write(r, c, "" if value is None else value)
    sheet.set_column(0, len(header) - 1, 14)
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def board(view: dict, label) -> bytes:
    header = [_("rank"), _("unit"), _("name"), _("kind"), _("third"), _("base"), _("coefficient"),
              _("deducted"), _("final"), _("signed (yuan)"), _("annual target (yuan)"), _("quarter target (yuan)"),
              _("open letter"), _("streak"), _("accountability"), _("commended")]
    rows = [[r["rank"], r["unit"], r["name"], label(r["category"]), label(r["third"]), Decimal(r["base"]),
             Decimal(r["coefficient"]), Decimal(r["deduction"]), Decimal(r["final"]), r["signed_amount"],
             r["annual"]["target"] if r["annual"] else None, r["quarter"]["target"] if r["quarter"] else None,
             label(r["letter"]) if r["letter"] else "", r["streak"], label(r["accountability"]) if r["accountability"]
             else "", "" if r["commended"] is None else _("yes") if r["commended"] else _("no")]
            for r in view["rows"]]
    return _book(f"{view['period']}", header, rows, {9, 10, 11})


def annual(answer: dict, names: dict, label) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    units = book.add_worksheet(_("units"))
    units.write_row(0, 0, [_("rank"), _("unit"), _("name"), _("third"), _("score"), _("months"), _("signed (yuan)"),
                           _("excellent share %"), _("poor share %")], bold)
    for r, u in enumerate(answer["units"], start=1):
        units.write_row(r, 0, [u["rank"], u["unit"], names.get(u["unit"], u["unit"]), label(u["third"]),
                               Decimal(u["score"]), int(u["months"])])
        units.write_number(r, 6, Decimal(u["signed_amount"]), money)
        units.write_row(r, 7, [Decimal(u["excellent_share"]), Decimal(u["poor_share"])])
    people = book.add_worksheet(_("people"))
    people.write_row(0, 0, [_("person"), _("unit"), _("level"), _("score"), _("landed"), _("withdrawn"), _("grade"),
                            _("rank in level")], bold)
    for r, p in enumerate(answer["people"], start=1):
        people.write_row(r, 0, [p["person"], p["unit"], label(p["level"]), Decimal(p["score"]), int(p["landed"]),
                                int(p["withdrawn"]), label(p["grade"]) if p["grade"] else "", p["level_rank"]])
    for sheet in (units, people):
        sheet.set_column(0, 9, 14)
        sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
