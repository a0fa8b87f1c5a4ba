"""D2: golden files, and every component and edge named."""

from __future__ import annotations

import json
import re

import pytest

from staffpath.report.diagram.d2 import quote, render_d2
from tests.conftest import compare_golden
from tests.report.diagram.cases import EXAMPLES, GOLDEN, example


@pytest.mark.parametrize("name", EXAMPLES)
def test_golden(name: str, update_golden: bool) -> None:
    compare_golden(GOLDEN / f"{name}.d2", render_d2(example(name).diagram), update_golden)


@pytest.mark.parametrize("name", EXAMPLES)
def test_names_every_component_and_edge(name: str) -> None:
    diagram = example(name).diagram
    out = render_d2(diagram)
    declared = re.findall(r'^("[^"]+"): ("(?:[^"\\]|\\.)*") \{class: \[([^\]]+)\]', out, re.M)
    assert [json.loads(key) for key, _, _ in declared] == [
        "clients" if n.is_source else n.id for n in diagram.nodes
    ]
    for (_, label, classes), node in zip(declared, diagram.nodes, strict=True):
        assert json.loads(label).startswith(node.name)
        assert ("bottleneck" in classes) == node.bottleneck
        assert ("spof" in classes) == (node.spof is not None)
    arrows = re.findall(r'^"([^"]+)" -> "([^"]+)": "([^"]+)"', out, re.M)
    assert arrows == [
        ("clients" if e.source.startswith("@") else e.source, e.target, _label(e.rate_rps, e.miss))
        for e in diagram.edges
    ]


def _label(rate: float, miss: bool) -> str:
    from staffpath.units import show_rate

    return f"miss {show_rate(rate)}" if miss else show_rate(rate)


def test_styles_take_whole_numbers() -> None:
    """D2 refuses a fractional stroke-width or stroke-dash."""
    out = render_d2(example("news-feed").diagram)
    for value in re.findall(r"(?:stroke-width|stroke-dash|border-radius): ([^;}]+)", out):
        assert value.isdigit() and 0 <= int(value) <= 15


def test_quotes() -> None:
    assert quote('a "b"\nc') == '"a \\"b\\"\\nc"'
