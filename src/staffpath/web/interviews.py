"""The interview API under ``/api``: start, ask, save estimates, notes and the design, move
through the phases, the curveball, finish; the history; the interviewer's view behind a key.

The candidate's view never carries the hidden scenarios, the clarifications or the rubric;
the interviewer's view (``?key=``, the secret in the interviewer link) adds them. An interview
belongs to the user who started it; another signed-in user reaches it through the
interviewer link (its key), or as a **peer** named by the candidate
(``POST /api/interviews/{id}/peer {"user"}``): the peer gets the interviewer's view of that
one interview (without the key, which would outlive the grant) and may write the
interviewer's notes and scores, until a day after the interview finished or the grant is
removed (``DELETE /api/interviews/{id}/peer/{user}``). Anyone else gets a 404; a peer who
tries the candidate's part gets a 403.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from staffpath.errors import DesignError, InputError
from staffpath.practice import interview as iv
from staffpath.practice.problems import load_problem, parse_estimate, problem_ids
from staffpath.store import repository as repo
from staffpath.store import shares
from staffpath.store.accounts import Actor, can_see
from staffpath.store.models import InterviewPeerRow, InterviewRow, UserRow
from staffpath.units import UnitError
from staffpath.web.api import DB, MAX_YAML, Int64, _In, _when, invalid
from staffpath.web.policy import Me, signed_in
from staffpath.web.shares import call_as_http

router = APIRouter(prefix="/api", dependencies=[Depends(signed_in)])

_locks: dict[int, threading.Lock] = {}
_locks_guard = threading.Lock()


def locked_session(interview_id: Int64, request: Request) -> Iterator[Session]:
    """One change to an interview at a time, from its read to its commit: an autosave and a
    phase change that overlap would otherwise each write back the state they read, and the
    later commit would undo the other (the studio is one process)."""
    with _locks_guard:
        lock = _locks.setdefault(interview_id, threading.Lock())
    with lock, request.app.state.sessions.begin() as s:
        yield s


LockedDB = Annotated[Session, Depends(locked_session, scope="function")]


class StartIn(_In):
    problem: str
    minutes: Annotated[float, Field(ge=10, le=180)] = 45


class QuestionIn(_In):
    question: Annotated[str, Field(min_length=1, max_length=500)]


class UpdateIn(_In):
    notes: Annotated[str | None, Field(max_length=20_000)] = None
    estimates: dict[str, float | str] | None = None
    design_yaml: Annotated[str | None, Field(max_length=MAX_YAML)] = None


class InterviewerIn(_In):
    interviewer_notes: Annotated[str | None, Field(max_length=20_000)] = None
    scores: dict[str, Annotated[int, Field(ge=1, le=4)]] | None = None


def now() -> datetime:
    return datetime.now(UTC)


class PeerIn(_In):
    user: Annotated[str, Field(min_length=1, max_length=64)]


def _load(
    db: Any, interview_id: int, actor: Actor, key: str | None = None, *, peer: bool = False
) -> tuple[InterviewRow, iv.Session]:
    """The interview for its owner (or an admin), the holder of its key, or (``peer``: for
    the interviewer's part) a live peer; a peer asking for the candidate's part is a 403."""
    try:
        row = repo.get_interview(session=db, interview_id=interview_id, actor=actor, key=key)
    except repo.NotFound as exc:
        found = db.get(InterviewRow, interview_id) if shares.fits(interview_id) else None
        if found is None or not shares.is_peer(session=db, interview=found, actor=actor, at=now()):
            raise HTTPException(404, str(exc)) from None
        if not peer:
            raise HTTPException(403, "a peer has the interviewer's part only") from None
        row = found
    return row, iv.Session.model_validate_json(row.state)


def _as_peer(row: InterviewRow, actor: Actor, key: str | None) -> bool:
    """Reached through a peer grant (not as its owner, an admin or the key's holder)."""
    return key is None and not can_see(row.owner_id, actor)


def reach_as_peer(db: Any, interview_id: int, actor: Actor) -> None:
    """The interviewer's page without the link's key: for a live peer of the interview only
    (its page then calls the API as the peer). Anyone else without the key gets what the API
    gives them: a 404 (the interview does not exist for them); its owner, or an admin, is
    told the page needs the key (403), like a wrong key."""
    row, _ = _load(db, interview_id, actor, peer=True)
    if not _as_peer(row, actor, None):
        raise HTTPException(403, "the interviewer's page needs the interviewer link's key (?key=)")


def _peer_view(row: InterviewRow, session: iv.Session) -> dict[str, Any]:
    out = view(row, session, interviewer=True)
    del out["key"]
    return out | {"peer": True}


def _store(db: Any, row: InterviewRow, session: iv.Session) -> None:
    grading = session.grading
    repo.save_interview(
        session=db,
        row=row,
        state=session.model_dump_json(),
        score=grading.get("score"),
        finished=session.finished,
    )


def _check_key(row: InterviewRow, key: str | None) -> bool:
    if key is None:
        return False
    if not secrets.compare_digest(row.key.encode(), key.encode()):
        raise HTTPException(403, "this interviewer link's key is wrong")
    return True


def view(row: InterviewRow, session: iv.Session, *, interviewer: bool) -> dict[str, Any]:
    problem = load_problem(session.problem)
    current = session.current()
    out: dict[str, Any] = {
        "id": row.id,
        "problem": {
            "id": problem.id,
            "title": problem.title,
            "prompt": " ".join(problem.prompt.split()),
            "requirements": problem.requirements.model_dump(mode="json"),
        },
        "minutes": session.minutes,
        "started_at": _when(session.started_at),
        "now": now().isoformat(),
        "phases": [
            {
                "name": p.name,
                "title": p.title,
                "minutes": p.minutes,
                "started_at": None if p.started_at is None else _when(p.started_at),
                "ended_at": None if p.ended_at is None else _when(p.ended_at),
            }
            for p in session.phases
        ],
        "current_phase": None if current is None else current.name,
        "questions": [
            {"question": q.question, "answer": q.answer, "at": _when(q.at)}
            for q in session.questions
        ],
        "estimate_names": [
            {"name": e.name, "label": e.label, "unit": e.unit} for e in problem.estimates
        ],
        "estimates": session.estimates,
        "notes": session.notes,
        "design_yaml": session.design_yaml,
        "curveball": session.curveball,
        "report": session.report,
        "finished": session.finished,
    }
    if interviewer:
        out |= {
            "clarifications": [c.model_dump() for c in problem.clarifications],
            "scenarios": [s.model_dump(mode="json") for s in problem.scenarios],
            "rubric": {k: v.model_dump() for k, v in problem.rubric.items()},
            "interviewer_notes": session.interviewer_notes,
            "scores": session.scores,
            "key": row.key,
        }
    return out


@router.get("/problems")
def problems() -> list[dict[str, Any]]:
    out = []
    for pid in problem_ids():
        p = load_problem(pid)
        out.append(
            {
                "id": p.id,
                "title": p.title,
                "difficulty": p.difficulty,
                "flows": list(p.requirements.flows),
                "scenarios": len(p.scenarios),
            }
        )
    return out


@router.post("/interviews", status_code=201)
def start(body: StartIn, db: DB, actor: Me) -> dict[str, Any]:
    try:
        problem = load_problem(body.problem)
        session = iv.start(problem, body.minutes, now())
    except InputError as exc:
        raise HTTPException(404 if "no problem" in str(exc) else 422, str(exc)) from None
    key = secrets.token_urlsafe(24)
    row = repo.create_interview(
        session=db, problem=problem.id, key=key, state=session.model_dump_json(), actor=actor
    )
    return {
        "id": row.id,
        "problem": problem.id,
        "title": problem.title,
        "minutes": body.minutes,
        "key": key,
        "candidate_url": f"/interviews/{row.id}",
        "interviewer_url": f"/interviews/{row.id}/interviewer?key={key}",
    }


@router.get("/interviews")
def history(db: DB, actor: Me) -> list[dict[str, Any]]:
    """The actor's interviews, and those it is a peer of (marked ``shared_by`` and
    ``role: "peer"``)."""
    rows = repo.list_interviews(session=db, actor=actor)
    seen = {r.id for r in rows}
    peers = [
        p for p in shares.peer_interviews(session=db, actor=actor, at=now()) if p.id not in seen
    ]
    rows = sorted([*rows, *peers], key=lambda r: (_when(r.started_at), r.id), reverse=True)
    out: list[dict[str, Any]] = []
    for row in rows:
        session = iv.Session.model_validate_json(row.state)
        grading = session.grading
        if row.id not in seen:
            owner = db.get(UserRow, row.owner_id)
            out.append({"shared_by": owner.username if owner else None, "role": "peer"})
        else:
            out.append({})
        out[-1].update(
            {
                "id": row.id,
                "problem": row.problem,
                "title": load_problem(row.problem).title,
                "started_at": _when(row.started_at),
                "finished_at": None if row.finished_at is None else _when(row.finished_at),
                "score": row.score,
                "level": grading.get("level"),
                "areas": grading.get("areas"),
            }
        )
    return out


@router.get("/interviews/peers")
def peers(db: DB, actor: Me) -> list[dict[str, Any]]:
    """The peers the actor named on its own interviews (the Sharing page's list); empty in a
    single-user studio."""
    return peers_granted(db, actor)


@router.get("/interviews/{interview_id}")
def get(interview_id: Int64, db: DB, actor: Me, key: str | None = None) -> dict[str, Any]:
    row, session = _load(db, interview_id, actor, key, peer=True)
    if _as_peer(row, actor, key):
        return _peer_view(row, session)
    return view(row, session, interviewer=_check_key(row, key))


def _apply(db: Any, interview_id: int, actor: Actor, change: Any) -> dict[str, Any]:
    row, session = _load(db, interview_id, actor)
    try:
        session = change(session)
    except InputError as exc:
        raise HTTPException(409 if "over" in str(exc) else 422, str(exc)) from None
    _store(db, row, session)
    return view(row, session, interviewer=False)


@router.post("/interviews/{interview_id}/questions")
def question(interview_id: Int64, body: QuestionIn, db: LockedDB, actor: Me) -> dict[str, Any]:
    row, session = _load(db, interview_id, actor)
    try:
        session = iv.ask(session, load_problem(session.problem), body.question, now())
    except InputError as exc:
        raise HTTPException(409, str(exc)) from None
    _store(db, row, session)
    qa = session.questions[-1]
    return {"question": qa.question, "answer": qa.answer, "at": _when(qa.at)}


@router.put("/interviews/{interview_id}")
def update(interview_id: Int64, body: UpdateIn, db: LockedDB, actor: Me) -> dict[str, Any]:
    def change(session: iv.Session) -> iv.Session:
        if session.finished:
            raise InputError("this interview is over; start a new one")
        units = {e.name: e.unit for e in load_problem(session.problem).estimates}
        fields: dict[str, Any] = {}
        if body.notes is not None:
            fields["notes"] = body.notes
        if body.design_yaml is not None:
            fields["design_yaml"] = body.design_yaml
        if body.estimates is not None:
            values = dict(session.estimates)
            for name, value in body.estimates.items():
                if name not in units:
                    raise InputError(f"estimates: no estimate named {name!r}")
                try:
                    values[name] = parse_estimate(value, units[name])
                except UnitError as exc:
                    raise InputError(f"estimates.{name}: {exc}") from None
            fields["estimates"] = values
        return session.model_copy(update=fields)

    return _apply(db, interview_id, actor, change)


@router.post("/interviews/{interview_id}/phase")
def next_phase(interview_id: Int64, db: LockedDB, actor: Me) -> dict[str, Any]:
    return _apply(db, interview_id, actor, lambda s: iv.advance(s, now()))


@router.post("/interviews/{interview_id}/curveball")
def curveball(interview_id: Int64, db: LockedDB, actor: Me) -> JSONResponse:
    row, session = _load(db, interview_id, actor)
    try:
        session, result = iv.curveball(session, load_problem(session.problem))
    except DesignError as exc:
        return invalid(exc)
    except InputError as exc:
        raise HTTPException(409, str(exc)) from None
    _store(db, row, session)
    return JSONResponse(result.model_dump(mode="json"))


@router.post("/interviews/{interview_id}/finish")
def finish(interview_id: Int64, db: LockedDB, actor: Me) -> dict[str, Any]:
    row, session = _load(db, interview_id, actor)
    try:
        session = iv.finish(session, load_problem(session.problem), now())
    except InputError as exc:
        raise HTTPException(409, str(exc)) from None
    _store(db, row, session)
    report: dict[str, Any] = session.report or {}
    return report


@router.put("/interviews/{interview_id}/interviewer")
def interviewer(
    interview_id: Int64, body: InterviewerIn, db: LockedDB, actor: Me, key: str | None = None
) -> dict[str, Any]:
    """The interviewer's notes and scores: with the interviewer link's key, or as a peer."""
    row, session = _load(db, interview_id, actor, key, peer=True)
    as_peer = _as_peer(row, actor, key)
    if not as_peer and not _check_key(row, key):
        raise HTTPException(422, "key: the interviewer link's key is needed (?key=...)")
    fields: dict[str, Any] = {}
    if body.interviewer_notes is not None:
        fields["interviewer_notes"] = body.interviewer_notes
    if body.scores is not None:
        unknown = set(body.scores) - {p.name for p in session.phases}
        if unknown:
            raise HTTPException(422, f"scores: no phase named {', '.join(sorted(unknown))}")
        fields["scores"] = {**session.scores, **body.scores}
    session = session.model_copy(update=fields)
    _store(db, row, session)
    return _peer_view(row, session) if as_peer else view(row, session, interviewer=True)


@router.post("/interviews/{interview_id}/peer", status_code=201)
def add_peer(interview_id: Int64, body: PeerIn, db: DB, actor: Me) -> dict[str, Any]:
    """Give a signed-in user the interviewer's view of this interview (the candidate's act)."""
    call_as_http(
        shares.add_peer, session=db, interview_id=interview_id, username=body.user, actor=actor
    )
    return {"interview": interview_id, "user": body.user.strip().lower(), "role": "peer"}


@router.delete("/interviews/{interview_id}/peer/{user}", status_code=204)
def remove_peer(interview_id: Int64, user: str, db: DB, actor: Me) -> Response:
    call_as_http(
        shares.remove_peer, session=db, interview_id=interview_id, username=user, actor=actor
    )
    return Response(status_code=204)


def peers_granted(db: Any, actor: Actor) -> list[dict[str, Any]]:
    """The peers the actor named on its own interviews, newest interview first: the
    interview, its problem's title, the peer, and whether the grant still opens the
    interviewer's page (``live``: until a day after the interview finished)."""
    if actor.user_id is None:
        return []
    rows = db.execute(
        select(InterviewRow, UserRow)
        .join(InterviewPeerRow, InterviewPeerRow.interview_id == InterviewRow.id)
        .join(UserRow, UserRow.id == InterviewPeerRow.user_id)
        .where(InterviewRow.owner_id == actor.user_id)
        .order_by(InterviewRow.started_at.desc(), InterviewRow.id.desc(), UserRow.username)
    ).all()
    at = now()
    return [
        {
            "interview": row.id,
            "title": load_problem(row.problem).title,
            "started_at": _when(row.started_at),
            "finished": row.finished_at is not None,
            "user": user.username,
            "live": shares.is_peer(session=db, interview=row, actor=Actor(user_id=user.id), at=at),
        }
        for row, user in rows
    ]
