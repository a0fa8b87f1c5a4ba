"""A design compiled for the simulator: flat arrays the event kernel can run.

Nothing here imports numba. The kernel (:mod:`.kernel`) runs three tables:

- **queues**: every place a request can wait. A component is one pooled queue
  (``replicas × shards × concurrency`` servers, the analytic model's station), or one queue
  per replica behind a load-balancing policy, or a primary queue plus a replicas queue when
  operations run ``on: primary``. Delay kinds (client, DNS, CDN edge) never queue.
- **code**: each flow's steps as instructions: VISIT (with its service law, timeout and
  retries), HIT (a cache's branch), FORK / BRANCH_END (``parallel`` and ``fanout``), END.
- **actions**: the scripted failures as timed changes: capacity down and back, a cache
  flushed and warming up, a component slowed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from staffpath.design.catalog import Resolved
from staffpath.design.model import Component, Design, Failure, Parallel, ServiceTime, Step, Visit
from staffpath.design.summary import flow_rates

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]

# instructions
OP_VISIT, OP_HIT, OP_FORK, OP_BEND, OP_END = 1, 2, 3, 4, 5
# distributions
D_EXP, D_DET, D_LOGN, D_GAMMA = 0, 1, 2, 3
DISTS = {"exponential": D_EXP, "deterministic": D_DET, "lognormal": D_LOGN, "gamma": D_GAMMA}
# where a visit goes
R_ANY, R_PRIMARY, R_ALL = 0, 1, 2
# component modes
M_POOLED, M_BALANCED, M_SPLIT, M_DELAY = 0, 1, 2, 3
POLICIES = {"pooled": 0, "round_robin": 0, "random": 1, "least_connections": 2, "power_of_two": 3}
# actions
A_CAPACITY, A_FLUSH, A_SLOW = 1, 2, 3

DEFAULT_FLUSH_WARMUP = 60.0
"""Seconds a flushed cache takes to warm back up when the failure gives no ``for``."""


@dataclass
class Program:
    """Everything the kernel needs to know about the design, as arrays."""

    flow_names: list[str]
    component_names: list[str]
    queue_names: list[str]
    queue_component: I64
    queue_servers: I64  # servers when everything is up
    queue_limit: I64  # waiting room (-1: unbounded)
    comp: I64  # [component, (mode, first queue, n queues, policy, replicas)]
    code: I64  # [pc, 8]
    fcode: F64  # [pc, 6]
    branches: I64  # branch start pcs, indexed by FORK's ic[3]
    flow_start: I64
    flow_cum: F64  # cumulative probability of each flow among arrivals
    total_rate: float
    schedule: F64  # [phase, (at, multiplier, ramp)]
    actions_t: F64
    actions_i: I64  # [action, (kind, target, delta, _)]
    actions_f: F64  # [action, (value, end)]
    max_fork: int


def compile_program(
    design: Design, resolved: Mapping[str, Resolved], *, scale: float = 1.0
) -> Program:
    """Flatten ``design`` for the kernel; ``scale`` multiplies every flow's rate."""
    comps = list(design.components)
    index = {name: i for i, name in enumerate(comps)}
    queue_names: list[str] = []
    queue_component: list[int] = []
    queue_servers: list[int] = []
    queue_limit: list[int] = []
    comp_rows: list[list[int]] = []

    primary_ops = _primary_components(design, resolved)
    for name in comps:
        c, r = design.components[name], resolved[name]
        first = len(queue_names)
        k = r.concurrency

        def add(
            label: str,
            servers: int,
            replicas: int,
            comp_name: str = name,
            per_replica: int | None = c.queue_limit,
        ) -> None:
            queue_names.append(label)
            queue_component.append(index[comp_name])
            queue_servers.append(servers)
            queue_limit.append(-1 if per_replica is None else per_replica * replicas)

        if r.station == "delay":
            add(name, 1, c.replicas)  # no servers to count: 1 means up, 0 down
            comp_rows.append([M_DELAY, first, 1, 0, c.replicas])
        elif c.replicas > 1 and name in primary_ops:
            add(f"{name}.primary", c.shards * k, 1)
            add(f"{name}.replicas", (c.replicas - 1) * c.shards * k, c.replicas - 1)
            comp_rows.append([M_SPLIT, first, 2, 0, c.replicas])
        elif c.balancing != "pooled" and c.replicas * c.shards > 1:
            n = c.replicas * c.shards
            for i in range(n):
                add(f"{name}[{i}]", k, 1)
            comp_rows.append([M_BALANCED, first, n, POLICIES[c.balancing], c.replicas])
        else:
            add(name, c.replicas * c.shards * k, c.replicas)
            comp_rows.append([M_POOLED, first, 1, 0, c.replicas])

    code: list[list[int]] = []
    fcode: list[list[float]] = []
    branches: list[int] = []
    flow_start: list[int] = []
    max_fork = 1

    def emit(ops: list[int], fs: list[float] | None = None) -> int:
        code.append(ops + [0] * (8 - len(ops)))
        f = fs or []
        fcode.append(f + [0.0] * (6 - len(f)))
        return len(code) - 1

    def visit(v: Visit) -> None:
        r = resolved[v.component]
        if v.operation is None:
            service: ServiceTime = r.service_time
            route = R_ANY
        else:
            op = r.operations[v.operation]
            service = op
            route = {"any": R_ANY, "primary": R_PRIMARY, "all": R_ALL}[op.on]
        retries = v.retries.attempts if v.retries is not None else 0
        backoff = v.retries.backoff if v.retries is not None else 0.0
        mult = v.retries.multiplier if v.retries is not None else 1.0
        mode, first = comp_rows[index[v.component]][:2]
        # a single queue (pooled or a pure delay) is named here, so the kernel need not look
        fixed = first if mode in (M_POOLED, M_DELAY) else -1
        emit(
            [OP_VISIT, index[v.component], route, DISTS[service.dist], retries, fixed],
            [service.mean, service.cv or 0.0, v.timeout or 0.0, backoff, mult],
        )

    def steps(items: list[Step]) -> None:
        nonlocal max_fork
        for step in items:
            if isinstance(step, Parallel):
                fork = emit([OP_FORK, len(step.branches), 0 if step.join == "all" else 1, 0, 0])
                starts: list[int] = []
                for branch in step.branches:
                    starts.append(len(code))
                    steps(branch)
                    emit([OP_BEND])
                code[fork][3] = len(branches)
                branches.extend(starts)
                code[fork][4] = len(code)
                max_fork = max(max_fork, len(step.branches))
                continue
            if step.fanout > 1:
                fork = emit([OP_FORK, step.fanout, 0 if step.join == "all" else 1, 0, 0])
                start = len(code)
                visit(step)
                emit([OP_BEND])
                code[fork][3] = len(branches)
                branches.extend([start] * step.fanout)
                code[fork][4] = len(code)
                max_fork = max(max_fork, step.fanout)
            else:
                visit(step)
            if step.hit is not None and step.on_miss:
                hit = emit([OP_HIT, index[step.component], 0], [step.hit])
                steps(step.on_miss)
                code[hit][2] = len(code)

    rates = {n: v * scale for n, v in flow_rates(design).items()}
    flow_names = list(design.workload.flows)
    for name in flow_names:
        flow_start.append(len(code))
        steps(design.workload.flows[name].steps)
        emit([OP_END])
    total = sum(rates.values())
    cum = np.cumsum([rates[n] / total if total > 0 else 1 / len(rates) for n in flow_names])
    cum[-1] = 1.0

    schedule = np.array(
        [(p.at, p.multiplier, p.ramp) for p in design.workload.schedule], dtype=np.float64
    ).reshape(-1, 3)
    acts = _actions(design, comps, comp_rows, resolved)
    return Program(
        flow_names=flow_names,
        component_names=comps,
        queue_names=queue_names,
        queue_component=np.array(queue_component, dtype=np.int64),
        queue_servers=np.array(queue_servers, dtype=np.int64),
        queue_limit=np.array(queue_limit, dtype=np.int64),
        comp=np.array(comp_rows, dtype=np.int64).reshape(-1, 5),
        code=np.array(code, dtype=np.int64).reshape(-1, 8),
        fcode=np.array(fcode, dtype=np.float64).reshape(-1, 6),
        branches=np.array(branches or [0], dtype=np.int64),
        flow_start=np.array(flow_start, dtype=np.int64),
        flow_cum=np.asarray(cum, dtype=np.float64),
        total_rate=total,
        schedule=schedule,
        actions_t=np.array([a[0] for a in acts], dtype=np.float64),
        actions_i=np.array([a[1] for a in acts], dtype=np.int64).reshape(-1, 4),
        actions_f=np.array([a[2] for a in acts], dtype=np.float64).reshape(-1, 2),
        max_fork=max_fork,
    )


