"""The practice API under ``/api``: the story bank (stored stories, their check, coverage,
rehearsal questions), flashcards (decks, the next card, ratings, stats, Anki export) and the
review coach (comment lint, katas).

Stories are stored as the text their file would hold (YAML or Markdown with front matter) and
checked on every write: a story that does not parse is refused with a 422 that says where,
and the page keeps the text. Flashcard ratings go through :mod:`staffpath.store.practice`, the
same path the terminal's ``staffpath cards review`` takes, so both share one schedule.
Stories belong to the user who wrote them (another user's is a 404) unless shared: a viewer
(or a mentor) reads it, an editor also saves it, and what the role does not allow is a 403;
the list and the export show shared stories (marked ``shared_by``). Coverage, decks and the
schedule are the signed-in user's own.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from fastapi.responses import JSONResponse
from fsrs import Rating
from pydantic import Field

from staffpath.errors import InputError
from staffpath.practice import cards as fc
from staffpath.practice import katas
from staffpath.practice.personal_decks import slug
from staffpath.practice.review import lint_text, parse, report_to_dict
from staffpath.practice.stories import (
    COMPETENCIES,
    LoadedStory,
    draw_question,
    parse_story,
    question_bank,
)
from staffpath.practice.story_check import check_stories, check_story, coverage, coverage_dict
from staffpath.report.anki import apkg
from staffpath.store import documents as docs
from staffpath.store import practice as store
from staffpath.store import shares
from staffpath.store.accounts import Actor
from staffpath.store.models import DocumentRow
from staffpath.store.repository import NotFound
from staffpath.store.shares import EDITOR, OWNER, VIEWER, Forbidden, Role
from staffpath.web.api import DB, Int64, _In, _when
from staffpath.web.policy import Me, signed_in

router = APIRouter(prefix="/api", dependencies=[Depends(signed_in)])
MAX_TEXT = 64 * 1024
Format = Literal["yaml", "markdown"]

STARTER = """\
title: A title a listener remembers
summary: One line on what happened and why it mattered.
competencies: [ownership]
situation: >-
  Where you were, what was at stake, and for whom.
task: >-
  What you were responsible for.
action: >-
  What I did, step by step, and why I chose it over the other options.
result: >-
  What changed, with numbers.
metrics: []
questions: []
follow_ups: []
"""


class StoryIn(_In):
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    format: Format = "yaml"


class RatingIn(_In):
    rating: Literal["again", "hard", "good", "easy"]


class LintIn(_In):
    text: Annotated[str, Field(max_length=MAX_TEXT)]


# --- stories ---------------------------------------------------------------------------------


def _parse(body: StoryIn) -> LoadedStory:
    """The story in ``body``, or a 422 naming every problem (the text is not stored)."""
    try:
        story = parse_story(body.text, name="story", markdown=body.format == "markdown")
    except InputError as exc:
        lines = [ln.removeprefix("story: ") for ln in str(exc).splitlines()]
        raise HTTPException(422, "; ".join(lines)) from None
    return LoadedStory(id="story", file="story", story=story)


def _known() -> list[str]:
    return [q.id for q in question_bank()]


def _story(row: DocumentRow, *, text: bool = True) -> dict[str, Any]:
    loaded = LoadedStory(
        id=f"story-{row.id}",
        file=f"story {row.id}",
        story=parse_story(row.text, name=row.name, markdown=row.format == "markdown"),
    )
    out: dict[str, Any] = {
        "id": row.id,
        "title": loaded.story.title,
        "summary": loaded.story.summary,
        "competencies": list(loaded.story.competencies),
        "format": row.format,
        "updated_at": _when(row.updated_at),
        "check": check_story(loaded, known_questions=_known()).to_dict(),
    }
    if text:
        out["text"] = row.text
    return out


def _get(db: Any, story_id: int, actor: Actor, need: Role = VIEWER) -> DocumentRow:
    try:
        return docs.get_document(
            session=db, kind=store.STORY, document_id=story_id, actor=actor, need=need
        )
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except Forbidden as exc:
        raise HTTPException(403, str(exc)) from None


@router.get("/stories")
def list_stories(db: DB, actor: Me) -> list[dict[str, Any]]:
    """The actor's stories and those shared with it (marked ``shared_by`` and ``role``)."""
    from staffpath.web.shares import mark

    got = shares.received(session=db, obj="document", actor=actor)
    out = []
    for row in docs.list_documents(session=db, kind=store.STORY, actor=actor):
        try:
            item = _story(row, text=False)
        except InputError:  # stored before a stricter model: listed, flagged, still editable
            item = {"id": row.id, "title": row.name, "format": row.format, "broken": True}
        out.append(mark(item, row.owner_id, got.get(row.id), actor))
    return out


