"""The practice view of the database: stories as a bank, the FSRS schedule round-trips, the
user's own decks appear when there is material for them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating
from sqlalchemy.orm import Session

from staffpath.errors import InputError
from staffpath.practice import cards as fc
from staffpath.store import documents as docs
from staffpath.store import practice as store
from staffpath.store.database import connect
from tests.conftest import ROOT

NOW = datetime(2026, 1, 5, 9, tzinfo=UTC)
STORY = (ROOT / "examples" / "stories" / "billing-migration.yaml").read_text()


@pytest.fixture
def db(database_url: str) -> Iterator[Session]:
    sessions = connect(database_url)
    with sessions.begin() as session:
        yield session
    sessions.kw["bind"].dispose()


def test_stored_stories_load_and_feed_the_story_deck(db: Session) -> None:
    assert store.user_decks(session=db) == []
    row = docs.create_document(
        session=db, kind=store.STORY, name="Billing", format="yaml", text=STORY
    )
    (loaded,) = store.stored_stories(session=db)
    assert loaded.id == f"story-{row.id}" and loaded.story.title.startswith("Moving billing")
    (deck,) = store.user_decks(session=db)
    assert deck.id == "my-stories"
    assert store.all_decks(session=db, deck_id="my-stories") == [deck]
    assert len(store.all_decks(session=db)) == len(fc.deck_ids()) + 1
    with pytest.raises(InputError, match="my-stories"):  # the message lists the user's decks
        store.all_decks(session=db, deck_id="nope")


def test_the_schedule_survives_the_database(db: Session) -> None:
    """The FSRS state read back from the rows gives the same schedule as the state in memory."""
    memory = fc.ReviewState()
    stored = store.review_state(session=db)
    for i, rating in enumerate([Rating.Good, Rating.Again, Rating.Good, Rating.Easy]):
        at = NOW + timedelta(days=i)
        memory = fc.review(memory, "lat-l1-cache", rating, at)
        stored = store.review(session=db, state=stored, card="lat-l1-cache", rating=rating, now=at)
    again = store.review_state(session=db)
    assert again.cards["lat-l1-cache"].due == memory.cards["lat-l1-cache"].due
    assert again.cards["lat-l1-cache"].stability == memory.cards["lat-l1-cache"].stability
    assert [h.rating for h in again.history] == [3, 1, 3, 4]
    later = NOW + timedelta(days=30)
    assert fc.stats(again, ["lat-l1-cache"], later) == fc.stats(memory, ["lat-l1-cache"], later)


def test_an_old_state_file_is_imported_once(db: Session) -> None:
    old = fc.review(fc.ReviewState(), "lat-l1-cache", Rating.Good, NOW)
    assert store.import_state(session=db, state=old) == 1
    assert store.import_state(session=db, state=old) == 0
    assert store.review_state(session=db).cards["lat-l1-cache"].due == old.cards["lat-l1-cache"].due
