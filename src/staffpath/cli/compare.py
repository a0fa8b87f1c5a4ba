"""``staffpath compare``: two or more designs side by side, with what changed in plain words."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from staffpath.cli.render import figure_table
from staffpath.design.load import load
from staffpath.errors import InputError


def compare(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Two or more design files (YAML); the first is the baseline.", show_default=False
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
    markdown: Annotated[
        bool,
        typer.Option("--markdown", help="Print a Markdown table and summary for a pull request."),
    ] = False,
) -> None:
    """Compare designs: saturation, bottleneck, p99 per flow, availability, cost, SPOFs, goals.

    Every design is analysed at its own peak; changes are against the first file, and each
    notable change gets a sentence that says why where the designs show it.

    Examples:

        staffpath compare before.yaml after.yaml

        staffpath compare main.yaml option-a.yaml option-b.yaml --markdown > comparison.md

        staffpath compare before.yaml after.yaml --json | jq '.designs[1].sentences'
    """
    from staffpath.engine.analyze import analyze  # numpy/scipy only when needed
    from staffpath.engine.compare import compare as run
    from staffpath.report.compare import notable, rows, to_markdown

    if len(files) < 2:
        raise InputError(
            f"compare needs at least two design files, got {len(files)}: "
            "give the baseline first, then the designs to compare with it"
        )
    if as_json and markdown:
        raise InputError("choose one of --json and --markdown")
    designs = {label: load(path).design for label, path in zip(labels(files), files, strict=True)}
    result = run({label: analyze(d) for label, d in designs.items()}, designs=designs)
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    if markdown:
        typer.echo(to_markdown(result), nl=False)
        return

    console = Console(highlight=False)
    table = figure_table(
        f"Comparison (changes against {result.baseline})",
        ["", *(d.label for d in result.designs)],
    )
    for name, cells in rows(result):
        table.add_row(escape(name), *(escape(c) for c in cells))
    console.print(table)
    for d in result.designs[1:]:
        console.print(f"\n[bold]{escape(d.label)}[/bold] against {escape(result.baseline)}:")
        bullets = Table.grid(padding=(0, 1))
        bullets.add_column(no_wrap=True)
        bullets.add_column()
        for sentence in d.sentences or ["No notable changes."]:
            bullets.add_row("  •", Text(sentence))
        console.print(bullets)
    console.print(f"\n[dim]{escape(notable(result))}[/dim]")


def labels(files: Sequence[Path]) -> list[str]:
    """File names without ``.yaml``; the path as given where two names clash; ``#n`` for
    the same file given twice."""
    clash = {f.stem for f in files if any(g.stem == f.stem and g != f for g in files)}
    out = [str(f) if f.stem in clash else f.stem for f in files]
    seen: dict[str, int] = {}
    for i, label in enumerate(out):
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            out[i] = f"{label} #{seen[label]}"
    return out
