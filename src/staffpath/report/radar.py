"""A radar (spider) chart as a Vega-Lite specification.

Vega-Lite has no radar mark, so the geometry is computed here: axis ``i`` of ``n`` points at
the angle ``90° - 360° * i / n`` (the first axis straight up, the others clockwise), and a
value ``v`` sits at the radius ``v / maximum`` on it, so the outer ring is 1. Each series is
drawn as a closed polygon (its first vertex repeated at the end) with ``line`` marks in an
explicit ``order``; the spokes are ``rule`` marks, the level rings thin polygons, the labels
``text`` marks just outside the outer ring. Render with :func:`staffpath.report.charts.to_svg`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from staffpath.report.charts import FONT, SCHEMA, Spec

SIZE = 420
EXTENT = 1.55  # the plot spans -EXTENT..EXTENT on both axes: room for the labels
LABEL_RADIUS = 1.1
WRAP = 18  # characters per line of an axis label
TARGET_COLOUR, CURRENT_COLOUR, GRID_COLOUR = "#e45756", "#4c78a8", "#cccccc"


def _clean(value: float) -> float:
    """Rounded to 6 places, without a negative zero."""
    return round(value, 6) + 0.0


def vertex(i: int, n: int, radius: float) -> tuple[float, float]:
    """The point at ``radius`` on axis ``i`` of ``n``."""
    angle = math.pi / 2 - 2 * math.pi * i / n
    return _clean(radius * math.cos(angle)), _clean(radius * math.sin(angle))


def polygon(values: Sequence[float], *, maximum: float) -> list[tuple[float, float]]:
    """The closed polygon of ``values`` (one per axis): ``n + 1`` points, the last equal to
    the first."""
    if len(values) < 3:
        raise ValueError("a radar chart needs at least three axes")
    if maximum <= 0:
        raise ValueError("maximum must be positive")
    n = len(values)
    points = [vertex(i, n, v / maximum) for i, v in enumerate(values)]
    return [*points, points[0]]


def wrap(text: str, width: int = WRAP) -> list[str]:
    """``text`` split into lines of at most ``width`` characters (Vega draws a list of
    strings as lines); a longer word keeps its own line."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _rows(name: str, points: Sequence[tuple[float, float]]) -> list[dict[str, Any]]:
    return [{"series": name, "order": k, "x": x, "y": y} for k, (x, y) in enumerate(points)]


def _align(x: float, y: float) -> tuple[str, str]:
    horizontal = "left" if x > 1e-6 else "right" if x < -1e-6 else "center"
    vertical = "bottom" if y > 1e-6 else "top" if y < -1e-6 else "middle"
    return horizontal, vertical


def radar_spec(
    axes: Sequence[str],
    *,
    current: Sequence[float],
    target: Sequence[float],
    maximum: float,
    rings: Sequence[str] = (),
    title: str = "",
    current_name: str = "current",
    target_name: str = "target",
) -> Spec:
    """Two closed polygons (target and current) over spokes, rings and labels.

    ``rings`` names the levels 1..len(rings) drawn as grey rings (e.g. mid, senior, staff
    for ``maximum=3``); a vertex's tooltip shows its level by that name.
    """
    if not len(axes) == len(current) == len(target):
        raise ValueError("axes, current and target must have the same length")
    n = len(axes)
    x_enc = {
        "field": "x",
        "type": "quantitative",
        "scale": {"domain": [-EXTENT, EXTENT], "nice": False, "zero": False},
        "axis": None,
    }
    y_enc = {**x_enc, "field": "y"}

    def name_of(value: float) -> str:
        k = round(value)
        if k == value and 1 <= k <= len(rings):
            return rings[k - 1]
        return "none" if value == 0 else f"{value:g}"

    ring_rows = [
        {"ring": label, "order": k, "x": x, "y": y}
        for level, label in enumerate(rings, 1)
        for k, (x, y) in enumerate(polygon([level] * n, maximum=maximum))
    ]
    spokes = [
        {"x": 0.0, "y": 0.0, "x2": x, "y2": y} for x, y in (vertex(i, n, 1.0) for i in range(n))
    ]
    labels: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for i, axis in enumerate(axes):
        x, y = vertex(i, n, LABEL_RADIUS)
        labels.setdefault(_align(x, y), []).append({"label": wrap(axis), "x": x, "y": y})
    ring_labels = [
        {"label": label, "x": 0.03, "y": _clean(level / maximum)}
        for level, label in enumerate(rings, 1)
    ]
    series = [*_rows(target_name, polygon(target, maximum=maximum))]
    series += _rows(current_name, polygon(current, maximum=maximum))
    vertices = [
        {
            "series": current_name,
            "skill": axis,
            "level": name_of(v),
            "x": x,
            "y": y,
        }
        for axis, v, (x, y) in zip(
            axes, current, polygon(current, maximum=maximum)[:-1], strict=True
        )
    ]
    colour = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "scale": {"domain": [target_name, current_name], "range": [TARGET_COLOUR, CURRENT_COLOUR]},
    }
    layers: list[Spec] = []
    if ring_rows:
        layers.append(
            {
                "data": {"values": ring_rows},
                "mark": {"type": "line", "color": GRID_COLOUR, "strokeWidth": 1},
                "encoding": {
                    "x": x_enc,
                    "y": y_enc,
                    "detail": {"field": "ring"},
                    "order": {"field": "order"},
                },
            }
        )
    layers.append(
        {
            "data": {"values": spokes},
            "mark": {"type": "rule", "color": GRID_COLOUR, "strokeWidth": 1},
            "encoding": {
                "x": x_enc,
                "y": y_enc,
                "x2": {"field": "x2"},
                "y2": {"field": "y2"},
            },
        }
    )
    layers.append(
        {
            "data": {"values": [r for r in series if r["series"] == current_name]},
            "mark": {"type": "line", "filled": True, "opacity": 0.18, "color": CURRENT_COLOUR},
            "encoding": {"x": x_enc, "y": y_enc, "order": {"field": "order"}},
        }
    )
    layers.append(
        {
            "data": {"values": series},
            "mark": {"type": "line", "strokeWidth": 2},
            "encoding": {
                "x": x_enc,
                "y": y_enc,
                "color": colour,
                "detail": {"field": "series"},
                "order": {"field": "order"},
                "strokeDash": {
                    "field": "series",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": [target_name, current_name], "range": [[6, 4], [1, 0]]},
                },
            },
        }
    )
    layers.append(
        {
            "data": {"values": vertices},
            "mark": {"type": "point", "filled": True, "size": 40, "color": CURRENT_COLOUR},
            "encoding": {
                "x": x_enc,
                "y": y_enc,
                "tooltip": [{"field": "skill"}, {"field": "level"}],
            },
        }
    )
    for (horizontal, vertical), rows in sorted(labels.items()):
        layers.append(
            {
                "data": {"values": rows},
                "mark": {
                    "type": "text",
                    "align": horizontal,
                    "baseline": vertical,
                    "fontSize": 11,
                    "color": "#333333",
                },
                "encoding": {"x": x_enc, "y": y_enc, "text": {"field": "label"}},
            }
        )
    if ring_labels:
        layers.append(
            {
                "data": {"values": ring_labels},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "bottom",
                    "fontSize": 9,
                    "color": "#888888",
                },
                "encoding": {"x": x_enc, "y": y_enc, "text": {"field": "label"}},
            }
        )
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": SIZE,
        "height": SIZE,
        "background": "white",
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "legend": {"orient": "bottom", "labelFontSize": 11},
            "title": {"fontSize": 13, "anchor": "start"},
        },
        "layer": layers,
    }
