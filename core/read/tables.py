"""Read models: tables the queries answer from, projected from the log.

Each table is a pure function of the events (``project`` below says, per event,
which rows it writes). Whoever saves events also writes what they project, in the
same transaction, when the read models have reached the position just before
(``apply_inline``): then the tables are exactly as current as the log. When they
lag (a new table, ``sankao rebuild``), ``catch_up`` projects the log from where
they stand, one transaction per chunk, recording its position with what it
writes; the queries read the events instead until they are current.

Times are stored as integer microseconds since the epoch (UTC) so that both
dialects compare them as numbers.
"""

from __future__ import annotations

import json
from datetime import date

from core.clock import micros
from core.report import money, ratio
from events import assessment as out
from events import facts as ev

NAME = "read_models"
CHUNK = 5000

TABLES = ["rm_units", "rm_targets", "rm_projects", "rm_figures", "rm_figures_log", "rm_notices", "rm_frozen",
          "rm_closes", "rm_stamps", "rm_heads", "rm_tokens", "rm_supervision"]


def ddl(bigint: str) -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS rm_position (name TEXT PRIMARY KEY, position {bigint} NOT NULL)",
        f"INSERT INTO rm_position (name, position) VALUES ('{NAME}', 0) ON CONFLICT (name) DO NOTHING",
        f"CREATE TABLE IF NOT EXISTS rm_units (unit TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL, "
        f"position {bigint} NOT NULL)",
        "CREATE TABLE IF NOT EXISTS rm_targets (unit TEXT NOT NULL, year INTEGER NOT NULL, annual TEXT NOT NULL, "
        "PRIMARY KEY (unit, year))",
        "CREATE TABLE IF NOT EXISTS rm_projects (project TEXT PRIMARY KEY, unit TEXT NOT NULL, name TEXT NOT NULL, "
        "planned_on TEXT NOT NULL, signed_on TEXT, signed_amount TEXT, landed_on TEXT, started_on TEXT, "
        f"withdrawn_on TEXT, position {bigint} NOT NULL)",  # position: where it was planned
        "CREATE INDEX IF NOT EXISTS rm_projects_by_unit ON rm_projects (unit, project)",
        f"CREATE TABLE IF NOT EXISTS rm_figures (period TEXT NOT NULL, unit TEXT NOT NULL, version {bigint} NOT NULL, "
        f"position {bigint} NOT NULL, cause {bigint} NOT NULL, recorded_at {bigint} NOT NULL, assessed INTEGER NOT NULL, "
        "base TEXT NOT NULL, coefficient TEXT NOT NULL, deduction TEXT NOT NULL, final TEXT NOT NULL, "
        "signed_amount TEXT NOT NULL, shown_base TEXT NOT NULL, shown_coefficient TEXT NOT NULL, "
        "shown_deduction TEXT NOT NULL, shown_final TEXT NOT NULL, shown_signed_amount TEXT NOT NULL, "
        "data TEXT NOT NULL, PRIMARY KEY (period, unit))",
        f"CREATE TABLE IF NOT EXISTS rm_stamps (period TEXT PRIMARY KEY, stamp {bigint} NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS rm_figures_log (period TEXT NOT NULL, unit TEXT NOT NULL, version {bigint} NOT NULL, "
        f"recorded_at {bigint} NOT NULL, cause {bigint} NOT NULL, position {bigint} NOT NULL, "
        "PRIMARY KEY (period, unit, version))",
        f"CREATE TABLE IF NOT EXISTS rm_notices (position {bigint} PRIMARY KEY, dispatch {bigint} NOT NULL, "
        f"phase INTEGER NOT NULL, unit TEXT NOT NULL, version {bigint} NOT NULL, recorded_at {bigint} NOT NULL, "
        "data TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS rm_notices_in_order ON rm_notices (dispatch, phase, unit, version)",
        f"CREATE TABLE IF NOT EXISTS rm_frozen (period TEXT PRIMARY KEY, position {bigint} NOT NULL, "
        f"close {bigint} NOT NULL, recorded_at {bigint} NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS rm_closes (period TEXT PRIMARY KEY, position {bigint} NOT NULL, "
        f"recorded_at {bigint} NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS rm_heads (position {bigint} PRIMARY KEY, label TEXT NOT NULL, "
        f"size {bigint} NOT NULL, root TEXT NOT NULL, recorded_at {bigint} NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS rm_tokens (name TEXT PRIMARY KEY, role TEXT NOT NULL, digest TEXT NOT NULL, "
        f"actor TEXT NOT NULL, issued_at {bigint} NOT NULL, revoked_at {bigint})",
        "CREATE UNIQUE INDEX IF NOT EXISTS rm_tokens_by_digest ON rm_tokens (digest)",
        # supervision (docs/assessment.md §9) and, for whose self-checks are owed, every TargetsSet's (unit, year)
        f"CREATE TABLE IF NOT EXISTS rm_supervision (position {bigint} NOT NULL, kind TEXT NOT NULL, "
        f"recorded_at {bigint} NOT NULL, unit TEXT, period TEXT, day TEXT, ref TEXT, data TEXT, "
        "PRIMARY KEY (position, kind))",
        "CREATE INDEX IF NOT EXISTS rm_supervision_by_period ON rm_supervision (period, kind)",
        "CREATE INDEX IF NOT EXISTS rm_supervision_by_ref ON rm_supervision (ref, kind)",
    ]


