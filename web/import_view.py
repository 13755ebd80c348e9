"""What the import page (``web.import_pages``, issue #21) keeps and shows: the workbook uploaded, kept between its
preview and its confirmation, and the preview of a plan (``core.intake.plan.Plan``) in the page's language.

An upload is kept in a private folder of this machine's user (``SANKAO_UPLOADS``, else
``<temp>/sankao-uploads-<uid>``, mode 0700; shared by the processes of one machine, as gunicorn's workers) under a
random name (``token_urlsafe``) that only the session of the token that uploaded it holds, with the plan's digest
(``digest``): a confirmation records the file again planned against the record as it stands then, and only when
the plan is the one previewed. A kept file is deleted once recorded, refused or replaced, and after ``KEEP``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import stat
import tempfile
import time
import unicodedata
from decimal import Decimal
from pathlib import Path

from flask import abort, session
from flask_babel import gettext as _
from flask_babel import get_locale
from markupsafe import Markup, escape

from core.intake.columns import PROJECTS

LIMIT = 20 * 1024 * 1024  # bytes of a workbook (a 50,000-row projects sheet is about 4 MB as .xlsx, 7 MB as .csv)
SUFFIXES = (".xlsx", ".csv")
KEEP = 12 * 3600  # seconds an upload waits for its confirmation (a session's lifetime)
PENDING = 3  # uploads a session keeps waiting at once (a preview in each of a few tabs; the cookie stays small)
SHOWN = 1000  # lines of a kind, and problems, shown on the page (the counts say the rest)
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
WAN = Decimal(10000)
CENT = Decimal("0.01")


class TooLarge(Exception):
    """The upload is larger than ``LIMIT``."""


# -- the kept uploads --------------------------------------------------------------------------------------------

def folder() -> Path:
    """The folder uploads wait in: made private to this user, refused (500) when it is someone else's or open to
    others (another user of the machine could read or swap a workbook)."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    where = Path(os.environ.get("SANKAO_UPLOADS") or Path(tempfile.gettempdir()) / f"sankao-uploads-{uid}")
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = os.lstat(where)
    except OSError:
        found = None
    if found is None or not stat.S_ISDIR(found.st_mode) or (hasattr(os, "getuid") and found.st_uid != uid) \
            or found.st_mode & 0o077:
        abort(500, _("The folder for uploaded workbooks, %(folder)s, is not a private folder of this user: set "
                     "SANKAO_UPLOADS to one.", folder=str(where)))
    return where


