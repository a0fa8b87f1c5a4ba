"""Who besides the owner may reach an object: shares, mentors and interview peers.

Like :mod:`staffpath.store.repository`: functions take ``session`` by keyword and never
commit, and take the acting user as ``actor``.

- A **share** gives one user a design or a document (a story, a resume, an evidence log...)
  as ``viewer`` (read, export) or ``editor`` (also save and add versions; never delete,
  undelete or share again). A share with no user is the owner's "my mentors" share: every
  mentor who accepted the owner's invitation reads the object (read-only, whatever else).
- A **mentorship** is a mentee's invitation to a mentor; it counts once the mentor accepts.
- An **interview peer** has the interviewer's view of one interview, until a day after the
  interview finished (:data:`PEER_GRACE`) or the grant is removed.

:func:`role_of` says what the actor may do with one object, :func:`readable` is the same
rule as a SQL filter for lists; both are computed from the rows on every call, so a revoked
share counts from the next request (goal AZ-3). An admin is an owner everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import Session

from staffpath.errors import InputError
from staffpath.store.accounts import Actor, can_see, find_user
from staffpath.store.models import (
    DesignRow,
    DocumentRow,
    InterviewPeerRow,
    InterviewRow,
    MentorshipRow,
    ShareRow,
    UserRow,
    now,
)


class NotFound(LookupError):
    """No such object, or none the actor may see; the web layer answers 404."""


class Forbidden(PermissionError):
    """The actor sees the object but may not do this to it (a viewer saving, an editor
    deleting); the web layer answers 403."""


Role = Literal["owner", "editor", "viewer"]
OWNER: Role = "owner"
EDITOR: Role = "editor"
VIEWER: Role = "viewer"
RANK = {VIEWER: 1, EDITOR: 2, OWNER: 3}
PEER_GRACE = timedelta(days=1)
Obj = Literal["design", "document"]


def fits(object_id: int) -> bool:
    """Whether an id fits the id columns (32-bit on PostgreSQL); one that does not is simply
    not found, never a database error."""
    return -(2**31) <= object_id < 2**31


def _column(obj: Obj) -> Any:
    return ShareRow.design_id if obj == "design" else ShareRow.document_id


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _mentored(actor: Actor) -> Select[Any]:
    """The ids of the users whose accepted mentor the actor is."""
    return select(MentorshipRow.mentee_id).where(
        MentorshipRow.mentor_id == actor.user_id, MentorshipRow.accepted_at.is_not(None)
    )


def shared_ids(obj: Obj, actor: Actor) -> Select[Any]:
    """The ids of the objects shared with the actor, directly or as a mentor."""
    col = _column(obj)
    return select(col).where(
        col.is_not(None),
        or_(
            ShareRow.user_id == actor.user_id,
            ShareRow.user_id.is_(None) & ShareRow.owner_id.in_(_mentored(actor)),
        ),
    )


def readable(obj: Obj, id_column: Any, owner_column: Any, actor: Actor) -> ColumnElement[bool]:
    """The rows the actor may read: its own, those shared with it, or all for an admin."""
    if actor.is_admin:
        return true()
    if actor.user_id is None:  # pragma: no cover - the local user is an admin
        return false()
    return or_(owner_column == actor.user_id, id_column.in_(shared_ids(obj, actor)))


def role_of(
    *, session: Session, obj: Obj, object_id: int, owner_id: int | None, actor: Actor
) -> Role | None:
    """What the actor may do with one object: ``owner`` (its owner, or an admin),
    ``editor``, ``viewer``, or None (it does not exist for the actor)."""
    if can_see(owner_id, actor):
        return OWNER
    if actor.user_id is None or owner_id is None:
        return None
    best: Role | None = None
    rows = session.scalars(
        select(ShareRow).where(
            _column(obj) == object_id,
            or_(ShareRow.user_id == actor.user_id, ShareRow.user_id.is_(None)),
        )
    ).all()
    for row in rows:
        if row.user_id == actor.user_id:
            role: Role = EDITOR if row.role == EDITOR else VIEWER
        elif _is_mentor(session, mentee=row.owner_id, actor=actor):
            role = VIEWER
        else:
            continue
        if best is None or RANK[role] > RANK[best]:
            best = role
    return best


def require(role: Role | None, need: Role, what: str) -> Role:
    """``role`` if it is enough for ``need``; :class:`NotFound` when there is none at all,
    :class:`Forbidden` when the actor sees the object but may not do this."""
    if role is None:
        raise NotFound(f"no {what}")
    if RANK[role] < RANK[need]:
        if need == OWNER:
            raise Forbidden(f"only the owner of {what} may do this")
        raise Forbidden(f"{what} is shared with you read-only")
    return role


def _is_mentor(session: Session, *, mentee: int, actor: Actor) -> bool:
    return (
        session.scalar(
            select(MentorshipRow.id).where(
                MentorshipRow.mentee_id == mentee,
                MentorshipRow.mentor_id == actor.user_id,
                MentorshipRow.accepted_at.is_not(None),
            )
        )
        is not None
    )


# --- what the lists show -----------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """How an object not the actor's own reached it."""

    role: Role
    shared_by: str


