"""``staffpath demo``: what the README's first command runs until the web studio lands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from staffpath.design.load import load
from staffpath.design.summary import goals_text, total_rate
from staffpath.errors import DesignError
from staffpath.units import show_rate

console = Console(highlight=False)


def demo(
    folder: Annotated[Path, typer.Argument(help="A folder of design files.")] = Path("examples"),
) -> None:
    """Check every design in a folder and show what each one describes.

    Example:

        staffpath demo examples
    """
    files = sorted(folder.glob("*.yaml"))
    if not files:
        typer.echo(f"no .yaml designs in {folder}", err=True)
        raise typer.Exit(1)
    table = Table(title=f"staffpath designs in {folder}", show_lines=False)
    for col in ("file", "design", "flows", "components", "peak", "goals", "check"):
        table.add_column(col)
    failed = 0
    for file in files:
        try:
            loaded = load(file)
        except DesignError as exc:
            failed += 1
            table.add_row(file.name, "", "", "", "", "", f"[red]{len(exc.errors)} problems[/red]")
            continue
        d = loaded.design
        status = "[green]ok[/green]" + (
            f" ({len(loaded.warnings)} warnings)" if loaded.warnings else ""
        )
        table.add_row(
            file.name,
            d.name,
            str(len(d.workload.flows)),
            str(len(d.components)),
            show_rate(total_rate(d)),
            goals_text(d.goals).removeprefix("goals "),
            status,
        )
    console.print(table)
    console.print(
        "Next: [bold]staffpath check FILE[/bold] for the details of one design; "
        "[bold]staffpath schema[/bold] for editor completion."
    )
    if failed:
        raise typer.Exit(1)
