"""Sharing under ``/api``: shares of a design, a story or a career document, and mentors.

- ``GET /api/shares``: the shares the actor gave and those it received (directly, or as a
  mentor of the owner). ``POST /api/shares`` ``{"object": "design"|"story"|"document", "id",
  "user", "role": "viewer"|"editor"}`` shares an object of the actor's own (or, for an admin,
  anyone's); ``{"object", "id", "mentors": true}`` shares it read-only with the owner's
  mentors. ``DELETE /api/shares/{id}`` revokes it (its owner or an admin), effective from the
  next request.
- ``GET /api/mentors``: the actor's mentors and mentees. ``POST /api/mentors {"user"}``: the
  actor (the mentee) invites a mentor; ``POST /api/mentors/{id}/accept``: the mentor accepts;
  ``DELETE /api/mentors/{id}``: either side ends it.

An object the actor cannot see is a 404 like one that does not exist; one it sees but may not
share (a viewer, an editor, a mentor) is a 403.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Response
from fastapi.responses import JSONResponse
from pydantic import Field, model_validator

from staffpath.errors import InputError
from staffpath.store import shares
from staffpath.store.accounts import Actor
from staffpath.store.shares import Received, ShareView
from staffpath.web.api import DB, Int64, _In, _when
from staffpath.web.policy import Me, signed_in

router = APIRouter(prefix="/api", dependencies=[Depends(signed_in)])

Name = Annotated[str, Field(min_length=1, max_length=64)]


class ShareIn(_In):
    object: Literal["design", "story", "document"]
    id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    user: Name | None = None
    mentors: bool = False
    role: Literal["viewer", "editor"] = "viewer"

    @model_validator(mode="after")
    def _one_audience(self) -> ShareIn:
        if (self.user is None) == (not self.mentors):
            raise ValueError("give either a user or mentors: true")
        return self


class MentorIn(_In):
    user: Name


def mark(
    out: dict[str, Any], owner_id: int | None, got: Received | None, actor: Actor
) -> dict[str, Any]:
    """A list row of an object shared with the actor gets ``shared_by`` (its owner) and the
    actor's ``role``; the actor's own rows are left as they are."""
    if got is not None and owner_id != actor.user_id:
        out |= {"shared_by": got.shared_by, "role": got.role}
    return out


def call_as_http(fn: Any, **kwargs: Any) -> Any:
    """``fn(**kwargs)``, a :mod:`staffpath.store.shares` function, with its refusals as HTTP
    errors: not found 404, forbidden 403, bad input 422."""
    try:
        return fn(**kwargs)
    except shares.NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except shares.Forbidden as exc:
        raise HTTPException(403, str(exc)) from None
    except InputError as exc:
        raise HTTPException(422, str(exc)) from None


def _share(v: ShareView) -> dict[str, Any]:
    return {
        "id": v.id,
        "object": v.object,
        "object_id": v.object_id,
        "kind": v.kind,
        "name": v.name,
        "owner": v.owner,
        "user": v.user,
        "mentors": v.user is None,
        "role": v.role,
        "created_at": _when(v.created_at),
    }


@router.get("/shares")
def list_shares(db: DB, actor: Me) -> dict[str, list[dict[str, Any]]]:
    return {
        "given": [_share(v) for v in shares.given(session=db, actor=actor)],
        "received": [_share(v) for v in shares.shares_received(session=db, actor=actor)],
    }


@router.post("/shares", status_code=201)
def create_share(body: ShareIn, db: DB, actor: Me) -> JSONResponse:
    row, new = call_as_http(
        shares.share,
        session=db,
        obj="design" if body.object == "design" else "document",
        object_id=body.id,
        username=body.user,
        role=body.role,
        actor=actor,
        story=None if body.object == "design" else body.object == "story",
    )
    (view,) = [v for v in shares.given(session=db, actor=_owner(row.owner_id)) if v.id == row.id]
    return JSONResponse(_share(view), status_code=201 if new else 200)


def _owner(user_id: int) -> Actor:
    return Actor(user_id=user_id)


@router.delete("/shares/{share_id}", status_code=204)
def revoke_share(share_id: Int64, db: DB, actor: Me) -> Response:
    call_as_http(shares.revoke, session=db, share_id=share_id, actor=actor)
    return Response(status_code=204)


# --- mentors -----------------------------------------------------------------------------------


def _mentorship(row: Any, mentee: str, mentor: str) -> dict[str, Any]:
    return {
        "id": row.id,
        "mentee": mentee,
        "mentor": mentor,
        "accepted": row.accepted_at is not None,
        "created_at": _when(row.created_at),
    }


@router.get("/mentors")
def list_mentors(db: DB, actor: Me) -> dict[str, list[dict[str, Any]]]:
    """The actor's mentors (``mentors``) and the users it mentors (``mentees``)."""
    out: dict[str, list[dict[str, Any]]] = {"mentors": [], "mentees": []}
    for row, mentee, mentor in shares.mentorships(session=db, actor=actor):
        side = "mentors" if row.mentee_id == actor.user_id else "mentees"
        out[side].append(_mentorship(row, mentee, mentor))
    return out


@router.post("/mentors", status_code=201)
def invite_mentor(body: MentorIn, db: DB, actor: Me) -> dict[str, Any]:
    row = call_as_http(shares.invite_mentor, session=db, username=body.user, actor=actor)
    return _mentorship(row, actor.username, body.user.strip().lower())


@router.post("/mentors/{mentorship_id}/accept")
def accept_mentor(mentorship_id: Int64, db: DB, actor: Me) -> dict[str, Any]:
    row = call_as_http(shares.accept_mentor, session=db, mentorship_id=mentorship_id, actor=actor)
    names = {r.id: (a, b) for r, a, b in shares.mentorships(session=db, actor=actor)}
    return _mentorship(row, *names[row.id])


@router.delete("/mentors/{mentorship_id}", status_code=204)
def end_mentorship(mentorship_id: Int64, db: DB, actor: Me) -> Response:
    call_as_http(shares.end_mentorship, session=db, mentorship_id=mentorship_id, actor=actor)
    return Response(status_code=204)
