"""Backups that restore: taking them online, checking them, restoring them atomically.

A backup is one zip file::

    manifest.json        what is inside, with a SHA-256 per file and of the content
    studio.db            kind "sqlite": a copy made with SQLite's online backup API
    tables/NAME.jsonl    kind "logical": every row of every table, one JSON object a line

SQLite databases are copied page by page with the online backup API (``sqlite3``'s
``Connection.backup``), in one step, so the copy is a consistent snapshot even while the
studio writes (in WAL mode the copy does not block it). PostgreSQL databases are dumped
logically inside one REPEATABLE READ transaction; that form restores into either backend.

The *content checksum* is a SHA-256 over every row of every table in a canonical form
(tables by name, rows as sorted-key JSON, sorted; times in UTC), so it is the same whatever
backend holds the data: it is computed when the backup is taken, again on ``verify``, and
again on the restored database before the restore is committed.

Restoring never starts before the file is verified. The data goes first to a temporary
SQLite file next to the target (or, on PostgreSQL, into a transaction that recreates the
schema); only when its content checksum matches does it replace the live data, in one
step: a rename for a new SQLite file, SQLite's backup API (a single write transaction, safe
with the WAL and with readers) for an existing one, a commit on PostgreSQL.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, func, select

from staffpath import __version__
from staffpath.errors import InputError
from staffpath.store import database

FORMAT = "staffpath-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "studio.db"
CHUNK = 1 << 20

Kind = Literal["sqlite", "logical"]


class FileEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sha256: str
    bytes: int


class Manifest(BaseModel):
    """What a backup holds; written as ``manifest.json``."""

    model_config = ConfigDict(extra="forbid")
    format: Literal["staffpath-backup"]
    format_version: int
    kind: Kind
    created_at: str
    staffpath_version: str
    source: str  # the backend it was taken from: sqlite or postgresql
    revision: str | None  # the Alembic revision of the schema
    tables: dict[str, int]  # rows per table
    content_sha256: str
    files: dict[str, FileEntry]


@dataclass
class Verified:
    """A backup that passed every check, with what was checked (for ``--json``)."""

    path: Path
    manifest: Manifest
    checks: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "ok": True,
            "checks": self.checks,
            "manifest": self.manifest.model_dump(),
        }


# --- the canonical content -----------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value as it is written to a dump and hashed: JSON types, times in UTC."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return {"$base64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict | list):
        return value
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def _typed(value: Any, python_type: type | None) -> Any:
    """The reverse of :func:`_plain` for one column of the target table."""
    if value is None:
        return None
    if isinstance(value, dict) and set(value) == {"$base64"}:
        return base64.b64decode(value["$base64"])
    if python_type is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    if python_type is date and isinstance(value, str):
        return date.fromisoformat(value)
    if python_type is Decimal and isinstance(value, str):
        return Decimal(value)
    return value


def _row_line(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _tables(conn: Connection) -> list[Table]:
    """Every table but Alembic's bookkeeping, parents before children."""
    meta = MetaData()
    meta.reflect(conn)
    return [t for t in meta.sorted_tables if t.name != "alembic_version"]


