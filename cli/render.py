"""Tables an office can read: unit names beside ids, amounts in 亿元/万元, local times with their zone,
in English or Chinese (labels from ``cli.labels``, messages from ``core.messages``).

Built on ``rich``: columns wrap long names instead of cutting them, and plain
text comes out when the output is not a terminal.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import click
from rich import box
from rich.console import Console
from rich.table import Table

from cli.labels import label
from core.messages import field_label, render
from core.report import CENT, scaled



@dataclass
class Out:
    """Where and how the CLI writes: language, exact amounts, the assessment time zone."""

    lang: str = "en"
    exact: bool = False
    tz: ZoneInfo | None = None

    def __post_init__(self):
        width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "160"))
        self.console = Console(width=width, highlight=False, soft_wrap=False, emoji=False)

    def t(self, key: str, **values) -> str:
        text = label(key, self.lang)
        return text.format(**values) if values else text

    def amount(self, value, scale: str = "yi") -> str:
        """An amount of yuan as offices write it: in 亿元 (``yi``) or 万元 (``wan``), or exact."""
        if value is None:
            return "-"
        value = Decimal(value)
        if self.exact:
            return f"{value.quantize(CENT, ROUND_HALF_UP):,}"
        return scaled(value, scale)

    def amount_header(self, key: str, scale: str = "yi") -> str:
        return f"{self.t(key)} ({self.t('yuan' if self.exact else scale)})"

    def instant(self, value: str | datetime) -> str:
        """A recorded time in the assessment time zone, to the second (the zone said once, by ``zone``, in the
        heading or the column it stands in)."""
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        if self.tz is not None:
            moment = moment.astimezone(self.tz)
        return moment.strftime("%Y-%m-%d %H:%M:%S")

    @property
    def zone(self) -> str:
        """The zone the times are shown in, as a heading says it: ``(Asia/Shanghai)``."""
        return f"({self.tz.key if self.tz is not None else 'UTC'})"

    def moment(self, value: str | datetime) -> str:
        """A time on its own, with its zone: ``2023-07-10 23:59:59 (Asia/Shanghai)``."""
        return f"{self.instant(value)} {self.zone}"

    def timed(self, key: str) -> str:
        """A column header of times, with their zone: ``recorded at (Asia/Shanghai)``."""
        return f"{self.t(key)} {self.zone}"

    def say(self, text) -> str:
        """A message (``core.messages.Text``, an exception, a string) in the reader's language."""
        return render(text, self.lang)

    def name(self, name: str) -> str:
        """A name of the record or the rules (``sign_project``, ``c_min``, ``ProjectSigned``): itself in English,
        its Chinese label beside it in Chinese."""
        return field_label(name, self.lang, quote=False)

    def word(self, value) -> str:
        """A value from a closed vocabulary (third, level, outcome) in the reader's language."""
        if value is None:
            return "-"
        if isinstance(value, bool):
            return self.t("yes") if value else "-"
        return self.t(str(value))

    def echo(self, text, err: bool = False) -> None:
        """A message on standard output (or error), in the reader's language."""
        click.echo(self.say(text), err=err)

    def table(self, title: str | None, columns: list[tuple[str, str]], rows: list[list]) -> None:
        """Print a table; ``columns`` are ``(header, "left" | "right")``."""
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
                      pad_edge=False, header_style="bold")
        for header, justify in columns:
            table.add_column(header, justify=justify, overflow="fold")
        for row in rows:
            table.add_row(*["-" if cell is None else str(cell) for cell in row])
        if not rows:
            table.add_row(self.t("none"), *[""] * (len(columns) - 1))
        self.console.print(table)

    def line(self, text: str = "") -> None:
        self.console.print(text, markup=False, highlight=False)


def print_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=1))
