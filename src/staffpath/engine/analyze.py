"""The analytic engine in one call: stations, flows, availability, cost, estimates and goals.

``analyze(design)`` compiles the design to stations (:mod:`.compile`), solves each one
(:mod:`.queueing`), combines per-visit laws along every flow (:mod:`.latency`), and adds
availability (:mod:`.availability`), cost (:mod:`.cost`) and back-of-envelope estimates
(:mod:`.estimate`). The result is one pydantic model whose JSON form is a contract
(docs/analysis.md): field names do not change without a major version.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from staffpath.design.catalog import Catalog, Resolved, load_catalog, resolve
from staffpath.design.model import Design, Goals, Parallel, ServiceTime, Step, Visit
from staffpath.engine.availability import Spof, availability
from staffpath.engine.compile import Compiled, StationLoad, compile_design
from staffpath.engine.cost import CostLine, cost
from staffpath.engine.estimate import Estimate, estimate
from staffpath.engine.latency import FlowLatency, VisitLaw, flow_latency
from staffpath.engine.queueing import (
    WARN_UTILIZATION,
    Station,
    mmc_response_quantile_table,
    solve,
    solve_finite,
)
from staffpath.units import format_percent, show_duration, show_money

PLAN_UTILIZATION = 0.7
"""Utilisation a capacity plan aims for when it counts servers needed."""

ASSUMPTIONS = (
    "Poisson arrivals; each component is one FIFO queue shared by replicas × shards × concurrency "
    "servers (balancing policies are the simulator's concern).",
    "Waits: exact M/M/c (Erlang C) for exponential service; Allen–Cunneen for other service "
    "distributions; M/M/c/K where a queue limit is set.",
    "Visits are independent (Kleinrock's independence assumption): end-to-end percentiles come "
    "from convolving per-visit distributions numerically.",
    "Retries add the load of their expected attempts (each attempt times out with the chance "
    "its visit outlasts the timeout, found together with the load it causes); latency "
    "percentiles ignore timeouts; failures over time are the simulator's.",
    "Failures of replicas are independent; zone losses are listed as single points of failure.",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StationFigures(_Frozen):
    name: str
    servers: int
    arrival_rps: float
    utilization: float
    mean_wait_ms: float | None
    mean_response_ms: float | None
    saturated: bool
    method: str
    p_block: float
    wait_p95_ms: float | None
    wait_p99_ms: float | None
    response_p50_ms: float | None
    response_p95_ms: float | None
    response_p99_ms: float | None


class ComponentResult(_Frozen):
    kind: str
    tier: str
    replicas: int
    servers: int
    arrival_rps: float
    utilization: float
    mean_wait_ms: float | None
    mean_response_ms: float | None
    saturated: bool
    warning: bool
    growth_needed: float
    method: str
    availability: float
    cost_per_month: float
    stations: list[StationFigures]


class FlowResult(_Frozen):
    rate_rps: float
    mean_ms: float | None
    p50_ms: float | None
    p90_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    p999_ms: float | None
    availability: float
    error_rate: float
    saturated_by: list[str]
    required: list[str]


class GoalResult(_Frozen):
    name: str
    scope: str
    target: float
    value: float | None
    met: bool
    margin: float | None
    unit: str
    target_text: str
    value_text: str


class Analysis(_Frozen):
    design: str
    scale: float
    peak_rps: float
    saturation_rps: float | None
    saturation_scale: float | None
    headroom: float | None
    bottleneck: str | None
    components: dict[str, ComponentResult]
    flows: dict[str, FlowResult]
    availability: float
    downtime_minutes_per_month: float
    error_rate: float
    cost_per_month: float
    cost: list[CostLine]
    spofs: list[Spof]
    estimates: list[Estimate]
    goals: list[GoalResult]
    meets_goals: bool
    warnings: list[str]
    assumptions: list[str]


@dataclass(frozen=True, slots=True)
class _Solved:
    load: StationLoad
    p_wait: float
    mean_wait: float | None
    mean_response: float | None
    utilization: float
    saturated: bool
    p_block: float
    growth: float
    method: str

    @property
    def loss(self) -> float:
        """Share of arrivals that cannot be served: blocked, or beyond capacity when saturated."""
        if self.saturated:
            return 1.0 - 1.0 / self.utilization
        return self.p_block


def _solve_station(load: StationLoad, queue_limit: int | None, replicas: int) -> _Solved:
    if load.station == "delay" or load.arrival_rate == 0:
        return _Solved(
            load,
            0.0,
            0.0,
            load.service_mean,
            0.0 if load.station == "delay" else load.utilization,
            False,
            0.0,
            1.0,
            "no queueing",
        )
    if queue_limit is not None:
        capacity = load.servers + queue_limit * replicas
        fin = solve_finite(load.servers, capacity, load.arrival_rate, load.service_mean)
        return _Solved(
            load,
            fin.p_wait_admitted,
            fin.mean_wait,
            fin.mean_response,
            fin.utilization,
            False,
            fin.p_block,
            1.0,
            "M/M/c/K (finite queue, exact for exponential service)",
        )
    res = solve(Station(load.servers, load.arrival_rate, load.service_mean, load.service_scv))
    return _Solved(
        load,
        res.p_wait or 0.0,
        res.mean_wait,
        res.mean_response,
        res.utilization,
        res.saturated,
        0.0,
        res.growth_needed,
        res.method,
    )


def analyze(
    design: Design,
    *,
    at: float | None = None,
    catalog: Catalog | None = None,
) -> Analysis:
    """Every analytic figure of ``design``; ``at`` is a total rate (req/s) to analyse instead of
    the design's own peak, flows keeping their proportions."""
    catalog = catalog or load_catalog()
    resolved = {name: resolve(comp, catalog) for name, comp in design.components.items()}
    base = compile_design(design, resolved)
    scale = 1.0
    if at is not None:
        if base.total_rate <= 0:
            raise ValueError("the design has no traffic to scale")
        scale = at / base.total_rate
    compiled, solved, laws, saturated_law, timeouts, converged = _fixed_point(
        design, resolved, scale
    )
    visits_by_id = {
        id(v): v for flow in design.workload.flows.values() for v in _all_visits(flow.steps)
    }
    avail = availability(design, resolved)
    estimates = estimate(design) + _servers_needed(design, resolved, compiled)
    costs = cost(design, resolved, estimates)
    cost_by = {line.component: line.monthly for line in costs.lines}

    pcts = _station_percentiles(solved)
    components = {
        name: _component(
            name,
            design,
            resolved[name],
            solved,
            pcts,
            avail.components[name].availability,
            cost_by[name],
        )
        for name in design.components
    }
    flows: dict[str, FlowResult] = {}
    for name, flow in design.workload.flows.items():
        flows[name] = _flow(
            name,
            flow.steps,
            compiled,
            laws,
            saturated_law,
            solved,
            avail.flows[name].availability,
            avail.flows[name].required,
            timeouts,
            visits_by_id,
        )

    total_rate = compiled.total_rate
    error_rate = (
        sum(f.rate_rps * f.error_rate for f in flows.values()) / total_rate
        if total_rate > 0
        else 0.0
    )
    any_queue = compiled.bottleneck is not None
    saturation_scale = compiled.saturation_scale if any_queue else None
    analysis_wo_goals = {
        "design": design.name,
        "scale": scale,
        "peak_rps": total_rate,
        "saturation_rps": compiled.saturation_rate if any_queue else None,
        "saturation_scale": saturation_scale,
        "headroom": compiled.headroom if any_queue else None,
        "bottleneck": compiled.bottleneck,
        "components": components,
        "flows": flows,
        "availability": avail.overall,
        "downtime_minutes_per_month": avail.downtime_minutes_per_month,
        "error_rate": error_rate,
        "cost_per_month": costs.total,
        "cost": costs.lines,
        "spofs": avail.spofs,
        "estimates": estimates,
    }
    goals = _goals(
        design,
        flows,
        avail.overall,
        error_rate,
        costs.total,
        compiled.headroom if any_queue else math.inf,
    )
    warnings = _warnings(solved, compiled) + _retry_warnings(
        design, compiled, timeouts, visits_by_id, converged
    )
    return Analysis(
        **analysis_wo_goals,
        goals=goals,
        meets_goals=all(g.met for g in goals),
        warnings=warnings,
        assumptions=list(ASSUMPTIONS),
    )