@router.get("/stories/starter")
def starter() -> dict[str, Any]:
    """A blank story to start from, and the competencies a story may name."""
    return {"text": STARTER, "format": "yaml", "competencies": list(COMPETENCIES)}


@router.post("/stories/check")
def check_text(body: StoryIn) -> dict[str, Any]:
    """Check a story without storing it (the editor's live feedback)."""
    return check_story(_parse(body), known_questions=_known()).to_dict()


@router.post("/stories", status_code=201)
def create_story(body: StoryIn, db: DB, actor: Me) -> dict[str, Any]:
    loaded = _parse(body)
    row = docs.create_document(
        session=db,
        kind=store.STORY,
        name=loaded.story.title,
        format=body.format,
        text=body.text,
        actor=actor,
    )
    return _story(row)


@router.get("/stories/coverage")
def story_coverage(db: DB, actor: Me) -> dict[str, Any]:
    stories = store.stored_stories(session=db, actor=actor)
    checks = check_stories(stories)
    return coverage_dict(*coverage(stories, checks))


@router.get("/stories/question")
def rehearsal_question(seed: int | None = None, competency: str | None = None) -> dict[str, Any]:
    """A random question from the bank for a rehearsal (the same seed, the same question)."""
    q = draw_question(seed, competency)
    return {"id": q.id, "text": q.text, "competencies": list(q.competencies)}


@router.get("/stories/export", responses={200: {"content": {"application/zip": {}}}})
def export_stories(db: DB, actor: Me) -> Response:
    """Every story as its file, in a zip (``staffpath stories check`` reads the folder); a
    story shared with the actor goes under ``stories/shared-by-<owner>/``."""
    got = shares.received(session=db, obj="document", actor=actor)
    buffer = io.BytesIO()
    names: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for row in reversed(docs.list_documents(session=db, kind=store.STORY, actor=actor)):
            ext = "md" if row.format == "markdown" else "yaml"
            shared = got.get(row.id) if row.owner_id != actor.user_id else None
            folder = "stories" if shared is None else f"stories/shared-by-{shared.shared_by}"
            name, n = f"{folder}/{slug(row.name)}.{ext}", 2
            while name in names:
                name, n = f"{folder}/{slug(row.name)}-{n}.{ext}", n + 1
            names.add(name)
            z.writestr(name, row.text)
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="stories.zip"'},
    )


@router.get("/stories/{story_id}")
def get_story(story_id: Int64, db: DB, actor: Me) -> dict[str, Any]:
    row = _get(db, story_id, actor)
    try:
        return _story(row)
    except InputError as exc:
        return {
            "id": row.id,
            "title": row.name,
            "format": row.format,
            "text": row.text,
            "broken": True,
            "problem": str(exc),
        }


@router.put("/stories/{story_id}")
def save_story(story_id: Int64, body: StoryIn, db: DB, actor: Me) -> dict[str, Any]:
    _get(db, story_id, actor, EDITOR)
    loaded = _parse(body)
    row = docs.update_document(
        session=db,
        kind=store.STORY,
        document_id=story_id,
        name=loaded.story.title,
        format=body.format,
        text=body.text,
        actor=actor,
    )
    return _story(row)


@router.delete("/stories/{story_id}", status_code=204)
def delete_story(story_id: Int64, db: DB, actor: Me) -> Response:
    _get(db, story_id, actor, OWNER)
    docs.delete_document(session=db, kind=store.STORY, document_id=story_id, actor=actor)
    return Response(status_code=204)


@router.post("/stories/{story_id}/undelete")
def undelete_story(story_id: Int64, db: DB, actor: Me) -> dict[str, Any]:
    try:
        row = docs.undelete_document(
            session=db, kind=store.STORY, document_id=story_id, actor=actor
        )
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except Forbidden as exc:
        raise HTTPException(403, str(exc)) from None
    return _story(row)


# --- flashcards ------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _decks(db: Any, deck: str | None, actor: Actor) -> list[fc.Deck]:
    try:
        return store.all_decks(session=db, deck_id=deck, actor=actor)
    except InputError as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/cards/decks")
