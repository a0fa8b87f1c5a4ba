"""Flows to per-component demand: the station graph every engine starts from.

Walking a flow's steps with the probability that a request reaches each one gives the
expected visits per request to every component (and operation). Multiplying by the flow's
rate and summing over flows gives each station's arrival rate and the mixture of service
times it sees. From there: utilisation, the saturation throughput (the multiple of today's
load at which the first station reaches 100%), the bottleneck and the headroom.

Semantics of steps (docs/design-language.md):
- a visit counts ``fanout`` visits at the weight with which the request reaches it;
- ``hit: h`` ends the branch at that component with probability h: the ``on_miss`` steps run
  with weight × (1 − h); the steps after it run for every request;
- ``parallel`` runs every branch at the same weight (join all or first: same demand);
- ``retries`` multiply a visit by its expected attempts ``1 + q + … + q^r``, where q is the
  chance that one attempt outlasts its ``timeout``; :mod:`.analyze` finds q and the load it
  causes together, by a fixed-point iteration (``attempts`` below).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from staffpath.design.catalog import Resolved
from staffpath.design.model import Design, Parallel, ServiceTime, Step, Visit
from staffpath.design.summary import flow_rates


@dataclass(frozen=True, slots=True)
class VisitClass:
    """Requests of one flow to one operation of a component, per request of the flow."""

    flow: str
    component: str
    operation: str | None
    visits: float
    service: ServiceTime
    on: str


@dataclass(frozen=True, slots=True)
class StationLoad:
    """What one station sees at the analysed rate."""

    name: str
    component: str
    servers: int
    station: str  # "queue" or "delay"
    arrival_rate: float
    service_mean: float
    service_scv: float
    by_flow: Mapping[str, float]

    @property
    def utilization(self) -> float:
        if self.station == "delay":
            return 0.0
        return self.arrival_rate * self.service_mean / self.servers


@dataclass(frozen=True, slots=True)
class Compiled:
    """The station graph at a given total rate, with saturation and the bottleneck."""

    scale: float
    flow_rates: Mapping[str, float]
    visits: tuple[VisitClass, ...]
    stations: Mapping[str, StationLoad]
    saturation_scale: float
    """Multiple of the design's own peak at which the bottleneck saturates."""
    bottleneck: str | None
    notes: tuple[str, ...] = field(default=())

    @property
    def total_rate(self) -> float:
        return sum(self.flow_rates.values())

    @property
    def saturation_rate(self) -> float:
        """Total rate at which the bottleneck reaches 100% (flows keep their proportions)."""
        if self.scale == 0:
            return 0.0
        return self.total_rate / self.scale * self.saturation_scale

    @property
    def headroom(self) -> float:
        """Saturation rate over the analysed rate: how far load may grow before saturating."""
        return self.saturation_scale / self.scale if self.scale else float("inf")


Attempts = Mapping[int, float]
"""Expected attempts per visit, keyed by ``id()`` of the Visit in the design (1 when absent)."""


def expected_visits(
    design: Design, resolved: Mapping[str, Resolved], attempts: Attempts | None = None
) -> list[VisitClass]:
    """Per flow, the expected visits per request to each component operation."""
    tries = attempts or {}
    out: dict[tuple[str, str, str | None], list[float]] = {}
    order: list[tuple[str, str, str | None]] = []

    def walk(flow: str, steps: list[Step], weight: float) -> None:
        for step in steps:
            if isinstance(step, Parallel):
                for branch in step.branches:
                    walk(flow, branch, weight)
                continue
            add(flow, step, weight)
            if step.on_miss and step.hit is not None:
                walk(flow, step.on_miss, weight * (1.0 - step.hit))

    def add(flow: str, visit: Visit, weight: float) -> None:
        key = (flow, visit.component, visit.operation)
        if key not in out:
            out[key] = [0.0]
            order.append(key)
        out[key][0] += weight * visit.fanout * tries.get(id(visit), 1.0)

    for name, spec in design.workload.flows.items():
        walk(name, spec.steps, 1.0)

    result = []
    for flow, comp, op in order:
        r = resolved[comp]
        if op is None:
            service: ServiceTime = r.service_time
            on = "any"
        else:
            operation = r.operations[op]
            service, on = operation, operation.on
        result.append(VisitClass(flow, comp, op, out[(flow, comp, op)][0], service, on))
    return result


def compile_design(
    design: Design,
    resolved: Mapping[str, Resolved],
    *,
    scale: float = 1.0,
    attempts: Attempts | None = None,
) -> Compiled:
    """The station graph with every flow's rate multiplied by ``scale``."""
    rates = {name: rate * scale for name, rate in flow_rates(design).items()}
    visits = expected_visits(design, resolved, attempts)
    stations: dict[str, StationLoad] = {}
    for comp_name, comp in design.components.items():
        r = resolved[comp_name]
        mine = [v for v in visits if v.component == comp_name]
        reps, shards, k = comp.replicas, comp.shards, r.concurrency
        groups: list[tuple[str, int, list[tuple[VisitClass, float]]]]
        if reps > 1 and any(v.on == "primary" for v in mine):
            # The primary of each shard does primary-only work, its 1/R share of `any` work and
            # its own copy of `all` work; the other R - 1 replicas share the rest.
            primary = {"primary": 1.0, "any": 1.0 / reps, "all": 1.0}
            others = {"primary": 0.0, "any": (reps - 1) / reps, "all": float(reps - 1)}
            groups = [
                (f"{comp_name}.primary", shards * k, [(v, primary[v.on]) for v in mine]),
                (
                    f"{comp_name}.replicas",
                    (reps - 1) * shards * k,
                    [(v, others[v.on]) for v in mine],
                ),
            ]
        else:
            pooled = {"primary": 1.0, "any": 1.0, "all": float(reps)}
            groups = [(comp_name, reps * shards * k, [(v, pooled[v.on]) for v in mine])]
        for station_name, servers, work in groups:
            stations[station_name] = _station(
                station_name, comp_name, servers, r.station, work, rates
            )
    queues = [s for s in stations.values() if s.station == "queue" and s.arrival_rate > 0]
    if queues:
        worst = max(queues, key=lambda s: s.utilization)
        sat = scale / worst.utilization
        bottleneck: str | None = worst.name
    else:
        sat, bottleneck = float("inf"), None
    return Compiled(
        scale=scale,
        flow_rates=rates,
        visits=tuple(visits),
        stations=stations,
        saturation_scale=sat,
        bottleneck=bottleneck,
        notes=(),
    )


def _station(
    name: str,
    component: str,
    servers: int,
    kind: str,
    work: list[tuple[VisitClass, float]],
    rates: Mapping[str, float],
) -> StationLoad:
    lam = 0.0
    first = 0.0
    second = 0.0
    by_flow: dict[str, float] = {}
    for v, mult in work:
        rate = rates[v.flow] * v.visits * mult
        if rate == 0:
            continue
        lam += rate
        mean = v.service.mean
        scv = v.service.scv
        first += rate * mean
        second += rate * mean * mean * (1.0 + scv)
        by_flow[v.flow] = by_flow.get(v.flow, 0.0) + rate
    if lam > 0:
        mean = first / lam
        scv = (second / lam) / (mean * mean) - 1.0 if mean > 0 else 0.0
        if abs(scv - 1.0) < 1e-9:
            scv = 1.0  # exponential service: float noise must not demote exact M/M/c
    else:
        mean, scv = 0.0, 1.0
    return StationLoad(name, component, max(servers, 1), kind, lam, mean, max(scv, 0.0), by_flow)
