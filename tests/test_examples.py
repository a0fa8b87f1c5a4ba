"""The examples: each checks cleanly, meets its goals, and its header quotes today's figures.

Each example starts with an "Analysis (staffpath analyze):" block of headline figures. This
test recomputes them; `pytest --update-golden` rewrites the block when the engine changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from staffpath.design.load import load
from staffpath.engine.analyze import analyze
from staffpath.units import show_duration, show_money, show_rate
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
HEADLINE = re.compile(r"#   peak .*?;\n#   (?P<flow>\w+) p99 .*?; meets its goals\.\n", re.S)


def headline(path: Path, flow: str) -> str:
    a = analyze(load(path).design)
    assert a.meets_goals, [g.name for g in a.goals if not g.met]
    assert a.saturation_rps is not None and a.headroom is not None
    p99 = a.flows[flow].p99_ms
    assert p99 is not None
    return (
        f"#   peak {show_rate(a.peak_rps)}; saturates at {show_rate(a.saturation_rps)} "
        f"({a.headroom:.2f}x headroom, bottleneck {a.bottleneck});\n"
        f"#   {flow} p99 {show_duration(p99 / 1e3)}; availability {a.availability:.5%}; "
        f"cost {show_money(a.cost_per_month)}; meets its goals.\n"
    )


def test_there_are_six_examples_or_more() -> None:
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_checks_without_warnings(path: Path) -> None:
    assert load(path).warnings == ()


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_header_quotes_todays_analysis(path: Path, update_golden: bool) -> None:
    text = path.read_text()
    match = HEADLINE.search(text)
    assert match, f"{path.name} has no 'Analysis (staffpath analyze):' headline block"
    fresh = headline(path, match["flow"])
    if update_golden:
        path.write_text(text[: match.start()] + fresh + text[match.end() :])
        return
    assert match.group(0) == fresh, f"{path.name}: run pytest --update-golden and review"


def test_the_analysis_guide_quotes_the_same_figures() -> None:
    """docs/analysis.md's table of examples must agree with each example's tested header."""
    table = (ROOT / "docs" / "analysis.md").read_text()
    for path in EXAMPLES:
        match = HEADLINE.search(path.read_text())
        assert match
        head = match.group(0)
        figures = re.search(
            r"peak (\S+); saturates at (\S+) \([\d.]+x headroom, bottleneck (\S+)\);\n"
            r"#   (\w+) p99 (\S+); availability (\S+); cost \$(\S+)/month",
            head,
        )
        assert figures
        peak, sat, neck, flow, p99, avail, cost = figures.groups()
        row = f"| {path.stem} | {peak} | {sat} ({neck}) | {flow} {p99} | {avail} | ${cost} |"
        assert row in table, f"docs/analysis.md should have the row: {row}"
