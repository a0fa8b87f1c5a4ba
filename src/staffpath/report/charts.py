"""Charts for the design document, as Vega-Lite specifications rendered to SVG offline.

Each ``*_spec`` function builds a plain Vega-Lite v5 specification (a dict, so tests can read
it and the web studio can hand it to the browser as is); :func:`to_svg` renders one with
vl-convert, which bundles the Vega engine and its fonts: no network, no browser, no system
binary. The figures come from the engine's results; nothing here computes a model figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Spec = dict[str, Any]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier; never fetched
WIDTH = 520
FONT = "Helvetica, Arial, sans-serif"
BUSY = 0.8  # the engine's warning threshold for utilisation (engine.queueing.WARN_UTILIZATION)
OK_COLOUR, WARN_COLOUR, HOT_COLOUR = "#4c78a8", "#f58518", "#e45756"

_CONFIG: Spec = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "grid": True, "gridColor": "#eeeeee"},
    "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
    "title": {"fontSize": 13, "anchor": "start"},
}


def _spec(title: str, body: Spec, *, height: int) -> Spec:
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": WIDTH,
        "height": height,
        "background": "white",
        "config": _CONFIG,
        **body,
    }


def utilisation_spec(utilisation: Mapping[str, float], *, bottleneck: str | None) -> Spec:
    """One bar per component, coloured by how close it runs to saturation."""
    rows = [
        {
            "component": name,
            "utilisation": round(u, 6),
            "band": (
                "bottleneck" if name == bottleneck else ("over 80%" if u >= BUSY else "below 80%")
            ),
        }
        for name, u in utilisation.items()
    ]
    bars: Spec = {
        "mark": {"type": "bar", "height": {"band": 0.7}},
        "encoding": {
            "y": {"field": "component", "type": "nominal", "sort": "-x", "title": None},
            "x": {
                "field": "utilisation",
                "type": "quantitative",
                "axis": {"format": "%"},
                "scale": {"domain": [0, 1]},
                "title": "share of servers busy at peak",
            },
            "color": {
                "field": "band",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": ["below 80%", "over 80%", "bottleneck"],
                    "range": [OK_COLOUR, WARN_COLOUR, HOT_COLOUR],
                },
            },
            "tooltip": [
                {"field": "component"},
                {"field": "utilisation", "format": ".1%"},
            ],
        },
    }
    rule: Spec = {
        "data": {"values": [{"x": BUSY}]},
        "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#888888"},
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
    }
    return _spec(
        "Utilisation per component",
        {"data": {"values": rows}, "layer": [bars, rule]},
        height=max(60, 22 * len(rows)),
    )


def cost_spec(monthly: Mapping[str, float]) -> Spec:
    """Monthly cost per component, largest first."""
    rows = [{"component": k, "monthly": round(v, 2)} for k, v in monthly.items() if v > 0]
    return _spec(
        "Monthly cost per component",
        {
            "data": {"values": rows},
            "mark": {"type": "bar", "color": OK_COLOUR, "height": {"band": 0.7}},
            "encoding": {
                "y": {"field": "component", "type": "nominal", "sort": "-x", "title": None},
                "x": {
                    "field": "monthly",
                    "type": "quantitative",
                    "axis": {"format": "$,.0f"},
                    "title": "US$ per month",
                },
                "tooltip": [{"field": "component"}, {"field": "monthly", "format": "$,.0f"}],
            },
        },
        height=max(60, 22 * len(rows)),
    )


def latency_load_spec(
    rates: Sequence[float],
    p99_ms: Mapping[str, Sequence[float | None]],
    *,
    peak: float,
    saturation: float | None,
    knee: float | None = None,
) -> Spec:
    """p99 of each flow against the total arrival rate; the peak, knee and saturation marked.

    A point where a flow is saturated (``None``) is left out: its latency is unbounded.
    """
    rows = [
        {"rate": round(r, 6), "flow": flow, "p99": round(v, 6)}
        for flow, values in p99_ms.items()
        for r, v in zip(rates, values, strict=True)
        if v is not None
    ]
    marks: list[Spec] = [{"rate": round(peak, 6), "what": "peak"}]
    if knee is not None:
        marks.append({"rate": round(knee, 6), "what": "knee"})
    if saturation is not None:
        marks.append({"rate": round(saturation, 6), "what": "saturation"})
    for i, mark in enumerate(marks):  # one line of text each, so close marks never overlap
        mark["y"] = 14 * i
    lines: Spec = {
        "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "rate", "type": "quantitative", "title": "total arrival rate (req/s)"},
            "y": {
                "field": "p99",
                "type": "quantitative",
                "scale": {"type": "log"},
                "title": "p99 latency (ms, log scale)",
            },
            "color": {"field": "flow", "type": "nominal", "title": "flow"},
            "tooltip": [{"field": "flow"}, {"field": "rate"}, {"field": "p99", "format": ".2f"}],
        },
    }
    rules: Spec = {
        "data": {"values": marks},
        "mark": {"type": "rule", "strokeDash": [4, 3]},
        "encoding": {
            "x": {"field": "rate", "type": "quantitative"},
            "color": {"value": "#666666"},
        },
    }
    labels: Spec = {
        "data": {"values": marks},
        "mark": {"type": "text", "align": "left", "dx": 3, "dy": -4, "baseline": "top"},
        "encoding": {
            "x": {"field": "rate", "type": "quantitative"},
            "y": {"field": "y", "type": "quantitative", "scale": None},
            "text": {"field": "what"},
            "color": {"value": "#444444"},
        },
    }
    return _spec("p99 latency against load", {"layer": [lines, rules, labels]}, height=280)


def utilisation_load_spec(
    rates: Sequence[float], utilisation: Mapping[str, Sequence[float]], *, knee: float | None
) -> Spec:
    """Each component's utilisation against the total arrival rate (capped at 100%)."""
    rows = [
        {"rate": round(r, 6), "component": name, "utilisation": round(min(u, 1.0), 6)}
        for name, values in utilisation.items()
        for r, u in zip(rates, values, strict=True)
    ]
    layers: list[Spec] = [
        {
            "data": {"values": rows},
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {
                    "field": "rate",
                    "type": "quantitative",
                    "title": "total arrival rate (req/s)",
                },
                "y": {
                    "field": "utilisation",
                    "type": "quantitative",
                    "axis": {"format": "%"},
                    "scale": {"domain": [0, 1]},
                    "title": "share of servers busy",
                },
                "color": {"field": "component", "type": "nominal", "title": "component"},
                "tooltip": [
                    {"field": "component"},
                    {"field": "rate"},
                    {"field": "utilisation", "format": ".1%"},
                ],
            },
        },
        {
            "data": {"values": [{"y": BUSY}]},
            "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#888888"},
            "encoding": {"y": {"field": "y", "type": "quantitative"}},
        },
    ]
    if knee is not None:
        layers.append(
            {
                "data": {"values": [{"rate": round(knee, 6)}]},
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#666666"},
                "encoding": {"x": {"field": "rate", "type": "quantitative"}},
            }
        )
    return _spec("Utilisation against load", {"layer": layers}, height=240)


