"""Migration 0005 on a database with data (goal MG-2): the sharing tables arrive empty beside
the existing rows, a share holds exactly one object, deleting an object takes its shares
along, and the downgrade gives 0004 back with every row of it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from staffpath.store.database import _alembic, _no_foreign_keys, current, make_engine, migrate

WHEN = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
NEW = {"shares", "mentorships", "interview_peers"}


def test_upgrade_adds_empty_tables_and_downgrade_restores_0004(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine, to="0004")
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO users (id, username, password_hash, is_admin, created_at, "
                "password_changed_at) VALUES (1, 'ada', 'h', false, :t, :t), "
                "(2, 'bob', 'h', false, :t, :t)"
            ),
            {"t": WHEN},
        )
        c.execute(
            text(
                "INSERT INTO designs (id, name, created_at, updated_at, owner_id) "
                "VALUES (1, 'd', :t, :t, 1)"
            ),
            {"t": WHEN},
        )
    migrate(engine, to="0005")
    assert current(engine) == "0005"
    assert set(inspect(engine).get_table_names()) >= NEW
    with engine.begin() as c:
        for table in NEW:
            assert c.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
        c.execute(
            text(
                "INSERT INTO shares (owner_id, user_id, design_id, role, created_at) "
                "VALUES (1, 2, 1, 'viewer', :t)"
            ),
            {"t": WHEN},
        )
    with pytest.raises(IntegrityError), engine.begin() as c:  # no object, or two: refused
        c.execute(
            text("INSERT INTO shares (owner_id, role, created_at) VALUES (1, 'viewer', :t)"),
            {"t": WHEN},
        )
    with engine.begin() as c:  # the object goes, its shares go
        c.execute(text("DELETE FROM designs WHERE id = 1"))
        assert c.execute(text("SELECT count(*) FROM shares")).scalar() == 0
    with engine.connect() as conn, _no_foreign_keys(conn), conn.begin():
        command.downgrade(_alembic(conn), "0004")
    engine.dispose()
    plain = create_engine(database_url)
    tables = set(inspect(plain).get_table_names())
    assert not NEW & tables and "users" in tables
    with plain.connect() as c:
        assert c.execute(text("SELECT username FROM users ORDER BY id")).scalars().all() == [
            "ada",
            "bob",
        ]
    plain.dispose()
