"""Runs the kernel: state set-up, chunks, growth, budgets, replications and the result.

The engine reads no clock of its own: a caller that wants a wall-clock budget or a progress
bar passes ``clock`` and ``progress``; randomness comes only from ``seed``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from staffpath.design.catalog import Catalog, Resolved, load_catalog, resolve
from staffpath.design.load import load_text
from staffpath.design.model import Design
from staffpath.engine.simulate import kernel as K  # noqa: N812 - the kernel, used everywhere
from staffpath.engine.simulate.program import Program, compile_program
from staffpath.engine.simulate.rng import seeded_state, ziggurat_tables
from staffpath.errors import SimulationBudgetError

_kernel = cast(Callable[..., int], K.run)

HIST_BINS = 2800  # 1% bins from 0.1 µs to beyond a day
TL_BINS = 600  # 5% bins for the timeline
BUCKETS = 100
CHUNK = 1_000_000
DRAIN_S = 1.0  # simulated seconds of arrivals the event budget allows for the measured to finish
CAUSES = ("timeout", "rejected", "failed")
# Where each flow's latency distribution is sampled for charts: every 2% and the far tail.
CDF_PROBS = (*(k / 50 for k in range(1, 50)), 0.99, 0.995, 0.999)

Clock = Callable[[], float]
Progress = Callable[[float], None]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Interval(_Frozen):
    """A 95% confidence interval across replications."""

    low: float
    high: float


class FlowSim(_Frozen):
    count: int
    arrivals: int
    mean_ms: float | None
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    p999_ms: float | None
    error_rate: float
    errors: dict[str, int]
    throughput_rps: float
    mean_ci_ms: Interval | None = None
    p99_ci_ms: Interval | None = None
    cdf_ms: list[tuple[float, float]] = Field(default_factory=list)
    """(probability, latency in ms) at :data:`CDF_PROBS`: the distribution, for charts."""


class ComponentSim(_Frozen):
    utilization: float
    mean_wait_ms: float | None
    mean_queue: float
    mean_in_system: float
    mean_sojourn_ms: float | None
    completed_rps: float
    rejected: int
    failed: int


class Bucket(_Frozen):
    start_s: float
    end_s: float
    arrivals: int
    completed: int
    errors: dict[str, int]
    throughput_rps: float
    p50_ms: float | None
    p99_ms: float | None


class Conservation(_Frozen):
    arrived: int
    completed: int
    failed: int
    in_flight: int


class Simulation(_Frozen):
    design: str
    requests: int
    seed: int
    replications: int
    simulated_s: float
    warmup_s: float
    events: int
    throughput_rps: float
    flows: dict[str, FlowSim]
    components: dict[str, ComponentSim]
    timeline: list[Bucket]
    conservation: Conservation


@lru_cache(maxsize=1)
def _ziggurat() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return ziggurat_tables()


@dataclass
class _Run:
    program: Program
    state: dict[str, np.ndarray]
    stats: dict[str, np.ndarray]


def _flat(name: str, table: np.ndarray) -> np.ndarray:
    """The view the kernel takes of a table: flat for those in ``kernel.FLAT_TABLES``."""
    if name not in K.FLAT_TABLES:
        return table
    assert table.ndim == 2 and table.shape[1] == K.FLAT_TABLES[name], name
    return table.reshape(-1)  # a view: the tables are C-contiguous


def _queue_floats(nq: int) -> np.ndarray:
    """Per queue: busy area, waiting area, (unused), wait sum, sojourn sum, and the service
    time multiplier of its component (1: not slowed), copied here from ``compf`` so that
    starting work reads one row."""
    qf = np.zeros((nq, 6))
    qf[:, 5] = 1.0
    return qf


def _zeros_free(n: int) -> np.ndarray:
    return np.arange(n, dtype=np.int64)


STATE = (
    "sf",
    "si",
    "hv",
    "hid",
    "ev",
    "ev_free",
    "tk",
    "tok_free",
    "rq",
    "rqf",
    "req_free",
    "jn",
    "join_free",
    "jb",
    "jbf",
    "job_free",
    "q",
    "qf",
    "qc",
    "compf",
    "compi",
    "stack",
    "fails",
    "rng",
)
STATS = ("f_hist", "f_cnt", "f_sum", "tl_hist", "tl_cnt")


def _new_state(
    program: Program,
    *,
    rate: float,
    warmup: float,
    horizon: float,
    bucket: float,
    target: int,
    deterministic: bool,
    caps: Mapping[str, int],
) -> dict[str, np.ndarray]:
    nq = len(program.queue_names)
    nc = len(program.component_names)
    sf = np.zeros(8)
    sf[K.F_HORIZON] = horizon
    sf[K.F_WARMUP] = warmup
    sf[K.F_BUCKET] = bucket
    sf[K.F_RATE] = rate
    sf[K.F_MAXMULT] = max([1.0, *(float(m) for m in program.schedule[:, 1])])
    si = np.zeros(20, dtype=np.int64)
    si[K.I_TARGET] = target
    si[K.I_DETERMINISTIC] = 1 if deterministic else 0
    ntok, njob, nreq, njoin, nheap = (caps[k] for k in ("tok", "job", "req", "join", "heap"))
    si[K.I_TOK_FREE], si[K.I_JOB_FREE] = ntok, njob
    si[K.I_REQ_FREE], si[K.I_JOIN_FREE] = nreq, njoin
    q = np.zeros((nq, 8), dtype=np.int64)
    q[:, 0] = program.queue_servers
    q[:, 2] = program.queue_limit
    q[:, 3] = q[:, 4] = -1
    q[:, 6] = program.comp[program.queue_component, 0] == K.M_DELAY  # a pure delay: no queue
    q[:, 7] = program.queue_component
    compf = np.zeros((nc, 4))
    compf[:, 0] = compf[:, 1] = math.inf  # no flush
    compf[:, 2] = 1.0  # not slowed
    return {
        "sf": sf,
        "si": si,
        "hv": np.zeros(nheap),
        "hid": np.zeros(nheap, dtype=np.int64),
        "ev": np.zeros((nheap, 4), dtype=np.int64),
        "ev_free": np.arange(nheap, dtype=np.int64),
        "tk": np.zeros((ntok, 8), dtype=np.int64),
        "tok_free": np.arange(ntok, dtype=np.int64),
        "rq": np.zeros((nreq, 4), dtype=np.int64),
        "rqf": np.zeros(nreq),
        "req_free": np.arange(nreq, dtype=np.int64),
        "jn": np.zeros((njoin, 8), dtype=np.int64),
        "join_free": np.arange(njoin, dtype=np.int64),
        "jb": _jobs(njob),
        "jbf": np.zeros((njob, 3)),
        "job_free": np.arange(njob, dtype=np.int64),
        "q": q,
        "qf": _queue_floats(nq),
        "qc": np.zeros((nq, 5), dtype=np.int64),
        "compf": compf,
        "compi": np.zeros((nc, 2), dtype=np.int64),
        "rng": np.zeros(4, dtype=np.uint64),
        "stack": np.zeros(ntok, dtype=np.int64),
        "fails": np.zeros((ntok, 2), dtype=np.int64),
    }


def _jobs(n: int) -> np.ndarray:
    jobs = np.zeros((n, 8), dtype=np.int64)
    jobs[:, 4] = -1  # free (0: waiting, 1: in service)
    return jobs


# each pool: (table, float twin, free list, free register)
_POOLS = (
    ("tk", None, "tok_free", K.I_TOK_FREE),
    ("rq", "rqf", "req_free", K.I_REQ_FREE),
    ("jn", None, "join_free", K.I_JOIN_FREE),
    ("jb", "jbf", "job_free", K.I_JOB_FREE),
)


def _grow(state: dict[str, np.ndarray], margin: int) -> None:
    """Double every pool short of room, and the heap; rows in use keep their indices."""
    si = state["si"]
    for table, twin, free, reg in _POOLS:
        if si[reg] >= 2 * margin:
            continue
        n = state[table].shape[0]
        extra = _jobs(n) if table == "jb" else np.zeros_like(state[table])
        state[table] = np.concatenate([state[table], extra])
        if twin is not None:
            state[twin] = np.concatenate([state[twin], np.zeros_like(state[twin])])
        fl = np.zeros(2 * n, dtype=np.int64)
        top = int(si[reg])
        fl[:top] = state[free][:top]
        fl[top : top + n] = np.arange(n, 2 * n, dtype=np.int64)
        si[reg] = top + n
        state[free] = fl
        if table == "tk":
            state["stack"] = np.zeros(2 * n, dtype=np.int64)
            state["fails"] = np.zeros((2 * n, 2), dtype=np.int64)
    heap_n = state["hv"].shape[0]
    queued = int(state["q"][:, 1].sum() + state["q"][:, 5].sum())
    if heap_n - si[K.I_HEAP] < 8 * margin + 2 * queued:
        grow = max(heap_n, 2 * queued + 8 * margin)
        state["hv"] = np.concatenate([state["hv"], np.zeros(grow)])
        state["hid"] = np.concatenate([state["hid"], np.zeros(grow, dtype=np.int64)])
        state["ev"] = np.concatenate([state["ev"], np.zeros((grow, 4), dtype=np.int64)])
        slots = np.zeros(heap_n + grow, dtype=np.int64)
        top = int(si[K.I_EV_FREE])
        slots[:top] = state["ev_free"][:top]
        slots[top : top + grow] = np.arange(heap_n, heap_n + grow, dtype=np.int64)
        si[K.I_EV_FREE] = top + grow
        state["ev_free"] = slots
    # the token pool must hold every job that a capacity cut may fail at once
    if state["tk"].shape[0] < 2 * queued + 2 * margin:
        _grow_tokens(state, 2 * queued + 2 * margin)


def _grow_tokens(state: dict[str, np.ndarray], size: int) -> None:
    si = state["si"]
    n = state["tk"].shape[0]
    extra = size - n
    state["tk"] = np.concatenate([state["tk"], np.zeros((extra, 8), dtype=np.int64)])
    fl = np.zeros(size, dtype=np.int64)
    top = int(si[K.I_TOK_FREE])
    fl[:top] = state["tok_free"][:top]
    fl[top : top + extra] = np.arange(n, size, dtype=np.int64)
    si[K.I_TOK_FREE] = top + extra
    state["tok_free"] = fl
    state["stack"] = np.zeros(size, dtype=np.int64)
    state["fails"] = np.zeros((size, 2), dtype=np.int64)


def _quantiles(hist: np.ndarray, probs: Sequence[float], log_g: float) -> list[float | None]:
    """The ``probs``-quantiles of a log-binned histogram, each interpolated inside its bin
    (log-linear): one cumulative sum and one search for them all."""
    cum = np.cumsum(hist)
    total = int(cum[-1]) if len(cum) else 0
    if total == 0:
        return [None] * len(probs)
    ranks = [p * total for p in probs]
    last = len(hist) - 1
    out: list[float | None] = []
    for rank, k in zip(ranks, np.searchsorted(cum, ranks).tolist(), strict=True):
        k = min(k, last)
        below = float(cum[k - 1]) if k > 0 else 0.0
        inside = (rank - below) / float(hist[k]) if hist[k] > 0 else 0.5
        out.append(float(K.HIST_X0 * math.exp((k + min(max(inside, 0.0), 1.0)) * log_g)))
    return out


def _percentile(hist: np.ndarray, p: float, log_g: float) -> float | None:
    """The p-quantile of a log-binned histogram (see :func:`_quantiles`)."""
    return _quantiles(hist, (p,), log_g)[0]


def _one(
    design: Design,
    program: Program,
    *,
    requests: int | None,
    duration: float | None,
    seed: int,
    warmup: float | None,
    deterministic: bool,
    max_events: int,
    clock: Clock | None,
    budget_s: float | None,
    progress: Progress | None,
) -> _Run:
    rate = program.total_rate
    if rate <= 0:
        raise SimulationBudgetError("the design has no traffic to simulate")
    if duration is not None:
        horizon_est = duration
    else:
        assert requests is not None
        horizon_est = requests / rate
    if warmup is not None:
        wu = warmup
    else:
        # a tenth of the run, but over before the first scripted event so that it is seen
        wu = 0.1 * horizon_est
        scripted = [float(t) for t in program.actions_t if t > 0]
        scripted += [float(t) for t in program.schedule[:, 0] if t > 0]
        if scripted:
            wu = min(wu, 0.5 * min(scripted))
    if duration is None:
        horizon_est += wu
    target = -1 if requests is None else requests
    horizon = duration if duration is not None else math.inf
    in_flight_est = int(rate * 0.05) + 64
    caps = {
        "tok": max(4096, in_flight_est * 4),
        "req": max(4096, in_flight_est * 2),
        "join": 1024,
        "job": max(4096, in_flight_est * 4),
        "heap": max(16384, in_flight_est * 8),
    }
    state = _new_state(
        program,
        rate=rate,
        warmup=wu,
        horizon=horizon,
        bucket=horizon_est / BUCKETS,
        target=target,
        deterministic=deterministic,
        caps=caps,
    )
    nf = len(program.flow_names)
    stats = {
        "f_hist": np.zeros((nf, HIST_BINS), dtype=np.int64),
        "f_cnt": np.zeros((nf, 5), dtype=np.int64),
        "f_sum": np.zeros((nf, 2)),
        "tl_hist": np.zeros((BUCKETS, TL_BINS), dtype=np.int64),
        "tl_cnt": np.zeros((BUCKETS, 5), dtype=np.int64),
    }
    prog = (
        _flat("code", program.code),
        _flat("fcode", program.fcode),
        program.branches,
        program.flow_start,
        program.flow_cum,
        program.schedule,
        _flat("comp", program.comp),
        program.actions_i,
        program.actions_f,
        *_ziggurat(),
    )
    margin = 64 + 8 * program.code.shape[0] * program.max_fork
    K.seed(seed)
    state["rng"] = seeded_state(seed)
    # the first events: an arrival at 0 and every scripted action, numbered in time order (the
    # arrival first among equals). The arrival waits beside the heap; a sorted array is a heap.
    first = [(0.0, K.E_ARRIVAL, 0)] + [
        (float(t), K.E_ACTION, i) for i, t in enumerate(program.actions_t)
    ]
    first.sort(key=lambda e: e[0])
    si0 = state["si"]
    slot = 0
    for n, (t, kind, a) in enumerate(first):
        if kind == K.E_ARRIVAL:
            state["sf"][K.F_NEXT_ARRIVAL] = t
            si0[K.I_ARRIVAL_SEQ] = n
            continue
        state["hv"][slot] = t
        state["hid"][slot] = slot
        state["ev"][slot] = (kind, a, 0, n)
        slot += 1
    si0[K.I_HEAP] = slot
    si0[K.I_SEQ] = len(first)
    state["ev_free"][: len(state["ev_free"]) - slot] = np.arange(
        slot, len(state["ev_free"]), dtype=np.int64
    )
    si0[K.I_EV_FREE] = len(state["ev_free"]) - slot
    started = clock() if clock is not None else 0.0
    while True:
        status = _kernel(
            *prog, *(_flat(k, state[k]) for k in STATE), *(stats[k] for k in STATS), CHUNK, margin
        )
        if status == K.ST_DONE:
            break
        if status == K.ST_GROW:
            _grow(state, margin)
            continue
        events = int(state["si"][K.I_EVENTS])
        if events > max_events:
            raise SimulationBudgetError(
                f"the simulation passed its budget of {max_events:,} events at "
                f"t = {state['sf'][K.F_NOW]:.1f} s without finishing: the model does not drain "
                "(a saturated component or a retry storm?); see `staffpath analyze`"
            )
        if clock is not None and budget_s is not None and clock() - started > budget_s:
            raise SimulationBudgetError(
                f"the simulation passed its wall-clock budget of {budget_s:g} s; "
                "lower --requests or raise --budget"
            )
        if progress is not None:
            done = (
                state["si"][K.I_MEASURED] / requests
                if requests
                else min(state["sf"][K.F_NOW] / (duration or 1.0), 1.0)
            )
            progress(min(float(done), 1.0))
    if progress is not None:
        progress(1.0)
    return _Run(program, state, stats)


def simulate(
    design: Design,
    *,
    requests: int | None = None,
    duration: float | None = None,
    seed: int = 1,
    at: float | None = None,
    replications: int = 1,
    warmup: float | None = None,
    max_events: int | None = None,
    clock: Clock | None = None,
    budget_s: float | None = None,
    progress: Progress | None = None,
    catalog: Catalog | None = None,
) -> Simulation:
    """Simulate ``design`` request by request.

    Give ``requests`` (measured requests after the warm-up) or ``duration`` (simulated
    seconds); by default 1,000,000 requests, or, when the design scripts failures or a
    schedule, long enough to see them end. ``at`` simulates another total rate. Replication
    ``i`` uses seed ``seed + i``.
    """
    catalog = catalog or load_catalog()
    resolved: dict[str, Resolved] = {n: resolve(c, catalog) for n, c in design.components.items()}
    base = compile_program(design, resolved)
    scale = 1.0 if at is None or base.total_rate <= 0 else at / base.total_rate
    program = base if scale == 1.0 else compile_program(design, resolved, scale=scale)
    if requests is None and duration is None:
        ends = [f.at + (f.for_ or 0.0) for f in design.failures]
        ends += [p.at + p.ramp for p in design.workload.schedule]
        if ends:
            duration = max(ends) * 1.25 + 10.0
        else:
            requests = 1_000_000
    deterministic = design.workload.arrivals == "deterministic"
    if max_events is None:
        # the run's requests, and DRAIN_S more of arrivals while the last measured ones finish
        # (at a million requests a second, a short run's drain is most of its events)
        expected = (requests or int(program.total_rate * (duration or 0.0))) * 1.2
        expected += program.total_rate * DRAIN_S
        max_events = int(expected * (8 * program.code.shape[0] + 20)) + 1_000_000
    runs = []
    for i in range(max(replications, 1)):

        def part(x: float, i: int = i) -> None:
            if progress is not None:
                progress((i + x) / max(replications, 1))

        runs.append(
            _one(
                design,
                program,
                requests=requests,
                duration=duration,
                seed=seed + i,
                warmup=warmup,
                deterministic=deterministic,
                max_events=max_events,
                clock=clock,
                budget_s=budget_s,
                progress=part if progress is not None else None,
            )
        )
    return _result(design, runs, seed=seed, requests=requests)


_WARM = """\
name: warm-up
workload: {flows: {f: {rate: 10/s, steps: [s]}}}
components:
  s: {kind: service, service_time: 1ms}