def _revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def read_rows(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as plain values, in primary-key order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table in _tables(conn):
        order = list(table.primary_key.columns) or list(table.columns)
        result = conn.execute(select(table).order_by(*order)).mappings()
        out[table.name] = [{k: _plain(v) for k, v in row.items()} for row in result]
    return out


def content_digest(rows: dict[str, list[dict[str, Any]]]) -> str:
    """SHA-256 of the content, the same on every backend (see the module doc)."""
    digest = hashlib.sha256()
    for name in sorted(rows):
        columns = sorted(rows[name][0]) if rows[name] else []
        digest.update(_row_line({"table": name, "columns": columns}).encode() + b"\n")
        for line in sorted(_row_line(r) for r in rows[name]):
            digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _reader(path: Path) -> Engine:
    """A plain engine over a copy: it reads without switching the file to WAL."""
    return create_engine(f"sqlite:///{path}")


def _integrity(path: Path) -> None:
    try:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        result = [str(exc)]
    if result != ["ok"]:
        raise InputError(f"{path}: SQLite's integrity check failed: {'; '.join(result[:5])}")


# --- taking a backup -----------------------------------------------------------------------


def backup(engine: Engine, out: Path, *, portable: bool = False) -> Manifest:
    """Write a backup of the database behind ``engine`` to ``out`` (atomically). SQLite is
    copied as a database file unless ``portable`` asks for the logical form."""
    if not out.parent.is_dir():
        raise InputError(f"{out}: the folder {out.parent} does not exist")
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".staffpath-backup.") as work:
        folder = Path(work)
        if engine.dialect.name == "sqlite" and not portable:
            members, manifest = _backup_sqlite(engine, folder)
        else:
            members, manifest = _backup_logical(engine, folder)
        tmp = folder / "backup.zip"
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(MANIFEST, manifest.model_dump_json(indent=2) + "\n")
            for name, path in members.items():
                z.write(path, name)
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    return manifest


def _manifest(
    *, kind: Kind, source: str, revision: str | None, rows: dict[str, list[dict[str, Any]]]
) -> Manifest:
    return Manifest(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        kind=kind,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        staffpath_version=__version__,
        source=source,
        revision=revision,
        tables={name: len(r) for name, r in sorted(rows.items())},
        content_sha256=content_digest(rows),
        files={},
    )


def _backup_sqlite(engine: Engine, folder: Path) -> tuple[dict[str, Path], Manifest]:
    path = database.sqlite_file(str(engine.url))
    if path is None or not path.exists():
        raise InputError(f"no SQLite database at {path or engine.url}; nothing to back up")
    copy = folder / SQLITE_MEMBER
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        with contextlib.closing(sqlite3.connect(copy)) as target:
            source.backup(target)  # all pages in one step: a consistent snapshot
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        raw.close()
    _integrity(copy)
    snapshot = _reader(copy)
    try:
        with snapshot.connect() as conn:
            rows = read_rows(conn)
            revision = _revision(conn)
    finally:
        snapshot.dispose()
    manifest = _manifest(kind="sqlite", source="sqlite", revision=revision, rows=rows)
    manifest.files[SQLITE_MEMBER] = FileEntry(sha256=_file_sha256(copy), bytes=copy.stat().st_size)
    return {SQLITE_MEMBER: copy}, manifest


def _backup_logical(engine: Engine, folder: Path) -> tuple[dict[str, Path], Manifest]:
    # one snapshot of every table: REPEATABLE READ on PostgreSQL, a read transaction on SQLite
    options: dict[str, Any] = (
        {database.READ_ONLY: True}
        if engine.dialect.name == "sqlite"
        else {"isolation_level": "REPEATABLE READ"}
    )
    with engine.connect().execution_options(**options) as conn, conn.begin():
        rows = read_rows(conn)
        revision = _revision(conn)
    manifest = _manifest(kind="logical", source=engine.dialect.name, revision=revision, rows=rows)
    members = {}
    (folder / "tables").mkdir()
    for name, table_rows in rows.items():
        member = f"tables/{name}.jsonl"
        path = folder / member
        path.write_text("".join(_row_line(r) + "\n" for r in table_rows), encoding="utf-8")
        manifest.files[member] = FileEntry(sha256=_file_sha256(path), bytes=path.stat().st_size)
        members[member] = path
    return members, manifest


