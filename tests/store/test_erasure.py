"""Deleting an account for good, and exporting it (goal PR-2).

The deletion test does not trust :mod:`staffpath.store.erasure`'s own list of tables: it
walks ``Base.metadata`` (every table, and every foreign key, to the users table directly or
through rows that point at a user's rows), works out which rows name the deleted user, and
checks that exactly those went and that every other row is unchanged, cell by cell. A table
added later with a user reference fails here until it is seeded and erased.

Columns that hold a user's id or name without a foreign key would escape that walk. There is
none in ``store/models.py`` (``card_states.card`` and ``card_reviews.card`` hold card ids,
``interviews.key`` a secret, ``interviews.state`` and ``documents.text`` the user's own
text); to catch one added later, every remaining cell is also searched for the deleted
user's (distinctive) id, name and text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Integer, String, Text, select, text
from sqlalchemy.orm import Session, sessionmaker

from staffpath.store import accounts, erasure, shares
from staffpath.store import documents as docs
from staffpath.store import repository as repo
from staffpath.store.accounts import LOCAL, Actor
from staffpath.store.database import make_engine, migrate
from staffpath.store.models import Base, UserRow

DOOMED_ID = 987_654  # distinctive: no other id or number in the seeded rows comes near it
DOOMED = "zelda-doomed"
KEEPER = "kit-keeper"
WHEN = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

NON_FK_USER_COLUMNS: dict[str, str] = {}
"""``table.column`` → what it holds, for a column that stores a user's id or name without a
foreign key. None in models.py today (see the module doc)."""

Pk = tuple[Any, ...]
Snapshot = dict[str, dict[Pk, dict[str, Any]]]


@pytest.fixture
def factory(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    migrate(engine)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


@dataclass(frozen=True)
class World:
    doomed: Actor
    keeper: Actor


def _secret(who: str) -> str:
    return f"canary-{who}-text-7f3a9c"


def _objects(db: Session, me: Actor, who: str) -> dict[str, int]:
    """One of every kind of object for ``me``; returns their ids."""
    secret = _secret(who)
    design = repo.create_design(
        session=db, name=f"{secret} design", yaml=f"name: {secret}\n", figures=None, actor=me
    )
    repo.save_version(
        session=db,
        design_id=design.id,
        yaml=f"name: {secret} v2\n",
        name=None,
        figures=None,
        actor=me,
    )
    gone = repo.create_design(
        session=db, name="binned", yaml=f"# {secret}\n", figures=None, actor=me
    )
    repo.delete_design(session=db, design_id=gone.id, actor=me)
    story = docs.create_document(
        session=db,
        kind="story",
        name=f"{secret} story",
        format="yaml",
        text=f"title: {secret}\n",
        actor=me,
    )
    resume = docs.create_document(
        session=db,
        kind="resume",
        name="resume",
        format="json",
        text=json.dumps({"basics": {"summary": secret}}),
        actor=me,
    )
    old = docs.create_document(
        session=db, kind="evidence", name="old log", format="yaml", text=f"- {secret}\n", actor=me
    )
    docs.delete_document(session=db, kind="evidence", document_id=old.id, actor=me)
    interview = repo.create_interview(
        session=db,
        problem="url-shortener",
        key=f"key-{who}",
        state=json.dumps({"notes": secret}),
        actor=me,
    )
    for rating, card in ((3, "lat-l1-cache"), (1, f"story-{story.id}-result")):
        docs.record_review(
            session=db,
            card=card,
            rating=rating,
            at=WHEN,
            state=json.dumps({"card": card}),
            due=WHEN + timedelta(days=1),
            actor=me,
        )
    if me.user_id is not None:
        user = db.get(UserRow, me.user_id)
        assert user is not None
        accounts.open_session(session=db, user=user, now=WHEN)
        accounts.open_session(session=db, user=user, now=WHEN + timedelta(hours=1))
    return {"design": design.id, "story": story.id, "resume": resume.id, "interview": interview.id}


def _seed(factory: sessionmaker[Session]) -> World:
    """Two accounts with one of every kind of object each, every link between them both
    ways (shares to the user, to mentors, mentorships, interview peers), an admin who stays,
    and the local user's rows (no owner)."""
    with factory.begin() as db:
        keeper_row = accounts.add_user(
            session=db, username=KEEPER, password_hash="h", is_admin=False, now=WHEN
        )
        accounts.add_user(session=db, username="root", password_hash="h", is_admin=True, now=WHEN)
        db.add(
            UserRow(
                id=DOOMED_ID,
                username=DOOMED,
                password_hash="h",
                created_at=WHEN,
                password_changed_at=WHEN,
            )
        )
        db.flush()
        doomed = Actor(user_id=DOOMED_ID, username=DOOMED)
        keeper = Actor(user_id=keeper_row.id, username=KEEPER)
        _objects(db, LOCAL, "local")
        mine = {who: _objects(db, a, who) for who, a in (("doomed", doomed), ("keeper", keeper))}
        for giver, to, other in (("doomed", KEEPER, doomed), ("keeper", DOOMED, keeper)):
            ids = mine[giver]
            links: list[tuple[shares.Obj, int, shares.Role]] = [
                ("design", ids["design"], "viewer"),
                ("document", ids["story"], "editor"),
                ("document", ids["resume"], "viewer"),
            ]
            for obj, oid, role in links:
                shares.share(
                    session=db, obj=obj, object_id=oid, username=to, role=role, actor=other
                )
            shares.share(  # with the giver's mentors
                session=db,
                obj="design",
                object_id=ids["design"],
                username=None,
                role="viewer",
                actor=other,
            )
            shares.add_peer(session=db, interview_id=ids["interview"], username=to, actor=other)
        accepted = shares.invite_mentor(session=db, username=KEEPER, actor=doomed)
        shares.accept_mentor(session=db, mentorship_id=accepted.id, actor=keeper)
        shares.invite_mentor(session=db, username=DOOMED, actor=keeper)  # pending
        # the keeper's links with someone else, which stay
        shares.invite_mentor(session=db, username="root", actor=keeper)
        shares.add_peer(
            session=db, interview_id=mine["keeper"]["interview"], username="root", actor=keeper
        )
    return World(doomed=doomed, keeper=keeper)


