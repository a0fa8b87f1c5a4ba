"""Signing in and out, the session cookie, CSRF, login rate limits: the studio's accounts.

Only a multi-user studio has accounts (docs/security.md); a single-user studio acts for the
local user and sets no cookie, but still refuses state-changing requests sent by pages of
other sites.

- The cookie (SE-1, SE-4, SE-5) holds a random token (``secrets.token_urlsafe(32)``), HttpOnly
  and SameSite=Lax, and Secure with the ``__Host-`` prefix over https. A cookie that is not a
  live session, whatever it holds, is simply anonymous.
- CSRF (CS-1, CS-2): a request that changes something and carries a live session must send
  the session's CSRF token in ``X-CSRF-Token`` (the pages read it from a meta tag). No header
  (an ``Authorization: Bearer`` included) lets it off: the studio has no bearer tokens.
  Every state-changing request must also come from the studio's own origin (``Origin`` and
  ``Sec-Fetch-Site``, when the browser sends them).
- Rate limits (AN-5): after 10 failed sign-ins for one account, or 30 from one address,
  within 15 minutes, sign-in answers 429 with ``Retry-After`` until the oldest failure ages
  out. Counted in memory: one studio process (restarting it forgets them).
"""

from __future__ import annotations

import secrets
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from staffpath.errors import InputError
from staffpath.store import accounts, totp
from staffpath.store.accounts import LOCAL, Actor, Lifetimes
from staffpath.store.models import UserRow
from staffpath.web.api import DB, _In
from staffpath.web.policy import ANONYMOUS, Auth, Me, admin, auth_of, public

COOKIE = "staffpath_session"
SECURE_COOKIE = "__Host-staffpath_session"
CSRF_HEADER = "x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TOUCH = timedelta(minutes=1)
WRONG = "wrong username or password"
CODE_NEEDED = "enter the 6-digit code your authenticator app shows for this account"
CODE_WRONG = "that code is wrong, or was used already; enter the one the app shows now"

Clock = Callable[[], datetime]

router = APIRouter(prefix="/api")


# --- rate limits -----------------------------------------------------------------------------


