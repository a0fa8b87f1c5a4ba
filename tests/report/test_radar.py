"""The radar chart: polygon geometry checked by hand, the layers of the specification, and
an SVG that renders with the labels in it (read back with an XML parser)."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from staffpath.report.charts import to_svg
from staffpath.report.radar import LABEL_RADIUS, polygon, radar_spec, vertex, wrap

SVG = "{http://www.w3.org/2000/svg}"


def test_four_axes_by_hand() -> None:
    """Axis 0 points up, then clockwise: right, down, left. Radius = value / maximum."""
    assert polygon([3, 2, 1, 0], maximum=3) == [
        (0.0, 1.0),  # 3/3 up
        (0.666667, 0.0),  # 2/3 right
        (0.0, -0.333333),  # 1/3 down
        (0.0, 0.0),  # 0 at the centre
        (0.0, 1.0),  # closed: back to the first vertex
    ]
    assert polygon([2, 2, 2, 2], maximum=3) == [
        (0.0, 0.666667),
        (0.666667, 0.0),
        (0.0, -0.666667),
        (-0.666667, 0.0),
        (0.0, 0.666667),
    ]


def test_six_axes_use_sixty_degree_steps() -> None:
    """Axis 1 of 6 is 30° above the horizontal on the right: (cos 30°, sin 30°)."""
    assert vertex(1, 6, 1.0) == (0.866025, 0.5)
    assert vertex(3, 6, 1.0) == (0.0, -1.0)
    assert vertex(4, 6, 0.5) == (-0.433013, -0.25)
    points = polygon([1] * 6, maximum=1)
    assert all(math.isclose(math.hypot(x, y), 1.0, abs_tol=1e-6) for x, y in points)


def test_bad_inputs() -> None:
    with pytest.raises(ValueError, match="at least three axes"):
        polygon([1, 2], maximum=3)
    with pytest.raises(ValueError, match="positive"):
        polygon([1, 2, 3], maximum=0)
    with pytest.raises(ValueError, match="same length"):
        radar_spec(["a", "b", "c"], current=[1, 2], target=[1, 1, 1], maximum=3)


def test_wrap_keeps_lines_short() -> None:
    assert wrap("Backpressure, retries and dead letters") == [
        "Backpressure,",
        "retries and dead",
        "letters",
    ]
    assert wrap("Observability") == ["Observability"]


AXES = ["Alpha", "Beta", "Gamma", "Delta"]


def _layers(spec: dict[str, object]) -> list[dict[str, object]]:
    layers = spec["layer"]
    assert isinstance(layers, list)
    return layers


def test_spec_draws_two_closed_polygons_spokes_rings_and_labels() -> None:
    spec = radar_spec(
        AXES,
        current=[3, 2, 1, 0],
        target=[2, 2, 2, 2],
        maximum=3,
        rings=("mid", "senior", "staff"),
        title="Test",
    )
    layers = _layers(spec)
    outline = next(
        lay
        for lay in layers
        if lay["mark"] == {"type": "line", "strokeWidth": 2}  # type: ignore[index]
    )
    rows = outline["data"]["values"]  # type: ignore[index]
    target = [(r["x"], r["y"]) for r in rows if r["series"] == "target"]
    current = [(r["x"], r["y"]) for r in rows if r["series"] == "current"]
    assert target == polygon([2, 2, 2, 2], maximum=3)
    assert current == polygon([3, 2, 1, 0], maximum=3)
    assert [r["order"] for r in rows if r["series"] == "target"] == [0, 1, 2, 3, 4]
    spokes = next(lay for lay in layers if lay["mark"]["type"] == "rule")  # type: ignore[index]
    assert spokes["data"]["values"] == [  # type: ignore[index]
        {"x": 0.0, "y": 0.0, "x2": 0.0, "y2": 1.0},
        {"x": 0.0, "y": 0.0, "x2": 1.0, "y2": 0.0},
        {"x": 0.0, "y": 0.0, "x2": 0.0, "y2": -1.0},
        {"x": 0.0, "y": 0.0, "x2": -1.0, "y2": 0.0},
    ]
    labels = [
        (r["label"], r["x"], r["y"], lay["mark"]["align"])  # type: ignore[index]
        for lay in layers
        if lay["mark"]["type"] == "text" and lay["mark"]["fontSize"] == 11  # type: ignore[index]
        for r in lay["data"]["values"]  # type: ignore[index]
    ]
    assert sorted(labels) == sorted(
        [
            (["Alpha"], 0.0, LABEL_RADIUS, "center"),
            (["Beta"], LABEL_RADIUS, 0.0, "left"),
            (["Gamma"], 0.0, -LABEL_RADIUS, "center"),
            (["Delta"], -LABEL_RADIUS, 0.0, "right"),
        ]
    )
    rings = next(lay for lay in layers if lay["encoding"].get("detail") == {"field": "ring"})  # type: ignore[union-attr]
    assert {r["ring"] for r in rings["data"]["values"]} == {"mid", "senior", "staff"}  # type: ignore[index]
    points = next(lay for lay in layers if lay["mark"]["type"] == "point")  # type: ignore[index]
    assert [(p["skill"], p["level"]) for p in points["data"]["values"]] == [  # type: ignore[index]
        ("Alpha", "staff"),
        ("Beta", "senior"),
        ("Gamma", "mid"),
        ("Delta", "none"),
    ]


def test_the_svg_renders_with_its_labels() -> None:
    spec = radar_spec(
        ["Logs and queues", "Delivery guarantees", "Stream processing", "Sagas"],
        current=[2, 1, 0, 3],
        target=[2, 2, 2, 2],
        maximum=3,
        rings=("mid", "senior", "staff"),
        title="Backend messaging against senior",
        target_name="target (senior)",
    )
    svg = to_svg(spec)
    root = ET.fromstring(svg)  # a second parser reads it back: well-formed XML
    assert root.tag == f"{SVG}svg"
    texts = [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text")]
    joined = " | ".join(texts)
    for label in ("Logs and queues", "Stream processing", "Sagas", "senior", "staff"):
        assert label in joined, label
    assert "Delivery" in joined and "guarantees" in joined  # wrapped over two lines
    assert "Backend messaging against senior" in texts
    assert "target (senior)" in texts and "current" in texts  # the legend
    paths = list(root.iter(f"{SVG}path"))
    assert len(paths) >= 5  # rings, both outlines and the filled area at least
