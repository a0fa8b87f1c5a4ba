"""The SVG: golden files, well-formed XML, everything inside the view box, text inside its
box, and the accessibility and legend promises."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given

from staffpath.report.diagram.fonts import text_width
from staffpath.report.diagram.layout import Rect, lay_out
from staffpath.report.diagram.svg import draw, legend_items, n, path_data
from tests.conftest import compare_golden
from tests.report.diagram.cases import EXAMPLES, GOLDEN, LIGHT, case_of, designs, example

NS = {"s": "http://www.w3.org/2000/svg"}
TAG = re.compile(r"\{[^}]+\}")


def tag(element: ET.Element) -> str:
    return TAG.sub("", element.tag)


def path_points(d: str) -> list[tuple[float, float]]:
    """Every point a path of ours names (M, V, H, L, C and Z commands)."""
    points: list[tuple[float, float]] = []
    x = y = 0.0
    for command, args in re.findall(r"([MLHVCZ])([^MLHVCZ]*)", d):
        nums = [float(v) for v in args.split()]
        if command in "ML":
            x, y = nums
        elif command == "H":
            x = nums[0]
        elif command == "V":
            y = nums[0]
        elif command == "C":
            points += [(nums[0], nums[1]), (nums[2], nums[3])]
            x, y = nums[4], nums[5]
        points.append((x, y))
    return points


def extents(svg: str) -> list[tuple[str, Rect]]:
    """Every drawn thing with the rectangle it covers, in page coordinates."""
    root = ET.fromstring(svg)
    out: list[tuple[str, Rect]] = []

    def walk(element: ET.Element, dx: float, dy: float) -> None:
        move = re.fullmatch(r"translate\(([-\d.]+) ([-\d.]+)\)", element.get("transform", ""))
        if move:
            dx, dy = dx + float(move[1]), dy + float(move[2])
        kind = tag(element)
        if kind == "rect" and element.get("x") is not None:
            x, y = float(element.get("x", 0)), float(element.get("y", 0))
            w, h = float(element.get("width", 0)), float(element.get("height", 0))
            pad = float(element.get("stroke-width", 0)) / 2
            out.append(("rect", Rect(dx + x - pad, dy + y - pad, w + 2 * pad, h + 2 * pad)))
        elif kind == "text":
            size = float(element.get("font-size") or root_size(element))
            words = element.text or ""
            w = text_width(words, size, bold=element.get("font-weight") == "bold")
            x, y = float(element.get("x", 0)), float(element.get("y", 0))
            left = x - w / 2 if element.get("text-anchor") == "middle" else x
            out.append((f"text {words!r}", Rect(dx + left, dy + y - size, w, size * 1.25)))
        elif kind == "path":
            pts = path_points(element.get("d", ""))
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            pad = float(element.get("stroke-width", 0)) / 2
            out.append(
                (
                    "path",
                    Rect(
                        dx + min(xs) - pad,
                        dy + min(ys) - pad,
                        max(xs) - min(xs) + 2 * pad,
                        max(ys) - min(ys) + 2 * pad,
                    ),
                )
            )
        for child in element:
            walk(child, dx, dy)

    sizes: dict[ET.Element, str] = {}

    def root_size(element: ET.Element) -> str:
        return sizes.get(element, "11")

    for parent in root.iter():
        for child in parent:
            if parent.get("font-size"):
                sizes[child] = parent.get("font-size", "11")
    walk(root, 0.0, 0.0)
    return out


@pytest.mark.parametrize("name", EXAMPLES)
def test_golden(name: str, update_golden: bool) -> None:
    compare_golden(GOLDEN / f"{name}.svg", draw(example(name).diagram), update_golden)


def check_page(svg: str) -> None:
    root = ET.fromstring(svg)
    assert tag(root) == "svg"
    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    assert root.get("viewBox") == f"0 0 {n(width)} {n(height)}"
    page = Rect(0, 0, width, height)
    for what, box in extents(svg):
        assert page.x <= box.x and box.right <= page.right, (what, box, width)
        assert page.y <= box.y and box.bottom <= page.bottom, (what, box, height)


@pytest.mark.parametrize("name", EXAMPLES)
def test_everything_is_inside_the_view_box(name: str) -> None:
    check_page(draw(example(name).diagram))


@LIGHT
@given(designs())
def test_generated_designs_stay_inside_the_view_box(text: str) -> None:
    check_page(draw(case_of(text).diagram))


@pytest.mark.parametrize("name", EXAMPLES)
def test_text_stays_inside_its_box(name: str) -> None:
    svg = draw(example(name).diagram)
    root = ET.fromstring(svg)
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        if not (group.get("id") or "").startswith(("spd-node-", "spd-source")):
            continue
        frame, *inside = list(extents(ET.tostring(_wrap(group), encoding="unicode")))
        for what, box in inside:
            assert frame[1].x <= box.x and box.right <= frame[1].right, (what, name)


def _wrap(group: ET.Element) -> ET.Element:
    svg = ET.Element("{http://www.w3.org/2000/svg}svg")
    svg.append(group)
    return svg


def test_accessible_names() -> None:
    svg = draw(example("payments").diagram)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title = root.find("s:title", NS)
    assert title is not None and title.text == "Payments: request paths"
    desc = root.find("s:desc", NS)
    assert desc is not None and "single point of failure: psp" in (desc.text or "")
    psp = root.find(".//s:g[@id='spd-node-psp']", NS)
    assert psp is not None
    label = psp.get("aria-label") or ""
    assert "the bottleneck" in label and "single point of failure (one replica)" in label
    assert psp.find("s:title", NS) is not None


def test_bottleneck_outline_and_tags() -> None:
    svg = draw(example("payments").diagram)
    root = ET.fromstring(svg)
    psp = root.find(".//s:g[@id='spd-node-psp']", NS)
    assert psp is not None
    frame = psp.find("s:rect", NS)
    assert frame is not None and frame.get("stroke") == "#d62728"
    assert float(frame.get("stroke-width", 0)) >= 3
    words = [t.text for t in psp.iter("{http://www.w3.org/2000/svg}text")]
    assert "bottleneck" in words and "SPOF" in words
    api = root.find(".//s:g[@id='spd-node-api']", NS)
    assert api is not None
    assert "bottleneck" not in [t.text for t in api.iter("{http://www.w3.org/2000/svg}text")]


def test_legend_explains_only_what_is_used() -> None:
    with_spof = [i.text for i in legend_items(example("payments").diagram)]
    without = [i.text for i in legend_items(example("news-feed").diagram)]
    assert "single point of failure" in with_spof
    assert "single point of failure" not in without
    assert "cache miss path" in without and "cache miss path" not in with_spof
    assert "edge" not in without  # news-feed has no edge-tier component
    assert [t for t in without if t in ("ingress", "compute", "cache", "data")] == [
        "ingress",
        "compute",
        "cache",
        "data",
    ]


def test_no_external_resources() -> None:
    svg = draw(example("news-feed").diagram)
    for forbidden in ("<script", "<style", "href", "@import", "url(", "<image", "<foreignObject"):
        assert forbidden not in svg


def test_layout_can_be_passed_in() -> None:
    diagram = example("chat").diagram
    assert draw(diagram, lay_out(diagram)) == draw(diagram)


def test_paths_bend_only_between_rows() -> None:
    assert path_data([(0, 0), (0, 10), (20, 30), (20, 40)]) == "M0 0V10C0 20 20 20 20 30V40"
    assert path_data([(0, 40), (0, 0)], shorten=8) == "M0 40V8"


def test_numbers_are_written_one_way() -> None:
    assert [n(v) for v in (1.0, 1.25, -0.04, 12.345, 0.0)] == ["1", "1.2", "0", "12.3", "0"]
