"""Schemathesis over the studio's OpenAPI description (goal AP-1): every operation, 50 examples
each, all of Schemathesis' default checks (no 5xx, documented status codes and content types,
responses that match their declared schemas, ...), in single-user mode and in multi-user mode
with a signed-in session that sends its CSRF token.

The app runs in-process (ASGI) on a fresh SQLite database with a few objects seeded, so that
the small ids Hypothesis tries first reach real rows and not only 404s.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from sqlalchemy import text

from staffpath.store import accounts
from staffpath.store.accounts import HashParams
from staffpath.store.database import sqlite_url
from staffpath.web import auth
from staffpath.web.app import create_app
from staffpath.web.jobs import Jobs
from staffpath.web.settings import Settings
from tests.conftest import fresh_database
from tests.web.conftest import leaked

# 50 examples per operation on SQLite. The suite's PostgreSQL pass looks for what only
# PostgreSQL refuses (NUL in text, values past its types); 20 there keep CI under 20 minutes.
EXAMPLES = 20 if os.environ.get("STAFFPATH_DATABASE_URL") else 50
PASSWORD = "correct horse battery staple"
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the first call of an operation may compile or render; time is not a check
    # Schemathesis' strategies filter a lot (path parameters, bodies that must be objects)
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,  # repeatable in CI: no examples replayed from a local cache
)


def _seed(app: FastAPI, client: TestClient) -> None:
    """A design and a story, so ids 1 exist."""
    example = client.get("/api/examples").json()[0]["name"]
    r = client.post("/api/designs", json={"name": "seed", "example": example})
    assert r.status_code == 201, r.text
    story = client.get("/api/stories/starter").json()
    r = client.post("/api/stories", json={"text": story["text"]})
    assert r.status_code == 201, r.text


def _app(tmp: Path, *, multi_user: bool, database_url: str) -> FastAPI:
    expected = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    app = _create(tmp, multi_user=multi_user, database_url=database_url)
    with app.state.sessions() as db:  # the studio really runs on the database it was given
        assert db.get_bind().dialect.name == expected
        if expected == "postgresql":
            assert db.execute(text("SELECT current_schema()")).scalar() in ("single", "multi")
    return app


def _create(tmp: Path, *, multi_user: bool, database_url: str) -> FastAPI:
    return create_app(
        Settings(
            data_dir=tmp / "data",
            database_url=database_url,
            multi_user=multi_user,
            password_hash=HashParams.fast(),
        )
    )


def _description() -> dict[str, Any]:
    """The OpenAPI description, read once at collection so that each operation is a test of
    its own (Schemathesis' lazy ``from_fixture`` loader does not work with pytest 9)."""
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp), multi_user=False, database_url=sqlite_url(Path(tmp)))
        try:
            return app.openapi()
        finally:
            app.state.jobs.shutdown()
            app.state.sessions.kw["bind"].dispose()


CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            # The body limit (413) answers an over-long field before validation can (422).
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429]
            },
            # A schema-valid request may still carry a design, story or document that does not
            # load: the studio answers 422 with what to fix, which no JSON schema can predict.
            # test_* below still fail a 422 that is a request-validation error (``errors``).
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", 401, 403, 404, 409, 422, 429]
            },
        }
    }
)
schema = schemathesis.openapi.from_dict(_description(), config=CONFIG)


def _validated(case: schemathesis.Case, response: Any) -> None:
    """No error body holds a traceback or a file path (goal AP-2, as the conftest hook checks
    for TestClient requests). A schema-valid request is never refused by request validation for a reason the schema
    states (a type, a length, a missing field): that would mean the description and the app
    disagree on what a valid request is. A model's own cross-field rule (``value_error``) is
    the one kind of refusal a JSON schema does not describe."""
    if response.status_code >= 400:
        assert not leaked(response.text), (case.method, case.path, response.text[:500])
    meta = case.meta
    if meta is not None and meta.generation.mode.is_positive and response.status_code == 422:
        errors = response.json().get("errors") or []
        drift = [e for e in errors if e.get("type") != "value_error"]
        assert not drift, (case.method, case.path, drift)


@pytest.fixture(autouse=True)
def _live_jobs(request: pytest.FixtureRequest) -> Iterator[None]:
    """Schemathesis ends the app's lifespan after every test (which stops its job runner); each
    test gets a job runner of its own."""
    apps = [request.getfixturevalue(n) for n in ("single_app",) if n in request.fixturenames]
    if "studio" in request.fixturenames:
        apps.append(request.getfixturevalue("studio")["app"])
    for app in apps:
        app.state.jobs = Jobs()
    yield
    for app in apps:
        app.state.jobs.shutdown()


@pytest.fixture(scope="module")
def single_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    tmp = tmp_path_factory.mktemp("single")  # PostgreSQL in the suite's PostgreSQL run
    app = _app(tmp, multi_user=False, database_url=fresh_database(tmp, schema="single"))
    _seed(app, TestClient(app, raise_server_exceptions=False))
    return app


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("multi")  # beside the single-user one: a schema each
    app = _app(tmp, multi_user=True, database_url=fresh_database(tmp, schema="multi"))
    with app.state.sessions.begin() as db:
        accounts.add_user(
            session=db,
            username="ada",
            password_hash=app.state.passwords.hash(PASSWORD),
            is_admin=False,
            now=app.state.clock(),
        )
    auth = _sign_in(app)
    c = TestClient(app, raise_server_exceptions=False, cookies=auth["cookies"])
    c.headers.update(auth["headers"])
    _seed(app, c)
    return {"app": app, "auth": auth}


def _sign_in(app: FastAPI) -> dict[str, Any]:
    """A fresh session: its cookie and the CSRF header the pages send. The fuzzed sign-ins
    before it may have tripped the rate limit (AN-5, tested in test_auth.py): start it over."""
    app.state.login_limits = auth.LoginLimits(app.state.clock)
    c = TestClient(app, raise_server_exceptions=False)
    r = c.post("/api/login", json={"username": "ada", "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"cookies": dict(c.cookies), "headers": {"X-CSRF-Token": r.json()["csrf"]}}


# Operations that end the session they are called with get one of their own per example.
ENDS_SESSION = {("POST", "/api/logout"), ("POST", "/api/password")}


@schema.parametrize()
@FUZZ
def test_single_user(case: schemathesis.Case, single_app: FastAPI) -> None:
    _validated(case, case.call_and_validate(app=single_app))


@schema.parametrize()
@FUZZ
def test_multi_user_signed_in(case: schemathesis.Case, studio: dict[str, Any]) -> None:
    auth = studio["auth"]
    if (case.method.upper(), case.path) in ENDS_SESSION:
        auth = _sign_in(studio["app"])
    response = case.call_and_validate(
        app=studio["app"], headers=auth["headers"], cookies=auth["cookies"]
    )
    _validated(case, response)
    if (case.method.upper(), case.path) != ("POST", "/api/login"):
        assert response.status_code != 401, "the session ended: the rest would test nothing"


def test_the_leak_check_sees_tracebacks_and_paths() -> None:
    """The AP-2 check (conftest.py) itself: it finds what it must and passes plain errors."""
    assert leaked('Traceback (most recent call last):\n  File "x", line 3')
    assert leaked("failed in /srv/app/src/staffpath/web/api.py")
    assert leaked(f"could not open {Path.cwd()}/data/studio.db")
    assert leaked("no such file /tmp/pytest-of-me/data")
    assert not leaked('{"detail":"no design 404"}')
    assert not leaked('{"ok":false,"problems":[{"file":"design.yaml","line":1}]}')
