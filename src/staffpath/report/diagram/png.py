"""The SVG rasterised to PNG by vl-convert (resvg inside, fonts bundled): no system binary."""

from __future__ import annotations

SCALE = 2.0
"""Pixels per SVG unit: sharp on high-density screens and in print."""


def svg_to_png(svg: str, *, scale: float = SCALE) -> bytes:
    import vl_convert  # a compiled extension: loaded only when a PNG is wanted

    data: bytes = vl_convert.svg_to_png(svg, scale=scale)
    return data
