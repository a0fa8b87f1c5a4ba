"""Reading and writing documents (stories and other authored texts) and flashcard reviews.

Like :mod:`staffpath.store.repository`: functions take ``session`` by keyword and never commit.
The store keeps text and rows; the models that validate them live in ``practice`` and
``career`` and are applied by the caller before a write.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from staffpath.store.models import CardReviewRow, CardStateRow, DocumentRow, now
from staffpath.store.repository import NotFound


def create_document(
    *, session: Session, kind: str, name: str, format: str, text: str
) -> DocumentRow:
    stamp = now()
    row = DocumentRow(
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
    *, session: Session, kind: str, document_id: int, deleted: bool = False
) -> DocumentRow:
    row = session.get(DocumentRow, document_id)
    if row is None or row.kind != kind or (row.deleted_at is not None and not deleted):
        raise NotFound(f"no {kind} {document_id}")
    return row


def list_documents(*, session: Session, kind: str) -> list[DocumentRow]:
    """Live documents of one kind, most recently changed first."""
    return list(
        session.scalars(
            select(DocumentRow)
            .where(DocumentRow.kind == kind, DocumentRow.deleted_at.is_(None))
            .order_by(DocumentRow.updated_at.desc(), DocumentRow.id.desc())
        )
    )


def update_document(
    *, session: Session, kind: str, document_id: int, name: str, format: str, text: str
) -> DocumentRow:
    row = get_document(session=session, kind=kind, document_id=document_id)
    if (row.name, row.format, row.text) != (name[:200], format, text):
        row.name, row.format, row.text = name[:200] or "untitled", format, text
        row.updated_at = now()
        session.flush()
    return row


def delete_document(*, session: Session, kind: str, document_id: int) -> None:
    """Soft delete, undone by :func:`undelete_document`."""
    get_document(session=session, kind=kind, document_id=document_id).deleted_at = now()


def undelete_document(*, session: Session, kind: str, document_id: int) -> DocumentRow:
    row = get_document(session=session, kind=kind, document_id=document_id, deleted=True)
    row.deleted_at = None
    return row


# --- flashcards -------------------------------------------------------------------------------


def card_states(*, session: Session) -> list[CardStateRow]:
    return list(session.scalars(select(CardStateRow).order_by(CardStateRow.card)))


def card_reviews(*, session: Session) -> list[CardReviewRow]:
    return list(
        session.scalars(select(CardReviewRow).order_by(CardReviewRow.reviewed_at, CardReviewRow.id))
    )


def record_review(
    *, session: Session, card: str, rating: int, at: datetime, state: str, due: datetime
) -> CardReviewRow:
    """The card's new FSRS state and one more line of history, in the caller's transaction."""
    row = session.get(CardStateRow, card)
    if row is None:
        session.add(CardStateRow(card=card, state=state, due=due))
    else:
        row.state, row.due = state, due
    review = CardReviewRow(card=card, rating=rating, reviewed_at=at)
    session.add(review)
    session.flush()
    return review
