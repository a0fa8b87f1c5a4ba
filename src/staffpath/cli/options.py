"""Flags that take human quantities: parsed once, with the flag named in every error."""

from __future__ import annotations

from collections.abc import Callable

from staffpath.errors import InputError
from staffpath.units import UnitError, parse_duration, parse_rate


def _quantity(flag: str, text: str | None, parse: Callable[[object], float]) -> float | None:
    if text is None:
        return None
    try:
        value = parse(text)
    except UnitError as exc:
        raise InputError(f"{flag}: {exc.message} ({exc.hint})") from None
    return value


def positive_rate(flag: str, text: str | None) -> float | None:
    """``--at 20k/s`` -> 20000.0; None when the flag is absent."""
    value = _quantity(flag, text, parse_rate)
    if value is not None and value <= 0:
        raise InputError(f"{flag}: the rate must be above 0/s")
    return value


def duration(flag: str, text: str | None, *, positive: bool = False) -> float | None:
    """``--duration 5min`` -> 300.0; None when the flag is absent."""
    value = _quantity(flag, text, parse_duration)
    if value is not None and positive and value <= 0:
        raise InputError(f"{flag} must be longer than 0s")
    return value
