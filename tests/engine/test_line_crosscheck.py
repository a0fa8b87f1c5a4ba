"""Open queueing networks solved by staffpath and by LINE (``line-solver``), an independent engine.

Each case is a design whose stations are exactly M/M/c (exponential service, ``replicas: 1``,
``concurrency: c``, Poisson arrivals), written twice: once as staffpath YAML and once, by hand,
as a LINE open network (source, FCFS queues, sink, routing probabilities). Both engines give
exact product-form means, so per-station utilisation and mean response time, and per-flow mean
latency, must agree closely.

LINE runs its native Python MVA (``lang="python"``, the default): no Java, no network.
A flow that visits a component twice (``[api, db, api]``) becomes two LINE classes joined by a
class switch, so the route is the same, not merely its visit counts. A flow's mean latency on
the LINE side is Little's law over the flow's classes, Σ queue length / arrival rate; for flows
of one class LINE's own system response time is checked against it too. (For the
class-switched chain, line-solver 3.0.8's chain system response time counts api once:
11.54 ms where Little's law and its own per-station table give 19.74 ms.)
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

from staffpath.design.load import load_text
from staffpath.engine.analyze import Analysis, analyze

# LINE's bundled BuTools imports numpy.matlib, which numpy deprecates; nothing else is filtered.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Importing from numpy.matlib is deprecated:PendingDeprecationWarning"
)

REL = 1e-9  # both are exact product-form solutions: they agree to rounding
"""Both engines are exact here; 0.1% leaves room only for LINE's output rounding, if any."""


@dataclass(frozen=True)
class LineFlow:
    """One open flow for LINE: its rate and its routing links ``(from, to, probability)``.

    ``in`` is the source and ``out`` the sink. ``api#2`` is station ``api`` visited by the
    flow's second class, which a link from a ``#1`` node into it switches to.
    """

    rate: float  # requests per second
    links: tuple[tuple[str, str, float], ...]


def serial(*nodes: str) -> tuple[tuple[str, str, float], ...]:
    return tuple((a, b, 1.0) for a, b in zip(("in", *nodes), (*nodes, "out"), strict=True))


@dataclass(frozen=True)
class Case:
    yaml: str
    stations: dict[str, tuple[int, float]]  # name -> (servers, mean service time in seconds)
    flows: dict[str, LineFlow]


CASES = {
    "tandem": Case(
        """\
name: Tandem of three services
workload:
  flows:
    req: {rate: 100/s, steps: [a, b, c]}
components:
  a: {kind: service, replicas: 1, concurrency: 1, service_time: 4ms}
  b: {kind: service, replicas: 1, concurrency: 1, service_time: 6ms}
  c: {kind: service, replicas: 1, concurrency: 1, service_time: 8ms}
""",
        {"a": (1, 0.004), "b": (1, 0.006), "c": (1, 0.008)},
        {"req": LineFlow(100.0, serial("a", "b", "c"))},
    ),
    "cache-miss-branch": Case(
        """\
name: Cache in front of a database
workload:
  flows:
    lookup:
      rate: 100/s
      steps: [api, {cache: {hit: 80%, on_miss: [db]}}]
components:
  api: {kind: service, replicas: 1, concurrency: 1, service_time: 4ms}
  cache: {kind: service, replicas: 1, concurrency: 1, service_time: 1ms}
  db: {kind: service, replicas: 1, concurrency: 1, service_time: 30ms}
""",
        {"api": (1, 0.004), "cache": (1, 0.001), "db": (1, 0.030)},
        {
            "lookup": LineFlow(
                100.0,
                (
                    ("in", "api", 1.0),
                    ("api", "cache", 1.0),
                    ("cache", "out", 0.8),
                    ("cache", "db", 0.2),
                    ("db", "out", 1.0),
                ),
            )
        },
    ),
    "mm4-pool": Case(
        """\
name: Worker pool
workload:
  flows:
    job: {rate: 90/s, steps: [workers]}
components:
  workers: {kind: service, replicas: 1, concurrency: 4, service_time: 40ms}
""",
        {"workers": (4, 0.040)},
        {"job": LineFlow(90.0, serial("workers"))},
    ),
    "two-flows-with-revisit": Case(
        """\
name: Two flows sharing two tiers
workload:
  peak: 200/s
  flows:
    read: {share: 75%, steps: [api, db]}
    write: {share: 25%, steps: [api, db, api]}
components:
  api: {kind: service, replicas: 1, concurrency: 2, service_time: 5ms}
  db: {kind: service, replicas: 1, concurrency: 1, service_time: 3ms}
""",
        {"api": (2, 0.005), "db": (1, 0.003)},
        {
            "read": LineFlow(150.0, serial("api", "db")),
            "write": LineFlow(
                50.0,
                (
                    ("in", "api", 1.0),
                    ("api", "db", 1.0),
                    ("db", "api#2", 1.0),
                    ("api#2", "out", 1.0),
                ),
            ),
        },
    ),
}


@pytest.fixture(scope="module")
def line() -> ModuleType:
    """The ``line_solver`` package, imported without keeping its addition to ``sys.path``."""
    saved = list(sys.path)
    try:
        import line_solver
    finally:
        sys.path[:] = saved  # it prepends its own folder, which would shadow names like `utils`
    return line_solver


