"""Two-step sign-in through the API (goal AN-7): the password, then the authenticator app's
code; wrong and replayed codes refused and counted like wrong passwords (AN-5)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from staffpath.store import accounts, totp
from staffpath.web.auth import COOKIE
from tests.oracles import totp_code
from tests.web.multiuser import PASSWORD, Studio


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


# --- from the Account page ---------------------------------------------------------------------


def test_turned_on_from_the_account_page_with_the_password_and_a_code(multi: Studio) -> None:
    c = multi.sign_in("ada")
    other = multi.sign_in("ada")  # another browser: its session ends
    assert c.get("/api/me").json()["two_step"] is False
    k = c.post("/api/me/two-step/key").json()
    assert re.fullmatch(r"[A-Z2-7]{32}", k["key"])
    assert k["uri"] == (f"otpauth://totp/staffpath:ada?secret={k['key']}&issuer=staffpath")
    assert k["qr_svg"].startswith("<svg") and "<script" not in k["qr_svg"]
    with multi.db() as db:  # nothing stored yet
        assert accounts.get_user(session=db, username="ada").totp_secret is None

    code = totp_code(k["key"], multi.clock.now.timestamp())
    wrong_password = c.post(
        "/api/me/two-step", json={"key": k["key"], "code": code, "password": "nope nope nope"}
    )
    assert wrong_password.status_code == 403
    wrong_code = c.post(
        "/api/me/two-step",
        json={"key": k["key"], "code": str((int(code) + 1) % 10**6).zfill(6), "password": PASSWORD},
    )
    assert wrong_code.status_code == 422 and "does not match" in wrong_code.json()["detail"]
    r = c.post("/api/me/two-step", json={"key": k["key"], "code": code, "password": PASSWORD})
    assert r.status_code == 200 and r.json()["two_step"] is True
    assert c.post("/api/designs", json={}).status_code == 403  # the old CSRF token is gone
    c.headers["X-CSRF-Token"] = r.json()["csrf"]
    assert c.post("/api/designs", json={}).status_code == 201  # the new session's works
    assert c.get("/api/me").json()["two_step"] is True
    assert other.get("/api/me").status_code == 401  # the other browser was signed out
    again = c.post("/api/me/two-step", json={"key": k["key"], "code": code, "password": PASSWORD})
    assert again.status_code == 409


def test_turned_off_with_the_password_and_a_fresh_code(multi: Studio) -> None:
    secret = _two_step(multi, "ada")
    c = multi.anonymous()
    r = _login(c, code=totp_code(secret, multi.clock.now.timestamp()))
    c.headers["X-CSRF-Token"] = r.json()["csrf"]
    used = totp_code(secret, multi.clock.now.timestamp())
    replay = c.post("/api/me/two-step/off", json={"password": PASSWORD, "code": used})
    assert replay.status_code == 403  # the sign-in's code is spent
    multi.clock.advance(seconds=30)
    fresh = totp_code(secret, multi.clock.now.timestamp())
    no_password = c.post("/api/me/two-step/off", json={"password": "nope nope", "code": fresh})
    assert no_password.status_code == 403
    r = c.post("/api/me/two-step/off", json={"password": PASSWORD, "code": fresh})
    assert r.status_code == 200 and r.json() == {"two_step": False}
    assert _login(multi.anonymous()).status_code == 200  # the password alone again
    r = c.post("/api/me/two-step/off", json={"password": PASSWORD, "code": fresh})
    assert r.status_code == 409


def test_the_account_routes_count_failures_and_need_accounts(
    multi: Studio, client: TestClient
) -> None:
    c = multi.sign_in("ada")
    key = c.post("/api/me/two-step/key").json()["key"]
    for _ in range(10):
        r = c.post("/api/me/two-step", json={"key": key, "code": "123456", "password": "x"})
        assert r.status_code == 403
    r = c.post("/api/me/two-step", json={"key": key, "code": "123456", "password": PASSWORD})
    assert r.status_code == 429 and "Retry-After" in r.headers
    for path in ("/api/me/two-step/key", "/api/me/two-step", "/api/me/two-step/off"):
        body = {"key": "A" * 32, "code": "123456", "password": PASSWORD}
        assert client.post(path, json=body).status_code in (404, 422)
    assert client.post("/api/me/two-step/key").status_code == 404  # single-user: no accounts
    assert client.get("/api/me").json()["two_step"] is False


@pytest.mark.parametrize(
    "body",
    [
        {"key": "a" * 32, "code": "123456", "password": PASSWORD},  # not base32 upper-case
        {"key": "A" * 31, "code": "123456", "password": PASSWORD},
        {"key": "A" * 32, "code": "1" * 21, "password": PASSWORD},
        {"key": "A" * 32, "code": "123456"},
    ],
)
def test_a_malformed_request_is_a_422(multi: Studio, body: dict[str, str]) -> None:
    r = multi.sign_in("ada").post("/api/me/two-step", json=body)
    assert r.status_code == 422
