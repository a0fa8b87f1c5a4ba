"""Review katas: every seeded problem lives on its line, and matching finds what it should."""

from __future__ import annotations

import pytest

from staffpath.errors import InputError
from staffpath.practice.katas import check, finds, kata_ids, load_kata, new_lines, numbered
from staffpath.practice.review import parse


def test_there_are_at_least_fifteen_katas_in_four_languages() -> None:
    katas = [load_kata(k) for k in kata_ids()]
    assert len(katas) >= 15
    assert {k.language for k in katas} == {"python", "javascript", "go", "sql"}
    kinds = {p.kind for k in katas for p in k.problems}
    assert kinds == {"bug", "edge-case", "naming", "security", "performance"}


@pytest.mark.parametrize("kata_id", kata_ids())
def test_every_seeded_line_exists_in_its_diff(kata_id: str) -> None:
    kata = load_kata(kata_id)
    assert kata.id == kata_id
    lines = new_lines(kata.diff)
    for p in kata.problems:
        assert (p.file, p.line) in lines, f"{p.id}: {p.file}:{p.line} is not in the diff"
        assert p.snippet in lines[(p.file, p.line)], f"{p.id}: snippet not on line {p.line}"
    assert len({p.id for p in kata.problems}) == len(kata.problems)
    assert kata.sources, "cite where the facts come from"


def test_new_lines_follow_hunk_headers_and_skip_removed_lines() -> None:
    diff = "--- a/x.py\n+++ b/x.py\n@@ -5,3 +5,3 @@\n a\n-b\n+c\n d\n"
    assert new_lines(diff) == {("x.py", 5): "a", ("x.py", 6): "c", ("x.py", 7): "d"}


def test_a_comment_finds_a_problem_by_line_or_file_and_keyword() -> None:
    problem = load_kata("py-pagination").problems[1]  # off-by-one on line 9
    (near,) = parse("issue (blocking): line 10 is off by one for the first page.")
    (by_file,) = parse("issue (blocking): pagination.py skips the first page.")
    (no_keyword,) = parse("issue (blocking): line 9 looks odd.")
    (far,) = parse("issue (blocking): line 2 is off by one.")
    (ranged,) = parse("issue (blocking): lines 8-12 are off by one.")
    assert finds(near, problem) and finds(by_file, problem) and finds(ranged, problem)
    assert not finds(no_keyword, problem) and not finds(far, problem)


def test_check_scores_coverage_and_form() -> None:
    kata = load_kata("py-pagination")
    result = check(
        kata, parse("issue (blocking): `start` on line 9 is off by one; use `page - 1`.")
    )
    assert result.found == 1
    assert result.form.score == 100
    assert result.score == round(70 / 3 + 30)


def test_an_unknown_kata_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no kata 'nope'"):
        load_kata("nope")


def test_numbered_puts_new_side_line_numbers_in_a_gutter() -> None:
    diff = "--- a/x.py\n+++ b/x.py\n@@ -5,3 +5,3 @@\n a\n-b\n+c\n d\n"
    lines = numbered(diff).splitlines()
    assert lines[3:] == ["   5   a", "      -b", "   6  +c", "   7   d"]
