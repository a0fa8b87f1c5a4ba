"""The STAR story bank: loading (YAML and Markdown), located errors, the text measures, the
question bank."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from staffpath.errors import InputError
from staffpath.practice.stories import (
    COMPETENCIES,
    draw_question,
    load_stories,
    measures,
    parse_story,
    pronouns,
    question_bank,
    questions,
)
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples" / "stories"
WEAK = Path(__file__).parent / "stories" / "team-rewrite.yaml"

SENTENCE = "I measured the queue, I wrote the plan, and I asked the owners to review it. "


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("latency fell from 2.4 s to 310 ms", ["duration", "duration"]),
        ("errors dropped by 40%", ["percentage"]),
        ("we saved $14,000 a month", ["money"]),
        ("it ran 3x faster", ["ratio"]),
        ("the bill halved", ["ratio"]),
        ("from 12 incidents to 2", ["number", "number"]),
        ("twelve percent", []),
        ("much faster and everyone was happier", []),
    ],
)
def test_measures_finds_numbers_percentages_durations_money(text: str, kinds: list[str]) -> None:
    assert [k for k, _ in measures(text)] == kinds


def test_pronouns_count_i_and_we_forms() -> None:
    assert pronouns("I wrote it; my plan, I’m sure. We shipped; our team, us.") == (3, 3)
    assert pronouns("Isolation is mine alone") == (1, 0)  # 'isolation' is not 'I'


def test_markdown_title_falls_back_to_the_first_heading() -> None:
    text = "---\ncompetencies: [growth]\n---\n# My title\n\n## Situation\n\nIt was late.\n"
    story = parse_story(text, name="x.md", markdown=True)
    assert (story.title, story.situation, story.action) == ("My title", "It was late.", "")


def test_markdown_part_given_twice_is_an_error() -> None:
    text = "---\ntitle: T\nresult: Done.\n---\n## Result\n\nDone again.\n## Task\na\n## Task\nb\n"
    with pytest.raises(InputError) as exc:
        parse_story(text, name="x.md", markdown=True)
    message = str(exc.value)
    assert "x.md: result: given both in the front matter and as a ## section" in message
    assert "x.md: task: the body has two 'Task' sections" in message


def test_every_problem_of_a_file_is_reported_with_its_field() -> None:
    text = "situation: s\ncompetencies: [leadership, bravery]\nfollow_ups: [just text]\nnotes: x\n"
    with pytest.raises(InputError) as exc:
        parse_story(text, name="bad.yaml", markdown=False)
    lines = str(exc.value).splitlines()
    assert "bad.yaml: title: required, but missing" in lines
    assert any(ln.startswith("bad.yaml: competencies.1: expected a competency") for ln in lines)
    assert any("'bravery'" in ln for ln in lines)
    assert any(ln.startswith("bad.yaml: follow_ups.0: expected a mapping") for ln in lines)
    assert any(ln.startswith("bad.yaml: notes: unknown field (expected one of:") for ln in lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: [unclosed\n", "bad.yaml: not YAML (line 2, column 1"),
        ("- a\n- b\n", "expected one story (a mapping of fields), found list"),
        ("", "found nothing"),
        ("title: T\nmetrics: 40%\n", "metrics: expected a list, found '40%'"),
        ("title: ''\n", "title: must not be empty"),
    ],
)
def test_a_bad_yaml_file_is_a_located_input_error(text: str, expected: str) -> None:
    with pytest.raises(InputError, match=re.escape(expected)):
        parse_story(text, name="bad.yaml", markdown=False)


def test_bad_front_matter_is_located() -> None:
    with pytest.raises(InputError, match=r"x.md: the front matter is not YAML \(line"):
        parse_story("---\ntitle: [a\n---\nbody\n", name="x.md", markdown=True)


def test_folder_problems_are_reported_together(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("title: A\nbogus: 1\n")
    (tmp_path / "b.md").write_text("---\ncompetencies: [x]\n---\n")
    (tmp_path / "c.yaml").write_bytes(b"\xff\xfe")
    (tmp_path / "ignored.txt").write_text("not a story")
    with pytest.raises(InputError) as exc:
        load_stories(tmp_path)
    message = str(exc.value)
    assert f"{tmp_path / 'a.yaml'}: bogus: unknown field" in message
    assert f"{tmp_path / 'b.md'}: title: required" in message
    assert f"{tmp_path / 'c.yaml'}: not UTF-8 text" in message


def test_missing_empty_and_wrong_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        load_stories(tmp_path / "nope")
    with pytest.raises(InputError, match="no stories here"):
        load_stories(tmp_path)
    (tmp_path / "s.txt").write_text("x")
    with pytest.raises(InputError, match=re.escape("expected a .yaml, .yml or .md story file")):
        load_stories(tmp_path / "s.txt")


# ------------------------------------------------------------------- question bank, coverage


def test_the_question_bank_is_big_enough_and_covers_every_competency() -> None:
    bank = question_bank()
    assert len(bank) >= 60
    assert len({q.id for q in bank}) == len(bank)
    for competency in COMPETENCIES:
        assert len(questions(competency)) >= 5, competency


def test_an_unknown_competency_is_an_input_error() -> None:
    with pytest.raises(InputError, match="--competency: no competency 'bravery'"):
        questions("bravery")


def test_draw_question_is_deterministic_by_seed() -> None:
    assert draw_question(7) == draw_question(7)
    assert "conflict" in draw_question(1, "conflict").competencies
