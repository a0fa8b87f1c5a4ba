"""No personal data in the logs (goal PR-1).

A sign-in with a canary password, a session token, a story and a resume holding canary
strings go through the studio, failing requests included (a wrong password, a 422 with the
password in its body, a forged cookie, an internal error while a story is stored), with every
logger at DEBUG: the studio's, SQLAlchemy's (statements, parameters and result rows), the
ASGI stack's, the test client's. Then each canary must appear 0 times in what was logged.
A second test runs the same through a real uvicorn server (its access and error logs).
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import text

from staffpath.store import documents as docs
from staffpath.store.database import make_engine
from staffpath.web.auth import COOKIE
from tests.conftest import ROOT
from tests.web.multiuser import story_text, studio

PASSWORD = "canary-PW-7f3a9c-correct horse"
NEW_PASSWORD = "canary-PW2-7f3a9c-battery staple"
WRONG = "canary-WRONG-7f3a9c-not it at all"
FORGED = "canary-TOKEN-7f3a9c"
STORY_SECRET = "canary-STORY-7f3a9c"
RESUME_SECRET = "canary-RESUME-7f3a9c"
STORY = story_text(f"Ledger migration {STORY_SECRET}")
WATCHED = (
    "staffpath",
    "sqlalchemy",
    "sqlalchemy.engine",
    "sqlalchemy.pool",
    "alembic",
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "uvicorn.asgi",
    "fastapi",
    "starlette",
    "asyncio",
    "multipart",
    "python_multipart",
)


def _resume() -> str:
    data = json.loads((ROOT / "examples" / "career" / "resume.json").read_text())
    data["basics"]["summary"] = f"Staff engineer. {RESUME_SECRET}"
    return json.dumps(data)


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every logger that exists, and those the stack creates later, at DEBUG into ``caplog``
    (a logger that does not propagate gets the capture handler itself)."""
    caplog.set_level(logging.DEBUG)
    attached = []
    for name in {*logging.root.manager.loggerDict, *WATCHED}:
        caplog.set_level(logging.DEBUG, logger=name)
        logger = logging.getLogger(name)
        if not logger.propagate:
            logger.addHandler(caplog.handler)
            attached.append(logger)
    yield caplog
    for logger in attached:
        logger.removeHandler(caplog.handler)


CLIENT_SIDE = ("httpx", "httpx2", "httpcore")
"""The test's own HTTP client: at DEBUG it logs the headers it receives (the Set-Cookie with
the session token); a browser writes nothing into the studio's logs."""


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    """Everything a handler could write: messages, their arguments, tracebacks, extras."""
    parts = []
    for r in caplog.records:
        if r.name.split(".")[0] in CLIENT_SIDE:
            continue
        parts += [r.name, r.getMessage(), repr(r.args), repr(vars(r))]
        if r.exc_info and r.exc_info[1] is not None:
            parts.append("".join(traceback.format_exception(*r.exc_info)))
        parts += [r.exc_text or "", r.stack_info or ""]
    return "\n".join(parts)


def _found(logged: str, secrets: dict[str, str]) -> dict[str, list[str]]:
    """Per secret that was logged, the lines that hold it (cut short)."""
    return {
        name: [line[:300] for line in logged.splitlines() if value in line]
        for name, value in secrets.items()
        if value in logged
    }


