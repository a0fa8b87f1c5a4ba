"""Flag values in human units: parsed, or refused with the flag named."""

from __future__ import annotations

import pytest

from staffpath.cli.options import duration, positive_rate
from staffpath.errors import InputError


def test_absent_flags_are_none() -> None:
    assert positive_rate("--at", None) is None
    assert duration("--duration", None) is None


def test_values_parse() -> None:
    assert positive_rate("--at", "20k/s") == 20_000.0
    assert duration("--duration", "5min") == 300.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: positive_rate("--at", "fast"), "--at: 'fast' is not a rate"),
        (lambda: positive_rate("--at", "0/s"), "--at: the rate must be above 0/s"),
        (lambda: duration("--duration", "0s", positive=True), "--duration must be longer"),
        (lambda: duration("--warmup", "5 parsecs"), "--warmup:"),
    ],
)
def test_bad_values_name_their_flag(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=message):
        call()