def received(*, session: Session, obj: Obj, actor: Actor) -> dict[int, Received]:
    """Every object shared with the actor (directly or as a mentor), by id: its best role and
    its owner's name; the lists mark these rows."""
    if actor.user_id is None:
        return {}
    col = _column(obj)
    rows = session.execute(
        select(col, ShareRow.role, ShareRow.user_id, UserRow.username)
        .join(UserRow, UserRow.id == ShareRow.owner_id)
        .where(
            col.is_not(None),
            or_(
                ShareRow.user_id == actor.user_id,
                ShareRow.user_id.is_(None) & ShareRow.owner_id.in_(_mentored(actor)),
            ),
        )
    ).all()
    out: dict[int, Received] = {}
    for object_id, role, user_id, owner in rows:
        got: Role = EDITOR if role == EDITOR and user_id is not None else VIEWER
        if object_id not in out or RANK[got] > RANK[out[object_id].role]:
            out[object_id] = Received(role=got, shared_by=owner)
    return out


# --- shares ------------------------------------------------------------------------------------


def _object(session: Session, obj: Obj, object_id: int) -> DesignRow | DocumentRow | None:
    if not fits(object_id):
        return None
    row: DesignRow | DocumentRow | None = (
        session.get(DesignRow, object_id)
        if obj == "design"
        else session.get(DocumentRow, object_id)
    )
    if row is None or row.deleted_at is not None:
        return None
    return row


def _account(session: Session, username: str, actor: Actor) -> UserRow:
    user = find_user(session=session, username=username)
    if user is None or user.disabled_at is not None:
        raise InputError(f"user: no account {username!r}")
    if user.id == actor.user_id:
        raise InputError("user: that is you; share with someone else")
    return user


def share(
    *,
    session: Session,
    obj: Obj,
    object_id: int,
    username: str | None,
    role: Role,
    actor: Actor,
    story: bool | None = None,
) -> tuple[ShareRow, bool]:
    """Share an object (the owner or an admin); ``username`` None shares it with the owner's
    mentors (read-only). Sharing again with the same user changes the role. Returns the row,
    and whether it is new. ``story``: the document must be a story (True) or must not."""
    what = f"{obj} {object_id}"
    row = _object(session, obj, object_id)
    if isinstance(row, DocumentRow) and story is not None and (row.kind == "story") != story:
        row = None
    found = (
        None
        if row is None
        else role_of(
            session=session, obj=obj, object_id=object_id, owner_id=row.owner_id, actor=actor
        )
    )
    require(found, OWNER, what)
    assert row is not None
    if row.owner_id is None:
        raise InputError("the local user's objects are not shared; only an account's are")
    if role not in (VIEWER, EDITOR):  # pragma: no cover - the API's model says so
        raise InputError("role: viewer or editor")
    user_id = None
    if username is not None:
        user_id = _account(session, username, Actor(user_id=row.owner_id)).id
    elif role != VIEWER:
        raise InputError("role: mentors read only; share with mentors as viewer")
    existing = session.scalar(
        select(ShareRow).where(
            _column(obj) == object_id,
            ShareRow.user_id == user_id if user_id is not None else ShareRow.user_id.is_(None),
        )
    )
    if existing is not None:
        existing.role = role
        session.flush()
        return existing, False
    made = ShareRow(
        owner_id=row.owner_id,
        user_id=user_id,
        design_id=object_id if obj == "design" else None,
        document_id=object_id if obj == "document" else None,
        role=role,
        created_at=now(),
    )
    session.add(made)
    session.flush()
    return made, True


