"""Human quantities: rates, durations, sizes, counts, percentages and money.

A design says ``12k/s``, ``4ms``, ``64GB``, ``99.95%`` and ``$20k/month``; the engines work
in base units (requests per second, seconds, bytes, fractions, dollars per month). This
module converts both ways.

Parsing is exact: the number is read as a :class:`fractions.Fraction`, multiplied by the
unit's exact factor and rounded once to the nearest float. Formatting picks a readable unit
and *proves* the text parses back to the same float, falling back to an exact decimal in the
base unit; so ``parse(format(x)) == x`` for every finite float in range.

Calendar conventions (back-of-envelope, stated once): a day is 86,400 s, a year is 365 days,
a month is a twelfth of a year (730 hours, the convention cloud price lists use).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

SECOND = Fraction(1)
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY
YEAR = 365 * DAY
MONTH = YEAR / 12

_NUMBER = r"(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)"
_MAGNITUDES = {
    "": Fraction(1),
    "k": Fraction(10**3),
    "K": Fraction(10**3),
    "M": Fraction(10**6),
    "B": Fraction(10**9),
    "G": Fraction(10**9),
    "T": Fraction(10**12),
}

_PER_TIME = {
    "s": SECOND,
    "sec": SECOND,
    "second": SECOND,
    "min": MINUTE,
    "minute": MINUTE,
    "h": HOUR,
    "hr": HOUR,
    "hour": HOUR,
    "d": DAY,
    "day": DAY,
    "week": WEEK,
    "month": MONTH,
    "mo": MONTH,
    "y": YEAR,
    "year": YEAR,
}

_DURATIONS = {
    "ns": Fraction(1, 10**9),
    "us": Fraction(1, 10**6),
    "µs": Fraction(1, 10**6),
    "ms": Fraction(1, 10**3),
    "s": SECOND,
    "sec": SECOND,
    "min": MINUTE,
    "h": HOUR,
    "hour": HOUR,
    "d": DAY,
    "day": DAY,
    "w": WEEK,
    "week": WEEK,
    "month": MONTH,
    "mo": MONTH,
    "y": YEAR,
    "year": YEAR,
}
# One vocabulary of time units for rates and durations, plurals included.
for _name in ("second", "minute", "hr", "w"):
    _DURATIONS.setdefault(_name, _PER_TIME.get(_name, WEEK))
_PER_TIME.setdefault("w", WEEK)
# Plural spellings are accepted everywhere a time unit is.
for _table in (_PER_TIME, _DURATIONS):
    for _name in [n for n in _table if len(n) > 3 or n in ("day", "sec", "min", "hr")]:
        _table.setdefault(_name + "s", _table[_name])

_SIZES = {
    "B": Fraction(1),
    "kB": Fraction(10**3),
    "KB": Fraction(10**3),
    "MB": Fraction(10**6),
    "GB": Fraction(10**9),
    "TB": Fraction(10**12),
    "PB": Fraction(10**15),
    "EB": Fraction(10**18),
    "KiB": Fraction(2**10),
    "MiB": Fraction(2**20),
    "GiB": Fraction(2**30),
    "TiB": Fraction(2**40),
    "PiB": Fraction(2**50),
    "EiB": Fraction(2**60),
}


class UnitError(ValueError):
    """A quantity that does not parse; ``hint`` says what would."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Dimension:
    """One kind of quantity: how it is written, and how it is shown."""

    name: str
    examples: tuple[str, ...]
    accepted: str

    def hint(self) -> str:
        return (
            f"write a {self.name} like {', '.join(self.examples)}; accepted units: {self.accepted}"
        )