def _snapshot(db: Session) -> Snapshot:
    out: Snapshot = {}
    for table in Base.metadata.sorted_tables:
        key = [c.name for c in table.primary_key.columns]
        rows = db.execute(select(table)).mappings().all()
        out[table.name] = {tuple(r[k] for k in key): dict(r) for r in rows}
    return out


def _naming(snap: Snapshot, user_id: int) -> dict[str, set[Pk]]:
    """The rows that name the user: the account, and, to a fixed point, every row with a
    foreign key to a row already found (whatever the table)."""
    found: dict[str, set[Pk]] = {t.name: set() for t in Base.metadata.sorted_tables}
    found["users"] = {k for k in snap["users"] if k == (user_id,)}
    grew = True
    while grew:
        grew = False
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                target = fk.column.table.name
                values = {snap[target][k][fk.column.name] for k in found[target]}
                for key, row in snap[table.name].items():
                    if key not in found[table.name] and row[fk.parent.name] in values:
                        found[table.name].add(key)
                        grew = True
    return found


def test_every_table_reaches_the_users_table() -> None:
    """A table with no path to ``users`` holds nobody's data; a new one must be thought
    about (then listed here) rather than silently skipped by the deletion test."""
    reaches = {"users"}
    grew = True
    while grew:
        grew = False
        for table in Base.metadata.sorted_tables:
            if table.name not in reaches and any(
                fk.column.table.name in reaches for fk in table.foreign_keys
            ):
                reaches.add(table.name)
                grew = True
    assert {t.name for t in Base.metadata.sorted_tables} - reaches == set()


