"""Units: exact parsing, readable formatting, and round trips for every finite value."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from staffpath import units
from staffpath.units import UnitError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12k/s", 12_000.0),
        ("500/min", 500 / 60),
        ("100M/day", 100e6 / 86_400),  # Xu vol. 1 ch. 9: ~1,160 writes/s
        ("3B/month", 3e9 / (365 * 86_400 / 12)),
        ("1 / s", 1.0),
        ("2/hours", 2 / 3600),
    ],
)
def test_rates(text: str, expected: float) -> None:
    assert units.parse_rate(text) == pytest.approx(expected, rel=1e-15)


def test_rate_is_exactly_rounded_once() -> None:
    # 100M/day computed in exact rationals, then rounded: not 100e6 / 86400 in floats by luck.
    assert units.parse_rate("100M/day") == float(units.Fraction(100_000_000, 86_400))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("250us", 250e-6),
        ("250µs", 250e-6),
        ("4ms", 0.004),
        ("2s", 2.0),
        ("5min", 300.0),
        ("1h", 3600.0),
        ("10y", 10 * 365 * 86_400.0),
        ("1month", 730 * 3600.0),
        ("3 days", 259_200.0),
    ],
)
def test_durations(text: str, expected: float) -> None:
    assert units.parse_duration(text) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("500B", 500.0), ("64GB", 64e9), ("1TiB", 2.0**40), ("1KiB", 1024.0), ("1kB", 1000.0)],
)
def test_sizes_decimal_and_binary(text: str, expected: float) -> None:
    assert units.parse_size(text) == expected


def test_percent_and_money() -> None:
    assert units.parse_percent("99.95%") == 0.9995
    assert units.parse_money("$20k/month") == 20_000.0
    assert units.parse_money("$0.1/h") == pytest.approx(73.0)  # 730 hours a month
    assert units.parse_count("100M") == 1e8
    assert units.parse_count(5000) == 5000.0


@pytest.mark.parametrize(
    ("parse", "value", "fragment"),
    [
        (units.parse_rate, "12k", "is not a rate"),
        (units.parse_rate, 12000, "bare number"),
        (units.parse_rate, "12k/fortnight", "unknown rate unit 'fortnight'"),
        (units.parse_duration, "4m", "unknown duration unit 'm'"),
        (units.parse_duration, "-4ms", "cannot be negative"),
        (units.parse_duration, "nanms", "is not a duration"),
        (units.parse_size, "64Gb", "unknown size unit 'Gb'"),
        (units.parse_percent, "120%", "between 0% and 100%"),
        (units.parse_percent, 0.5, "bare number"),
        (units.parse_money, "$20k", "no period"),
        (units.parse_duration, True, "found bool"),
        (units.parse_duration, "1e400s", "too large"),
    ],
)
def test_bad_quantities_name_the_problem_and_the_units(parse, value, fragment) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnitError) as info:
        parse(value)
    assert fragment in info.value.message
    assert info.value.hint


def test_m_is_ambiguous_and_says_so() -> None:
    with pytest.raises(UnitError, match="unknown duration unit") as info:
        units.parse_duration("5m")
    assert "min" in info.value.hint and "month" in info.value.hint


@pytest.mark.parametrize(
    ("fmt", "value", "text"),
    [
        (units.format_rate, 12_000.0, "12k/s"),
        (units.format_rate, units.parse_rate("100M/day"), "100M/day"),
        (units.format_duration, 0.004, "4ms"),
        (units.format_duration, 0.1, "100ms"),
        (units.format_duration, 10 * 365 * 86_400.0, "10y"),
        (units.format_size, 64e9, "64GB"),
        (units.format_size, 2.0**40, "1TiB"),
        (units.format_percent, 0.9995, "99.95%"),
        (units.format_money, 20_000.0, "$20k/month"),
    ],
)
def test_formatting_is_readable(fmt, value, text) -> None:  # type: ignore[no-untyped-def]
    assert fmt(value) == text


finite = st.floats(min_value=0, allow_nan=False, allow_infinity=False)
PAIRS = [
    (units.format_rate, units.parse_rate),
    (units.format_duration, units.parse_duration),
    (units.format_size, units.parse_size),
    (units.format_money, units.parse_money),
    (units.format_count, units.parse_count),
]


@pytest.mark.parametrize(("fmt", "parse"), PAIRS, ids=[p[0].__name__ for p in PAIRS])
@given(value=finite)
def test_every_finite_value_round_trips(fmt, parse, value: float) -> None:  # type: ignore[no-untyped-def]
    assert parse(fmt(value)) == value


@given(value=st.floats(min_value=0, max_value=1))
def test_every_fraction_round_trips_as_a_percentage(value: float) -> None:
    assert units.parse_percent(units.format_percent(value)) == value


@given(st.text(max_size=30))
def test_arbitrary_text_parses_or_raises_unit_error(text: str) -> None:
    for parse in (
        units.parse_rate,
        units.parse_duration,
        units.parse_size,
        units.parse_percent,
        units.parse_money,
        units.parse_count,
    ):
        try:
            value = parse(text)
        except UnitError:
            continue
        assert math.isfinite(value) and value >= 0
