"""``staffpath simulate``: the design run request by request."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from staffpath.cli import options
from staffpath.cli.render import figure_table
from staffpath.cli.render import ms as _ms
from staffpath.design.load import load
from staffpath.errors import InputError
from staffpath.units import show_duration, show_rate

console = Console(highlight=False)


def simulate(
    file: Annotated[Path, typer.Argument(help="A design file (YAML).", show_default=False)],
    requests: Annotated[
        int | None, typer.Option("--requests", "-n", help="Measured requests (after warm-up).")
    ] = None,
    duration: Annotated[
        str | None, typer.Option("--duration", "-d", help="Simulated time instead, e.g. 5min.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same numbers.")] = 1,
    replications: Annotated[
        int,
        typer.Option(
            "--replications",
            "-r",
            min=1,
            max=1000,
            help="Independent runs (seeds seed, seed+1, ...) for 95% intervals.",
        ),
    ] = 1,
    at: Annotated[
        str | None, typer.Option("--at", help="Simulate at this total rate instead, e.g. 20k/s.")
    ] = None,
    warmup: Annotated[
        str | None, typer.Option("--warmup", help="Warm-up to discard (default: 10% of the run).")
    ] = None,
    budget: Annotated[
        float, typer.Option("--budget", help="Wall-clock budget in seconds.")
    ] = 600.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
) -> None:
    """Simulate the design: latency percentiles, errors by cause, utilisation, a timeline.

    By default 1,000,000 requests, or, when the design scripts failures or a load schedule,
    long enough to see them end.

    Examples:

        staffpath simulate examples/url-shortener.yaml

        staffpath simulate examples/payments.yaml --duration 10min --seed 7 --json

        staffpath simulate design.yaml -n 200000 -r 10 --at 30k/s
    """
    if requests is not None and duration is not None:
        raise InputError("give --requests or --duration, not both")
    if requests is not None and requests < 1:
        raise InputError("--requests must be at least 1")
    seconds = options.duration("--duration", duration, positive=True)
    warm = options.duration("--warmup", warmup)
    rate = options.positive_rate("--at", at)
    loaded = load(file)
    from staffpath.engine.simulate import simulate as run  # numba only when simulating

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=as_json,
    ) as bar:
        # the first run on a machine without numba's cache compiles the kernel (~25 s; set-up
        # does it ahead), and no progress comes until it is loaded: say what is happening
        task = bar.add_task("loading the simulator", total=1.0)
        result = run(
            loaded.design,
            requests=requests,
            duration=seconds,
            seed=seed,
            at=rate,
            replications=replications,
            warmup=warm,
            clock=time.monotonic,
            budget_s=budget,
            progress=lambda x: bar.update(task, completed=x, description="simulating"),
        )
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    console.print(
        f"[bold]{result.design}[/bold]: {result.requests:,} requests measured "
        f"({result.replications} run{'s' * (result.replications > 1)}, seed {result.seed}), "
        f"{show_duration(result.simulated_s)} simulated after {show_duration(result.warmup_s)} "
        f"of warm-up, {result.events:,} events; throughput {show_rate(result.throughput_rps)}"
    )
    flows = figure_table(
        "Flows",
        (
            "flow",
            "ok",
            "mean",
            "p50",
            "p95",
            "p99",
            "p99.9",
            "errors",
            "timeout",
            "rejected",
            "failed",
        ),
    )
    for name, f in result.flows.items():
        mean = _ms(f.mean_ms)
        if f.mean_ci_ms is not None:
            mean += f" ±{(f.mean_ci_ms.high - f.mean_ci_ms.low) / 2:.2g}ms"
        flows.add_row(
            name,
            f"{f.count:,}",
            mean,
            _ms(f.p50_ms),
            _ms(f.p95_ms),
            _ms(f.p99_ms),
            _ms(f.p999_ms),
            f"{f.error_rate:.3%}",
            *(f"{f.errors[c]:,}" for c in ("timeout", "rejected", "failed")),
        )
    console.print(flows)
    comps = figure_table(
        "Components",
        ("component", "utilisation", "mean wait", "mean queue", "completed", "rejected", "failed"),
    )
    for name, c in result.components.items():
        comps.add_row(
            name,
            f"{c.utilization:.0%}",
            _ms(c.mean_wait_ms),
            f"{c.mean_queue:.2f}",
            show_rate(c.completed_rps),
            f"{c.rejected:,}",
            f"{c.failed:,}",
        )
    console.print(comps)
    _timeline(result.timeline)


SPARK = " ▁▂▃▄▅▆▇█"


def _timeline(buckets: list) -> None:  # type: ignore[type-arg]
    """Throughput, p99 and errors over time as three sparklines."""
    if not buckets:
        return

    def line(values: list[float]) -> str:
        top = max(values) or 1.0
        return "".join(
            SPARK[min(int(v / top * (len(SPARK) - 1) + 0.5), len(SPARK) - 1)] for v in values
        )

    thr = [b.throughput_rps for b in buckets]
    p99 = [b.p99_ms or 0.0 for b in buckets]
    err = [float(sum(b.errors.values())) for b in buckets]
    end = buckets[-1].end_s
    console.print(f"Timeline, 0s to {show_duration(end)} ({len(buckets)} buckets)")
    console.print(f"  throughput  {line(thr)}  max {show_rate(max(thr))}")
    console.print(f"  p99         {line(p99)}  max {_ms(max(p99))}")
    console.print(f"  errors      {line(err)}  total {int(sum(err)):,}")
