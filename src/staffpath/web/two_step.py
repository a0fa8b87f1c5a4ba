"""Two-step sign-in from the Account page (goal AN-7): a signed-in user turns it on and off
for their own account; ``staffpath users two-step`` does the same at the terminal.

- ``POST /api/me/two-step/key``: a fresh key, its ``otpauth://`` address and its QR code (an
  SVG). Nothing is stored: the key comes back with the first code.
- ``POST /api/me/two-step``: ``{key, code, password}`` turns it on once the password and the
  code (which proves the app holds the key) are right. Every session of the account ends and
  this browser gets a new one, as after a new password.
- ``POST /api/me/two-step/off``: ``{password, code}``, both of them: a stolen session alone
  cannot take the second step away.

A wrong password or code counts as a failed sign-in (AN-5). As in :func:`auth.login`, the
password is checked outside any database transaction.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from staffpath.errors import InputError
from staffpath.store import accounts, totp
from staffpath.store.database import read_only
from staffpath.store.models import UserRow
from staffpath.web import auth
from staffpath.web.api import _In
from staffpath.web.policy import Me

router = APIRouter(prefix="/api/me/two-step")

Password = Annotated[str, Field(min_length=1, max_length=accounts.MAX_PASSWORD_BYTES)]
Code = Annotated[str, Field(min_length=1, max_length=20)]
Key = Annotated[str, Field(pattern=r"^[A-Z2-7]{32}$", description="The key from /key")]

WRONG_PASSWORD = "the password is wrong"
REFUSED: dict[int | str, dict[str, Any]] = {
    403: {"description": "The password (or the code) is wrong, or the CSRF token is"},
    404: {"description": "A single-user studio has no accounts"},
    429: {"description": "Too many failed sign-ins (wrong passwords or codes); see Retry-After"},
}


class TurnOnIn(_In):
    key: Key
    code: Code
    password: Password


class TurnOffIn(_In):
    code: Code
    password: Password


def _failed(request: Request, username: str) -> None:
    request.app.state.login_limits.failed(username, auth.client_address(request))


def _reauthenticated(request: Request, username: str, password: str) -> int | JSONResponse:
    """The account's id when ``password`` is its password; else the refusal to answer: 404
    without accounts, 429 while the login limits hold, 403 (a failure counted)."""
    auth.accounts_on(request)
    wait = request.app.state.login_limits.retry_after(username, auth.client_address(request))
    if wait is not None:
        return auth.too_many(wait)
    auth.bounded(password)
    with read_only(request.app.state.sessions)() as db:
        user = accounts.get_user(session=db, username=username)
        user_id, stored = user.id, user.password_hash
    ok, _ = request.app.state.passwords.verify(password, stored)
    if not ok:
        _failed(request, username)
        return JSONResponse({"detail": WRONG_PASSWORD}, status_code=403)
    return int(user_id)


@router.post("/key", responses={404: REFUSED[404]})
def new_key(actor: Me, request: Request) -> dict[str, Any]:
    """A fresh key for an authenticator app, as text, as an ``otpauth://`` address and as a
    QR code (SVG). Nothing is stored until :func:`turn_on` gets it back with a code."""
    import io

    import segno

    auth.accounts_on(request)
    key = totp.new_secret()
    uri = totp.provisioning_uri(key, actor.username)
    drawing = io.BytesIO()
    segno.make(uri, error="m").save(drawing, kind="svg", scale=5, border=2, xmldecl=False)
    return {"key": key, "uri": uri, "qr_svg": drawing.getvalue().decode()}


@router.post(
    "",
    responses={**REFUSED, 409: {"description": "Two-step sign-in is on already"}},
)
def turn_on(body: TurnOnIn, actor: Me, request: Request, response: Response) -> Any:
    """Turn two-step sign-in on with ``key`` (from ``/key``), once ``code`` shows the app
    holds it and ``password`` is the account's. Every session ends; this browser gets a new
    one (``csrf`` is its token)."""
    user_id = _reauthenticated(request, actor.username, body.password)
    if isinstance(user_id, JSONResponse):
        return user_id
    with request.app.state.sessions.begin() as db:
        row = db.get(UserRow, user_id)
        if row is None or row.disabled_at is not None:
            return JSONResponse({"detail": WRONG_PASSWORD}, status_code=403)
        if row.totp_secret is not None:
            return JSONResponse(
                {"detail": "two-step sign-in is on already; turn it off first to change app"},
                status_code=409,
            )
        now = request.app.state.clock()
        try:
            totp.turn_on(session=db, user=row, secret=body.key, code=body.code, now=now)
        except InputError as exc:
            _failed(request, actor.username)
            return JSONResponse({"detail": f"{exc}, then enter a new code"}, status_code=422)
        token, session_row = accounts.open_session(session=db, user=row, now=now)
        result = {"two_step": True, "csrf": session_row.csrf}
    auth.set_cookie(request, response, token)
    return result


@router.post("/off", responses={**REFUSED, 409: {"description": "Two-step sign-in is off"}})
def turn_off(body: TurnOffIn, actor: Me, request: Request) -> Any:
    """Turn two-step sign-in off: the password and a current code, both."""
    user_id = _reauthenticated(request, actor.username, body.password)
    if isinstance(user_id, JSONResponse):
        return user_id
    with request.app.state.sessions.begin() as db:
        row = db.get(UserRow, user_id)
        if row is None or row.totp_secret is None:
            return JSONResponse({"detail": "two-step sign-in is not on"}, status_code=409)
        now = request.app.state.clock()
        if not totp.use_code(session=db, user_id=user_id, code=body.code, now=now):
            _failed(request, actor.username)
            return JSONResponse({"detail": auth.CODE_WRONG}, status_code=403)
        totp.turn_off(session=db, user=row)
    return {"two_step": False}