class LoginLimits:
    """Failed sign-ins per account and per client address in a sliding window (AN-5)."""

    def __init__(
        self,
        clock: Clock,
        *,
        window: timedelta = timedelta(minutes=15),
        per_account: int = 10,
        per_address: int = 30,
    ) -> None:
        self._clock = clock
        self.window = window
        self._limits = {"account": per_account, "address": per_address}
        self._failures: dict[tuple[str, str], deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: datetime) -> deque[datetime]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and now - times[0] >= self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, account: str, address: str) -> int | None:
        """Seconds until a sign-in may be tried again, or None when it may now."""
        now = self._clock()
        wait = 0.0
        with self._lock:
            for key in (("account", account), ("address", address)):
                times = self._recent(key, now)
                limit = self._limits[key[0]]
                if len(times) >= limit:
                    # the attempt is allowed again once the failures drop below the limit
                    until = times[len(times) - limit] + self.window
                    wait = max(wait, (until - now).total_seconds())
        return max(1, int(wait + 0.999)) if wait > 0 else None

    def failed(self, account: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            for key in (("account", account), ("address", address)):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(("account", account), None)


# --- the session cookie and CSRF -------------------------------------------------------------


def lifetimes(request: Request) -> Lifetimes:
    s = request.app.state.settings
    return Lifetimes(idle=s.session_idle, absolute=s.session_absolute)


def cookie_token(request: Request) -> str | None:
    return request.cookies.get(SECURE_COOKIE) or request.cookies.get(COOKIE)


def _lookup(request: Request, token: str) -> Auth:
    with request.app.state.sessions.begin() as s:
        found = accounts.find_session(
            session=s,
            token=token,
            now=request.app.state.clock(),
            lifetimes=lifetimes(request),
            touch=TOUCH,
        )
        if found is None:
            return ANONYMOUS
        row, user = found
        actor = Actor(user_id=user.id, username=user.username, is_admin=user.is_admin)
        return Auth(actor=actor, csrf=row.csrf, token=token)


async def authenticate(request: Request) -> Auth:
    """Who the request is from: the local user in single-user mode; else the session of its
    cookie, or nobody. Never raises for a bad cookie (SE-5)."""
    if not request.app.state.settings.multi_user:
        return Auth(actor=LOCAL)
    token = cookie_token(request)
    if token is None or not accounts.well_formed(token):
        return ANONYMOUS
    return await run_in_threadpool(_lookup, request, token)


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def forgery(request: Request, auth: Auth) -> str | None:
    """Why a state-changing request is refused as a possible cross-site forgery, or None."""
    if request.method not in UNSAFE:
        return None
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return f"a request from another site ({site}) may not change the studio"
    origin = request.headers.get("origin")
    if origin is not None and origin != own_origin(request):
        return "a request from another origin may not change the studio"
    if auth.csrf is not None:
        sent = request.headers.get(CSRF_HEADER, "")
        if not secrets.compare_digest(sent.encode("utf-8", "replace"), auth.csrf.encode()):
            return "the CSRF token is missing or wrong; reload the page and try again"
    return None


def set_cookie(request: Request, response: Response, token: str) -> None:
    https = request.url.scheme == "https"
    response.set_cookie(
        SECURE_COOKIE if https else COOKIE,
        token,
        max_age=int(request.app.state.settings.session_absolute.total_seconds()),
        path="/",
        secure=https,
        httponly=True,
        samesite="lax",
    )


def clear_cookie(request: Request, response: Response) -> None:
    https = request.url.scheme == "https"
    response.delete_cookie(
        SECURE_COOKIE if https else COOKIE, path="/", secure=https, httponly=True, samesite="lax"
    )


# --- routes ----------------------------------------------------------------------------------


class LoginIn(_In):
    username: Annotated[str, Field(min_length=1, max_length=200)]
    password: Annotated[str, Field(min_length=1, max_length=accounts.MAX_PASSWORD_BYTES)]
    code: Annotated[
        str | None,
        Field(
            max_length=20,
            description="The authenticator app's code, for an account with two-step sign-in",
        ),
    ] = None


class PasswordIn(_In):
    current: Annotated[str, Field(min_length=1, max_length=accounts.MAX_PASSWORD_BYTES)]
    new: Annotated[str, Field(min_length=1, max_length=accounts.MAX_PASSWORD_BYTES)]


def accounts_on(request: Request) -> None:
    if not request.app.state.settings.multi_user:
        raise HTTPException(
            404, "this studio is single-user and has no accounts (start it with --multi-user)"
        )


def bounded(password: str) -> None:
    if len(password.encode("utf-8", "surrogatepass")) > accounts.MAX_PASSWORD_BYTES:
        raise HTTPException(422, f"password: longer than {accounts.MAX_PASSWORD_BYTES} bytes")


def too_many(wait: int) -> JSONResponse:
    """The answer while the login limits hold (AN-5): 429 with ``Retry-After``."""
    return JSONResponse(
        {"detail": f"too many failed sign-ins; try again in {wait} s"},
        status_code=429,
        headers={"Retry-After": str(wait)},
    )


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/login",
    dependencies=[Depends(public)],
    responses={
        401: {
            "description": "Wrong username or password; or, with ``code_required`` true, the "
            "password was right and the account's one-time code is missing or wrong"
        },
        429: {"description": "Too many failed sign-ins; see Retry-After"},
    },
)
def login(body: LoginIn, request: Request, response: Response) -> Any:
    """Sign in: a new session (and cookie) on success; the same 401 for an unknown user and a
    wrong password (AN-4); 429 with Retry-After after too many failures (AN-5).

    An account with two-step sign-in (AN-7, :mod:`staffpath.store.totp`) also needs
    ``code``: with the right password and no code the answer is 401 with ``code_required``
    (no failure counted: the password was right), and a wrong or reused code is a failure
    like a wrong password.

    The password is checked outside any database transaction: argon2id takes a tenth of a
    second or more and waits its turn for a hashing slot (AN-6), and a transaction held over
    that wait would hold a pooled connection and the write lock with it (fifty sign-ins at
    once exhausted the pool and answered 500 before this was so)."""
    from staffpath.store.database import read_only

    accounts_on(request)
    bounded(body.password)
    name = body.username.strip().lower()
    limits: LoginLimits = request.app.state.login_limits
    wait = limits.retry_after(name, client_address(request))
    if wait is not None:
        return too_many(wait)
    passwords: accounts.Passwords = request.app.state.passwords
    with read_only(request.app.state.sessions)() as db:
        user = accounts.find_user(session=db, username=name)
        user_id = None if user is None else user.id
        stored = None if user is None else user.password_hash
        disabled = user is not None and user.disabled_at is not None
        two_step = user is not None and user.totp_secret is not None
    ok, new_hash = passwords.verify(body.password, stored)
    if not ok or user_id is None or disabled:
        limits.failed(name, client_address(request))
        return JSONResponse({"detail": WRONG}, status_code=401)
    if two_step and body.code is None:
        return JSONResponse({"detail": CODE_NEEDED, "code_required": True}, status_code=401)
    with request.app.state.sessions.begin() as db:
        row_user = db.get(UserRow, user_id)
        if row_user is None or row_user.disabled_at is not None:  # gone while we hashed
            return JSONResponse({"detail": WRONG}, status_code=401)
        now = request.app.state.clock()
        if row_user.totp_secret is not None and not totp.use_code(
            session=db, user_id=user_id, code=body.code or "", now=now
        ):
            limits.failed(name, client_address(request))
            return JSONResponse({"detail": CODE_WRONG, "code_required": True}, status_code=401)
        limits.succeeded(name)
        if new_hash is not None and row_user.password_hash == stored:
            row_user.password_hash = new_hash  # stronger parameters since it was made (AN-1)
        old = cookie_token(request)
        if old is not None:
            accounts.end_session(session=db, token=old)
        accounts.purge_sessions(session=db, now=now, lifetimes=lifetimes(request))
        token, row = accounts.open_session(session=db, user=row_user, now=now)
        result = {"username": row_user.username, "is_admin": row_user.is_admin, "csrf": row.csrf}
    set_cookie(request, response, token)
    return result


