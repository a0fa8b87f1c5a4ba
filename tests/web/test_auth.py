"""Accounts in the studio: modes, sign-in, sessions, CSRF and login rate limits.

Goal IDs are those of the reliability goals (sections 2.2 and 2.3).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from staffpath.store import accounts
from staffpath.store.accounts import HashParams, Passwords
from staffpath.store.models import LoginSessionRow, UserRow
from staffpath.web.auth import COOKIE, LoginLimits
from staffpath.web.settings import Settings, is_loopback
from tests.web.multiuser import PASSWORD, Clock, Studio, studio


def _cookie(c: TestClient) -> str:
    value = c.cookies.get(COOKIE)
    assert value
    return value


# --- modes -----------------------------------------------------------------------------------


def test_single_user_mode_has_no_login_and_sets_no_cookie(client: TestClient) -> None:
    """The default: the local user, no sign-in, no cookie; accounts answer 404."""
    r = client.get("/api/me")
    assert r.json() == {
        "username": "local",
        "is_admin": True,
        "multi_user": False,
        "two_step": False,
    }
    assert client.post("/api/designs", json={}).status_code == 201
    assert "set-cookie" not in client.get("/").headers
    assert client.post("/api/login", json={"username": "a", "password": "b"}).status_code == 404
    assert client.get("/login", follow_redirects=False).headers["location"] == "/"


@pytest.mark.parametrize(
    ("host", "multi"),
    [
        ("127.0.0.1", False),
        ("127.0.0.2", False),
        ("::1", False),
        ("localhost", False),
        ("0.0.0.0", True),
        ("192.168.1.20", True),
        ("::", True),
        ("studio.example.com", True),
    ],
)
def test_any_address_but_loopback_requires_accounts(tmp_path: Path, host: str, multi: bool) -> None:
    assert is_loopback(host) is not multi
    assert Settings.build(data_dir=tmp_path, host=host, env={}).multi_user is multi
    assert Settings.build(data_dir=tmp_path, multi_user=True, env={}).multi_user


def test_signed_out_pages_go_to_the_sign_in_page_and_the_api_answers_401(multi: Studio) -> None:
    c = multi.anonymous()
    r = c.get("/designs/1?x=2", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fdesigns%2F1%3Fx%3D2"
    assert c.get("/api/designs").status_code == 401
    assert c.get("/openapi.json").status_code == 401
    page = c.get("/login?next=/cards")
    assert page.status_code == 200 and 'data-next="/cards"' in page.text
    assert 'data-next="/"' in c.get("/login?next=//evil.example").text  # no open redirect


def test_the_sign_in_form_is_a_post_and_no_get_form_carries_a_token(multi: Studio) -> None:
    """CS-3: the CSRF token is in a meta tag of signed-in pages, never in a GET form."""
    page = multi.anonymous().get("/login").text
    assert 'method="post"' in page and "csrf" not in page.lower()
    c = multi.sign_in("ada")
    token = c.headers["X-CSRF-Token"]
    for url in ("/", "/interviews", "/stories", "/cards", "/review", "/compare", "/login"):
        html = c.get(url).text
        forms = re.findall(r"<form\b.*?</form>", html, flags=re.S | re.I)
        assert all(token not in f for f in forms), url
    assert f'<meta name="csrf-token" content="{token}">' in c.get("/").text


# --- passwords -------------------------------------------------------------------------------


def test_the_default_hash_is_argon2id_with_owasps_parameters() -> None:
    """AN-1: argon2id, m=19 MiB, t=2, p=1 (OWASP's first configuration; the 64 MiB RFC 9106
    one missed AN-6's 2 s on two cores: benchmarks/bench_login.py)."""
    hashed = Passwords().hash(PASSWORD)
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_hash_with_old_parameters_is_upgraded_at_sign_in(
    database_url: str, tmp_path: Path
) -> None:
    """AN-1: ``verify_and_update`` rehashes at login; 0 stale hashes after one sign-in."""
    stronger = HashParams(memory_cost=2048, time_cost=2, parallelism=1)
    with studio(database_url, tmp_path, password_hash=stronger) as s:
        with s.db() as db:
            from staffpath.store import accounts

            old = Passwords(HashParams.fast()).hash(PASSWORD)
            accounts.add_user(
                session=db, username="ada", password_hash=old, is_admin=False, now=s.clock()
            )
        s.sign_in("ada")
        with s.db() as db:
            stored = db.scalar(select(UserRow.password_hash))
        assert stored != old and stored.startswith("$argon2id$v=19$m=2048,t=2,p=1$")
        s.sign_in("ada")  # the new hash verifies


def test_unknown_user_and_wrong_password_look_the_same(multi: Studio) -> None:
    """AN-4: same status and body; a dummy hash is checked for an unknown user."""
    calls: list[str] = []
    passwords = multi.app.state.passwords
    real = passwords._hash.verify

    def counting(password: str, hashed: str) -> bool:
        calls.append(hashed)
        return bool(real(password, hashed))

    passwords._hash.verify = counting
    c = multi.anonymous()
    unknown = c.post("/api/login", json={"username": "nobody", "password": PASSWORD})
    wrong = c.post("/api/login", json={"username": "ada", "password": "wrong " + PASSWORD})
    assert (unknown.status_code, unknown.content) == (wrong.status_code, wrong.content)
    assert unknown.status_code == 401 and "set-cookie" not in unknown.headers
    assert len(calls) == 1  # the dummy; the real account went through verify_and_update


def test_a_disabled_account_cannot_sign_in_and_looks_like_a_wrong_password(multi: Studio) -> None:
    from staffpath.store import accounts

    with multi.db() as db:
        accounts.disable_user(session=db, username="ada", now=multi.clock())
    r = multi.anonymous().post("/api/login", json={"username": "ada", "password": PASSWORD})
    assert r.status_code == 401 and r.json() == {"detail": "wrong username or password"}


@pytest.mark.parametrize(
    ("password", "status"),
    [
        ("short pass!", 422),  # 11 characters
        ("twelve chars", 200),  # 12: the minimum
        ("🔐 my long passphrase with spaces 🦆", 200),  # emoji and spaces, no composition rule
        ("x" * 1024, 200),
        ("é" * 513, 422),  # 1,026 bytes
    ],
)
def test_password_rules(multi: Studio, password: str, status: int) -> None:
    """AN-2: at least 12 characters, at most 1,024 bytes, nothing else."""
    c = multi.sign_in("ada")
    r = c.post("/api/password", json={"current": PASSWORD, "new": password})
    assert r.status_code == status, r.text
    if status == 200:
        c.headers["X-CSRF-Token"] = r.json()["csrf"]
        assert c.get("/api/me").status_code == 200
        multi.sign_in("ada", password)


def test_an_overlong_password_at_sign_in_is_a_422_before_any_hashing(multi: Studio) -> None:
    """AN-2, AN-3: a 1 MB password is refused (a 413 for the body, or a 422), never a 500."""
    c = multi.anonymous()
    assert c.post("/api/login", json={"username": "ada", "password": "é" * 600}).status_code == 422
    big = c.post("/api/login", json={"username": "ada", "password": "x" * 1_000_000})
    assert big.status_code in (413, 422)


def test_a_common_password_is_refused_by_the_password_change(multi: Studio) -> None:
    """AN-2: a listed entry long enough for the length rule (found in zxcvbn's ranked list
    here, not in the code under test), in any case, is a 422 that says why."""
    common = next(p for p in FREQUENCY_LISTS["passwords"][:10_000] if len(p) >= 12)
    c = multi.sign_in("ada")
    for new in (common, common.upper()):
        r = c.post("/api/password", json={"current": PASSWORD, "new": new})
        assert r.status_code == 422, r.text
        assert "among the 10,000 most common passwords" in r.json()["detail"]
        assert "choose a longer passphrase" in r.json()["detail"]
    assert c.get("/api/me").status_code == 200  # nothing changed: the session lives on
    multi.sign_in("ada", PASSWORD)


NEW = "a brand new long passphrase"


class Gate:
    """Holds the hashing of one password until released: a password change stopped
    mid-hash, the way the studio's own hashing threads run it."""

    def __init__(self, passwords: Passwords, password: str) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        real = passwords._hash.hash

        def hash_(secret: str, *args: object, **kwargs: object) -> str:
            if secret == password:
                self.started.set()
                assert self.release.wait(20), "the test never released the hash"
            return str(real(secret))

        passwords._hash.hash = hash_  # type: ignore[method-assign]


def _in_thread(call: Callable[[], Response]) -> tuple[threading.Thread, dict[str, Response]]:
    """Run one request in a thread of its own; its response lands in the dict under "r"."""
    out: dict[str, Response] = {}
    thread = threading.Thread(target=lambda: out.update(r=call()))
    thread.start()
    return thread, out


def test_a_password_change_holds_no_transaction_while_it_hashes(multi: Studio) -> None:
    """AN-6, DU-4: while the new password is hashing, no database connection is held and
    another user's write completes at once (before, the change hashed inside its write
    transaction, and on SQLite every other write queued behind it)."""
    multi.app.state.passwords = passwords = Passwords(HashParams.fast(), limit=4)
    gate = Gate(passwords, NEW)
    ada, root = multi.sign_in("ada"), multi.sign_in("root")
    change, changed = _in_thread(
        lambda: ada.post("/api/password", json={"current": PASSWORD, "new": NEW})
    )
    try:
        assert gate.started.wait(10)
        assert multi.app.state.sessions.kw["bind"].pool.checkedout() == 0
        write, wrote = _in_thread(lambda: root.post("/api/designs", json={"name": "meanwhile"}))
        write.join(timeout=4)
        assert not write.is_alive(), "a write waited for the password change's hashing"
        assert not gate.release.is_set()
        r = wrote["r"]
        assert r.status_code == 201, r.text
    finally:
        gate.release.set()
        change.join(10)
    r = changed["r"]
    assert r.status_code == 200, r.text
    multi.sign_in("ada", NEW)


def test_a_password_changed_meanwhile_makes_the_slower_change_a_409(multi: Studio) -> None:
    """Two browsers change the password at once: the one that hashed longer finds the account
    changed under it, answers 409 and changes nothing (no lost update, no new session)."""
    multi.app.state.passwords = passwords = Passwords(HashParams.fast(), limit=4)
    gate = Gate(passwords, NEW)
    laptop, phone = multi.sign_in("ada"), multi.sign_in("ada")
    other = "the phone's own new passphrase"
    slow, answered = _in_thread(
        lambda: laptop.post("/api/password", json={"current": PASSWORD, "new": NEW})
    )
    try:
        assert gate.started.wait(10)
        fast = phone.post("/api/password", json={"current": PASSWORD, "new": other})
        assert fast.status_code == 200, fast.text
    finally:
        gate.release.set()
        slow.join(10)
    r = answered["r"]
    assert r.status_code == 409
    assert "sign in again" in r.json()["detail"]
    assert "set-cookie" not in r.headers
    with multi.db() as db:
        stored = accounts.get_user(session=db, username="ada").password_hash
    assert passwords.verify(other, stored)[0] and not passwords.verify(NEW, stored)[0]
    phone.headers["X-CSRF-Token"] = fast.json()["csrf"]
    assert phone.get("/api/me").status_code == 200
    assert laptop.get("/api/me").status_code == 401  # ended by the phone's change


# --- odd bodies (AN-3) -----------------------------------------------------------------------

FUZZ_EXAMPLES = int(os.environ.get("STAFFPATH_AUTH_FUZZ_EXAMPLES", "300"))
"""300 in the default suite; ``STAFFPATH_AUTH_FUZZ_EXAMPLES=10000`` for AN-3's full run
(with ``HYPOTHESIS_PROFILE=explore`` for examples not seen before)."""

FIELDS = {"/api/login": ("username", "password"), "/api/password": ("current", "new")}
_TEXT = st.one_of(
    st.text(max_size=40),  # any code point but surrogates: emoji, NUL, controls, RTL marks
    # lone surrogates (which UTF-8 cannot carry), symbols and control characters
    st.text(st.characters(codec=None, categories=["Cs", "So", "Cc"]), max_size=20),
    st.sampled_from([PASSWORD, "ada", "root", NEW, "twelve chars", "🔐 my long passphrase 🦆"]),
    st.builds(
        lambda char, n: char * n,
        st.sampled_from(["x", "é", "🦆", "\x00"]),
        st.sampled_from([12, 1024, 1025, 1_000_000]),  # up to 1 MB (4 MB of emoji)
    ),
)
_CREDENTIAL = st.one_of(
    st.sampled_from([PASSWORD, "ada", NEW, "🔐 my long passphrase 🦆", "x" * 1024, "é" * 513]),
    st.text(min_size=1, max_size=40),
)
_VALUE = st.one_of(
    _TEXT,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and infinities too: Python writes them, strict JSON has none
    st.lists(_TEXT, max_size=3),
    st.dictionaries(_TEXT, _TEXT, max_size=2),
)


def _recorded(passwords: Passwords) -> list[int]:
    """The UTF-8 size of every password given to the hasher (wrapped on the first call)."""
    seen: list[int] | None = getattr(passwords, "_sizes_seen", None)
    if seen is None:
        sizes: list[int] = []
        for name in ("hash", "verify", "verify_and_update"):
            real = getattr(passwords._hash, name)

            def record(secret: str, *args: object, _real: Callable[..., object] = real) -> object:
                sizes.append(len(secret.encode("utf-8", "surrogatepass")))
                return _real(secret, *args)

            setattr(passwords._hash, name, record)
        passwords._sizes_seen = seen = sizes  # type: ignore[attr-defined]
    return seen


@st.composite
def _raw_body(draw: st.DrawFn, fields: tuple[str, ...]) -> tuple[bytes, str | None]:
    """A body as the network would carry it, and its Content-Type (or none)."""
    obj = draw(
        st.one_of(
            st.fixed_dictionaries(dict.fromkeys(fields, _TEXT)),
            st.fixed_dictionaries(dict.fromkeys(fields, _TEXT), optional={"other": _VALUE}),
            st.fixed_dictionaries({}, optional=dict.fromkeys((*fields, "other"), _VALUE)),
            _VALUE,
        )
    )
    how = draw(st.sampled_from(["json", "json", "json", "utf8", "spliced", "form", "bytes"]))
    if how == "json":  # lone surrogates as \ud800 escapes
        body = json.dumps(obj).encode()
    elif how == "utf8":  # lone surrogates as raw bytes: invalid UTF-8
        body = json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogatepass")
    elif how == "spliced":  # random bytes inside valid JSON
        text = json.dumps(obj).encode()
        at = draw(st.integers(0, len(text)))
        body = text[:at] + draw(st.binary(min_size=1, max_size=8)) + text[at:]
    elif how == "form":
        pairs = obj.items() if isinstance(obj, dict) else [("password", obj)]
        body = urllib.parse.urlencode(
            [(k, str(v)) for k, v in pairs], errors="surrogatepass"
        ).encode()
    else:
        body = draw(st.binary(max_size=300))
    kinds = [
        *["application/json"] * 4,
        "application/x-www-form-urlencoded",
        "text/plain",
        "application/json; charset=latin-1",
        None,
    ]
    return body, draw(st.sampled_from(kinds))


def _credentials(fields: tuple[str, ...]) -> st.SearchStrategy[tuple[bytes, str | None]]:
    """Well-formed JSON with both fields as strings: these reach the route and the hasher."""
    return st.fixed_dictionaries(dict.fromkeys(fields, _CREDENTIAL)).map(
        lambda obj: (json.dumps(obj).encode(), "application/json")
    )


@given(
    request=st.sampled_from(sorted(FIELDS)).flatmap(
        lambda path: st.tuples(
            st.just(path), st.one_of(_credentials(FIELDS[path]), _raw_body(FIELDS[path]))
        )
    )
)
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_odd_login_and_password_bodies_never_cause_a_500(
    multi: Studio, request: tuple[str, tuple[bytes, str | None]]
) -> None:
    """AN-3: generated sign-in and password-change bodies, posted raw: huge passwords (1 MB),
    NUL, lone surrogates and invalid UTF-8, emoji, missing fields, wrong types, non-JSON and
    form-encoded. 0 answers of 500 or more; every answer is JSON, every refusal has a
    ``detail``; and no password over 1,024 bytes ever reaches the hasher. Hashing is argon2id
    with the tests' cheap parameters (1 MiB, one pass)."""
    path, (body, kind) = request
    hashed = _recorded(multi.app.state.passwords)
    multi.app.state.login_limits = LoginLimits(multi.clock)  # every example starts unthrottled
    client = multi.client
    client.cookies.clear()
    headers = {} if kind is None else {"content-type": kind}
    if path == "/api/password":  # a live session of its own, and its CSRF token
        with multi.db() as db:
            user = accounts.get_user(session=db, username="ada")
            stored = user.password_hash
            token, row = accounts.open_session(session=db, user=user, now=multi.clock())
            headers |= {"cookie": f"{COOKIE}={token}", "x-csrf-token": row.csrf}
    r = client.post(path, content=body, headers=headers)
    assert r.status_code < 500, r.text
    assert r.headers["content-type"] == "application/json", r.headers
    answer = r.json()
    assert isinstance(answer, dict)
    if r.status_code >= 400:
        assert answer.get("detail"), answer
    else:
        assert r.status_code == 200 and answer["username"] in ("ada", "root") and answer["csrf"]
    assert max(hashed, default=0) <= accounts.MAX_PASSWORD_BYTES
    event(f"{path} {r.status_code}")
    if path == "/api/password" and r.status_code == 200:  # put the password back
        with multi.db() as db:
            accounts.get_user(session=db, username="ada").password_hash = stored


def test_hashing_runs_at_most_limit_at_a_time() -> None:
    """AN-6: concurrent hashes are capped by a semaphore."""
    passwords = Passwords(HashParams.fast(), limit=2)
    running = peak = 0
    lock = threading.Lock()
    real = passwords._hash.hash

    def slow(password: str) -> str:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return str(real(password))

    passwords._hash.hash = slow
    threads = [threading.Thread(target=passwords.hash, args=(PASSWORD,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak == 2


# --- sessions --------------------------------------------------------------------------------


def test_a_new_random_token_at_every_sign_in_stored_only_as_its_hash(multi: Studio) -> None:
    """SE-1, SE-4: HttpOnly SameSite=Lax cookie; SHA-256 in the table; a new token each time."""
    c = multi.anonymous()
    planted = {"cookie": f"{COOKIE}=planted-by-an-attacker"}
    r = c.post("/api/login", json={"username": "ada", "password": PASSWORD}, headers=planted)
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http (the test client)
    first = _cookie(c)
    assert first != "planted-by-an-attacker" and len(first) >= 43  # 32 random bytes
    with multi.db() as db:
        stored = db.scalars(select(LoginSessionRow.token_hash)).all()
    assert stored == [hashlib.sha256(first.encode()).hexdigest()]
    c.headers["X-CSRF-Token"] = r.json()["csrf"]
    again = c.post("/api/login", json={"username": "ada", "password": PASSWORD})
    second = _cookie(c)
    assert again.status_code == 200 and second != first
    old = multi.anonymous()
    assert old.get("/api/me", headers={"cookie": f"{COOKIE}={first}"}).status_code == 401


def test_over_https_the_cookie_is_secure_with_the_host_prefix(multi: Studio) -> None:
    """SE-4."""
    c = TestClient(multi.app, base_url="https://studio.test", raise_server_exceptions=False)
    r = c.post("/api/login", json={"username": "ada", "password": PASSWORD})
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("__Host-staffpath_session=") and "Secure" in cookie
    assert "Domain" not in cookie and "Path=/" in cookie
    assert c.get("/api/me").json()["username"] == "ada"


def test_a_cookie_replayed_after_sign_out_is_refused(multi: Studio) -> None:
    """SE-2: sign-out ends the session on the server."""
    c = multi.sign_in("ada")
    token = _cookie(c)
    assert c.post("/api/logout").status_code == 204
    replay = multi.anonymous()
    assert replay.get("/api/me", headers={"cookie": f"{COOKIE}={token}"}).status_code == 401


def test_disabling_an_account_ends_all_its_sessions(multi: Studio) -> None:
    """SE-2, AZ-3: every session of a disabled account answers 401 at once."""
    from staffpath.store import accounts

    laptop, phone, other = multi.sign_in("ada"), multi.sign_in("ada"), multi.sign_in("root")
    with multi.db() as db:
        accounts.disable_user(session=db, username="ada", now=multi.clock())
    assert laptop.get("/api/me").status_code == 401
    assert phone.get("/api/designs").status_code == 401
    assert other.get("/api/me").status_code == 200


def test_a_new_password_ends_the_other_sessions_and_renews_this_one(multi: Studio) -> None:
    """SE-2 (ASVS 7.4.3)."""
    laptop, phone = multi.sign_in("ada"), multi.sign_in("ada")
    before = _cookie(laptop)
    new = "a brand new long passphrase"
    r = laptop.post("/api/password", json={"current": PASSWORD, "new": new})
    assert r.status_code == 200
    laptop.headers["X-CSRF-Token"] = r.json()["csrf"]
    assert _cookie(laptop) != before
    assert laptop.get("/api/me").status_code == 200
    assert phone.get("/api/me").status_code == 401
    wrong = laptop.post("/api/password", json={"current": PASSWORD, "new": new + "!"})
    assert wrong.status_code == 403


def test_a_session_idle_for_24_hours_ends(multi: Studio) -> None:
    """SE-3: the idle timeout, by time travel."""
    c = multi.sign_in("ada")
    for _ in range(3):  # used within the idle time: alive past 24 h in total
        multi.clock.advance(hours=23)
        assert c.get("/api/me").status_code == 200
    multi.clock.advance(hours=24, seconds=1)
    assert c.get("/api/me").status_code == 401


def test_a_session_ends_after_30_days_however_busy(multi: Studio) -> None:
    """SE-3: the absolute lifetime."""
    c = multi.sign_in("ada")
    for _ in range(40):
        multi.clock.advance(hours=20)
        if c.get("/api/me").status_code != 200:
            break
    assert multi.clock.now - datetime(2026, 11, 26, 9, 0, tzinfo=UTC) >= timedelta(days=30)
    assert c.get("/api/me").status_code == 401


def test_lifetimes_are_settings(database_url: str, tmp_path: Path) -> None:
    """SE-3: configurable."""
    with studio(database_url, tmp_path, session_idle=timedelta(minutes=5)) as s:
        s.add_user("ada")
        c = s.sign_in("ada")
        s.clock.advance(minutes=4)
        assert c.get("/api/me").status_code == 200
        s.clock.advance(minutes=5, seconds=1)
        assert c.get("/api/me").status_code == 401


@given(
    raw=st.one_of(
        st.binary(max_size=300).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"")),
        st.text(max_size=100).map(lambda t: t.encode("utf-8")),
        st.just(b"x" * 8192),
        st.just(b"A" * 43),
    )
)
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
def test_a_malformed_or_huge_cookie_is_anonymous_never_a_500(multi: Studio, raw: bytes) -> None:
    """SE-5: random bytes and 8 KB values are treated as no session."""
    raw = raw.replace(b"\r", b"").replace(b"\n", b"").replace(b"\x00", b"")
    r = multi.client.get("/api/me", headers={b"cookie": b"staffpath_session=" + raw})
    assert r.status_code == 401
    r = multi.client.post("/api/designs", json={}, headers={b"cookie": b"staffpath_session=" + raw})
    assert r.status_code == 401


# --- CSRF ------------------------------------------------------------------------------------


def test_a_change_with_a_session_needs_the_csrf_token(multi: Studio) -> None:
    """CS-1 (every route: see test_policy), CS-2: a forged bearer header does not help."""
    c = multi.sign_in("ada")
    token = c.headers.pop("X-CSRF-Token")
    assert c.post("/api/designs", json={}).status_code == 403
    assert c.post("/api/designs", json={}, headers={"X-CSRF-Token": "nope"}).status_code == 403
    forged = {"Authorization": "Bearer junk"}
    assert c.post("/api/designs", json={}, headers=forged).status_code == 403
    assert c.post("/api/logout").status_code == 403
    assert c.get("/api/designs").status_code == 200  # reading needs no token
    assert c.post("/api/designs", json={}, headers={"X-CSRF-Token": token}).status_code == 201


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "https://evil.example"}, 403),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Sec-Fetch-Site": "same-site"}, 403),
        ({"Origin": "null"}, 403),
        ({"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}, 201),
        ({"Sec-Fetch-Site": "none"}, 201),
        ({}, 201),  # curl, scripts: no browser, no ambient credentials to abuse
    ],
)
def test_single_user_mode_refuses_changes_from_other_sites(
    client: TestClient, headers: dict[str, str], status: int
) -> None:
    """CS-1 without accounts: a page on another site cannot drive the local studio."""
    assert client.post("/api/designs", json={}, headers=headers).status_code == status
    assert client.get("/api/designs", headers=headers).status_code == 200