def backup_before_migration(engine: Engine, folder: Path, *, revision: str) -> Path:
    """The automatic backup taken before an upgrade: ``backups/studio-<time>-<rev>.zip``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"studio-{database.timestamp()}-before-upgrade-from-{revision}.zip"
    backup(engine, out)
    return out


# --- checking a backup ---------------------------------------------------------------------


@dataclass
class _Opened:
    verified: Verified
    rows: dict[str, list[dict[str, Any]]]
    sqlite_copy: Path | None  # kind "sqlite": the checked database file, in the work folder


@contextlib.contextmanager
def _open(path: Path, work: Path) -> Iterator[_Opened]:
    """Check everything in ``path`` (extracting into ``work``); yield the checked content."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path}: not a staffpath backup (not a zip file: {exc})") from None
    with z:
        names = set(z.namelist())
        if MANIFEST not in names:
            raise InputError(f"{path}: not a staffpath backup (no {MANIFEST} inside)")
        try:
            manifest = Manifest.model_validate_json(z.read(MANIFEST))
        except ValidationError as exc:
            raise InputError(
                f"{path}: {MANIFEST} is not a staffpath backup manifest: {exc}"
            ) from None
        if manifest.format_version > FORMAT_VERSION:
            raise InputError(
                f"{path}: backup format {manifest.format_version} is newer than this staffpath "
                f"reads ({FORMAT_VERSION}); upgrade staffpath"
            )
        verified = Verified(path, manifest)
        extra = names - set(manifest.files) - {MANIFEST}
        if extra:
            raise InputError(f"{path}: files not listed in the manifest: {sorted(extra)}")
        for name, entry in manifest.files.items():
            if name not in names:
                raise InputError(f"{path}: {name} is listed in the manifest but missing")
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            try:
                with z.open(name) as src, target.open("wb") as dst:
                    while chunk := src.read(CHUNK):
                        digest.update(chunk)
                        dst.write(chunk)
            except (zipfile.BadZipFile, OSError) as exc:
                raise InputError(f"{path}: {name} cannot be read: {exc}") from None
            if digest.hexdigest() != entry.sha256:
                raise InputError(
                    f"{path}: {name} does not match its SHA-256 in the manifest "
                    f"({digest.hexdigest()[:12]}… instead of {entry.sha256[:12]}…): "
                    "the file is damaged; use another backup"
                )
        verified.checks.append(f"sha256 of {len(manifest.files)} file(s) matches the manifest")
        copy = None
        if manifest.kind == "sqlite":
            copy = work / SQLITE_MEMBER
            if SQLITE_MEMBER not in manifest.files:
                raise InputError(f"{path}: a sqlite backup without {SQLITE_MEMBER}")
            _integrity(copy)
            verified.checks.append("PRAGMA integrity_check: ok")
            engine = _reader(copy)
            try:
                with engine.connect() as conn:
                    rows = read_rows(conn)
                    revision = _revision(conn)
            finally:
                engine.dispose()
            if revision != manifest.revision:
                raise InputError(
                    f"{path}: the database is at revision {revision}, the manifest says "
                    f"{manifest.revision}"
                )
        else:
            rows = {}
            for name in manifest.tables:
                member = work / f"tables/{name}.jsonl"
                if not member.exists():
                    raise InputError(f"{path}: no rows file for table {name}")
                try:
                    lines = member.read_text(encoding="utf-8").splitlines()
                    rows[name] = [json.loads(line) for line in lines if line]
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise InputError(f"{path}: tables/{name}.jsonl: {exc}") from None
        counts = {name: len(r) for name, r in sorted(rows.items())}
        if counts != manifest.tables:
            raise InputError(
                f"{path}: row counts {counts} differ from the manifest's {manifest.tables}"
            )
        verified.checks.append(f"row counts match ({sum(counts.values())} rows)")
        if content_digest(rows) != manifest.content_sha256:
            raise InputError(f"{path}: the content does not match its checksum in the manifest")
        verified.checks.append("content sha256 matches the manifest")
        yield _Opened(verified, rows, copy)


def verify(path: Path) -> Verified:
    """Check a backup without restoring it: checksums, integrity, content checksum."""
    with (
        tempfile.TemporaryDirectory(prefix="staffpath-verify.") as work,
        _open(path, Path(work)) as opened,
    ):
        return opened.verified


# --- restoring -----------------------------------------------------------------------------