RATE = Dimension(
    "rate",
    ("12k/s", "500/min", "100M/day", "3B/month"),
    "/s /min /h /day /week /month /year, with an optional k, M, B (10^9) or T multiplier",
)
DURATION = Dimension(
    "duration",
    ("250us", "4ms", "2s", "5min", "10y"),
    "ns us ms s min h d w month y",
)
SIZE = Dimension(
    "size",
    ("500B", "64GB", "1TiB"),
    "B kB MB GB TB PB (powers of 1000) and KiB MiB GiB TiB PiB (powers of 1024)",
)
PERCENT = Dimension("percentage", ("99.95%", "90%", "0.5%"), "% (a number followed by %)")
MONEY = Dimension(
    "monthly cost",
    ("$20k/month", "$70/month", "$0.096/h"),
    "$ amount with an optional k or M multiplier, per /month (or /h, /day, /year, converted)",
)
COUNT = Dimension("count", ("100M", "10k", "5000"), "a number with an optional k, M, B or T")

_RATE_RE = re.compile(_NUMBER + r"\s*(?P<mag>[kKMBGT]?)\s*/\s*(?P<unit>[A-Za-z][A-Za-z0-9]*)")
_DURATION_RE = re.compile(_NUMBER + r"\s*(?P<unit>[A-Za-zµ][A-Za-z0-9µ]*)")
_SIZE_RE = re.compile(_NUMBER + r"\s*(?P<unit>[A-Za-z][A-Za-z0-9]*)")
_PERCENT_RE = re.compile(_NUMBER + r"\s*%")
_MONEY_RE = re.compile(r"\$\s*" + _NUMBER + r"\s*(?P<mag>[kKMBGT]?)\s*(?:/\s*(?P<unit>[A-Za-z]+))?")
_COUNT_RE = re.compile(_NUMBER + r"\s*(?P<mag>[kKMBGT]?)")


def _text(value: object, dim: Dimension) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise UnitError(f"expected a {dim.name}, found {type(value).__name__}", dim.hint())
    if isinstance(value, int | float):
        raise UnitError(
            f"expected a {dim.name} with its unit, found the bare number {value!r}", dim.hint()
        )
    return value.strip()


def _finish(exact: Fraction, dim: Dimension, raw: str, *, allow_negative: bool = False) -> float:
    if exact < 0 and not allow_negative:
        raise UnitError(f"a {dim.name} cannot be negative, found {raw!r}", dim.hint())
    try:
        result = float(exact)
    except OverflowError:
        result = math.inf
    if math.isinf(result):
        raise UnitError(f"{raw!r} is too large to be a {dim.name}", dim.hint())
    return result


def _bad(raw: str, dim: Dimension, unit: str | None = None) -> UnitError:
    if unit is not None:
        return UnitError(f"unknown {dim.name} unit {unit!r} in {raw!r}", dim.hint())
    return UnitError(f"{raw!r} is not a {dim.name}", dim.hint())


def parse_rate(value: object) -> float:
    """``12k/s`` -> 12000.0 (per second)."""
    raw = _text(value, RATE)
    m = _RATE_RE.fullmatch(raw)
    if not m:
        raise _bad(raw, RATE)
    unit = m["unit"]
    if unit not in _PER_TIME:
        raise _bad(raw, RATE, unit)
    return _finish(Fraction(m["num"]) * _MAGNITUDES[m["mag"]] / _PER_TIME[unit], RATE, raw)


def parse_duration(value: object) -> float:
    """``4ms`` -> 0.004 (seconds). ``0`` alone is accepted as zero."""
    if value == 0 and not isinstance(value, bool):
        return 0.0
    raw = _text(value, DURATION)
    m = _DURATION_RE.fullmatch(raw)
    if not m:
        raise _bad(raw, DURATION)
    unit = m["unit"]
    if unit not in _DURATIONS:
        err = _bad(raw, DURATION, unit)
        if unit == "m":
            err.hint = "'m' is ambiguous: write 'min' for minutes or 'month' for months"
        raise err
    return _finish(Fraction(m["num"]) * _DURATIONS[unit], DURATION, raw)


