"""Colours: one per tier, and the marks that call for attention. Shared by every format.

Tier colours are pale fills with a darker outline of the same hue, kept away from red and
amber, which mean trouble here: red for the bottleneck and saturation, amber for a single
point of failure and for utilisation past the engine's warning level.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Swatch:
    fill: str
    stroke: str


TIERS: dict[str, Swatch] = {
    "clients": Swatch("#f1f3f4", "#80868b"),
    "edge": Swatch("#f3e8fd", "#8e44ad"),
    "ingress": Swatch("#e0f5f5", "#00838f"),
    "compute": Swatch("#e3eefc", "#1a5fb4"),
    "cache": Swatch("#e9f5e1", "#4e8a2a"),
    "data": Swatch("#ecebf9", "#4b4fa8"),
    "messaging": Swatch("#fbe9f1", "#b0306a"),
    "storage": Swatch("#f1ece6", "#7a5a3a"),
}
OTHER_TIER = Swatch("#f4f4f4", "#707070")

BOTTLENECK = "#d62728"
SPOF_FILL = "#ffb300"
SPOF_TEXT = "#3b2500"
TEXT = "#1f2328"
MUTED = "#57606a"
EDGE = "#5f6b7a"
MISS = "#8a6d3b"
BAR_TRACK = "#dfe3e8"
BAR_OK = "#3f9b4f"
BAR_WARN = "#f08c00"
BAR_HOT = "#d62728"
BACKGROUND = "#ffffff"
LABEL_BACKGROUND = "#ffffff"
LABEL_BORDER = "#d0d7de"


def tier(name: str) -> Swatch:
    return TIERS.get(name, OTHER_TIER)


def bar_colour(saturated: bool, warning: bool) -> str:
    if saturated:
        return BAR_HOT
    return BAR_WARN if warning else BAR_OK
