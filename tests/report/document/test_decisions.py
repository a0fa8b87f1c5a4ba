"""The decisions section: every ADR, its options, and the chains of supersession."""

from __future__ import annotations

from staffpath.design.load import load, load_text
from staffpath.report.document.decisions import render
from tests.conftest import ROOT

BASE = """
name: d
workload: {flows: {f: {rate: 10/s, steps: [svc]}}}
components: {svc: {kind: service}}
"""


def test_a_design_without_decisions_says_how_to_add_them() -> None:
    text = "\n".join(render(load_text(BASE).design))
    assert "records no decisions" in text and "`decisions:`" in text


def test_chains_and_links_both_ways() -> None:
    design = load_text(
        BASE
        + """
decisions:
  - {id: A, title: First, status: superseded, context: c, options: [{name: x}], decision: d, consequences: k}
  - {id: B, title: Second, status: superseded, supersedes: A, context: c, options: [{name: x}], decision: d, consequences: k}
  - {id: C, title: Third, status: accepted, supersedes: B, context: c, options: [{name: x, pros: [fast]}, {name: y, cons: [slow]}], chosen: x, decision: d, consequences: [k1, k2]}
"""
    ).design
    text = "\n".join(render(design))
    assert "- `A` First (superseded) → `B` Second (superseded) → `C` Third (accepted)" in text
    assert "superseded by `B`" in text and "supersedes `A`" in text
    assert "3 decisions recorded; 1 in force: `C`." in text
    assert "- **x** (chosen)\n  - pro: fast\n- **y**\n  - con: slow" in text
    assert "- k1\n- k2" in text


def test_the_examples_record_their_decisions() -> None:
    design = load(ROOT / "examples" / "news-feed.yaml").design
    text = "\n".join(render(design))
    assert design.decisions
    for d in design.decisions:
        assert f"### {d.id}: " in text
