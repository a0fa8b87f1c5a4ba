"""``staffpath analyze``: the analytic engine's figures as tables or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from staffpath.cli.options import positive_rate
from staffpath.cli.render import figure_table, ms
from staffpath.design.load import load
from staffpath.units import show_money, show_rate

console = Console(highlight=False)


def _ms(value: float | None) -> str:
    return ms(value, missing="saturated")


def analyze(
    file: Annotated[Path, typer.Argument(help="A design file (YAML).", show_default=False)],
    at: Annotated[
        str | None,
        typer.Option("--at", help="Analyse at this total rate instead of the peak, e.g. 20k/s."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
) -> None:
    """Predict latency, utilisation, availability and cost, with every formula shown.

    Examples:

        staffpath analyze examples/url-shortener.yaml

        staffpath analyze examples/chat.yaml --at 2M/s --json | jq .flows
    """
    from staffpath.engine.analyze import analyze as run  # numpy/scipy only when needed

    rate = positive_rate("--at", at)
    loaded = load(file)
    result = run(loaded.design, at=rate)
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return

    verdict = "[green]meets its goals[/green]" if result.meets_goals else "[red]misses goals[/red]"
    sat = (
        f"saturates at {show_rate(result.saturation_rps)} "
        f"({result.headroom:.2f}x headroom, bottleneck {result.bottleneck})"
        if result.saturation_rps is not None and result.headroom is not None
        else "no queueing stations"
    )
    console.print(f"[bold]{result.design}[/bold] at {show_rate(result.peak_rps)}: {verdict}; {sat}")

    comps = figure_table(
        "Components",
        (
            "component",
            "kind",
            "servers",
            "arrivals",
            "utilisation",
            "wait",
            "response",
            "availability",
            "cost",
        ),
        text_columns=2,
    )
    for name, c in result.components.items():
        util = f"{c.utilization:.0%}"
        if c.saturated:
            util = f"[red]{util} ×{c.growth_needed:.2f}[/red]"
        elif c.warning:
            util = f"[yellow]{util}[/yellow]"
        comps.add_row(
            name,
            c.kind,
            str(c.servers),
            show_rate(c.arrival_rps),
            util,
            _ms(c.mean_wait_ms),
            _ms(c.mean_response_ms),
            f"{c.availability:.5%}",
            show_money(c.cost_per_month),
        )
    console.print(comps)

    flows = figure_table(
        "Flows", ("flow", "rate", "mean", "p50", "p95", "p99", "p99.9", "availability", "errors")
    )
    for name, f in result.flows.items():
        flows.add_row(
            name,
            show_rate(f.rate_rps),
            _ms(f.mean_ms),
            _ms(f.p50_ms),
            _ms(f.p95_ms),
            _ms(f.p99_ms),
            _ms(f.p999_ms),
            f"{f.availability:.5%}",
            f"{f.error_rate:.3%}",
        )
    console.print(flows)

    if result.goals:
        goals = figure_table("Goals", ("goal", "target", "predicted", "margin", "met"))
        for g in result.goals:
            margin = "" if g.margin is None else f"{g.margin:+.0%}"
            goals.add_row(
                g.name,
                g.target_text,
                g.value_text,
                margin,
                "[green]yes[/green]" if g.met else "[red]no[/red]",
            )
        console.print(goals)

    if result.estimates:
        est = figure_table("Estimates (shown work)", ("estimate", "formula"), text_columns=2)
        for e in result.estimates:
            est.add_row(e.label, e.formula + (f"  [dim]({e.note})[/dim]" if e.note else ""))
        console.print(est)

    cost = figure_table(
        f"Cost: {show_money(result.cost_per_month)}", ("component", "formula"), text_columns=2
    )
    for line in result.cost:
        cost.add_row(line.component, line.formula)
    console.print(cost)

    console.print(
        f"Availability {result.availability:.5%} "
        f"(~{result.downtime_minutes_per_month:.1f} min/month down)"
    )
    for spof in result.spofs:
        console.print(
            f"[yellow]single point of failure[/yellow]: {spof.component}: {spof.reason}"
            f" (flows {', '.join(spof.flows)})"
        )
    for warning in result.warnings:
        console.print(f"[yellow]note[/yellow]: {warning}")
