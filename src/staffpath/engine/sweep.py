"""Latency and utilisation against load: the design analysed at evenly spaced total rates.

``sweep(design, start, stop, steps)`` runs :func:`~staffpath.engine.analyze.analyze` at
``steps`` evenly spaced total rates from ``start`` to ``stop`` (both included); every flow
keeps its share of the total, as ``staffpath analyze --at`` does. Each :class:`SweepPoint`
holds what a load curve needs: per flow the mean, p50, p95 and p99 (``None`` once a station
the flow needs is saturated), and per component the utilisation of its busiest station
(``≥ 1`` means saturated; the figure keeps growing past 1 so a chart can show how far).

**The knee** is the lowest total rate at which some flow's p99 reaches twice its *unloaded*
p99 (its p99 as the rate tends to zero: service times alone, no queueing). Why this one:

- it is a property of the design, not of the sweep: the same for any ``--from``, ``--to``
  and ``--steps`` (it is found by bisection on ``analyze`` between a near-zero rate and the
  saturation rate, to :data:`KNEE_TOLERANCE` of the saturation rate);
- it has a closed form to test against: one M/M/1 station has p99 = ln(100) / (μ − λ), which
  doubles its unloaded ln(100) / μ at λ = μ/2, i.e. at 50% utilisation; a pool of c servers
  keeps its latency flat far longer (M/M/c knees much closer to saturation), which is the
  whole reason wide pools can run hotter;
- "twice the latency" is the point where users notice and where the slope is already
  steep; a goal-based point would say nothing about designs without goals, and a fixed
  fraction of saturation (say 80%) would ignore how the design's queues actually behave.

The sweep also carries the saturation rate of the analysis at the design's own peak (the
figure ``staffpath analyze`` prints), the bottleneck, and each flow's p99 goal, so a chart
can draw the curve, the knee, the saturation line and the goal from one model.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from staffpath.design.catalog import Catalog, load_catalog
from staffpath.design.model import Design
from staffpath.engine.analyze import Analysis, analyze

KNEE_FACTOR = 2.0
"""The knee is where some flow's p99 reaches this multiple of its unloaded p99."""

KNEE_TOLERANCE = 1e-3
"""Bisection stops when the knee is bracketed within this fraction of the saturation rate."""

UNLOADED = 1e-6
"""The "unloaded" rate, as a fraction of the saturation rate: queueing there is negligible."""

DEFAULT_START = 0.1
"""A sweep with no start begins at this fraction of the peak (or of the stop, if lower)."""

Progress = Callable[[float], None]
"""Called with the share of the work done (0 to 1) after each analysis."""