def test_no_password_token_or_text_reaches_the_logs(
    every_log: pytest.LogCaptureFixture,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secrets = {
        "password": PASSWORD,
        "new password": NEW_PASSWORD,
        "wrong password": WRONG,
        "forged token": FORGED,
        "story": STORY_SECRET,
        "resume": RESUME_SECRET,
    }
    with studio(database_url, tmp_path) as s:
        s.add_user("ada", password=PASSWORD)
        anon = s.anonymous()
        # failing sign-ins: a wrong password, unknown fields, broken JSON, too long, no such user
        assert (
            anon.post("/api/login", json={"username": "ada", "password": WRONG}).status_code == 401
        )
        r = anon.post("/api/login", json={"username": "ada", "password": PASSWORD, "x": 1})
        assert r.status_code == 422
        r = anon.post(
            "/api/login",
            content=f'{{"username": "ada", "password": "{PASSWORD}"',
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 422
        r = anon.post("/api/login", json={"username": "ada", "password": PASSWORD * 40})
        assert r.status_code == 422
        r = anon.post("/api/login", json={"username": PASSWORD, "password": PASSWORD})
        assert r.status_code == 401
        forged = s.anonymous()
        forged.cookies.set(COOKIE, FORGED)
        assert forged.get("/api/me").status_code == 401

        c = s.sign_in("ada", PASSWORD)
        token = c.cookies.get(COOKIE)
        assert token
        secrets |= {"session token": token, "csrf token": c.headers["X-CSRF-Token"]}
        story = c.post("/api/stories", json={"text": STORY})
        assert story.status_code == 201, story.text
        sid = story.json()["id"]
        assert STORY_SECRET in c.get(f"/api/stories/{sid}").text
        assert c.put(f"/api/stories/{sid}", json={"text": STORY + "\n"}).status_code == 200
        broken = STORY.replace("summary:", "summery:")
        assert c.post("/api/stories", json={"text": broken}).status_code == 422
        resume = c.post("/api/career/resume", json={"text": _resume(), "name": "resume"})
        assert resume.status_code == 201, resume.text
        assert RESUME_SECRET in c.get(f"/api/career/resume/{resume.json()['id']}").text
        assert RESUME_SECRET in c.get("/api/me/export").text

        # an internal error while a story is stored: the database refuses the row
        def failing(*, session: Any, **kwargs: Any) -> Any:
            session.execute(
                text("INSERT INTO documents (kind, name, format, text) VALUES (NULL, :n, :f, :t)"),
                {"n": kwargs["name"], "f": kwargs["format"], "t": kwargs["text"]},
            )

        monkeypatch.setattr(docs, "create_document", failing)
        assert c.post("/api/stories", json={"text": STORY}).status_code == 500
        monkeypatch.undo()

        r = c.post("/api/password", json={"current": WRONG, "new": NEW_PASSWORD})
        assert r.status_code == 403
        r = c.post("/api/password", json={"current": PASSWORD, "new": NEW_PASSWORD})
        assert r.status_code == 200, r.text
        c.headers["X-CSRF-Token"] = r.json()["csrf"]
        secrets |= {"second token": c.cookies.get(COOKIE) or token}
        assert c.post("/api/logout").status_code == 204
        replay = s.anonymous()
        replay.cookies.set(COOKIE, token)
        assert replay.get("/api/me").status_code == 401
        assert s.sign_in("ada", NEW_PASSWORD).get("/api/me").status_code == 200

    logged = _logged(every_log)
    names = {r.name for r in every_log.records}
    # the capture was live: SQL statements, the studio's own error
    assert any(n.startswith("sqlalchemy.engine") for n in names), sorted(names)
    assert "internal error on POST /api/stories" in logged
    assert "IntegrityError" in logged and "[SQL: INSERT INTO documents" in logged  # still useful
    assert _found(logged, secrets) == {}


def test_the_capture_finds_a_leak(every_log: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    """The check can fail: an engine made without the studio's settings, whose parameters
    and rows SQLAlchemy logs at DEBUG, leaks the canary; and so does a quiet logger."""
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    with engine.connect() as conn:
        conn.execute(text("SELECT :x"), {"x": STORY_SECRET}).all()
    engine.dispose()
    quiet = logging.getLogger("uvicorn.error")
    quiet.debug("%s", RESUME_SECRET)
    logged = _logged(every_log)
    assert logged.count(STORY_SECRET) >= 2  # the parameter and the row
    assert RESUME_SECRET in logged

    ours = make_engine(f"sqlite:///{tmp_path / 'ours.db'}")
    with ours.connect() as conn:
        conn.execute(text("SELECT :x"), {"x": PASSWORD}).all()
    ours.dispose()
    assert PASSWORD not in _logged(every_log)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_real_server_logs_no_secret(
    every_log: pytest.LogCaptureFixture, database_url: str, tmp_path: Path
) -> None:
    """The same through uvicorn at its most verbose level short of ``trace`` (which dumps
    every ASGI message by design): access lines, connection events, the app's logs."""
    with studio(database_url, tmp_path) as s:
        s.add_user("ada", password=PASSWORD)
        port = _free_port()
        config = uvicorn.Config(
            s.app, host="127.0.0.1", port=port, log_level="debug", log_config=None, lifespan="off"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            for _ in range(100):
                if server.started:
                    break
                time.sleep(0.05)
            assert server.started
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base) as c:
                r = c.post("/api/login", json={"username": "ada", "password": WRONG})
                assert r.status_code == 401
                r = c.post("/api/login", json={"username": "ada", "password": PASSWORD, "x": 1})
                assert r.status_code == 422
                r = c.post("/api/login", json={"username": "ada", "password": PASSWORD})
                assert r.status_code == 200
                token = c.cookies.get(COOKIE)
                assert token
                c.headers["X-CSRF-Token"] = r.json()["csrf"]
                r = c.post("/api/stories", json={"text": STORY})
                assert r.status_code == 201, r.text
                assert STORY_SECRET in c.get("/api/me/export").text
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    logged = _logged(every_log)
    assert any(r.name == "uvicorn.access" for r in every_log.records)
    secrets = {"password": PASSWORD, "wrong": WRONG, "story": STORY_SECRET, "token": token}
    assert _found(logged, secrets) == {}
