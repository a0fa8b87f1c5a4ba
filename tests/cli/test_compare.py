"""``staffpath compare``: golden table and JSON, Markdown for pull requests, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from staffpath.cli.app import app
from staffpath.cli.compare import labels
from staffpath.design.load import load
from staffpath.engine.analyze import analyze
from staffpath.engine.compare import compare
from staffpath.report.compare import to_markdown
from tests.conftest import ROOT, compare_golden

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
SHORTENER = str(ROOT / "examples" / "url-shortener.yaml")
DOUBLE = str(ROOT / "tests" / "engine" / "data" / "url-shortener-double-api.yaml")
LEAN = str(ROOT / "tests" / "engine" / "data" / "url-shortener-lean.yaml")
WIDE = {"COLUMNS": "120"}


def stripped(text: str) -> str:
    """Rich pads lines to the console width; editors strip that, so the golden file does too."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def test_terminal_golden(update_golden: bool) -> None:
    result = runner.invoke(app, ["compare", SHORTENER, DOUBLE, LEAN], env=WIDE)
    assert result.exit_code == 0, result.output
    compare_golden(GOLDEN / "compare.txt", stripped(result.output), update_golden)


def test_json_golden(update_golden: bool) -> None:
    result = runner.invoke(app, ["compare", SHORTENER, DOUBLE, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["baseline"] == "url-shortener"
    assert [d["label"] for d in data["designs"]] == ["url-shortener", "url-shortener-double-api"]
    compare_golden(GOLDEN / "compare.json", result.output, update_golden)


def test_markdown_is_the_report_module_s() -> None:
    result = runner.invoke(app, ["compare", SHORTENER, DOUBLE, LEAN, "--markdown"])
    assert result.exit_code == 0, result.output
    designs = {Path(p).stem: load(p).design for p in (SHORTENER, DOUBLE, LEAN)}
    expected = compare({k: analyze(d) for k, d in designs.items()}, designs=designs)
    assert result.output == to_markdown(expected)


def test_a_design_against_itself_says_nothing_changed() -> None:
    result = runner.invoke(app, ["compare", SHORTENER, SHORTENER], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "url-shortener #2" in result.output
    assert "No notable changes." in result.output


def test_one_file_is_not_a_comparison() -> None:
    result = runner.invoke(app, ["compare", SHORTENER])
    assert result.exit_code == 1
    assert "compare needs at least two design files, got 1" in result.output


def test_json_and_markdown_together_are_refused() -> None:
    result = runner.invoke(app, ["compare", SHORTENER, DOUBLE, "--json", "--markdown"])
    assert result.exit_code == 1
    assert "choose one of --json and --markdown" in result.output


def test_a_missing_file_is_a_user_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", SHORTENER, str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "nope.yaml" in result.output
    assert "Traceback" not in result.output


def test_a_broken_design_lists_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\nworkload: {flows: {a: {rate: 1/s, steps: [nope]}}}\n"
        "components: {api: {kind: service}}\n"
    )
    result = runner.invoke(app, ["compare", SHORTENER, str(bad)])
    assert result.exit_code == 1
    assert "step names unknown component 'nope'" in result.output


def test_help_has_examples() -> None:
    result = runner.invoke(app, ["compare", "--help"], env=WIDE)
    assert result.exit_code == 0
    assert "staffpath compare before.yaml after.yaml" in result.output


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (["a.yaml", "b.yaml"], ["a", "b"]),
        (["x/a.yaml", "y/a.yaml", "b.yaml"], ["x/a.yaml", "y/a.yaml", "b"]),
        (["a.yaml", "a.yaml", "a.yaml"], ["a", "a #2", "a #3"]),
    ],
)
def test_labels_are_short_and_unique(files: list[str], expected: list[str]) -> None:
    assert labels([Path(f) for f in files]) == expected
