"""A one-line summary of a design, for `check` and listings."""

from __future__ import annotations

from staffpath.design.model import Design, Goals
from staffpath.units import format_percent, show_duration, show_money, show_rate


def flow_rates(design: Design) -> dict[str, float]:
    """Each flow's peak rate per second: its own rate, or its share of workload.peak."""
    peak = design.workload.peak or 0.0
    return {
        name: flow.rate if flow.rate is not None else (flow.share or 0.0) * peak
        for name, flow in design.workload.flows.items()
    }


def total_rate(design: Design) -> float:
    """Requests per second at peak over all flows (shares of peak plus own rates)."""
    return sum(flow_rates(design).values())


def goals_text(goals: Goals | None) -> str:
    if goals is None:
        return "no goals"
    parts: list[str] = []
    for name in ("mean", "p50", "p90", "p95", "p99", "p999"):
        value = getattr(goals, name)
        if value is not None:
            parts.append(f"{name} {show_duration(value)}")
    if goals.availability is not None:
        parts.append(f"availability {format_percent(goals.availability)}")
    if goals.error_rate is not None:
        parts.append(f"errors <= {format_percent(goals.error_rate)}")
    if goals.cost is not None:
        parts.append(f"cost <= {show_money(goals.cost)}")
    if goals.headroom is not None:
        parts.append(f"headroom {goals.headroom:g}x")
    return "goals " + ", ".join(parts) if parts else "no goals"


def summarise(design: Design) -> str:
    flows = len(design.workload.flows)
    comps = design.components.values()
    servers = sum(c.replicas * c.shards for c in comps)
    failures = len(design.failures)
    return (
        f"{design.name}: {flows} flow{'s' * (flows != 1)} at {show_rate(total_rate(design))}, "
        f"{len(comps)} components ({servers} replicas), "
        f"{failures} scripted failure{'s' * (failures != 1)}, {goals_text(design.goals)}"
    )
