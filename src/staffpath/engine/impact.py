"""What each scripted failure does to the design, simulated one failure at a time.

A design's ``failures:`` are replayed together by ``simulate`` over the whole script. A
design review asks a narrower question per failure: *what happens to latency and errors
while this one thing is broken?* So each failure runs alone in a short window: a lead-in at
the load the schedule gives at the failure's time (so a failure during a surge meets the
surge), the failure itself, and a recovery tail. The window is cut when simulating it whole
would pass ``max_requests`` (a ten-minute zone loss at 200k/s is 120M requests); the effect
then covers the failure's first minutes and says so (``cut``).

Figures per phase (before, during, after) come from the simulator's timeline buckets:
errors and arrivals are summed exactly; a phase's p99 is its worst bucket's p99, since
percentiles of separate buckets cannot be merged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from staffpath.design.model import Design, Failure, Phase
from staffpath.design.summary import total_rate as own_rate
from staffpath.units import show_duration

if TYPE_CHECKING:
    from staffpath.engine.simulate.driver import Bucket, Simulation

LEAD_S = 20.0  # steady state before the failure, and as long again for recovery after it
OPEN_ENDED_S = 60.0  # how much of a failure with no end (no for, no failover) to show
MIN_EFFECT_S = 1.0  # never cut a failure shorter than this


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PhaseFigures(_Frozen):
    start_s: float
    end_s: float
    arrivals: int
    errors: int
    error_rate: float
    worst_p99_ms: float | None
    throughput_rps: float


class TimePoint(_Frozen):
    t: float
    p99_ms: float | None
    error_rate: float


class FailureEffect(_Frozen):
    index: int
    label: str
    multiplier: float  # the schedule's load level (x peak) at the failure's time
    start_s: float  # when the failure begins in the simulated window
    end_s: float  # when it ends (recovery begins), in the window
    cut: bool  # the failure lasts longer than the window shows
    lasts_s: float | None  # its real length (None: until the end of the script)
    requests: int
    seed: int
    before: PhaseFigures
    during: PhaseFigures
    after: PhaseFigures
    errors_by_cause: dict[str, int]  # during the failure
    timeline: list[TimePoint]


def describe(failure: Failure) -> str:
    """``zone c down for 10min``, ``db.primary killed (failover 90s)``, ..."""
    span = f" for {show_duration(failure.for_)}" if failure.for_ is not None else ""
    if failure.kill is not None:
        what = (
            f"{failure.replicas} replica{'s' if failure.replicas != 1 else ''} of {failure.kill}"
            if failure.replicas
            else failure.kill
        )
        over = f" (failover {show_duration(failure.failover)})" if failure.failover else ""
        return f"{what} killed{span}{over}"
    if failure.zone is not None:
        return f"zone {failure.zone} down{span}"
    if failure.flush is not None:
        return f"{failure.flush} flushed{span or ''}"
    return f"{failure.slow} {failure.factor:g}x slower{span}"


def level_at(schedule: Sequence[Phase], t: float) -> float:
    """The schedule's multiple of the peak at time ``t`` (piecewise linear, as simulated)."""
    m = 1.0
    for phase in schedule:
        if t < phase.at:
            break
        if phase.ramp > 0 and t < phase.at + phase.ramp:
            return m + (phase.multiplier - m) * (t - phase.at) / phase.ramp
        m = phase.multiplier
    return m


def _length(failure: Failure) -> float | None:
    """How long the failure's effect lasts: its ``for``, else its failover, else unbounded."""
    if failure.for_ is not None:
        return failure.for_
    if failure.failover is not None:
        return failure.failover
    return None


def _within(buckets: Sequence[Bucket], lo: float, hi: float) -> list[Bucket]:
    """The buckets whose middle falls in [lo, hi)."""
    return [b for b in buckets if lo <= (b.start_s + b.end_s) / 2 < hi]


@dataclass(frozen=True)
class Window:
    """One failure simulated alone: the run, and where the failure sits in it."""

    simulation: Simulation
    multiplier: float
    start_s: float
    end_s: float
    cut: bool
    lasts_s: float | None
    label: str


