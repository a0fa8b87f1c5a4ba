"""Shares, mentors and interview peers in the store (goals AZ-2, AZ-3, AZ-4).

The property: on random ownership and share graphs (≤ 5 users, ≤ 20 objects), every list
(designs, stories, career documents of a kind, interviews) holds only what the test computes
independently as readable, and everything readable."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from staffpath.errors import InputError
from staffpath.store import accounts, shares
from staffpath.store import documents as docs
from staffpath.store import repository as repo
from staffpath.store.accounts import Actor
from staffpath.store.database import make_engine, migrate
from staffpath.store.models import now


@pytest.fixture
def db(database_url: str) -> Any:
    engine = make_engine(database_url)
    migrate(engine)
    with sessionmaker(bind=engine).begin() as s:
        yield s
    engine.dispose()


def _user(db: Session, name: str, admin: bool = False) -> Actor:
    row = accounts.add_user(session=db, username=name, password_hash="h", is_admin=admin, now=now())
    return Actor(user_id=row.id, username=name, is_admin=admin)


def test_roles_revocation_and_mentors(db: Session) -> None:
    ada, bob, cy = (_user(db, n) for n in ("ada", "bob", "cy"))
    d = repo.create_design(session=db, name="d", yaml="x", figures=None, actor=ada).id
    with pytest.raises(repo.NotFound):
        repo.get_design(session=db, design_id=d, actor=bob)
    row, new = shares.share(
        session=db, obj="design", object_id=d, username="bob", role="viewer", actor=ada
    )
    assert new and row.role == "viewer"
    assert repo.get_design(session=db, design_id=d, actor=bob).id == d
    with pytest.raises(repo.Forbidden):
        repo.save_version(session=db, design_id=d, yaml="y", name=None, figures=None, actor=bob)
    again, new = shares.share(
        session=db, obj="design", object_id=d, username="bob", role="editor", actor=ada
    )
    assert not new and again.id == row.id
    repo.save_version(session=db, design_id=d, yaml="y", name=None, figures=None, actor=bob)
    with pytest.raises(repo.Forbidden):  # an editor never deletes
        repo.delete_design(session=db, design_id=d, actor=bob)
    with pytest.raises(shares.Forbidden):  # nor shares again
        shares.share(session=db, obj="design", object_id=d, username="cy", role="viewer", actor=bob)
    with pytest.raises(shares.Forbidden):  # the recipient may not revoke
        shares.revoke(session=db, share_id=row.id, actor=bob)
    with pytest.raises(shares.NotFound):
        shares.revoke(session=db, share_id=row.id, actor=cy)
    shares.revoke(session=db, share_id=row.id, actor=ada)
    with pytest.raises(repo.NotFound):
        repo.get_design(session=db, design_id=d, actor=bob)
    # mentors: the share to "my mentors" counts once the mentor accepted, and ends with it
    shares.share(session=db, obj="design", object_id=d, username=None, role="viewer", actor=ada)
    with pytest.raises(InputError):  # mentors read only
        shares.share(session=db, obj="design", object_id=d, username=None, role="editor", actor=ada)
    m = shares.invite_mentor(session=db, username="cy", actor=ada)
    with pytest.raises(repo.NotFound):  # not accepted yet
        repo.get_design(session=db, design_id=d, actor=cy)
    with pytest.raises(shares.Forbidden):  # only the mentor accepts
        shares.accept_mentor(session=db, mentorship_id=m.id, actor=ada)
    shares.accept_mentor(session=db, mentorship_id=m.id, actor=cy)
    assert repo.get_design(session=db, design_id=d, actor=cy).id == d
    with pytest.raises(repo.Forbidden):
        repo.save_version(session=db, design_id=d, yaml="z", name=None, figures=None, actor=cy)
    assert [x.id for x, _ in repo.list_designs(session=db, actor=cy)] == [d]
    assert repo.list_designs(session=db, actor=bob) == []
    shares.end_mentorship(session=db, mentorship_id=m.id, actor=cy)
    assert repo.list_designs(session=db, actor=cy) == []
    with pytest.raises(InputError):
        shares.invite_mentor(session=db, username="ada", actor=ada)  # oneself
    with pytest.raises(InputError):
        shares.share(
            session=db, obj="design", object_id=d, username="nobody", role="viewer", actor=ada
        )


def test_a_peer_sees_one_interview_until_a_day_after_it_finished(db: Session) -> None:
    ada, bob = _user(db, "ada"), _user(db, "bob")
    i = repo.create_interview(session=db, problem="url-shortener", key="k", state="{}", actor=ada)
    other = repo.create_interview(
        session=db, problem="url-shortener", key="j", state="{}", actor=ada
    )
    t = now()
    assert not shares.is_peer(session=db, interview=i, actor=bob, at=t)
    with pytest.raises(shares.NotFound):  # only the candidate names peers
        shares.add_peer(session=db, interview_id=i.id, username="bob", actor=bob)
    shares.add_peer(session=db, interview_id=i.id, username="bob", actor=ada)
    assert shares.is_peer(session=db, interview=i, actor=bob, at=t)
    assert not shares.is_peer(session=db, interview=other, actor=bob, at=t)
    assert [r.id for r in shares.peer_interviews(session=db, actor=bob, at=t)] == [i.id]
    i.finished_at = t
    db.flush()
    assert shares.is_peer(session=db, interview=i, actor=bob, at=t + timedelta(hours=23))
    assert not shares.is_peer(session=db, interview=i, actor=bob, at=t + timedelta(hours=25))
    assert shares.peer_interviews(session=db, actor=bob, at=t + timedelta(hours=25)) == []
    shares.remove_peer(session=db, interview_id=i.id, username="bob", actor=ada)
    assert not shares.is_peer(session=db, interview=i, actor=bob, at=t)


# --- AZ-4: lists ⊆ the readable set, on random graphs ---------------------------------------

KINDS = ("design", "story", "resume", "interview")


@st.composite
def graphs(draw: Any) -> dict[str, Any]:
    users = draw(st.integers(1, 5))
    objects = draw(
        st.lists(
            st.tuples(st.sampled_from(KINDS), st.integers(0, users - 1), st.booleans()),
            max_size=20,
        )
    )
    objects = [(k, o, deleted and k != "interview") for k, o, deleted in objects]
    n = len(objects)
    grants = draw(
        st.lists(
            st.tuples(
                st.integers(0, max(n - 1, 0)),
                st.one_of(st.none(), st.integers(0, users - 1)),  # None: the owner's mentors
                st.sampled_from(("viewer", "editor")),
                st.booleans(),  # revoked afterwards
            ),
            max_size=25 if n else 0,
        )
    )
    mentors = draw(
        st.lists(
            st.tuples(st.integers(0, users - 1), st.integers(0, users - 1), st.booleans()),
            max_size=6,
        )
    )
    admin = draw(st.one_of(st.none(), st.integers(0, users - 1)))
    return {
        "users": users,
        "objects": objects,
        "grants": grants,
        "mentors": mentors,
        "admin": admin,
    }


def _build(
    db: Session, g: dict[str, Any], tag: str
) -> tuple[list[Actor], list[tuple[str, int, int]], dict[int, set[int]]]:
    """Make the graph; returns the actors, the objects (kind, id, owner index) and, per user
    index, the indexes of the objects it may read, computed here from the graph alone."""
    actors = [_user(db, f"{tag}u{i}", admin=i == g["admin"]) for i in range(g["users"])]
    made: list[tuple[str, int, int]] = []
    for kind, owner, deleted in g["objects"]:
        a = actors[owner]
        if kind == "design":
            oid = repo.create_design(session=db, name="d", yaml="x", figures=None, actor=a).id
            if deleted:
                repo.delete_design(session=db, design_id=oid, actor=a)
        elif kind == "interview":
            oid = repo.create_interview(session=db, problem="p", key="k", state="{}", actor=a).id
        else:
            oid = docs.create_document(
                session=db, kind=kind, name="n", format="yaml", text="t", actor=a
            ).id
            if deleted:
                docs.delete_document(session=db, kind=kind, document_id=oid, actor=a)
        made.append((kind, oid, owner))
    accepted: set[tuple[int, int]] = set()  # (mentee, mentor)
    for mentee, mentor, accept in g["mentors"]:
        if mentee == mentor:
            continue
        try:
            m = shares.invite_mentor(
                session=db, username=actors[mentor].username, actor=actors[mentee]
            )
        except InputError:
            continue
        if accept:
            shares.accept_mentor(session=db, mentorship_id=m.id, actor=actors[mentor])
            accepted.add((mentee, mentor))
    live: dict[int, set[int | None]] = {}  # object index -> users (None: mentors) shared with
    for index, user, role, revoked in g["grants"]:
        kind, oid, owner = made[index]
        deleted = g["objects"][index][2]
        if user == owner or deleted:
            continue
        a = actors[owner]
        if kind == "interview":
            if user is None:
                continue
            shares.add_peer(session=db, interview_id=oid, username=actors[user].username, actor=a)
            if revoked:
                shares.remove_peer(
                    session=db, interview_id=oid, username=actors[user].username, actor=a
                )
                live.get(index, set()).discard(user)
            else:
                live.setdefault(index, set()).add(user)
            continue
        obj: shares.Obj = "design" if kind == "design" else "document"
        row, _ = shares.share(
            session=db,
            obj=obj,
            object_id=oid,
            username=None if user is None else actors[user].username,
            role="viewer" if user is None else role,
            actor=a,
        )
        if revoked:
            shares.revoke(session=db, share_id=row.id, actor=a)
            live.get(index, set()).discard(user)
        else:
            live.setdefault(index, set()).add(user)
    readable: dict[int, set[int]] = {}
    for u in range(g["users"]):
        readable[u] = set()
        for index, (_kind, _oid, owner) in enumerate(made):
            if g["objects"][index][2]:
                continue  # deleted: in no list
            to = live.get(index, set())
            if u == owner or u == g["admin"] or u in to or (None in to and (owner, u) in accepted):
                readable[u].add(index)
    return actors, made, readable


_RUNS = iter(range(10**9))


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(g=graphs())
def test_every_list_is_within_the_readable_set(database_url: str, g: dict[str, Any]) -> None:
    """AZ-4: for every user and every list, what is listed is readable (computed here from
    the graph: own, admin, a live share, or a mentors' share and an accepted mentorship), and
    — the lists being complete — everything readable is listed."""
    tag = f"r{next(_RUNS)}"
    engine = make_engine(database_url)
    migrate(engine)
    with Session(engine) as db:  # never committed: each example starts from an empty studio
        actors, made, readable = _build(db, g, tag)
        at = now()
        ids = {(kind, oid): index for index, (kind, oid, _o) in enumerate(made)}
        for u, actor in enumerate(actors):
            listed: set[int] = set()
            rows = repo.list_designs(session=db, actor=actor)
            for d, _v in rows:
                listed.add(ids.get(("design", d.id), -1))
            # the library's column query lists the same rows, in the same order
            assert [
                (s.id, s.name, s.owner_id, s.version, s.valid)
                for s in repo.design_summaries(session=db, actor=actor)
            ] == [(d.id, d.name, d.owner_id, v.number, v.valid) for d, v in rows]
            for kind in ("story", "resume"):
                for row in docs.list_documents(session=db, kind=kind, actor=actor):
                    listed.add(ids.get((kind, row.id), -1))
            for row in repo.list_interviews(session=db, actor=actor):
                listed.add(ids.get(("interview", row.id), -1))
            for row in shares.peer_interviews(session=db, actor=actor, at=at):
                listed.add(ids.get(("interview", row.id), -1))
            assert listed <= readable[u], (u, listed - readable[u])
            assert readable[u] <= listed, (u, readable[u] - listed)
    engine.dispose()
