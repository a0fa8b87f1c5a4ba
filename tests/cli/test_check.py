"""``staffpath check``: exit codes, the located text form, and --json."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from staffpath.cli.app import app

runner = CliRunner()
GOOD = """\
name: tiny
workload:
  peak: 100/s
  flows:
    read: {share: 100%, steps: [api]}
components:
  api: {kind: service}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_valid_file_exits_zero_with_a_summary(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", GOOD)
    result = runner.invoke(app, ["check", str(good)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"ok {good}: tiny: 1 flow at 100/s, 1 components (1 replicas)")


def test_broken_file_exits_one_with_every_problem_located(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", GOOD.replace("kind: service", "kind: servise, replicas: 0"))
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{bad}:7:34: components.api.replicas: must be >= 1, found 0"
        " (a component has at least one replica; remove it from the design instead)",
    ]


def test_semantic_problem_has_its_hint(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", GOOD.replace("kind: service", "kind: servise"))
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{bad}:7:15: components.api.kind: unknown kind 'servise' (did you mean 'service'?)"
    )


def test_json_lists_problems_of_every_file(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", GOOD)
    bad = write(tmp_path, "bad.yaml", GOOD.replace("100/s", "fast"))
    result = runner.invoke(
        app, ["check", "--json", str(good), str(bad), str(tmp_path / "none.yaml")]
    )
    assert result.exit_code == 1
    records = json.loads(result.output)
    assert [(r["file"], r["line"], r["column"], r["path"]) for r in records] == [
        (str(bad), 3, 9, "workload.peak"),
        (str(tmp_path / "none.yaml"), 0, 0, ""),
    ]
    assert set(records[0]) == {"file", "line", "column", "path", "message", "hint", "severity"}
    assert "is not a rate" in records[0]["message"]
    assert "cannot read" in records[1]["message"]


def test_strict_turns_warnings_into_failure(tmp_path: Path) -> None:
    warn = write(tmp_path, "warn.yaml", GOOD + "  spare: {kind: cache}\n")
    assert runner.invoke(app, ["check", str(warn)]).exit_code == 0
    strict = runner.invoke(app, ["check", "--strict", str(warn)])
    assert strict.exit_code == 1
    assert "warning: components.spare: component 'spare' is not used" in strict.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("staffpath 0.")