MAX_ROUNDS = 200
STATION_GRID = 256
_ONE_VISIT: list[Step] = [Visit.model_construct(component="s")]
"""Cells for per-station percentiles: a summary figure, so a coarser grid than flows get."""


def _solve_all(
    design: Design, resolved: Mapping[str, Resolved], compiled: Compiled
) -> dict[str, _Solved]:
    solved: dict[str, _Solved] = {}
    for name, load in compiled.stations.items():
        comp = design.components[load.component]
        per_station_replicas = max(load.servers // max(resolved[load.component].concurrency, 1), 1)
        solved[name] = _solve_station(load, comp.queue_limit, per_station_replicas)
    return solved


def _fixed_point(
    design: Design, resolved: Mapping[str, Resolved], scale: float
) -> tuple[
    Compiled,
    dict[str, _Solved],
    dict[tuple[str, str | None], VisitLaw],
    dict[tuple[str, str | None], list[str]],
    dict[int, float],
    bool,
]:
    """Load and timeouts together: retries add load, load lengthens responses, longer
    responses time out more. Iterate (damped) until the expected attempts settle.

    Returns the station graph, solved stations, visit laws, saturated targets, the chance
    that each timed visit's attempt times out (by ``id`` of the visit), and whether it settled.
    """
    timed = [
        v
        for flow in design.workload.flows.values()
        for v in _all_visits(flow.steps)
        if v.timeout is not None
    ]
    attempts: dict[int, float] = {}
    q: dict[int, float] = {}
    converged = True
    for _ in range(MAX_ROUNDS):
        compiled = compile_design(design, resolved, scale=scale, attempts=attempts)
        solved = _solve_all(design, resolved, compiled)
        laws, blocked = _laws(design, resolved, solved)
        if not timed:
            return compiled, solved, laws, blocked, q, True
        q = {}
        fresh: dict[int, float] = {}
        for v in timed:
            key = (v.component, v.operation)
            assert v.timeout is not None
            miss = 1.0 if key in blocked else laws[key].survival(v.timeout)
            q[id(v)] = miss
            retries = v.retries.attempts if v.retries is not None else 0
            fresh[id(v)] = sum(miss**i for i in range(retries + 1))
        change = max((abs(fresh[k] - attempts.get(k, 1.0)) for k in fresh), default=0.0)
        if change < 1e-9:
            return compiled, solved, laws, blocked, q, True
        attempts = {k: 0.5 * fresh[k] + 0.5 * attempts.get(k, 1.0) for k in fresh}
    converged = False
    return compiled, solved, laws, blocked, q, converged


def _reach(steps: list[Step], weight: float) -> dict[int, float]:
    """The probability that a request reaches each visit (by ``id``)."""
    out: dict[int, float] = {}
    for step in steps:
        if isinstance(step, Parallel):
            for branch in step.branches:
                for k, w in _reach(branch, weight).items():
                    out[k] = out.get(k, 0.0) + w
            continue
        out[id(step)] = out.get(id(step), 0.0) + weight
        if step.on_miss and step.hit is not None:
            for k, w in _reach(step.on_miss, weight * (1.0 - step.hit)).items():
                out[k] = out.get(k, 0.0) + w
    return out


def _all_visits(steps: list[Step]) -> list[Visit]:
    out: list[Visit] = []
    for step in steps:
        if isinstance(step, Parallel):
            for branch in step.branches:
                out += _all_visits(branch)
        else:
            out.append(step)
            out += _all_visits(step.on_miss or [])
    return out


def _laws(
    design: Design, resolved: Mapping[str, Resolved], solved: Mapping[str, _Solved]
) -> tuple[dict[tuple[str, str | None], VisitLaw], dict[tuple[str, str | None], list[str]]]:
    """Per (component, operation): the visit's law, or the saturated stations it would meet."""
    laws: dict[tuple[str, str | None], VisitLaw] = {}
    blocked: dict[tuple[str, str | None], list[str]] = {}
    for flow in design.workload.flows.values():
        for comp_name, op in _targets(flow.steps):
            key = (comp_name, op)
            if key in laws or key in blocked:
                continue
            r = resolved[comp_name]
            if op is None:
                service, on = r.service_time, "any"
            else:
                service, on = r.operations[op], r.operations[op].on
            if comp_name in solved:
                parts = [(solved[comp_name], 1.0)]
            else:
                prim, reps = solved[f"{comp_name}.primary"], solved[f"{comp_name}.replicas"]
                n = design.components[comp_name].replicas
                parts = (
                    [(prim, 1.0)]
                    if on in ("primary", "all")
                    else [(prim, 1.0 / n), (reps, (n - 1) / n)]
                )
            hot = [p.load.name for p, w in parts if p.saturated and w > 0]
            if hot:
                blocked[key] = hot
                continue
            p_wait = sum(w * p.p_wait for p, w in parts)
            mean_wait = sum(w * (p.mean_wait or 0.0) for p, w in parts)
            laws[key] = VisitLaw(p_wait, mean_wait, service)
    return laws, blocked


def _targets(steps: list[Step]) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for step in steps:
        if isinstance(step, Parallel):
            for branch in step.branches:
                out += _targets(branch)
        else:
            out.append((step.component, step.operation))
            if step.on_miss:
                out += _targets(step.on_miss)
    return out


def _component(
    name: str,
    design: Design,
    r: Resolved,
    solved: Mapping[str, _Solved],
    pcts: Mapping[str, Mapping[str, float | None]],
    avail: float,
    monthly: float,
) -> ComponentResult:
    comp = design.components[name]
    mine = [s for s in solved.values() if s.load.component == name]
    lam = sum(s.load.arrival_rate for s in mine)
    saturated = any(s.saturated for s in mine)

    def weighted(attr: str) -> float | None:
        if saturated:
            return None
        if lam == 0:
            return 0.0 if attr == "mean_wait" else r.service_time.mean * 1e3
        return sum(s.load.arrival_rate * (getattr(s, attr) or 0.0) for s in mine) / lam * 1e3

    hottest = max(mine, key=lambda s: s.utilization)
    return ComponentResult(
        kind=comp.kind,
        tier=r.tier,
        replicas=comp.replicas * comp.shards,
        servers=sum(s.load.servers for s in mine),
        arrival_rps=lam,
        utilization=hottest.utilization,
        mean_wait_ms=weighted("mean_wait"),
        mean_response_ms=weighted("mean_response"),
        saturated=saturated,
        warning=hottest.utilization >= WARN_UTILIZATION,
        growth_needed=max(s.growth for s in mine),
        method=hottest.method,
        availability=avail,
        cost_per_month=monthly,
        stations=[
            StationFigures(
                name=s.load.name,
                servers=s.load.servers,
                arrival_rps=s.load.arrival_rate,
                utilization=s.utilization,
                mean_wait_ms=None if s.mean_wait is None else s.mean_wait * 1e3,
                mean_response_ms=None if s.mean_response is None else s.mean_response * 1e3,
                saturated=s.saturated,
                method=s.method,
                p_block=s.p_block,
                **pcts[s.load.name],
            )
            for s in mine
        ],
    )


_STATION_KEYS = (
    "wait_p95_ms",
    "wait_p99_ms",
    "response_p50_ms",
    "response_p95_ms",
    "response_p99_ms",
)


def _station_percentiles(solved: Mapping[str, _Solved]) -> dict[str, dict[str, float | None]]:
    """Wait and response percentiles of every station.

    The wait is 0 with probability C and exponential otherwise, so its quantiles are closed
    form. The response adds the station's service time: for exponential service (the exact
    M/M/c case) the closed-form law is inverted for all stations at once; otherwise the
    service is taken as gamma with the station's mean and cv, an approximation, on a grid.
    """
    out: dict[str, dict[str, float | None]] = {}
    exact: list[str] = []
    for name, s in solved.items():
        if s.saturated or s.mean_wait is None:
            out[name] = dict.fromkeys(_STATION_KEYS)
            continue
        theta = s.p_wait / s.mean_wait if s.mean_wait > 0 else math.inf

        def wait_q(p: float, s: _Solved = s, theta: float = theta) -> float:
            tail = 1.0 - p
            if s.p_wait <= tail or not math.isfinite(theta):
                return 0.0
            return math.log(s.p_wait / tail) / theta * 1e3

        row: dict[str, float | None] = {"wait_p95_ms": wait_q(0.95), "wait_p99_ms": wait_q(0.99)}
        mean, scv = s.load.service_mean, s.load.service_scv
        if mean <= 0:
            row.update(response_p50_ms=0.0, response_p95_ms=0.0, response_p99_ms=0.0)
        elif scv == 1.0 and s.method.startswith("M/M/c"):
            exact.append(name)
        else:
            service = ServiceTime.model_construct(  # computed values: nothing to validate
                mean=mean, dist="gamma", cv=math.sqrt(max(scv, 1e-6))
            )
            law: dict[tuple[str, str | None], VisitLaw] = {
                ("s", None): VisitLaw(s.p_wait, s.mean_wait, service)
            }
            lat = flow_latency(_ONE_VISIT, law, n=STATION_GRID)
            row.update(
                response_p50_ms=lat.p50 * 1e3,
                response_p95_ms=lat.p95 * 1e3,
                response_p99_ms=lat.p99 * 1e3,
            )
        out[name] = row
    laws = []
    for name in exact:
        s = solved[name]
        mu = 1.0 / s.load.service_mean
        laws.append((s.p_wait, s.load.servers * mu - s.load.arrival_rate, mu))
    for name, qs in zip(exact, mmc_response_quantile_table(laws, (0.5, 0.95, 0.99)), strict=True):
        out[name].update(
            response_p50_ms=qs[0] * 1e3, response_p95_ms=qs[1] * 1e3, response_p99_ms=qs[2] * 1e3
        )
    return out


def _flow(
    name: str,
    steps: list[Step],
    compiled: Compiled,
    laws: Mapping[tuple[str, str | None], VisitLaw],
    blocked: Mapping[tuple[str, str | None], list[str]],
    solved: Mapping[str, _Solved],
    avail: float,
    required: list[str],
    timeouts: Mapping[int, float],
    visits_by_id: Mapping[int, Visit],
) -> FlowResult:
    hot = sorted({s for key in _targets(steps) for s in blocked.get(key, [])})
    # Losses compound over expected visits: P(served) = Π (1 − loss)^visits per request.
    served = 1.0
    rate = compiled.flow_rates[name]
    for s in solved.values():
        if s.loss > 0 and rate > 0 and name in s.load.by_flow:
            served *= (1.0 - s.loss) ** (s.load.by_flow[name] / rate)
    # A visit fails when its first try and every retry time out.
    for visit_id, weight in _reach(steps, 1.0).items():
        if visit_id in timeouts:
            retry = visits_by_id[visit_id].retries
            tries = 1 + (retry.attempts if retry is not None else 0)
            served *= 1.0 - weight * timeouts[visit_id] ** tries
    lat: FlowLatency | None = None if hot else flow_latency(steps, laws)

    def ms(value: float | None) -> float | None:
        return None if value is None else value * 1e3

    return FlowResult(
        rate_rps=compiled.flow_rates[name],
        mean_ms=ms(lat.mean) if lat else None,
        p50_ms=ms(lat.p50) if lat else None,
        p90_ms=ms(lat.p90) if lat else None,
        p95_ms=ms(lat.p95) if lat else None,
        p99_ms=ms(lat.p99) if lat else None,
        p999_ms=ms(lat.p999) if lat else None,
        availability=avail,
        error_rate=min(max(1.0 - served, 0.0), 1.0),
        saturated_by=hot,
        required=required,
    )


def _servers_needed(
    design: Design, resolved: Mapping[str, Resolved], compiled: Compiled
) -> list[Estimate]:
    """Replicas each tier needs to run at the planning utilisation, with the arithmetic."""
    by_tier: dict[str, list[str]] = {}
    total: dict[str, int] = {}
    for name in design.components:
        r = resolved[name]
        if r.station != "queue":
            continue
        loads = [s for s in compiled.stations.values() if s.component == name]
        work = sum(s.arrival_rate * s.service_mean for s in loads)
        if work == 0:
            continue
        need = max(math.ceil(work / (r.concurrency * PLAN_UTILIZATION)), 1)
        by_tier.setdefault(r.tier, []).append(
            f"{name}: {work:,.2f} busy servers / ({r.concurrency} per replica × "
            f"{PLAN_UTILIZATION:.0%}) = {need}"
        )
        total[r.tier] = total.get(r.tier, 0) + need
    return [
        Estimate(
            name=f"servers_{tier}",
            label=f"Replicas needed in the {tier} tier",
            value=float(total[tier]),
            unit="servers",
            formula="; ".join(parts) + f" → {total[tier]} in all",
            note=f"sized for {PLAN_UTILIZATION:.0%} utilisation at the analysed rate",
        )
        for tier, parts in by_tier.items()
    ]


_LATENCY = ("mean", "p50", "p90", "p95", "p99", "p999")


def _goals(
    design: Design,
    flows: Mapping[str, FlowResult],
    avail: float,
    error_rate: float,
    monthly: float,
    headroom: float,
) -> list[GoalResult]:
    out: list[GoalResult] = []
    top = design.goals or Goals()
    for fname, flow in design.workload.flows.items():
        own = flow.goals or Goals()
        fr = flows[fname]
        for key in _LATENCY:
            target = getattr(own, key) if getattr(own, key) is not None else getattr(top, key)
            if target is None:
                continue
            value_ms = getattr(fr, f"{key}_ms")
            out.append(
                _upper_goal(
                    f"{fname}.{key}",
                    fname,
                    target * 1e3,
                    value_ms,
                    "ms",
                    show_duration(target),
                    "saturated" if value_ms is None else show_duration(value_ms / 1e3),
                )
            )
        if own.availability is not None:
            out.append(
                _availability_goal(
                    f"{fname}.availability", fname, own.availability, fr.availability
                )
            )
        if own.error_rate is not None:
            out.append(
                _upper_goal(
                    f"{fname}.error_rate",
                    fname,
                    own.error_rate,
                    fr.error_rate,
                    "fraction",
                    format_percent(own.error_rate),
                    f"{fr.error_rate:.4%}",
                )
            )
    if top.availability is not None:
        out.append(_availability_goal("availability", "design", top.availability, avail))
    if top.error_rate is not None:
        out.append(
            _upper_goal(
                "error_rate",
                "design",
                top.error_rate,
                error_rate,
                "fraction",
                format_percent(top.error_rate),
                f"{error_rate:.4%}",
            )
        )
    if top.cost is not None:
        out.append(
            _upper_goal(
                "cost",
                "design",
                top.cost,
                monthly,
                "$/month",
                show_money(top.cost),
                show_money(monthly),
            )
        )
    if top.headroom is not None:
        met = headroom >= top.headroom
        out.append(
            GoalResult(
                name="headroom",
                scope="design",
                target=top.headroom,
                value=headroom if math.isfinite(headroom) else None,
                met=met,
                margin=(headroom - top.headroom) / top.headroom
                if math.isfinite(headroom)
                else None,
                unit="x",
                target_text=f"{top.headroom:g}x",
                value_text=f"{headroom:.2f}x" if math.isfinite(headroom) else "unbounded",
            )
        )
    return out


def _upper_goal(
    name: str,
    scope: str,
    target: float,
    value: float | None,
    unit: str,
    target_text: str,
    value_text: str,
) -> GoalResult:
    met = value is not None and value <= target
    margin = None if value is None or target == 0 else (target - value) / target
    return GoalResult(
        name=name,
        scope=scope,
        target=target,
        value=value,
        met=met,
        margin=margin,
        unit=unit,
        target_text=target_text,
        value_text=value_text,
    )


def _availability_goal(name: str, scope: str, target: float, value: float) -> GoalResult:
    allowed = 1.0 - target
    margin = (allowed - (1.0 - value)) / allowed if allowed > 0 else None
    return GoalResult(
        name=name,
        scope=scope,
        target=target,
        value=value,
        met=value >= target,
        margin=margin,
        unit="fraction",
        target_text=format_percent(target),
        value_text=f"{value:.5%}",
    )


def _retry_warnings(
    design: Design,
    compiled: Compiled,
    timeouts: Mapping[int, float],
    visits_by_id: Mapping[int, Visit],
    converged: bool,
) -> list[str]:
    out: list[str] = []
    for visit_id, q in timeouts.items():
        v = visits_by_id[visit_id]
        if q < 0.001 or v.timeout is None:
            continue
        retries = v.retries.attempts if v.retries is not None else 0
        tries = sum(q**i for i in range(retries + 1))
        out.append(
            f"{v.target}: {q:.2%} of attempts outlast the {show_duration(v.timeout)} timeout"
            + (f"; retries multiply its load by {tries:.2f}" if retries else "")
        )
    if not converged:
        out.append(
            "retries and load did not settle: a retry storm (each retry adds load that causes "
            "more timeouts); the figures are those of the last round"
        )
    return out


def _warnings(solved: Mapping[str, _Solved], compiled: Compiled) -> list[str]:
    out: list[str] = []
    for s in solved.values():
        if s.saturated:
            out.append(
                f"{s.load.name} is saturated at {s.utilization:.0%} utilisation: capacity "
                f"must grow ×{s.growth:.2f} (×{s.growth / WARN_UTILIZATION:.2f} to get under "
                f"{WARN_UTILIZATION:.0%})"
            )
        elif s.utilization >= WARN_UTILIZATION and s.load.station == "queue":
            out.append(
                f"{s.load.name} runs at {s.utilization:.0%} utilisation "
                f"(warning from {WARN_UTILIZATION:.0%}): queues grow fast near saturation"
            )
        if s.p_block > 0.001:
            out.append(f"{s.load.name} rejects {s.p_block:.2%} of arrivals (queue limit reached)")
    out.extend(compiled.notes)
    return out
