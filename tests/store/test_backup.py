"""Backups (goal DU-6): taken online under write load, checked against independent readers
(``zipfile``/``hashlib``/``sqlite3``), refused when damaged before anything is touched, and
restored atomically into SQLite and PostgreSQL (where the fixture points at one)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from staffpath.errors import InputError
from staffpath.store import database
from staffpath.store import repository as repo
from staffpath.store.backup import backup, content_digest, read_rows, restore, verify
from staffpath.store.database import connect, make_engine

YAML = "name: {name}\n# a comment kept as written: é ✓\n"


def _seed(sessions: sessionmaker[Session], n: int = 3) -> None:
    with sessions.begin() as s:
        for i in range(n):
            d = repo.create_design(
                session=s,
                name=f"design {i}",
                yaml=YAML.format(name=i),
                figures=repo.Figures(
                    meets_goals=i % 2 == 0, worst_p99_ms=1.5 * i, cost_per_month=0.1
                ),
            )
            repo.save_version(
                session=s, design_id=d.id, yaml=f"v2: {i}\n", name=f"design {i}", figures=None
            )


def _designs(sessions: sessionmaker[Session]) -> list[tuple[int, str, list[str]]]:
    """What a user sees: every design with the text of each version (via the repository)."""
    with sessions() as s:
        return [
            (d.id, d.name, [v.yaml for v in repo.list_versions(session=s, design_id=d.id)])
            for d, _ in sorted(repo.list_designs(session=s), key=lambda p: p[0].id)
        ]


def _digest(url: str) -> str:
    engine = make_engine(url)
    with engine.connect() as conn:
        out = content_digest(read_rows(conn))
    engine.dispose()
    return out


@pytest.fixture
def seeded(tmp_path: Path) -> sessionmaker[Session]:
    (tmp_path / "live").mkdir()
    sessions = connect(database.sqlite_url(tmp_path / "live"))
    _seed(sessions)
    return sessions


def test_a_sqlite_backup_is_a_database_the_manifest_vouches_for(
    seeded: sessionmaker[Session], tmp_path: Path
) -> None:
    """DU-6: the manifest's SHA-256 is recomputed with hashlib from the zip member, and the
    member is a database that plain sqlite3 checks and reads."""
    out = tmp_path / "b.zip"
    manifest = backup(seeded.kw["bind"], out)
    with zipfile.ZipFile(out) as z:
        assert sorted(z.namelist()) == ["manifest.json", "studio.db"]
        written = json.loads(z.read("manifest.json"))
        data = z.read("studio.db")
    assert written["files"]["studio.db"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert written["content_sha256"] == manifest.content_sha256
    assert written["tables"]["designs"] == 3 and written["tables"]["versions"] == 6
    copy = tmp_path / "copy.db"
    copy.write_bytes(data)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM versions").fetchone() == (6,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file


def test_restore_into_a_fresh_folder_gives_back_the_same_designs(
    seeded: sessionmaker[Session], tmp_path: Path
) -> None:
    """DU-6 drill: backup, restore --verify, restore into a new folder; what the repository
    reads back is what was saved, and the content checksum matches the manifest's."""
    out = tmp_path / "b.zip"
    manifest = backup(seeded.kw["bind"], out)
    assert verify(out).manifest == manifest
    url = database.sqlite_url(tmp_path / "fresh")
    restore(out, url)
    restored = connect(url)
    assert _designs(restored) == _designs(seeded)
    assert _digest(url) == manifest.content_sha256
    with sqlite3.connect(tmp_path / "fresh" / "studio.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_restore_over_a_live_database_swaps_the_content_at_once(
    seeded: sessionmaker[Session], tmp_path: Path
) -> None:
    """The target is open (WAL, a pool of connections): after the restore they read the
    backup's content, nothing of the later changes, and the file is intact."""
    out = tmp_path / "b.zip"
    backup(seeded.kw["bind"], out)
    expected = _designs(seeded)
    with seeded.begin() as s:
        repo.create_design(session=s, name="after the backup", yaml="x: 1", figures=None)
        repo.delete_design(session=s, design_id=1)
    restore(out, str(seeded.kw["bind"].url))
    assert _designs(seeded) == expected
    with sqlite3.connect(tmp_path / "live" / "studio.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_backup_under_write_load_is_consistent(
    seeded: sessionmaker[Session], tmp_path: Path
) -> None:
    """DU-6: a writer thread commits designs throughout; the backup is a snapshot between two
    commits: it verifies, and every design in it is complete (two versions, or one for the
    designs the writer made)."""
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:
        while not stop.is_set():
            with seeded.begin() as s:
                d = repo.create_design(session=s, name="load", yaml="y: 1", figures=None)
            written.append(d.id)

    worker = threading.Thread(target=write)
    worker.start()
    try:
        while len(written) < 20:
            threading.Event().wait(0.01)
        outs = [tmp_path / f"b{i}.zip" for i in range(3)]
        for out in outs:
            backup(seeded.kw["bind"], out)
    finally:
        stop.set()
        worker.join(10)
    for out in outs:
        manifest = verify(out).manifest
        assert manifest.tables["designs"] >= 3 + 20
        assert manifest.tables["versions"] == manifest.tables["designs"] + 3
    assert len(written) > 20


def _tamper(src: Path, dst: Path, member: str, change: bytes) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == member:
                data = data.replace(change, change.swapcase(), 1)
            zout.writestr(info, data)


