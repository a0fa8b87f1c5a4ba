"""``staffpath users``: the accounts of a multi-user studio (``staffpath serve --multi-user``).

Run on the machine that holds the studio's database (the same ``--data-dir`` or
``STAFFPATH_DATABASE_URL`` as ``serve``): whoever can run these can read the database anyway.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from staffpath.cli.errors import handle_errors

app = typer.Typer(
    name="users",
    help="Accounts of a multi-user studio: add, list, disable and enable them, set passwords.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False)

DATA_DIR_HELP = "The studio's data folder (default: the user one, or STAFFPATH_DATA_DIR)."
DataDir = Annotated[Path | None, typer.Option("--data-dir", help=DATA_DIR_HELP, show_default=False)]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input instead of asking.",
    ),
]


def _now() -> datetime:
    return datetime.now(UTC)


def _password(from_stdin: bool) -> str:
    """The new password, checked by the studio's one policy
    (:func:`staffpath.store.accounts.check_password`: at least 12 characters, at most 1,024
    bytes, not one of the 10,000 most common passwords); asked twice on a terminal."""
    from staffpath.store.accounts import check_password

    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password.removesuffix("\r")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    check_password(password)
    return password


@app.command("add")
@handle_errors
def add(
    name: Annotated[str, typer.Argument(help="The account's name (letters, digits, . _ -).")],
    is_admin: Annotated[
        bool, typer.Option("--admin", help="An admin sees and manages every user's work.")
    ] = False,
    password_stdin: PasswordStdin = False,
    data_dir: DataDir = None,
) -> None:
    """Create an account; its password is asked twice (or read with --password-stdin).

    A password needs at least 12 characters (at most 1,024 bytes) and must not be one of the
    10,000 most common passwords; there are no rules about digits or symbols.

    Examples:

        staffpath users add ada --admin

        printf '%s\\n' "$PASSWORD" | staffpath users add grace --password-stdin
    """
    from staffpath.cli.database import sessions
    from staffpath.store import accounts
    from staffpath.web.settings import Settings

    username = accounts.check_username(name)
    password = _password(password_stdin)
    hashed = accounts.Passwords(Settings.build(data_dir=data_dir).password_hash).hash(password)
    with sessions(data_dir).begin() as db:
        accounts.add_user(
            session=db, username=username, password_hash=hashed, is_admin=is_admin, now=_now()
        )
    console.print(f"added {'admin ' if is_admin else ''}{username}")


@app.command("password")
@handle_errors
def password(
    name: Annotated[str, typer.Argument(help="The account.")],
    password_stdin: PasswordStdin = False,
    data_dir: DataDir = None,
) -> None:
    """Set a new password for an account; every one of its sessions ends.

    The same rules as for `users add`: at least 12 characters, not a common password.

    Examples:

        staffpath users password grace
    """
    from staffpath.cli.database import sessions
    from staffpath.store import accounts
    from staffpath.web.settings import Settings

    new = _password(password_stdin)
    hashed = accounts.Passwords(Settings.build(data_dir=data_dir).password_hash).hash(new)
    with sessions(data_dir).begin() as db:
        user = accounts.get_user(session=db, username=name)
        accounts.set_password(session=db, user=user, password_hash=hashed, now=_now())
    console.print(f"new password set for {user.username}; their sessions ended")


@app.command("disable")
@handle_errors
def disable(
    name: Annotated[str, typer.Argument(help="The account.")],
    data_dir: DataDir = None,
) -> None:
    """Stop an account from signing in and end all its sessions at once; its work stays.

    Examples:

        staffpath users disable grace
    """
    from staffpath.cli.database import sessions
    from staffpath.store import accounts

    with sessions(data_dir).begin() as db:
        user = accounts.disable_user(session=db, username=name, now=_now())
    console.print(f"disabled {user.username}; their sessions ended")


@app.command("enable")
@handle_errors
def enable(
    name: Annotated[str, typer.Argument(help="The account.")],
    data_dir: DataDir = None,
) -> None:
    """Let a disabled account sign in again.

    Examples:

        staffpath users enable grace
    """
    from staffpath.cli.database import sessions
    from staffpath.store import accounts

    with sessions(data_dir).begin() as db:
        user = accounts.enable_user(session=db, username=name)
    console.print(f"enabled {user.username}")


@app.command("list")
@handle_errors
def list_users(
    as_json: Annotated[bool, typer.Option("--json", help="Print the accounts as JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """The accounts: name, admin or not, disabled or not, two-step sign-in on or not, when
    created.

    Examples:

        staffpath users list

        staffpath users list --json
    """
    from rich.table import Table

    from staffpath.cli.database import sessions
    from staffpath.store import accounts

    with sessions(data_dir).begin() as db:
        rows = [
            {
                "username": u.username,
                "admin": u.is_admin,
                "disabled": u.disabled_at is not None,
                "two_step": u.totp_secret is not None,
                "created": _day(u.created_at),
            }
            for u in accounts.list_users(session=db)
        ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        console.print("no accounts yet; add one with `staffpath users add NAME --admin`")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("user", "admin", "disabled", "two-step", "created"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r["username"]),
            "yes" if r["admin"] else "",
            "yes" if r["disabled"] else "",
            "on" if r["two_step"] else "",
            str(r["created"]),
        )
    console.print(table)


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


TRIES = 3


@app.command("two-step")
@handle_errors
def two_step(
    name: Annotated[str, typer.Argument(help="The account.")],
    off: Annotated[
        bool, typer.Option("--off", help="Turn two-step sign-in off (a lost phone).")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the outcome as JSON (the QR code still shows).")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Turn on two-step sign-in for an account: after the password, the sign-in page asks for
    the 6-digit code of an authenticator app (any TOTP app: Aegis, Google Authenticator,
    1Password...).

    Shows a QR code (and the key, to type instead), then asks for the code the app shows,
    and only turns it on when that code is right. Every session of the account ends. Run it
    where the account's owner can see the screen, or give them the key over a safe channel.

    Examples:

        staffpath users two-step grace

        staffpath users two-step grace --off
    """
    from staffpath.cli.database import sessions
    from staffpath.errors import InputError
    from staffpath.store import accounts, totp

    factory = sessions(data_dir)
    if off:
        with factory.begin() as db:
            user = accounts.get_user(session=db, username=name)
            was_on = totp.turn_off(session=db, user=user)
            username = user.username
        if as_json:
            typer.echo(json.dumps({"username": username, "two_step": False, "changed": was_on}))
            return
        console.print(
            f"two-step sign-in turned off for {username}"
            if was_on
            else f"two-step sign-in was not on for {username}; nothing changed"
        )
        return

    with factory.begin() as db:
        user = accounts.get_user(session=db, username=name)
        username, replacing = user.username, user.totp_secret is not None
    if replacing:
        typer.echo(
            f"two-step sign-in is on for {username} already: a code from the new app "
            "replaces the old app's key (until then, the old one still works)",
            err=True,
        )
    secret = totp.new_secret()
    uri = totp.provisioning_uri(secret, username)
    _show_key(uri, secret, username)
    for attempt in range(1, TRIES + 1):
        try:
            code = typer.prompt("Code the app shows now", err=True)
        except typer.Abort:  # end of input, or Ctrl+C
            raise InputError(
                f"no code was given; two-step sign-in stays off for {username}"
            ) from None
        try:
            with factory.begin() as db:
                user = accounts.get_user(session=db, username=name)
                totp.turn_on(session=db, user=user, secret=secret, code=code, now=_now())
            break
        except InputError as exc:
            if attempt == TRIES:
                raise InputError(
                    f"{exc}; two-step sign-in stays off for {username} (run the command "
                    "again to start over with a new key)"
                ) from None
            typer.echo(f"{exc} ({TRIES - attempt} more tries)", err=True)
    if as_json:
        typer.echo(json.dumps({"username": username, "two_step": True, "changed": True}))
        return
    console.print(
        f"two-step sign-in is on for {username}; their sessions ended, and signing in now "
        "asks for the app's code"
    )


