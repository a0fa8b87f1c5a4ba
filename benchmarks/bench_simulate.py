"""The discrete-event simulator against SimPy and Ciw on three identical queueing models.

Models (exponential inter-arrival and service times, FIFO, unbounded queues):

1. M/M/1 at 90% load (lambda = 90/s, service 10 ms);
2. M/M/4 at 90% load (lambda = 360/s, service 10 ms, one shared queue);
3. a network: load balancer (64 servers, 0.1 ms), app tier (4 servers, 10 ms, 75%), cache
   (1 server, 1 ms, 30%) visited by every request, then 70% (the misses) on to a database
   (2 servers, 4 ms, 42%). Jackson network, so the mean response time has a closed form.

Every simulator runs the same model with the same warm-up (the first 10% of the expected run,
in simulated time, as staffpath does by default) and measures the requests that arrive after
it; the figure compared is measured requests per wall-clock second. staffpath runs 10^6
requests (10^5 with ``quick``); a peer runs 10^6 too unless a pilot run says it would take
more than ~60 s, in which case it runs ``PEER_FALLBACK`` requests and the table says so.
Each mean response time is printed beside the closed form so the models are seen to agree.

numba's compile time is reported apart (never in the requests per second): the first
``simulate`` call in a fresh interpreter with an empty ``NUMBA_CACHE_DIR``, then again in a
second fresh interpreter with that cache warm.
"""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ciw
import simpy

from staffpath.design.load import load_text
from staffpath.engine.simulate import simulate

ROOT = Path(__file__).resolve().parent.parent
WARMUP = 0.1  # warm-up as a fraction of the measured run's expected length (staffpath's default)
PEER_BUDGET_S = 60.0  # a peer runs the full count only if the pilot says it fits in this
PEER_FALLBACK = 200_000
PILOT = 10_000
# One M/M/1 run at 90% load with 10^6 requests has a 1.7% standard deviation of its mean
# (20 staffpath seeds); the other models are tighter. Allow ~4 of those, scaled to the count.
TOLERANCE_AT_1M = 0.07
TARGET_SIMPY, TARGET_CIW = 100.0, 200.0
STAFFPATH_TRIES = 7


@dataclass(frozen=True)
class Station:
    name: str
    kind: str
    servers: int
    mean_s: float  # mean service time
    p: float = 1.0  # probability that a request reaching this station visits it (else leaves)


@dataclass(frozen=True)
class Model:
    name: str
    rate: float  # arrivals per second
    stations: tuple[Station, ...]
    steps: str  # the staffpath flow's steps

    def yaml(self) -> str:
        comps = "\n".join(
            f"  {s.name}: {{kind: {s.kind}, replicas: 1, concurrency: {s.servers}, "
            f"service_time: {s.mean_s * 1e3:g}ms}}"
            for s in self.stations
        )
        return (
            f"name: {self.name}\n"
            f"workload: {{flows: {{f: {{rate: {self.rate:g}/s, steps: {self.steps}}}}}}}\n"
            f"components:\n{comps}\n"
        )

    def visits(self) -> list[float]:
        """Expected visits per request to each station."""
        out, v = [], 1.0
        for s in self.stations:
            v *= s.p
            out.append(v)
        return out

    def utilisations(self) -> list[float]:
        return [
            self.rate * v * s.mean_s / s.servers
            for s, v in zip(self.stations, self.visits(), strict=True)
        ]

    def exact_mean_s(self) -> float:
        """Jackson network: the sum of each M/M/c station's mean response time, per visit."""
        return sum(
            v * mmc_response(s.servers, self.rate * v, 1.0 / s.mean_s)
            for s, v in zip(self.stations, self.visits(), strict=True)
        )


def mmc_response(c: int, lam: float, mu: float) -> float:
    """Mean response time of M/M/c (Erlang C)."""
    a = lam / mu
    assert a < c
    term, total = 1.0, 0.0
    for k in range(c):
        total += term
        term *= a / (k + 1)
    tail = term * c / (c - a)
    return tail / (total + tail) / (c * mu - lam) + 1.0 / mu


MODELS = (
    Model("M/M/1 @ 90%", 90.0, (Station("s", "service", 1, 0.010),), "[s]"),
    Model("M/M/4 @ 90%", 360.0, (Station("s", "service", 4, 0.010),), "[s]"),
    Model(
        "network lb>app>cache>70% db",
        300.0,
        (
            Station("lb", "load_balancer", 64, 0.0001),
            Station("app", "service", 4, 0.010),
            Station("cache", "cache", 1, 0.001),
            Station("db", "database", 2, 0.004, p=0.7),
        ),
        "[lb, app, {cache: {hit: 30%, on_miss: [db]}}]",
    ),
)


