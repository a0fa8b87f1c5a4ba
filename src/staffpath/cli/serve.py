"""``staffpath serve``: the web studio on this machine."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from staffpath.errors import InputError

if TYPE_CHECKING:
    from fastapi import FastAPI


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Where the studio keeps its SQLite database. Default: the user data folder "
            "(or STAFFPATH_DATA_DIR); STAFFPATH_DATABASE_URL selects PostgreSQL instead.",
            show_default=False,
        ),
    ] = None,
    open_browser: Annotated[
        bool,
        typer.Option(
            "--open/--no-open",
            help="Open the studio in the default browser once it answers (when there is one).",
        ),
    ] = True,
    multi_user: Annotated[
        bool,
        typer.Option(
            "--multi-user",
            help="Require accounts (staffpath users add) and a sign-in. Always on when --host "
            "is not a loopback address.",
        ),
    ] = False,
    allowed_hosts: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="Also answer to this name (a proxy's or a tunnel's; *.example.com for a "
            "domain; * for any). Repeat for more. Default: the loopback names on a loopback "
            "address, any name elsewhere; or STAFFPATH_ALLOWED_HOSTS (comma-separated).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start the web studio: write a design and watch it analysed, simulated and drawn.

    Single user, no login, on 127.0.0.1 by default. With --multi-user, or on any address
    other than loopback, everyone signs in with an account (docs/security.md).

    Examples:

        staffpath serve

        staffpath serve --port 8080 --data-dir ./studio-data

        staffpath users add ada --admin && staffpath serve --multi-user

        STAFFPATH_DATABASE_URL=postgresql+psycopg://me@localhost/staffpath staffpath serve

        staffpath serve --allowed-host studio.internal  # behind a proxy that keeps its Host
    """
    import uvicorn

    from staffpath.web.app import create_app
    from staffpath.web.settings import Settings

    if not 0 < port < 65536:
        raise InputError(f"--port: {port} is not a port number (1-65535)")
    settings = Settings.build(
        data_dir=data_dir,
        host=host,
        port=port,
        multi_user=multi_user,
        allowed_hosts=allowed_hosts or (),
    )
    try:
        app = create_app(settings)
    except OSError as exc:
        raise InputError(f"cannot open the studio's data folder: {exc}") from None
    where = (
        settings.database_url.split("@")[-1]
        if "@" in settings.database_url
        else settings.database_url
    )
    address = f"http://{host}:{port}/"
    typer.echo(f"staffpath studio: {address}  (data: {where}; Ctrl+C stops it)")
    if settings.multi_user:
        typer.echo(f"multi-user: sign in with an account ({_accounts(app)} so far)")
    if open_browser:
        _open_when_ready(address)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _accounts(app: FastAPI) -> str:
    """How many accounts exist, with a hint when there are none yet."""
    from staffpath.store.accounts import list_users

    with app.state.sessions() as s:
        n = len(list_users(session=s))
    return (
        f"{n} account(s)" if n else "no accounts: add one with `staffpath users add NAME --admin`"
    )


def _open_when_ready(address: str) -> None:
    """Open ``address`` in a browser once the server answers; nothing on a machine without one
    (a server, CI), where ``webbrowser`` finds no browser to run."""
    import threading
    import time
    import urllib.request
    import webbrowser

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return

    def wait_and_open() -> None:
        for _ in range(100):
            try:
                # our own http:// address, built above from the host and port: no other scheme
                urllib.request.urlopen(address + "api/examples", timeout=1).close()  # nosec B310
                break
            except OSError:
                time.sleep(0.1)
        browser.open(address)

    threading.Thread(target=wait_and_open, daemon=True).start()
