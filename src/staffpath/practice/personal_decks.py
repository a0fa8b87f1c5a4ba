"""Flashcards made from the user's own material: their STAR stories, and the checkpoints they
missed in graded mock interviews.

The shipped decks teach the field; these decks teach *you*: which story answers which
question, what you prepared for the follow-ups, the number your result turns on, and the
scenarios and estimates a graded interview caught you out on. Card ids are derived from the
material (a story's id, a problem and a scenario's name), so a card keeps its FSRS history when
the deck is rebuilt, and a story edited in place keeps its cards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from staffpath.practice.cards import Deck, Flashcard
from staffpath.practice.grading import Report
from staffpath.practice.problems import Problem
from staffpath.practice.stories import LoadedStory

STORY_DECK = "my-stories"
MISSED_DECK = "missed-checkpoints"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """``"Queue Migration (2024)"`` -> ``"queue-migration-2024"``; never empty."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")[:60] or "x"


def _result_line(loaded: LoadedStory) -> str:
    story = loaded.story
    if story.metrics:
        return "; ".join(story.metrics)
    return story.result.split(". ")[0].strip() or "(no result written yet)"


def story_cards(loaded: LoadedStory) -> list[Flashcard]:
    """For one story: a card per question it answers (cue: the question; answer: the story,
    its summary and the number), and a card per prepared follow-up."""
    story, base = loaded.story, f"story-{slug(loaded.id)}"
    gist = f"{story.title}" + (f": {story.summary}" if story.summary else "")
    cards: list[Flashcard] = []
    cues = story.questions or [
        f"Tell me about a time that shows {c.replace('-', ' ')}." for c in story.competencies
    ]
    if not cues:
        cues = [f"Which story do you tell as '{story.title}', and what was the result?"]
    for i, cue in enumerate(cues, 1):
        cards.append(
            Flashcard(
                id=f"{base}-q{i}",
                front=f"Your story for: {cue}",
                back=f"{gist}\nResult: {_result_line(loaded)}",
                tags=["story", *story.competencies],
            )
        )
    for i, follow in enumerate(story.follow_ups, 1):
        cards.append(
            Flashcard(
                id=f"{base}-f{i}",
                front=f"'{story.title}', follow-up: {follow.question}",
                back=follow.answer,
                tags=["story", "follow-up"],
            )
        )
    return cards


def story_deck(stories: Sequence[LoadedStory]) -> Deck | None:
    """One deck of every story's cards; ``None`` when there are no stories."""
    cards: list[Flashcard] = []
    seen: set[str] = set()
    for loaded in stories:
        for card in story_cards(loaded):
            if card.id in seen:  # two stories with the same slug: keep both, numbered
                card = card.model_copy(update={"id": f"{card.id}-{len(seen)}"})
            seen.add(card.id)
            cards.append(card)
    if not cards:
        return None
    return Deck(
        id=STORY_DECK,
        title="My stories",
        description="Which of your stories answers which question, and your follow-up answers.",
        cards=cards,
    )


def missed_cards(problem: Problem, report: Report) -> list[Flashcard]:
    """For one graded interview: a card per failed scenario (what the load did to the design
    and why) and one per estimate off by more than the tolerance (the number and its formula)."""
    cards: list[Flashcard] = []
    base = f"missed-{slug(problem.id)}"
    for result in report.scenarios:
        if result.passed:
            continue
        scenario = problem.scenario(result.name)
        reasons = "; ".join(result.reasons) or "it did not meet the scenario's criteria"
        cards.append(
            Flashcard(
                id=f"{base}-{slug(result.name)}",
                front=(
                    f"{problem.title}, {scenario.kind} scenario: {result.description} "
                    "What breaks in a design that ignores it, and what do you change?"
                ),
                back=f"Your design failed it: {reasons}.",
                tags=["missed", scenario.kind],
            )
        )
    for est in report.estimates:
        if est.ok:
            continue
        given = "nothing" if est.given is None else f"{est.given:g} {est.unit}"
        cards.append(
            Flashcard(
                id=f"{base}-estimate-{slug(est.name)}",
                front=f"{problem.title}: estimate {est.label}.",
                back=f"About {est.reference:,.4g} {est.unit} ({est.formula}). You said {given}.",
                tags=["missed", "estimate"],
            )
        )
    return cards


def missed_deck(graded: Iterable[tuple[Problem, Report]]) -> Deck | None:
    """One deck of what every graded interview missed; a checkpoint missed twice is one card
    (the latest interview's wording). ``None`` when nothing was missed."""
    cards: dict[str, Flashcard] = {}
    for problem, report in graded:
        for card in missed_cards(problem, report):
            cards[card.id] = card
    if not cards:
        return None
    return Deck(
        id=MISSED_DECK,
        title="Missed checkpoints",
        description="Scenarios and estimates your graded mock interviews caught you out on.",
        cards=list(cards.values()),
    )
