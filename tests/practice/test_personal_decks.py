"""Cards from the user's own material: one per question a story answers and per follow-up;
one per failed scenario and per estimate missed in a graded interview."""

from __future__ import annotations

from staffpath.design.load import load_text
from staffpath.practice.grading import grade
from staffpath.practice.personal_decks import (
    missed_cards,
    missed_deck,
    slug,
    story_cards,
    story_deck,
)
from staffpath.practice.problems import design_text, load_problem
from staffpath.practice.stories import LoadedStory, Story, load_stories
from tests.conftest import ROOT


def test_slug() -> None:
    assert slug("Queue Migration (2024)!") == "queue-migration-2024"
    assert slug("…") == "x"


def test_a_story_gives_a_card_per_question_and_follow_up() -> None:
    (loaded,) = load_stories(ROOT / "examples" / "stories" / "billing-migration.yaml")
    story = loaded.story
    cards = story_cards(loaded)
    assert len(cards) == len(story.questions) + len(story.follow_ups)
    first = cards[0]
    assert first.id == "story-billing-migration-q1"
    assert story.questions[0] in first.front and story.title in first.back
    assert story.metrics[0] in first.back  # the number the result turns on
    follow = cards[len(story.questions)]
    assert story.follow_ups[0].question in follow.front
    assert follow.back == story.follow_ups[0].answer


def test_a_story_without_questions_is_cued_by_its_competencies() -> None:
    bare = LoadedStory("bare", "bare.yaml", Story(title="Bare", competencies=["conflict"]))
    (card,) = story_cards(bare)
    assert "conflict" in card.front and "(no result written yet)" in card.back
    assert story_deck([]) is None


def test_two_stories_with_one_slug_keep_distinct_card_ids() -> None:
    one = LoadedStory("same", "a.yaml", Story(title="A", questions=["q?"]))
    two = LoadedStory("same", "b.yaml", Story(title="B", questions=["q?"]))
    deck = story_deck([one, two])
    assert deck is not None and len({c.id for c in deck.cards}) == 2


def test_a_naive_design_misses_scenarios_and_each_becomes_a_card() -> None:
    problem = load_problem("url-shortener")
    design = load_text(design_text("url-shortener", "naive"), name="naive.yaml").design
    report = grade(problem, design, estimates={"writes_per_s": 1.0}, seed=1)
    failed = [s for s in report.scenarios if not s.passed]
    wrong = [e for e in report.estimates if not e.ok]
    assert failed and wrong
    cards = missed_cards(problem, report)
    assert len(cards) == len(failed) + len(wrong)
    scenario_card = cards[0]
    assert scenario_card.id == f"missed-url-shortener-{slug(failed[0].name)}"
    assert failed[0].reasons[0] in scenario_card.back
    estimate_card = next(c for c in cards if "-estimate-" in c.id)
    est = next(e for e in wrong if slug(e.name) in estimate_card.id)
    assert f"{est.reference:,.4g}" in estimate_card.back and est.formula in estimate_card.back
    # the same interview twice: one card per checkpoint, not two
    deck = missed_deck([(problem, report), (problem, report)])
    assert deck is not None and len(deck.cards) == len(cards)


def test_a_reference_design_with_right_estimates_misses_nothing() -> None:
    problem = load_problem("url-shortener")
    design = load_text(design_text("url-shortener", "reference"), name="ref.yaml").design
    given = {e.name: e.value for e in problem.estimates}
    report = grade(problem, design, estimates=given, seed=1)
    assert report.passed
    assert missed_cards(problem, report) == [] and missed_deck([(problem, report)]) is None
