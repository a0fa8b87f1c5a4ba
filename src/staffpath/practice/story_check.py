"""The story check and the coverage of the question bank.

The check is deterministic and offline (word counts and patterns, no language model). Each
rule says why it matters and what to do; the thresholds are the constants below, so a reader
can argue with a number rather than with a model. Interviewers mostly listen for four things:
that the story is complete, that the result was measured, that the candidate says what *they*
did, and that it fits in two or three minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from staffpath.practice.stories import (
    COMPETENCIES,
    PARTS,
    LoadedStory,
    Question,
    Story,
    measures,
    pronouns,
    question_bank,
    words,
)

# Words a part needs before it stops sounding like a placeholder. The action carries the story.
MIN_WORDS = {"situation": 25, "task": 15, "action": 60, "result": 20}
WORDS_PER_MINUTE = 150
MIN_SECONDS = 90
MAX_SECONDS = 180
MIN_FOLLOW_UPS = 2
MIN_I = 3  # times the action says I / me / my
STRONG_SCORE = 85
WEIGHTS = {
    "parts": 32,  # 8 per part, half for a part that is there but short
    "measurable": 20,
    "first-person": 16,
    "length": 12,
    "follow-ups": 10,
    "competencies": 10,
}
ESSENTIAL = ("parts", "measurable", "first-person")


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict on a story: why, and (when it fails) what to do."""

    rule: str
    passed: bool
    reason: str
    suggestion: str = ""
    points: float = 0.0


@dataclass(frozen=True, slots=True)
class StoryCheck:
    id: str
    file: str
    title: str
    score: int
    strength: Literal["strong", "weak"]
    words: dict[str, int]
    seconds: int
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.file,
            "title": self.title,
            "score": self.score,
            "strength": self.strength,
            "words": self.words,
            "seconds": self.seconds,
            "findings": [
                {"rule": f.rule, "passed": f.passed, "reason": f.reason, "suggestion": f.suggestion}
                for f in self.findings
            ],
        }


def _parts_rule(story: Story, counts: dict[str, int]) -> Finding:
    missing = [p for p in PARTS if counts[p] == 0]
    short = [p for p in PARTS if 0 < counts[p] < MIN_WORDS[p]]
    per = WEIGHTS["parts"] / len(PARTS)
    points = sum(per if counts[p] >= MIN_WORDS[p] else per / 2 if counts[p] else 0 for p in PARTS)
    detail = ", ".join(f"{p} {counts[p]}" for p in PARTS) + " words"
    if not missing and not short:
        return Finding("parts", True, f"every part is there ({detail})", points=points)
    problems = []
    if missing:
        problems.append("missing: " + ", ".join(missing))
    if short:
        problems.append(
            "thin: " + ", ".join(f"{p} ({counts[p]} of {MIN_WORDS[p]} words)" for p in short)
        )
    return Finding(
        "parts",
        False,
        "; ".join(problems),
        "Give each part its weight: the situation sets the stakes, the task says what was "
        "yours to do, the action is most of the story, the result says what changed.",
        points,
    )


def _measurable_rule(story: Story) -> Finding:
    found = measures(" ".join([story.result, *story.metrics]))
    if found:
        shown = ", ".join(f"{text} ({kind})" for kind, text in found[:4])
        return Finding(
            "measurable", True, f"the result is measured: {shown}", points=WEIGHTS["measurable"]
        )
    return Finding(
        "measurable",
        False,
        "no number, percentage, duration or money amount in the result or the metrics",
        "Say what changed by how much: latency from 900 ms to 120 ms, 3 incidents a month "
        "to none, two weeks saved per release. An estimate you can defend beats none.",
    )


def _first_person_rule(story: Story) -> Finding:
    i, we = pronouns(story.action)
    counts = f"I {i} times, we {we} times"
    if i >= MIN_I and i >= we:
        return Finding(
            "first-person",
            True,
            f"the action is told in the first person ({counts})",
            points=WEIGHTS["first-person"],
        )
    reason = (
        f"'we' dominates the action ({counts})"
        if we > i
        else f"the action rarely says what you did ({counts}; at least {MIN_I} wanted)"
    )
    return Finding(
        "first-person",
        False,
        reason,
        "The interviewer is hiring you, not the team: say what you did yourself (I proposed, "
        "I wrote, I convinced) and keep 'we' for what the team did together.",
        WEIGHTS["first-person"] / 2 if i else 0,
    )


def _length_rule(total: int) -> Finding:
    seconds = round(total / WORDS_PER_MINUTE * 60)
    told = (
        f"about {seconds // 60}:{seconds % 60:02d} spoken ({total} words at {WORDS_PER_MINUTE}/min)"
    )
    window = f"{MIN_SECONDS // 60}:{MIN_SECONDS % 60:02d}–{MAX_SECONDS // 60}:00"
    if MIN_SECONDS <= seconds <= MAX_SECONDS:
        return Finding("length", True, f"{told}, within {window}", points=WEIGHTS["length"])
    if seconds < MIN_SECONDS:
        return Finding(
            "length",
            False,
            f"{told}: shorter than {window}",
            "Add the detail an interviewer would ask for anyway: the options you weighed, "
            "who disagreed, what you did when it went wrong.",
        )
    return Finding(
        "length",
        False,
        f"{told}: longer than {window}",
        "Cut the situation to two sentences and keep the action to the three moves that "
        "mattered; the rest can wait for the follow-up questions.",
    )