def get_share(*, session: Session, share_id: int, actor: Actor) -> ShareRow:
    """A share its owner (or an admin) may revoke; its recipient sees it but may not
    (:class:`Forbidden`); anyone else gets :class:`NotFound`."""
    row = session.get(ShareRow, share_id) if fits(share_id) else None
    if row is None:
        raise NotFound(f"no share {share_id}")
    if can_see(row.owner_id, actor):
        return row
    recipient = row.user_id == actor.user_id if row.user_id is not None else False
    if row.user_id is None and actor.user_id is not None:
        recipient = _is_mentor(session, mentee=row.owner_id, actor=actor)
    if recipient:
        raise Forbidden("only the owner of a share may revoke it")
    raise NotFound(f"no share {share_id}")


def revoke(*, session: Session, share_id: int, actor: Actor) -> None:
    session.delete(get_share(session=session, share_id=share_id, actor=actor))
    session.flush()


@dataclass(frozen=True)
class ShareView:
    id: int
    object: str  # design, story, document
    object_id: int
    name: str
    kind: str | None
    owner: str
    user: str | None  # None: the owner's mentors
    role: str
    created_at: datetime


def _views(session: Session, where: Any) -> list[ShareView]:
    owner = UserRow.__table__.alias("owner")
    user = UserRow.__table__.alias("recipient")
    rows = session.execute(
        select(ShareRow, owner.c.username, user.c.username, DesignRow.name, DocumentRow)
        .join(owner, owner.c.id == ShareRow.owner_id)
        .outerjoin(user, user.c.id == ShareRow.user_id)
        .outerjoin(DesignRow, DesignRow.id == ShareRow.design_id)
        .outerjoin(DocumentRow, DocumentRow.id == ShareRow.document_id)
        .where(where)
        .order_by(ShareRow.id)
    ).all()
    out = []
    for s, owner_name, user_name, design_name, doc in rows:
        if s.design_id is not None:
            obj, oid, name, kind = "design", s.design_id, design_name, None
        else:
            obj = "story" if doc.kind == "story" else "document"
            oid, name, kind = doc.id, doc.name, doc.kind
        out.append(
            ShareView(s.id, obj, oid, name, kind, owner_name, user_name, s.role, s.created_at)
        )
    return out


def given(*, session: Session, actor: Actor) -> list[ShareView]:
    """The shares the actor made."""
    if actor.user_id is None:
        return []
    return _views(session, ShareRow.owner_id == actor.user_id)


def shares_received(*, session: Session, actor: Actor) -> list[ShareView]:
    """The shares that reach the actor: to it by name, or to mentors of its mentees."""
    if actor.user_id is None:
        return []
    return _views(
        session,
        or_(
            ShareRow.user_id == actor.user_id,
            ShareRow.user_id.is_(None) & ShareRow.owner_id.in_(_mentored(actor)),
        ),
    )


# --- mentors -----------------------------------------------------------------------------------


def invite_mentor(*, session: Session, username: str, actor: Actor) -> MentorshipRow:
    """The actor (the mentee) invites ``username`` as a mentor; pending until accepted."""
    if actor.user_id is None:
        raise InputError("mentors need accounts: run the studio with --multi-user")
    mentor = _account(session, username, actor)
    existing = session.scalar(
        select(MentorshipRow).where(
            MentorshipRow.mentee_id == actor.user_id, MentorshipRow.mentor_id == mentor.id
        )
    )
    if existing is not None:
        raise InputError(f"user: {mentor.username!r} is already invited")
    row = MentorshipRow(mentee_id=actor.user_id, mentor_id=mentor.id, created_at=now())
    session.add(row)
    session.flush()
    return row


def get_mentorship(*, session: Session, mentorship_id: int, actor: Actor) -> MentorshipRow:
    row = session.get(MentorshipRow, mentorship_id) if fits(mentorship_id) else None
    if row is None or not (
        actor.is_admin
        or (actor.user_id is not None and actor.user_id in (row.mentee_id, row.mentor_id))
    ):
        raise NotFound(f"no mentorship {mentorship_id}")
    return row


def accept_mentor(*, session: Session, mentorship_id: int, actor: Actor) -> MentorshipRow:
    """The invited mentor accepts (only they may)."""
    row = get_mentorship(session=session, mentorship_id=mentorship_id, actor=actor)
    if row.mentor_id != actor.user_id:
        raise Forbidden("only the invited mentor may accept")
    if row.accepted_at is None:
        row.accepted_at = now()
        session.flush()
    return row