@dataclass(frozen=True)
class Result:
    requests: int  # measured requests completed
    seconds: float  # wall time of the whole run (warm-up and drain included)
    mean_s: float  # mean response time of the measured requests

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


# --- staffpath ---------------------------------------------------------------------------------


def run_staffpath(model: Model, n: int, seed: int) -> Result:
    design = load_text(model.yaml()).design
    start = time.perf_counter()
    sim = simulate(design, requests=n, seed=seed)
    seconds = time.perf_counter() - start
    flow = sim.flows["f"]
    assert flow.mean_ms is not None
    return Result(flow.count, seconds, flow.mean_ms / 1e3)


# --- SimPy: a process per request, a Resource per station -----------------------------------


def run_simpy(model: Model, n: int, seed: int) -> Result:
    rng = random.Random(seed)
    env = simpy.Environment()
    stations = [(simpy.Resource(env, capacity=s.servers), s.mean_s, s.p) for s in model.stations]
    warmup = WARMUP * n / model.rate
    done = env.event()
    total = [0.0]
    finished = [0]

    def request(measured: bool) -> simpy.events.ProcessGenerator:
        arrived = env.now
        for resource, mean, p in stations:
            if p < 1.0 and rng.random() >= p:
                break
            with resource.request() as slot:
                yield slot
                yield env.timeout(rng.expovariate(1.0 / mean))
        if measured:
            total[0] += env.now - arrived
            finished[0] += 1
            if finished[0] == n:
                done.succeed()

    def source() -> simpy.events.ProcessGenerator:
        measured = 0
        while True:  # arrivals go on after the last measured one, until it has drained
            yield env.timeout(rng.expovariate(model.rate))
            counted = measured < n and env.now >= warmup
            measured += counted
            env.process(request(counted))

    env.process(source())
    start = time.perf_counter()
    env.run(until=done)
    seconds = time.perf_counter() - start
    return Result(finished[0], seconds, total[0] / finished[0])


# --- Ciw: create_network with Exponential distributions and a routing matrix ----------------


def run_ciw(model: Model, n: int, seed: int) -> Result:
    k = len(model.stations)
    routing = [[0.0] * k for _ in range(k)]
    for i in range(k - 1):
        routing[i][i + 1] = model.stations[i + 1].p
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=model.rate)] + [None] * (k - 1),
        service_distributions=[ciw.dists.Exponential(rate=1.0 / s.mean_s) for s in model.stations],
        number_of_servers=[s.servers for s in model.stations],
        routing=routing,
    )
    warmup = WARMUP * n / model.rate
    start = time.perf_counter()
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    # Ciw stops on simulated time: the measured window holds n arrivals on average.
    sim.simulate_until_max_time(warmup + n / model.rate)
    responses = [
        ind.data_records[-1].exit_date - ind.data_records[0].arrival_date
        for ind in sim.nodes[-1].all_individuals
        if ind.data_records[0].arrival_date >= warmup
    ]
    seconds = time.perf_counter() - start
    return Result(len(responses), seconds, statistics.fmean(responses))


# --- numba compile time ----------------------------------------------------------------------

_PROBE = textwrap.dedent(
    """
    import json, time
    t0 = time.perf_counter()
    from staffpath.design.load import load_text
    from staffpath.engine.simulate import simulate
    from staffpath.engine.simulate import kernel
    design = load_text({yaml!r}).design
    t1 = time.perf_counter()
    simulate(design, requests=1000, seed=1)
    t2 = time.perf_counter()
    simulate(design, requests=1000, seed=1)
    t3 = time.perf_counter()
    print(json.dumps({{
        "import": t1 - t0, "first": t2 - t1, "second": t3 - t2,
        "hits": sum(kernel.run.stats.cache_hits.values()),
        "misses": sum(kernel.run.stats.cache_misses.values()),
    }}))
    """
)


def compile_probe(cache_dir: str) -> dict[str, float]:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(yaml=MODELS[0].yaml())],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


# --- the run -----------------------------------------------------------------------------------

Runner = Callable[[Model, int, int], Result]


def peer_count(runner: Runner, model: Model, n: int) -> tuple[int, float]:
    """The count a peer runs (``n``, or the fallback if ``n`` would pass the budget)."""
    if n <= PILOT:
        return n, math.nan
    pilot = runner(model, PILOT, 99)
    estimate = n / pilot.rps
    return (n if estimate <= PEER_BUDGET_S else min(n, PEER_FALLBACK)), estimate


