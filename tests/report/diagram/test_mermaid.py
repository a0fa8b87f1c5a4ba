"""Mermaid: golden files, and every component and edge named."""

from __future__ import annotations

import re

import pytest

from staffpath.report.diagram.mermaid import render_mermaid, text
from tests.conftest import compare_golden
from tests.report.diagram.cases import EXAMPLES, GOLDEN, case_of, example


@pytest.mark.parametrize("name", EXAMPLES)
def test_golden(name: str, update_golden: bool) -> None:
    compare_golden(GOLDEN / f"{name}.mmd", render_mermaid(example(name).diagram), update_golden)


@pytest.mark.parametrize("name", EXAMPLES)
def test_names_every_component_and_edge(name: str) -> None:
    diagram = example(name).diagram
    out = render_mermaid(diagram)
    assert out.splitlines()[3] == "flowchart TB"
    for node in diagram.nodes:
        mid = "clients" if node.is_source else f"n_{node.id.replace('-', '_')}"
        assert re.search(rf"^  {re.escape(mid)}[\[(]+\"<b>{re.escape(node.name)}", out, re.M)
    arrows = re.findall(r"^  (\S+) (-->|-\.->)\|\"([^\"]+)\"\| (\S+)$", out, re.M)
    assert len(arrows) == len(diagram.edges)
    for (source, arrow, label, target), edge in zip(arrows, diagram.edges, strict=True):
        assert source.removeprefix("n_") in (edge.source.replace("-", "_"), "clients")
        assert target == f"n_{edge.target.replace('-', '_')}"
        assert (arrow == "-.->") == edge.miss
        assert label.endswith("/s")
    assert out.count("linkStyle") == len(diagram.edges)


def test_marks_are_classes() -> None:
    out = render_mermaid(example("payments").diagram)
    assert "classDef bottleneck stroke:#d62728" in out
    assert "class n_psp bottleneck" in out and "class n_psp spof" in out
    assert "class n_api,n_risk,n_psp,n_recon tier_compute" in out


def test_labels_cannot_break_out() -> None:
    assert text('say "hi" <b> #1') == "say #quot;hi#quot; #lt;b#gt; #35;1"


def test_awkward_names_get_safe_ids() -> None:
    diagram = case_of(
        "name: x\nworkload: {flows: {a: {rate: 1/s, steps: [end, a-b, a_b]}}}\n"
        "components: {end: {kind: service}, a-b: {kind: service}, a_b: {kind: service}}\n"
    ).diagram
    out = render_mermaid(diagram)
    assert "  n_end -->" in out and "n_a_b -->" in out and "n_a_b_" in out