@router.post("/logout", status_code=204, dependencies=[Depends(public)])
def logout(request: Request, db: DB) -> Response:
    """Sign out: the session ends on the server (a copied cookie is worthless after)."""
    response = Response(status_code=204)
    token = cookie_token(request)
    if token is not None:
        accounts.end_session(session=db, token=token)
        clear_cookie(request, response)
    return response


@router.get("/me")
def me(actor: Me, request: Request, db: DB) -> dict[str, Any]:
    """Who is signed in (in single-user mode, the local user), and whether their account has
    two-step sign-in."""
    user = None if actor.user_id is None else db.get(UserRow, actor.user_id)
    return {
        "username": actor.username,
        "is_admin": actor.is_admin,
        "multi_user": request.app.state.settings.multi_user,
        "two_step": user is not None and user.totp_secret is not None,
    }


@router.post(
    "/password",
    responses={
        403: {"description": "The current password is wrong (or the CSRF token is)"},
        409: {"description": "The account changed while the new password was being hashed"},
        429: {"description": "Too many failed sign-ins (or wrong current passwords)"},
    },
)
def change_password(body: PasswordIn, actor: Me, request: Request, response: Response) -> Any:
    """A new password: every session of the account ends, this browser gets a new one.

    Like :func:`login`, no database transaction is open while argon2id runs (the check of
    the current password, then the hash of the new one): a transaction held over that wait
    would hold a pooled connection and, on SQLite, the write lock, so every other write of
    the studio would queue behind the hashing. The write that follows is short and first
    checks that the account still has the hash that was verified; if another change (or a
    disabled account) came in between, it answers 409 and changes nothing."""
    from staffpath.store.database import read_only

    accounts_on(request)
    wait = request.app.state.login_limits.retry_after(actor.username, client_address(request))
    if wait is not None:  # a stolen session may not try current passwords without end
        return too_many(wait)
    bounded(body.current)
    bounded(body.new)
    check_new_password(body.new)
    with read_only(request.app.state.sessions)() as db:
        user = accounts.get_user(session=db, username=actor.username)
        user_id, username, stored = user.id, user.username, user.password_hash
    passwords: accounts.Passwords = request.app.state.passwords
    ok, _ = passwords.verify(body.current, stored)
    if not ok:
        request.app.state.login_limits.failed(username, client_address(request))
        return JSONResponse({"detail": "the current password is wrong"}, status_code=403)
    new_hash = passwords.hash(body.new)
    with request.app.state.sessions.begin() as db:
        row = db.get(UserRow, user_id)
        if row is None or row.disabled_at is not None or row.password_hash != stored:
            return JSONResponse(
                {
                    "detail": "the account's password changed (or the account was disabled) "
                    "while this change was being made; nothing was changed: sign in again "
                    "and retry"
                },
                status_code=409,
            )
        now = request.app.state.clock()
        accounts.set_password(session=db, user=row, password_hash=new_hash, now=now)
        token, session_row = accounts.open_session(session=db, user=row, now=now)
        result = {"username": row.username, "csrf": session_row.csrf}
    set_cookie(request, response, token)
    return result


def check_new_password(password: str) -> None:
    """The studio's password policy for a new password (AN-2): the same
    :func:`~staffpath.store.accounts.check_password` as ``staffpath users``, as a 422."""
    try:
        accounts.check_password(password)
    except InputError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get(
    "/users",
    dependencies=[Depends(admin)],
    responses={404: {"description": "A single-user studio has no accounts"}},
)
def users(request: Request, db: DB) -> list[dict[str, Any]]:
    """The accounts (admins only); ``staffpath users`` manages them."""
    accounts_on(request)
    return [
        {
            "username": u.username,
            "is_admin": u.is_admin,
            "disabled": u.disabled_at is not None,
            "two_step": u.totp_secret is not None,
        }
        for u in accounts.list_users(session=db)
    ]


def page_context(request: Request) -> dict[str, Any]:
    """What every page template gets: the CSRF token for its meta tag, and who is signed in."""
    auth = auth_of(request)
    multi = request.app.state.settings.multi_user
    return {"csrf": auth.csrf, "user": auth.actor if multi else None}
