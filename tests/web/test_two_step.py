"""Two-step sign-in through the API (goal AN-7): the password, then the authenticator app's
code; wrong and replayed codes refused and counted like wrong passwords (AN-5)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from staffpath.store import accounts, totp
from staffpath.web.auth import COOKIE
from tests.oracles import totp_code
from tests.web.multiuser import PASSWORD, Studio, studio


@pytest.fixture
def multi(database_url: str, tmp_path: Path) -> Iterator[Studio]:
    with studio(database_url, tmp_path) as s:
        s.add_user("ada")
        s.add_user("root", admin=True)
        yield s


def _two_step(multi: Studio, name: str) -> str:
    """Turn two-step sign-in on for ``name`` as the terminal command does (confirmed with
    the code of the step before the clock's, so this step's code is still fresh)."""
    secret = totp.new_secret()
    earlier = multi.clock.now - timedelta(seconds=30)
    with multi.db() as db:
        user = accounts.get_user(session=db, username=name)
        code = totp_code(secret, earlier.timestamp())
        totp.turn_on(session=db, user=user, secret=secret, code=code, now=earlier)
    return secret


def _login(c: TestClient, **body: Any) -> Any:
    return c.post("/api/login", json={"username": "ada", "password": PASSWORD, **body})


def test_the_password_then_the_code(multi: Studio) -> None:
    secret = _two_step(multi, "ada")
    c = multi.anonymous()
    r = _login(c)
    assert r.status_code == 401 and r.json()["code_required"] is True
    assert "authenticator app" in r.json()["detail"]
    assert not c.cookies.get(COOKIE)  # no session yet
    wrong = _login(
        c, password="not the password", code=totp_code(secret, multi.clock.now.timestamp())
    )
    assert wrong.status_code == 401 and "code_required" not in wrong.json()  # AN-4 unchanged
    r = _login(c, code=totp_code(secret, multi.clock.now.timestamp()))
    assert r.status_code == 200, r.text
    assert c.get("/api/me").json()["username"] == "ada"
    listed = multi.sign_in("root").get("/api/users").json()
    assert {u["username"]: u["two_step"] for u in listed} == {"ada": True, "root": False}


def test_a_code_signs_in_once(multi: Studio) -> None:
    secret = _two_step(multi, "ada")
    code = totp_code(secret, multi.clock.now.timestamp())
    assert _login(multi.anonymous(), code=code).status_code == 200
    again = _login(multi.anonymous(), code=code)
    assert again.status_code == 401 and again.json()["code_required"] is True
    assert "used already" in again.json()["detail"]
    multi.clock.advance(seconds=30)
    fresh = totp_code(secret, multi.clock.now.timestamp())
    assert _login(multi.anonymous(), code=fresh).status_code == 200


@pytest.mark.parametrize("code", ["", "abcdef", "12 34", "0" * 20])
def test_a_malformed_code_is_a_wrong_code_not_an_error(multi: Studio, code: str) -> None:
    _two_step(multi, "ada")
    r = _login(multi.anonymous(), code=code)
    assert r.status_code == 401 and r.json()["code_required"] is True


def test_too_long_a_code_is_refused_before_hashing(multi: Studio) -> None:
    r = _login(multi.anonymous(), code="1" * 21)
    assert r.status_code == 422


def test_wrong_codes_count_toward_the_account_lock(multi: Studio) -> None:
    """AN-5 covers the second step: ten wrong codes lock the account like ten wrong
    passwords, so the million codes cannot be tried."""
    secret = _two_step(multi, "ada")
    right = totp_code(secret, multi.clock.now.timestamp())
    wrong = str((int(right) + 1) % 10**6).zfill(6)
    c = multi.anonymous()
    for _ in range(10):
        assert _login(c, code=wrong).status_code == 401
    r = _login(c, code=right)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) == 15 * 60


def test_a_right_password_without_a_code_is_not_a_failure(multi: Studio) -> None:
    secret = _two_step(multi, "ada")
    c = multi.anonymous()
    for _ in range(12):
        assert _login(c).status_code == 401
    assert _login(c, code=totp_code(secret, multi.clock.now.timestamp())).status_code == 200


def test_an_account_without_two_step_ignores_a_code(multi: Studio) -> None:
    assert _login(multi.anonymous(), code="123456").status_code == 200