def test_deleting_an_account_removes_every_row_that_names_it(
    factory: sessionmaker[Session],
) -> None:
    """PR-2: after the deletion, 0 rows in any table name the user (directly or through its
    rows), no cell holds its id, name or text, and every other row is unchanged."""
    _seed(factory)
    with factory.begin() as db:
        before = _snapshot(db)
    naming = _naming(before, DOOMED_ID)
    keeper_id = next(k[0] for k, r in before["users"].items() if r["username"] == KEEPER)
    kept = _naming(before, keeper_id)
    for table in before:  # every table was seeded for both users (else the test proves less)
        assert naming[table], f"no row of {table} names the deleted user: seed one"
        assert kept[table] - naming[table], f"no row of {table} of the other user only: seed one"
    assert NON_FK_USER_COLUMNS == {}

    with factory.begin() as db:
        planned = erasure.inventory(session=db, username=DOOMED)
    with factory.begin() as db:
        done = erasure.delete_user(session=db, username=DOOMED)
    with factory.begin() as db:
        after = _snapshot(db)

    assert {t: len(rows) for t, rows in naming.items()} == done.rows == planned.rows
    assert _naming(after, DOOMED_ID) == {t: set() for t in after}
    for table, rows in before.items():
        expected = {k: r for k, r in rows.items() if k not in naming[table]}
        assert after[table] == expected, f"{table}: rows other than the user's changed"
    kept_after = _naming(after, keeper_id)
    assert all(kept_after[t] == kept[t] - naming[t] for t in after)

    for table in Base.metadata.sorted_tables:  # no user reference without a foreign key
        for row in after[table.name].values():
            for column in table.columns:
                value = row[column.name]
                if isinstance(column.type, Integer):
                    assert value != DOOMED_ID, f"{table.name}.{column.name} holds the id"
                if isinstance(column.type, String | Text) and value is not None:
                    assert DOOMED not in value, f"{table.name}.{column.name} holds the name"
                    assert _secret("doomed") not in value, f"{table.name}.{column.name}"


def test_the_cell_scan_can_fail(factory: sessionmaker[Session]) -> None:
    """The checks above are not vacuous: before the deletion they find the user's rows."""
    _seed(factory)
    with factory.begin() as db:
        snap = _snapshot(db)
    naming = _naming(snap, DOOMED_ID)
    assert len(naming["versions"]) == 3  # two of one design, one of the binned one
    assert len(naming["shares"]) == 4 + 3  # given (3 + mentors), received (3)
    texts = [v for r in snap["documents"].values() for v in r.values() if isinstance(v, str)]
    assert any(_secret("doomed") in v for v in texts)


def test_the_last_admin_who_can_sign_in_is_not_deleted(factory: sessionmaker[Session]) -> None:
    with factory.begin() as db:
        for name, admin in (("ada", True), ("bea", True), ("cy", False)):
            accounts.add_user(
                session=db, username=name, password_hash="h", is_admin=admin, now=WHEN
            )
        accounts.disable_user(session=db, username="bea", now=WHEN)
    with factory.begin() as db, pytest.raises(erasure.LastAdmin, match="last admin"):
        erasure.delete_user(session=db, username="ada")  # bea is disabled: she cannot sign in
    with factory.begin() as db:
        assert erasure.delete_user(session=db, username="cy").rows["users"] == 1
        assert erasure.delete_user(session=db, username="bea").rows["users"] == 1
    with factory.begin() as db:
        assert [u.username for u in accounts.list_users(session=db)] == ["ada"]
        with pytest.raises(erasure.InputError, match="no user 'nobody'"):
            erasure.delete_user(session=db, username="nobody")


