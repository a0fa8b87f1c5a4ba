"""Accounts, passwords and sign-in sessions of a multi-user studio, and who is acting.

Like :mod:`staffpath.store.repository`: functions take ``session`` by keyword and never
commit. The clock comes in as ``now``.

- Passwords (goals AN-1, AN-2, AN-6): argon2id through ``pwdlib``; a hash made with older
  parameters is replaced at the next sign-in (:meth:`Passwords.verify`); at most about one
  hash per CPU runs at a time, so a burst of sign-ins cannot take memory without bound
  (19 MiB each). Every new password passes :func:`check_password` (length, and not one of
  the 10,000 most common).
- Sessions (SE-1..SE-3): the browser holds a random token; the table holds its SHA-256, so
  a copy of the database signs nobody in. A session ends at sign-out, when the account is
  disabled or its password changes, after the idle time and after the absolute lifetime.
- :class:`Actor` is who a request (or a command) acts for. ``owner_id`` NULL on a row means
  the local single user, who is :data:`LOCAL`; an admin sees every row.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import secrets
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import ColumnElement, delete, select, true
from sqlalchemy.orm import Session

from staffpath.errors import InputError
from staffpath.store.models import LoginSessionRow, UserRow

_T = TypeVar("_T")

MIN_PASSWORD = 12  # characters
MAX_PASSWORD_BYTES = 1024  # UTF-8; bounds the hashing cost, never truncated
COMMON_PASSWORDS = 10_000  # how many of the most common passwords are refused
MAX_TOKEN = 128  # a cookie longer than this is not one of ours
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


# --- who is acting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who a request or a command acts for. ``user_id`` None is the local single user."""

    user_id: int | None
    username: str = "local"
    is_admin: bool = False


LOCAL = Actor(user_id=None, username="local", is_admin=True)
"""The single user of a studio without accounts (and of the terminal commands): sees every
row, and what it creates has no owner."""


def visible(column: Any, actor: Actor) -> ColumnElement[bool]:
    """The rows ``actor`` may read or change: its own, or all for an admin."""
    if actor.is_admin:
        return true()
    return column == actor.user_id  # type: ignore[no-any-return]


def mine(column: Any, actor: Actor) -> ColumnElement[bool]:
    """The rows that are ``actor``'s own (an admin included): its schedule, its decks."""
    if actor.user_id is None:
        return column.is_(None)  # type: ignore[no-any-return]
    return column == actor.user_id  # type: ignore[no-any-return]


def can_see(owner_id: int | None, actor: Actor) -> bool:
    return actor.is_admin or (owner_id is not None and owner_id == actor.user_id)


# --- passwords -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HashParams:
    """argon2id parameters: OWASP's first recommended configuration by default (19 MiB,
    t=2, p=1). RFC 9106's second option (64 MiB, t=3, p=4) took 136 ms a hash on the 2-core
    development machine, and fifty sign-ins at once queued for 4.9 s at p95; these take 29 ms
    a hash and keep the same burst under the 2 s goal (AN-6; ``benchmarks/bench_login.py``).
    Tests pass cheaper ones; a stored hash made with others is upgraded at sign-in (AN-1)."""

    memory_cost: int = 19 * 1024  # KiB
    time_cost: int = 2
    parallelism: int = 1

    @classmethod
    def fast(cls) -> HashParams:
        """For tests only: about a millisecond per hash."""
        return cls(memory_cost=1024, time_cost=1, parallelism=1)


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords, lower-case: the head of the ranked list that
    ``zxcvbn`` bundles (leaked-password corpora, most common first; every entry is already
    lower-case ASCII). Read on first use and kept: importing it brings the whole zxcvbn
    package (45 ms on an idle 2-core machine, up to 0.2 s on a busy one, 12 MB kept), which
    the terminal commands that never set a password should not pay."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

    return frozenset(FREQUENCY_LISTS["passwords"][:COMMON_PASSWORDS])


