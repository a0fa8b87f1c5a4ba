"""The inside of a box: where each line sits, and so how big the box must be.

The layout sizes boxes with these figures and the SVG draws with the same ones, so text
measured here is text that fits there. Sizes are in CSS pixels; widths round up to whole
pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from staffpath.report.diagram.fonts import text_width
from staffpath.report.diagram.graph import Edge, Node
from staffpath.report.diagram.labels import SPOF_TAG, edge_text, node_text

NAME_SIZE = 13.0
TEXT_SIZE = 11.0
TAG_SIZE = 9.0
LABEL_SIZE = 11.0

PAD_X = 10.0
MIN_WIDTH = 120.0
NAME_BASELINE = 20.0
KIND_BASELINE = 36.0
CAPACITY_BASELINE = 51.0
LOAD_BASELINE = 66.0
HEIGHT = 76.0

BAR_WIDTH = 40.0
BAR_HEIGHT = 7.0
BAR_GAP = 6.0
BAR_TOP = LOAD_BASELINE - 8.0

TAG_HEIGHT = 15.0
TAG_TOP = 8.0
TAG_PAD = 5.0
TAG_GAP = 5.0
ICON_WIDTH = 11.0
"""The warning triangle drawn before ``SPOF``."""

SOURCE_HEIGHT = 44.0
SOURCE_NAME_BASELINE = 19.0
SOURCE_LOAD_BASELINE = 35.0
SOURCE_PAD_X = 22.0

LABEL_HEIGHT = 16.0
LABEL_PAD_X = 5.0
LABEL_BASELINE = 11.5
"""From the label's top edge."""


@dataclass(frozen=True, slots=True)
class Size:
    w: float
    h: float


def tag_width(tag: str) -> float:
    icon = ICON_WIDTH + 2.0 if tag == SPOF_TAG else 0.0
    return math.ceil(text_width(tag, TAG_SIZE, bold=True) + 2 * TAG_PAD + icon)


def box_size(node: Node) -> Size:
    text = node_text(node)
    if node.is_source:
        widest = max(text_width(text.name, NAME_SIZE, bold=True), text_width(text.load, TEXT_SIZE))
        return Size(math.ceil(widest + 2 * SOURCE_PAD_X), SOURCE_HEIGHT)
    head = text_width(text.name, NAME_SIZE, bold=True) + sum(
        TAG_GAP + tag_width(t) for t in text.tags
    )
    load = text_width(text.load, TEXT_SIZE)
    if node.queueing:
        load += BAR_WIDTH + BAR_GAP
    widest = max(
        head + (TAG_GAP if text.tags else 0.0),
        text_width(text.kind, TEXT_SIZE),
        text_width(text.capacity, TEXT_SIZE),
        load,
    )
    return Size(max(math.ceil(widest + 2 * PAD_X), MIN_WIDTH), HEIGHT)


def label_size(edge: Edge) -> Size:
    return Size(math.ceil(text_width(edge_text(edge), LABEL_SIZE) + 2 * LABEL_PAD_X), LABEL_HEIGHT)