def latency_cdf_spec(quantiles_ms: Mapping[str, Sequence[tuple[float, float]]]) -> Spec:
    """The share of requests of each flow answered within a time: (probability, ms) points."""
    rows = [
        {"flow": flow, "p": round(p, 6), "ms": round(ms, 6)}
        for flow, points in quantiles_ms.items()
        for p, ms in points
        if ms > 0
    ]
    return _spec(
        "Latency distribution per flow (simulated)",
        {
            "data": {"values": rows},
            "mark": {"type": "line", "interpolate": "step-after"},
            "encoding": {
                "x": {
                    "field": "ms",
                    "type": "quantitative",
                    "scale": {"type": "log"},
                    "title": "latency (ms, log scale)",
                },
                "y": {
                    "field": "p",
                    "type": "quantitative",
                    "axis": {"format": "%"},
                    "title": "requests answered within",
                },
                "color": {"field": "flow", "type": "nominal", "title": "flow"},
                "order": {"field": "p", "type": "quantitative"},
                "tooltip": [{"field": "flow"}, {"field": "p", "format": ".1%"}, {"field": "ms"}],
            },
        },
        height=260,
    )


def timeline_spec(
    points: Sequence[Mapping[str, float | None]],
    *,
    window: tuple[float, float],
    title: str,
) -> Spec:
    """p99 (ms) and error rate per time bucket around a failure; the failure window shaded.

    ``points`` hold ``t`` (seconds), ``p99`` (ms or None) and ``errors`` (a fraction).
    """
    rows = [{k: (None if v is None else round(v, 6)) for k, v in p.items()} for p in points]
    band: Spec = {
        "data": {"values": [{"start": round(window[0], 6), "end": round(window[1], 6)}]},
        "mark": {"type": "rect", "color": "#fbe3d6", "opacity": 0.8},
        "encoding": {
            "x": {"field": "start", "type": "quantitative"},
            "x2": {"field": "end"},
        },
    }
    x = {"field": "t", "type": "quantitative", "title": "time (s)"}
    p99: Spec = {
        "layer": [
            band,
            {
                "mark": {"type": "line", "color": OK_COLOUR},
                "encoding": {
                    "x": x,
                    "y": {"field": "p99", "type": "quantitative", "title": "p99 (ms)"},
                },
            },
        ],
        "height": 140,
        "width": WIDTH,
    }
    errors: Spec = {
        "layer": [
            band,
            {
                "mark": {"type": "line", "color": HOT_COLOUR},
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "errors",
                        "type": "quantitative",
                        "axis": {"format": "%"},
                        "title": "errors",
                    },
                },
            },
        ],
        "height": 100,
        "width": WIDTH,
    }
    spec = _spec(title, {"data": {"values": rows}, "vconcat": [p99, errors]}, height=0)
    del spec["height"], spec["width"]
    return spec


def stack(specs: Sequence[Spec], *, title: str) -> Spec:
    """Charts one above the other (each keeps its own data, scales and legend)."""
    parts = []
    for spec in specs:
        part = {k: v for k, v in spec.items() if k not in ("$schema", "config", "background")}
        parts.append(part)
    return {
        "$schema": SCHEMA,
        "title": title,
        "background": "white",
        "config": _CONFIG,
        "vconcat": parts,
        "resolve": {"scale": {"color": "independent"}, "legend": {"color": "independent"}},
    }


def to_svg(spec: Spec) -> str:
    """Render a specification to a standalone SVG document (offline)."""
    import vl_convert  # ~0.5 s to start its JavaScript engine the first time: import late

    svg: str = vl_convert.vegalite_to_svg(spec)
    return svg
