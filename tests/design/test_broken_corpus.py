"""The broken-design corpus: every file in ``broken/`` must fail with exactly its golden output.

Each ``NAME.yaml`` has a ``NAME.expected`` beside it: the problems as ``staffpath check``
prints them. Refresh with ``pytest --update-golden`` and read the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from staffpath.design.load import load
from staffpath.errors import DesignError
from tests.conftest import compare_golden

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(BROKEN.glob("*.yaml"))


def render(path: Path) -> str:
    try:
        load(path)
    except DesignError as exc:
        return "".join(p.render(path.name) + "\n" for p in exc.problems)
    pytest.fail(f"{path.name} loaded, but every file in the broken corpus must fail")


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_broken_design_reports_golden_problems(case: Path, update_golden: bool) -> None:
    output = render(case)
    assert output.strip(), "a broken design must report at least one problem"
    for line in output.splitlines():
        # file:line:column: ... - every problem is located
        name, line_no, col, _ = line.split(":", 3)
        assert name == case.name and line_no.isdigit() and col.isdigit()
    compare_golden(case.with_suffix(".expected"), output, update_golden)
