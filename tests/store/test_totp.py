"""Two-step sign-in in the store (goal AN-7): codes checked against RFC 6238's published test
values and an independent implementation, accepted in their own step and the next, and never
twice."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from staffpath.errors import InputError
from staffpath.store import accounts, totp
from staffpath.store.accounts import Lifetimes
from staffpath.store.database import connect
from staffpath.store.models import UserRow
from tests.oracles import totp_code

# RFC 6238 Appendix B: the SHA-1 seed is the ASCII "12345678901234567890"; the table gives
# 8-digit codes, whose last 6 digits are the 6-digit codes (the truncation is mod 10^digits)
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
RFC_TABLE = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]
T0 = datetime(2026, 11, 26, 9, 0, 10, tzinfo=UTC)  # 10 s into a step
LIFE = Lifetimes(idle=timedelta(hours=24), absolute=timedelta(days=30))
TOUCH = timedelta(minutes=1)


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@pytest.mark.parametrize(("t", "eight"), RFC_TABLE)
def test_rfc_6238_appendix_b(t: int, eight: str) -> None:
    assert totp_code(RFC_SECRET, t, digits=8) == eight  # the oracle agrees with the RFC
    assert totp.matching_step(RFC_SECRET, eight[-6:], _at(t)) == t // 30
    assert totp.matching_step(RFC_SECRET, f"{eight[-6:-3]} {eight[-3:]}", _at(t)) == t // 30


def test_a_code_lives_in_its_step_and_the_next_only() -> None:
    secret = totp.new_secret()
    assert len(base64.b32decode(secret)) == 20  # 160 bits
    step = totp.step_of(T0)
    code = totp_code(secret, T0.timestamp())
    start = _at(step * 30)
    assert totp.matching_step(secret, code, start) == step
    assert totp.matching_step(secret, code, start + timedelta(seconds=59.9)) == step
    assert totp.matching_step(secret, code, start + timedelta(seconds=60)) is None
    assert totp.matching_step(secret, code, start - timedelta(seconds=0.1)) is None  # future


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "12a456", "１２３４５６", "123456\n7"])
def test_what_is_not_a_code_matches_nothing(bad: str) -> None:
    assert totp.matching_step(RFC_SECRET, bad, _at(59)) is None


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    made = connect(database_url)
    yield made
    made.kw["bind"].dispose()


def _ada(sessions: sessionmaker[Session], secret: str) -> int:
    with sessions.begin() as db:
        user = accounts.add_user(
            session=db, username="ada", password_hash="h", is_admin=False, now=T0
        )
        accounts.open_session(session=db, user=user, now=T0)
        earlier = T0 - timedelta(seconds=30)
        totp.turn_on(
            session=db,
            user=user,
            secret=secret,
            code=totp_code(secret, earlier.timestamp()),
            now=earlier,
        )
        return user.id


def test_turn_on_needs_a_right_code_and_ends_the_sessions(
    sessions: sessionmaker[Session],
) -> None:
    secret = totp.new_secret()
    with sessions.begin() as db:
        user = accounts.add_user(
            session=db, username="ada", password_hash="h", is_admin=False, now=T0
        )
        token, _ = accounts.open_session(session=db, user=user, now=T0)
        wrong = str((int(totp_code(secret, T0.timestamp())) + 1) % 10**6).zfill(6)
        with pytest.raises(InputError, match="does not match"):
            totp.turn_on(session=db, user=user, secret=secret, code=wrong, now=T0)
        assert user.totp_secret is None
        assert accounts.find_session(session=db, token=token, now=T0, lifetimes=LIFE, touch=TOUCH)
        totp.turn_on(
            session=db, user=user, secret=secret, code=totp_code(secret, T0.timestamp()), now=T0
        )
    with sessions.begin() as db:
        row = db.get(UserRow, user.id)
        assert row is not None and row.totp_secret == secret
        assert row.totp_last_step == totp.step_of(T0)  # the confirming code is used up
        assert (
            accounts.find_session(session=db, token=token, now=T0, lifetimes=LIFE, touch=TOUCH)
            is None
        )


def test_a_code_signs_in_once_and_an_older_one_never_after(
    sessions: sessionmaker[Session],
) -> None:
    secret = totp.new_secret()
    user_id = _ada(sessions, secret)
    now_code = totp_code(secret, T0.timestamp())
    before = totp_code(secret, T0.timestamp() - 30)
    with sessions.begin() as db:  # last step's code is still good (its grace step)...
        assert totp.use_code(session=db, user_id=user_id, code=before, now=T0) is False
    # ...but it confirmed the set-up in that step, so it is spent; this step's code is fresh
    with sessions.begin() as db:
        assert totp.use_code(session=db, user_id=user_id, code=now_code, now=T0) is True
    with sessions.begin() as db:  # a replay
        assert totp.use_code(session=db, user_id=user_id, code=now_code, now=T0) is False
    later = T0 + timedelta(seconds=30)
    with sessions.begin() as db:  # the next step's code works, then an older one does not
        assert totp.use_code(
            session=db, user_id=user_id, code=totp_code(secret, later.timestamp()), now=later
        )
    with sessions.begin() as db:
        assert totp.use_code(session=db, user_id=user_id, code=now_code, now=later) is False


def test_the_check_reads_the_database_not_a_stale_row(sessions: sessionmaker[Session]) -> None:
    """Two sign-ins with the same code: the second read the account before the first wrote.
    The conditional UPDATE still refuses it."""
    secret = totp.new_secret()
    user_id = _ada(sessions, secret)
    code = totp_code(secret, T0.timestamp())
    second = sessions()
    stale = second.get(UserRow, user_id)
    assert stale is not None and stale.totp_last_step == totp.step_of(T0) - 1
    second.commit()  # ends its read (SQLite would otherwise hold a snapshot)
    with sessions.begin() as db:
        assert totp.use_code(session=db, user_id=user_id, code=code, now=T0) is True
    with second.begin():
        assert totp.use_code(session=second, user_id=user_id, code=code, now=T0) is False
    second.close()


def test_turn_off_forgets_the_secret(sessions: sessionmaker[Session]) -> None:
    user_id = _ada(sessions, totp.new_secret())
    with sessions.begin() as db:
        user = db.get(UserRow, user_id)
        assert user is not None
        assert totp.turn_off(session=db, user=user) is True
        assert totp.turn_off(session=db, user=user) is False
    with sessions.begin() as db:
        row = db.get(UserRow, user_id)
        assert row is not None and row.totp_secret is None and row.totp_last_step is None
        assert (
            totp.use_code(
                session=db, user_id=user_id, code=totp_code("A" * 32, T0.timestamp()), now=T0
            )
            is False
        )
