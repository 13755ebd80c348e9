"""The board and the annual standing as .xlsx (XlsxWriter): amounts exact, in yuan, as numbers with two
decimals (as text where a number of a spreadsheet could not hold them exactly: more than 15 digits);
scores as the record writes them. Text is always written as text: a unit named ``=HYPERLINK(...)`` is a
name, never a formula."""

from __future__ import annotations

import io
from decimal import Decimal

import xlsxwriter
from flask_babel import gettext as _


def _cell(sheet, r: int, c: int, value, money=None) -> None:
    if value is None:
        sheet.write_blank(r, c, None)
    elif money is not None and isinstance(value, (str, Decimal)):
        exact = Decimal(value)
        if len(exact.as_tuple().digits) > 15:  # beyond a double's exact digits: the amount as text, exact
            sheet.write_string(r, c, f"{exact:.2f}")
        else:
            sheet.write_number(r, c, exact, money)
    elif isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        sheet.write_string(r, c, str(value))
    else:
        sheet.write_number(r, c, value)


def _book(tables: list[tuple[str, list[str], list[list], set[int]]]) -> bytes:
    """A workbook of a sheet per ``(title, header, rows, money columns)``: the header bold, the first row frozen."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    for title, header, rows, money_columns in tables:
        sheet = book.add_worksheet(title[:31])
        for c, text in enumerate(header):
            sheet.write_string(0, c, text, bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                _cell(sheet, r, c, value, money if c in money_columns else None)
        sheet.set_column(0, len(header) - 1, 14)
        sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def board(view: dict, label, as_known: str) -> bytes:
    """The visual progress list of a month, and a sheet saying what it is: the month, live or frozen, as known
    at what time (in the store's zone), the Merkle head of a frozen month."""
    header = [_("rank"), _("unit"), _("name"), _("kind"), _("third"), _("base"), _("coefficient"),
              _("pre-deducted points"), _("final"), _("signed (yuan)"), _("annual target (yuan)"),
              _("quarter target (yuan)"), _("open letter"), _("streak"), _("accountability"), _("commended")]
    rows = [[r["rank"], r["unit"], r["name"], label(r["category"]), label(r["third"]), Decimal(r["base"]),
             Decimal(r["coefficient"]), Decimal(r["deduction"]), Decimal(r["final"]), r["signed_amount"],
             r["annual"]["target"] if r["annual"] else None, r["quarter"]["target"] if r["quarter"] else None,
             label(r["letter"]) if r["letter"] else "", r["streak"], label(r["accountability"]) if r["accountability"]
             else "", "" if r["commended"] is None else _("yes") if r["commended"] else _("no")]
            for r in view["rows"]]
    about = [[_("month"), view["period"]],
             [_("state"), _("Frozen at the month close") if view["frozen"]
              else _("Live: moves with every fact recorded")],
             [_("as known at"), as_known]]
    if view.get("head"):
        about.append([_("Merkle head"), f"{view['head']['size']} · {view['head']['root']}"])
    return _book([(view["period"], header, rows, {9, 10, 11}), (_("about"), [_("what"), _("value")], about, set())])


def annual(answer: dict, names: dict, people: dict, label, as_known: str) -> bytes:
    """The annual standing: the units, the people (each person's name beside the id), and a sheet saying what it
    is: the year, closed or provisional (through which month), as known at what time (in the store's zone)."""
    about = [[_("year"), answer["year"]],
             [_("state"), _("Closed: the year's standing is frozen") if answer["closed"]
              else _("Provisional: through %(month)s", month=answer["through"] or "—")],
             [_("as known at"), as_known]]
    if answer.get("head"):
        about.append([_("Merkle head"), f"{answer['head']['size']} · {answer['head']['root']}"])
    return _book([
        (_("units"), [_("rank"), _("unit"), _("name"), _("third"), _("score"), _("months"), _("signed (yuan)"),
                      _("excellent share %"), _("poor share %")],
         [[u["rank"], u["unit"], names.get(u["unit"], u["unit"]), label(u["third"]), Decimal(u["score"]),
           int(u["months"]), u["signed_amount"], Decimal(u["excellent_share"]), Decimal(u["poor_share"])]
          for u in answer["units"]], {6}),
        (_("people"), [_("person"), _("person's name"), _("unit"), _("unit name"), _("level"), _("score"), _("landed"),
                       _("withdrawn"), _("grade"), _("rank in level")],
         [[p["person"], people.get(p["person"], ""), p["unit"], names.get(p["unit"], p["unit"]), label(p["level"]),
           Decimal(p["score"]), int(p["landed"]), int(p["withdrawn"]), label(p["grade"]) if p["grade"] else "",
           p["level_rank"]] for p in answer["people"]], set()),
        (_("about"), [_("what"), _("value")], about, set())])