def check_story(loaded: LoadedStory, *, known_questions: Iterable[str] = ()) -> StoryCheck:
    """Score one story against every rule; strong when the score reaches
    :data:`STRONG_SCORE` and every essential rule (parts, measurable, first person) passes."""
    story = loaded.story
    counts = {p: words(getattr(story, p)) for p in PARTS}
    total = sum(counts.values())
    n_follow = len(story.follow_ups)
    findings = [
        _parts_rule(story, counts),
        _measurable_rule(story),
        _first_person_rule(story),
        _length_rule(total),
        Finding(
            "follow-ups",
            True,
            f"{n_follow} follow-up questions prepared",
            points=WEIGHTS["follow-ups"],
        )
        if n_follow >= MIN_FOLLOW_UPS
        else Finding(
            "follow-ups",
            False,
            f"{n_follow} follow-up {'question' if n_follow == 1 else 'questions'} prepared, "
            f"{MIN_FOLLOW_UPS} wanted",
            "Prepare the questions a sceptical interviewer asks next (what would you do "
            "differently? what did it cost? who disagreed?) with a two-sentence answer each.",
            WEIGHTS["follow-ups"] * n_follow / MIN_FOLLOW_UPS,
        ),
        Finding(
            "competencies",
            True,
            "tagged: " + ", ".join(story.competencies),
            points=WEIGHTS["competencies"],
        )
        if story.competencies
        else Finding(
            "competencies",
            False,
            "no competencies tagged",
            "Tag what the story shows (e.g. conflict, ownership) so coverage can find it: "
            + ", ".join(COMPETENCIES),
        ),
    ]
    known = set(known_questions)
    unknown = [q for q in story.questions if known and q not in known]
    if unknown:
        findings.append(
            Finding(
                "questions",
                False,
                "not in the question bank: " + ", ".join(unknown),
                "See `staffpath stories questions` for the ids.",
            )
        )
    score = round(sum(f.points for f in findings))
    essential = all(f.passed for f in findings if f.rule in ESSENTIAL)
    strength: Literal["strong", "weak"] = (
        "strong" if essential and score >= STRONG_SCORE else "weak"
    )
    return StoryCheck(
        id=loaded.id,
        file=loaded.file,
        title=story.title,
        score=score,
        strength=strength,
        words={**counts, "total": total},
        seconds=round(total / WORDS_PER_MINUTE * 60),
        findings=tuple(findings),
    )


def check_stories(stories: Sequence[LoadedStory]) -> list[StoryCheck]:
    known = [q.id for q in question_bank()]
    return [check_story(s, known_questions=known) for s in stories]


# --------------------------------------------------------------------------------- coverage


@dataclass(frozen=True, slots=True)
class Answer:
    """The best story for a question: named by the story itself, or sharing a competency."""

    question: Question
    status: Literal["strong", "weak", "gap"]
    story: StoryCheck | None = None
    how: Literal["named", "competency", ""] = ""


def answers(
    question: Question, stories: Sequence[LoadedStory], checks: Sequence[StoryCheck]
) -> list[tuple[StoryCheck, str]]:
    """The stories that answer ``question``, best first: the ones that name it, then the ones
    tagged with its first (main) competency; within each, strong before weak, then by the
    number of competencies shared, then by score. A story that merely shares a secondary
    competency does not count: a conflict question wants a conflict story."""
    found = []
    primary = question.competencies[0]
    for loaded, chk in zip(stories, checks, strict=True):
        tags = set(loaded.story.competencies)
        shared = len(set(question.competencies) & tags)
        named = question.id in loaded.story.questions
        if named or primary in tags:
            rank = (not named, chk.strength != "strong", -shared, -chk.score)
            found.append((rank, chk.id, chk, "named" if named else "competency"))
    found.sort(key=lambda t: (t[0], t[1]))
    return [(chk, how) for _, _, chk, how in found]


def coverage(
    stories: Sequence[LoadedStory], checks: Sequence[StoryCheck]
) -> tuple[dict[str, dict[str, Any]], list[Answer]]:
    """Per competency: strong, weak or gap with the stories tagged; per question: the best
    story and whether it is strong (it passes the check) or weak, or a gap."""
    matrix: dict[str, dict[str, Any]] = {}
    for competency in COMPETENCIES:
        tagged = [
            c for s, c in zip(stories, checks, strict=True) if competency in s.story.competencies
        ]
        strong = sorted(c.id for c in tagged if c.strength == "strong")
        weak = sorted(c.id for c in tagged if c.strength == "weak")
        status = "strong" if strong else "weak" if weak else "gap"
        matrix[competency] = {"status": status, "strong": strong, "weak": weak}
    result = []
    for q in question_bank():
        best = answers(q, stories, checks)
        if not best:
            result.append(Answer(q, "gap"))
            continue
        chk, how = best[0]
        result.append(Answer(q, chk.strength, chk, how))  # type: ignore[arg-type]
    return matrix, result


def coverage_dict(matrix: dict[str, dict[str, Any]], answered: Sequence[Answer]) -> dict[str, Any]:
    """The coverage as ``staffpath stories coverage --json`` and the studio show it."""
    return {
        "competencies": matrix,
        "questions": [
            {
                "id": a.question.id,
                "text": a.question.text,
                "competencies": list(a.question.competencies),
                "status": a.status,
                "story": a.story.id if a.story else None,
                "title": a.story.title if a.story else None,
                "score": a.story.score if a.story else None,
                "match": a.how or None,
            }
            for a in answered
        ],
    }
