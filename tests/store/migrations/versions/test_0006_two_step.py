"""Migration 0006 on a database with accounts (goal MG-2): two-step sign-in arrives off for
every existing account, and the downgrade gives 0005 back with every account in it."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import create_engine, inspect, text

from staffpath.store.database import _alembic, _no_foreign_keys, current, make_engine, migrate

WHEN = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
NEW = {"totp_secret", "totp_last_step"}


def _columns(engine_url: str) -> set[str]:
    plain = create_engine(engine_url)
    names = {c["name"] for c in inspect(plain).get_columns("users")}
    plain.dispose()
    return names


def test_upgrade_leaves_two_step_off_and_downgrade_restores_0005(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine, to="0005")
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO users (id, username, password_hash, is_admin, created_at, "
                "password_changed_at) VALUES (1, 'ada', 'h1', true, :t, :t), "
                "(2, 'bob', 'h2', false, :t, :t)"
            ),
            {"t": WHEN},
        )
    migrate(engine, to="0006")
    assert current(engine) == "0006"
    with engine.begin() as c:
        rows = c.execute(
            text(
                "SELECT username, password_hash, totp_secret, totp_last_step FROM users ORDER BY id"
            )
        ).all()
        assert [tuple(r) for r in rows] == [("ada", "h1", None, None), ("bob", "h2", None, None)]
        step = 2**40  # more than 32 bits: the column is a BigInteger
        c.execute(
            text("UPDATE users SET totp_secret = :s, totp_last_step = :n WHERE id = 1"),
            {"s": "A" * 32, "n": step},
        )
        assert c.execute(text("SELECT totp_last_step FROM users WHERE id = 1")).scalar() == step
    with engine.connect() as conn, _no_foreign_keys(conn), conn.begin():
        command.downgrade(_alembic(conn), "0005")
    engine.dispose()
    assert not NEW & _columns(database_url)
    plain = create_engine(database_url)
    with plain.connect() as c:
        assert c.execute(text("SELECT username, password_hash FROM users ORDER BY id")).all() == [
            ("ada", "h1"),
            ("bob", "h2"),
        ]
    plain.dispose()
