"""Two-step sign-in (goal AN-7): an optional one-time code (TOTP, RFC 6238) after the password.

An account with a secret signs in with its password and then the 6-digit code its
authenticator app shows. ``staffpath users two-step NAME`` turns it on (and ``--off`` turns it
off, for a lost phone); the sign-in page asks for the code when the password was right.

- The secret is 160 random bits (RFC 4226 §4 asks for at least 128), kept in base32, the
  form authenticator apps take. Like a password, it is only ever set from the terminal.
- A code is good for its own 30-second step and the one after it, so a code typed as the
  step turns still works (at most 60 s in all; the goal's 30 s would refuse codes read a
  second before the turn). Codes from a later step (a phone clock ahead) are refused.
- A code signs in once (ASVS 6.5.1): the account keeps the last step a code was accepted
  for, and a code of that step or an earlier one is refused. The check and the update are
  one conditional ``UPDATE``, so two sign-ins racing with the same code cannot both win.

Like :mod:`staffpath.store.accounts`, functions take ``session`` by keyword and never commit.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from staffpath.errors import InputError
from staffpath.store.models import UserRow

ISSUER = "staffpath"
DIGITS = 6
STEP_S = 30
GRACE_STEPS = 1  # steps after its own in which a code is still accepted
CODE = re.compile(rf"[0-9]{{{DIGITS}}}")  # ASCII: \d would take other scripts' digits


def new_secret() -> str:
    """A fresh secret: 32 base32 characters, 160 random bits."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, username: str) -> str:
    """The ``otpauth://`` address an authenticator app reads (as a QR code or typed)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_S).provisioning_uri(
        name=username, issuer_name=ISSUER
    )


def normal_code(code: str) -> str | None:
    """The code as 6 digits (spaces and a middle dash, as apps show it, dropped), or None
    when it is not a code at all."""
    plain = re.sub(r"[\s-]", "", code)
    return plain if CODE.fullmatch(plain) else None


def step_of(now: datetime) -> int:
    """The 30-second step ``now`` falls in, counted from the Unix epoch (RFC 6238 T)."""
    return int(now.timestamp()) // STEP_S


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The step whose code ``code`` is, among those accepted at ``now`` (its own, then up to
    :data:`GRACE_STEPS` before it), or None. Comparisons are constant-time."""
    plain = normal_code(code)
    if plain is None:
        return None
    otp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_S)
    current = step_of(now)
    found = None
    for step in range(current, current - GRACE_STEPS - 1, -1):
        if secrets.compare_digest(otp.generate_otp(step), plain) and found is None:
            found = step
    return found


def use_code(*, session: Session, user_id: int, code: str, now: datetime) -> bool:
    """Whether ``code`` signs ``user_id`` in now: it is right for one of the accepted steps and
    no code of that step or a later one was accepted before. Accepting it records its step,
    in the same statement that checks the last one."""
    user = session.get(UserRow, user_id)
    if user is None or user.totp_secret is None:
        return False
    step = matching_step(user.totp_secret, code, now)
    if step is None:
        return False
    done = session.execute(
        update(UserRow)
        .where(UserRow.id == user_id)
        .where(or_(UserRow.totp_last_step.is_(None), UserRow.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    session.expire(user, ["totp_last_step"])
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def turn_on(*, session: Session, user: UserRow, secret: str, code: str, now: datetime) -> None:
    """Turn two-step sign-in on with ``secret`` once ``code`` shows the app holds it; the code
    is used up, and every session of the account ends (they began with the password alone)."""
    from staffpath.store.accounts import end_sessions

    step = matching_step(secret, code, now)
    if step is None:
        raise InputError(
            "that code does not match: check that the app shows this account's code and "
            "that the phone's clock is right"
        )
    user.totp_secret = secret
    user.totp_last_step = step
    end_sessions(session=session, user_id=user.id)


def turn_off(*, session: Session, user: UserRow) -> bool:
    """Turn two-step sign-in off; whether it was on."""
    was_on = user.totp_secret is not None
    user.totp_secret = None
    user.totp_last_step = None
    return was_on
