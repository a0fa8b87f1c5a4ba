"""A multi-user studio for the tests: accounts, a clock the test moves, and one client (one
cookie jar) per person."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from staffpath.store import accounts
from staffpath.store.accounts import HashParams
from staffpath.web.app import create_app
from staffpath.web.settings import Settings

PASSWORD = "correct horse battery staple"


@dataclass
class Clock:
    """The studio's clock, moved by the test (no sleeping)."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 26, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Studio:
    app: FastAPI
    client: TestClient  # anonymous; runs the app's lifespan
    clock: Clock

    def add_user(self, name: str, *, admin: bool = False, password: str = PASSWORD) -> int:
        with self.app.state.sessions.begin() as db:
            row = accounts.add_user(
                session=db,
                username=name,
                password_hash=self.app.state.passwords.hash(password),
                is_admin=admin,
                now=self.clock(),
            )
            return row.id

    def anonymous(self) -> TestClient:
        return TestClient(self.app, raise_server_exceptions=False)

    def sign_in(self, name: str, password: str = PASSWORD) -> TestClient:
        """A browser signed in as ``name`` that sends its CSRF token like the pages do."""
        c = self.anonymous()
        r = c.post("/api/login", json={"username": name, "password": password})
        assert r.status_code == 200, r.text
        c.headers["X-CSRF-Token"] = r.json()["csrf"]
        return c

    def db(self) -> Any:
        return self.app.state.sessions.begin()


@contextmanager
def studio(database_url: str, tmp_path: Path, **settings: Any) -> Iterator[Studio]:
    clock = Clock()
    options: dict[str, Any] = {"multi_user": True, "password_hash": HashParams.fast()}
    options.update(settings)
    app = create_app(
        Settings(data_dir=tmp_path / "data", database_url=database_url, **options), clock=clock
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Studio(app=app, client=client, clock=clock)


def story_text(title: str) -> str:
    """A strong STAR story (YAML) titled ``title``, the sample the multi-user tests store."""
    return f"""\
title: {title}
summary: Moved the billing ledger to a new store without downtime.
competencies: [ownership]
situation: >-
  The ledger store was end of life and payments depended on it.
task: >-
  I owned the migration plan and its rollout.
action: >-
  I ran both stores side by side, compared every write, and cut over region by region.
result: >-
  Zero lost payments; the old store was retired two months early.
metrics: []
questions: []
follow_ups: []
"""
