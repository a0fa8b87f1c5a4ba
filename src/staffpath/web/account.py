"""An account's data as a whole (goal PR-2): deleting an account, exporting one's own.

- ``DELETE /api/users/{name}`` (admins): the account and every row that names it go, in
  one transaction (:func:`staffpath.store.erasure.delete_user`); answers what was removed,
  per table. The last admin who can sign in is not deleted (409). Its simulations still in
  memory are no longer reachable by anyone but an admin, until the studio forgets them.
- ``GET /api/me/export``: everything the signed-in user owns, as one JSON document
  (:func:`staffpath.store.erasure.export`), offered as a download. In a single-user
  studio, the local user's.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import JSONResponse

from staffpath.store import erasure
from staffpath.store.accounts import find_user
from staffpath.web.api import DB
from staffpath.web.policy import Me, admin, signed_in

router = APIRouter(prefix="/api")

Name = Annotated[str, Path(min_length=1, max_length=64)]


@router.delete(
    "/users/{name}",
    dependencies=[Depends(admin)],
    responses={
        404: {"description": "No such account (or a single-user studio, which has none)"},
        409: {"description": "The last admin who can sign in is not deleted"},
    },
)
def delete_account(name: Name, request: Request, db: DB) -> dict[str, Any]:
    """Delete an account for good (admins only), with its designs, documents, interviews,
    flashcards, shares given and received, mentorships and sessions. There is no undo:
    ``GET /api/me/export`` (by the user) or ``staffpath users export`` first keeps a copy."""
    if not request.app.state.settings.multi_user:
        raise HTTPException(404, "this studio is single-user and has no accounts")
    user = find_user(session=db, username=name)
    if user is None:
        raise HTTPException(404, f"no user {name!r}")
    user_id = user.id
    try:
        done = erasure.delete_user(session=db, username=user.username)
    except erasure.LastAdmin as exc:
        raise HTTPException(409, str(exc)) from None
    owners: dict[str, int | None] = request.app.state.job_owners
    for job_id in [k for k, v in owners.items() if v == user_id]:
        del owners[job_id]  # a later account that gets the same id must not see them
    return {"username": done.username, "deleted": done.rows}


@router.get(
    "/me/export",
    dependencies=[Depends(signed_in)],
    responses={200: {"description": "The user's objects as one JSON document (a download)"}},
)
def export_mine(actor: Me, request: Request, db: DB) -> JSONResponse:
    """Everything the signed-in user owns, as one JSON document: designs with all their
    versions, stories and career documents (texts exactly as written), interviews, the
    flashcard schedule and reviews, shares given, mentorships. Not what others shared with
    the user (that is theirs), and no secrets (password hash, tokens)."""
    document = erasure.export(session=db, user_id=actor.user_id, now=request.app.state.clock())
    day = request.app.state.clock().date().isoformat()
    filename = f"staffpath-{actor.username}-{day}.json"
    return JSONResponse(
        document, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