def test_a_damaged_backup_is_refused_before_anything_is_touched(
    seeded: sessionmaker[Session], tmp_path: Path
) -> None:
    out = tmp_path / "b.zip"
    backup(seeded.kw["bind"], out)
    bad = tmp_path / "bad.zip"
    _tamper(out, bad, "studio.db", b"design 1")
    url = str(seeded.kw["bind"].url)
    before = _digest(url)
    with pytest.raises(InputError, match=r"studio\.db does not match its SHA-256"):
        verify(bad)
    with pytest.raises(InputError, match="SHA-256"):
        restore(bad, url)
    assert _digest(url) == before
    (tmp_path / "not.zip").write_text("hello")
    with pytest.raises(InputError, match="not a zip file"):
        verify(tmp_path / "not.zip")


def test_a_corrupt_database_with_a_matching_checksum_fails_the_integrity_check(
    seeded: sessionmaker[Session], tmp_path: Path
) -> None:
    """A backup whose checksum was computed over an already broken file: the SHA-256 passes,
    SQLite's integrity_check does not."""
    out = tmp_path / "b.zip"
    backup(seeded.kw["bind"], out)
    with zipfile.ZipFile(out) as z:
        manifest = json.loads(z.read("manifest.json"))
        data = bytearray(z.read("studio.db"))
    page = 4096
    for start in range(page, len(data), page):  # scribble over every b-tree page's header
        data[start : start + 12] = b"\x5a" * 12
    manifest["files"]["studio.db"]["sha256"] = hashlib.sha256(data).hexdigest()
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("studio.db", bytes(data))
    with pytest.raises(InputError, match=r"integrity check failed|malformed|not a database"):
        verify(forged)


def test_a_backup_from_a_newer_schema_is_not_restored(
    seeded: sessionmaker[Session], tmp_path: Path
) -> None:
    out = tmp_path / "b.zip"
    backup(seeded.kw["bind"], out, portable=True)
    with zipfile.ZipFile(out) as z:
        members = {n: z.read(n) for n in z.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest["revision"] = "9999"
    members["manifest.json"] = json.dumps(manifest).encode()
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(newer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    with pytest.raises(InputError, match="newer than this staffpath knows"):
        restore(newer, database.sqlite_url(tmp_path / "other"))
    assert not (tmp_path / "other" / "studio.db").exists()


def test_a_portable_backup_moves_between_backends(
    seeded: sessionmaker[Session], tmp_path: Path, database_url: str
) -> None:
    """SQLite → logical dump → the fixture's database (PostgreSQL under scripts/postgres.sh)
    → logical dump → SQLite: the designs and the content checksum survive both moves, and
    new rows get fresh ids after the restore (the sequences follow the restored ids)."""
    first = tmp_path / "portable.zip"
    manifest = backup(seeded.kw["bind"], first, portable=True)
    with zipfile.ZipFile(first) as z:
        names = sorted(z.namelist())
        lines = z.read("tables/designs.jsonl").decode().splitlines()
    assert "tables/versions.jsonl" in names
    assert [json.loads(line)["name"] for line in lines] == ["design 0", "design 1", "design 2"]

    restore(first, database_url)
    target = connect(database_url)
    assert _designs(target) == _designs(seeded)
    assert _digest(database_url) == manifest.content_sha256
    with target.begin() as s:
        new = repo.create_design(session=s, name="new", yaml="n: 1", figures=None)
    assert new.id == 4

    second = tmp_path / "back.zip"
    backup(target.kw["bind"], second, portable=True)
    target.kw["bind"].dispose()
    url = database.sqlite_url(tmp_path / "again")
    restore(second, url)
    assert [d[1] for d in _designs(connect(url))] == [
        "design 0",
        "design 1",
        "design 2",
        "new",
    ]


def test_restoring_into_a_database_with_data_replaces_it_in_one_transaction(
    seeded: sessionmaker[Session], tmp_path: Path, database_url: str
) -> None:
    """On a server database the restore empties and refills the schema in one transaction;
    a failure half-way (forced here by a bad row) leaves the old data."""
    other = connect(database_url)
    with other.begin() as s:
        repo.create_design(session=s, name="keep me", yaml="k: 1", figures=None)
    other.kw["bind"].dispose()
    before = _digest(database_url)
    out = tmp_path / "b.zip"
    backup(seeded.kw["bind"], out, portable=True)
    with zipfile.ZipFile(out) as z:
        members = {n: z.read(n) for n in z.namelist()}
    rows = members["tables/versions.jsonl"].decode().splitlines()
    broken = json.loads(rows[0])
    broken["design_id"] = 12345  # points at no design: the foreign key refuses it
    rows[0] = json.dumps(broken)
    members["tables/versions.jsonl"] = ("\n".join(rows) + "\n").encode()
    manifest = json.loads(members["manifest.json"])
    manifest["files"]["tables/versions.jsonl"]["sha256"] = hashlib.sha256(
        members["tables/versions.jsonl"]
    ).hexdigest()
    from staffpath.store.backup import content_digest as digest_of

    parsed = {
        name.removeprefix("tables/").removesuffix(".jsonl"): [
            json.loads(line) for line in data.decode().splitlines()
        ]
        for name, data in members.items()
        if name.startswith("tables/")
    }
    manifest["content_sha256"] = digest_of(parsed)
    members["manifest.json"] = json.dumps(manifest).encode()
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    verify(forged)  # consistent with its own manifest
    with pytest.raises(Exception, match=r"(?i)foreign key|violates"):
        restore(forged, database_url)
    assert _digest(database_url) == before
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM designs")).scalars().all() == ["keep me"]
    engine.dispose()
