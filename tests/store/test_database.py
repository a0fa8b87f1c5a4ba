"""The database layer: SQLite settings read back from live connections, write transactions
that begin IMMEDIATE, migrations in both directions, the backup before an upgrade, and an
upgrade that fails without harming the data (SQLite, and PostgreSQL where the fixture is)."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from staffpath.store import database
from staffpath.store import repository as repo
from staffpath.store.backup import content_digest, read_rows, verify
from staffpath.store.database import (
    MigrationError,
    _alembic,
    connect,
    current,
    head,
    make_engine,
    migrate,
    read_only,
)
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
    assert current(engine) == head()
    assert head() is not None and head() >= "0002"  # type: ignore[operator]
    engine.dispose()


# --- SQLite settings (DU-1, DU-3, DU-4) ------------------------------------------------------


@pytest.fixture
def sqlite_sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    sessions = connect(database.sqlite_url(tmp_path))
    yield sessions
    sessions.kw["bind"].dispose()


def test_every_pooled_connection_reads_back_the_durability_pragmas(
    sqlite_sessions: sessionmaker[Session],
) -> None:
    """DU-1, DU-3: journal_mode=wal, synchronous=2 (FULL), foreign_keys=1, busy_timeout≥5000,
    read back on several live connections of the pool at once, not assumed from the code."""
    engine = sqlite_sessions.kw["bind"]
    opened = [engine.raw_connection() for _ in range(3)]
    try:
        assert len({id(c.driver_connection) for c in opened}) == 3
        for conn in opened:
            cursor = conn.cursor()

            def pragma(name: str, cursor: object = cursor) -> object:
                return cursor.execute(f"PRAGMA {name}").fetchone()[0]  # type: ignore[attr-defined]

            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 2
            assert pragma("foreign_keys") == 1
            assert int(pragma("busy_timeout")) >= 5000  # type: ignore[call-overload]
            assert pragma("journal_size_limit") == 64 * 1024 * 1024
            cursor.close()
    finally:
        for conn in opened:
            conn.close()
    with sqlite_sessions() as s:  # and inside an ORM session's transaction
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2


def test_the_database_file_itself_is_in_wal_mode(tmp_path: Path) -> None:
    """DU-1: a second library (plain sqlite3, no SQLAlchemy) sees the WAL mode in the file."""
    connect(database.sqlite_url(tmp_path)).kw["bind"].dispose()
    with sqlite3.connect(tmp_path / "studio.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_foreign_keys_are_enforced(sqlite_sessions: sessionmaker[Session]) -> None:
    """DU-1: SQLite ignores foreign keys unless told; a version of no design is refused."""
    with pytest.raises(IntegrityError), sqlite_sessions.begin() as s:
        s.execute(
            text(
                "INSERT INTO versions (design_id, number, yaml, created_at, valid) "
                "VALUES (999, 1, 'x', '2026-01-01', 0)"
            )
        )


def test_a_session_holds_the_write_lock_from_its_first_statement(
    sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    """DU-4: BEGIN IMMEDIATE. While a session has only *read*, another connection already
    cannot take the write lock (with a deferred BEGIN it could)."""
    other = sqlite3.connect(tmp_path / "studio.db", timeout=0, isolation_level=None)
    with sqlite_sessions.begin() as s:
        s.execute(text("SELECT count(*) FROM designs"))
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")  # free again once the session committed
    other.execute("ROLLBACK")
    other.close()


def test_read_then_write_transactions_wait_instead_of_failing(
    sqlite_sessions: sessionmaker[Session],
) -> None:
    """DU-4: two transactions that each read then write. With deferred BEGIN the second one
    to write fails at once with "database is locked" (the busy timeout does not cover a lock
    upgrade); with BEGIN IMMEDIATE it waits its turn and both commit."""
    errors: list[BaseException] = []
    order: list[str] = []
    started = threading.Event()

    def second() -> None:
        started.wait()
        try:
            with sqlite_sessions.begin() as s:
                s.execute(text("SELECT count(*) FROM designs"))
                repo.create_design(session=s, name="second", yaml="b: 1", figures=None)
            order.append("second")
        except BaseException as exc:  # pragma: no cover - the failure this test exists for
            errors.append(exc)

    worker = threading.Thread(target=second)
    worker.start()
    with sqlite_sessions.begin() as s:
        s.execute(text("SELECT count(*) FROM designs"))
        started.set()
        time.sleep(0.3)  # the second transaction is now waiting for the lock
        repo.create_design(session=s, name="first", yaml="a: 1", figures=None)
        order.append("first")
    worker.join(10)
    assert errors == []
    assert order == ["first", "second"]
    with sqlite_sessions() as s:
        assert sorted(d.name for d, _ in repo.list_designs(session=s)) == ["first", "second"]


def test_busy_writers_queue_in_turn_instead_of_timing_out(
    sqlite_sessions: sessionmaker[Session],
) -> None:
    """DU-4, LD-1: 12 threads (fewer than the pool's 15 connections) write 40 times each,
    every transaction holding the lock ~10 ms (about 5 s of work in all, the busy timeout). SQLite's own busy handler polls and lets
    newcomers jump the queue, so some waits passed 5 s in the load test ("database is
    locked"); the in-process writer queue wakes waiters in turn: no error, short waits."""
    errors: list[BaseException] = []
    waits: list[float] = []

    def work(i: int) -> None:
        for n in range(40):
            began = time.monotonic()
            try:
                with sqlite_sessions.begin() as s:
                    s.execute(text("SELECT 1"))
                    waits.append(time.monotonic() - began)
                    time.sleep(0.01)
                    repo.create_design(session=s, name=f"t{i}-{n}", yaml="x: 1", figures=None)
            except BaseException as exc:  # pragma: no cover - the failure this test exists for
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert len(waits) == 12 * 40
    assert max(waits) < 2.0  # about 11 others x 10 ms ahead in the queue, on a busy machine
    with sqlite_sessions() as s:
        assert s.execute(text("SELECT count(*) FROM designs")).scalar() == 12 * 40


def test_plain_sqlalchemy_fails_the_same_race(tmp_path: Path) -> None:
    """The control for the test above: the same race on an engine without our settings
    (deferred BEGIN, busy timeout 5 s) fails at once, so the test above can fail."""
    engine = create_engine(database.sqlite_url(tmp_path), connect_args={"timeout": 5})
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    a, b = engine.connect(), engine.connect()
    a.exec_driver_sql("BEGIN")
    a.exec_driver_sql("SELECT count(*) FROM t").all()
    b.exec_driver_sql("INSERT INTO t VALUES (1)")
    b.commit()
    began = time.monotonic()
    with pytest.raises(OperationalError, match="locked"):
        a.exec_driver_sql("INSERT INTO t VALUES (2)")
    assert time.monotonic() - began < 1  # no waiting: the busy timeout did not apply
    a.close()
    b.close()
    engine.dispose()


def test_read_only_sessions_read_beside_the_writer_and_cannot_write(
    sqlite_sessions: sessionmaker[Session],
) -> None:
    readers = read_only(sqlite_sessions)
    with sqlite_sessions.begin() as w:
        repo.create_design(session=w, name="one", yaml="a: 1", figures=None)
    with sqlite_sessions.begin() as w:
        w.execute(text("SELECT 1"))  # holds the write lock
        began = time.monotonic()
        with readers() as r:
            assert len(repo.list_designs(session=r)) == 1
        assert time.monotonic() - began < 1  # did not wait for the writer
    with pytest.raises(OperationalError, match="readonly"), readers.begin() as r:
        repo.create_design(session=r, name="two", yaml="b: 1", figures=None)
    with sqlite_sessions.begin() as w:  # the pool's connection is writable again
        repo.create_design(session=w, name="three", yaml="c: 1", figures=None)


def test_ddl_is_transactional_on_sqlite(sqlite_sessions: sessionmaker[Session]) -> None:
    """With the driver's own transaction handling, CREATE TABLE would commit by itself."""
    s = sqlite_sessions()
    s.begin()
    s.execute(text("CREATE TABLE scratch (x INTEGER)"))
    s.rollback()
    s.close()
    assert "scratch" not in inspect(sqlite_sessions.kw["bind"]).get_table_names()


# --- backups before upgrades, failed upgrades (DU-7) -----------------------------------------


def _with_extra_revision(tmp_path: Path, body: str) -> Path:
    """A copy of the migrations with one more revision on top of the head."""
    folder = tmp_path / "migrations"
    shutil.copytree(database.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9999_injected.py").write_text(
        f'"""Injected by the test.\n\nRevision ID: 9999\nRevises: {head()}\n"""\n\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "9999"\ndown_revision = "{head()}"\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade() -> None:\n"
        "    # SQLite rebuilds the table (copy, drop, rename); PostgreSQL alters it in place\n"
        '    REBUILD = "always" if op.get_bind().dialect.name == "sqlite" else "auto"\n'
        f"{body}\n\n\ndef downgrade() -> None:\n    pass\n",
        encoding="utf-8",
    )
    return folder


def _seed(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        for i in range(3):
            d = repo.create_design(session=s, name=f"d{i}", yaml=f"n: {i}", figures=None)
            repo.save_version(
                session=s, design_id=d.id, yaml=f"n: {i}.2", name=f"d{i}", figures=None
            )


def _snapshot(url: str) -> tuple[str | None, dict[str, list[str]], str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            schema = {
                t: sorted(c["name"] for c in inspect(conn).get_columns(t))
                for t in inspect(conn).get_table_names()
            }
            return current(engine), schema, content_digest(read_rows(conn))
    finally:
        engine.dispose()


FAILING = """\
    op.create_table("boom", sa.Column("id", sa.Integer, primary_key=True))
    with op.batch_alter_table("designs", recreate=REBUILD) as batch:
        batch.add_column(sa.Column("colour", sa.String(20), nullable=True))
    op.execute("UPDATE designs SET name = 'overwritten'")
    op.execute("DELETE FROM versions")
    raise RuntimeError("injected failure")"""


def test_a_failed_migration_leaves_the_previous_version_working(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DU-7: an injected migration that changes schema and data, then fails. The database is
    left at the previous revision with its schema and data intact, the backup taken before
    the upgrade verifies and holds the same content, and the studio starts on it."""
    sessions = connect(database_url)
    _seed(sessions)
    sessions.kw["bind"].dispose()
    before = _snapshot(database_url)

    monkeypatch.setattr(database, "MIGRATIONS", _with_extra_revision(tmp_path, FAILING))
    backups = tmp_path / "backups"
    with pytest.raises(MigrationError, match=f"still at revision {before[0]}") as failed:
        connect(database_url, backups=backups)
    assert "injected failure" in str(failed.value)
    assert _snapshot(database_url) == before

    (taken,) = backups.iterdir()
    assert taken.name.endswith(f"-before-upgrade-from-{before[0]}.zip")
    assert str(taken) in str(failed.value)
    checked = verify(taken)
    assert checked.manifest.content_sha256 == before[2]
    assert checked.manifest.revision == before[0]

    monkeypatch.undo()
    from staffpath.web.app import create_app
    from staffpath.web.settings import Settings

    app = create_app(Settings(data_dir=tmp_path / "data", database_url=database_url))
    with TestClient(app) as client:
        names = sorted(d["name"] for d in client.get("/api/designs").json())
    assert names == ["d0", "d1", "d2"]


def test_an_upgrade_that_rebuilds_a_parent_table_keeps_its_children(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MG-2, DU-7: on SQLite, altering ``designs`` rebuilds it (drop and rename); with
    foreign keys on during the upgrade, the drop would cascade-delete every version."""
    sessions = connect(database_url)
    _seed(sessions)
    sessions.kw["bind"].dispose()
    _, _, before = _snapshot(database_url)
    body = (
        '    with op.batch_alter_table("designs", recreate=REBUILD) as batch:\n'
        '        batch.add_column(sa.Column("colour", sa.String(20), nullable=True))'
    )
    monkeypatch.setattr(database, "MIGRATIONS", _with_extra_revision(tmp_path, body))
    sessions = connect(database_url, backups=tmp_path / "backups")
    with sessions() as s:
        assert s.execute(text("SELECT count(*) FROM versions")).scalar() == 6
        assert s.execute(text("SELECT count(*) FROM designs WHERE colour IS NULL")).scalar() == 3
    sessions.kw["bind"].dispose()
    engine = make_engine(database_url)
    assert current(engine) == "9999"
    engine.dispose()
    (taken,) = (tmp_path / "backups").iterdir()
    assert verify(taken).manifest.content_sha256 == before


def test_no_backup_for_a_new_or_current_database(tmp_path: Path) -> None:
    url = database.sqlite_url(tmp_path)
    connect(url).kw["bind"].dispose()  # new: nothing to save
    connect(url).kw["bind"].dispose()  # at head: nothing to do
    assert not (tmp_path / "backups").exists()


def test_an_old_sqlite_database_is_backed_up_beside_it_before_upgrading(tmp_path: Path) -> None:
    """DU-6 (RPO: before every migration): the default folder is backups/ in the data folder."""
    url = database.sqlite_url(tmp_path)
    engine = make_engine(url)
    migrate(engine, to="0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO designs (id, name, created_at, updated_at) "
                "VALUES (1, 'old', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
    engine.dispose()
    connect(url).kw["bind"].dispose()
    (taken,) = (tmp_path / "backups").iterdir()
    manifest = verify(taken).manifest
    assert manifest.revision == "0001"
    assert manifest.tables == {"designs": 1, "versions": 0}
