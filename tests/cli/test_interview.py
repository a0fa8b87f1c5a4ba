"""``staffpath interview grade``: the JSON contract, estimates with units, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from staffpath.cli.app import app
from staffpath.practice.problems import PROBLEMS

runner = CliRunner()
NAIVE = str(PROBLEMS / "url-shortener" / "naive.yaml")
REFERENCE = str(PROBLEMS / "url-shortener" / "reference.yaml")


def test_json_contract_with_estimates(tmp_path: Path) -> None:
    est = tmp_path / "est.yaml"
    est.write_text(
        "writes_per_s: 1.2k/s\nrecords: 365B\nstorage_bytes: 36TB\npeak_reads_per_s: 1M/s\n"
    )
    result = runner.invoke(
        app, ["interview", "grade", "url-shortener", NAIVE, "--estimates", str(est), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"problem", "passed", "score", "scenarios", "estimates"} <= set(report)
    assert report["problem"] == "url-shortener" and report["passed"] is False
    by_name = {s["name"]: s for s in report["scenarios"]}
    assert by_name["peak"]["passed"] is False and by_name["cache-flushed"]["passed"] is True
    assert all({"name", "passed", "reasons"} <= set(s) for s in report["scenarios"])
    est_by = {e["name"]: e for e in report["estimates"]}
    assert est_by["records"]["given"] == 365e9 and est_by["records"]["ok"]  # B = billion here
    assert est_by["storage_bytes"]["given"] == 36e12 and est_by["storage_bytes"]["ok"]
    assert est_by["peak_reads_per_s"]["ok"] is False
    assert {"name", "given", "reference", "ok"} <= set(est_by["records"])


def test_the_report_reads_as_a_table() -> None:
    result = runner.invoke(
        app, ["interview", "grade", "url-shortener", REFERENCE], env={"COLUMNS": "160"}
    )
    assert result.exit_code == 0, result.output
    assert "passes every scenario" in result.stdout and "Cost at peak" in result.stdout


def test_bad_estimates_are_clear_errors(tmp_path: Path) -> None:
    est = tmp_path / "est.yaml"
    for text, message in (
        ("- 1\n- 2\n", "expected a mapping"),
        ("records: lots\n", "records:"),
        ("records: [1]\n", "expected a number"),
    ):
        est.write_text(text)
        result = runner.invoke(
            app, ["interview", "grade", "url-shortener", NAIVE, "--estimates", str(est)]
        )
        assert result.exit_code == 1 and message in result.output, (text, result.output)
