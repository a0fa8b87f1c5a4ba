"""Deleting an account for good, and exporting everything it owns (goal PR-2).

Like :mod:`staffpath.store.repository`: functions take ``session`` by keyword and never
commit; the caller's transaction makes a deletion all or nothing.

**What an account's data is.** Every row that names the user, directly or through a row that
does:

=================  ==========================================================================
table              rows of the user's
=================  ==========================================================================
users              the account itself
designs            ``owner_id``; and ``versions`` of those designs
documents          ``owner_id`` (stories, resumes, evidence logs, every career kind)
interviews         ``owner_id``
card_states        ``user_id`` (the flashcard schedule)
card_reviews       ``user_id`` (the review history)
login_sessions     ``user_id``
shares             given (``owner_id``), received (``user_id``), or of one of the user's
                   designs or documents
mentorships        either side (``mentee_id`` or ``mentor_id``)
interview_peers    grants the user holds (``user_id``) or gave on its interviews
=================  ==========================================================================

No column stores a user's id or name without a foreign key (``tests/store/test_erasure.py``
checks every remaining cell for the deleted id and name). Free text is not rewritten: a
mentoring log may name a person the user mentors, and another user's interview keeps the
interviewer notes the deleted user wrote into it as its peer; those rows are the other
user's. A design another user duplicated from a shared one is that user's copy and stays.

The statements delete children before parents, so a deletion does not depend on the
database cascading ``ON DELETE`` (SQLite does only with ``PRAGMA foreign_keys=ON``).

**Export.** :func:`export` gathers the same rows, the account's own objects only (the
objects others shared with it are theirs), as one JSON document; texts are kept exactly as
written. Secrets are left out: the password hash, session tokens' hashes and CSRF tokens,
interviewer keys.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Delete, delete, func, or_, select
from sqlalchemy.orm import Session

from staffpath.errors import InputError
from staffpath.store.accounts import get_user
from staffpath.store.models import (
    Base,
    CardReviewRow,
    CardStateRow,
    DesignRow,
    DocumentRow,
    InterviewPeerRow,
    InterviewRow,
    LoginSessionRow,
    MentorshipRow,
    ShareRow,
    UserRow,
    VersionRow,
)

EXPORT_FORMAT = "staffpath-account-export"
EXPORT_VERSION = 1


class LastAdmin(InputError):
    """Deleting this account would leave the studio with no admin who can sign in."""


def _targets(user_id: int) -> list[tuple[type[Base], ColumnElement[bool]]]:
    """Which rows of which table are the user's, children before parents."""
    designs = select(DesignRow.id).where(DesignRow.owner_id == user_id)
    documents = select(DocumentRow.id).where(DocumentRow.owner_id == user_id)
    interviews = select(InterviewRow.id).where(InterviewRow.owner_id == user_id)
    return [
        (
            ShareRow,
            or_(
                ShareRow.owner_id == user_id,
                ShareRow.user_id == user_id,
                ShareRow.design_id.in_(designs),
                ShareRow.document_id.in_(documents),
            ),
        ),
        (
            InterviewPeerRow,
            or_(InterviewPeerRow.user_id == user_id, InterviewPeerRow.interview_id.in_(interviews)),
        ),
        (VersionRow, VersionRow.design_id.in_(designs)),
        (DesignRow, DesignRow.owner_id == user_id),
        (DocumentRow, DocumentRow.owner_id == user_id),
        (InterviewRow, InterviewRow.owner_id == user_id),
        (CardStateRow, CardStateRow.user_id == user_id),
        (CardReviewRow, CardReviewRow.user_id == user_id),
        (LoginSessionRow, LoginSessionRow.user_id == user_id),
        (
            MentorshipRow,
            or_(MentorshipRow.mentee_id == user_id, MentorshipRow.mentor_id == user_id),
        ),
        (UserRow, UserRow.id == user_id),
    ]


def _table(model: type[Base]) -> str:
    return str(model.__tablename__)


@dataclass(frozen=True)
class Erasure:
    """What deleting an account removes (or removed): rows per table."""

    username: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        """``3 designs, 7 versions, ...`` (tables with rows only)."""
        return ", ".join(f"{n} {table}" for table, n in self.rows.items() if n) or "no rows"


