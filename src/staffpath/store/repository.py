"""Reading and writing designs and their versions, and interviews. Functions take ``session``
by keyword and never commit: the caller (a request, a test) owns the transaction.

Every function takes the acting user as ``actor`` (default :data:`~staffpath.store.accounts.LOCAL`,
the single user of a studio without accounts and of the terminal): a row that is not the
actor's (and the actor is no admin) is :class:`NotFound`, exactly like a row that does not
exist, so another user's ids reveal nothing (goal AZ-2). A design shared with the actor
(:mod:`staffpath.store.shares`) is readable, and writable by an editor; what the actor's role
does not allow is :class:`Forbidden`. ``need`` says what a call requires."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, true
from sqlalchemy.orm import Session, selectinload

from staffpath.store import shares
from staffpath.store.accounts import LOCAL, Actor, can_see, visible
from staffpath.store.models import DesignRow, InterviewRow, VersionRow, now
from staffpath.store.shares import EDITOR, OWNER, VIEWER, Forbidden, NotFound, Role

__all__ = ["Forbidden", "NotFound"]


@dataclass(frozen=True)
class Figures:
    """The headline figures of a version that loaded and was analysed."""

    meets_goals: bool
    worst_p99_ms: float | None
    cost_per_month: float


def create_design(
    *,
    session: Session,
    name: str,
    yaml: str,
    figures: Figures | None,
    note: str | None = None,
    actor: Actor = LOCAL,
) -> DesignRow:
    design = DesignRow(name=name[:200] or "untitled", owner_id=actor.user_id)
    session.add(design)
    session.flush()
    _add_version(session=session, design=design, yaml=yaml, figures=figures, note=note)
    return design


def _add_version(
    *, session: Session, design: DesignRow, yaml: str, figures: Figures | None, note: str | None
) -> VersionRow:
    last = session.scalar(
        select(func.max(VersionRow.number)).where(VersionRow.design_id == design.id)
    )
    version = VersionRow(
        design_id=design.id,
        number=(last or 0) + 1,
        yaml=yaml,
        note=note,
        valid=figures is not None,
        meets_goals=None if figures is None else figures.meets_goals,
        worst_p99_ms=None if figures is None else figures.worst_p99_ms,
        cost_per_month=None if figures is None else figures.cost_per_month,
        created_at=now(),
    )
    session.add(version)
    design.updated_at = version.created_at
    session.flush()
    return version


def get_design(
    *,
    session: Session,
    design_id: int,
    deleted: bool = False,
    actor: Actor = LOCAL,
    need: Role = VIEWER,
) -> DesignRow:
    design = session.get(DesignRow, design_id) if shares.fits(design_id) else None
    if design is None or (design.deleted_at is not None and not deleted):
        raise NotFound(f"no design {design_id}")
    role = shares.role_of(
        session=session, obj="design", object_id=design_id, owner_id=design.owner_id, actor=actor
    )
    shares.require(role, need, f"design {design_id}")
    return design


def _named(search: str | None) -> Any:
    """Designs whose name holds ``search`` (any case; ``%`` and ``_`` are plain characters), or
    every design for no search."""
    if not search:
        return true()
    escaped = search.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return DesignRow.name.ilike(f"%{escaped}%", escape="/")


def _listing(actor: Actor, *columns: Any, search: str | None = None) -> Select[Any]:
    """``columns`` of the live designs the actor may see (named like ``search``, if given), each
    joined to its latest version, most recently changed first."""
    latest = (
        select(VersionRow.design_id, func.max(VersionRow.number).label("n"))
        .group_by(VersionRow.design_id)
        .subquery()
    )
    return (
        select(*columns)
        .join(latest, latest.c.design_id == DesignRow.id)
        .join(
            VersionRow,
            (VersionRow.design_id == DesignRow.id) & (VersionRow.number == latest.c.n),
        )
        .where(
            DesignRow.deleted_at.is_(None),
            shares.readable("design", DesignRow.id, DesignRow.owner_id, actor),
            _named(search),
        )
        .order_by(DesignRow.updated_at.desc(), DesignRow.id.desc())
    )


def list_designs(*, session: Session, actor: Actor = LOCAL) -> list[tuple[DesignRow, VersionRow]]:
    """Live designs the actor may see (its own, and those shared with it), most recently
    changed first, each with its latest version."""
    rows = session.execute(_listing(actor, DesignRow, VersionRow)).all()
    return [(d, v) for d, v in rows]


@dataclass(frozen=True)
class DesignSummary:
    """A row of the library: a design and the figures of its latest version."""

    id: int
    name: str
    owner_id: int | None
    updated_at: datetime
    version: int
    valid: bool
    meets_goals: bool | None
    worst_p99_ms: float | None
    cost_per_month: float | None


def design_summaries(
    *,
    session: Session,
    actor: Actor = LOCAL,
    limit: int | None = None,
    offset: int = 0,
    search: str | None = None,
) -> list[DesignSummary]:
    """:func:`list_designs` as plain columns, ``limit`` rows from ``offset``, only those whose
    name holds ``search`` if one is given: no ORM objects, and no version text read. With 700 designs this is the studio's most frequent read, and
    building 1,400 ORM objects (with every version's YAML) was two thirds of its time."""
    query = _listing(
        actor,
        DesignRow.id,
        DesignRow.name,
        DesignRow.owner_id,
        DesignRow.updated_at,
        VersionRow.number,
        VersionRow.valid,
        VersionRow.meets_goals,
        VersionRow.worst_p99_ms,
        VersionRow.cost_per_month,
        search=search,
    )
    query = query.limit(limit).offset(offset)
    return [DesignSummary(*row) for row in session.execute(query)]


def count_designs(*, session: Session, actor: Actor = LOCAL, search: str | None = None) -> int:
    """How many designs :func:`design_summaries` lists in all (for ``search``)."""
    query = select(func.count()).select_from(
        select(DesignRow.id)
        .where(
            DesignRow.deleted_at.is_(None),
            shares.readable("design", DesignRow.id, DesignRow.owner_id, actor),
            _named(search),
        )
        .subquery()
    )
    return int(session.scalar(query) or 0)


def latest_version(*, session: Session, design_id: int, actor: Actor = LOCAL) -> VersionRow:
    get_design(session=session, design_id=design_id, actor=actor)
    version = session.scalar(
        select(VersionRow)
        .where(VersionRow.design_id == design_id)
        .order_by(VersionRow.number.desc())
        .limit(1)
    )
    if version is None:  # pragma: no cover - a design always has a version
        raise NotFound(f"design {design_id} has no version")
    return version


def get_version(
    *, session: Session, design_id: int, number: int, actor: Actor = LOCAL
) -> VersionRow:
    get_design(session=session, design_id=design_id, actor=actor)
    version = session.scalar(
        select(VersionRow).where(VersionRow.design_id == design_id, VersionRow.number == number)
    )
    if version is None:
        raise NotFound(f"design {design_id} has no version {number}")
    return version


def list_versions(*, session: Session, design_id: int, actor: Actor = LOCAL) -> list[VersionRow]:
    get_design(session=session, design_id=design_id, actor=actor)
    design = session.scalar(
        select(DesignRow).where(DesignRow.id == design_id).options(selectinload(DesignRow.versions))
    )
    assert design is not None
    return list(reversed(design.versions))


def save_version(
    *,
    session: Session,
    design_id: int,
    yaml: str,
    name: str | None,
    figures: Figures | None,
    note: str | None = None,
    actor: Actor = LOCAL,
) -> VersionRow:
    """A new version, unless the text is the same as the latest one (then that one). An
    editor may."""
    design = get_design(session=session, design_id=design_id, actor=actor, need=EDITOR)
    last = latest_version(session=session, design_id=design_id, actor=actor)
    if last.yaml == yaml:
        return last
    if name:
        design.name = name[:200]
    return _add_version(session=session, design=design, yaml=yaml, figures=figures, note=note)


def restore_version(
    *,
    session: Session,
    design_id: int,
    number: int,
    figures: Figures | None,
    actor: Actor = LOCAL,
) -> VersionRow:
    """Make an old version the latest again (as a new version: history is never rewritten)."""
    old = get_version(session=session, design_id=design_id, number=number, actor=actor)
    return save_version(
        session=session,
        design_id=design_id,
        yaml=old.yaml,
        name=None,
        figures=figures,
        note=f"restored version {number}",
        actor=actor,
    )


def diff(*, session: Session, design_id: int, a: int, b: int, actor: Actor = LOCAL) -> str:
    """A unified diff from version ``a`` to version ``b``."""
    va = get_version(session=session, design_id=design_id, number=a, actor=actor)
    vb = get_version(session=session, design_id=design_id, number=b, actor=actor)
    return "".join(
        difflib.unified_diff(
            va.yaml.splitlines(keepends=True),
            vb.yaml.splitlines(keepends=True),
            fromfile=f"version {a}",
            tofile=f"version {b}",
        )
    )


def delete_design(*, session: Session, design_id: int, actor: Actor = LOCAL) -> None:
    """Soft delete: the design disappears from the library until :func:`undelete_design`.
    The owner's (or an admin's) act only."""
    get_design(session=session, design_id=design_id, actor=actor, need=OWNER).deleted_at = now()


def undelete_design(*, session: Session, design_id: int, actor: Actor = LOCAL) -> DesignRow:
    design = get_design(session=session, design_id=design_id, deleted=True, actor=actor, need=OWNER)
    design.deleted_at = None
    return design


def duplicate_design(*, session: Session, design_id: int, actor: Actor = LOCAL) -> DesignRow:
    """A copy of a design the actor may read (a shared one too), owned by the actor."""
    design = get_design(session=session, design_id=design_id, actor=actor)
    last = latest_version(session=session, design_id=design_id, actor=actor)
    figures = (
        Figures(bool(last.meets_goals), last.worst_p99_ms, last.cost_per_month or 0.0)
        if last.valid
        else None
    )
    return create_design(
        session=session,
        name=f"{design.name} (copy)",
        yaml=last.yaml,
        figures=figures,
        note=f"copied from design {design_id} version {last.number}",
        actor=actor,
    )


def purge_deleted(*, session: Session, before: datetime) -> int:
    """Remove designs deleted before ``before`` for good; returns how many."""
    rows = session.scalars(select(DesignRow).where(DesignRow.deleted_at < before)).all()
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)


