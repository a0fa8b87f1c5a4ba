"""The practice tools' view of the studio database: the stored stories as a story bank, the
flashcard schedule as a :class:`ReviewState`, and the decks made from the user's own material.

The terminal (``staffpath cards review``) and the studio's pages both go through here, so a
card reviewed in one is scheduled in the other. Everything here is the acting user's own
(``actor``; the terminal is the local user): own stories, own interviews, own schedule, even
for an admin, who sees other users' rows elsewhere but never studies their cards.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fsrs import Card, Rating
from sqlalchemy.orm import Session

from staffpath.errors import InputError
from staffpath.practice import cards as fc
from staffpath.practice.grading import Report
from staffpath.practice.interview import Session as Interview
from staffpath.practice.personal_decks import missed_deck, story_deck
from staffpath.practice.problems import Problem, load_problem
from staffpath.practice.stories import LoadedStory, parse_story
from staffpath.store import documents as docs
from staffpath.store import repository as repo
from staffpath.store.accounts import LOCAL, Actor
from staffpath.store.models import CardReviewRow, CardStateRow

STORY = "story"
FORMATS = {"yaml": False, "markdown": True}


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def stored_stories(*, session: Session, actor: Actor = LOCAL) -> list[LoadedStory]:
    """Every live story, oldest first (ids ``story-<n>``). A stored text always parsed when it
    was written; one that no longer does (a newer, stricter model) is skipped, not fatal."""
    out = []
    for row in reversed(docs.list_documents(session=session, kind=STORY, actor=actor, own=True)):
        try:
            story = parse_story(row.text, name=row.name, markdown=FORMATS[row.format])
        except InputError:
            continue
        out.append(LoadedStory(id=f"story-{row.id}", file=f"story {row.id}", story=story))
    return out


def graded_interviews(*, session: Session, actor: Actor = LOCAL) -> list[tuple[Problem, Report]]:
    """The actor's finished interviews whose design was graded, oldest first."""
    out = []
    for row in reversed(repo.list_interviews(session=session, actor=actor)):
        if row.finished_at is None or row.owner_id != actor.user_id:
            continue
        grading = Interview.model_validate_json(row.state).grading
        if grading:
            out.append((load_problem(row.problem), Report.model_validate(grading)))
    return out


def user_decks(*, session: Session, actor: Actor = LOCAL) -> list[fc.Deck]:
    """The decks made from the user's stories and missed checkpoints (those that have cards)."""
    made = [
        story_deck(stored_stories(session=session, actor=actor)),
        missed_deck(graded_interviews(session=session, actor=actor)),
    ]
    return [d for d in made if d is not None]


def all_decks(
    *, session: Session, deck_id: str | None = None, actor: Actor = LOCAL
) -> list[fc.Deck]:
    """The shipped decks and the user's own, or the one named."""
    mine = user_decks(session=session, actor=actor)
    if deck_id is None:
        return [*fc.load_decks(), *mine]
    for deck in mine:
        if deck.id == deck_id:
            return [deck]
    if deck_id in fc.deck_ids():
        return fc.load_decks(deck_id)
    known = [*fc.deck_ids(), *(d.id for d in mine)]
    raise InputError(f"no deck {deck_id!r}; the decks are: {', '.join(known)}")


def review_state(*, session: Session, actor: Actor = LOCAL) -> fc.ReviewState:
    cards = {
        r.card: Card.from_dict(json.loads(r.state))
        for r in docs.card_states(session=session, actor=actor)
    }
    history = tuple(
        fc.HistoryEntry(r.card, r.rating, _utc(r.reviewed_at))
        for r in docs.card_reviews(session=session, actor=actor)
    )
    return fc.ReviewState(cards=cards, history=history)


def review(
    *,
    session: Session,
    state: fc.ReviewState,
    card: str,
    rating: Rating,
    now: datetime,
    target: float = 0.9,
    actor: Actor = LOCAL,
) -> fc.ReviewState:
    """Rate one card: the new schedule is computed, stored with the rating, and returned."""
    new = fc.review(state, card, rating, now, target=target)
    fsrs_card = new.cards[card]
    docs.record_review(
        session=session,
        card=card,
        rating=int(rating),
        at=new.history[-1].at,
        state=json.dumps(fsrs_card.to_dict()),
        due=fsrs_card.due,
        actor=actor,
    )
    return new


def import_state(*, session: Session, state: fc.ReviewState, actor: Actor = LOCAL) -> int:
    """Store a review state written by an older staffpath (``cards.json``) when the database
    has none yet for the actor; returns the number of ratings imported."""
    if docs.card_states(session=session, actor=actor):
        return 0
    uid = actor.user_id
    for entry in state.history:
        session.add(
            CardReviewRow(card=entry.card, rating=entry.rating, reviewed_at=entry.at, user_id=uid)
        )
    for card_id, card in state.cards.items():
        session.add(
            CardStateRow(card=card_id, state=json.dumps(card.to_dict()), due=card.due, user_id=uid)
        )
    session.flush()
    return len(state.history)
