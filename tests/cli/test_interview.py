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
    assert by_name["peak"]["passed"] is False and by_name["viral-surge"]["passed"] is False
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


def test_a_terminal_interview_from_start_to_report(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "? how many urls a day",
            "est writes_per_s 1.2k/s",
            "est nope 3",
            "next",
            f"design {REFERENCE}",
            "curveball",
            "finish",
        ]
    )
    result = runner.invoke(
        app,
        ["interview", "start", "url-shortener", "--minutes", "30", "--data-dir", str(tmp_path)],
        input=script + "\n",
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "About 100 million new short URLs a day." in out
    assert "no estimate 'nope'" in out
    assert "passes every scenario" in out and "Practise next" in out
    history = runner.invoke(app, ["interview", "history", "--json", "--data-dir", str(tmp_path)])
    (row,) = json.loads(history.stdout)
    assert row["finished"] and row["score"] is not None


def test_quitting_keeps_the_session_unfinished(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["interview", "start", "url-shortener", "--data-dir", str(tmp_path)], input="quit\n"
    )
    assert result.exit_code == 0 and "stored" in result.stdout
    history = runner.invoke(
        app, ["interview", "history", "--data-dir", str(tmp_path)], env={"COLUMNS": "200"}
    )
    assert "unfinished" in history.stdout
