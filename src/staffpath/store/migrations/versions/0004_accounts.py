"""Accounts and sessions; an owner on designs, interviews and documents; per-user flashcard
schedules.

Existing rows keep ``owner_id`` NULL: they belong to the local single user. ``card_states``
is rebuilt (its key was the card alone; it is now an id, unique per user and card) with its
rows copied over.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OWNED = ("designs", "interviews", "documents")


def _create_card_states(*, per_user: bool) -> None:
    if per_user:
        op.create_table(
            "card_states",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("card", sa.String(length=160), nullable=False),
            sa.Column("state", sa.Text(), nullable=False),
            sa.Column("due", sa.DateTime(timezone=True), nullable=False),
            sa.Column("user_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(
                ["user_id"],
                ["users.id"],
                name=op.f("fk_card_states_user_id_users"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_card_states")),
            sa.UniqueConstraint("user_id", "card", name=op.f("uq_card_states_user_id")),
        )
        op.create_index(op.f("ix_card_states_user_id"), "card_states", ["user_id"])
    else:
        op.create_table(
            "card_states",
            sa.Column("card", sa.String(length=160), nullable=False),
            sa.Column("state", sa.Text(), nullable=False),
            sa.Column("due", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("card", name=op.f("pk_card_states")),
        )


def _rebuild_card_states(*, per_user: bool) -> None:
    """Copy the rows out, drop the table, create it with its new key, copy them back (the
    same on SQLite and PostgreSQL; a schedule is small)."""
    bind = op.get_bind()
    table = sa.table(
        "card_states",
        sa.column("card", sa.String()),
        sa.column("state", sa.Text()),
        sa.column("due", sa.DateTime(timezone=True)),
    )
    rows = [dict(r._mapping) for r in bind.execute(sa.select(table)).all()]
    op.drop_table("card_states")
    _create_card_states(per_user=per_user)
    if rows:
        op.bulk_insert(table, rows)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_login_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_sessions_token_hash")),
    )
    op.create_index(op.f("ix_login_sessions_user_id"), "login_sessions", ["user_id"])
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
            batch.create_index(batch.f(f"ix_{table}_owner_id"), ["owner_id"])
            batch.create_foreign_key(
                batch.f(f"fk_{table}_owner_id_users"),
                "users",
                ["owner_id"],
                ["id"],
                ondelete="CASCADE",
            )
    with op.batch_alter_table("card_reviews") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_card_reviews_user_id"), ["user_id"])
        batch.create_foreign_key(
            batch.f("fk_card_reviews_user_id_users"),
            "users",
            ["user_id"],
            ["id"],
            ondelete="CASCADE",
        )
    _rebuild_card_states(per_user=True)


def downgrade() -> None:
    """Back to one schedule and no owners: the accounts' own rows go (the local user's stay)."""
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM card_reviews WHERE user_id IS NOT NULL"))
    bind.execute(sa.text("DELETE FROM card_states WHERE user_id IS NOT NULL"))
    bind.execute(
        sa.text(
            "DELETE FROM versions WHERE design_id IN "
            "(SELECT id FROM designs WHERE owner_id IS NOT NULL)"
        )
    )
    for table in OWNED:
        owned = sa.table(table, sa.column("owner_id"))
        bind.execute(sa.delete(owned).where(owned.c.owner_id.is_not(None)))
    _rebuild_card_states(per_user=False)
    with op.batch_alter_table("card_reviews") as batch:
        batch.drop_constraint(batch.f("fk_card_reviews_user_id_users"), type_="foreignkey")
        batch.drop_index(batch.f("ix_card_reviews_user_id"))
        batch.drop_column("user_id")
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(batch.f(f"fk_{table}_owner_id_users"), type_="foreignkey")
            batch.drop_index(batch.f(f"ix_{table}_owner_id"))
            batch.drop_column("owner_id")
    op.drop_index(op.f("ix_login_sessions_user_id"), table_name="login_sessions")
    op.drop_table("login_sessions")
    op.drop_table("users")
