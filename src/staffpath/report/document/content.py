"""Everything the design document shows, gathered once from the engines.

The document's renderers (Markdown, HTML, PDF) only format what :class:`Content` holds, so
the three never disagree, and a test can build a ``Content`` without running a simulation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from staffpath.design.model import Design
from staffpath.engine.analyze import Analysis, analyze
from staffpath.engine.impact import FailureEffect, failure_effects
from staffpath.engine.simulate.driver import Simulation
from staffpath.engine.sweep import Sweep, default_range, sweep
from staffpath.report import charts
from staffpath.report.diagram import render_svg

SWEEP_STEPS = 12
SIM_REQUESTS = 200_000  # for the latency distribution: enough for a smooth curve to p99.9

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Content:
    design: Design
    analysis: Analysis
    sweep: Sweep
    simulation: Simulation | None  # None when the document is built without simulating
    effects: list[FailureEffect]
    diagram_svg: str
    charts: dict[str, str] = field(default_factory=dict)  # file stem -> SVG
    seed: int = 1
    sim_requests: int = SIM_REQUESTS


def gather(
    design: Design,
    *,
    simulate: bool = True,
    seed: int = 1,
    sim_requests: int = SIM_REQUESTS,
    failure_requests: int = 1_000_000,
    progress: Progress | None = None,
) -> Content:
    """Analyse, sweep, simulate and draw ``design``; ``progress`` hears each stage's name."""

    def stage(name: str) -> None:
        if progress is not None:
            progress(name)

    stage("analysing")
    analysis = analyze(design)
    stage("sweeping load")
    start, stop = default_range(analysis)
    curve = sweep(design, start, stop * 0.98 if analysis.saturation_rps else stop, SWEEP_STEPS)
    sim = None
    effects: list[FailureEffect] = []
    if simulate:
        from staffpath.engine.simulate import simulate as run

        stage("simulating the peak")
        steady = design.model_copy(
            update={
                "failures": [],
                "workload": design.workload.model_copy(update={"schedule": []}),
            }
        )
        sim = run(steady, requests=sim_requests, seed=seed)
        if design.failures:
            stage(f"simulating {len(design.failures)} failure(s)")
            effects = failure_effects(
                design, total_rate=analysis.peak_rps, max_requests=failure_requests, seed=seed
            )
    stage("drawing")
    svgs = {name: charts.to_svg(spec) for name, spec in chart_specs(analysis, curve, sim, effects)}
    return Content(
        design=design,
        analysis=analysis,
        sweep=curve,
        simulation=sim,
        effects=effects,
        diagram_svg=render_svg(design, analysis),
        charts=svgs,
        seed=seed,
        sim_requests=sim_requests,
    )


def chart_specs(
    analysis: Analysis,
    curve: Sweep,
    sim: Simulation | None,
    effects: list[FailureEffect],
) -> list[tuple[str, charts.Spec]]:
    """The document's charts, by file stem, in the order they appear."""
    specs: list[tuple[str, charts.Spec]] = [
        (
            "utilisation",
            charts.utilisation_spec(
                {k: c.utilization for k, c in analysis.components.items()},
                bottleneck=analysis.bottleneck,
            ),
        ),
        (
            "latency-load",
            charts.latency_load_spec(
                [p.rate_rps for p in curve.points],
                {f: [p.flows[f].p99_ms for p in curve.points] for f in curve.flows},
                peak=analysis.peak_rps,
                saturation=analysis.saturation_rps,
                knee=_knee(curve),
            ),
        ),
        (
            "utilisation-load",
            charts.utilisation_load_spec(
                [p.rate_rps for p in curve.points],
                {c: [p.components[c].utilization for p in curve.points] for c in curve.components},
                knee=_knee(curve),
            ),
        ),
        ("cost", charts.cost_spec({line.component: line.monthly for line in analysis.cost})),
    ]
    if sim is not None:
        specs.append(
            ("latency-cdf", charts.latency_cdf_spec({k: f.cdf_ms for k, f in sim.flows.items()}))
        )
    specs.extend(
        (
            f"failure-{e.index + 1}",
            charts.timeline_spec(
                [{"t": p.t, "p99": p.p99_ms, "errors": p.error_rate} for p in e.timeline],
                window=(e.start_s, e.end_s),
                title=f"Failure {e.index + 1}: {e.label}",
            ),
        )
        for e in effects
    )
    return specs


def _knee(curve: Sweep) -> float | None:
    """The knee worth marking on a chart: none when it coincides with saturation."""
    if curve.knee is None or curve.knee.at_saturation:
        return None
    return curve.knee.rate_rps
