"""A studio app on a fresh database (SQLite, or PostgreSQL under scripts/postgres.sh)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from staffpath.web.app import create_app
from staffpath.web.settings import Settings


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c
