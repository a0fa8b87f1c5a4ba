"""The funnel chart carries exactly the figures it is given, in stage order, and renders."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from staffpath.report.charts import to_svg
from staffpath.report.funnel import funnel_spec

STAGES = [
    ("wishlist", 5, None),
    ("applied", 4, 0.8),
    ("screen", 3, 0.75),
    ("onsite", 2, 0.6667),
    ("offer", 1, 0.5),
]


def test_rows_keep_the_stage_order_and_label_conversions() -> None:
    spec = funnel_spec(STAGES, ended={"rejected": 2, "withdrawn": 1})
    rows = spec["data"]["values"]
    assert [(r["stage"], r["reached"]) for r in rows] == [(s, n) for s, n, _ in STAGES]
    assert [r["label"] for r in rows] == [
        "5",
        "4 (80% of wishlist)",
        "3 (75% of applied)",
        "2 (67% of screen)",
        "1 (50% of onsite)",
    ]
    bars, _labels = spec["layer"]
    assert bars["encoding"]["y"]["sort"] == ["wishlist", "applied", "screen", "onsite", "offer"]
    assert spec["title"]["subtitle"] == "ended: 2 rejected, 1 withdrawn"


def test_nothing_ended_and_no_applications() -> None:
    spec = funnel_spec([(s, 0, None) for s, _, _ in STAGES])
    assert spec["title"]["subtitle"] == "none ended yet"
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 1.6]


def test_the_chart_renders_to_svg_with_its_labels() -> None:
    svg = to_svg(funnel_spec(STAGES, ended={"rejected": 2}))
    root = ET.fromstring(svg)
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"wishlist", "offer", "4 (80% of wishlist)", "Applications funnel"} <= texts
    assert "ended: 2 rejected" in texts