def _day(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


# -- what each event writes ------------------------------------------------------------------------
# Each returns (statement key, parameters); statements are executed in groups, in event order.

FIGURE_COLUMNS = ("period", "unit", "version", "position", "cause", "recorded_at", "assessed", "base", "coefficient",
                  "deduction", "final", "signed_amount", "shown_base", "shown_coefficient", "shown_deduction",
                  "shown_final", "shown_signed_amount", "data")
SUPERVISION_COLUMNS = ("position", "kind", "recorded_at", "unit", "period", "day", "ref", "data")
STATEMENTS = {  # key: (kind, table, columns, key columns) for Recorder.write_rows
    "unit": ("insert", "rm_units", ("unit", "name", "category", "position"), ()),
    "targets": ("upsert", "rm_targets", ("unit", "year", "annual"), ("unit", "year")),
    "plan": ("insert", "rm_projects", ("project", "unit", "name", "planned_on", "position"), ()),
    "sign": ("update", "rm_projects", ("signed_on", "signed_amount"), ("project",)),
    "land": ("update", "rm_projects", ("landed_on",), ("project",)),
    "start": ("update", "rm_projects", ("started_on",), ("project",)),
    "withdraw": ("update", "rm_projects", ("withdrawn_on",), ("project",)),
    "correct_planned_on": ("update", "rm_projects", ("planned_on",), ("project",)),
    "correct_signed_on": ("update", "rm_projects", ("signed_on",), ("project",)),
    "correct_landed_on": ("update", "rm_projects", ("landed_on",), ("project",)),
    "correct_signed_amount": ("update", "rm_projects", ("signed_amount",), ("project",)),
    "figures": ("upsert", "rm_figures", FIGURE_COLUMNS, ("period", "unit")),
    "stamp": ("count", "rm_stamps", ("period",), ("period",)),
    "figures_log": ("insert", "rm_figures_log", ("period", "unit", "version", "recorded_at", "cause", "position"), ()),
    "notice": ("insert", "rm_notices", ("position", "dispatch", "phase", "unit", "version", "recorded_at", "data"), ()),
    "frozen": ("insert", "rm_frozen", ("period", "position", "close", "recorded_at"), ()),
    "close": ("insert", "rm_closes", ("period", "position", "recorded_at"), ()),
    "token": ("insert", "rm_tokens", ("name", "role", "digest", "actor", "issued_at"), ()),
    "revoke": ("update", "rm_tokens", ("revoked_at",), ("name",)),
    "head": ("insert", "rm_heads", ("position", "label", "size", "root", "recorded_at"), ()),
    "supervision": ("insert", "rm_supervision", SUPERVISION_COLUMNS, ()),
}


def notice_phase(event) -> int:
    """0 for a year-end closing sheet (a feedback with no lag), 1 for the rest: at one dispatch the
    closings of the year before come first (docs/assessment.md §6, "before anything else"), then every unit's
    letters and sheets, units in id order (§7)."""
    return 0 if event.level == "feedback" and event.lag is None else 1


def project(position: int, event, state: bytes) -> list[tuple[str, tuple]]:
    """The rows one event (stored as ``state``) writes: ``[(statement key, parameters)]``.

    ``rm_figures.data`` is the ``ScoreChanged`` as stored (its JSON): the figures, the
    rules and the cause, without encoding them a second time.
    """
    at = micros(event.timestamp)
    if isinstance(event, ev.UnitRegistered):
        return [("unit", (event.unit, event.name, event.category, position))]
    if isinstance(event, ev.TargetsSet):
        return [("targets", (event.unit, event.year, str(event.annual))),
                ("supervision", supervision_row(position, event))]
    if isinstance(event, SUPERVISED):
        return [("supervision", supervision_row(position, event))]
    if isinstance(event, ev.ProjectPlanned):
        return [("plan", (event.project, event.unit, event.name, event.planned_on.isoformat(), position))]
    if isinstance(event, ev.ProjectSigned):
        return [("sign", (event.signed_on.isoformat(), str(event.amount), event.project))]
    if isinstance(event, ev.ProjectLanded):
        return [("land", (event.landed_on.isoformat(), event.project))]
    if isinstance(event, ev.ConstructionStarted):
        return [("start", (event.started_on.isoformat(), event.project))]
    if isinstance(event, ev.ProjectWithdrawn):
        return [("withdraw", (event.withdrawn_on.isoformat(), event.project))]
    if isinstance(event, ev.FactCorrected):
        value = event.value.isoformat() if isinstance(event.value, date) else str(event.value)
        return [(f"correct_{event.field}", (value, event.project))]
    if isinstance(event, ev.MonthCloseRequested):
        return [("close", (event.period, position, at))]
    if isinstance(event, ev.TokenIssued):
        return [("token", (event.name, event.role, event.digest, event.actor, at))]
    if isinstance(event, ev.TokenRevoked):
        return [("revoke", (at, event.name))]
    if isinstance(event, ev.YearCloseRequested):  # a year closes in the same table as its months ("2023")
        return [("close", (f"{event.year:04d}", position, at))]
    if isinstance(event, out.ScoreChanged):
        return [("figures", (event.period, event.unit, event.originator_version, position, event.position, at,
                             int(event.assessed), event.base, event.coefficient, event.deduction, event.final,
                             event.signed_amount, money(event.base), ratio(event.coefficient), money(event.deduction),
                             money(event.final), money(event.signed_amount), state.decode("utf-8"))),
                ("stamp", (event.period,)),
                ("figures_log", (event.period, event.unit, event.originator_version, at, event.position, position))]
    if isinstance(event, out.NoticeIssued):
        data = json.dumps({"case": event.case, "level": event.level, "date": event.date.isoformat(),
                           "lag": None if event.lag is None else str(event.lag), "points": str(event.points),
                           "outcome": event.outcome, "policy": event.policy}, separators=(",", ":"))
        return [("notice", (position, event.position, notice_phase(event), event.unit, event.originator_version, at,
                            data))]
    if isinstance(event, out.BoardFrozen):
        return [("frozen", (event.period, position, event.close, at))]
    if isinstance(event, out.StandingFrozen):
        return [("frozen", (f"{event.year:04d}", position, event.close, at))]
    if isinstance(event, out.HeadRecorded):
        return [("head", (position, event.label, event.size, event.root, at))]
    return []


SUPERVISED = (ev.SelfChecksRequired, ev.SelfCheckFiled, ev.SpotCheckDrawn, ev.FindingRecorded, ev.SpecialAssessed,
              ev.UnitListed, ev.UnitDelisted)


def supervision_row(position: int, event) -> tuple:
    """The ``rm_supervision`` row of a supervision fact or a ``TargetsSet`` (in ``SUPERVISION_COLUMNS``' order):
    what ``core.read.supervision`` folds, from the table or, while it lags, from the events themselves."""
    at, day = micros(event.timestamp), _day(getattr(event, "date", None))
    month = day[:7] if day else None
    if isinstance(event, ev.TargetsSet):
        return (position, "targets", at, event.unit, f"{event.year:04d}", None, None, None)
    if isinstance(event, ev.SelfChecksRequired):
        return (position, "require", at, None, event.first, None, None, None)
    if isinstance(event, ev.SelfCheckFiled):
        return (position, "self_check", at, event.unit, event.period, day, None, None)
    if isinstance(event, ev.SpotCheckDrawn):
        data = {"size": event.size, "seed": event.seed, "candidates": event.candidates, "sample": event.sample}
        return (position, "draw", at, None, event.period, day, event.draw, json.dumps(data, separators=(",", ":")))
    if isinstance(event, ev.FindingRecorded):
        data = {"project": event.project, "result": event.result}
        return (position, "finding", at, event.unit, month, day, event.draw, json.dumps(data, separators=(",", ":")))
    if isinstance(event, ev.SpecialAssessed):
        return (position, "special", at, event.unit, month, day, None, str(event.points))
    return (position, "list" if isinstance(event, ev.UnitListed) else "delist", at, event.unit, month, day, None,
            None)


def _rivals() -> dict:
    """For each update or upsert, the columns it writes that another update or upsert of its table writes too."""
    found = {}
    for key, (kind, table, columns, keys) in STATEMENTS.items():
        if kind in ("update", "upsert"):
            shared = {c for other, (k, t, cols, _) in STATEMENTS.items() if other != key and t == table
                      and k in ("update", "upsert") for c in cols if c in columns and c not in keys}
            if shared:
                found[key] = tuple(sorted(shared))
    return found


RIVALS = _rivals()  # sign and the corrections of signed_on/signed_amount, land and that of landed_on


def overwrites(writer: dict, key: str, params: tuple) -> bool:
    """Whether the row ``key`` writes with ``params`` has a column that another statement already writes in the
    statements gathered (``writer``: (table, row's key, column) -> statement key); else notes its columns."""
    shared = RIVALS.get(key)
    if shared is None:
        return False
    kind, table, columns, keys = STATEMENTS[key]
    row = tuple(params[-len(keys):]) if kind == "update" else tuple(params[columns.index(k)] for k in keys)
    cells = [(table, row, c) for c in shared]
    if any(writer.get(cell, key) != key for cell in cells):
        return True
    writer.update((cell, key) for cell in cells)
    return False


class ReadModels:
    """The read model tables of one store, kept by whoever writes the log."""

    def __init__(self, recorder, mapper):
        self.recorder, self.mapper = recorder, mapper

    def position(self, cur=None) -> int:
        if cur is None:
            return self.recorder.fetch("SELECT position FROM rm_position WHERE name = ?", (NAME,))[0][0]
        cur.execute(self.recorder.q("SELECT position FROM rm_position WHERE name = ?"), (NAME,))
        return cur.fetchone()[0]

    def behind(self) -> int:
        """How many log positions the tables have not taken in yet."""
        return self.recorder.max_notification_id() - self.position()

    # -- what the other parts of Sankao read here (the SQL on these tables lives in this module) -------------
    def unit_ids(self) -> set[str]:
        """Every registered unit."""
        return {row[0] for row in self.recorder.fetch("SELECT unit FROM rm_units")}

    def latest_figures(self) -> list[tuple[str, str, int, str]]:
        """``(period, unit, version, data)`` of every unit-month's figures as last recorded."""
        return self.recorder.fetch("SELECT period, unit, version, data FROM rm_figures")

    def notices_in_order(self) -> list[tuple[str, int, str]]:
        """``(unit, version, data)`` of every letter and sheet, in the contract's order."""
        return self.recorder.fetch("SELECT unit, version, data FROM rm_notices ORDER BY dispatch, phase, unit, version")

    def figure_versions(self, period: str, known_at=None, *, before: int | None = None) -> list[tuple[str, int, int]]:
        """``(unit, version, position)`` of each unit's figures for ``period`` in force: now, as recorded by
        ``known_at``, or (``before``) as made of the facts before that log position (a month close)."""
        if known_at is None and before is None:
            return self.recorder.fetch("SELECT unit, version, position FROM rm_figures WHERE period = ?", (period,))
        where, bound = ("recorded_at <= ?", micros(known_at)) if before is None else ("cause < ?", before)
        return self.recorder.fetch(
            "SELECT l.unit, l.version, l.position FROM rm_figures_log l JOIN (SELECT unit, max(version) AS v "
            f"FROM rm_figures_log WHERE period = ? AND {where} GROUP BY unit) m "
            "ON l.unit = m.unit AND l.version = m.v WHERE l.period = ?", (period, bound, period))

    def pending_closes(self) -> list[tuple[str, int]]:
        """``(period, position)`` of the month closes recorded whose board is not frozen yet, in log order."""
        return self.recorder.fetch("SELECT c.period, c.position FROM rm_closes c LEFT JOIN rm_frozen f "
                                   "ON f.period = c.period WHERE f.period IS NULL ORDER BY c.position")

    def frozen_between(self, first: str, before: str) -> list[tuple[str, int]]:
        """``(period, position)`` of the boards frozen for the months from ``first`` up to ``before``."""
        return self.recorder.fetch("SELECT period, position FROM rm_frozen WHERE period >= ? AND period < ?",
                                   (first, before))

    def dated_projects(self, period: str, position: int) -> list[str] | None:
        """The projects signed or landed within ``period`` (what a spot check may draw, docs/assessment.md §9),
        or None when the tables do not stand at ``position`` at least (the log is read instead)."""
        if self.position() < position:
            return None
        first, last = f"{period}-01", f"{period}-31"
        return [row[0] for row in self.recorder.fetch(
            "SELECT project FROM rm_projects WHERE (signed_on >= ? AND signed_on <= ?) OR "
            "(landed_on >= ? AND landed_on <= ?)", (first, last, first, last))]

    def token_names(self) -> list[str]:
        """The names of every token issued (revoked ones too)."""
        return [row[0] for row in self.recorder.fetch("SELECT name FROM rm_tokens")]

    def tokens(self) -> list[tuple]:
        """``(name, role, actor, issued_at, revoked_at)`` of every token issued, oldest first."""
        return self.recorder.fetch("SELECT name, role, actor, issued_at, revoked_at FROM rm_tokens "
                                   "ORDER BY issued_at, name")

    def _write(self, cur, triples) -> None:
        # One statement per kind of row: the inserts first (a project's signing may come before another
        # project's planning in the batch, and the update of a row must find it), then the rest in the order
        # they first appear (the last of two writes to a key by one statement wins). A row that a second kind
        # of statement writes (a correction of a signing made in the same batch, after another project's
        # correction opened its group) first has what came before it written: the later write must win.
        groups: dict[str, list] = {}
        writer: dict = {}  # (table, key, column) -> the statement that writes it in ``groups``
        for position, event, state in triples:
            for key, params in project(position, event, state):
                if overwrites(writer, key, params):
                    self._flush(cur, groups)
                    groups, writer = {}, {}
                    overwrites(writer, key, params)
                groups.setdefault(key, []).append(params)
        self._flush(cur, groups)

    def _flush(self, cur, groups: dict) -> None:
        ordered = sorted(groups.items(), key=lambda item: STATEMENTS[item[0]][0] != "insert")  # a stable sort
        for key, rows in ordered:
            kind, table, columns, keys = STATEMENTS[key]
            if kind == "count":  # a change counter per key: how many rows changed it
                counts: dict = {}
                for row in rows:
                    counts[row] = counts.get(row, 0) + 1
                self.recorder.write_rows(cur, "upsert_add", table, (*columns, "stamp"),
                                         [(*row, n) for row, n in counts.items()], keys)
                continue
            self.recorder.write_rows(cur, kind, table, columns, rows, keys)

    def apply_inline(self, cur, triples: list[tuple[int, object, bytes]]) -> None:
        """Inside the transaction saving ``triples`` (position, event, stored state): project them if
        the tables stand just before them, else leave them to ``catch_up``."""
        if not triples:
            return
        if self.position(cur) != triples[0][0] - 1:
            return
        self._write(cur, triples)
        cur.execute(self.recorder.q("UPDATE rm_position SET position = ? WHERE name = ?"), (triples[-1][0], NAME))

    def catch_up(self, progress=None) -> int:
        """Project the log from where the tables stand to its end; returns how many events."""
        done = 0
        while True:
            start = self.position()
            batch = self.recorder.select_notifications(start=start + 1, limit=CHUNK)
            if not batch:
                return done
            triples = [(n.id, self.mapper.to_domain_event(n), n.state) for n in batch]
            with self.recorder.transaction() as cur:
                if self.position(cur) != start:  # someone else moved them meanwhile: look again
                    continue
                self._write(cur, triples)
                cur.execute(self.recorder.q("UPDATE rm_position SET position = ? WHERE name = ?"),
                            (triples[-1][0], NAME))
            done += len(triples)
            if progress:
                progress(len(triples))

    def rebuild(self, progress=None) -> int:
        """Empty the tables and project the whole log again (``sankao rebuild``)."""
        with self.recorder.transaction() as cur:
            for table in TABLES:
                cur.execute(f"DELETE FROM {table}")
            cur.execute(self.recorder.q("UPDATE rm_position SET position = 0 WHERE name = ?"), (NAME,))
        return self.catch_up(progress)
