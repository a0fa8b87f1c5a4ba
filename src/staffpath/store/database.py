"""The database: where it is, how to reach it, and bringing its schema up to date.

The URL comes from the settings (``STAFFPATH_DATABASE_URL``, else a SQLite file in the data
folder). ``connect`` migrates with Alembic to the latest revision before anything else runs,
so the studio never works on an old schema.

SQLite connections are set up for durability (goals DU-1, DU-3, DU-4 in the reliability
goals):

- ``journal_mode=WAL``: readers never block the writer, nor the writer readers;
- ``synchronous=FULL``: a commit is on disk before it is acknowledged, so it survives a power
  cut as well as a crash (WAL + NORMAL may roll back the last commits on power loss);
- ``foreign_keys=ON`` (SQLite's default is off) and ``busy_timeout=5000`` ms (default 0);
- ``journal_size_limit`` of 64 MiB: the WAL file is truncated back after checkpoints (DU-5).

Every transaction starts with ``BEGIN IMMEDIATE``: it takes the write lock at once, waiting
up to the busy timeout for it. With Python's default (a deferred ``BEGIN`` issued before the
first write), a transaction that read first and then writes must *upgrade* its lock, and
SQLite answers "database is locked" at once when another connection holds it: the busy
timeout does not cover the upgrade (python/cpython#124510). We do what SQLAlchemy's
documentation prescribes ("Enabling Non-Legacy SQLite Transactional Modes"): the driver's
own transaction handling is off (``isolation_level = None``) and the ``begin`` event emits
our ``BEGIN``. That also makes DDL transactional, so a failing migration rolls back whole.

Write transactions of one process also queue in turn before their ``BEGIN IMMEDIATE``
(:class:`_WriterQueue`): SQLite's own busy handler polls, and under load it let some waits
pass the busy timeout.

Read-only sessions: the web layer opens one transaction per request without knowing whether
the route will write, so the default sessions all begin IMMEDIATE; the cost is that
transactions run one at a time (they are short: no analysis runs while a request holds the
database). :func:`read_only` gives sessions that begin with a plain deferred ``BEGIN`` and
``PRAGMA query_only``: in WAL they read a snapshot alongside the writer without waiting, and
a write in them fails loudly instead of meeting the lock-upgrade problem.

On PostgreSQL none of this applies: its defaults (read committed, transactional DDL) are
what we want.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from staffpath.errors import InputError, UserError

MIGRATIONS = Path(__file__).parent / "migrations"

BUSY_TIMEOUT_MS = 5000
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024
PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
    "journal_size_limit": JOURNAL_SIZE_LIMIT,
}
"""What every SQLite connection reads back once it is set up (tests check the same)."""

WRITER_WAIT_S = 30.0
"""How long a write transaction queues behind the others of this process."""
_HOLDS = "staffpath_holds_writer_lock"

READ_ONLY = "staffpath_read_only"
"""The execution option that makes a transaction begin deferred and query-only."""

log = logging.getLogger("staffpath.store")


class MigrationError(UserError):
    """A migration failed; the database was left at the revision it had before."""


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'studio.db'}"


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for another backend or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _set_up_sqlite(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we send BEGIN ourselves (see the module doc)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}")
    finally:
        cursor.close()
    if mode != "wal" and mode != "memory":
        raise InputError(
            f"SQLite could not switch the database to WAL mode (it stays in {mode!r}); "
            "keep the data folder on a local disk, not a network share"
        )


class _FifoLock:
    """A lock handed to its waiters in the order they came (``threading.Lock`` is not fair:
    a test saw one writer wait 6 s while others came and went). Any thread may release it."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiting: deque[threading.Event] = deque()

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Event()
            self._waiting.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn in self._waiting:  # gave up before its turn came
                self._waiting.remove(turn)
                return False
        return True  # handed over just as the wait ended

    def release(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().set()  # ownership passes straight to the next
            else:
                self._held = False


class _WriterQueue:
    """One writer at a time inside this process, woken in turn.

    SQLite's busy handler polls: a waiting connection sleeps (1 ms growing to 100 ms) and
    tries again, so under load a newcomer often takes the lock ahead of one that has waited
    for seconds, and some requests pass the busy timeout ("database is locked"; the load
    test saw it). Writers of this process therefore queue, first come first served, and
    the lock passes to the next one when a transaction ends; SQLite's busy timeout still
    covers other processes (the CLI). Whichever thread ends the transaction releases it
    (FastAPI may commit on another thread than the one that began).
    """

    def __init__(self) -> None:
        self.lock = _FifoLock()

    def begin(self, conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return
        if options.get(READ_ONLY):
            conn.exec_driver_sql("PRAGMA query_only=ON")
            conn.exec_driver_sql("BEGIN")
            return
        if not self.lock.acquire(timeout=WRITER_WAIT_S):
            raise InputError(
                f"the database stayed busy for {WRITER_WAIT_S:.0f} s (another write did not end)"
            )
        conn.info[_HOLDS] = True
        try:
            conn.exec_driver_sql("PRAGMA query_only=OFF")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self.end(conn)
            raise

    def end(self, conn: Connection) -> None:
        if conn.info.pop(_HOLDS, False):
            self.lock.release()

    def checkin(self, _dbapi_connection: Any, record: Any) -> None:
        if record.info.pop(_HOLDS, False):  # a connection given back without commit/rollback
            self.lock.release()


class _NoRows(logging.Filter):
    """SQLAlchemy logs every row a query returns when its logger is at DEBUG; rows hold
    stories, resumes and CSRF tokens (goal PR-1). The statements still show."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Row %r"


_NO_ROWS = _NoRows()


def _database_error(exc: BaseException, orig: BaseException | None) -> str:
    """A database error without its message: the driver's class, SQLSTATE (or SQLite's
    error name), the schema names it gives, and the statement without its values."""
    driver = orig if orig is not None else exc
    facts = [f"{type(driver).__module__}.{type(driver).__name__}"]
    for name in ("sqlstate", "sqlite_errorname"):
        value = getattr(driver, name, None)
        if value:
            facts.append(f"{name}={value}")
    diag = getattr(driver, "diag", None)
    for name in ("schema_name", "table_name", "column_name", "constraint_name"):
        value = getattr(diag, name, None)
        if value:
            facts.append(f"{name}={value}")
    statement = getattr(exc, "statement", None)
    where = f"\n[SQL: {statement}]" if statement else ""
    return f"{type(exc).__module__}.{type(exc).__name__}: ({', '.join(facts)}){where}\n"


def safe_traceback(exc: BaseException) -> str:
    """A traceback for the log that holds no value of a user's (goal PR-1). A database
    error's message carries the row it was writing (PostgreSQL: "DETAIL: Failing row
    contains (...)", a story's text, a token), so database errors, and the driver's errors
    they wrap, are shown by :func:`_database_error`; any other exception as Python shows it."""
    from sqlalchemy.exc import DBAPIError

    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    origs = {id(e.orig): e.orig for e in chain if isinstance(e, DBAPIError) and e.orig}
    parts: list[str] = []
    ordered = list(reversed(chain))  # the first cause first, like Python's own traceback
    for e, after in zip(ordered, [None, *ordered], strict=False):
        if after is not None:
            parts.append(
                "\nThe above exception was the direct cause of the following exception:\n\n"
                if e.__cause__ is after
                else "\nDuring handling of the above exception, another exception occurred:\n\n"
            )
        parts.append("Traceback (most recent call last):\n")
        parts += traceback.format_tb(e.__traceback__)
        if isinstance(e, DBAPIError):
            parts.append(_database_error(e, e.orig))
        elif id(e) in origs:
            parts.append(_database_error(e, None))
        else:
            parts += traceback.format_exception_only(type(e), e)
    return "".join(parts).rstrip("\n")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite connections get the pragmas and ``BEGIN IMMEDIATE``.

    Whatever logging is turned on, its log and its errors show the SQL but never the values
    in it (``hide_parameters``) nor the rows it returns: those are users' texts, tokens and
    hashes (goal PR-1; ``tests/web/test_logging_privacy.py``)."""
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True, logging_name="staffpath")
    found = engine.logger
    logger = found if isinstance(found, logging.Logger) else found.logger  # echo wraps it
    if _NO_ROWS not in logger.filters:
        logger.addFilter(_NO_ROWS)
    if engine.dialect.name == "sqlite":
        queue = _WriterQueue()
        event.listen(engine, "connect", _set_up_sqlite)
        event.listen(engine, "begin", queue.begin)
        event.listen(engine, "commit", queue.end)  # just before COMMIT: the next one queues
        event.listen(engine, "rollback", queue.end)  # on SQLite's busy handler for a moment
        event.listen(engine.pool, "checkin", queue.checkin)
    return engine


