"""The Markdown document: golden per example, and its figures are the engine's own."""

from __future__ import annotations

import re

import pytest

from staffpath.report.document import pictures
from staffpath.report.document.markdown import render, table
from tests.conftest import ROOT, compare_golden
from tests.report.document.test_content import content

EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "report" / "document" / "golden"


@pytest.mark.parametrize("name", EXAMPLES)
def test_document_matches_golden(name: str, update_golden: bool) -> None:
    compare_golden(GOLDEN / f"{name}.md", render(content(name)), update_golden)


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_picture_it_references_exists(name: str) -> None:
    c = content(name)
    refs = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", render(c))
    assert refs and set(refs) <= set(pictures(c))


def test_summary_states_the_analysis() -> None:
    c = content("news-feed")
    a = c.analysis
    summary = render(c).split("\n\n")[1]
    assert f"{a.headroom:.2f}x headroom" in summary
    assert f"bottleneck `{a.bottleneck}`" in summary
    assert ("meets all" in summary) == a.meets_goals


def test_the_sections_an_engineer_expects_are_there_in_order() -> None:
    heads = [
        line for line in render(content("url-shortener")).splitlines() if line.startswith("## ")
    ]
    assert heads == [
        "## Requirements and goals",
        "## Capacity estimates",
        "## Architecture",
        "## Components",
        "## Flows",
        "## Headroom",
        "## Failure analysis",
        "## Cost",
        "## Decisions and trade-offs",
        "## Assumptions and warnings",
    ]


def test_table_aligns_columns() -> None:
    assert table(["a", "b"], [["1", "2"]], "lr") == ["| a | b |", "| --- | ---: |", "| 1 | 2 |", ""]