# --- interviews ------------------------------------------------------------------------------


def create_interview(
    *, session: Session, problem: str, key: str, state: str, actor: Actor = LOCAL
) -> InterviewRow:
    row = InterviewRow(
        problem=problem, key=key, state=state, started_at=now(), owner_id=actor.user_id
    )
    session.add(row)
    session.flush()
    return row


def get_interview(
    *, session: Session, interview_id: int, actor: Actor = LOCAL, key: str | None = None
) -> InterviewRow:
    """The interview, if the actor may see it, or holds its interviewer ``key`` (the secret of
    the interviewer link, which is how a peer reaches a candidate's interview)."""
    import secrets

    row = session.get(InterviewRow, interview_id) if shares.fits(interview_id) else None
    if row is None or not (
        can_see(row.owner_id, actor)
        or (key is not None and secrets.compare_digest(row.key.encode(), key.encode()))
    ):
        raise NotFound(f"no interview {interview_id}")
    return row


def save_interview(
    *, session: Session, row: InterviewRow, state: str, score: float | None, finished: bool
) -> InterviewRow:
    row.state = state
    row.score = score
    if finished and row.finished_at is None:
        row.finished_at = now()
    session.flush()
    return row


def list_interviews(*, session: Session, actor: Actor = LOCAL) -> list[InterviewRow]:
    return list(
        session.scalars(
            select(InterviewRow)
            .where(visible(InterviewRow.owner_id, actor))
            .order_by(InterviewRow.started_at.desc(), InterviewRow.id.desc())
        )
    )
