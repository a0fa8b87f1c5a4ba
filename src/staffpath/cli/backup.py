"""``staffpath backup`` and ``staffpath restore``: the studio's data, saved and brought back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

DATA_DIR_HELP = (
    "The studio's data folder (its SQLite database is studio.db there). Default: the user data "
    "folder, or STAFFPATH_DATA_DIR; STAFFPATH_DATABASE_URL selects PostgreSQL instead."
)
URL_HELP = "A database URL instead of the data folder (sqlite:///... or postgresql+psycopg://...)."


def _url(data_dir: Path | None, database_url: str | None) -> str:
    from staffpath.errors import InputError
    from staffpath.web.settings import Settings

    if data_dir is not None and database_url is not None:
        raise InputError("give --data-dir or --database-url, not both")
    if database_url is not None:
        return database_url
    return Settings.build(data_dir=data_dir).database_url


def backup(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The backup file to write (a .zip).")
    ],
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help=DATA_DIR_HELP, show_default=False)
    ] = None,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help=URL_HELP, show_default=False)
    ] = None,
    portable: Annotated[
        bool,
        typer.Option(
            "--portable",
            help="Dump SQLite table by table too (as PostgreSQL always is), to move the data "
            "to PostgreSQL.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the manifest as JSON.")] = False,
) -> None:
    """Back up the studio's database to one file, safely while the studio runs.

    SQLite is copied with its online backup API (a consistent snapshot); PostgreSQL is dumped
    table by table, in a form that restores into either backend. The file carries a manifest
    with a SHA-256 of each part and of the content.

    Examples:

        staffpath backup -o studio-backup.zip

        staffpath backup --data-dir ./studio-data -o backups/monday.zip --json

        staffpath backup --database-url postgresql+psycopg://me@localhost/staffpath -o pg.zip

        staffpath backup --portable -o move-to-postgres.zip
    """
    from staffpath.errors import InputError
    from staffpath.store.backup import backup as take
    from staffpath.store.database import make_engine, sqlite_file

    url = _url(data_dir, database_url)
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise InputError(f"no studio database at {path}; check --data-dir")
    engine = make_engine(url)
    try:
        manifest = take(engine, output, portable=portable)
    except OSError as exc:
        raise InputError(f"{output}: cannot write the backup ({exc})") from None
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps({"file": str(output), **manifest.model_dump()}, indent=2))
        return
    rows = sum(manifest.tables.values())
    typer.echo(
        f"backed up {rows} rows in {len(manifest.tables)} tables (schema {manifest.revision}) "
        f"to {output}\ncontent sha256 {manifest.content_sha256}"
    )


def restore(
    file: Annotated[Path, typer.Argument(help="A backup file made by staffpath backup.")],
    verify: Annotated[
        bool,
        typer.Option(
            "--verify", help="Only check the file (checksums, integrity); change nothing."
        ),
    ] = False,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help=DATA_DIR_HELP, show_default=False)
    ] = None,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help=URL_HELP, show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the checks as JSON.")] = False,
) -> None:
    """Restore the studio's database from a backup, or check a backup with --verify.

    The file is checked first (SHA-256 of each part, SQLite's integrity check, the content
    checksum); the data is then rebuilt aside and swapped in at once, so a failure leaves the
    current database as it was. Stop the studio before restoring; start it after (it upgrades
    an older schema itself).

    Examples:

        staffpath restore studio-backup.zip --verify

        staffpath restore studio-backup.zip --data-dir ./studio-data

        staffpath restore pg.zip --database-url sqlite:///./studio-data/studio.db --json
    """
    from staffpath.store.backup import restore as bring_back
    from staffpath.store.backup import verify as check

    checked = check(file) if verify else bring_back(file, _url(data_dir, database_url))
    if as_json:
        typer.echo(json.dumps(checked.to_dict(), indent=2))
        return
    manifest = checked.manifest
    what = "verified" if verify else "restored"
    typer.echo(
        f"{what} {file}: {sum(manifest.tables.values())} rows, schema {manifest.revision}, "
        f"taken {manifest.created_at} from {manifest.source}"
    )
    for line in checked.checks:
        typer.echo(f"  ok  {line}")
