"""The applications funnel as a Vega-Lite chart: one bar per stage, how many got that far.

Each bar is labelled with its count and the conversion from the stage above it; the
applications that ended (rejected, withdrawn) are named under the title. The figures come
from :func:`staffpath.career.applications.funnel`; nothing here computes one. Render with
:func:`staffpath.report.charts.to_svg`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from staffpath.report.charts import FONT, HOT_COLOUR, OK_COLOUR, SCHEMA, WIDTH, Spec


def _label(reached: int, conversion: float | None, above: str | None) -> str:
    if conversion is None or above is None:
        return str(reached)
    return f"{reached} ({conversion:.0%} of {above})"


def funnel_spec(
    stages: Sequence[tuple[str, int, float | None]],
    *,
    ended: Mapping[str, int] | None = None,
    title: str = "Applications funnel",
) -> Spec:
    """``stages`` as (stage, how many reached it, conversion from the stage before or None),
    first stage first; ``ended`` as outcome -> count (rejected, withdrawn)."""
    rows = [
        {
            "stage": stage,
            "reached": reached,
            "label": _label(reached, conversion, stages[i - 1][0] if i else None),
        }
        for i, (stage, reached, conversion) in enumerate(stages)
    ]
    top = max((reached for _, reached, _ in stages), default=0)
    y = {
        "field": "stage",
        "type": "ordinal",
        "sort": [r["stage"] for r in rows],
        "title": None,
        "axis": {"labelFontSize": 12},
    }
    bars: Spec = {
        "mark": {"type": "bar", "color": OK_COLOUR, "height": {"band": 0.7}},
        "encoding": {
            "y": y,
            "x": {
                "field": "reached",
                "type": "quantitative",
                "title": "applications that reached the stage",
                "axis": {"tickMinStep": 1, "format": "d"},
                "scale": {"domain": [0, max(1, top) * 1.6]},
            },
            "tooltip": [{"field": "stage"}, {"field": "reached"}, {"field": "label"}],
        },
    }
    labels: Spec = {
        "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11},
        "encoding": {
            "y": y,
            "x": {"field": "reached", "type": "quantitative"},
            "text": {"field": "label"},
        },
    }
    subtitle = ", ".join(f"{n} {what}" for what, n in (ended or {}).items() if n)
    return {
        "$schema": SCHEMA,
        "title": {
            "text": title,
            "subtitle": f"ended: {subtitle}" if subtitle else "none ended yet",
            "subtitleColor": HOT_COLOUR,
        },
        "width": WIDTH,
        "height": max(80, 34 * len(rows)),
        "background": "white",
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 11,
                "grid": True,
                "gridColor": "#eeeeee",
            },
            "title": {"fontSize": 13, "anchor": "start"},
        },
        "data": {"values": rows},
        "layer": [bars, labels],
    }
