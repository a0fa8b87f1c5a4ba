"""The ``staffpath`` command."""

from __future__ import annotations

from typing import Annotated

import typer

from staffpath import __version__
from staffpath.cli.analyze import analyze
from staffpath.cli.backup import backup, restore
from staffpath.cli.cards import app as cards_app
from staffpath.cli.certs import app as certs_app
from staffpath.cli.check import check
from staffpath.cli.compare import compare
from staffpath.cli.demo import demo
from staffpath.cli.diagram import diagram
from staffpath.cli.doc import doc
from staffpath.cli.errors import handle_errors
from staffpath.cli.evidence import app as evidence_app
from staffpath.cli.interview import app as interview_app
from staffpath.cli.jobs import app as jobs_app
from staffpath.cli.mentor import app as mentor_app
from staffpath.cli.problems import app as problems_app
from staffpath.cli.resume import app as resume_app
from staffpath.cli.review import app as review_app
from staffpath.cli.schema import schema
from staffpath.cli.serve import serve
from staffpath.cli.simulate import simulate
from staffpath.cli.stories import app as stories_app
from staffpath.cli.sweep import sweep
from staffpath.cli.tracks import app as tracks_app
from staffpath.cli.users import app as users_app

app = typer.Typer(
    name="staffpath",
    help="A studio for engineers growing into senior and staff roles: design, practise, grow.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"staffpath {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """staffpath: check, analyse and simulate system designs; practise for senior roles."""


app.command()(handle_errors(check))
app.command()(handle_errors(analyze))
app.command()(handle_errors(simulate))
app.command()(handle_errors(compare))
app.command()(handle_errors(sweep))
app.command()(handle_errors(doc))
app.command()(handle_errors(serve))
app.add_typer(problems_app)
app.add_typer(interview_app)
app.add_typer(review_app)
app.add_typer(stories_app)
app.add_typer(cards_app)
app.add_typer(resume_app)
app.add_typer(tracks_app)
app.add_typer(mentor_app)
app.add_typer(jobs_app)
app.add_typer(evidence_app)
app.add_typer(certs_app)
app.add_typer(users_app)
app.command()(handle_errors(diagram))
app.command()(handle_errors(schema))
app.command()(handle_errors(demo))
app.command()(handle_errors(backup))
app.command()(handle_errors(restore))


def main() -> None:
    app()
