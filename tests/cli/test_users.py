"""``staffpath users``: accounts for a multi-user studio, managed from the terminal."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from staffpath.cli.app import app
from staffpath.cli.database import sessions
from staffpath.store import accounts
from staffpath.store.accounts import Lifetimes, Passwords

runner = CliRunner()
PASSWORD = "correct horse battery staple"
LIFE = Lifetimes(idle=datetime.max - datetime.min, absolute=datetime.max - datetime.min)


@pytest.fixture(autouse=True)
def sqlite_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STAFFPATH_DATABASE_URL", raising=False)


def _run(data: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["users", *args, "--data-dir", str(data)], input=stdin)
    return result.exit_code, result.output


def _listed(data: Path) -> list[dict[str, object]]:
    code, out = _run(data, "list", "--json")
    assert code == 0, out
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def test_add_from_stdin_hashes_with_argon2id_and_lists(tmp_path: Path) -> None:
    """AN-1: the stored hash is argon2id with the default parameters, and verifies."""
    code, out = _run(tmp_path, "add", "Ada", "--admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0 and "added admin ada" in out
    code, _ = _run(tmp_path, "add", "grace", "--password-stdin", stdin=PASSWORD + "\r\n")
    assert code == 0
    rows = _listed(tmp_path)
    assert [(r["username"], r["admin"], r["disabled"]) for r in rows] == [
        ("ada", True, False),
        ("grace", False, False),
    ]
    with sessions(tmp_path).begin() as db:
        stored = accounts.get_user(session=db, username="grace").password_hash
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert Passwords().verify(PASSWORD, stored) == (True, None)  # the \r\n was not kept
    code, out = _run(tmp_path, "list")
    assert code == 0 and "ada" in out and "yes" in out


def test_the_password_is_asked_twice(tmp_path: Path) -> None:
    code, out = _run(
        tmp_path, "add", "ada", stdin=f"{PASSWORD}\n{PASSWORD}x\n{PASSWORD}\n{PASSWORD}\n"
    )
    assert code == 0, out
    assert "do not match" in out.lower()
    assert PASSWORD not in out  # hidden input


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("ada", "too short", "too short"),
        ("ada", "é" * 513, "1024 bytes"),
        ("not valid!", PASSWORD, "not a valid name"),
    ],
)
def test_bad_names_and_passwords_are_refused(
    tmp_path: Path, name: str, password: str, message: str
) -> None:
    """AN-2."""
    code, out = _run(tmp_path, "add", name, "--password-stdin", stdin=password + "\n")
    assert code == 1 and message in out.replace(",", "")
    assert _listed(tmp_path) == []


def test_a_taken_name_is_refused(tmp_path: Path) -> None:
    _run(tmp_path, "add", "ada", "--password-stdin", stdin=PASSWORD)
    code, out = _run(tmp_path, "add", "ADA", "--password-stdin", stdin=PASSWORD)
    assert code == 1 and "taken" in out


def _session(data: Path) -> str:
    with sessions(data).begin() as db:
        user = accounts.get_user(session=db, username="ada")
        token, _ = accounts.open_session(session=db, user=user, now=datetime.now(UTC))
    return token


def _alive(data: Path, token: str) -> bool:
    with sessions(data).begin() as db:
        found = accounts.find_session(
            session=db, token=token, now=datetime.now(UTC), lifetimes=LIFE, touch=LIFE.idle
        )
        return found is not None


def test_disable_ends_the_sessions_and_enable_lets_in_again(tmp_path: Path) -> None:
    """SE-2, AZ-3."""
    _run(tmp_path, "add", "ada", "--password-stdin", stdin=PASSWORD)
    token = _session(tmp_path)
    assert _alive(tmp_path, token)
    code, out = _run(tmp_path, "disable", "ada")
    assert code == 0 and "sessions ended" in out
    assert not _alive(tmp_path, token)
    assert _listed(tmp_path)[0]["disabled"] is True
    assert _run(tmp_path, "enable", "ada")[0] == 0
    assert _listed(tmp_path)[0]["disabled"] is False
    code, out = _run(tmp_path, "disable", "nobody")
    assert code == 1 and "no user 'nobody'" in out


def test_a_new_password_ends_the_sessions(tmp_path: Path) -> None:
    """SE-2."""
    _run(tmp_path, "add", "ada", "--password-stdin", stdin=PASSWORD)
    token = _session(tmp_path)
    code, _ = _run(tmp_path, "password", "ada", "--password-stdin", stdin="another long one!")
    assert code == 0 and not _alive(tmp_path, token)
    with sessions(tmp_path).begin() as db:
        stored = accounts.get_user(session=db, username="ada").password_hash
    assert Passwords().verify("another long one!", stored)[0]


def test_no_accounts_yet(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "list")
    assert code == 0 and "staffpath users add" in out
