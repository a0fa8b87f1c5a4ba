"""Steady-state availability of a design, with the arithmetic shown, and its single points of failure.

This is the back-of-envelope model an interviewer expects, not a simulation:

- **A component is k-of-n.** With ``n`` replicas of availability ``a`` each, it is up when at
  least ``k`` are: ``A = sum_{i=k..n} C(n,i) a^i (1-a)^(n-i)``. Any replica can serve, so
  ``k = 1``. With ``shards: s`` the data is split and a request needs only its own shard, so
  the share of requests served is one shard's availability (the chance that *all* shards are
  up, ``A_shard^s``, would be the right figure only for a scatter over every shard).
- **A primary is not a single replica.** Operations ``on: primary`` need the primary, but
  with two or more replicas a standby is promoted when it fails, so the component is still
  counted as 1-of-n. The failover gap is short and belongs to the failure simulator, not to
  this steady-state figure.
- **A flow is up when every component it must reach is.** A cache visited with ``hit`` and
  an ``on_miss`` branch is not needed (a miss falls back to the branch, so a dead cache is
  an all-miss cache), but the branch is. ``parallel`` with ``join: first`` is up when any
  branch is. Failures are assumed independent; that is the big assumption here, and it is
  why zone-level risks are reported as :class:`Spof` rather than folded into the numbers.
- **Overall** is the share of requests whose flow is up: flow availabilities weighted by
  flow rate. It is not the probability that every flow is up at once.

A component reached twice (``api`` before and after a cache, or in two parallel branches)
fails once, not twice: flow availability is computed exactly over the flow's structure by
conditioning on such shared components, so it never double-counts them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

from pydantic import BaseModel, ConfigDict

from staffpath.design.catalog import Resolved
from staffpath.design.model import Component, Design, Parallel, Step, Visit
from staffpath.errors import InternalError

HOURS_PER_MONTH = 730.0
"""The month of cloud price lists and SLAs (8,760 h / 12)."""


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ComponentAvailability(_Result):
    """One component: ``needed``-of-``replicas`` within the shard a request needs."""

    name: str
    replicas: int
    needed: int
    replica_availability: float
    availability: float
    formula: str


class FlowAvailability(_Result):
    """One flow; ``required`` are the components whose loss alone takes it down."""

    name: str
    required: list[str]
    availability: float


class Spof(_Result):
    """A component whose loss alone fails ``flows``, and why one failure is enough."""

    component: str
    reason: str
    flows: list[str]


class AvailabilityResult(_Result):
    components: dict[str, ComponentAvailability]
    flows: dict[str, FlowAvailability]
    overall: float
    downtime_minutes_per_month: float
    spofs: list[Spof]


# --- components ---------------------------------------------------------------------------------


def k_of_n(k: int, n: int, a: float) -> float:
    """Probability that at least ``k`` of ``n`` independent parts of availability ``a`` are up.

    Summed as one minus the lower tail, because real availabilities sit near 1 and the
    small failure terms are where the precision is.
    """
    if not 1 <= k <= n:
        raise InternalError(f"k-of-n needs 1 <= k <= n, found k={k}, n={n}")
    if not 0.0 <= a <= 1.0:
        raise InternalError(f"an availability lies in [0, 1], found {a}")
    if k == 1:
        return 1.0 - (1.0 - a) ** n
    down = sum(math.comb(n, i) * a**i * (1.0 - a) ** (n - i) for i in range(k))
    return min(1.0, max(0.0, 1.0 - down))


def component_availability(
    name: str,
    component: Component,
    replica_availability: float,
    *,
    needed: int = 1,
    primary: bool = False,
) -> ComponentAvailability:
    """Availability of ``component`` when ``needed`` replicas of each shard must be up.

    ``primary`` only changes the explanation: a component that must reach its primary is
    still 1-of-n, because a standby takes over (see the module docstring).
    """
    n, s, a = component.replicas, component.shards, replica_availability
    per_shard = k_of_n(needed, n, a)
    value = per_shard
    formula = (
        f"{_shape(needed, n, s)}, a = {_num(a)}: {_arithmetic(needed, n, s, a)} = {_num(value)}"
    )
    if primary:
        formula += (
            f"; on: primary, counted as 1-of-{n} because a standby is promoted when the primary"
            " fails (the failover gap is the simulator's concern)"
            if n >= 2
            else "; on: primary with no standby to promote"
        )
    return ComponentAvailability(
        name=name,
        replicas=n,
        needed=needed,
        replica_availability=a,
        availability=value,
        formula=formula,
    )


def _managed(name: str, component: Component, sla: float) -> ComponentAvailability:
    """A managed regional service is as available as its provider's SLA, however many
    capacity slices the design buys."""
    return ComponentAvailability(
        name=name,
        replicas=component.replicas,
        needed=1,
        replica_availability=sla,
        availability=sla,
        formula=f"managed regional service: the provider's figure, {_num(sla)}, whatever the "
        f"{component.replicas} capacity slice{'s' if component.replicas != 1 else ''}",
    )


def _num(x: float) -> str:
    """Enough digits to tell 99.99% from 99.999%, without float noise, and never a false 1."""
    for digits in range(12, 18):
        text = f"{x:.{digits}g}"
        if x == 1.0 or float(text) != 1.0:
            return text
    return repr(x)


def _shape(k: int, n: int, s: int) -> str:
    where = f" in the request's shard (one of {s})" if s > 1 else ""
    return f"{k}-of-{n} replica{'s' if n > 1 else ''}{where}"


def _arithmetic(k: int, n: int, s: int, a: float) -> str:
    if n == 1:
        core = _num(a)
    elif k == 1:
        core = f"1 - (1 - {_num(a)})^{n}"
    elif k == n:
        core = f"{_num(a)}^{n}"
    else:
        core = f"sum_{{i={k}..{n}}} C({n},i) * {_num(a)}^i * {_num(1.0 - a)}^({n}-i)"
    return core


# --- flows --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Node:
    """``all``: every part must be up; ``any``: one part is enough.

    ``mix`` (parts: cache, miss branch) is a cache step: with the cache up a share ``hit`` of
    requests is served there and the rest needs the miss branch; with it down, every request
    needs the branch. Its value is the share of requests served: ``h·c + m·(1 − h·c)``.
    """

    op: Literal["all", "any", "mix"]
    parts: tuple[_Expr, ...]
    hit: float = 0.0


_Expr: TypeAlias = "str | bool | _Node"
"""The structure function of a flow: a component name is up when that component is."""


def _steps(steps: Sequence[Step]) -> _Expr:
    return _node("all", [_step(step) for step in steps])


def _step(step: Step) -> _Expr:
    if isinstance(step, Parallel):
        return _node(
            "all" if step.join == "all" else "any", [_steps(branch) for branch in step.branches]
        )
    return _visit(step)


def _visit(visit: Visit) -> _Expr:
    if visit.hit is not None and visit.on_miss:
        # A dead cache is a cache that always misses: the miss branch carries every request;
        # a live one serves its hits even when the branch is down.
        return _mix(visit.hit, visit.component, _steps(visit.on_miss))
    return visit.component


def _mix(hit: float, cache: _Expr, miss: _Expr) -> _Expr:
    if isinstance(miss, bool) and miss:
        return True
    if isinstance(cache, bool) and not cache:
        return miss
    if hit == 0:
        return miss
    return _Node("mix", (cache, miss), hit)


def _node(op: Literal["all", "any"], parts: Iterable[_Expr]) -> _Expr:
    """Build a node folding constants and nested nodes of the same kind."""
    absorbing = op == "any"  # True absorbs an "any"; False absorbs an "all"
    flat: list[_Expr] = []
    for part in parts:
        if isinstance(part, bool):
            if part == absorbing:
                return absorbing
            continue
        if isinstance(part, _Node) and part.op == op:
            flat.extend(part.parts)
        else:
            flat.append(part)
    if not flat:
        return not absorbing
    return flat[0] if len(flat) == 1 else _Node(op, tuple(flat))


def _assign(expr: _Expr, name: str, up: bool) -> _Expr:
    if isinstance(expr, bool):
        return expr
    if isinstance(expr, str):
        return up if expr == name else expr
    parts = [_assign(p, name, up) for p in expr.parts]
    if expr.op == "mix":
        return _mix(expr.hit, parts[0], parts[1])
    return _node(expr.op, parts)


def _names(expr: _Expr, into: Counter[str]) -> Counter[str]:
    if isinstance(expr, str):
        into[expr] += 1
    elif isinstance(expr, _Node):
        for part in expr.parts:
            _names(part, into)
    return into


def _probability(expr: _Expr, avail: Mapping[str, float]) -> float:
    """P(expr is up) with independent components, exact even when a component repeats.

    Parts of a node are independent only if they share no component, so a repeated one is
    conditioned on (up with probability A, down with 1 - A) until none repeats.
    """
    if isinstance(expr, bool):
        return 1.0 if expr else 0.0
    counts = _names(expr, Counter())
    shared = sorted(name for name, c in counts.items() if c > 1)
    if shared:
        name = shared[0]
        a = avail[name]
        return a * _probability(_assign(expr, name, True), avail) + (1.0 - a) * _probability(
            _assign(expr, name, False), avail
        )
    return _independent(expr, avail)


def _independent(expr: _Expr, avail: Mapping[str, float]) -> float:
    if isinstance(expr, bool):
        return 1.0 if expr else 0.0
    if isinstance(expr, str):
        return avail[expr]
    values = [_independent(p, avail) for p in expr.parts]
    if expr.op == "mix":
        cache, miss = values
        return expr.hit * cache + miss * (1.0 - expr.hit * cache)
    if expr.op == "all":
        return math.prod(values)
    return 1.0 - math.prod(1.0 - v for v in values)


def _visits(steps: Sequence[Step]) -> Iterable[Visit]:
    for step in steps:
        if isinstance(step, Parallel):
            for branch in step.branches:
                yield from _visits(branch)
        else:
            yield step
            if step.on_miss:
                yield from _visits(step.on_miss)


# --- the design ---------------------------------------------------------------------------------


def availability(design: Design, resolved: Mapping[str, Resolved]) -> AvailabilityResult:
    """Component, flow and overall availability of ``design``, and its single points of failure.

    ``resolved`` holds the catalog figures of every component (``resolve`` on a checked
    design); its ``availability`` is that of one replica.
    """
    missing = sorted(set(design.components) - set(resolved))
    if missing:
        raise InternalError(f"no resolved figures for components: {', '.join(missing)}")

    flows = design.workload.flows
    on_primary = {
        v.component
        for flow in flows.values()
        for v in _visits(flow.steps)
        if v.operation is not None
        and (op := resolved[v.component].operations.get(v.operation)) is not None
        and op.on == "primary"
    }
    components = {
        name: (
            _managed(name, comp, resolved[name].availability)
            if resolved[name].managed
            else component_availability(
                name, comp, resolved[name].availability, primary=name in on_primary
            )
        )
        for name, comp in design.components.items()
    }
    avail = {name: c.availability for name, c in components.items()}

    flow_results: dict[str, FlowAvailability] = {}
    for fname, flow in flows.items():
        expr = _steps(flow.steps)
        reached = dict.fromkeys(v.component for v in _visits(flow.steps))
        required = [c for c in reached if _fails(expr, c)]
        flow_results[fname] = FlowAvailability(
            name=fname, required=required, availability=_probability(expr, avail)
        )

    overall = _weighted(design, flow_results)
    return AvailabilityResult(
        components=components,
        flows=flow_results,
        overall=overall,
        downtime_minutes_per_month=(1.0 - overall) * HOURS_PER_MONTH * 60.0,
        spofs=_spofs(design, flow_results, {n for n, r in resolved.items() if r.managed}),
    )


def _fails(expr: _Expr, component: str) -> bool:
    """Whether losing ``component`` alone, everything else up, fails any of the flow's requests
    (all of them, or the misses behind a cache)."""
    # With every component either surely up or surely down, no conditioning is needed.
    states = {name: 0.0 if name == component else 1.0 for name in _names(expr, Counter())}
    return _independent(expr, states) < 1.0


def _weighted(design: Design, flows: Mapping[str, FlowAvailability]) -> float:
    """Rate-weighted: a flow carrying 99% of requests counts 99 times one carrying 1%."""
    peak = design.workload.peak or 0.0
    rates = {
        name: flow.rate if flow.rate is not None else (flow.share or 0.0) * peak
        for name, flow in design.workload.flows.items()
    }
    total = sum(rates.values())
    if total <= 0.0:  # every flow idle: no request to weigh by, so count flows equally
        return sum(f.availability for f in flows.values()) / len(flows)
    return sum(rates[name] * f.availability for name, f in flows.items()) / total


def _spofs(design: Design, flows: Mapping[str, FlowAvailability], managed: set[str]) -> list[Spof]:
    """Components required by a flow that one replica or one zone can take out.

    Managed regional services (and the caller) are left out: their replicas are capacity
    slices, and the provider spreads them over zones.
    """
    placed = {z for comp in design.components.values() for z in comp.zones or ()}
    out: list[Spof] = []
    for name, comp in design.components.items():
        failing = [f.name for f in flows.values() if name in f.required]
        if not failing or name in managed:
            continue
        reason = _spof_reason(comp, placed)
        if reason is not None:
            out.append(Spof(component=name, reason=reason, flows=failing))
    return out


def _spof_reason(comp: Component, placed: set[str]) -> str | None:
    if comp.replicas == 1:
        return "one replica"
    if comp.zones is not None and len(comp.zones) == 1:
        return f"one zone: {comp.zones[0]}"
    if comp.zones is None and len(placed) > 1:
        # Unplaced replicas share one (unnamed) zone while the design spreads others out.
        return f"one zone: not placed, while other components use {', '.join(sorted(placed))}"
    return None