def _known(revision: str | None) -> None:
    if revision is None:
        return
    try:
        found = ScriptDirectory(str(database.MIGRATIONS)).get_revision(revision)
    except CommandError:
        found = None
    if found is None:
        raise InputError(
            f"the backup's schema (revision {revision}) is newer than this staffpath knows; "
            "restore it with the staffpath version that made it, or a newer one"
        )


def _load(conn: Connection, revision: str | None, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Inside the caller's transaction: empty the database, build the schema at ``revision``,
    insert the rows, and check the content checksum."""
    from alembic import command

    old = MetaData()
    old.reflect(conn)
    old.drop_all(conn)
    if revision is not None:
        command.upgrade(database._alembic(conn), revision)
    tables = {t.name: t for t in _tables(conn)}
    unknown = set(rows) - set(tables)
    if unknown:
        raise InputError(f"the backup has tables the schema at {revision} lacks: {unknown}")
    for name, table in tables.items():
        if not rows.get(name):
            continue
        types: dict[str, type | None] = {}
        for column in table.columns:
            try:
                types[column.name] = column.type.python_type
            except NotImplementedError:
                types[column.name] = None
        values = [{k: _typed(v, types.get(k)) for k, v in r.items()} for r in rows[name]]
        conn.execute(table.insert(), values)
        if conn.dialect.name == "postgresql":
            for column in table.primary_key.columns:
                # the serial's next value follows the restored ids (a table without one: no-op)
                sequence = func.pg_get_serial_sequence(name, column.name)
                highest = select(func.max(column)).scalar_subquery()
                conn.execute(select(func.setval(sequence, highest)).where(sequence.is_not(None)))
    if content_digest(read_rows(conn)) != content_digest(rows):
        raise InputError("the restored content does not match the backup's checksum")


def restore(path: Path, url: str) -> Verified:
    """Replace the database at ``url`` with the backup's content (see the module doc)."""
    target = database.sqlite_file(url)
    work_parent = target.parent if target is not None else None
    if work_parent is not None:
        work_parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(dir=work_parent, prefix=".staffpath-restore.") as work,
        _open(path, Path(work)) as opened,
    ):
        manifest = opened.verified.manifest
        _known(manifest.revision)
        if target is None:
            _restore_server(url, manifest.revision, opened.rows)
        else:
            _restore_sqlite(target, Path(work), opened)
        opened.verified.checks.append(f"restored into {_where(url)} and checked")
        return opened.verified


def _where(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


def _restore_server(url: str, revision: str | None, rows: dict[str, list[dict[str, Any]]]) -> None:
    engine = database.make_engine(url)
    try:
        with engine.begin() as conn:  # one transaction: the old data or the new, never half
            _load(conn, revision, rows)
    finally:
        engine.dispose()


def _restore_sqlite(target: Path, work: Path, opened: _Opened) -> None:
    manifest = opened.verified.manifest
    ready = work / "ready.db"
    if opened.sqlite_copy is not None:
        shutil.copyfile(opened.sqlite_copy, ready)
    else:
        engine = database.make_engine(f"sqlite:///{ready}")
        try:
            with engine.begin() as conn:
                _load(conn, manifest.revision, opened.rows)
        finally:
            engine.dispose()
        with contextlib.closing(sqlite3.connect(ready)) as conn:
            conn.execute("PRAGMA journal_mode=DELETE")
    _integrity(ready)
    if not target.exists():
        for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        with ready.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(ready, target)
    else:
        # A rename over a live WAL database would meet its stale -wal file; SQLite's backup API
        # writes the pages into the target in one write transaction instead.
        with (
            contextlib.closing(sqlite3.connect(ready)) as src,
            contextlib.closing(
                sqlite3.connect(target, timeout=database.BUSY_TIMEOUT_MS / 1000)
            ) as dst,
        ):
            dst.execute("PRAGMA journal_mode=WAL")
            src.backup(dst)
    _integrity(target)
    engine = _reader(target)
    try:
        with engine.connect() as conn:
            restored = content_digest(read_rows(conn))
    finally:
        engine.dispose()
    if restored != manifest.content_sha256:
        raise InputError(f"{target}: the restored content does not match the backup's checksum")