"""


def warm() -> None:
    """Compile the kernel now (or load it from numba's cache): the first compile takes tens of
    seconds, which set-up spends so that a person's first simulation does not."""
    simulate(load_text(_WARM).design, requests=100)


def _result(design: Design, runs: list[_Run], *, seed: int, requests: int | None) -> Simulation:
    program = runs[0].program
    first = runs[0]
    sf, si = first.state["sf"], first.state["si"]
    warm = float(sf[K.F_WARMUP])
    # pool the replications' histograms and counts for point estimates
    f_hist = np.sum([r.stats["f_hist"] for r in runs], axis=0)
    f_cnt = np.sum([r.stats["f_cnt"] for r in runs], axis=0)
    f_sum = np.sum([r.stats["f_sum"] for r in runs], axis=0)
    windows = [
        max(
            float(min(r.state["sf"][K.F_HORIZON], r.state["sf"][K.F_END]))
            - float(r.state["sf"][K.F_WARMUP]),
            1e-12,
        )
        for r in runs
    ]
    total_window = sum(windows)
    flows: dict[str, FlowSim] = {}
    for fi, name in enumerate(program.flow_names):
        ok = int(f_cnt[fi, 0])
        errs = {c: int(f_cnt[fi, 1 + k]) for k, c in enumerate(CAUSES)}
        arrivals = int(f_cnt[fi, 4])
        probs = (0.5, 0.95, 0.99, 0.999, *CDF_PROBS)
        ms = {
            p: None if v is None else v * 1e3
            for p, v in zip(probs, _quantiles(f_hist[fi], probs, K.HIST_LOG_G), strict=True)
        }

        mean_ci = p99_ci = None
        if len(runs) > 1:
            means = [
                r.stats["f_sum"][fi, 0] / r.stats["f_cnt"][fi, 0] * 1e3
                for r in runs
                if r.stats["f_cnt"][fi, 0] > 0
            ]
            p99s = [
                v * 1e3
                for r in runs
                if (v := _percentile(r.stats["f_hist"][fi], 0.99, K.HIST_LOG_G)) is not None
            ]
            mean_ci = _interval(means)
            p99_ci = _interval(p99s)
        flows[name] = FlowSim(
            count=ok,
            arrivals=arrivals,
            mean_ms=float(f_sum[fi, 0] / ok * 1e3) if ok else None,
            p50_ms=ms[0.5],
            p95_ms=ms[0.95],
            p99_ms=ms[0.99],
            p999_ms=ms[0.999],
            error_rate=(sum(errs.values()) / arrivals) if arrivals else 0.0,
            errors=errs,
            throughput_rps=ok / total_window,
            mean_ci_ms=mean_ci,
            p99_ci_ms=p99_ci,
            cdf_ms=[(p, v) for p in CDF_PROBS if (v := ms[p]) is not None],
        )
    components: dict[str, ComponentSim] = {}
    for ci, name in enumerate(program.component_names):
        qs = [i for i, c in enumerate(program.queue_component) if c == ci]
        servers = sum(int(program.queue_servers[i]) for i in qs)
        busy = sum(float(r.state["qf"][i, 0]) for r in runs for i in qs)
        waiting = sum(float(r.state["qf"][i, 1]) for r in runs for i in qs)
        wait_sum = sum(float(r.state["qf"][i, 3]) for r in runs for i in qs)
        soj_sum = sum(float(r.state["qf"][i, 4]) for r in runs for i in qs)
        started = sum(int(r.state["qc"][i, 0]) for r in runs for i in qs)
        completed = sum(int(r.state["qc"][i, 1]) for r in runs for i in qs)
        delay = program.comp[ci, 0] == 3
        components[name] = ComponentSim(
            utilization=0.0 if delay or servers == 0 else busy / (servers * total_window),
            mean_wait_ms=wait_sum / started * 1e3 if started else None,
            mean_queue=waiting / total_window,
            mean_in_system=(busy + waiting) / total_window,
            mean_sojourn_ms=soj_sum / completed * 1e3 if completed else None,
            completed_rps=completed / total_window,
            rejected=sum(int(r.state["qc"][i, 2]) for r in runs for i in qs),
            failed=sum(int(r.state["qc"][i, 3]) for r in runs for i in qs),
        )
    tl_hist, tl_cnt = first.stats["tl_hist"], first.stats["tl_cnt"]
    width = float(sf[K.F_BUCKET])
    timeline = []
    for b in range(tl_cnt.shape[0]):
        if b * width > float(sf[K.F_END]):
            break
        p50, p99 = _quantiles(tl_hist[b], (0.5, 0.99), K.TL_LOG_G)
        timeline.append(
            Bucket(
                start_s=b * width,
                end_s=(b + 1) * width,
                arrivals=int(tl_cnt[b, 0]),
                completed=int(tl_cnt[b, 1]),
                errors={c: int(tl_cnt[b, 2 + k]) for k, c in enumerate(CAUSES)},
                throughput_rps=int(tl_cnt[b, 1]) / width,
                p50_ms=None if p50 is None else p50 * 1e3,
                p99_ms=None if p99 is None else p99 * 1e3,
            )
        )
    measured = int(sum(int(r.state["si"][K.I_MEASURED]) for r in runs))
    ok_all = sum(f.count for f in flows.values())
    return Simulation(
        design=design.name,
        requests=measured,
        seed=seed,
        replications=len(runs),
        simulated_s=float(sf[K.F_END]),
        warmup_s=warm,
        events=int(sum(int(r.state["si"][K.I_EVENTS]) for r in runs)),
        throughput_rps=ok_all / total_window,
        flows=flows,
        components=components,
        timeline=timeline,
        conservation=Conservation(
            arrived=int(si[K.I_ARRIVED]),
            completed=int(si[K.I_OK]),
            failed=int(si[K.I_FAILED]),
            in_flight=int(si[K.I_INFLIGHT]),
        ),
    )


def _interval(values: list[float]) -> Interval | None:
    if len(values) < 2:
        return None
    from scipy import stats

    n = len(values)
    m = float(np.mean(values))
    half = float(stats.t.ppf(0.975, n - 1) * np.std(values, ddof=1) / math.sqrt(n))
    return Interval(low=m - half, high=m + half)
