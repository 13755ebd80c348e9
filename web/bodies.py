"""Reading what a request sends: every way a body can be unreadable answers 4xx naming it, never 500, and never
stores something other than what was sent.

- a body that is not UTF-8 is refused (400, naming the byte and where), not read with U+FFFD in its place;
- a JSON string holding a lone surrogate (``"\\ud800"``: no character; UTF-8 cannot store it) is refused (422);
- an integer of more than 4,300 digits (Python's limit for reading one) is refused (422);
- JSON nested deeper than ``MAX_DEPTH`` is refused (422);
- in ``POST /api/plugins``: a key given twice in one object is refused (422, naming it); a number must be a
  finite decimal within ``NUMBER_LIMIT`` with at most ``MAX_DECIMALS`` decimals (422, naming the setting);
- JSON lines are split on ``\\n`` alone (``\\r\\n`` too): U+2028, U+0085 and the other characters Python's
  ``splitlines`` takes for line ends may stand inside a JSON string.
"""

from __future__ import annotations

import json
from decimal import Decimal

from flask_smorest import abort

MAX_DEPTH = 32  # a command is flat; the rules are tables of settings, at most a table of tables
MAX_INT_DIGITS = 4300  # sys.get_int_max_str_digits()'s default: int() refuses more
NUMBER_LIMIT = Decimal(10) ** 15  # far above any setting (weights, caps, shares, days, points)
MAX_DECIMALS = 12


class BodyProblem(ValueError):
    """What is wrong with a JSON text, in words (``where`` the field, when known)."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(message)
        self.where = where


def utf8_text(data: bytes, what: str = "the body") -> str:
    """``data`` read as UTF-8, or a 400 naming the first byte that is not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        abort(400, message=f"{what} is not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} (line {line}) "
                           "is not a character; send the text encoded as UTF-8")


def split_lines(text: str) -> list[str]:
    """JSON lines split on ``\\n`` alone, each without a trailing ``\\r``."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def _refuse_constant(name: str):
    raise BodyProblem(f"{name} is not a number Sankao reads: give a finite decimal")


def _checked_int(text: str):
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise BodyProblem(f"an integer of {len(text.lstrip('-'))} digits is more than Sankao reads "
                          f"({MAX_INT_DIGITS} at most)")
    return int(text)


def _unique(pairs: list) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise BodyProblem(f"the key {key!r} is given twice in one object: give it once")
        seen[key] = value
    return seen


_STRICT = json.JSONDecoder(object_pairs_hook=_unique, parse_float=Decimal, parse_int=_checked_int,
                           parse_constant=_refuse_constant)


def strict_json(text: str):
    """The JSON text ``text``: decimals for its numbers, no key twice, no NaN or Infinity, no integer longer than
    Python reads, not nested deeper than ``MAX_DEPTH``, no lone surrogate. Raises ``json.JSONDecodeError`` for
    text that is not JSON, ``BodyProblem`` for JSON that breaks one of these rules."""
    try:
        value = _STRICT.decode(text.lstrip("\ufeff"))
    except RecursionError:
        raise BodyProblem(f"nested more than {MAX_DEPTH} levels deep") from None
    check_value(value)
    return value


def check_value(value, numbers: bool = False) -> None:
    """Raise ``BodyProblem`` when ``value`` (decoded JSON) is nested too deeply, holds a lone surrogate in a key
    or a string, or (with ``numbers``) a number that is not a finite decimal within ``NUMBER_LIMIT`` with at
    most ``MAX_DECIMALS`` decimals. Walked without recursion."""
    stack = [(value, "", 0)]
    while stack:
        item, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BodyProblem(f"nested more than {MAX_DEPTH} levels deep", where)
        if isinstance(item, dict):
            for key, inner in item.items():
                _text(key, where or "a key", key=True)
                stack.append((inner, f"{where}.{key}" if where else str(key), depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, f"{where}[{n}]", depth + 1) for n, inner in enumerate(item))
        elif isinstance(item, str):
            _text(item, where)
        elif numbers and isinstance(item, (int, Decimal)) and not isinstance(item, bool):
            _number(item, where)


def _text(text: str, where: str, key: bool = False) -> None:
    for n, char in enumerate(text):
        if 0xd800 <= ord(char) <= 0xdfff:
            raise BodyProblem(f"{'a key' if key else 'the text'} holds a lone surrogate \\u{ord(char):04x} at "
                              f"character {n + 1}: not a character (UTF-8 cannot hold it); send the text as "
                              "characters, or a surrogate pair for one beyond U+FFFF", where)


def _number(value, where: str) -> None:
    number = Decimal(value)
    if not number.is_finite() or abs(number) >= NUMBER_LIMIT or _decimals(number) > MAX_DECIMALS:
        raise BodyProblem(f"{_shown(number)} is not a finite decimal within ±10^15 with at most {MAX_DECIMALS} "
                          "decimals", where)


def _decimals(number: Decimal) -> int:
    """How many decimals ``number`` has, trailing zeros aside (``1.500`` has 1), counted exactly."""
    _, digits, exponent = number.as_tuple()
    if not any(digits):
        return 0
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + zeros))


def _shown(number: Decimal) -> str:
    text = str(number)
    return text if len(text) <= 40 else f"{text[:20]}…({len(text)} characters)"


def said(problem: BodyProblem, prefix: str = "") -> str:
    """The problem in one line: ``prefix`` (a line number), the field, the rule."""
    where = f"{problem.where}: " if problem.where else ""
    return f"{prefix}{where}{problem}"