def _primary_components(design: Design, resolved: Mapping[str, Resolved]) -> set[str]:
    out: set[str] = set()

    def walk(items: list[Step]) -> None:
        for step in items:
            if isinstance(step, Parallel):
                for b in step.branches:
                    walk(b)
                continue
            ops = resolved[step.component].operations
            if step.operation is not None and ops[step.operation].on == "primary":
                out.add(step.component)
            walk(step.on_miss or [])

    for flow in design.workload.flows.values():
        walk(flow.steps)
    return out


Action = tuple[float, list[int], list[float]]


def _actions(
    design: Design,
    comps: list[str],
    comp_rows: list[list[int]],
    resolved: Mapping[str, Resolved],
) -> list[Action]:
    """Scripted failures as timed capacity changes, flushes and slow-downs, in time order."""
    out: list[Action] = []
    index = {n: i for i, n in enumerate(comps)}

    def capacity(t0: float, t1: float | None, queue: int, servers: int) -> None:
        if servers <= 0:
            return
        out.append((t0, [A_CAPACITY, queue, -servers, 0], [0.0, 0.0]))
        if t1 is not None:
            out.append((t1, [A_CAPACITY, queue, servers, 0], [0.0, 0.0]))

    def replicas_down(name: str, which: list[int], t0: float, t1: float | None) -> None:
        """Take replicas (indices 0..R-1; 0 is the primary) of a component down."""
        c: Component = design.components[name]
        mode, q0, _, _, reps = comp_rows[index[name]]
        k = resolved[name].concurrency
        if mode == M_DELAY:
            # a delay station has no servers to count: it is down when every replica is
            if len(which) >= reps:
                capacity(t0, t1, q0, 1)
            return
        if mode == M_POOLED:
            capacity(t0, t1, q0, len(which) * c.shards * k)
        elif mode == M_BALANCED:
            for i in which:
                for s in range(c.shards):
                    capacity(t0, t1, q0 + i * c.shards + s, k)
        else:  # split: replica 0 is the primary queue, the rest share the replicas queue
            if 0 in which:
                capacity(t0, t1, q0, c.shards * k)
            others = len([i for i in which if i != 0])
            capacity(t0, t1, q0 + 1, others * c.shards * k)

    for f in sorted(design.failures, key=lambda f: f.at):
        end = f.at + f.for_ if f.for_ is not None else None
        if f.kill is not None:
            _kill(design, f, end, replicas_down)
        elif f.zone is not None:
            for name, c in design.components.items():
                zones = c.zones or []
                which = [i for i in range(c.replicas) if zones and zones[i % len(zones)] == f.zone]
                primary = comp_rows[index[name]][0] == M_SPLIT and 0 in which
                if primary and f.failover is not None:
                    # a standby in another zone takes over the primary after the failover
                    back = f.at + f.failover if end is None else min(f.at + f.failover, end)
                    replicas_down(name, [0], f.at, back)
                    which = [i for i in which if i != 0]
                if which:
                    replicas_down(name, which, f.at, end)
        elif f.flush is not None:
            warm = f.for_ if f.for_ is not None else DEFAULT_FLUSH_WARMUP
            out.append((f.at, [A_FLUSH, index[f.flush], 0, 0], [f.at, f.at + warm]))
        elif f.slow is not None:
            out.append((f.at, [A_SLOW, index[f.slow], 0, 0], [f.factor or 1.0, 0.0]))
            if end is not None:
                out.append((end, [A_SLOW, index[f.slow], 0, 0], [1.0, 0.0]))
    return sorted(out, key=lambda a: a[0])


def _kill(
    design: Design,
    f: Failure,
    end: float | None,
    replicas_down: Callable[[str, list[int], float, float | None], None],
) -> None:
    assert f.kill is not None
    name, _, part = f.kill.partition(".")
    c = design.components[name]
    if part == "primary":
        # The primary is gone until a standby takes over (``failover``), or for ``for``.
        back = f.at + f.failover if f.failover is not None else end
        if end is not None and back is not None:
            back = min(back, end)
        replicas_down(name, [0], f.at, back)
    elif part == "replica":
        replicas_down(name, [c.replicas - 1], f.at, end)
    else:
        n = f.replicas if f.replicas is not None else c.replicas
        replicas_down(name, list(range(c.replicas - n, c.replicas)), f.at, end)
