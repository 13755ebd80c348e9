"""Output of figures (docs/assessment.md §4): Decimal rounded half-up, written as strings."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT, TEN_THOUSANDTH = Decimal("0.01"), Decimal("0.0001")


def money(value: Decimal) -> str:
    """Amounts, scores, base, final and deductions: 2 decimals."""
    return str(Decimal(value).quantize(CENT, ROUND_HALF_UP))


SCALES = {"yi": Decimal(100_000_000), "wan": Decimal(10_000)}  # 亿元, 万元


def scaled(value, scale: str = "yi") -> str:
    """An amount of yuan as offices write it: in 亿元 (``yi``) or 万元 (``wan``), two decimals, thousands
    grouped."""
    return f"{(Decimal(value) / SCALES[scale]).quantize(CENT, ROUND_HALF_UP):,}"


def ratio(value: Decimal) -> str:
    """Ratios, coefficients and lags: 4 decimals."""
    return str(Decimal(value).quantize(TEN_THOUSANDTH, ROUND_HALF_UP))


def plain(value) -> str:
    """Counts and weights: a plain number (``"9"``, ``"35"``, ``"12.5"``)."""
    return format(Decimal(value).normalize(), "f")


def indicator(row: dict) -> dict:
    amount = money if row.get("kind", "amount") == "amount" else plain
    return {"plugin": row["plugin"], "value": amount(row["value"]), "target": amount(row["target"]),
            "ratio": ratio(row["ratio"]), "weight": plain(row["weight"]), "score": money(row["score"])}


def entry(row: dict, *, with_indicators: bool = False) -> dict:
    out = {"unit": row["unit"], "rank": row["rank"], "third": row["third"], "base": money(row["base"]),
           "coefficient": ratio(row["coefficient"]), "deduction": money(row["deduction"]),
           "final": money(row["final"]), "signed_amount": money(row["signed_amount"]),
           "streak": row["streak"], "accountability": row["accountability"], "commended": row["commended"]}
    if with_indicators:
        out["indicators"] = [indicator(i) for i in row["indicators"]]
    return out


def notice(event) -> dict:
    return {"unit": event.unit, "case": event.case, "level": event.level, "date": event.date.isoformat(),
            "lag": None if event.lag is None else ratio(event.lag), "points": money(event.points),
            "outcome": event.outcome}


def plain_value(value):
    """A value as JSON holds it: dates ISO, Decimals exact strings, containers element by element, anything else
    that JSON has no type for as its string."""
    from datetime import date, datetime
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)

def stage_of(project) -> str:
    """How far a project has got: withdrawn, started, landed, signed or planned."""
    for stage, key in (("withdrawn", "withdrawn_on"), ("started", "started_on"), ("landed", "landed_on"),
                       ("signed", "signed_on")):
        if project[key] is not None:
            return stage
    return "planned"


#: what an event of each type (its class name) never carries out of the store: a token's digest. The pages'
#: session cookie holds it, signed; with the session secret it would make a session. Left out of `sankao events`
#: and the API's feed (``event_row``) and of the audit bundle (``core.audit.bundle``, where the event is carried
#: with its leaf hash instead).
REDACTED = {"TokenIssued": ("digest",)}


def redacted(kind: str, data: dict) -> dict:
    """``data`` (an event's fields, or its stored JSON) of an event of type ``kind`` (``TokenIssued``, its class
    name) without what ``REDACTED`` names; the same dict when it names nothing of it."""
    drop = [k for k in REDACTED.get(kind, ()) if k in data]
    return {k: v for k, v in data.items() if k not in drop} if drop else data


def event_row(position: int, event) -> dict:
    """One event of the log as ``sankao events --json`` and the web API's feed write it (``redacted``)."""
    data = {k: v for k, v in vars(event).items()
            if k not in ("originator_id", "originator_version", "timestamp", "command_id", "actor", "position")}
    kind = type(event).__name__
    return {"position": position, "type": kind, "recorded_at": event.timestamp.isoformat(),
            "actor": getattr(event, "actor", None), "command_id": getattr(event, "command_id", None),
            "data": plain_value(redacted(kind, data))}