def card_decks(db: DB, actor: Me) -> list[dict[str, Any]]:
    now = _now()
    state = store.review_state(session=db, actor=actor)
    out = []
    for d in store.all_decks(session=db, actor=actor):
        ids = [c.id for c in d.cards]
        out.append(
            {
                "id": d.id,
                "title": d.title,
                "description": d.description,
                "cards": len(ids),
                "due": len(fc.due(state, ids, now)),
                "new": sum(1 for c in ids if c not in state.cards),
                "mine": d.id not in fc.deck_ids(),
            }
        )
    return out


def _deadline(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        raise HTTPException(422, f"deadline: not a date YYYY-MM-DD: {text!r}") from None


@router.get("/cards/queue")
def card_queue(
    db: DB,
    actor: Me,
    deck: str | None = None,
    mode: Literal["due", "deadline", "cram"] = "due",
    deadline: str | None = None,
    target: Annotated[float, Query(gt=0, lt=1)] = 0.9,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """The cards to review now, in order, with their backs (the page reveals them)."""
    now = _now()
    chosen = _decks(db, deck, actor)
    card_map = {c.id: (d.id, c) for d in chosen for c in d.cards}
    ids = list(card_map)
    state = store.review_state(session=db, actor=actor)
    if mode == "cram":
        queue = fc.cram(state, ids, now)
    elif mode == "deadline":
        day = _deadline(deadline)
        if day is None:
            raise HTTPException(422, "deadline: the deadline mode needs a date YYYY-MM-DD")
        try:
            queue = fc.for_deadline(state, ids, now, day, target)
        except InputError as exc:
            raise HTTPException(422, str(exc)) from None
    else:
        queue = fc.due(state, ids, now)
    cards = []
    for cid in queue[:limit]:
        deck_id, card = card_map[cid]
        cards.append(
            {
                "id": cid,
                "deck": deck_id,
                "front": card.front,
                "back": card.back,
                "source": card.source,
            }
        )
    return {"mode": mode, "total": len(queue), "cards": cards}


@router.post("/cards/{card_id}/review")
def review_card(card_id: str, body: RatingIn, db: DB, actor: Me) -> dict[str, Any]:
    """Rate a card: FSRS reschedules it and the rating joins the history."""
    known = {c.id for d in store.all_decks(session=db, actor=actor) for c in d.cards}
    if card_id not in known:
        raise HTTPException(404, f"no card {card_id!r}")
    state = store.review_state(session=db, actor=actor)
    new = store.review(
        session=db,
        state=state,
        card=card_id,
        rating=Rating[body.rating.title()],
        now=_now(),
        actor=actor,
    )
    card = new.cards[card_id]
    return {"card": card_id, "due": _when(card.due), "reviews": len(new.history)}


@router.get("/cards/stats")
def card_stats(db: DB, actor: Me, deck: str | None = None) -> dict[str, Any]:
    ids = [c.id for d in _decks(db, deck, actor) for c in d.cards]
    return fc.stats(store.review_state(session=db, actor=actor), ids, _now()).to_dict()


@router.get(
    "/cards/decks/{deck_id}/export",
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def export_deck(deck_id: str, db: DB, actor: Me) -> Response:
    (deck,) = _decks(db, deck_id, actor)
    return Response(
        apkg(deck),
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{deck.id}.apkg"'},
    )


# --- review coach ----------------------------------------------------------------------------


@router.post("/review/lint")
def lint_comments(body: LintIn) -> dict[str, Any]:
    return report_to_dict(lint_text(body.text))


@router.get("/katas")
def list_katas() -> list[dict[str, Any]]:
    out = []
    for kid in katas.kata_ids():
        k = katas.load_kata(kid)
        out.append(
            {
                "id": k.id,
                "title": k.title,
                "language": k.language,
                "summary": k.summary,
                "problems": len(k.problems),
            }
        )
    return out


def _kata(kata_id: str) -> katas.Kata:
    try:
        return katas.load_kata(kata_id)
    except InputError as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("/katas/{kata_id}")
def get_kata(kata_id: str) -> dict[str, Any]:
    """A kata to review: its diff with new-file line numbers. The seeded problems stay hidden
    until a review is checked."""
    k = _kata(kata_id)
    return {
        "id": k.id,
        "title": k.title,
        "language": k.language,
        "summary": k.summary,
        "problems": len(k.problems),
        "numbered": katas.numbered(k.diff),
    }


@router.post("/katas/{kata_id}/check")
def check_kata(kata_id: str, body: LintIn) -> JSONResponse:
    k = _kata(kata_id)
    return JSONResponse(katas.check(k, parse(body.text)).to_dict())
