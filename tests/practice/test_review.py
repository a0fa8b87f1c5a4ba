"""The Conventional Comments parser and the review-comment coach: each rule on a crafted good
and bad comment, and the scoring."""

from __future__ import annotations

import pytest

from staffpath.errors import InputError
from staffpath.practice.review import (
    DECORATIONS,
    LABELS,
    PENALTY,
    Comment,
    is_specific,
    lint,
    lint_comment,
    lint_text,
    parse,
)


def rules(text: str) -> list[str]:
    (comment,) = parse(text)
    return [f.rule for f in lint_comment(comment).findings]


@pytest.mark.parametrize("label", list(LABELS))
def test_every_label_parses(label: str) -> None:
    (c,) = parse(f"{label}: `retry` on line 3 loops forever\nmore words here")
    assert c.label == label
    assert c.subject == "`retry` on line 3 loops forever"
    assert c.discussion == "more words here"


@pytest.mark.parametrize(
    ("header", "decorations"),
    [
        ("issue (blocking): x", ("blocking",)),
        ("issue (non-blocking): x", ("non-blocking",)),
        ("suggestion (if-minor): x", ("if-minor",)),
        ("suggestion (non-blocking, security): x", ("non-blocking", "security")),
        ("Issue(Blocking) : x", ("blocking",)),
        ("**issue (blocking):** x", ("blocking",)),
        ("todo: x", ()),
    ],
)
def test_decoration_forms(header: str, decorations: tuple[str, ...]) -> None:
    (c,) = parse(header)
    assert c.decorations == decorations
    assert c.subject == "x"


def test_comments_split_on_blank_lines_and_rules_but_not_inside_code() -> None:
    text = (
        "praise: a\n\nissue (blocking): b\nbody\n---\nquestion: c\n"
        "```\nx = 1\n\ny = 2\n```\n\n\nnote: d"
    )
    comments = parse(text)
    assert [c.label for c in comments] == ["praise", "issue", "question", "note"]
    assert [c.line for c in comments] == [1, 3, 6, 14]
    assert "y = 2" in comments[2].discussion


def test_a_block_without_a_label_is_kept_as_an_unlabelled_comment() -> None:
    (c,) = parse("This looks wrong to me.")
    assert c.label is None and c.subject == "This looks wrong to me."


GOOD = "suggestion (non-blocking): rename `cnt` on line 12 to `retry_count` so the loop reads well."


@pytest.mark.parametrize(
    ("rule", "bad"),
    [
        ("label-missing", "The `cnt` on line 3 is confusing."),
        ("label-unknown", "isue (blocking): `cnt` on line 3 overflows; consider `int64`."),
        ("decoration-unknown", "issue (blockng): `cnt` on line 3 overflows; consider `int64`."),
        ("blocking-implicit", "suggestion: rename `cnt` on line 12 to `retry_count`."),
        ("blocking-contradiction", "todo (blocking, non-blocking): add a test for `parse`."),
        ("issue-without-way-forward", "issue (blocking): `cnt` on line 3 overflows."),
        ("vague", "issue (blocking): this part feels off, maybe rethink it."),
        ("belittling", "issue (blocking): `cnt` on line 3 obviously overflows; use `int64`."),
        ("order-as-question", "question: can you change `cnt` on line 3 to an `int64`?"),
        ("shouting", "issue (blocking): `cnt` on line 3 is NEVER reset; reset it!!"),
        (
            "long-sentence",
            "note: the `cnt` counter on line 3 is read by the scheduler and the reporter and "
            "the exporter and the cleanup job and the admin page and the nightly audit and the "
            "metrics endpoint and the billing sync too.",
        ),
        (
            "hard-to-read",
            "note: `cnt` demonstrates extraordinarily complicated interdependencies; "
            "consequently, comprehensive documentation considerably facilitates understanding "
            "concerning implementation characteristics, particularly regarding asynchronous "
            "synchronisation responsibilities.",
        ),
    ],
)
def test_each_rule_fires_on_its_bad_comment_and_not_on_the_good_one(rule: str, bad: str) -> None:
    assert rule in rules(bad)
    assert rules(GOOD) == []


@pytest.mark.parametrize(
    "word", ["just", "obviously", "simply", "clearly", "why didn't you", "everyone knows"]
)
def test_belittling_words(word: str) -> None:
    assert "belittling" in rules(f"issue (blocking): {word} handle `None` on line 3; try a guard.")


def test_code_is_not_prose_for_tone_rules() -> None:
    assert rules("todo (blocking): call `just_once()` and `HTTP_TIMEOUT_SECONDS` on line 4.") == []
    # a bare environment variable is a name, not a raised voice; two words in capitals are
    assert "shouting" not in rules("issue: line 14 reads TIMEOUT=abc as 0; is TIMEOUT seconds?")
    assert "shouting" in rules("issue: line 14 is BROKEN and WRONG.")


def test_praise_needs_no_decorations_but_issue_does() -> None:
    assert rules("praise: the test for an empty `items` list on line 9 is exactly right.") == []
    assert "blocking-implicit" in rules("issue: `items` on line 9 may be empty; add a guard?")


def test_an_issue_with_a_question_has_a_way_forward() -> None:
    assert rules("issue (blocking): `items` on line 9 may be empty; should we return early?") == []


@pytest.mark.parametrize(
    "text",
    ["`parse`", "line 12", "L12", "see auth.py", "it returns None when empty", "app.go:40"],
)
def test_specific_pointers(text: str) -> None:
    assert is_specific(text)


def test_vague_text_is_not_specific() -> None:
    assert not is_specific("I do not like this part, please rethink it")


def test_score_subtracts_a_penalty_per_finding_and_never_goes_below_zero() -> None:
    (c,) = parse("issue: the paging is off")
    report = lint_comment(c)
    assert report.score == 100 - 3 * PENALTY["warning"]
    worst = lint_comment(Comment(1, None, (), "Why didn't you just do it obviously?!! WRONG", ""))
    assert worst.score == 0


def test_overall_score_is_the_mean_and_errors_are_flagged() -> None:
    report = lint_text(GOOD + "\n\nissue: the paging is off")
    assert [c.score for c in report.comments] == [100, 64]
    assert report.score == 82
    assert not report.has_errors
    assert lint_text("obviously wrong").has_errors


def test_no_comments_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no review comments"):
        lint([])
    assert parse("\n\n---\n") == []


def test_decorations_known() -> None:
    assert set(DECORATIONS) == {"blocking", "non-blocking", "if-minor"}