def inventory(*, session: Session, username: str) -> Erasure:
    """What :func:`delete_user` would remove, counted (nothing changes)."""
    user = get_user(session=session, username=username)
    rows = {
        _table(model): int(
            session.scalar(select(func.count()).select_from(model).where(where)) or 0
        )
        for model, where in _targets(user.id)
    }
    return Erasure(username=user.username, rows=rows)


def _usable_admins(session: Session, *, besides: int) -> int:
    found = session.scalar(
        select(func.count())
        .select_from(UserRow)
        .where(UserRow.is_admin, UserRow.disabled_at.is_(None), UserRow.id != besides)
    )
    return int(found or 0)


def delete_user(*, session: Session, username: str) -> Erasure:
    """Delete the account and every row that names it (see the module doc), in the caller's
    transaction; returns the rows removed per table. Refuses (:class:`LastAdmin`) to delete an
    admin when no other admin could still sign in."""
    user = get_user(session=session, username=username)
    if user.is_admin and _usable_admins(session, besides=user.id) == 0:
        raise LastAdmin(
            f"{user.username!r} is the last admin who can sign in; make another account an "
            "admin first (`staffpath users add NAME --admin`), then delete this one"
        )
    name, user_id = user.username, user.id
    rows: dict[str, int] = {}
    for model, where in _targets(user_id):
        statement: Delete = delete(model).where(where)
        result = session.execute(statement.execution_options(synchronize_session="fetch"))
        rows[_table(model)] = int(getattr(result, "rowcount", 0) or 0)
    session.flush()
    return Erasure(username=name, rows=rows)


# --- export ----------------------------------------------------------------------------------


