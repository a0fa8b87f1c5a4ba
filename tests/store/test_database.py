"""Migrations make the schema the models describe, both ways, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from staffpath.store.database import _alembic, connect, migrate
from staffpath.store.models import Base


def test_connect_migrates_a_new_database(database_url: str) -> None:
    sessions = connect(database_url)
    engine = sessions.kw["bind"]
    assert {"designs", "versions", "alembic_version"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_migrations_match_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_and_upgrade_again(database_url: str) -> None:
    engine = create_engine(database_url)
    migrate(engine)
    command.downgrade(_alembic(engine), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert {"designs", "versions"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_migrating_twice_changes_nothing(database_url: str) -> None:
    engine = create_engine(database_url)
    migrate(engine)
    migrate(engine)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0002"
    engine.dispose()