def parse_size(value: object) -> float:
    """``64GB`` -> 64e9 (bytes); ``1KiB`` -> 1024.0."""
    if value == 0 and not isinstance(value, bool):
        return 0.0
    raw = _text(value, SIZE)
    m = _SIZE_RE.fullmatch(raw)
    if not m:
        raise _bad(raw, SIZE)
    unit = m["unit"]
    if unit not in _SIZES:
        err = _bad(raw, SIZE, unit)
        if unit.endswith("b"):
            err.hint = "sizes are in bytes with a capital B (64GB, 1TiB); bits are not accepted"
        raise err
    return _finish(Fraction(m["num"]) * _SIZES[unit], SIZE, raw)


def parse_percent(value: object) -> float:
    """``99.95%`` -> 0.9995. Must lie between 0% and 100%."""
    raw = _text(value, PERCENT)
    m = _PERCENT_RE.fullmatch(raw)
    if not m:
        raise _bad(raw, PERCENT)
    exact = Fraction(m["num"]) / 100
    if not 0 <= exact <= 1:
        raise UnitError(f"a percentage must lie between 0% and 100%, found {raw!r}", PERCENT.hint())
    return float(exact)


def parse_money(value: object) -> float:
    """``$20k/month`` -> 20000.0 dollars per month; ``$0.1/h`` -> 73.0."""
    raw = _text(value, MONEY)
    m = _MONEY_RE.fullmatch(raw)
    if not m:
        raise _bad(raw, MONEY)
    unit = m["unit"]
    if unit is None:
        raise UnitError(f"{raw!r} has no period: say what it costs per month", MONEY.hint())
    if unit not in _PER_TIME:
        raise _bad(raw, MONEY, unit)
    per_month = MONTH / _PER_TIME[unit]
    return _finish(Fraction(m["num"]) * _MAGNITUDES[m["mag"]] * per_month, MONEY, raw)


def parse_count(value: object) -> float:
    """``100M`` -> 1e8. Bare numbers are counts already."""
    if isinstance(value, bool):
        raise _bad(str(value), COUNT)
    if isinstance(value, int | float):
        if not math.isfinite(value) or value < 0:
            raise UnitError(f"a count must be a finite number >= 0, found {value!r}", COUNT.hint())
        return float(value)
    if not isinstance(value, str):
        raise UnitError(f"expected a count, found {type(value).__name__}", COUNT.hint())
    raw = value.strip()
    m = _COUNT_RE.fullmatch(raw)
    if not m:
        raise _bad(raw, COUNT)
    return _finish(Fraction(m["num"]) * _MAGNITUDES[m["mag"]], COUNT, raw)


# --- formatting -------------------------------------------------------------------------------