def _show_key(uri: str, secret: str, username: str) -> None:
    """The QR code of ``uri`` drawn with half blocks on the terminal (on standard error, so
    ``--json`` output stays clean), and the key in groups of four for typing."""
    import io

    import segno

    drawing = io.StringIO()
    segno.make(uri, error="m").terminal(out=drawing, compact=True)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    typer.echo(
        f"Scan this with the authenticator app of {username}:\n{drawing.getvalue()}"
        f"or type the key: {grouped} (time-based, 6 digits, 30 s)",
        err=True,
    )


# --- deleting and exporting an account (goal PR-2) --------------------------------------------


@app.command("delete")
@handle_errors
def delete(
    name: Annotated[str, typer.Argument(help="The account to delete, with all of its work.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was deleted as JSON.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Delete an account for good, with everything that names it: its designs and their
    versions, documents, interviews, flashcards, shares it gave and received, mentorships on
    either side, interview peer grants and sessions, in one transaction. Lists what will go
    and asks first (unless --yes). The last admin who can sign in is never deleted. There
    is no undo: `staffpath users export NAME -o FILE` keeps a copy first.

    Examples:

        staffpath users export grace -o grace.json && staffpath users delete grace

        staffpath users delete grace --yes --json
    """
    from staffpath.cli.database import sessions
    from staffpath.store import erasure

    factory = sessions(data_dir)
    if not yes:
        with factory.begin() as db:
            planned = erasure.inventory(session=db, username=name)
        typer.echo(f"{planned.username}: {planned.summary()}", err=True)
        if not typer.confirm(
            f"Delete {planned.username} and all of the above for good?", default=False, err=True
        ):
            typer.echo("nothing was deleted", err=True)
            raise typer.Exit(1)
    with factory.begin() as db:
        done = erasure.delete_user(session=db, username=name)
    if as_json:
        typer.echo(json.dumps({"username": done.username, "deleted": done.rows}, indent=2))
        return
    console.print(f"deleted {done.username}: {done.summary()}")


@app.command("export")
@handle_errors
def export(
    name: Annotated[str, typer.Argument(help="The account to export.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file (default: standard output)."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Everything an account owns as one JSON document: designs with every version,
    stories and career documents (texts exactly as written), interviews, flashcard schedule
    and reviews, shares given, mentorships, session times. No password hash or tokens.

    Examples:

        staffpath users export grace -o grace.json

        staffpath users export grace | jq '.documents[] | select(.kind == "story") | .name'
    """
    from staffpath.cli.database import sessions
    from staffpath.cli.files import write_atomic
    from staffpath.store import erasure

    with sessions(data_dir).begin() as db:
        document = erasure.export_user(session=db, username=name, now=_now())
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    write_atomic(output, text)
    found = ", ".join(f"{n} {kind}" for kind, n in erasure.counts(document).items() if n)
    typer.echo(f"wrote {output} ({found or 'nothing yet'})", err=True)