def simulate_failure(
    design: Design,
    index: int,
    *,
    total_rate: float,
    max_requests: int = 1_000_000,
    seed: int = 1,
    together: bool = False,
    budget_s: float | None = 120.0,
) -> Window:
    """Simulate failure ``index`` of ``design`` alone (see the module docstring);
    ``total_rate`` is the rate the schedule's multipliers apply to (the design's peak).
    With ``together``, every failure of the design starting at the same time as ``index``
    happens with it (a zone loss and a cache flush at once, say), each cut alike."""
    from staffpath.engine.simulate import simulate  # numba: only when there is work

    failure = design.failures[index]
    level = level_at(design.workload.schedule, failure.at)
    rate = total_rate * level
    lasts = _length(failure)
    wanted = lasts if lasts is not None else OPEN_ENDED_S
    window = max_requests / rate if rate > 0 else math.inf
    lead = min(LEAD_S, window / 4, max(2.0, wanted))  # never longer than the failure itself
    shown = max(min(wanted, window - 2 * lead), MIN_EFFECT_S)
    cut = lasts is None or shown < lasts
    group = [f for f in design.failures if f.at == failure.at] if together else [failure]
    moved = []
    for f in group:
        m = f.model_copy(update={"at": lead})
        if cut:  # show the failure's first ``shown`` seconds, then restore
            key = "failover" if f.for_ is None and f.failover is not None else "for_"
            m = m.model_copy(update={key: min(shown, getattr(f, key) or shown)})
        moved.append(m)
    schedule = [] if level == 1.0 else [Phase(at=0.0, multiplier=level)]
    alone = design.model_copy(
        update={
            "failures": moved,
            "workload": design.workload.model_copy(update={"schedule": schedule}),
        }
    )
    sim = simulate(
        alone,
        duration=2 * lead + shown,
        seed=seed,
        warmup=lead / 2,
        at=None if math.isclose(total_rate, own_rate(design)) else total_rate,
    )
    return Window(sim, level, lead, lead + shown, cut, lasts, describe(failure))


def phase_figures(buckets: Sequence[Bucket], lo: float, hi: float) -> PhaseFigures:
    """Arrivals, errors, the worst bucket p99 and throughput of the buckets in [lo, hi)."""
    inside = _within(buckets, lo, hi)
    arrivals = sum(b.arrivals for b in inside)
    errors = sum(sum(b.errors.values()) for b in inside)
    p99s = [b.p99_ms for b in inside if b.p99_ms is not None]
    span = sum(b.end_s - b.start_s for b in inside)
    return PhaseFigures(
        start_s=lo,
        end_s=hi,
        arrivals=arrivals,
        errors=errors,
        error_rate=errors / arrivals if arrivals else 0.0,
        worst_p99_ms=max(p99s) if p99s else None,
        throughput_rps=sum(b.completed for b in inside) / span if span > 0 else 0.0,
    )


def failure_effects(
    design: Design,
    *,
    total_rate: float,
    max_requests: int = 1_000_000,
    seed: int = 1,
) -> list[FailureEffect]:
    """Simulate each of ``design``'s failures alone; ``total_rate`` is the design's peak rate
    in requests per second (``Analysis.peak_rps``)."""
    effects = []
    for index in range(len(design.failures)):
        w = simulate_failure(
            design, index, total_rate=total_rate, max_requests=max_requests, seed=seed
        )
        buckets = w.simulation.timeline
        causes: dict[str, int] = {}
        for b in _within(buckets, w.start_s, w.end_s):
            for cause, n in b.errors.items():
                causes[cause] = causes.get(cause, 0) + n
        effects.append(
            FailureEffect(
                index=index,
                label=w.label,
                multiplier=w.multiplier,
                start_s=w.start_s,
                end_s=w.end_s,
                cut=w.cut,
                lasts_s=w.lasts_s,
                requests=w.simulation.conservation.arrived,
                seed=seed,
                before=phase_figures(buckets, w.start_s / 2, w.start_s),
                during=phase_figures(buckets, w.start_s, w.end_s),
                after=phase_figures(buckets, w.end_s, w.simulation.simulated_s),
                errors_by_cause=causes,
                timeline=[
                    TimePoint(
                        t=(b.start_s + b.end_s) / 2,
                        p99_ms=b.p99_ms,
                        error_rate=sum(b.errors.values()) / b.arrivals if b.arrivals else 0.0,
                    )
                    for b in buckets
                ],
            )
        )
    return effects
