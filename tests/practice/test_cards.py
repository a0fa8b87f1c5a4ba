"""Flashcards: the decks as data, FSRS scheduling, deadline and cram modes, on fixed clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from staffpath.errors import InputError
from staffpath.practice import cards as fc

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
MINUTES = {"day": 1440, "week": 7 * 1440, "month": 30 * 1440, "year": 365 * 1440}


def test_decks_load_with_unique_ids_and_at_least_150_cards() -> None:
    decks = fc.load_decks()
    assert {d.id for d in decks} >= {
        "latency",
        "availability",
        "consistency",
        "caching",
        "partitioning-replication",
        "queues-streams",
        "cap-pacelc",
        "estimation",
    }
    cards = fc.all_cards(decks)  # raises on an id shared by two decks
    assert len(cards) >= 150
    assert all(card.front.strip() and card.back.strip() for card in cards.values())


def test_downtime_cards_state_the_downtime_the_nines_allow() -> None:
    checked = 0
    for card in fc.all_cards(fc.load_decks()).values():
        if card.downtime is None:
            continue
        minutes = MINUTES[card.downtime.per] * (1 - card.downtime.availability / 100)
        assert f"{round(minutes, 2):g} minutes" in card.back, (card.id, minutes)
        checked += 1
    assert checked >= 12
    # The rule-of-thumb card agrees with the arithmetic too: three nines ≈ 8.8 hours a year.
    assert round(MINUTES["year"] * 0.001 / 60, 1) == 8.8


def test_an_unknown_deck_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no deck 'nope'"):
        fc.load_deck("nope")


def test_a_deck_with_a_repeated_card_id_is_refused() -> None:
    card = {"id": "a", "front": "f", "back": "b"}
    with pytest.raises(ValueError, match="appears twice"):
        fc.Deck.model_validate({"id": "d", "title": "t", "description": "", "cards": [card, card]})


def test_good_moves_the_due_date_forward_and_again_brings_it_back() -> None:
    state = fc.ReviewState()
    assert fc.due(state, ["c"], NOW) == ["c"]  # a new card is due now
    for day in range(3):  # graduate the card with a few good reviews on successive days
        state = fc.review(state, "c", Rating.Good, NOW + timedelta(days=day))
    good_due = state.cards["c"].due
    when = NOW + timedelta(days=3)
    assert good_due > when + timedelta(days=1)
    after_good = fc.review(state, "c", Rating.Good, good_due)
    assert after_good.cards["c"].due - good_due > good_due - (NOW + timedelta(days=2))
    after_again = fc.review(state, "c", Rating.Again, good_due)
    assert after_again.cards["c"].due < after_good.cards["c"].due
    assert after_again.cards["c"].due - good_due <= timedelta(minutes=10)
    assert [h.rating for h in after_again.history][-1] == Rating.Again


def test_state_round_trips_through_json() -> None:
    state = fc.review(fc.ReviewState(), "c", Rating.Hard, NOW)
    again = fc.ReviewState.from_json(state.to_json())
    assert again.to_json() == state.to_json()
    with pytest.raises(InputError):
        fc.ReviewState.from_json("{not json")


def test_deadline_mode_meets_the_target_on_the_date() -> None:
    ids = [f"c{i}" for i in range(12)]
    deadline = NOW + timedelta(days=30)
    state = fc.ReviewState()
    reviews_per_day = []
    for day in range(30):
        today = NOW + timedelta(days=day)
        picked = fc.for_deadline(state, ids, today, deadline, 0.9)
        reviews_per_day.append(len(picked))
        for cid in picked:
            state = fc.review(state, cid, Rating.Good, today)
    assert all(fc.retrievability(state, c, deadline) >= 0.9 for c in ids)
    assert fc.for_deadline(state, ids, deadline - timedelta(hours=1), deadline, 0.9) == []
    # It spends reviews where needed, not every card every day.
    assert sum(reviews_per_day) < len(ids) * 30 / 2
    assert reviews_per_day[0] == len(ids)


def test_deadline_mode_picks_the_weakest_cards_first() -> None:
    state = fc.review(fc.ReviewState(), "strong", Rating.Easy, NOW)
    state = fc.review(state, "weak", Rating.Hard, NOW)
    picked = fc.for_deadline(state, ["strong", "weak", "new"], NOW, NOW + timedelta(days=20), 0.95)
    assert picked == ["new", "weak", "strong"]


def test_deadline_must_be_in_the_future_and_the_target_a_probability() -> None:
    with pytest.raises(InputError, match="not in the future"):
        fc.for_deadline(fc.ReviewState(), ["c"], NOW, NOW - timedelta(days=1), 0.9)
    with pytest.raises(InputError, match="between 0 and 1"):
        fc.for_deadline(fc.ReviewState(), ["c"], NOW, NOW + timedelta(days=1), 90)


def test_cram_mode_orders_every_card_and_leaves_the_state_unchanged() -> None:
    state = fc.review(fc.ReviewState(), "known", Rating.Easy, NOW)
    before = state.to_json()
    order = fc.cram(state, ["known", "new"], NOW + timedelta(days=1))
    assert order == ["new", "known"]
    assert state.to_json() == before


def test_stats_count_due_reviewed_and_retention() -> None:
    ids = ["a", "b", "c"]
    state = fc.review(fc.ReviewState(), "a", Rating.Good, NOW)
    state = fc.review(state, "a", Rating.Good, NOW + timedelta(days=2))
    state = fc.review(state, "b", Rating.Good, NOW)
    state = fc.review(state, "b", Rating.Again, NOW + timedelta(days=2))
    s = fc.stats(state, ids, NOW + timedelta(days=2))
    assert (s.cards, s.reviewed, s.new, s.reviews) == (3, 2, 1, 4)
    assert s.retention == 0.5  # one recall after a gap kept, one forgotten
    assert s.due_now >= 1  # at least the new card


def test_stable_numbers_depend_only_on_the_text() -> None:
    assert fc.stable_number("latency") == fc.stable_number("latency")
    assert fc.stable_number("latency") != fc.stable_number("caching")
    assert 0 <= fc.stable_number("x", 31) < 2**31