def _when(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC (SQLite hands back naive datetimes; they are stored in UTC)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _json(text: str) -> Any:
    """A column that holds JSON, as JSON; its text as it is if it does not parse."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _names(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(UserRow.id, UserRow.username).where(UserRow.id.in_(wanted)))
    return {int(i): str(n) for i, n in rows}


def export(*, session: Session, user_id: int | None, now: datetime) -> dict[str, Any]:
    """Every object of one user (``user_id`` None: the local user of a studio without
    accounts, whose rows have no owner) as one JSON-ready document: the account, designs
    with every version, documents (stories and career documents, texts exactly as written,
    soft-deleted ones included with their ``deleted_at``), interviews with their peers,
    the flashcard schedule and history, shares given, mentorships on either side, and the
    sign-in sessions' times. Nobody else's objects: what others shared with the user is
    theirs to export."""

    def own(column: Any) -> ColumnElement[bool]:
        return column.is_(None) if user_id is None else column == user_id  # type: ignore[no-any-return]

    account: dict[str, Any] = {"username": "local"}
    if user_id is not None:
        user = session.get(UserRow, user_id)
        if user is None:
            raise InputError(f"no user with id {user_id}")
        account = {
            "username": user.username,
            "is_admin": user.is_admin,
            "created_at": _when(user.created_at),
            "disabled_at": _when(user.disabled_at),
            "password_changed_at": _when(user.password_changed_at),
            "two_step": user.totp_secret is not None,  # whether, never the secret
        }

    designs = []
    for d in session.scalars(
        select(DesignRow).where(own(DesignRow.owner_id)).order_by(DesignRow.id)
    ):
        versions = session.scalars(
            select(VersionRow).where(VersionRow.design_id == d.id).order_by(VersionRow.number)
        )
        designs.append(
            {
                "id": d.id,
                "name": d.name,
                "created_at": _when(d.created_at),
                "updated_at": _when(d.updated_at),
                "deleted_at": _when(d.deleted_at),
                "versions": [
                    {
                        "number": v.number,
                        "created_at": _when(v.created_at),
                        "note": v.note,
                        "valid": v.valid,
                        "meets_goals": v.meets_goals,
                        "worst_p99_ms": v.worst_p99_ms,
                        "cost_per_month": v.cost_per_month,
                        "yaml": v.yaml,
                    }
                    for v in versions
                ],
            }
        )

    documents = [
        {
            "id": doc.id,
            "kind": doc.kind,
            "name": doc.name,
            "format": doc.format,
            "created_at": _when(doc.created_at),
            "updated_at": _when(doc.updated_at),
            "deleted_at": _when(doc.deleted_at),
            "text": doc.text,
        }
        for doc in session.scalars(
            select(DocumentRow).where(own(DocumentRow.owner_id)).order_by(DocumentRow.id)
        )
    ]

    interviews = []
    for i in session.scalars(
        select(InterviewRow).where(own(InterviewRow.owner_id)).order_by(InterviewRow.id)
    ):
        peers = session.scalars(
            select(InterviewPeerRow)
            .where(InterviewPeerRow.interview_id == i.id)
            .order_by(InterviewPeerRow.id)
        ).all()
        names = _names(session, [p.user_id for p in peers])
        interviews.append(
            {
                "id": i.id,
                "problem": i.problem,
                "started_at": _when(i.started_at),
                "finished_at": _when(i.finished_at),
                "score": i.score,
                "state": _json(i.state),
                "peers": [
                    {"user": names.get(p.user_id), "created_at": _when(p.created_at)} for p in peers
                ],
            }
        )

    card_states = [
        {"card": c.card, "due": _when(c.due), "state": _json(c.state)}
        for c in session.scalars(
            select(CardStateRow).where(own(CardStateRow.user_id)).order_by(CardStateRow.card)
        )
    ]
    card_reviews = [
        {"card": r.card, "rating": r.rating, "reviewed_at": _when(r.reviewed_at)}
        for r in session.scalars(
            select(CardReviewRow)
            .where(own(CardReviewRow.user_id))
            .order_by(CardReviewRow.reviewed_at, CardReviewRow.id)
        )
    ]

    shares_given: list[dict[str, Any]] = []
    mentorships: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    if user_id is not None:
        given = session.scalars(
            select(ShareRow).where(ShareRow.owner_id == user_id).order_by(ShareRow.id)
        ).all()
        names = _names(session, [s.user_id for s in given])
        shares_given = [
            {
                "id": s.id,
                "object": "design" if s.design_id is not None else "document",
                "object_id": s.design_id if s.design_id is not None else s.document_id,
                "user": None if s.user_id is None else names.get(s.user_id),
                "audience": "mentors" if s.user_id is None else "user",
                "role": s.role,
                "created_at": _when(s.created_at),
            }
            for s in given
        ]
        links = session.scalars(
            select(MentorshipRow)
            .where(or_(MentorshipRow.mentee_id == user_id, MentorshipRow.mentor_id == user_id))
            .order_by(MentorshipRow.id)
        ).all()
        names = _names(session, [m.mentee_id for m in links] + [m.mentor_id for m in links])
        mentorships = [
            {
                "id": m.id,
                "role": "mentee" if m.mentee_id == user_id else "mentor",
                "mentee": names.get(m.mentee_id),
                "mentor": names.get(m.mentor_id),
                "created_at": _when(m.created_at),
                "accepted_at": _when(m.accepted_at),
            }
            for m in links
        ]
        sessions = [
            {"created_at": _when(s.created_at), "last_seen_at": _when(s.last_seen_at)}
            for s in session.scalars(
                select(LoginSessionRow)
                .where(LoginSessionRow.user_id == user_id)
                .order_by(LoginSessionRow.id)
            )
        ]

    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _when(now),
        "account": account,
        "designs": designs,
        "documents": documents,
        "interviews": interviews,
        "card_states": card_states,
        "card_reviews": card_reviews,
        "shares_given": shares_given,
        "mentorships": mentorships,
        "sessions": sessions,
    }


def export_user(*, session: Session, username: str, now: datetime) -> dict[str, Any]:
    """:func:`export` of the account named ``username``."""
    return export(session=session, user_id=get_user(session=session, username=username).id, now=now)


def counts(document: dict[str, Any]) -> dict[str, int]:
    """How many objects of each kind an export holds (versions and peers counted apart)."""
    out = {
        key: len(document[key])
        for key in (
            "designs",
            "documents",
            "interviews",
            "card_states",
            "card_reviews",
            "shares_given",
            "mentorships",
            "sessions",
        )
    }
    out["versions"] = sum(len(d["versions"]) for d in document["designs"])
    out["interview_peers"] = sum(len(i["peers"]) for i in document["interviews"])
    return out
