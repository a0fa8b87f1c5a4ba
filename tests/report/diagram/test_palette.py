"""Colours: every tier of the catalog has one, and trouble has its own."""

from __future__ import annotations

import re

from staffpath.design.catalog import load_catalog
from staffpath.report.diagram import palette as pal


def test_every_catalog_tier_has_a_colour() -> None:
    tiers = {kind.tier for kind in load_catalog().kinds.values()}
    assert tiers <= set(pal.TIERS)


def test_colours_are_hex_and_distinct() -> None:
    fills = [s.fill for s in pal.TIERS.values()]
    assert len(set(fills)) == len(fills)
    for value in [*fills, *(s.stroke for s in pal.TIERS.values()), pal.BOTTLENECK, pal.SPOF_FILL]:
        assert re.fullmatch(r"#[0-9a-f]{6}", value)
    assert pal.BOTTLENECK not in {s.stroke for s in pal.TIERS.values()}


def test_unknown_tiers_and_bars() -> None:
    assert pal.tier("my-own-tier") == pal.OTHER_TIER
    assert pal.bar_colour(saturated=True, warning=True) == pal.BAR_HOT
    assert pal.bar_colour(saturated=False, warning=True) == pal.BAR_WARN
    assert pal.bar_colour(saturated=False, warning=False) == pal.BAR_OK
