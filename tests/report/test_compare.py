"""The comparison as text: one set of cells for the terminal and Markdown, golden Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from staffpath.design.load import load, load_design
from staffpath.engine.analyze import analyze
from staffpath.engine.compare import Comparison, compare
from staffpath.report.compare import notable, rows, to_markdown
from tests.conftest import ROOT, compare_golden

GOLDEN = Path(__file__).parent / "golden"
DATA = ROOT / "tests" / "engine" / "data"
FILES = {
    "url-shortener": ROOT / "examples" / "url-shortener.yaml",
    "double-api": DATA / "url-shortener-double-api.yaml",
    "lean": DATA / "url-shortener-lean.yaml",
}


@pytest.fixture(scope="module")
def three() -> Comparison:
    designs = {label: load(path).design for label, path in FILES.items()}
    return compare({k: analyze(d) for k, d in designs.items()}, designs=designs)


def test_markdown_golden(three: Comparison, update_golden: bool) -> None:
    compare_golden(GOLDEN / "compare.md", to_markdown(three), update_golden)


def test_every_row_has_a_cell_per_design(three: Comparison) -> None:
    table = rows(three)
    assert all(len(cells) == 3 for _, cells in table)
    names = [name for name, _ in table]
    assert names[:5] == ["design", "peak", "saturation", "headroom", "bottleneck"]
    assert {"p99 redirect", "p99 create", "cost", "goals met"} <= set(names)


def test_changes_show_against_the_baseline_only(three: Comparison) -> None:
    cells = dict(rows(three))
    base, double, lean = cells["saturation"]
    assert "(" not in base
    assert double.endswith("(+38%)")
    assert lean.endswith("(-44%)")
    assert cells["bottleneck"][1] == "db.primary (36% busy)"
    assert cells["single points of failure"] == ["none", "none", "idgen"]


def test_markdown_is_a_table_then_the_sentences(three: Comparison) -> None:
    text = to_markdown(three)
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| |"))
    assert lines[header + 1] == "|---|---:|---:|---:|"
    assert "**double-api** against **url-shortener**:" in lines
    assert any(line.startswith("- The bottleneck moved from api") for line in lines)
    assert text.endswith("</sub>\n")


def test_markdown_escapes_pipes_in_names() -> None:
    design = load_design("""\
name: a | b
workload: {flows: {f: {rate: 10/s, steps: [s]}}}
components: {s: {kind: service, replicas: 2, concurrency: 2, service_time: 10ms}}
""")
    a = analyze(design)
    text = to_markdown(compare({"x|y": a, "z": a}))
    assert "a \\| b" in text and "x\\|y" in text
    assert "- No notable changes." in text


def test_notable_states_the_thresholds(three: Comparison) -> None:
    line = notable(three)
    assert "p99 ±10%" in line and "cost ±5%" in line and "≥ 1 min/month" in line
