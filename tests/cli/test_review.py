"""``staffpath review``: golden reports on a realistic good and bad review, the exit-code
contract, and a kata checked with a review that finds some problems and misses others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from staffpath.cli.app import app
from staffpath.practice.katas import kata_ids
from tests.conftest import ROOT, compare_golden

runner = CliRunner()
HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
REVIEWS = HERE / "review"
WIDE = {"COLUMNS": "160"}


def stripped(text: str) -> str:
    """Rich pads lines to the console width; editors strip that, so the golden file does too."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def rel(name: str) -> str:
    """Paths as the golden files show them, independent of where the repository lives."""
    return f"tests/cli/review/{name}"


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def invoke(args: list[str]) -> tuple[int, str]:
    result = runner.invoke(app, args, env=WIDE)
    return result.exit_code, result.stdout


def test_good_review_golden(update_golden: bool) -> None:
    code, out = invoke(["review", "lint", rel("good-review.md")])
    assert code == 0, out
    compare_golden(GOLDEN / "review-good.txt", stripped(out), update_golden)
    code, out = invoke(["review", "lint", rel("good-review.md"), "--json"])
    assert code == 0
    data = json.loads(out)
    assert data["score"] == 100 and not data["has_errors"]
    compare_golden(GOLDEN / "review-good.json", out, update_golden)


def test_bad_review_golden_and_exit_code(update_golden: bool) -> None:
    code, out = invoke(["review", "lint", rel("bad-review.md")])
    assert code == 1, "error findings fail the run, so CI can gate on them"
    compare_golden(GOLDEN / "review-bad.txt", stripped(out), update_golden)
    code, out = invoke(["review", "lint", rel("bad-review.md"), "--json"])
    assert code == 1
    data = json.loads(out)
    assert data["score"] < 50 and data["has_errors"]
    found = {f["rule"] for c in data["comments"] for f in c["findings"]}
    assert {"label-missing", "label-unknown", "belittling", "shouting", "vague"} <= found
    assert {"order-as-question", "blocking-implicit", "issue-without-way-forward"} <= found
    compare_golden(GOLDEN / "review-bad.json", out, update_golden)


def test_lint_reads_stdin() -> None:
    result = runner.invoke(
        app, ["review", "lint", "-", "--json"], input="praise: `parse` on line 3 is tidy."
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["comments"][0]["label"] == "praise"


def test_kata_check_finds_some_and_misses_others(update_golden: bool) -> None:
    args = ["review", "kata", "check", "py-pagination", rel("kata-review.md")]
    code, out = invoke(args)
    assert code == 0, out
    compare_golden(GOLDEN / "review-kata.txt", stripped(out), update_golden)
    code, out = invoke([*args, "--json"])
    data = json.loads(out)
    found = {p["id"]: p["found"] for p in data["problems"]}
    assert found == {"last-page-dropped": False, "off-by-one-page": True, "unbounded-size": False}
    assert data["found"] == 1 and data["total"] == 3
    assert data["score"] == round(70 / 3 + 0.3 * data["form"]["score"])
    compare_golden(GOLDEN / "review-kata.json", out, update_golden)


def test_kata_list_and_show() -> None:
    result = runner.invoke(app, ["review", "kata", "list", "--json"])
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)] == kata_ids()
    result = runner.invoke(app, ["review", "kata", "show", "py-retry"])
    assert result.exit_code == 0
    assert "+++ b/payments/retry.py" in result.stdout
    assert "idempoten" not in result.stdout, "the seeded problems stay hidden"
    shown = json.loads(runner.invoke(app, ["review", "kata", "show", "py-retry", "--json"]).stdout)
    assert shown["problems"] == 4 and "explanation" not in json.dumps(shown)


def test_clear_errors() -> None:
    result = runner.invoke(app, ["review", "kata", "show", "nope"])
    assert result.exit_code == 1 and "no kata 'nope'" in result.output
    result = runner.invoke(app, ["review", "lint", "missing.md"])
    assert result.exit_code == 1 and "no such file" in result.output
    result = runner.invoke(app, ["review", "lint", "-"], input="\n\n")
    assert result.exit_code == 1 and "no review comments" in result.output


def test_the_good_review_finds_every_problem_of_its_kata() -> None:
    code, out = invoke(["review", "kata", "check", "py-retry", rel("good-review.md"), "--json"])
    data = json.loads(out)
    assert code == 0 and data["found"] == data["total"] == 4 and data["score"] == 100
