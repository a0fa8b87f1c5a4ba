"""The layout's promises, checked on every example and on generated designs: no box overlaps
another, no label overlaps a box or a label, no edge passes through a box or another edge's
label, and edges leave and reach their own boxes."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given

from staffpath.report.diagram.boxes import box_size, label_size
from staffpath.report.diagram.layout import Layout, Rect, lay_out
from tests.report.diagram.cases import EXAMPLES, PROPERTY, case_of, designs, example


def segment_box(a: tuple[float, float], b: tuple[float, float]) -> Rect:
    """The rectangle a segment spans; it also holds the S-curve drawn between a and b."""
    return Rect(min(a[0], b[0]), min(a[1], b[1]), abs(a[0] - b[0]), abs(a[1] - b[1]))


def problems(layout: Layout) -> list[str]:
    out: list[str] = []
    boxes = layout.boxes
    for (na, a), (nb, b) in itertools.combinations(boxes.items(), 2):
        if a.overlaps(b):
            out.append(f"boxes {na} and {nb} overlap")
    labels = [(r.edge, r.label) for r in layout.routes]
    for i, (edge, label) in enumerate(labels):
        for name, box in boxes.items():
            if label.overlaps(box):
                out.append(f"label of {edge.source}->{edge.target} overlaps box {name}")
        for other, label2 in labels[i + 1 :]:
            if label.overlaps(label2):
                out.append(
                    f"labels of {edge.source}->{edge.target} and "
                    f"{other.source}->{other.target} overlap"
                )
    for route in layout.routes:
        edge = route.edge
        ends = {edge.source, edge.target}
        first, last = route.points[0], route.points[-1]
        src, dst = boxes[edge.source], boxes[edge.target]
        if not (src.x <= first[0] <= src.right and first[1] in (src.y, src.bottom)):
            out.append(f"{edge.source}->{edge.target} does not leave from its source's edge")
        if not (dst.x <= last[0] <= dst.right and last[1] in (dst.y, dst.bottom)):
            out.append(f"{edge.source}->{edge.target} does not end on its target's edge")
        for a, b in itertools.pairwise(route.points):
            span = segment_box(a, b)
            for name, box in boxes.items():
                if name not in ends and span.overlaps(box):
                    out.append(f"{edge.source}->{edge.target} passes through box {name}")
            out.extend(
                f"{edge.source}->{edge.target} passes through the label of "
                f"{other.edge.source}->{other.edge.target}"
                for other in layout.routes
                if other is not route and span.overlaps(other.label)
            )
        label = route.label
        if not any(
            a[0] == b[0] == label.cx
            and min(a[1], b[1]) <= label.y
            and max(a[1], b[1]) >= label.bottom
            for a, b in itertools.pairwise(route.points)
        ):
            out.append(f"the label of {edge.source}->{edge.target} is not on its edge")
    for name, box in boxes.items():
        if box.x < 0 or box.y < 0 or box.right > layout.width or box.bottom > layout.height:
            out.append(f"box {name} is outside the drawing")
    return out


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_keep_every_promise(name: str) -> None:
    assert problems(lay_out(example(name).diagram)) == []


@PROPERTY
@given(designs())
def test_generated_designs_keep_every_promise(text: str) -> None:
    diagram = case_of(text).diagram
    layout = lay_out(diagram)
    assert problems(layout) == []
    assert set(layout.boxes) == {n.id for n in diagram.nodes}
    assert [r.edge for r in layout.routes] == list(diagram.edges)


@pytest.mark.parametrize("name", EXAMPLES)
def test_boxes_and_labels_have_their_measured_sizes(name: str) -> None:
    diagram = example(name).diagram
    layout = lay_out(diagram)
    for node in diagram.nodes:
        size = box_size(node)
        assert (layout.boxes[node.id].w, layout.boxes[node.id].h) == (size.w, size.h)
    for route in layout.routes:
        size = label_size(route.edge)
        assert (route.label.w, route.label.h) == (size.w, size.h)


def test_clients_on_top_and_calls_point_down_unless_they_close_a_cycle() -> None:
    layout = lay_out(example("news-feed").diagram)
    top = min(b.y for b in layout.boxes.values())
    assert layout.boxes["@clients"].y == top
    upward = [(r.edge.source, r.edge.target) for r in layout.routes if r.upward]
    # One call closes the cycle tweets -> feed_events -> fanout_worker -> graph -> timelines
    # -> tweet_cache -> tweets; it alone is drawn going up.
    assert upward == [("tweets", "feed_events")]
    for route in layout.routes:
        src, dst = layout.boxes[route.edge.source], layout.boxes[route.edge.target]
        assert (dst.y < src.y) == route.upward


def test_a_chain_is_one_straight_column() -> None:
    layout = lay_out(example("rate-limiter").diagram)
    column = ["@clients", "lb", "gateway", "counters", "api"]
    centres = {round(layout.boxes[n].cx) for n in column}
    assert len(centres) == 1
    ys = [layout.boxes[n].y for n in column]
    assert ys == sorted(ys)


def test_layout_is_deterministic() -> None:
    diagram = example("news-feed").diagram
    assert lay_out(diagram) == lay_out(diagram)
