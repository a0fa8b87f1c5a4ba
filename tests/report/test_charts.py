"""The charts' specifications carry exactly the engine's figures, and render offline."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from staffpath.report import charts


def test_utilisation_bands_follow_the_threshold_and_the_bottleneck() -> None:
    spec = charts.utilisation_spec({"a": 0.5, "b": 0.85, "c": 0.95}, bottleneck="c")
    rows = {r["component"]: r for r in spec["data"]["values"]}
    assert rows["a"]["band"] == "below 80%"
    assert rows["b"]["band"] == "over 80%"
    assert rows["c"]["band"] == "bottleneck"
    assert [rows[k]["utilisation"] for k in "abc"] == [0.5, 0.85, 0.95]


def test_latency_load_leaves_out_saturated_points_and_stacks_marks() -> None:
    spec = charts.latency_load_spec(
        [10.0, 20.0, 30.0],
        {"f": [1.0, 2.0, None], "g": [3.0, None, None]},
        peak=15.0,
        saturation=29.0,
        knee=28.0,
    )
    lines, _, labels = spec["layer"]
    points = [(r["flow"], r["rate"], r["p99"]) for r in lines["data"]["values"]]
    assert points == [("f", 10.0, 1.0), ("f", 20.0, 2.0), ("g", 10.0, 3.0)]
    marks = labels["data"]["values"]
    assert [m["what"] for m in marks] == ["peak", "knee", "saturation"]
    assert len({m["y"] for m in marks}) == 3  # each label on its own line


def test_cost_drops_free_components() -> None:
    spec = charts.cost_spec({"a": 100.0, "b": 0.0})
    assert [r["component"] for r in spec["data"]["values"]] == ["a"]


def test_a_chart_renders_to_svg_offline() -> None:
    svg = charts.to_svg(charts.cost_spec({"api": 1470.0, "db": 3920.0}))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    assert "Monthly cost per component" in text
    assert "api" in text and "db" in text


def test_timeline_shades_the_failure_window() -> None:
    spec = charts.timeline_spec(
        [{"t": 1.0, "p99": 5.0, "errors": 0.0}, {"t": 2.0, "p99": None, "errors": 1.0}],
        window=(1.5, 2.5),
        title="Failure 1",
    )
    band = spec["vconcat"][0]["layer"][0]
    assert band["data"]["values"] == [{"start": 1.5, "end": 2.5}]
    assert spec["data"]["values"][1]["p99"] is None


def test_utilisation_against_load_caps_at_full() -> None:
    spec = charts.utilisation_load_spec([1.0, 2.0], {"db": [0.5, 1.4]}, knee=None)
    values = [r["utilisation"] for r in spec["layer"][0]["data"]["values"]]
    assert values == [0.5, 1.0]
    assert len(spec["layer"]) == 2  # no knee rule without a knee


def test_stacked_charts_render_as_one_picture() -> None:
    a = charts.cost_spec({"api": 1.0})
    b = charts.utilisation_spec({"api": 0.5}, bottleneck="api")
    spec = charts.stack([a, b], title="both")
    assert [p["title"] for p in spec["vconcat"]] == [a["title"], b["title"]]
    assert "$schema" not in spec["vconcat"][0]
    text = "".join(ET.fromstring(charts.to_svg(spec)).itertext())
    assert "Monthly cost per component" in text and "Utilisation per component" in text
