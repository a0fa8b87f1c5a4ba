"""``staffpath stories``: golden checks of a realistic strong and a realistic weak story, the
coverage matrix, the question bank, rehearsal driven by input, and clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from staffpath.cli.app import app
from tests.conftest import ROOT, compare_golden

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
STRONG = "examples/stories/billing-migration.yaml"
WEAK = "tests/practice/stories/team-rewrite.yaml"
WIDE = {"COLUMNS": "120"}


def stripped(text: str) -> str:
    """Rich pads lines to the console width; editors strip that, so the golden file does too."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so the file names in the output are relative."""
    monkeypatch.chdir(ROOT)


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    """A folder with the two example stories and the weak one."""
    for source in [*sorted((ROOT / "examples" / "stories").iterdir()), ROOT / WEAK]:
        shutil.copy(source, tmp_path / source.name)
    return tmp_path


@pytest.mark.parametrize(("name", "story"), [("strong", STRONG), ("weak", WEAK)])
def test_check_golden(name: str, story: str, at_root: None, update_golden: bool) -> None:
    result = runner.invoke(app, ["stories", "check", story], env=WIDE)
    assert result.exit_code == 0, result.output
    compare_golden(GOLDEN / f"stories-check-{name}.txt", stripped(result.output), update_golden)


def test_check_json_golden(at_root: None, update_golden: bool) -> None:
    result = runner.invoke(app, ["stories", "check", "examples/stories", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(d["id"], d["strength"]) for d in data] == [
        ("billing-migration", "strong"),
        ("flaky-deploys", "strong"),
    ]
    compare_golden(GOLDEN / "stories-check.json", result.output, update_golden)


def test_weak_story_json_names_every_failing_rule(at_root: None) -> None:
    result = runner.invoke(app, ["stories", "check", WEAK, "--json"])
    (story,) = json.loads(result.output)
    failing = {f["rule"] for f in story["findings"] if not f["passed"]}
    assert failing == {"parts", "measurable", "first-person", "length", "follow-ups"}
    assert all(f["suggestion"] for f in story["findings"] if not f["passed"])
    assert (story["strength"], story["score"]) == ("weak", 31)


def test_coverage_golden(bank: Path, update_golden: bool) -> None:
    result = runner.invoke(app, ["stories", "coverage", str(bank)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Write a story for: conflict, failure, ambiguity" in result.output
    compare_golden(GOLDEN / "stories-coverage.txt", stripped(result.output), update_golden)


def test_coverage_json(bank: Path) -> None:
    result = runner.invoke(app, ["stories", "coverage", str(bank), "--json"])
    data = json.loads(result.output)
    assert data["competencies"]["delivery"]["weak"] == ["team-rewrite"]
    row = next(q for q in data["questions"] if q["id"] == "delivery-large-migration")
    title = row.pop("title")
    text = row.pop("text")
    assert title == "Moving billing off the shared database"
    assert text.startswith("Tell me about a large migration")
    assert row == {
        "id": "delivery-large-migration",
        "competencies": ["delivery", "ownership", "trade-off"],
        "status": "strong",
        "story": "billing-migration",
        "score": 100,
        "match": "named",
    }


def test_questions_filter_and_json() -> None:
    result = runner.invoke(app, ["stories", "questions", "--competency", "conflict", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) >= 5 and all("conflict" in r["competencies"] for r in rows)
    table = runner.invoke(app, ["stories", "questions"], env=WIDE)
    assert table.exit_code == 0 and "lead-without-authority" in table.output
    bad = runner.invoke(app, ["stories", "questions", "--competency", "bravery"])
    assert bad.exit_code == 1 and "choose from leadership" in bad.output


def test_rehearse_driven_by_input(bank: Path) -> None:
    args = ["stories", "rehearse", str(bank), "--seed", "3"]
    result = runner.invoke(app, args, input="1\n\n", env=WIDE)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Question (influence-convince-skeptics)" in out
    assert "1. Moving billing off the shared database (billing-migration): strong 100/100" in out
    assert "Press Enter when done" in out and "You spoke for 0:0" in out
    assert "pass first-person" in out and "strong, 100/100" in out
    again = runner.invoke(app, args, input="1\n\n", env=WIDE)
    assert again.output.splitlines()[0] == out.splitlines()[0]  # the seed fixes the question


def test_rehearse_a_wrong_pick_and_a_question_without_stories(bank: Path) -> None:
    args = ["stories", "rehearse", str(bank), "--seed", "3"]
    wrong = runner.invoke(app, args, input="9\n")
    assert wrong.exit_code == 1 and "choose a story from 1 to" in wrong.output
    weak_only = runner.invoke(
        app, ["stories", "rehearse", str(ROOT / WEAK), "--competency", "conflict"]
    )
    assert weak_only.exit_code == 0, weak_only.output
    assert "None of your stories answers it" in weak_only.output


def test_default_folder_and_bad_files_are_clear_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    missing = runner.invoke(app, ["stories", "check"])
    assert missing.exit_code == 1
    assert "error: stories: no such file or folder" in missing.output
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "x.yaml").write_text("title: X\ncompetencies: [bravery]\n")
    bad = runner.invoke(app, ["stories", "check"])
    assert bad.exit_code == 1
    assert "stories/x.yaml: competencies.0: expected a competency" in bad.output
    assert "Traceback" not in bad.output


def test_import_into_the_studio_then_export_gives_the_files_back(tmp_path: Path) -> None:
    data = tmp_path / "data"
    examples = ROOT / "examples" / "stories"
    args = ["--data-dir", str(data)]
    first = runner.invoke(app, ["stories", "import", str(examples), *args])
    assert first.exit_code == 0 and "2 added, 0 updated, 0 unchanged" in first.output
    again = runner.invoke(app, ["stories", "import", str(examples), *args])
    assert "0 added, 0 updated, 2 unchanged" in again.output
    out = tmp_path / "out"
    exported = runner.invoke(app, ["stories", "export", "-o", str(out), *args])
    assert exported.exit_code == 0, exported.output
    assert sorted(p.name for p in out.iterdir()) == [
        "making-deploys-boring-again.md",
        "moving-billing-off-the-shared-database.yaml",
    ]
    assert (out / "making-deploys-boring-again.md").read_text() == (
        examples / "flaky-deploys.md"
    ).read_text()
    # the imported stories are a flashcard deck now
    decks = runner.invoke(app, ["cards", "decks", "--json", *args])
    mine = next(d for d in json.loads(decks.stdout) if d["id"] == "my-stories")
    assert mine["cards"] >= 2


def test_a_broken_file_imports_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "good.yaml").write_text(
        (ROOT / "examples/stories/billing-migration.yaml").read_text()
    )
    (folder / "bad.yaml").write_text("title: [unclosed\n")
    result = runner.invoke(app, ["stories", "import", str(folder), "--data-dir", str(tmp_path)])
    assert result.exit_code == 1 and "bad.yaml" in result.output
    assert "Traceback" not in result.output
    listed = runner.invoke(app, ["cards", "decks", "--json", "--data-dir", str(tmp_path)])
    assert "my-stories" not in listed.stdout
