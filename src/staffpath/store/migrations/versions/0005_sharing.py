"""Sharing: shares of a design or a document with a user (viewer, editor) or with the
owner's mentors; mentorships; interview peers.

New tables only: nothing existing changes, and the downgrade drops them (the grants go; the
objects stay with their owners).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE",
    )


def _when(name: str, *, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("design_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=10), nullable=False),
        _when("created_at"),
        sa.CheckConstraint(
            "(design_id IS NULL) <> (document_id IS NULL)", name="ck_shares_one_object"
        ),
        _fk("shares", "owner_id", "users"),
        _fk("shares", "user_id", "users"),
        _fk("shares", "design_id", "designs"),
        _fk("shares", "document_id", "documents"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shares")),
    )
    for column in ("owner_id", "user_id", "design_id", "document_id"):
        op.create_index(op.f(f"ix_shares_{column}"), "shares", [column])
    op.create_table(
        "mentorships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        _when("created_at"),
        _when("accepted_at", nullable=True),
        _fk("mentorships", "mentee_id", "users"),
        _fk("mentorships", "mentor_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentorships")),
        sa.UniqueConstraint("mentee_id", "mentor_id", name=op.f("uq_mentorships_mentee_id")),
    )
    for column in ("mentee_id", "mentor_id"):
        op.create_index(op.f(f"ix_mentorships_{column}"), "mentorships", [column])
    op.create_table(
        "interview_peers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _when("created_at"),
        _fk("interview_peers", "interview_id", "interviews"),
        _fk("interview_peers", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_peers")),
        sa.UniqueConstraint(
            "interview_id", "user_id", name=op.f("uq_interview_peers_interview_id")
        ),
    )
    for column in ("interview_id", "user_id"):
        op.create_index(op.f(f"ix_interview_peers_{column}"), "interview_peers", [column])


def downgrade() -> None:
    for column in ("interview_id", "user_id"):
        op.drop_index(op.f(f"ix_interview_peers_{column}"), table_name="interview_peers")
    op.drop_table("interview_peers")
    for column in ("mentee_id", "mentor_id"):
        op.drop_index(op.f(f"ix_mentorships_{column}"), table_name="mentorships")
    op.drop_table("mentorships")
    for column in ("owner_id", "user_id", "design_id", "document_id"):
        op.drop_index(op.f(f"ix_shares_{column}"), table_name="shares")
    op.drop_table("shares")
