"""Box sizes: every line fits, with its padding."""

from __future__ import annotations

import pytest

from staffpath.report.diagram import boxes as bx
from staffpath.report.diagram.fonts import text_width
from staffpath.report.diagram.labels import edge_text, node_text
from tests.report.diagram.cases import EXAMPLES, example


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_line_fits_its_box(name: str) -> None:
    for node in example(name).diagram.nodes:
        size = bx.box_size(node)
        text = node_text(node)
        room = size.w - 2 * (bx.SOURCE_PAD_X if node.is_source else bx.PAD_X)
        head = text_width(text.name, bx.NAME_SIZE, bold=True) + sum(
            bx.TAG_GAP + bx.tag_width(t) for t in text.tags
        )
        assert head <= room
        for line in (text.kind, text.capacity):
            assert text_width(line, bx.TEXT_SIZE) <= room
        bar = bx.BAR_WIDTH + bx.BAR_GAP if node.queueing else 0.0
        assert bar + text_width(text.load, bx.TEXT_SIZE) <= room
        assert size.w == int(size.w) and size.w >= (0 if node.is_source else bx.MIN_WIDTH)


def test_lines_sit_inside_the_box_in_order() -> None:
    baselines = [bx.NAME_BASELINE, bx.KIND_BASELINE, bx.CAPACITY_BASELINE, bx.LOAD_BASELINE]
    assert baselines == sorted(baselines) and baselines[-1] < bx.HEIGHT
    assert bx.TAG_TOP + bx.TAG_HEIGHT < bx.KIND_BASELINE - bx.TEXT_SIZE
    assert bx.BAR_TOP + bx.BAR_HEIGHT <= bx.LOAD_BASELINE + 1
    assert bx.SOURCE_LOAD_BASELINE < bx.SOURCE_HEIGHT


def test_labels_fit_their_text() -> None:
    for edge in example("news-feed").diagram.edges:
        size = bx.label_size(edge)
        assert text_width(edge_text(edge), bx.LABEL_SIZE) + 2 * bx.LABEL_PAD_X <= size.w
        assert size.h == bx.LABEL_HEIGHT