def keep(stream, suffix: str) -> str:
    """Write the uploaded ``stream`` to a new file of ``folder()`` (``suffix``: ``.xlsx`` or ``.csv``, which tells
    the reader how to read it); its token. ``TooLarge`` beyond ``LIMIT``, nothing kept."""
    where = folder()
    _prune(where)
    token = secrets.token_urlsafe(24)
    part = where / f"{token}.part"
    size = 0
    with open(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            if size > LIMIT:
                break
            out.write(chunk)
    if size > LIMIT:
        part.unlink(missing_ok=True)
        raise TooLarge()
    os.replace(part, where / f"{token}{suffix}")
    return token


def path_of(token, suffix) -> Path | None:
    """The kept upload ``token`` (None when it is not kept, or the name is not one of ours)."""
    if not isinstance(token, str) or not TOKEN.fullmatch(token) or suffix not in SUFFIXES:
        return None
    path = folder() / f"{token}{suffix}"
    return path if path.is_file() else None


def _prune(where: Path) -> None:
    """Delete the uploads older than ``KEEP`` (a preview never confirmed)."""
    limit = time.time() - KEEP
    for path in where.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


# -- the session's pending uploads -------------------------------------------------------------------------------

def pending(token) -> dict | None:
    """The session's entry for the upload ``token``: ``{name, suffix, digest, who}``."""
    return (session.get("imports") or {}).get(token) if isinstance(token, str) else None


def remember(token: str, entry: dict) -> None:
    """Hold ``token`` in the session (the oldest pending one let go, its file deleted, beyond ``PENDING``)."""
    found = dict(session.get("imports") or {})
    found.pop(token, None)
    while len(found) >= PENDING:
        oldest = next(iter(found))
        forget(oldest, found.pop(oldest))
    found[token] = entry
    session["imports"] = found


def forget(token: str, entry: dict | None = None) -> None:
    """Let the upload ``token`` go: its file deleted, the session's entry dropped."""
    entry = entry or pending(token) or {}
    path = path_of(token, entry.get("suffix"))
    if path is not None:
        path.unlink(missing_ok=True)
    found = dict(session.get("imports") or {})
    if found.pop(token, None) is not None:
        session["imports"] = found


def shown_name(filename: str) -> str:
    """The uploaded file's name as the user called it (the correction reasons name it): the last part of its path,
    without control characters, at most 80 characters (its end: the suffix)."""
    name = re.split(r"[/\\]", filename or "")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[-80:] or "workbook"


def digest(plan) -> str:
    """What a plan records, as one hash: its lines' commands, cells and kinds in order."""
    lines = [[line.command, line.ref, line.what] for line in plan.lines]
    return hashlib.sha256(json.dumps(lines, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


# -- the preview ---------------------------------------------------------------------------------------------------

KINDS = ("unit", "targets", "plan", "stage", "correct")
STAGE = {"sign_project": "signed", "land_project": "landed", "start_construction": "started",
         "withdraw_project": "withdrawn"}
DATE_OF = {"sign_project": "signed_on", "land_project": "landed_on", "start_construction": "started_on",
           "withdraw_project": "withdrawn_on"}


def wan(yuan) -> str:
    """Yuan as 万元, exactly (two decimals, more when the amount has them): an import's amounts are exact."""
    if yuan in (None, ""):
        return "—"
    amount = Decimal(str(yuan)) / WAN
    return f"{amount.quantize(CENT):,}" if amount == amount.quantize(CENT) else f"{amount.normalize():,f}"


def column_label(field: str) -> str:
    """A project field as the workbook's header names it, in the page's language (签约金额, Signed amount)."""
    key = "amount" if field == "signed_amount" else field
    column = next((c for c in PROJECTS.columns if c.key == key), None)
    return column.label.render(lang()) if column is not None else field


def lang() -> str:
    return str(get_locale() or "zh")


def preview(plan, held: dict) -> dict:
    """The plan as the page shows it: its lines by kind (at most ``SHOWN`` of each), each with the cell it comes
    from; the counts; its problems (cell, message in the page's language). ``held``: the projects as recorded
    (a correction shows the value it replaces)."""
    from web.words import core_words
    counts = {kind: 0 for kind in KINDS}
    rows: dict = {kind: [] for kind in KINDS}
    for line in plan.lines:
        counts[line.what] += 1
        if len(rows[line.what]) < SHOWN:
            rows[line.what].append(_row(line, held))
    problems = [{"ref": ref, "text": core_words(text)} for ref, text in plan.problems[:SHOWN]]
    return {"counts": counts, "rows": rows, "problems": problems, "problem_count": len(plan.problems),
            "total": len(plan.lines), "shown": SHOWN}


def _row(line, held: dict) -> dict:
    c = line.command
    row = {"ref": line.ref, "cmd": c["cmd"], "project": c.get("project"), "unit": c.get("unit")}
    if line.what == "unit":
        row.update(name=c["name"], category=c["category"])
    elif line.what == "targets":
        row.update(year=c["year"], annual=wan(c["annual"]), monthly=wan(c["monthly"]),
                   quarterly=[wan(q) for q in c["quarterly"]], planned=c["planned"], landed=c["landed"])
    elif line.what == "plan":
        row.update(name=c["name"], date=c["planned_on"])
    elif line.what == "stage":
        row.update(stage=STAGE.get(c["cmd"], c["cmd"]), date=c.get(DATE_OF.get(c["cmd"], "")),
                   amount=wan(c["amount"]) if "amount" in c else None, reason=c.get("reason"))
    else:
        was = (held.get(c["project"]) or {}).get(c["field"])
        amount = c["field"] == "signed_amount"
        row.update(field=column_label(c["field"]), value=wan(c["value"]) if amount else c["value"],
                   was=(wan(was) if amount else was) if was is not None else "—")
    return row


LITERAL = re.compile(r"(\.(?:xlsx|xls|csv)(?![A-Za-z0-9])|(?<![A-Za-z])(?:WPS|Excel)(?![A-Za-z]))")


def literals(text) -> Markup:
    """``text`` escaped, the names of file kinds in it (``.xlsx``, ``.csv``, ``WPS``) marked as literals
    (``translate="no"``): names to match as they are, not words of the page's language."""
    return Markup(LITERAL.sub(lambda m: f'<code translate="no">{m.group(1)}</code>', str(escape(text))))
