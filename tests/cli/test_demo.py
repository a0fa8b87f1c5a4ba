"""``staffpath demo``: a table of the designs in a folder; exit 1 when one is broken."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from staffpath.cli.app import app
from tests.conftest import ROOT

runner = CliRunner()


def test_demo_over_the_examples_lists_every_one() -> None:
    result = runner.invoke(app, ["demo", str(ROOT / "examples")], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        assert example.name in result.output
    assert " problems" not in result.output.split("Next:")[0]
    assert result.output.count(" met ") == len(list((ROOT / "examples").glob("*.yaml")))


def test_demo_marks_a_broken_design_and_fails(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("name: x\n")
    result = runner.invoke(app, ["demo", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "2 problems" in result.output  # workload and components missing


def test_demo_on_an_empty_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", str(tmp_path)])
    assert result.exit_code == 1
    assert "no .yaml designs" in result.output
