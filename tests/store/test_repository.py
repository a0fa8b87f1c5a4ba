"""Designs keep every saved version; nothing is rewritten, deleted designs come back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from staffpath.store import repository as repo
from staffpath.store.database import connect
from staffpath.store.models import now

FIG = repo.Figures(meets_goals=True, worst_p99_ms=12.5, cost_per_month=100.0)


@pytest.fixture
def db(database_url: str) -> Iterator[Session]:
    sessions = connect(database_url)
    with sessions.begin() as session:
        yield session
    sessions.kw["bind"].dispose()


def test_versions_number_up_and_skip_unchanged_text(db: Session) -> None:
    d = repo.create_design(session=db, name="a", yaml="one", figures=None)
    v2 = repo.save_version(session=db, design_id=d.id, yaml="two", name="b", figures=FIG)
    same = repo.save_version(session=db, design_id=d.id, yaml="two", name="b", figures=FIG)
    assert (v2.number, same.number) == (2, 2)
    assert [v.number for v in repo.list_versions(session=db, design_id=d.id)] == [2, 1]
    assert d.name == "b"
    latest = repo.latest_version(session=db, design_id=d.id)
    assert (latest.valid, latest.meets_goals, latest.worst_p99_ms) == (True, True, 12.5)
    first = repo.get_version(session=db, design_id=d.id, number=1)
    assert (first.valid, first.meets_goals) == (False, None)


def test_restore_adds_a_version_and_diff_shows_the_change(db: Session) -> None:
    d = repo.create_design(session=db, name="a", yaml="x: 1\ny: 2\n", figures=None)
    repo.save_version(session=db, design_id=d.id, yaml="x: 1\ny: 3\n", name=None, figures=None)
    back = repo.restore_version(session=db, design_id=d.id, number=1, figures=None)
    assert back.number == 3 and back.yaml == "x: 1\ny: 2\n" and back.note == "restored version 1"
    text = repo.diff(session=db, design_id=d.id, a=1, b=2)
    assert "-y: 2\n" in text and "+y: 3\n" in text and "--- version 1" in text


def test_delete_hides_undelete_brings_back(db: Session) -> None:
    a = repo.create_design(session=db, name="a", yaml="1", figures=None)
    b = repo.create_design(session=db, name="b", yaml="2", figures=None)
    repo.delete_design(session=db, design_id=a.id)
    assert [d.name for d, _ in repo.list_designs(session=db)] == ["b"]
    with pytest.raises(repo.NotFound):
        repo.get_design(session=db, design_id=a.id)
    repo.undelete_design(session=db, design_id=a.id)
    assert {d.name for d, _ in repo.list_designs(session=db)} == {"a", "b"}
    assert b.id != a.id


def test_duplicate_copies_the_latest_text_and_figures(db: Session) -> None:
    d = repo.create_design(session=db, name="a", yaml="1", figures=FIG)
    copy = repo.duplicate_design(session=db, design_id=d.id)
    v = repo.latest_version(session=db, design_id=copy.id)
    assert copy.name == "a (copy)" and v.yaml == "1" and v.number == 1
    assert v.cost_per_month == 100.0 and "copied from design" in (v.note or "")


def test_unknown_ids_are_not_found(db: Session) -> None:
    with pytest.raises(repo.NotFound):
        repo.latest_version(session=db, design_id=404)
    d = repo.create_design(session=db, name="a", yaml="1", figures=None)
    with pytest.raises(repo.NotFound):
        repo.get_version(session=db, design_id=d.id, number=9)
    with pytest.raises(repo.NotFound):
        repo.list_versions(session=db, design_id=404)


def test_purge_removes_designs_deleted_long_ago(db: Session) -> None:
    d = repo.create_design(session=db, name="a", yaml="1", figures=None)
    repo.delete_design(session=db, design_id=d.id)
    assert repo.purge_deleted(session=db, before=now() - timedelta(days=1)) == 0
    assert repo.purge_deleted(session=db, before=now() + timedelta(seconds=1)) == 1
    with pytest.raises(repo.NotFound):
        repo.get_design(session=db, design_id=d.id, deleted=True)


def test_library_lists_the_latest_version_most_recent_first(db: Session) -> None:
    a = repo.create_design(session=db, name="a", yaml="1", figures=None)
    repo.create_design(session=db, name="b", yaml="1", figures=None)
    repo.save_version(session=db, design_id=a.id, yaml="2", name=None, figures=FIG)
    rows = repo.list_designs(session=db)
    assert [(d.name, v.number) for d, v in rows] == [("a", 2), ("b", 1)]
