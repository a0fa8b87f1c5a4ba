"""PNG: a real image at twice the SVG's size, made without any system binary."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import pytest

from staffpath.report.diagram.png import svg_to_png
from staffpath.report.diagram.svg import draw
from tests.report.diagram.cases import EXAMPLES, example


@pytest.mark.parametrize("name", EXAMPLES)
def test_png_is_the_svg_at_twice_the_size(name: str) -> None:
    svg = draw(example(name).diagram)
    root = ET.fromstring(svg)
    data = svg_to_png(svg)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (2 * int(root.get("width", 0)), 2 * int(root.get("height", 0)))


def test_scale() -> None:
    svg = draw(example("url-shortener").diagram)
    width = int(ET.fromstring(svg).get("width", 0))
    data = svg_to_png(svg, scale=1)
    assert struct.unpack(">I", data[16:20])[0] == width
