"""Shared test fixtures and the golden-file switch (``pytest --update-golden``)."""

from __future__ import annotations

import os
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


def fresh_database(folder: Path, *, schema: str = "public") -> str:
    """A fresh, empty database: SQLite in ``folder``, or the PostgreSQL database named by
    ``STAFFPATH_DATABASE_URL`` with ``schema`` emptied (``bash scripts/postgres.sh`` makes
    one). A PostgreSQL run has one database: the next call for the same schema empties it, and
    studios that must live side by side take a schema each (the URL sets its search path)."""
    url = os.environ.get("STAFFPATH_DATABASE_URL")
    if not url:
        return f"sqlite:///{folder / 'studio.db'}"
    from sqlalchemy import create_engine, text

    if not schema.isidentifier():
        raise ValueError(f"not a schema name: {schema!r}")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    if schema == "public":
        return url
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """:func:`fresh_database` for one test."""
    return fresh_database(tmp_path)
