"""``staffpath doc``: the design document (Markdown, HTML, PDF) with its diagram and charts."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from staffpath.cli.files import write_folder
from staffpath.design.load import load

console = Console(highlight=False, stderr=True)


def doc(
    file: Annotated[Path, typer.Argument(help="A design file (YAML).", show_default=False)],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The folder to write the document into.")
    ] = Path("design-doc"),
    simulate: Annotated[
        bool,
        typer.Option(
            "--simulate/--no-simulate",
            help="Simulate the latency distribution and each scripted failure (a few seconds).",
        ),
    ] = True,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write design.pdf.")] = True,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulations.")] = 1,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was written, and the verdict, as JSON.")
    ] = False,
) -> None:
    """Write the design document: summary, goals, capacity estimates with shown work, the
    diagram, components, flows, headroom (latency against load), failure analysis (SPOFs and
    each scripted failure simulated), cost, and the design's decisions with their chains of
    supersession. design.md, a self-contained design.html (open it offline) and design.pdf,
    with the pictures as SVG files beside them.

    Examples:

        staffpath doc examples/url-shortener.yaml -o docs/url-shortener

        staffpath doc design.yaml -o out --no-simulate --no-pdf
    """
    from staffpath.report.document import build

    loaded = load(file)
    start = time.perf_counter()
    with console.status("analysing", spinner="dots") as status:
        document = build(
            loaded.design,
            simulate=simulate,
            with_pdf=pdf,
            seed=seed,
            progress=None if as_json else lambda stage: status.update(stage),
        )
    written = write_folder(output, document.files)
    seconds = time.perf_counter() - start
    a = document.content.analysis
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "design": a.design,
                    "meets_goals": a.meets_goals,
                    "folder": str(output),
                    "files": sorted(document.files),
                    "seconds": round(seconds, 3),
                },
                indent=2,
            )
        )
        return
    verdict = "[green]meets its goals[/green]" if a.meets_goals else "[red]misses goals[/red]"
    out = Console(highlight=False)
    out.print(f"[bold]{a.design}[/bold] ({verdict}): wrote {len(written)} files to {output}/")
    for name in ("design.html", "design.md", "design.pdf"):
        if name in document.files:
            out.print(f"  {output / name}")
    out.print(
        f"  and {len(written) - sum(n in document.files for n in ('design.html', 'design.md', 'design.pdf'))} SVG pictures; {seconds:.1f} s"
    )
