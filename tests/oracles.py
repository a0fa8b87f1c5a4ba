"""Independent reference implementations the engine is tested against (not engine code)."""

from __future__ import annotations

from fractions import Fraction


def exact_erlang_c(c: int, a: Fraction) -> Fraction:
    """Erlang C from its textbook sum, in exact rationals (no recursion shared with the engine)."""
    term = Fraction(1)
    total = Fraction(0)
    for k in range(c):
        total += term
        term = term * a / (k + 1)
    tail = term * Fraction(c) / (c - a)  # a^c/c! · c/(c−a)
    return tail / (total + tail)
