"""Alembic's history checked by pytest-alembic's built-in tests (goal MG-1), on SQLite and,
under ``scripts/postgres.sh``, on PostgreSQL (the ``database_url`` fixture).

pytest-alembic's own collector is off (``pytest_alembic_enabled = ""`` in pyproject: it breaks
on pytest 9), so this module builds the runner it would build, over our engine (with the
SQLite settings of ``store.database``) and our migrations folder, and calls its checks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_alembic import runner
from pytest_alembic.config import Config
from pytest_alembic.runner import MigrationContext
from pytest_alembic.tests import default as checks
from sqlalchemy import inspect

from staffpath.store.database import MIGRATIONS, make_engine
from staffpath.store.models import Base


@pytest.fixture
def migrations(database_url: str) -> Iterator[MigrationContext]:
    engine = make_engine(database_url)
    config = Config(
        config_options={
            "file": str(MIGRATIONS / "no-alembic.ini"),  # there is none: options come from here
            "script_location": str(MIGRATIONS),
            "target_metadata": Base.metadata,
            "include_schemas": False,
        }
    )
    with runner(config=config, engine=engine) as context:
        yield context
    engine.dispose()


def test_single_head_revision(migrations: MigrationContext) -> None:
    """MG-1: the history has one head (two branches would need a merge revision)."""
    checks.test_single_head_revision(migrations)


def test_upgrade(migrations: MigrationContext) -> None:
    """MG-1: an empty database upgrades to the head, one revision at a time."""
    checks.test_upgrade(migrations)
    tables = set(inspect(migrations.connection_executor.connection).get_table_names())  # type: ignore[arg-type]
    assert {"designs", "versions", "alembic_version"} <= tables


def test_model_definitions_match_ddl(migrations: MigrationContext) -> None:
    """MG-1: autogenerate against the migrated database finds nothing to add: the models and
    the migrations describe the same schema."""
    checks.test_model_definitions_match_ddl(migrations)


def test_up_down_consistency(migrations: MigrationContext) -> None:
    """MG-1: every revision upgrades, downgrades and upgrades again."""
    checks.test_up_down_consistency(migrations)


def test_the_checks_can_fail(migrations: MigrationContext) -> None:
    """The control: the same runner reports a model the migrations do not create."""
    from pytest_alembic.plugin.error import AlembicTestFailure
    from sqlalchemy import Column, Integer, Table

    extra = Table("not_migrated", Base.metadata, Column("id", Integer, primary_key=True))
    try:
        with pytest.raises(AlembicTestFailure, match="out of sync"):
            checks.test_model_definitions_match_ddl(migrations)
    finally:
        Base.metadata.remove(extra)
