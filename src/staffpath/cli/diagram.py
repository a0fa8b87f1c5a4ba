"""``staffpath diagram``: the design drawn from the model, as SVG, PNG, Mermaid, D2 or DOT."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from staffpath.cli.files import write_atomic
from staffpath.cli.options import positive_rate
from staffpath.design.load import load
from staffpath.errors import InputError
from staffpath.report.diagram import FORMATS, render

SUFFIXES = {
    ".svg": "svg",
    ".png": "png",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".d2": "d2",
    ".dot": "dot",
    ".gv": "dot",
}


def _format(fmt: str | None, output: Path | None) -> str:
    """The format asked for, else the one the output's suffix names, else SVG."""
    if fmt is None:
        if output is not None and output.suffix.lower() in SUFFIXES:
            return SUFFIXES[output.suffix.lower()]
        return "svg"
    chosen = fmt.strip().lower()
    if chosen not in FORMATS:
        raise InputError(f"--format: unknown format '{fmt}' (choose one of {', '.join(FORMATS)})")
    return chosen


def diagram(
    file: Annotated[Path, typer.Argument(help="A design file (YAML).", show_default=False)],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="svg, png, mermaid, d2 or dot (default: from the -o suffix, else svg).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file ('-' or none: standard output)."),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="Figures at this total rate instead of the peak, e.g. 20k/s."),
    ] = None,
) -> None:
    """Draw the design: components coloured by tier with their utilisation, request paths
    with their rates, the bottleneck and single points of failure marked.

    Examples:

        staffpath diagram examples/news-feed.yaml -o news-feed.svg

        staffpath diagram examples/chat.yaml -o chat.png

        staffpath diagram examples/url-shortener.yaml --format mermaid >> README.md
    """
    chosen = _format(fmt, output)
    to_stdout = output is None or str(output) == "-"
    if chosen == "png" and to_stdout:
        raise InputError("a PNG is binary: give a file with -o, e.g. -o design.png")
    rate = positive_rate("--at", at)
    loaded = load(file)

    from staffpath.engine.analyze import analyze  # numpy/scipy only when needed

    result = render(loaded.design, analyze(loaded.design, at=rate), chosen)
    if to_stdout:
        assert isinstance(result, str)
        typer.echo(result, nl=False)
        return
    assert output is not None
    write_atomic(output, result)
    typer.echo(f"wrote {output}", err=True)