def test_a_deletion_is_all_or_nothing(
    factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after some of the statements ran leaves every row in place."""
    _seed(factory)
    with factory.begin() as db:
        before = _snapshot(db)
    plain = erasure._targets

    def broken(user_id: int) -> Any:
        steps = plain(user_id)
        return [*steps[:-1], (UserRow, text("no_such_column = 1"))]

    monkeypatch.setattr(erasure, "_targets", broken)
    with pytest.raises(Exception, match="no_such_column"), factory.begin() as db:
        erasure.delete_user(session=db, username=DOOMED)
    with factory.begin() as db:
        assert _snapshot(db) == before


# --- export ----------------------------------------------------------------------------------

EXPORTED_AS = {
    "users": "account",
    "designs": "designs",
    "versions": "versions",
    "documents": "documents",
    "interviews": "interviews",
    "card_states": "card_states",
    "card_reviews": "card_reviews",
    "login_sessions": "sessions",
    "shares": "shares_given",
    "mentorships": "mentorships",
    "interview_peers": "interview_peers",
}
"""Where each table's rows of the user are in an export; every table is listed (a new one
fails :func:`test_every_table_is_exported`)."""

OWN_ROWS = {
    "designs": "SELECT id FROM designs WHERE owner_id = :u",
    "versions": "SELECT v.id FROM versions v JOIN designs d ON d.id = v.design_id"
    " WHERE d.owner_id = :u",
    "documents": "SELECT id FROM documents WHERE owner_id = :u",
    "interviews": "SELECT id FROM interviews WHERE owner_id = :u",
    "card_states": "SELECT id FROM card_states WHERE user_id = :u",
    "card_reviews": "SELECT id FROM card_reviews WHERE user_id = :u",
    "sessions": "SELECT id FROM login_sessions WHERE user_id = :u",
    "shares_given": "SELECT id FROM shares WHERE owner_id = :u",
    "mentorships": "SELECT id FROM mentorships WHERE mentee_id = :u OR mentor_id = :u",
    "interview_peers": "SELECT p.id FROM interview_peers p"
    " JOIN interviews i ON i.id = p.interview_id WHERE i.owner_id = :u",
}
"""The user's objects per kind, by plain SQL written apart from the store's queries."""


def test_every_table_is_exported() -> None:
    assert set(EXPORTED_AS) == {t.name for t in Base.metadata.sorted_tables}
    assert set(EXPORTED_AS.values()) - {"account"} == set(OWN_ROWS)


@pytest.mark.parametrize("who", ["doomed", "keeper"])
def test_an_export_holds_every_object_of_the_user_and_no_other(
    factory: sessionmaker[Session], who: str
) -> None:
    """PR-2: per kind, as many objects as the database holds for the user (soft-deleted ones
    included), their ids and texts exactly; nothing of the other user's or the local user's."""
    world = _seed(factory)
    me = world.doomed if who == "doomed" else world.keeper
    with factory.begin() as db:
        document = erasure.export(session=db, user_id=me.user_id, now=WHEN)
        truth = {
            kind: {r[0] for r in db.execute(text(sql), {"u": me.user_id})}
            for kind, sql in OWN_ROWS.items()
        }
        own = {"u": me.user_id}
        texts = {
            r[0]: r[1]
            for r in db.execute(text("SELECT id, text FROM documents WHERE owner_id = :u"), own)
        }
        yamls = sorted(
            r[0]
            for r in db.execute(
                text(
                    "SELECT v.yaml FROM versions v JOIN designs d ON d.id = v.design_id"
                    " WHERE d.owner_id = :u"
                ),
                own,
            )
        )
    json.loads(json.dumps(document))  # it is JSON
    assert erasure.counts(document) == {kind: len(ids) for kind, ids in truth.items()}
    assert all(truth.values()), "seed every kind"
    assert {d["id"] for d in document["designs"]} == truth["designs"]
    assert {d["id"] for d in document["documents"]} == truth["documents"]
    assert {i["id"] for i in document["interviews"]} == truth["interviews"]
    assert {s["id"] for s in document["shares_given"]} == truth["shares_given"]
    assert {m["id"] for m in document["mentorships"]} == truth["mentorships"]
    assert {d["id"]: d["text"] for d in document["documents"]} == texts  # exactly as written
    assert sorted(v["yaml"] for d in document["designs"] for v in d["versions"]) == yamls
    assert any(d["deleted_at"] for d in document["designs"])
    assert document["account"]["username"] == me.username
    dumped = json.dumps(document)
    other = "keeper" if who == "doomed" else "doomed"
    assert _secret(who) in dumped
    assert _secret(other) not in dumped and _secret("local") not in dumped
    assert "password_hash" not in dumped and f"key-{who}" not in dumped  # no secrets


def test_the_local_users_export(factory: sessionmaker[Session]) -> None:
    """A studio without accounts: the rows with no owner, and no one else's."""
    _seed(factory)
    with factory.begin() as db:
        document = erasure.export(session=db, user_id=None, now=WHEN)
    counts = erasure.counts(document)
    assert counts["designs"] == 2 and counts["documents"] == 3 and counts["card_reviews"] == 2
    assert counts["shares_given"] == counts["mentorships"] == counts["sessions"] == 0
    dumped = json.dumps(document)
    assert _secret("local") in dumped
    assert _secret("doomed") not in dumped and _secret("keeper") not in dumped
