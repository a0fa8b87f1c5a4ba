"""``staffpath problems``: the bank as a candidate may see it, and nothing hidden."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from staffpath.cli.app import app
from staffpath.practice.problems import load_problem, problem_ids

runner = CliRunner()


def test_list_names_every_problem() -> None:
    result = runner.invoke(app, ["problems", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == problem_ids()
    assert all(r["scenarios"] >= 3 for r in rows)


def test_show_keeps_the_hidden_parts_hidden() -> None:
    p = load_problem("url-shortener")
    for args in (
        ["problems", "show", "url-shortener"],
        ["problems", "show", "url-shortener", "--json"],
    ):
        result = runner.invoke(app, args, env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        assert "redirect" in result.stdout
        for secret in [s.description for s in p.scenarios] + [
            p.naive.summary,
            p.rubric["estimation"].staff,
        ]:
            assert secret not in result.stdout


def test_an_unknown_problem_is_a_clear_error() -> None:
    result = runner.invoke(app, ["problems", "show", "nope"])
    assert result.exit_code == 1 and "no problem 'nope'" in result.output
