"""``staffpath sweep``: p99 and utilisation against load, with the knee and saturation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn

from staffpath.cli.files import write_atomic
from staffpath.cli.options import positive_rate
from staffpath.cli.render import figure_table, ms
from staffpath.design.load import load
from staffpath.errors import InputError
from staffpath.units import show_duration, show_rate

if TYPE_CHECKING:
    from staffpath.engine.sweep import Sweep

MAX_STEPS = 200
"""Each step is one analysis (~10-40 ms on the examples): 200 keeps a sweep within seconds."""


def sweep(
    file: Annotated[Path, typer.Argument(help="A design file (YAML).", show_default=False)],
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Lowest total rate, e.g. 2k/s. Default: a tenth of the peak.",
            show_default=False,
        ),
    ] = None,
    stop: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="Highest total rate, e.g. 60k/s. Default: the saturation rate.",
            show_default=False,
        ),
    ] = None,
    steps: Annotated[
        int, typer.Option("--steps", help=f"Evenly spaced rates, 2 to {MAX_STEPS}.")
    ] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the sweep as JSON.")] = False,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart",
            help="Also draw p99 and utilisation against load to this .svg or .png file.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Analyse a design at evenly spaced total rates: p99 per flow, the busiest component,
    the knee (where latency turns up) and the saturation rate.

    Flows keep their shares of the total, as with analyze --at. The knee is the lowest
    total rate at which some flow's p99 reaches twice its unloaded p99.

    Examples:

        staffpath sweep examples/url-shortener.yaml

        staffpath sweep examples/chat.yaml --from 200k/s --to 1.6M/s --steps 15

        staffpath sweep examples/payments.yaml --json | jq '.knee'

        staffpath sweep examples/news-feed.yaml --steps 20 --chart load.svg
    """
    from staffpath.engine.analyze import analyze  # numpy/scipy only when needed
    from staffpath.engine.queueing import WARN_UTILIZATION
    from staffpath.engine.sweep import default_range
    from staffpath.engine.sweep import sweep as run

    low = positive_rate("--from", start)
    high = positive_rate("--to", stop)
    if not 2 <= steps <= MAX_STEPS:
        raise InputError(f"--steps: give 2 to {MAX_STEPS} rates, found {steps}")
    design = load(file).design
    if low is None or high is None:
        at_peak = analyze(design)
        if at_peak.peak_rps <= 0:
            raise InputError(f"{file}: the design has no traffic to sweep (every flow's rate is 0)")
        default_low, default_high = default_range(at_peak)
        if low is None:
            low = default_low if high is None else min(default_low, high / 10)
        if high is None:
            high = default_high
            if low >= high:
                raise InputError(
                    f"--from {show_rate(low)} is not below the saturation rate "
                    f"{show_rate(high)}, where the sweep ends by default: give --to as well"
                )
    if low >= high:
        raise InputError(f"--from {show_rate(low)} must be below --to {show_rate(high)}")
    if chart is not None and chart.suffix.lower() not in (".svg", ".png"):
        raise InputError(f"--chart {chart}: give a file ending in .svg or .png")

    err = Console(stderr=True)
    with Progress(
        TextColumn("sweeping"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        console=err,
        transient=True,
        disable=as_json or not err.is_terminal,
    ) as bar:
        task = bar.add_task("sweep", total=1.0)
        result = run(design, low, high, steps, progress=lambda x: bar.update(task, completed=x))
    if chart is not None:
        _draw(result, chart)
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return

    console = Console(highlight=False)
    sat = result.saturation_rps
    table = figure_table(
        f"{escape(result.design)}: p99 per flow from {show_rate(low)} to {show_rate(high)}",
        ["rate", "% sat.", "busiest", *(escape(f) for f in result.flows)],
    )
    for column in table.columns[:3]:
        column.no_wrap = True
    for p in result.points:
        busy = p.components[p.busiest]
        util = f"{escape(p.busiest)} {busy.utilization:.0%}"
        if busy.saturated:
            util = f"[red]{util}[/red]"
        elif busy.utilization >= WARN_UTILIZATION:
            util = f"[yellow]{util}[/yellow]"
        table.add_row(
            show_rate(p.rate_rps),
            "-" if sat is None else f"{p.rate_rps / sat:.0%}",
            util,
            *(
                "[red]saturated[/red]" if f.p99_ms is None else ms(f.p99_ms)
                for f in p.flows.values()
            ),
        )
    console.print(table)

    if sat is not None:
        console.print(
            f"Saturation: {show_rate(sat)} (bottleneck {escape(result.bottleneck or '')}); "
            f"the design's peak is {show_rate(result.peak_rps)}; % sat. is the rate over it."
        )
    else:
        console.print("Saturation: none (the design has no queueing station).")
    k = result.knee
    if k is None:
        console.print("Knee: none (no flow's p99 grows with load).")
    elif k.at_saturation:
        console.print(
            "Knee: at saturation: no flow's p99 doubles before the bottleneck saturates "
            "(its pool is wide enough to keep queues short until the end)."
        )
    else:
        where = "" if sat is None else f" ({k.rate_rps / sat:.1%} of saturation)"
        console.print(
            f"Knee: {show_rate(k.rate_rps)}{where}, where {escape(k.flow)}'s p99 reaches twice "
            f"its unloaded {show_duration(k.unloaded_p99_ms / 1e3)}."
        )
    console.print(f"[dim]The knee is {escape(result.knee_definition)}.[/dim]")


def _draw(result: Sweep, path: Path) -> None:
    """p99 per flow and utilisation per component against load, one above the other."""
    import vl_convert

    from staffpath.report import charts

    rates = [p.rate_rps for p in result.points]
    knee = result.knee.rate_rps if result.knee and not result.knee.at_saturation else None
    top = charts.latency_load_spec(
        rates,
        {f: [p.flows[f].p99_ms for p in result.points] for f in result.flows},
        peak=result.peak_rps,
        saturation=result.saturation_rps,
        knee=knee,
    )
    bottom = charts.utilisation_load_spec(
        rates,
        {c: [p.components[c].utilization for p in result.points] for c in result.components},
        knee=knee,
    )
    spec = charts.stack([top, bottom], title=f"{result.design}: load sweep")
    if path.suffix.lower() == ".png":
        write_atomic(path, vl_convert.vegalite_to_png(spec, scale=2))
    else:
        write_atomic(path, charts.to_svg(spec))
