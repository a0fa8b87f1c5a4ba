"""Shared test fixtures and the golden-file switch (``pytest --update-golden``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests run the same examples on every run by default, so CI is never red by the luck
# of a draw; `HYPOTHESIS_PROFILE=explore bash scripts/test` searches new examples (do it
# before a release, and turn any failure it finds into a fixed test).
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden files from the current output (then read the diff).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def compare_golden(path: Path, actual: str, update: bool) -> None:
    """Assert ``actual`` equals the golden file, or rewrite it under ``--update-golden``."""
    if update or not path.exists():
        if not update:
            pytest.fail(
                f"golden file {path.name} is missing; run pytest --update-golden and review it"
            )
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {path.name}; if intended, run --update-golden"


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: SQLite in ``tmp_path``, or the PostgreSQL database named by
    ``STAFFPATH_DATABASE_URL`` with its schema emptied (``bash scripts/postgres.sh`` makes one)."""
    url = os.environ.get("STAFFPATH_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'studio.db'}"
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield url
