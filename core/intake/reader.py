"""A workbook (.xlsx, read with openpyxl in read-only mode) or a .csv of one sheet (UTF-8 with or without a BOM,
or GB18030) read into rows: each row's cells by column key, with the cell's reference (``项目!F17``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from core.intake.columns import SHEETS, Sheet, sheet_named, sheet_of_headers
from core.messages import msg


@dataclass
class Row:
    sheet: Sheet
    title: str  # the sheet's title as the file names it
    number: int  # the row's number in the sheet (1: the header)
    cells: dict = field(default_factory=dict)  # column key -> raw value
    letters: dict = field(default_factory=dict)  # column key -> its column's letter (one dict for a sheet's rows)

    def ref(self, key: str | None = None) -> str:
        """The cell of column ``key`` (``项目!F17``); without one, the row's first cell (its id)."""
        letter = self.letters.get(key) or next(iter(self.letters.values()), None)
        return f"{self.title}!{self.number}" if letter is None else f"{self.title}!{letter}{self.number}"

    @property
    def refs(self) -> dict:
        """Column key -> its cell (``项目!F17``)."""
        return {key: f"{self.title}!{letter}{self.number}" for key, letter in self.letters.items()}


@dataclass
class Read:
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (reference, Text)
    full: bool = False  # more than MAX_ROWS rows: nothing of the file is read further


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


HEADER_ROWS = 10  # a sheet may open with a title or a note above its header row (an office's habit)
MAX_ROWS = 100_000  # rows of one file: beyond, the file is refused before anything is planned (split it)


def _header(sheet: Sheet, row) -> dict:
    """``{column key: index}`` of the sheet's columns a row names (in either language)."""
    names = [str(v).strip() if v is not None else "" for v in row]
    found = {}
    for column in sheet.columns:
        where = [i for i, n in enumerate(names) if n in (column.zh, column.en)]
        if where:
            found[column.key] = where[0]
    return found


def _rows_of(sheet: Sheet, title: str, values, found: Read) -> None:
    """The rows of one sheet below its header row (the first of its first rows naming every column)."""
    header, best, letters = None, (0, 1, {}), None
    for number, row in enumerate(values, start=1):
        if header is None:
            named = _header(sheet, row)
            if len(named) > len(best[2]):
                best = (len(named), number, named)
            if len(named) == len(sheet.columns):
                header = named
            elif number >= HEADER_ROWS:
                break
            continue
        if all(v is None or isinstance(v, str) and not v.strip() for v in row):
            continue
        if letters is None:  # the cells' references are made when a message names one
            letters = {k: _letter(i) for k, i in header.items()}
        if len(found.rows) >= MAX_ROWS:  # a small upload may unpack into millions of rows: stop reading
            found.problems.append((title, msg("xl.too_many_rows", limit=MAX_ROWS)))
            found.rows.clear()
            found.full = True
            return
        cells = {k: (row[i] if i < len(row) else None) for k, i in header.items()}
        found.rows.append(Row(sheet, title, number, cells, letters))
    if header is None:
        for column in sheet.columns:
            if column.key not in best[2]:
                found.problems.append((f"{title}!{best[1]}:{best[1]}", msg("xl.header_missing", header=column.zh,
                                                                  en=column.en)))


def read_file(path: str | Path, name: str | None = None) -> Read:
    """The rows of a workbook or a CSV at ``path`` (``name``: how the user calls it, for messages)."""
    path = Path(path)
    name = name or path.name
    found = Read()
    if path.suffix.lower() == ".csv":
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            found.problems.append((name, msg("xl.csv_encoding")))
            return found
        rows = [[cell if cell != "" else None for cell in row] for row in csv.reader(io.StringIO(text))]
        # the sheet whose header row is among the first rows (a title or a note may come first, as in a workbook)
        sheet = next((found for found in map(sheet_of_headers, rows[:HEADER_ROWS]) if found is not None), None)
        if sheet is None:
            found.problems.append((f"{name}!1:1", msg("xl.csv_headers", sheets=[f"{s.zh} ({s.en})" for s in SHEETS])))
            return found
        _rows_of(sheet, name, rows, found)  # a .csv's cells are named by the file: u01.csv!F17
        return found
    from openpyxl import load_workbook
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # not a workbook openpyxl reads: say so, naming the file
        found.problems.append((name, msg("xl.not_workbook", error=f"{type(exc).__name__}: {exc}"[:200])))
        return found
    try:
        known = False
        for title in book.sheetnames:
            sheet = sheet_named(title)
            if sheet is None:
                continue
            known = True
            worksheet = book[title]
            worksheet.reset_dimensions()  # every row and column: some tools save a <dimension> smaller than the sheet
            _rows_of(sheet, title, worksheet.iter_rows(values_only=True), found)
            if found.full:
                break
        if not known:
            found.problems.append((name, msg("xl.no_sheet", sheets=[f"{s.zh} ({s.en})" for s in SHEETS])))
    except Exception as exc:  # a sheet openpyxl cannot read (a truncated or damaged file): said, naming the file
        found.problems.append((name, msg("xl.not_workbook", error=f"{type(exc).__name__}: {exc}"[:200])))
    finally:
        book.close()
    return found