@dataclass(frozen=True)
class LineResult:
    utilization: dict[str, float]
    mean_response_ms: dict[str, float]
    flow_mean_ms: dict[str, float]
    system_response_ms: dict[str, float]  # LINE's own figure, for flows of one class


def _node(name: str) -> tuple[str, int]:
    station, _, phase = name.partition("#")
    return station, int(phase or 1)


def solve_with_line(ls: Any, case: Case) -> LineResult:
    model = ls.Network("crosscheck")
    source = ls.Source(model, "in")
    nodes: dict[str, Any] = {"in": source}
    for name, (servers, _) in case.stations.items():
        queue = ls.Queue(model, name, ls.SchedStrategy.FCFS)
        queue.setNumberOfServers(servers)
        nodes[name] = queue
    nodes["out"] = ls.Sink(model, "out")

    classes: dict[tuple[str, int], Any] = {}
    for flow, spec in case.flows.items():
        phases = {_node(n)[1] for link in spec.links for n in link[:2]}
        for phase in sorted(phases):
            job = ls.OpenClass(model, f"{flow}_{phase}")
            classes[flow, phase] = job
            source.setArrival(job, ls.Exp(spec.rate) if phase == 1 else ls.Disabled())
            for name, (_, mean) in case.stations.items():
                nodes[name].setService(job, ls.Exp(1.0 / mean))

    routing = model.init_routing_matrix()
    for flow, spec in case.flows.items():
        for a, b, p in spec.links:
            (na, pa), (nb, pb) = _node(a), _node(b)
            routing.set(classes[flow, pa], classes[flow, pb], nodes[na], nodes[nb], p)
    model.link(routing)

    solver = ls.MVA(model, "exact", verbose=False)
    rows = solver.getAvgTable().data
    sys_rows = solver.getAvgSysTable().data

    utilization: dict[str, float] = {}
    mean_response_ms: dict[str, float] = {}
    for name in case.stations:
        here = rows[rows["Station"].astype(str) == name]
        utilization[name] = float(here["Util"].sum())
        tput = float(here["Tput"].sum())
        mean_response_ms[name] = float((here["Tput"] * here["RespT"]).sum()) / tput * 1e3

    flow_mean_ms: dict[str, float] = {}
    system_response_ms: dict[str, float] = {}
    for flow, spec in case.flows.items():
        mine = rows[rows["JobClass"].astype(str).str.startswith(f"{flow}_")]
        flow_mean_ms[flow] = float(mine["QLen"].sum()) / spec.rate * 1e3
        single = sys_rows[sys_rows["JobClasses"].astype(str) == f"({flow}_1)"]
        if len(single) == 1:
            system_response_ms[flow] = float(single["SysRespT"].iloc[0]) * 1e3
    return LineResult(utilization, mean_response_ms, flow_mean_ms, system_response_ms)


def staffpath_analysis(case: Case) -> Analysis:
    loaded = load_text(case.yaml)
    assert loaded.warnings == ()
    return analyze(loaded.design)


@pytest.mark.parametrize("name", list(CASES))
def test_staffpath_matches_line(line: ModuleType, name: str) -> None:
    case = CASES[name]
    ours = staffpath_analysis(case)
    theirs = solve_with_line(line, case)

    assert set(ours.components) == set(case.stations)
    for comp, result in ours.components.items():
        assert result.servers == case.stations[comp][0]
        assert result.utilization == pytest.approx(theirs.utilization[comp], rel=REL), comp
        assert result.mean_response_ms == pytest.approx(theirs.mean_response_ms[comp], rel=REL), (
            comp
        )

    assert set(ours.flows) == set(case.flows)
    for flow, result in ours.flows.items():
        assert result.rate_rps == pytest.approx(case.flows[flow].rate, rel=1e-12)
        assert result.mean_ms == pytest.approx(theirs.flow_mean_ms[flow], rel=REL), flow
        if flow in theirs.system_response_ms:
            assert theirs.system_response_ms[flow] == pytest.approx(
                theirs.flow_mean_ms[flow], rel=1e-9
            ), flow


def test_every_single_class_flow_has_lines_system_response(line: ModuleType) -> None:
    """Guards the check above: LINE's system response time is really compared where it can be."""
    case = CASES["two-flows-with-revisit"]
    theirs = solve_with_line(line, case)
    assert set(theirs.system_response_ms) == {"read"}
    for name in ("tandem", "cache-miss-branch", "mm4-pool"):
        assert set(solve_with_line(line, CASES[name]).system_response_ms) == set(CASES[name].flows)


def test_line_agrees_with_closed_forms(line: ModuleType) -> None:
    """The reference itself: M/M/1 at ρ = 0.8 (mean 40 ms) and M/M/4 at ρ = 0.9."""
    tandem = solve_with_line(line, CASES["tandem"])
    assert tandem.mean_response_ms["c"] == pytest.approx(8.0 / (1 - 0.8), rel=1e-9)
    pool = solve_with_line(line, CASES["mm4-pool"])
    # M/M/4, λS = 3.6: Wq = 1.969383 S (Erlang C 0.7877533), so W = 2.969383 S with S = 40 ms.
    assert pool.mean_response_ms["workers"] == pytest.approx(2.969383 * 40.0, rel=1e-6)
    assert pool.utilization["workers"] == pytest.approx(0.9, rel=1e-12)
