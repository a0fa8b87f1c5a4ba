"""A studio app on a fresh database (SQLite, or PostgreSQL under scripts/postgres.sh)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette import testclient

from staffpath.web.app import create_app
from staffpath.web.settings import Settings
from tests.web.multiuser import Studio, studio


@pytest.fixture
def multi(database_url: str, tmp_path: Path) -> Iterator[Studio]:
    """A multi-user studio with two accounts: ada, and root (an admin)."""
    with studio(database_url, tmp_path) as s:
        s.add_user("ada")
        s.add_user("root", admin=True)
        yield s


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


LEAK = re.compile(
    r"Traceback|File \"[^\"]+\", line \d+"  # a Python traceback, or a frame of one
    r"|(?:/[\w.+-]+)+\.py\b"  # a path to a source file
    r"|site-packages|/tmp/|/home/|/usr/lib|[A-Z]:\\\\"  # install and data directories
)
"""What no error body may contain (goal AP-2): a stack trace or a file path."""


def leaked(body: str) -> list[str]:
    return LEAK.findall(body) + ([str(Path.cwd())] if str(Path.cwd()) in body else [])


@pytest.fixture(autouse=True)
def no_traceback_in_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every 4xx/5xx answer any web test gets through a TestClient is read and checked: no
    ``Traceback`` and no file path in it (goal AP-2), whichever test made the request."""
    handle = testclient._TestClientTransport.handle_request

    def checked(self: testclient._TestClientTransport, request: Any) -> Any:
        response = handle(self, request)
        if response.status_code >= 400:
            body = response.read().decode("utf-8", "replace")
            found = leaked(body)
            assert not found, f"{request.method} {request.url.path}: {found}: {body[:500]}"
        return response

    monkeypatch.setattr(testclient._TestClientTransport, "handle_request", checked)