# --- rate limits -----------------------------------------------------------------------------


def test_ten_failures_for_an_account_lock_it_for_15_minutes(multi: Studio) -> None:
    """AN-5: > 10 failures per account in 15 min → 429 with Retry-After; temporary."""
    c = multi.anonymous()
    for i in range(10):
        multi.clock.advance(seconds=30)
        r = c.post("/api/login", json={"username": "ada", "password": f"wrong {i}"})
        assert r.status_code == 401
    r = c.post("/api/login", json={"username": "ada", "password": PASSWORD})
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) == 15 * 60 - 9 * 30  # the oldest failure ages out
    other = multi.anonymous().post("/api/login", json={"username": "root", "password": PASSWORD})
    assert other.status_code == 200  # a lock on one account only
    multi.clock.advance(seconds=int(r.headers["Retry-After"]))
    assert c.post("/api/login", json={"username": "ada", "password": PASSWORD}).status_code == 200


def test_thirty_failures_from_one_address_are_throttled(multi: Studio) -> None:
    """AN-5: > 30 failures per address (credential stuffing over many accounts)."""
    c = multi.anonymous()
    for i in range(30):
        r = c.post("/api/login", json={"username": f"user{i}", "password": PASSWORD})
        assert r.status_code == 401
    r = c.post("/api/login", json={"username": "ada", "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) == 15 * 60
    multi.clock.advance(minutes=15)
    assert c.post("/api/login", json={"username": "ada", "password": PASSWORD}).status_code == 200


def test_the_limiter_counts_in_a_sliding_window() -> None:
    clock = Clock()
    limits = LoginLimits(clock, per_account=3, per_address=5)
    for _ in range(3):
        assert limits.retry_after("ada", "1.2.3.4") is None
        limits.failed("ada", "1.2.3.4")
        clock.advance(minutes=1)
    assert limits.retry_after("ada", "1.2.3.4") == 12 * 60
    assert limits.retry_after("bob", "5.6.7.8") is None
    clock.advance(minutes=12)
    assert limits.retry_after("ada", "1.2.3.4") is None
    limits.failed("ada", "1.2.3.4")
    limits.succeeded("ada")
    assert limits.retry_after("ada", "1.2.3.4") is None


def test_openapi_declares_the_sign_in_refusals(client: TestClient) -> None:
    """Found by Schemathesis (ST103): a wrong password (401), too many failures (429) and a
    single-user studio's /api/users (404) were answers the description did not list."""
    paths = client.get("/openapi.json").json()["paths"]
    assert {"401", "429"} <= set(paths["/api/login"]["post"]["responses"])
    assert "404" in paths["/api/users"]["get"]["responses"]
    assert client.get("/api/users").status_code == 404


def test_wrong_current_passwords_lock_the_password_change_too(multi: Studio) -> None:
    """AN-5 for a signed-in session: ten wrong current passwords and the change answers 429
    (even with the right one) until the window passes, like the sign-in."""
    c = multi.sign_in("ada")
    new = "a different long passphrase"
    for _ in range(10):
        r = c.post("/api/password", json={"current": "not it at all", "new": new})
        assert r.status_code == 403
    r = c.post("/api/password", json={"current": PASSWORD, "new": new})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) == 15 * 60
    multi.clock.advance(minutes=15)
    assert c.post("/api/password", json={"current": PASSWORD, "new": new}).status_code == 200
