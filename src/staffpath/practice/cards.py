"""Flashcards with spaced repetition: the decks, the FSRS schedule, deadline and cram modes.

Decks are data (``data/decks/<id>.yaml``), validated once when loaded. The review state is a
plain value: one FSRS card per flashcard id plus the history of ratings, serialisable to JSON.
Nothing here reads a clock or a file beyond the shipped decks; the caller passes ``now``.

Deadline mode answers "my interview is on the 14th: what should I review today so that on the
14th I still recall 90% of it?" by asking the scheduler for each card's retrievability *on that
date* and picking the cards below the target. Cram mode only orders cards; it never changes the
state, so a last-minute drill does not distort the long-term schedule.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from fsrs import Card, Rating, Scheduler, State
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from staffpath.errors import InputError

DECKS = Path(__file__).resolve().parent.parent / "data" / "decks"
RATINGS = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Downtime(_Strict):
    """Marks a card whose back states the downtime an availability allows, so tests recompute
    the number from the nines instead of trusting the text."""

    availability: Annotated[float, Field(gt=0, lt=100, allow_inf_nan=False)]
    per: Literal["day", "week", "month", "year"]


class Flashcard(_Strict):
    id: Slug
    front: Annotated[str, Field(min_length=1)]
    back: Annotated[str, Field(min_length=1)]
    tags: list[Slug] = Field(default_factory=list)
    source: str | None = None
    downtime: Downtime | None = None


class Deck(_Strict):
    id: Slug
    title: str
    description: str
    cards: Annotated[list[Flashcard], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_ids(self) -> Deck:
        seen: set[str] = set()
        for card in self.cards:
            if card.id in seen:
                raise ValueError(f"card id {card.id!r} appears twice")
            seen.add(card.id)
        return self


def deck_ids() -> list[str]:
    return sorted(p.stem for p in DECKS.glob("*.yaml"))


@cache
def load_deck(deck_id: str) -> Deck:
    path = DECKS / f"{deck_id}.yaml"
    if not path.exists():
        raise InputError(f"no deck {deck_id!r}; the decks are: {', '.join(deck_ids())}")
    try:
        deck = Deck.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as exc:
        raise InputError(f"{path.name}: {exc}") from None
    if deck.id != deck_id:
        raise InputError(f"{path.name}: deck id {deck.id!r} must match the file name")
    return deck


def load_decks(deck_id: str | None = None) -> list[Deck]:
    """Every deck, or just the one named; card ids are unique across all decks."""
    decks = [load_deck(deck_id)] if deck_id else [load_deck(d) for d in deck_ids()]
    return decks


def all_cards(decks: list[Deck]) -> dict[str, Flashcard]:
    cards: dict[str, Flashcard] = {}
    for deck in decks:
        for card in deck.cards:
            if card.id in cards:
                raise InputError(f"card id {card.id!r} appears in two decks")
            cards[card.id] = card
    return cards


def stable_number(text: str, bits: int = 62) -> int:
    """A number derived from text alone, so ids survive re-exports and restarts."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> (64 - bits)


def scheduler(target: float = 0.9) -> Scheduler:
    """FSRS with its default weights and no fuzzing: the same reviews give the same dates."""
    return Scheduler(desired_retention=target, enable_fuzzing=False)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    card: str
    rating: int
    at: datetime


@dataclass(frozen=True, slots=True)
class ReviewState:
    """The FSRS card of every flashcard reviewed so far, and every rating given."""

    cards: dict[str, Card] = field(default_factory=dict)
    history: tuple[HistoryEntry, ...] = ()

    def to_json(self) -> str:
        data = {
            "version": 1,
            "cards": {cid: card.to_dict() for cid, card in sorted(self.cards.items())},
            "history": [
                {"card": h.card, "rating": h.rating, "at": h.at.isoformat()} for h in self.history
            ],
        }
        return json.dumps(data, indent=2)

    @classmethod
    def from_json(cls, text: str) -> ReviewState:
        try:
            data: dict[str, Any] = json.loads(text)
            cards = {cid: Card.from_dict(d) for cid, d in data.get("cards", {}).items()}
            history = tuple(
                HistoryEntry(h["card"], int(h["rating"]), datetime.fromisoformat(h["at"]))
                for h in data.get("history", [])
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"the review state is not readable ({exc})") from None
        return cls(cards=cards, history=history)

    def card(self, card_id: str, now: datetime) -> Card:
        """The FSRS card, or a new one due now for a flashcard never reviewed."""
        existing = self.cards.get(card_id)
        if existing is not None:
            return existing
        return Card(card_id=stable_number(card_id, 52), due=now)


