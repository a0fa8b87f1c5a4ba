"""Tables: a design, and every saved version of its YAML text.

The YAML text is kept exactly as written (comments included); the headline figures of a
version (goals met, worst p99, cost) are computed when it is saved, so the library lists
designs without analysing each one again. A version whose text does not load has none.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import DateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class DesignRow(Base):
    __tablename__ = "designs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    versions: Mapped[list[VersionRow]] = relationship(
        back_populates="design", order_by="VersionRow.number", cascade="all, delete-orphan"
    )
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None
    )


class VersionRow(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("design_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    design_id: Mapped[int] = mapped_column(ForeignKey("designs.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    yaml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    note: Mapped[str | None] = mapped_column(String(200), default=None)
    valid: Mapped[bool] = mapped_column(default=False)
    meets_goals: Mapped[bool | None] = mapped_column(default=None)
    worst_p99_ms: Mapped[float | None] = mapped_column(Float, default=None)
    cost_per_month: Mapped[float | None] = mapped_column(Float, default=None)
    design: Mapped[DesignRow] = relationship(back_populates="versions")


class InterviewRow(Base):
    """A mock interview: its whole state as JSON (the practice model validates it on read),
    and the figures the history lists."""

    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    problem: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    score: Mapped[float | None] = mapped_column(Float, default=None)
    state: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None
    )


class DocumentRow(Base):
    """A user-authored text of the practice and career tools (a STAR story, and later an
    evidence log, a resume...) kept exactly as written, in the format its file would have.
    ``kind`` says which model validates it; the text is validated before every write."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(20))  # yaml, markdown, json
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None
    )


class CardStateRow(Base):
    """The FSRS state of one flashcard for one user (its JSON as the ``fsrs`` package writes
    it). ``user_id`` NULL is the local single user; each account has its own schedule."""

    __tablename__ = "card_states"
    __table_args__ = (UniqueConstraint("user_id", "card"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card: Mapped[str] = mapped_column(String(160))
    state: Mapped[str] = mapped_column(Text)
    due: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None
    )


class CardReviewRow(Base):
    """One rating given to one card: the review history."""

    __tablename__ = "card_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card: Mapped[str] = mapped_column(String(160), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None
    )


class UserRow(Base):
    """An account of a multi-user studio. Only the argon2id hash of the password is kept;
    a disabled account keeps its data but cannot sign in, and has no session."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    # two-step sign-in (store/totp.py): the base32 secret, or None when it is off, and the
    # last 30-second step a code was accepted for (a code never signs in twice)
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, default=None)


class LoginSessionRow(Base):
    """A signed-in browser: the SHA-256 of its cookie's token (the token itself is never
    stored), the CSRF token its pages send back, and the times the lifetimes count from."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ShareRow(Base):
    """One object (a design, or a document: a story, a resume, an evidence log...) shared by
    its owner with one user as ``viewer`` or ``editor``, or, ``user_id`` NULL, with the
    owner's mentors (always read-only). Exactly one of ``design_id`` and ``document_id`` is
    set; the share goes when the object, the owner or the user goes."""

    __tablename__ = "shares"
    __table_args__ = (
        CheckConstraint(
            "(design_id IS NULL) <> (document_id IS NULL)", name="ck_shares_one_object"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None
    )
    design_id: Mapped[int | None] = mapped_column(
        ForeignKey("designs.id", ondelete="CASCADE"), index=True, default=None
    )
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True, default=None
    )
    role: Mapped[str] = mapped_column(String(10))  # viewer, editor
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class MentorshipRow(Base):
    """A mentee's invitation to a mentor; in force once ``accepted_at`` is set."""

    __tablename__ = "mentorships"
    __table_args__ = (UniqueConstraint("mentee_id", "mentor_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class InterviewPeerRow(Base):
    """A signed-in user given the interviewer's view of one interview, until the interview
    has been finished for a day (or the grant is removed)."""

    __tablename__ = "interview_peers"
    __table_args__ = (UniqueConstraint("interview_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
