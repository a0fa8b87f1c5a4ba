"""``staffpath demo``: what the README's first command runs until the web studio lands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from staffpath.design.load import load
from staffpath.errors import DesignError
from staffpath.units import show_money, show_rate

console = Console(highlight=False)


def demo(
    folder: Annotated[Path, typer.Argument(help="A folder of design files.")] = Path("examples"),
) -> None:
    """Check and analyse every design in a folder, one line each.

    Example:

        staffpath demo examples
    """
    from staffpath.engine.analyze import analyze  # numpy/scipy only when needed

    files = sorted(folder.glob("*.yaml"))
    if not files:
        typer.echo(f"no .yaml designs in {folder}", err=True)
        raise typer.Exit(1)
    table = Table(title=f"staffpath designs in {folder}")
    for col in (
        "file",
        "design",
        "peak",
        "saturates at",
        "bottleneck",
        "availability",
        "cost",
        "goals",
    ):
        table.add_column(col)
    failed = 0
    for file in files:
        try:
            loaded = load(file)
        except DesignError as exc:
            failed += 1
            problems = f"[red]{len(exc.errors)} problems[/red]"
            table.add_row(file.name, "", "", "", "", "", "", problems)
            continue
        a = analyze(loaded.design)
        missed = sum(not g.met for g in a.goals)
        verdict = "[green]met[/green]" if a.meets_goals else f"[red]{missed} missed[/red]"
        table.add_row(
            file.name,
            a.design,
            show_rate(a.peak_rps),
            show_rate(a.saturation_rps) if a.saturation_rps is not None else "-",
            a.bottleneck or "-",
            f"{a.availability:.4%}",
            show_money(a.cost_per_month),
            verdict,
        )
    console.print(table)
    console.print(
        "Next: [bold]staffpath analyze FILE[/bold] for every figure of one design, "
        "with its formulas; [bold]staffpath check FILE[/bold] for its problems."
    )
    if failed:
        raise typer.Exit(1)
