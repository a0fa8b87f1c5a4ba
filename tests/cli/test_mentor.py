"""``staffpath mentor``: golden list and review report, located errors and exit codes, the
prompt draw, evidence, and apply writing a design that loads (or refusing to)."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from staffpath.cli.app import app
from staffpath.design.load import load_design
from tests.conftest import ROOT, compare_golden

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
LOG = "examples/career/mentoring.yaml"
REVIEW = "examples/career/design-review.yaml"
TODAY = ["--today", "2026-11-23"]
WIDE = {"COLUMNS": "120"}


def stripped(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "career").mkdir()
    shutil.copy(ROOT / REVIEW, tmp_path / "career" / "design-review.yaml")
    shutil.copy(ROOT / "examples" / "url-shortener.yaml", tmp_path / "url-shortener.yaml")
    return tmp_path


def test_list_golden(at_root: None, update_golden: bool) -> None:
    result = runner.invoke(app, ["mentor", "list", LOG, *TODAY], env=WIDE)
    assert result.exit_code == 0, result.output
    compare_golden(GOLDEN / "mentor-list.txt", stripped(result.output), update_golden)


def test_list_json(at_root: None) -> None:
    result = runner.invoke(app, ["mentor", "list", LOG, *TODAY, "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.output)}
    assert rows["priya"]["cadence_days"] == 21.0 and rows["priya"]["days_since_last"] == 105
    assert rows["tomas"]["planned"] == 1 and rows["mei"]["warning"] is None


def test_check_ok_and_located_errors(at_root: None, tmp_path: Path) -> None:
    result = runner.invoke(app, ["mentor", "check", LOG, *TODAY], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "examples/career/mentoring.yaml: ok, 3 mentees, 10 sessions, 13 action items" in (
        result.output
    )
    assert "  tomas: goals no session touched: design-reviews" in result.output
    bad = tmp_path / "m.yaml"
    bad.write_text(
        "mentees:\n  - {id: priya, name: P, started: 2026-01-05}\n"
        "sessions:\n  - {mentee: pirya, date: 2026-02-01}\n",
        encoding="utf-8",
    )
    broken = runner.invoke(app, ["mentor", "check", str(bad)])
    assert broken.exit_code == 1
    assert f"error: {bad}:4:14: sessions[0].mentee: no mentee 'pirya' (did you mean 'priya'?)" in (
        broken.output
    )
    assert "Traceback" not in broken.output


def test_check_validates_skills_against_the_tracks(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text(
        "mentees:\n  - id: a\n    name: A\n    started: 2026-01-05\n    goals:\n"
        "      - {id: g, text: G, skills: [reliability/postmortem]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["mentor", "check", str(bad)])
    assert result.exit_code == 1
    assert "no track skill 'reliability/postmortem' (did you mean 'reliability/postmortems'?)" in (
        result.output
    )


def test_due_table_and_json(at_root: None) -> None:
    result = runner.invoke(app, ["mentor", "due", LOG, *TODAY], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "2 overdue, 2 due within 7 days" in result.output
    data = json.loads(runner.invoke(app, ["mentor", "due", LOG, *TODAY, "--json"]).output)
    assert [(d["state"], d["days"]) for d in data] == [
        ("overdue", 84),
        ("overdue", 3),
        ("due-soon", 4),
        ("due-soon", 7),
    ]
    quiet = runner.invoke(app, ["mentor", "due", LOG, "--today", "2026-04-01"])
    assert "Nothing overdue or due within 7 days of 2026-04-01." in quiet.output
    wrong = runner.invoke(app, ["mentor", "due", LOG, "--today", "23/11/2026"])
    assert wrong.exit_code == 1 and "--today: expected a date YYYY-MM-DD" in wrong.output


def test_prompts_seeded_and_filtered() -> None:
    args = ["mentor", "prompts", "--category", "leadership", "--count", "3", "--seed", "5"]
    first = json.loads(runner.invoke(app, [*args, "--json"]).output)
    again = json.loads(runner.invoke(app, [*args, "--json"]).output)
    assert first == again and len(first) == 3
    assert {p["category"] for p in first} == {"leadership"}
    text = runner.invoke(app, args, env=WIDE)
    assert text.exit_code == 0 and first[0]["text"] in text.output
    bad = runner.invoke(app, ["mentor", "prompts", "--category", "wellbeeing"])
    assert bad.exit_code == 1 and "did you mean 'wellbeing'?" in bad.output


def test_evidence_from_a_log_and_a_review(at_root: None) -> None:
    result = runner.invoke(app, ["mentor", "evidence", LOG, REVIEW, *TODAY, "--json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert len(records) == 12  # 9 sessions held, 2 goals reached, 1 review
    assert set(records[0]) == {"id", "date", "what", "why", "metric", "competencies"}
    review = next(r for r in records if r["id"].startswith("design-review-"))
    assert review["competencies"] == ["leadership", "influence"]
    assert [r["date"] for r in records] == sorted(r["date"] for r in records)


def test_review_check_and_its_exit_code(at_root: None, tmp_path: Path) -> None:
    result = runner.invoke(app, ["mentor", "review", "check", REVIEW], env=WIDE)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "examples/career/design-review.yaml: ok, 7 comments on 7 anchors of URL shortener, "
        "3 open (2 blocking), 2 decisions to record"
    )
    rude = tmp_path / "rude.yaml"
    rude.write_text(
        f"design: {ROOT / 'examples' / 'url-shortener.yaml'}\ndate: 2026-11-10\nreviewers: [A]\n"
        "comments:\n  - anchor: cache\n    text: 'this is obviously wrong, `cache` returns null'\n",
        encoding="utf-8",
    )
    bad = runner.invoke(app, ["mentor", "review", "check", str(rude), "--json"])
    assert bad.exit_code == 1
    rules = {f["rule"] for f in json.loads(bad.output)["findings"]}
    assert {"label-missing", "belittling"} <= rules


def test_review_report_golden(at_root: None, update_golden: bool, tmp_path: Path) -> None:
    result = runner.invoke(app, ["mentor", "review", "report", REVIEW])
    assert result.exit_code == 0, result.output
    compare_golden(GOLDEN / "mentor-review-report.md", result.output, update_golden)
    out = tmp_path / "report.md"
    written = runner.invoke(app, ["mentor", "review", "report", REVIEW, "-o", str(out)])
    assert written.exit_code == 0 and out.read_text(encoding="utf-8") == result.output
    summary = json.loads(
        runner.invoke(app, ["mentor", "review", "report", REVIEW, "--json"]).output
    )
    assert summary["form_score"] == 98 and summary["decisions"] == ["US-006", "US-007"]


def test_review_apply_in_place_then_again(workspace: Path) -> None:
    review = workspace / "career" / "design-review.yaml"
    design = workspace / "url-shortener.yaml"
    original = design.read_text(encoding="utf-8")
    result = runner.invoke(app, ["mentor", "review", "apply", str(review)])
    assert result.exit_code == 0, result.output
    assert f"wrote {design}: added US-006, US-007" in result.output
    assert "marked superseded: US-002" in result.output
    text = design.read_text(encoding="utf-8")
    assert "# recorded in design review 2026-11-10 (design-review.yaml)" in text
    assert all(line in text for line in original.splitlines() if line.lstrip().startswith("#"))
    assert [d.id for d in load_design(design).decisions][-2:] == ["US-006", "US-007"]
    again = runner.invoke(app, ["mentor", "review", "apply", str(review), "--json"])
    assert json.loads(again.output)["added"] == [] and design.read_text(encoding="utf-8") == text


def test_review_apply_to_another_file_and_refusal(workspace: Path) -> None:
    review = workspace / "career" / "design-review.yaml"
    design = workspace / "url-shortener.yaml"
    original = design.read_text(encoding="utf-8")
    out = workspace / "reviewed.yaml"
    result = runner.invoke(app, ["mentor", "review", "apply", str(review), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert design.read_text(encoding="utf-8") == original
    assert len(load_design(out).decisions) == 7
    stdout = runner.invoke(app, ["mentor", "review", "apply", str(review), "-o", "-"])
    assert stdout.output == out.read_text(encoding="utf-8")
    # a recorded decision whose 'chosen' is not one of its options: the design would not load
    text = review.read_text(encoding="utf-8")
    review.write_text(
        text.replace("chosen: Rolling restart by shard", "chosen: Rolling restarts"),
        encoding="utf-8",
    )
    refused = runner.invoke(app, ["mentor", "review", "apply", str(review)])
    assert refused.exit_code == 1
    assert "would not load, so nothing was written" in refused.output
    assert design.read_text(encoding="utf-8") == original
    assert not list(workspace.glob(".url-shortener.yaml.*"))  # no temporary file left


DOCS = ROOT / "docs" / "mentoring.md"


def doc_commands() -> list[tuple[str, list[str]]]:
    """Each ``$ staffpath ...`` line of docs/mentoring.md with the output shown under it."""
    found: list[tuple[str, list[str]]] = []
    inside = False
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = line == "```console"
            continue
        if inside and line.startswith("$ "):
            found.append((line[2:], []))
        elif inside and found:
            found[-1][1].append(line)
    return found


@pytest.mark.parametrize(("command", "expected"), doc_commands())
def test_docs_commands_run_as_shown(
    command: str, expected: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    args = shlex.split(command)
    assert args[0] == "staffpath"
    result = runner.invoke(app, args[1:], env=WIDE)
    assert result.exit_code == 0, result.output
    if expected:
        assert result.output.splitlines() == expected


def test_docs_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    text = DOCS.read_text(encoding="utf-8")
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    exec(compile(code, str(DOCS), "exec"), {})