def end_mentorship(*, session: Session, mentorship_id: int, actor: Actor) -> None:
    """Either side (or an admin) ends it; the mentor stops seeing the mentee's shares now."""
    session.delete(get_mentorship(session=session, mentorship_id=mentorship_id, actor=actor))
    session.flush()


def mentorships(*, session: Session, actor: Actor) -> list[tuple[MentorshipRow, str, str]]:
    """The actor's mentorships, either side, with (mentee, mentor) names."""
    if actor.user_id is None:
        return []
    mentee = UserRow.__table__.alias("mentee")
    mentor = UserRow.__table__.alias("mentor")
    rows = session.execute(
        select(MentorshipRow, mentee.c.username, mentor.c.username)
        .join(mentee, mentee.c.id == MentorshipRow.mentee_id)
        .join(mentor, mentor.c.id == MentorshipRow.mentor_id)
        .where(
            or_(MentorshipRow.mentee_id == actor.user_id, MentorshipRow.mentor_id == actor.user_id)
        )
        .order_by(MentorshipRow.id)
    ).all()
    return [(r, a, b) for r, a, b in rows]


# --- interview peers ---------------------------------------------------------------------------


def _live(interview: InterviewRow, at: datetime) -> bool:
    return interview.finished_at is None or _utc(interview.finished_at) + PEER_GRACE > _utc(at)


def is_peer(*, session: Session, interview: InterviewRow, actor: Actor, at: datetime) -> bool:
    """Whether the actor holds a live peer grant on the interview."""
    if actor.user_id is None or not _live(interview, at):
        return False
    found = session.scalar(
        select(InterviewPeerRow.id).where(
            InterviewPeerRow.interview_id == interview.id, InterviewPeerRow.user_id == actor.user_id
        )
    )
    return found is not None


def peer_interviews(*, session: Session, actor: Actor, at: datetime) -> list[InterviewRow]:
    """The interviews the actor is a live peer of (its own excluded)."""
    if actor.user_id is None:
        return []
    rows = session.scalars(
        select(InterviewRow)
        .join(InterviewPeerRow, InterviewPeerRow.interview_id == InterviewRow.id)
        .where(InterviewPeerRow.user_id == actor.user_id)
        .order_by(InterviewRow.started_at.desc(), InterviewRow.id.desc())
    ).all()
    return [r for r in rows if r.owner_id != actor.user_id and _live(r, at)]


def _own_interview(session: Session, interview_id: int, actor: Actor) -> InterviewRow:
    row = session.get(InterviewRow, interview_id) if fits(interview_id) else None
    if row is None:
        raise NotFound(f"no interview {interview_id}")
    if not can_see(row.owner_id, actor):
        if is_peer(session=session, interview=row, actor=actor, at=now()):
            raise Forbidden("only the candidate may choose the peers")
        raise NotFound(f"no interview {interview_id}")
    return row


def add_peer(
    *, session: Session, interview_id: int, username: str, actor: Actor
) -> InterviewPeerRow:
    """Give ``username`` the interviewer's view of one interview (its owner, or an admin)."""
    row = _own_interview(session, interview_id, actor)
    if row.owner_id is None:
        raise InputError("the local user's interviews have no peers; only an account's do")
    user = _account(session, username, Actor(user_id=row.owner_id))
    existing = session.scalar(
        select(InterviewPeerRow).where(
            InterviewPeerRow.interview_id == row.id, InterviewPeerRow.user_id == user.id
        )
    )
    if existing is not None:
        return existing
    peer = InterviewPeerRow(interview_id=row.id, user_id=user.id, created_at=now())
    session.add(peer)
    session.flush()
    return peer


def remove_peer(*, session: Session, interview_id: int, username: str, actor: Actor) -> None:
    row = _own_interview(session, interview_id, actor)
    user = find_user(session=session, username=username)
    peer = (
        None
        if user is None
        else session.scalar(
            select(InterviewPeerRow).where(
                InterviewPeerRow.interview_id == row.id, InterviewPeerRow.user_id == user.id
            )
        )
    )
    if peer is None:
        raise NotFound(f"{username!r} is no peer of interview {interview_id}")
    session.delete(peer)
    session.flush()