KNEE_DEFINITION = (
    f"the lowest total rate at which some flow's p99 reaches {KNEE_FACTOR:g}x its unloaded p99 "
    "(service times alone); for one M/M/1 station that is 50% utilisation"
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FlowPoint(_Frozen):
    """One flow at one rate; latencies are ``None`` when the flow meets a saturated station."""

    rate_rps: float
    mean_ms: float | None
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    saturated: bool


class ComponentPoint(_Frozen):
    """One component at one rate: its busiest station's utilisation (may exceed 1)."""

    utilization: float
    saturated: bool


class SweepPoint(_Frozen):
    """The design analysed at one total rate."""

    rate_rps: float
    flows: dict[str, FlowPoint]
    components: dict[str, ComponentPoint]
    busiest: str
    """The component with the highest utilisation at this rate."""


class Knee(_Frozen):
    """Where latency turns up: see the module docstring for the definition."""

    rate_rps: float
    flow: str
    """The flow whose p99 doubles first."""
    unloaded_p99_ms: float
    at_saturation: bool
    """True when no p99 doubles before the bottleneck saturates (wide pools keep latency flat
    to the end): ``rate_rps`` is then the saturation rate itself."""


class Sweep(_Frozen):
    """A load curve. ``points`` are in increasing rate; the rest is context for a chart."""

    design: str
    peak_rps: float
    """The design's own peak total rate."""
    saturation_rps: float | None
    """Where the bottleneck reaches 100% (from the analysis at peak); None without queues."""
    bottleneck: str | None
    knee: Knee | None
    """None when no flow has a positive unloaded p99 or the design has no queueing station."""
    knee_definition: str
    p99_goals_ms: dict[str, float]
    """Each flow's p99 goal, where the design sets one."""
    flows: list[str]
    components: list[str]
    points: list[SweepPoint]


def sweep(
    design: Design,
    start_rps: float,
    stop_rps: float,
    steps: int,
    *,
    catalog: Catalog | None = None,
    progress: Progress | None = None,
) -> Sweep:
    """``design`` analysed at ``steps`` evenly spaced total rates from ``start_rps`` to
    ``stop_rps``, with its knee and saturation rate."""
    if not 0 < start_rps < stop_rps or not math.isfinite(stop_rps):
        raise ValueError(f"need 0 < start < stop, got {start_rps} and {stop_rps}")
    if steps < 2:
        raise ValueError(f"a sweep needs at least 2 steps, got {steps}")
    catalog = catalog or load_catalog()
    total = 1 + steps + 2 + math.ceil(math.log2((1 - UNLOADED) / KNEE_TOLERANCE))
    done = 0

    def run(rate: float | None) -> Analysis:
        nonlocal done
        result = analyze(design, at=rate, catalog=catalog)
        done += 1
        if progress is not None:
            progress(min(done / total, 1.0))
        return result

    at_peak = run(None)
    width = stop_rps - start_rps
    rates = [start_rps + width * i / (steps - 1) for i in range(steps - 1)] + [stop_rps]
    points = [_point(rate, run(rate)) for rate in rates]
    knee = _knee(at_peak, run)
    if progress is not None:
        progress(1.0)
    return Sweep(
        design=design.name,
        peak_rps=at_peak.peak_rps,
        saturation_rps=at_peak.saturation_rps,
        bottleneck=at_peak.bottleneck,
        knee=knee,
        knee_definition=KNEE_DEFINITION,
        p99_goals_ms={
            g.scope: g.target
            for g in at_peak.goals
            if g.name == f"{g.scope}.p99" and g.unit == "ms"
        },
        flows=list(at_peak.flows),
        components=list(at_peak.components),
        points=points,
    )


def default_range(analysis: Analysis) -> tuple[float, float]:
    """A range that shows the whole curve: from a tenth of the peak to the saturation rate.

    Without a queueing station (nothing saturates) the range ends at twice the peak. When
    the design is already past saturation at its peak, the range starts at a tenth of the
    saturation rate instead, so it never starts above where it stops.
    """
    stop = analysis.saturation_rps if analysis.saturation_rps is not None else 2 * analysis.peak_rps
    return DEFAULT_START * min(analysis.peak_rps, stop), stop


def _point(rate: float, a: Analysis) -> SweepPoint:
    components = {
        name: ComponentPoint(utilization=c.utilization, saturated=c.saturated)
        for name, c in a.components.items()
    }
    return SweepPoint(
        rate_rps=rate,
        flows={
            name: FlowPoint(
                rate_rps=f.rate_rps,
                mean_ms=f.mean_ms,
                p50_ms=f.p50_ms,
                p95_ms=f.p95_ms,
                p99_ms=f.p99_ms,
                saturated=bool(f.saturated_by),
            )
            for name, f in a.flows.items()
        },
        components=components,
        busiest=max(components, key=lambda n: components[n].utilization),
    )


def _knee(at_peak: Analysis, run: Callable[[float], Analysis]) -> Knee | None:
    """Bisect for the lowest rate where some flow's p99 reaches ``KNEE_FACTOR`` × unloaded.

    Saturated flows count as past the knee, so the saturation rate always brackets it from
    above; latency grows with load (a property the tests check), so the bracket is sound.
    """
    saturation = at_peak.saturation_rps
    if saturation is None or saturation <= 0:
        return None
    unloaded = run(saturation * UNLOADED).flows
    base = {n: f.p99_ms for n, f in unloaded.items() if f.p99_ms is not None and f.p99_ms > 0}
    if not base:
        return None

    def past(rate: float) -> str | None:
        """The flow furthest past the knee at ``rate``, or None when none is."""
        flows = run(rate).flows
        ratios = {
            n: math.inf if flows[n].p99_ms is None else (flows[n].p99_ms or 0.0) / p
            for n, p in base.items()
        }
        worst = max(ratios, key=lambda n: ratios[n])
        return worst if ratios[worst] >= KNEE_FACTOR else None

    lo, hi = saturation * UNLOADED, saturation
    flow = past(hi)
    if flow is None:
        return None
    while hi - lo > KNEE_TOLERANCE * saturation:
        mid = (lo + hi) / 2
        found = past(mid)
        if found is None:
            lo = mid
        else:
            hi, flow = mid, found
    return Knee(rate_rps=hi, flow=flow, unloaded_p99_ms=base[flow], at_saturation=hi == saturation)
