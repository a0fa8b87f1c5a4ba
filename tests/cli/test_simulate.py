"""``staffpath simulate``: tables and timeline, JSON contract, flags and their errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from staffpath.cli.app import app

runner = CliRunner()
DESIGN = """\
name: small
workload: {flows: {f: {rate: 200/s, steps: [{s: {timeout: 100ms}}]}}}
components:
  s: {kind: service, replicas: 2, concurrency: 2, service_time: 5ms}
failures:
  - {at: 4s, kill: s, for: 1s}
"""


def write(tmp_path: Path) -> Path:
    path = tmp_path / "d.yaml"
    path.write_text(DESIGN)
    return path


def test_json_contract(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["simulate", str(write(tmp_path)), "--json", "-n", "5000", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"requests", "seed", "throughput_rps", "flows", "components", "timeline"} <= set(data)
    assert data["seed"] == 3
    assert data["requests"] == 5000
    flow = data["flows"]["f"]
    assert {
        "count",
        "mean_ms",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "p999_ms",
        "error_rate",
        "errors",
    } <= set(flow)
    assert set(flow["errors"]) == {"timeout", "rejected", "failed"}
    assert {"utilization", "mean_wait_ms", "mean_queue"} <= set(data["components"]["s"])


def test_duration_run_shows_the_failure_window(tmp_path: Path) -> None:
    result = runner.invoke(app, ["simulate", str(write(tmp_path)), "--duration", "10s", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    failed = [b for b in data["timeline"] if b["errors"]["failed"] > 0]
    assert failed
    assert all(3.5 <= b["start_s"] <= 5.5 for b in failed)


def test_tables_and_timeline_for_people(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["simulate", str(write(tmp_path)), "-n", "3000", "-r", "3"], env={"COLUMNS": "160"}
    )
    assert result.exit_code == 0, result.output
    for text in ("Flows", "Components", "Timeline", "throughput", "3 runs"):
        assert text in result.output


def test_bad_flags_are_user_errors(tmp_path: Path) -> None:
    path = str(write(tmp_path))
    both = runner.invoke(app, ["simulate", path, "-n", "10", "--duration", "5s"])
    assert both.exit_code == 1
    assert "not both" in both.output
    bad = runner.invoke(app, ["simulate", path, "--duration", "5 parsecs"])
    assert bad.exit_code == 1
    assert "--duration:" in bad.output
    rate = runner.invoke(app, ["simulate", path, "--at", "lots"])
    assert rate.exit_code == 1
    assert "--at:" in rate.output