def _exact_decimal(value: Fraction) -> str:
    """The exact, terminating decimal text of a fraction whose denominator is 2^a·5^b."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    num, den = value.numerator, value.denominator
    digits = 0
    while den != 1:
        if (num * 10) % den == 0 or den % 2 == 0 or den % 5 == 0:
            num *= 10
            digits += 1
            g = math.gcd(num, den)
            num, den = num // g, den // g
        else:  # pragma: no cover - only dyadic/decimal fractions reach here
            raise ValueError("non-terminating decimal")
    text = str(num)
    if digits:
        text = text.rjust(digits + 1, "0")
        text = f"{text[:-digits]}.{text[-digits:]}".rstrip("0").rstrip(".")
    return sign + text


def _number(value: float) -> str:
    """The shortest text for a float, without exponent for everyday magnitudes."""
    text = repr(value)
    if text.endswith(".0"):
        text = text[:-2]
    return text


def _cost(text: str) -> int:
    """Shorter is better; exponent notation reads worst."""
    number = text.split("/")[0].lstrip("$")
    return len(text) + (6 if "e" in number else 0) + (2 if number.startswith("0.") else 0)


def _pick(
    value: float,
    units: list[tuple[str, Fraction]],
    render: Callable[[str, str], str],
    parse: Callable[[str], float],
    base: tuple[str, Fraction],
) -> str:
    """The shortest rendering in any of ``units`` that parses back to exactly ``value``."""
    exact = Fraction(value)
    best: str | None = None
    for unit, factor in [*units, base]:
        try:
            text = render(_number(float(exact / factor)), unit)
            ok = parse(text) == value
        except (UnitError, OverflowError):
            continue
        if ok and (best is None or _cost(text) < _cost(best)):
            best = text
    if best is not None:
        return best
    unit, factor = base
    return render(_exact_decimal(exact / factor), unit)


def format_rate(value: float) -> str:
    units = [
        (f"{mag}/{per}", _MAGNITUDES[mag] / _PER_TIME[per])
        for per in ("s", "min", "h", "day", "month")
        for mag in ("B", "M", "k", "")
    ]
    return _pick(value, units, lambda n, u: f"{n}{u}", parse_rate, ("/s", Fraction(1)))


def format_duration(value: float) -> str:
    order = ["y", "d", "h", "min", "s", "ms", "us", "ns"]
    units = [(u, _DURATIONS[u]) for u in order]
    if value == 0:
        return "0s"
    return _pick(value, units, lambda n, u: f"{n}{u}", parse_duration, ("s", SECOND))


def format_size(value: float) -> str:
    order = ["PB", "TB", "GB", "MB", "kB", "PiB", "TiB", "GiB", "MiB", "KiB", "B"]
    units = [(u, _SIZES[u]) for u in order]
    if value == 0:
        return "0B"
    return _pick(value, units, lambda n, u: f"{n}{u}", parse_size, ("B", Fraction(1)))


def format_percent(value: float) -> str:
    return _pick(
        value,
        [("%", Fraction(1, 100))],
        lambda n, u: f"{n}{u}",
        parse_percent,
        ("%", Fraction(1, 100)),
    )


def format_money(value: float) -> str:
    units = [("M", _MAGNITUDES["M"]), ("k", _MAGNITUDES["k"]), ("", Fraction(1))]
    return _pick(value, units, lambda n, u: f"${n}{u}/month", parse_money, ("", Fraction(1)))


def format_count(value: float) -> str:
    units = [(u, _MAGNITUDES[u]) for u in ("B", "M", "k")]
    if value == 0 or abs(value) < 1000:
        return _number(value)
    return _pick(value, units, lambda n, u: f"{n}{u}", parse_count, ("", Fraction(1)))


# --- display (rounded, for people; not for round trips) -----------------------------------------


def _sig(value: float, digits: int = 4) -> str:
    text = f"{value:.{digits}g}"
    if "e" in text:
        text = f"{value:,.0f}"
    return text


def _scaled(value: float, steps: list[tuple[str, float]], digits: int) -> str:
    """Pick the first unit the value reaches (the last one for anything smaller)."""
    for suffix, factor in steps:
        if abs(value) >= factor:
            return _sig(value / factor, digits) + suffix
    suffix, factor = steps[-1]
    return _sig(value / factor, digits) + suffix


def show_rate(value: float, digits: int = 4) -> str:
    """``1105000.0`` -> ``1.105M/s``: per second, rounded, with a k/M/B multiplier."""
    return _scaled(value, [("B/s", 1e9), ("M/s", 1e6), ("k/s", 1e3), ("/s", 1.0)], digits)


def show_duration(value: float, digits: int = 4) -> str:
    """``0.0123`` -> ``12.3ms``."""
    if value == 0:
        return "0s"
    steps = [("h", 3600.0), ("min", 60.0), ("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)]
    return _scaled(value, steps, digits)


def show_size(value: float, digits: int = 4) -> str:
    """``182.5e12`` -> ``182.5TB`` (decimal units)."""
    return _scaled(
        value,
        [("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3), ("B", 0.0)],
        digits,
    )


def show_money(value: float, digits: int = 4) -> str:
    """``20000.0`` -> ``$20k/month``."""
    return "$" + _scaled(value, [("M", 1e6), ("k", 1e3), ("", 1.0)], digits) + "/month"
