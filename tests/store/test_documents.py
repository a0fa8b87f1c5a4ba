"""Documents keep their text as written, per kind; card reviews build up a history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from staffpath.store import documents as docs
from staffpath.store.database import connect
from staffpath.store.repository import NotFound


@pytest.fixture
def db(database_url: str) -> Iterator[Session]:
    sessions = connect(database_url)
    with sessions.begin() as session:
        yield session
    sessions.kw["bind"].dispose()


def test_documents_are_kept_per_kind_and_newest_first(db: Session) -> None:
    text = "# a comment\ntitle: One\n"
    a = docs.create_document(session=db, kind="story", name="One", format="yaml", text=text)
    b = docs.create_document(session=db, kind="story", name="Two", format="markdown", text="x")
    docs.create_document(session=db, kind="evidence", name="log", format="yaml", text="[]")
    docs.update_document(
        session=db, kind="story", document_id=a.id, name="One", format="yaml", text=text + "x: 1\n"
    )
    listed = docs.list_documents(session=db, kind="story")
    assert [r.id for r in listed] == [a.id, b.id]  # a was changed last
    assert docs.get_document(session=db, kind="story", document_id=a.id).text.startswith("# a")
    with pytest.raises(NotFound):  # the id exists, but as another kind
        docs.get_document(session=db, kind="evidence", document_id=a.id)


def test_an_unchanged_save_keeps_the_time_and_delete_can_be_undone(db: Session) -> None:
    a = docs.create_document(session=db, kind="story", name="One", format="yaml", text="t")
    stamp = a.updated_at
    docs.update_document(
        session=db, kind="story", document_id=a.id, name="One", format="yaml", text="t"
    )
    assert a.updated_at == stamp
    docs.delete_document(session=db, kind="story", document_id=a.id)
    assert docs.list_documents(session=db, kind="story") == []
    with pytest.raises(NotFound):
        docs.get_document(session=db, kind="story", document_id=a.id)
    docs.undelete_document(session=db, kind="story", document_id=a.id)
    assert [r.id for r in docs.list_documents(session=db, kind="story")] == [a.id]


def test_a_review_updates_the_state_and_adds_to_the_history(db: Session) -> None:
    t0 = datetime(2026, 1, 1, 9, tzinfo=UTC)
    docs.record_review(session=db, card="c1", rating=3, at=t0, state="{}", due=t0)
    docs.record_review(
        session=db, card="c1", rating=1, at=t0 + timedelta(days=1), state='{"n": 2}', due=t0
    )
    (state,) = docs.card_states(session=db)
    assert (state.card, state.state) == ("c1", '{"n": 2}')
    assert [(r.card, r.rating) for r in docs.card_reviews(session=db)] == [("c1", 3), ("c1", 1)]
