"""``staffpath backup`` and ``staffpath restore`` (goal DU-6): the restore drill through the
command line, JSON read back with ``json``, and user errors as one line and exit 1."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from staffpath.cli.app import app
from staffpath.store import repository as repo
from staffpath.store.database import connect, sqlite_url

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("STAFFPATH_DATABASE_URL", raising=False)
    folder = tmp_path / "studio"
    folder.mkdir()
    sessions = connect(sqlite_url(folder))
    with sessions.begin() as s:
        repo.create_design(session=s, name="checkout", yaml="name: checkout\n", figures=None)
    sessions.kw["bind"].dispose()
    return folder


def test_the_restore_drill(data_dir: Path, tmp_path: Path) -> None:
    """DU-6: backup, verify, restore into a fresh folder; sqlite3 reads the design back."""
    out = tmp_path / "b.zip"
    made = runner.invoke(app, ["backup", "--data-dir", str(data_dir), "-o", str(out), "--json"])
    assert made.exit_code == 0, made.output
    manifest = json.loads(made.output)
    assert manifest["kind"] == "sqlite" and manifest["tables"]["designs"] == 1

    checked = runner.invoke(app, ["restore", str(out), "--verify", "--json"])
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.output)
    assert report["ok"] is True
    assert "PRAGMA integrity_check: ok" in report["checks"]
    assert report["manifest"]["content_sha256"] == manifest["content_sha256"]

    fresh = tmp_path / "fresh"
    done = runner.invoke(app, ["restore", str(out), "--data-dir", str(fresh)])
    assert done.exit_code == 0, done.output
    assert done.output.startswith(f"restored {out}: 2 rows")
    with sqlite3.connect(fresh / "studio.db") as db:
        assert db.execute("SELECT name FROM designs").fetchall() == [("checkout",)]


def test_verify_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.zip"
    assert (
        runner.invoke(app, ["backup", "--data-dir", str(data_dir), "-o", str(out)]).exit_code == 0
    )
    target = tmp_path / "untouched"
    result = runner.invoke(app, ["restore", str(out), "--verify", "--data-dir", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"verified {out}")
    assert not target.exists()


def test_a_portable_backup_holds_json_lines(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.zip"
    url = sqlite_url(data_dir)
    result = runner.invoke(app, ["backup", "--database-url", url, "--portable", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        (row,) = [json.loads(line) for line in z.read("tables/designs.jsonl").splitlines()]
    assert row["name"] == "checkout"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backup", "--data-dir", "{tmp}/nothing", "-o", "{tmp}/b.zip"], "no studio database at"),
        (
            ["backup", "--data-dir", "{tmp}", "--database-url", "sqlite://", "-o", "{tmp}/b.zip"],
            "not both",
        ),
        (["backup", "--data-dir", "{data}", "-o", "{tmp}/no/such/b.zip"], "does not exist"),
        (["restore", "{tmp}/missing.zip", "--verify"], "no such file"),
        (["restore", "{data}/studio.db", "--verify"], "not a staffpath backup"),
    ],
)
def test_mistakes_are_one_line_and_exit_1(
    data_dir: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    filled = [a.format(tmp=tmp_path, data=data_dir) for a in args]
    result = runner.invoke(app, filled)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_damaged_backup_is_refused(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.zip"
    assert (
        runner.invoke(app, ["backup", "--data-dir", str(data_dir), "-o", str(out)]).exit_code == 0
    )
    with zipfile.ZipFile(out) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["studio.db"] = members["studio.db"].replace(b"checkout", b"CHECKOUT", 1)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    result = runner.invoke(app, ["restore", str(bad), "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert "does not match its SHA-256" in result.output
    with sqlite3.connect(data_dir / "studio.db") as db:
        assert db.execute("SELECT name FROM designs").fetchall() == [("checkout",)]