def _utc(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


def due(state: ReviewState, card_ids: list[str], now: datetime) -> list[str]:
    """Cards due at ``now``, the most overdue first; new cards (due now) keep deck order."""
    now = _utc(now)
    ready = [c for c in card_ids if state.card(c, now).due <= now]
    return sorted(ready, key=lambda c: state.card(c, now).due)


def review(
    state: ReviewState, card_id: str, rating: Rating, now: datetime, *, target: float = 0.9
) -> ReviewState:
    """A new state with the card rescheduled by FSRS and the rating added to the history."""
    now = _utc(now)
    card, _ = scheduler(target).review_card(state.card(card_id, now), rating, now)
    cards = {**state.cards, card_id: card}
    return ReviewState(cards=cards, history=(*state.history, HistoryEntry(card_id, rating, now)))


def retrievability(state: ReviewState, card_id: str, when: datetime) -> float:
    """The predicted chance of recalling the card at ``when``; 0 for a card never reviewed."""
    card = state.cards.get(card_id)
    return 0.0 if card is None else float(scheduler().get_card_retrievability(card, _utc(when)))


def for_deadline(
    state: ReviewState, card_ids: list[str], now: datetime, deadline: datetime, target: float
) -> list[str]:
    """The cards to review now so that their recall on ``deadline`` meets ``target``: those
    whose predicted retrievability on that date falls short, the weakest first."""
    now, deadline = _utc(now), _utc(deadline)
    if deadline <= now:
        raise InputError(f"the deadline {deadline.date()} is not in the future")
    if not 0 < target < 1:
        raise InputError(f"the target recall must be between 0 and 1, not {target}")
    weak = [(retrievability(state, c, deadline), c) for c in card_ids]
    return [c for r, c in sorted(weak) if r < target]


def cram(state: ReviewState, card_ids: list[str], now: datetime) -> list[str]:
    """Every card, the least likely to be recalled now first; the state is never touched."""
    now = _utc(now)
    return [c for _, c in sorted((retrievability(state, c, now), c) for c in card_ids)]


@dataclass(frozen=True, slots=True)
class Stats:
    cards: int
    reviewed: int
    new: int
    due_now: int
    reviews: int
    retention: float | None  # share of recalls after a gap of a day or more not rated Again
    mature: int  # cards in Review state

    def to_dict(self) -> dict[str, Any]:
        return {
            "cards": self.cards,
            "reviewed": self.reviewed,
            "new": self.new,
            "due_now": self.due_now,
            "reviews": self.reviews,
            "retention": self.retention,
            "mature": self.mature,
        }


def stats(state: ReviewState, card_ids: list[str], now: datetime) -> Stats:
    ids = set(card_ids)
    reviewed = [c for c in card_ids if c in state.cards]
    history = [h for h in state.history if h.card in ids]
    # Retention counts only recalls after a gap of a day or more: a learning step ten minutes
    # after first sight says little about memory.
    gaps: dict[str, datetime] = {}
    recalls: list[bool] = []
    for h in history:
        last = gaps.get(h.card)
        if last is not None and (h.at - last).days >= 1:
            recalls.append(h.rating != Rating.Again)
        gaps[h.card] = h.at
    return Stats(
        cards=len(card_ids),
        reviewed=len(reviewed),
        new=len(card_ids) - len(reviewed),
        due_now=len(due(state, card_ids, now)),
        reviews=len(history),
        retention=sum(recalls) / len(recalls) if recalls else None,
        mature=sum(1 for c in reviewed if state.cards[c].state == State.Review),
    )
