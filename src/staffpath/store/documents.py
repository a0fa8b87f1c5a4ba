"""Reading and writing documents (stories and other authored texts) and flashcard reviews.

Like :mod:`staffpath.store.repository`: functions take ``session`` by keyword and never commit,
and take the acting user as ``actor``: another user's document is :class:`NotFound`, unless
it is shared with the actor (:mod:`staffpath.store.shares`: a viewer reads, an editor also
saves; only the owner or an admin deletes), and what the role does not allow is
:class:`~staffpath.store.shares.Forbidden`. Card
states and reviews are per user (``user_id`` NULL is the local single user), admin or not.
The store keeps text and rows; the models that validate them live in ``practice`` and
``career`` and are applied by the caller before a write.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from staffpath.store import shares
from staffpath.store.accounts import LOCAL, Actor, mine
from staffpath.store.models import CardReviewRow, CardStateRow, DocumentRow, now
from staffpath.store.repository import NotFound
from staffpath.store.shares import EDITOR, OWNER, VIEWER, Role


def create_document(
    *, session: Session, kind: str, name: str, format: str, text: str, actor: Actor = LOCAL
) -> DocumentRow:
    stamp = now()
    row = DocumentRow(
        owner_id=actor.user_id,
        kind=kind,
        name=name[:200] or "untitled",
        format=format,
        text=text,
        created_at=stamp,
        updated_at=stamp,
    )
    session.add(row)
    session.flush()
    return row


def get_document(
    *,
    session: Session,
    kind: str,
    document_id: int,
    deleted: bool = False,
    actor: Actor = LOCAL,
    need: Role = VIEWER,
) -> DocumentRow:
    row = session.get(DocumentRow, document_id) if shares.fits(document_id) else None
    if row is None or row.kind != kind or (row.deleted_at is not None and not deleted):
        raise NotFound(f"no {kind} {document_id}")
    role = shares.role_of(
        session=session, obj="document", object_id=document_id, owner_id=row.owner_id, actor=actor
    )
    shares.require(role, need, f"{kind} {document_id}")
    return row


def list_documents(
    *, session: Session, kind: str, actor: Actor = LOCAL, own: bool = False
) -> list[DocumentRow]:
    """Live documents of one kind the actor may see, those shared with it included (``own``:
    only the actor's, an admin's included), most recently changed first."""
    who = (
        mine(DocumentRow.owner_id, actor)
        if own
        else shares.readable("document", DocumentRow.id, DocumentRow.owner_id, actor)
    )
    return list(
        session.scalars(
            select(DocumentRow)
            .where(DocumentRow.kind == kind, DocumentRow.deleted_at.is_(None), who)
            .order_by(DocumentRow.updated_at.desc(), DocumentRow.id.desc())
        )
    )


def update_document(
    *,
    session: Session,
    kind: str,
    document_id: int,
    name: str,
    format: str,
    text: str,
    actor: Actor = LOCAL,
) -> DocumentRow:
    row = get_document(
        session=session, kind=kind, document_id=document_id, actor=actor, need=EDITOR
    )
    if (row.name, row.format, row.text) != (name[:200], format, text):
        row.name, row.format, row.text = name[:200] or "untitled", format, text
        row.updated_at = now()
        session.flush()
    return row


def delete_document(*, session: Session, kind: str, document_id: int, actor: Actor = LOCAL) -> None:
    """Soft delete, undone by :func:`undelete_document`; the owner's (or an admin's) act."""
    get_document(
        session=session, kind=kind, document_id=document_id, actor=actor, need=OWNER
    ).deleted_at = now()


def undelete_document(
    *, session: Session, kind: str, document_id: int, actor: Actor = LOCAL
) -> DocumentRow:
    row = get_document(
        session=session, kind=kind, document_id=document_id, deleted=True, actor=actor, need=OWNER
    )
    row.deleted_at = None
    return row


# --- flashcards -------------------------------------------------------------------------------


def card_states(*, session: Session, actor: Actor = LOCAL) -> list[CardStateRow]:
    """The actor's own schedule (an admin's too: schedules are never shared)."""
    return list(
        session.scalars(
            select(CardStateRow)
            .where(mine(CardStateRow.user_id, actor))
            .order_by(CardStateRow.card)
        )
    )


def card_reviews(*, session: Session, actor: Actor = LOCAL) -> list[CardReviewRow]:
    return list(
        session.scalars(
            select(CardReviewRow)
            .where(mine(CardReviewRow.user_id, actor))
            .order_by(CardReviewRow.reviewed_at, CardReviewRow.id)
        )
    )


def record_review(
    *,
    session: Session,
    card: str,
    rating: int,
    at: datetime,
    state: str,
    due: datetime,
    actor: Actor = LOCAL,
) -> CardReviewRow:
    """The card's new FSRS state and one more line of history, in the caller's transaction."""
    row = session.scalar(
        select(CardStateRow).where(CardStateRow.card == card, mine(CardStateRow.user_id, actor))
    )
    if row is None:
        session.add(CardStateRow(card=card, state=state, due=due, user_id=actor.user_id))
    else:
        row.state, row.due = state, due
    review = CardReviewRow(card=card, rating=rating, reviewed_at=at, user_id=actor.user_id)
    session.add(review)
    session.flush()
    return review
