"""Graphviz DOT: golden files, and every component and edge named."""

from __future__ import annotations

import re

import pytest

from staffpath.report.diagram.dot import quote, render_dot
from tests.conftest import compare_golden
from tests.report.diagram.cases import EXAMPLES, GOLDEN, example


@pytest.mark.parametrize("name", EXAMPLES)
def test_golden(name: str, update_golden: bool) -> None:
    compare_golden(GOLDEN / f"{name}.dot", render_dot(example(name).diagram), update_golden)


@pytest.mark.parametrize("name", EXAMPLES)
def test_names_every_component_and_edge(name: str) -> None:
    diagram = example(name).diagram
    out = render_dot(diagram)
    assert out.startswith("digraph ") and out.rstrip().endswith("}")
    declared = re.findall(r'^  "([^"]+)" \[label="([^"]*)"', out, re.M)
    assert [key for key, _ in declared] == [
        "clients" if n.is_source else n.id for n in diagram.nodes
    ]
    for (_, label), node in zip(declared, diagram.nodes, strict=True):
        assert label.startswith(node.name)
    arrows = re.findall(r'^  "([^"]+)" -> "([^"]+)" \[label="([^"]+)"', out, re.M)
    assert [(s, t) for s, t, _ in arrows] == [
        ("clients" if e.source.startswith("@") else e.source, e.target) for e in diagram.edges
    ]
    assert out.count("style=dashed") == sum(e.miss for e in diagram.edges)


def test_marks() -> None:
    out = render_dot(example("payments").diagram)
    psp = next(line for line in out.splitlines() if line.startswith('  "psp" ['))
    assert 'color="#d62728"' in psp and "penwidth=3" in psp and "peripheries=2" in psp
    assert 'class="tier-compute bottleneck spof"' in psp
    assert psp.count("color=") == 2  # fillcolor and one outline colour


def test_quotes() -> None:
    assert quote('a "b"\\\nc') == '"a \\"b\\"\\\\\\nc"'