def _alembic(engine: Engine | Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if isinstance(engine, Connection):
        cfg.attributes["connection"] = engine
    else:
        cfg.attributes["engine"] = engine
    return cfg


def head() -> str | None:
    """The newest revision the code knows."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current(engine: Engine) -> str | None:
    """The database's revision; None for a database Alembic never touched."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _no_foreign_keys(conn: Connection) -> Iterator[None]:
    """SQLite rebuilds a table to alter it (Alembic's batch mode): with foreign keys on,
    dropping the old table would cascade-delete the rows that point at it. The pragma cannot
    change inside a transaction, so it is set on the raw connection before ``BEGIN``."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def migrate(engine: Engine, *, backups: Path | None = None, to: str = "head") -> Path | None:
    """Bring the schema to the latest revision (creates the tables on a new database).

    When the database has data and is behind, a backup is taken first into ``backups``
    (default: ``backups/`` beside a SQLite file; PostgreSQL only when a folder is given),
    and returned. All migrations run in one transaction: if one fails, nothing of the upgrade
    stays and :class:`MigrationError` says which revision the database is still at.
    """
    before = current(engine)
    taken = None
    if before is not None and before != head() and to == "head":
        folder = backups
        if folder is None:
            path = sqlite_file(str(engine.url))
            folder = None if path is None else path.parent / "backups"
        if folder is not None:
            from staffpath.store.backup import backup_before_migration

            taken = backup_before_migration(engine, folder, revision=before)
    with engine.connect() as conn, _no_foreign_keys(conn):
        try:
            with conn.begin():
                command.upgrade(_alembic(conn), to)
                if conn.dialect.name == "sqlite":
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationError(
                            f"the migration left {len(broken)} row(s) pointing at nothing "
                            f"(first: {tuple(broken[0])})"
                        )
        except MigrationError as exc:
            raise MigrationError(_failed(before, taken, str(exc))) from exc
        except Exception as exc:
            log.error("migration from %s failed\n%s", before, safe_traceback(exc))
            raise MigrationError(_failed(before, taken, f"{type(exc).__name__}: {exc}")) from exc
    return taken


def _failed(before: str | None, taken: Path | None, why: str) -> str:
    where = f"revision {before}" if before else "an empty database"
    saved = f"; a backup taken just before is at {taken}" if taken else ""
    return (
        f"upgrading the database failed ({why}); nothing was changed: it is still at {where}"
        f"{saved}. Run the previous staffpath version, or report this with the message"
    )


def connect(url: str, *, backups: Path | None = None) -> sessionmaker[Session]:
    """An engine for ``url``, migrated; returns the session factory (write transactions)."""
    engine = make_engine(url)
    try:
        migrate(engine, backups=backups)
    except Exception:
        engine.dispose()
        raise
    return sessionmaker(engine, expire_on_commit=False)


def read_only(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions from the same pool that only read: on SQLite a deferred ``BEGIN`` and
    ``query_only``, so they run alongside the writer (see the module doc)."""
    engine: Engine = sessions.kw["bind"]
    return sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)


def timestamp(moment: datetime | None = None) -> str:
    """``20261126T133306Z``: sortable, and safe in a file name on every system."""
    return (moment or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