def check_password(password: str) -> None:
    """AN-2, for every new password (``staffpath users add`` and ``users password``, and the
    studio's password change): at least 12 characters, at most 1,024 UTF-8 bytes, and not
    one of the 10,000 most common passwords; no composition rules.

    The common-password check compares the whole password, lower-cased (``str.lower``),
    with the list: ``QAZwsxEDCrfv`` is refused because ``qazwsxedcrfv`` is listed, but
    ``qazwsxedcrfv!`` is not the same password and passes."""
    if len(password) < MIN_PASSWORD:
        raise InputError(
            f"password: {len(password)} characters is too short; use at least {MIN_PASSWORD} "
            "(a few unrelated words make a long password that is easy to remember)"
        )
    try:
        size = len(password.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate: a terminal or a file that is not UTF-8
        raise InputError(
            "password: it is not valid text (it holds a lone surrogate); type it again"
        ) from None
    if size > MAX_PASSWORD_BYTES:
        raise InputError(f"password: longer than {MAX_PASSWORD_BYTES} bytes; use a shorter one")
    if password.lower() in common_passwords():
        raise InputError(
            f"password: this password is among the {COMMON_PASSWORDS:,} most common passwords,"
            " which attackers try first; choose a longer passphrase (a few unrelated words)"
        )


def check_username(name: str) -> str:
    """The account name, lower-cased; letters, digits, ``.``, ``_`` and ``-``, 1-64 long."""
    norm = name.strip().lower()
    if not USERNAME.fullmatch(norm):
        raise InputError(
            f"username: {name!r} is not a valid name; use 1-64 letters, digits, '.', '_' or '-',"
            " starting with a letter or digit"
        )
    return norm


class Passwords:
    """Hashing and checking passwords, at most ``limit`` at a time (AN-6).

    Blocking: call it from a worker thread in async code.
    """

    def __init__(self, params: HashParams | None = None, *, limit: int | None = None) -> None:
        p = params or HashParams()
        self.params = p
        self._hash = PasswordHash(
            (
                Argon2Hasher(
                    memory_cost=p.memory_cost, time_cost=p.time_cost, parallelism=p.parallelism
                ),
            )
        )
        # Hashing runs on ``limit`` threads of its own, not on the request's: the memory an
        # argon2 hash takes (19 MiB) is kept by the allocator of the thread that freed it, so
        # hashing on fifty request threads grew the server by 386 MiB in the sign-in burst;
        # on two it stays within two hashes' worth.
        self._pool = ThreadPoolExecutor(
            max_workers=limit or os.cpu_count() or 2, thread_name_prefix="argon2"
        )
        self._dummy: str | None = None

    def _run(self, work: Callable[[], _T]) -> _T:
        return self._pool.submit(work).result()

    def hash(self, password: str) -> str:
        return self._run(lambda: str(self._hash.hash(password)))

    def verify(self, password: str, stored: str | None) -> tuple[bool, str | None]:
        """Whether ``password`` matches ``stored``, and a new hash when ``stored`` was made with
        other parameters. ``stored`` None (no such user) checks a dummy hash so that the answer
        takes as long as for a real account (AN-4)."""
        if stored is None:
            if self._dummy is None:
                self._dummy = self.hash(secrets.token_urlsafe(16))
            dummy = self._dummy
            self._run(lambda: self._hash.verify(password, dummy))
            return False, None

        def check() -> tuple[bool, str | None]:
            try:
                return self._hash.verify_and_update(password, stored)
            except UnknownHashError:
                return False, None

        return self._run(check)


# --- users -----------------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def add_user(
    *, session: Session, username: str, password_hash: str, is_admin: bool, now: datetime
) -> UserRow:
    name = check_username(username)
    if session.scalar(select(UserRow).where(UserRow.username == name)) is not None:
        raise InputError(f"username: {name!r} is taken; choose another name")
    row = UserRow(
        username=name,
        password_hash=password_hash,
        is_admin=is_admin,
        created_at=now,
        password_changed_at=now,
    )
    session.add(row)
    session.flush()
    return row


