"""``staffpath users``: accounts for a multi-user studio, managed from the terminal."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from staffpath.cli.app import app
from staffpath.cli.database import sessions
from staffpath.store import accounts, totp
from staffpath.store.accounts import Lifetimes, Passwords
from tests.oracles import totp_code

runner = CliRunner()
PASSWORD = "correct horse battery staple"
# a password among the 10,000 most common that is long enough to pass the length rule
COMMON = next(p for p in FREQUENCY_LISTS["passwords"][:10_000] if len(p) >= 12)
LIFE = Lifetimes(idle=datetime.max - datetime.min, absolute=datetime.max - datetime.min)
TOUCH = timedelta(minutes=1)


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
        ("ada", COMMON, "among the 10000 most common passwords"),
        ("ada", COMMON.upper(), "choose a longer passphrase"),
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


def test_a_common_password_is_refused_and_the_old_one_kept(tmp_path: Path) -> None:
    """AN-2: ``users password`` applies the same policy as ``users add``."""
    _run(tmp_path, "add", "ada", "--password-stdin", stdin=PASSWORD)
    token = _session(tmp_path)
    code, out = _run(tmp_path, "password", "ada", "--password-stdin", stdin=COMMON.title())
    assert code == 1 and "10000 most common" in " ".join(out.replace(",", "").split())
    assert _alive(tmp_path, token)
    with sessions(tmp_path).begin() as db:
        stored = accounts.get_user(session=db, username="ada").password_hash
    assert Passwords().verify(PASSWORD, stored)[0]


def test_no_accounts_yet(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "list")
    assert code == 0 and "staffpath users add" in out


# --- deleting and exporting an account (PR-2) -------------------------------------------------


def _world(data: Path) -> dict[str, int]:
    """root (admin), ada and grace; grace has a design, a story, a session, and shares her
    design with ada, who mentors her."""
    from staffpath.store import documents as docs
    from staffpath.store import repository as repo
    from staffpath.store import shares

    for name, flags in (("root", ["--admin"]), ("ada", []), ("grace", [])):
        code, out = _run(data, "add", name, *flags, "--password-stdin", stdin=PASSWORD)
        assert code == 0, out
    with sessions(data).begin() as db:
        ids = {u.username: u.id for u in accounts.list_users(session=db)}
        grace = accounts.Actor(user_id=ids["grace"], username="grace")
        design = repo.create_design(
            session=db, name="grace design", yaml="name: grace-canary\n", figures=None, actor=grace
        )
        docs.create_document(
            session=db, kind="story", name="s", format="yaml", text="title: t\n", actor=grace
        )
        shares.share(
            session=db,
            obj="design",
            object_id=design.id,
            username="ada",
            role="viewer",
            actor=grace,
        )
        invited = shares.invite_mentor(session=db, username="ada", actor=grace)
        shares.accept_mentor(
            session=db, mentorship_id=invited.id, actor=accounts.Actor(user_id=ids["ada"])
        )
    _signed_in(data, "grace")
    return ids


def _signed_in(data: Path, name: str) -> str:
    with sessions(data).begin() as db:
        user = accounts.get_user(session=db, username=name)
        token, _ = accounts.open_session(session=db, user=user, now=datetime.now(UTC))
    return token


def test_delete_asks_first_and_removes_everything(tmp_path: Path) -> None:
    """PR-2: the list of what will go, a question (no: nothing changes), then the deletion."""
    _world(tmp_path)
    code, out = _run(tmp_path, "delete", "grace", stdin="n\n")
    assert code == 1 and "nothing was deleted" in out
    assert "1 designs" in out and "1 versions" in out and "1 shares" in out
    assert [r["username"] for r in _listed(tmp_path)] == ["ada", "grace", "root"]
    code, out = _run(tmp_path, "delete", "grace", stdin="y\n")
    assert code == 0 and "deleted grace:" in out, out
    assert [r["username"] for r in _listed(tmp_path)] == ["ada", "root"]
    with sessions(tmp_path).begin() as db:
        from sqlalchemy import text

        for table in ("designs", "versions", "documents", "shares", "mentorships"):
            assert db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0, table
        assert db.execute(text("SELECT count(*) FROM login_sessions")).scalar_one() == 0


def test_delete_yes_json(tmp_path: Path) -> None:
    _world(tmp_path)
    code, out = _run(tmp_path, "delete", "GRACE", "--yes", "--json")
    assert code == 0, out
    done = json.loads(out)
    assert done["username"] == "grace"
    assert done["deleted"] == {
        "shares": 1,
        "interview_peers": 0,
        "versions": 1,
        "designs": 1,
        "documents": 1,
        "interviews": 0,
        "card_states": 0,
        "card_reviews": 0,
        "login_sessions": 1,
        "mentorships": 1,
        "users": 1,
    }
    code, out = _run(tmp_path, "delete", "grace", "--yes")
    assert code == 1 and "no user 'grace'" in out


def test_the_last_admin_is_not_deleted(tmp_path: Path) -> None:
    _world(tmp_path)
    code, out = _run(tmp_path, "delete", "root", "--yes")
    assert code == 1 and "last admin" in out and "Traceback" not in out
    assert "root" in [r["username"] for r in _listed(tmp_path)]


def test_export_writes_the_accounts_objects(tmp_path: Path) -> None:
    """PR-2: to a file (atomically) or to standard output, as JSON; the other users' objects
    are not in it."""
    _world(tmp_path)
    target = tmp_path / "grace.json"
    code, out = _run(tmp_path, "export", "grace", "-o", str(target))
    assert code == 0 and "wrote" in out and "1 designs" in out, out
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["account"]["username"] == "grace"
    assert [d["versions"][0]["yaml"] for d in document["designs"]] == ["name: grace-canary\n"]
    assert [s["user"] for s in document["shares_given"]] == ["ada"]
    assert [(m["role"], m["mentor"]) for m in document["mentorships"]] == [("mentee", "ada")]
    assert "password_hash" not in target.read_text() and "$argon2" not in target.read_text()
    code, out = _run(tmp_path, "export", "ada")
    assert code == 0
    ada = json.loads(out)
    assert ada["designs"] == [] and "grace-canary" not in out  # shared with her, not hers
    assert [(m["role"], m["mentee"]) for m in ada["mentorships"]] == [("mentor", "grace")]
    code, out = _run(tmp_path, "export", "nobody")
    assert code == 1 and "no user 'nobody'" in out


# --- two-step sign-in (goal AN-7) ---------------------------------------------------------------


def _key(output: str) -> str:
    found = re.search(r"type the key: ((?:[A-Z2-7]{4} ?){8})", output)
    assert found, output
    return found.group(1).replace(" ", "")


def test_two_step_shows_a_qr_code_and_turns_on_with_a_right_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(tmp_path, "add", "grace", "--password-stdin", stdin=PASSWORD + "\n")
    secrets_made: list[str] = []
    real = totp.new_secret

    def remembered() -> str:
        secrets_made.append(real())
        return secrets_made[-1]

    monkeypatch.setattr(totp, "new_secret", remembered)

    # three wrong codes: it stays off, and says so
    code, out = _run(tmp_path, "two-step", "grace", stdin="000000\nabc\n999999\n")
    assert code != 0 and "stays off for grace" in out and "2 more tries" in out
    assert _key(out) == secrets_made[0]
    assert "▀" in out or "▄" in out or "█" in out  # the QR code, drawn with half blocks
    assert [r["two_step"] for r in _listed(tmp_path)] == [False]

    # a wrong code, then the one the app shows (computed here from the printed key by
    # tests/oracles.py's own RFC 6238)
    with sessions(tmp_path).begin() as db:
        user = accounts.get_user(session=db, username="grace")
        token, _ = accounts.open_session(session=db, user=user, now=datetime.now(UTC))

    now_shown = lambda: totp_code(secrets_made[-1], time.time())  # noqa: E731
    real_prompt = typer.prompt
    monkeypatch.setattr("typer.prompt", _answers(["111111", now_shown]))
    code, out = _run(tmp_path, "two-step", "grace", "--json")
    assert code == 0, out
    assert json.loads(out.splitlines()[-1]) == {
        "username": "grace",
        "two_step": True,
        "changed": True,
    }
    with sessions(tmp_path).begin() as db:
        user = accounts.get_user(session=db, username="grace")
        assert user.totp_secret == secrets_made[-1]
        assert (
            accounts.find_session(
                session=db, token=token, now=datetime.now(UTC), lifetimes=LIFE, touch=TOUCH
            )
            is None
        )  # its sessions ended
    code, out = _run(tmp_path, "list")
    assert code == 0 and "two-step" in out and "on" in out

    # run again (a new phone): said, and the old key stays until a new code confirms
    monkeypatch.setattr("typer.prompt", real_prompt)
    code, out = _run(tmp_path, "two-step", "grace", stdin="")
    assert code == 1 and "replaces the old app's key" in out and "no code was given" in out
    with sessions(tmp_path).begin() as db:
        assert accounts.get_user(session=db, username="grace").totp_secret == secrets_made[1]

    code, out = _run(tmp_path, "two-step", "grace", "--off")
    assert code == 0 and "turned off for grace" in out
    assert [r["two_step"] for r in _listed(tmp_path)] == [False]
    code, out = _run(tmp_path, "two-step", "grace", "--off", "--json")
    assert code == 0 and json.loads(out)["changed"] is False


def _answers(replies: list[object]) -> object:
    """A stand-in for ``typer.prompt`` that gives ``replies`` in turn (a callable is called
    when its turn comes, so a code is computed when it is asked for)."""
    queue = list(replies)

    def prompt(*_: object, **__: object) -> str:
        reply = queue.pop(0)
        return str(reply() if callable(reply) else reply)

    return prompt


def test_two_step_for_an_unknown_account_is_a_clear_error(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "two-step", "nobody")
    assert code != 0 and "nobody" in out and "Traceback" not in out


def test_two_step_without_a_code_stays_off(tmp_path: Path) -> None:
    _run(tmp_path, "add", "grace", "--password-stdin", stdin=PASSWORD + "\n")
    code, out = _run(tmp_path, "two-step", "grace", stdin="")
    assert code == 1 and "no code was given; two-step sign-in stays off for grace" in out
    assert [r["two_step"] for r in _listed(tmp_path)] == [False]
