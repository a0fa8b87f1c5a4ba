"""Migration 0004 on a database with data (goal MG-2): the local user's rows stay, with no
owner; the flashcard schedule is rebuilt with its rows; and the downgrade gives 0003 back."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import create_engine, inspect, text

from staffpath.store.database import _alembic, _no_foreign_keys, current, make_engine, migrate

WHEN = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def _seed(engine: object) -> None:
    with engine.begin() as c:  # type: ignore[attr-defined]
        c.execute(
            text(
                "INSERT INTO designs (id, name, created_at, updated_at) "
                "VALUES (1, 'shortener', :t, :t)"
            ),
            {"t": WHEN},
        )
        c.execute(
            text(
                "INSERT INTO versions (id, design_id, number, yaml, created_at, valid) "
                "VALUES (1, 1, 1, 'name: x', :t, false)"
            ),
            {"t": WHEN},
        )
        c.execute(
            text(
                "INSERT INTO interviews (id, problem, key, started_at, state) "
                "VALUES (1, 'url-shortener', 'k', :t, '{}')"
            ),
            {"t": WHEN},
        )
        c.execute(
            text(
                "INSERT INTO documents (id, kind, name, format, text, created_at, updated_at) "
                "VALUES (1, 'story', 's', 'yaml', 't', :t, :t)"
            ),
            {"t": WHEN},
        )
        for card in ("lat-l1-cache", "lat-disk-seek"):
            c.execute(
                text("INSERT INTO card_states (card, state, due) VALUES (:c, '{}', :t)"),
                {"c": card, "t": WHEN},
            )
        c.execute(
            text("INSERT INTO card_reviews (card, rating, reviewed_at) VALUES (:c, 3, :t)"),
            {"c": "lat-l1-cache", "t": WHEN},
        )


def test_upgrade_keeps_the_local_users_rows_and_downgrade_restores_0003(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    migrate(engine, to="0003")
    _seed(engine)
    migrate(engine, to="0004")
    assert current(engine) == "0004"
    with engine.connect() as c:
        for table in ("designs", "interviews", "documents"):
            owners = c.execute(text(f"SELECT owner_id FROM {table}")).scalars().all()
            assert owners == [None], table
        states = c.execute(text("SELECT id, card, user_id FROM card_states ORDER BY card")).all()
        assert [(s.card, s.user_id) for s in states] == [
            ("lat-disk-seek", None),
            ("lat-l1-cache", None),
        ]
        assert all(s.id for s in states)
        assert c.execute(text("SELECT user_id FROM card_reviews")).scalars().all() == [None]
        assert c.execute(text("SELECT count(*) FROM versions")).scalar() == 1
    columns = {c["name"] for c in inspect(engine).get_columns("card_states")}
    assert columns == {"id", "card", "state", "due", "user_id"}
    fks = {fk["referred_table"] for fk in inspect(engine).get_foreign_keys("designs")}
    assert fks == {"users"}

    with engine.begin() as c:  # an account's own rows go with a downgrade; the local user's stay
        c.execute(
            text(
                "INSERT INTO users (id, username, password_hash, is_admin, created_at, "
                "password_changed_at) VALUES (7, 'ada', 'h', false, :t, :t)"
            ),
            {"t": WHEN},
        )
        c.execute(
            text(
                "INSERT INTO designs (id, name, created_at, updated_at, owner_id) "
                "VALUES (2, 'ada', :t, :t, 7)"
            ),
            {"t": WHEN},
        )
        c.execute(
            text(
                "INSERT INTO versions (id, design_id, number, yaml, created_at, valid) "
                "VALUES (2, 2, 1, 'name: y', :t, false)"
            ),
            {"t": WHEN},
        )
    with engine.connect() as conn, _no_foreign_keys(conn), conn.begin():
        command.downgrade(_alembic(conn), "0003")
    engine.dispose()
    plain = create_engine(database_url)
    with plain.connect() as c:
        assert c.execute(text("SELECT id FROM designs")).scalars().all() == [1]
        assert c.execute(text("SELECT design_id FROM versions")).scalars().all() == [1]
        cards = c.execute(text("SELECT card FROM card_states ORDER BY card")).scalars().all()
        assert cards == ["lat-disk-seek", "lat-l1-cache"]
    tables = set(inspect(plain).get_table_names())
    assert "users" not in tables and "login_sessions" not in tables
    assert inspect(plain).get_pk_constraint("card_states")["constrained_columns"] == ["card"]
    plain.dispose()
