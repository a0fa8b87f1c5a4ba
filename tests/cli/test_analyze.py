"""``staffpath analyze``: tables for people, JSON for scripts, clear errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from staffpath.cli.app import app
from tests.conftest import ROOT

runner = CliRunner()
SHORTENER = str(ROOT / "examples" / "url-shortener.yaml")


def test_tables_show_components_flows_goals_and_cost() -> None:
    result = runner.invoke(app, ["analyze", SHORTENER], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for title in ("Components", "Flows", "Goals", "Estimates (shown work)", "Cost:"):
        assert title in result.output
    assert "URL shortener at " in result.output


def test_json_is_the_contract() -> None:
    result = runner.invoke(app, ["analyze", SHORTENER, "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["design"] == "URL shortener"
    assert data["peak_rps"] > 0
    assert {"components", "flows", "goals", "estimates", "spofs", "cost_per_month"} <= set(data)


def test_at_changes_the_analysed_rate() -> None:
    result = runner.invoke(app, ["analyze", SHORTENER, "--json", "--at", "10k/s"])
    assert result.exit_code == 0
    assert json.loads(result.output)["peak_rps"] == 10_000


def test_bad_rate_is_a_user_error() -> None:
    result = runner.invoke(app, ["analyze", SHORTENER, "--at", "fast"])
    assert result.exit_code == 1
    assert "--at: 'fast' is not a rate" in result.output


def test_broken_design_lists_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\nworkload: {flows: {a: {rate: 1/s, steps: [nope]}}}\n"
        "components: {api: {kind: service}}\n"
    )
    result = runner.invoke(app, ["analyze", str(bad)])
    assert result.exit_code == 1
    assert "step names unknown component 'nope'" in result.output