def find_user(*, session: Session, username: str) -> UserRow | None:
    """The account of that name, or None. A name no account could have (``check_username``)
    is not looked up: PostgreSQL refuses text holding NUL with an error, not an empty answer."""
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        return None
    return session.scalar(select(UserRow).where(UserRow.username == name))


def get_user(*, session: Session, username: str) -> UserRow:
    row = find_user(session=session, username=username)
    if row is None:
        raise InputError(f"no user {username!r}; `staffpath users list` shows them")
    return row


def list_users(*, session: Session) -> Sequence[UserRow]:
    return session.scalars(select(UserRow).order_by(UserRow.username)).all()


def disable_user(*, session: Session, username: str, now: datetime) -> UserRow:
    """The account can no longer sign in, and every one of its sessions ends (SE-2)."""
    row = get_user(session=session, username=username)
    if row.disabled_at is None:
        row.disabled_at = now
    end_sessions(session=session, user_id=row.id)
    return row


def enable_user(*, session: Session, username: str) -> UserRow:
    row = get_user(session=session, username=username)
    row.disabled_at = None
    return row


def set_password(*, session: Session, user: UserRow, password_hash: str, now: datetime) -> None:
    """A new password ends every session of the account (SE-2); the caller opens a new one
    for the browser that changed it."""
    user.password_hash = password_hash
    user.password_changed_at = now
    end_sessions(session=session, user_id=user.id)


# --- sessions --------------------------------------------------------------------------------


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Lifetimes:
    idle: timedelta
    absolute: timedelta


def open_session(*, session: Session, user: UserRow, now: datetime) -> tuple[str, LoginSessionRow]:
    """A new session (a new token at every sign-in: SE-1); returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    row = LoginSessionRow(
        user_id=user.id,
        token_hash=digest(token),
        csrf=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
    )
    session.add(row)
    session.flush()
    return token, row


def well_formed(token: str) -> bool:
    """Tokens are URL-safe base64 of a sane length; anything else is nobody's (SE-5)."""
    return 0 < len(token) <= MAX_TOKEN and all(
        c.isascii() and (c.isalnum() or c in "-_") for c in token
    )


def find_session(
    *, session: Session, token: str, now: datetime, lifetimes: Lifetimes, touch: timedelta
) -> tuple[LoginSessionRow, UserRow] | None:
    """The live session of ``token`` and its user, or None. An expired session, or one of a
    disabled account, is deleted. ``last_seen_at`` moves on when older than ``touch`` (so a
    busy page does not write on every request)."""
    if not well_formed(token):
        return None
    row = session.scalar(select(LoginSessionRow).where(LoginSessionRow.token_hash == digest(token)))
    if row is None:
        return None
    user = session.get(UserRow, row.user_id)
    expired = (
        user is None
        or user.disabled_at is not None
        or now - _utc(row.created_at) >= lifetimes.absolute
        or now - _utc(row.last_seen_at) >= lifetimes.idle
        or _utc(row.created_at) < _utc(user.password_changed_at)
    )
    if expired or user is None:
        session.delete(row)
        session.flush()
        return None
    if now - _utc(row.last_seen_at) >= touch:
        row.last_seen_at = now
        session.flush()
    return row, user


def end_session(*, session: Session, token: str) -> None:
    if well_formed(token):
        session.execute(delete(LoginSessionRow).where(LoginSessionRow.token_hash == digest(token)))


def end_sessions(*, session: Session, user_id: int) -> int:
    """End every session of one account; returns how many there were."""
    result = session.execute(delete(LoginSessionRow).where(LoginSessionRow.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_sessions(*, session: Session, now: datetime, lifetimes: Lifetimes) -> int:
    """Delete the sessions past their lifetimes (they are refused anyway)."""
    result = session.execute(
        delete(LoginSessionRow).where(
            (LoginSessionRow.created_at <= now - lifetimes.absolute)
            | (LoginSessionRow.last_seen_at <= now - lifetimes.idle)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