def check(mean_s: float, exact_s: float, n: int) -> str:
    err = mean_s / exact_s - 1.0
    ok = abs(err) <= TOLERANCE_AT_1M * math.sqrt(1e6 / n)
    return f"{mean_s * 1e3:8.2f}ms {err:+7.1%} {'ok' if ok else 'OFF'}"


def run(*, quick: bool = False) -> None:
    n = 100_000 if quick else 1_000_000
    seed = 1

    with tempfile.TemporaryDirectory(prefix="staffpath-numba-") as cache:
        cold = compile_probe(cache)
        warm = compile_probe(cache)

    simulate(load_text(MODELS[0].yaml()).design, requests=1000)  # compiled (or loaded) here
    print(f"\nsimulate: staffpath vs SimPy {simpy.__version__} and Ciw {ciw.__version__}")
    print(
        f"numba (excluded from req/s): first simulate() in a fresh process takes "
        f"{cold['first']:.2f} s with an empty NUMBA_CACHE_DIR (compile, {cold['misses']:.0f} miss), "
        f"{warm['first']:.2f} s with it warm (load from cache, {warm['hits']:.0f} hit); "
        f"the same call once loaded {warm['second'] * 1e3:.1f} ms; imports {warm['import']:.2f} s"
    )
    if warm["hits"] < 1 or warm["misses"] > 0:
        print(
            "  (the second process missed the cache, so its figure is a compile too: "
            "did kernel.py change between the two probes?)"
        )
    if sys.flags.dont_write_bytecode:
        print(
            "  (PYTHONDONTWRITEBYTECODE is set: every process byte-compiles numba's own modules, "
            "which inflates the import and load-from-cache figures)"
        )
    print(
        f"ratio = staffpath req/s / peer req/s; warm-up {WARMUP:.0%} of the run; "
        "Ciw stops on simulated time, so its count is n +- sqrt(n)"
    )

    ratios: dict[tuple[str, str], float] = {}
    for model in MODELS:
        exact = model.exact_mean_s()
        util = ", ".join(
            f"{s.name} {u * 100:.2g}%"
            for s, u in zip(model.stations, model.utilisations(), strict=True)
        )
        # A run of ours lasts a few tenths of a second, so one hiccup of a shared machine moves
        # it by a fifth; the median of seven is steady (a peer's run lasts seconds to a minute).
        tries = sorted(
            (run_staffpath(model, n, seed) for _ in range(1 if quick else STAFFPATH_TRIES)),
            key=lambda r: r.seconds,
        )
        ours = tries[len(tries) // 2]
        spread = (
            f"median of {len(tries)}: {tries[0].seconds:.3f}-{tries[-1].seconds:.3f} s"
            if len(tries) > 1
            else ""
        )
        rows: list[tuple[str, Result, str]] = [("staffpath", ours, spread)]
        for label, runner in (("SimPy", run_simpy), ("Ciw", run_ciw)):
            count, estimate = peer_count(runner, model, n)
            note = "" if count == n else f"{count:,} req (10^6 est. {estimate:.0f} s)"
            rows.append((label, runner(model, count, seed), note))
        print(f"\n{model.name}: lambda {model.rate:g}/s; utilisation {util}")
        print(f"  closed-form mean response time {exact * 1e3:.2f} ms")
        print(
            f"  {'':<10} {'requests':>10} {'wall':>9} {'req/s':>11} {'ratio':>8}"
            f" {'mean':>10} {'vs exact':>8}  note"
        )
        for label, r, note in rows:
            ratio = ours.rps / r.rps
            ratios[(model.name, label)] = ratio
            line = (
                f"  {label:<10} {r.requests:>10,} {r.seconds:>8.2f}s {r.rps:>11,.0f} "
                f"{ratio:>7.1f}x {check(r.mean_s, exact, r.requests)}  {note}"
            )
            print(line.rstrip())

    net = MODELS[-1].name
    simpy_x, ciw_x = ratios[(net, "SimPy")], ratios[(net, "Ciw")]
    print(
        f"\nnetwork: staffpath is {simpy_x:.0f}x SimPy and {ciw_x:.0f}x Ciw in requests/s "
        f"(target: >= {TARGET_SIMPY:.0f}x SimPy and >= {TARGET_CIW:.0f}x Ciw on the network; "
        f"{'met' if simpy_x >= TARGET_SIMPY and ciw_x >= TARGET_CIW else 'NOT met'})"
    )
