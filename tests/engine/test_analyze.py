"""The analytic engine end to end: designs in, figures out, checked against closed forms."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffpath.design.load import load_design
from staffpath.engine.analyze import Analysis, analyze
from tests.oracles import exact_erlang_c


def one_station(c: int, rate: str, service: str, extra: str = "") -> str:
    return f"""\
name: mmc
workload: {{flows: {{f: {{rate: {rate}, steps: [s]}}}}}}
components:
  s: {{kind: service, replicas: 1, concurrency: {c}, service_time: {service}{extra}}}
"""


@pytest.mark.parametrize("c", [1, 2, 3, 5, 8, 13, 21, 34, 55, 64])
@pytest.mark.parametrize("rho", [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99])
def test_mmc_design_means_match_erlang_c(c: int, rho: float) -> None:
    """A component with one replica and concurrency c, exponential service, is M/M/c."""
    rate = Fraction(rho).limit_denominator(1000) * c * 100  # service 10 ms: μ = 100/s
    a = analyze(load_design(one_station(c, f"{float(rate)!r}/s", "10ms")))
    mu = Fraction(100)
    wq = exact_erlang_c(c, rate / mu) / (c * mu - rate)
    comp = a.components["s"]
    assert comp.utilization == pytest.approx(float(rate / (c * mu)), rel=1e-12)
    assert comp.mean_wait_ms == pytest.approx(float(wq) * 1e3, rel=1e-3, abs=1e-12)
    assert a.flows["f"].mean_ms == pytest.approx(float(wq + 1 / mu) * 1e3, rel=1e-3)


def test_mm4_worked_example_through_a_design() -> None:
    """Reference row 2: M/M/4, λ = 3.6, μ = 1: Wq = 1.969383, p99 sojourn = 12.19317."""
    a = analyze(load_design(one_station(4, "3.6/s", "1s")))
    assert a.components["s"].mean_wait_ms == pytest.approx(1969.383, rel=1e-6)
    assert a.flows["f"].p99_ms == pytest.approx(12193.17, rel=1e-2)


def test_mm2_7_worked_example_through_a_queue_limit() -> None:
    """Reference row 8: M/M/2/7, λ = 50/h, μ = 37/h → W = 0.0425 h, 2.62% blocked."""
    service = f"{1 / 37!r}h"
    a = analyze(load_design(one_station(2, "50/h", service, ", queue_limit: 5")))
    comp = a.components["s"]
    assert comp.mean_response_ms == pytest.approx(0.0425 * 3_600_000, rel=2e-3)
    assert comp.stations[0].p_block == pytest.approx(1 - 48.6876 / 50, rel=1e-4)
    assert a.flows["f"].error_rate == pytest.approx(1 - 48.6876 / 50, rel=1e-4)


TANDEM = """\
name: tandem
workload: {flows: {f: {rate: 50/s, steps: [a, b, c]}}}
components:
  a: {kind: service, replicas: 1, concurrency: 1, service_time: 10ms}
  b: {kind: service, replicas: 1, concurrency: 1, service_time: 4ms}
  c: {kind: service, replicas: 1, concurrency: 1, service_time: 15ms}
"""


def test_tandem_jackson_network_means_add_up() -> None:
    """Product form: each M/M/1 station's sojourn mean is 1/(μ − λ); the flow's is their sum."""
    a = analyze(load_design(TANDEM))
    expected = [1 / (100 - 50), 1 / (250 - 50), 1 / (1 / 0.015 - 50)]
    got = [a.components[n].mean_response_ms for n in "abc"]
    assert got == pytest.approx([e * 1e3 for e in expected], rel=1e-9)
    assert a.flows["f"].mean_ms == pytest.approx(sum(expected) * 1e3, rel=1e-9)
    assert a.bottleneck == "c"
    assert a.saturation_rps == pytest.approx(1 / 0.015, rel=1e-9)


BRANCHING = """\
name: branching
workload: {flows: {f: {rate: 400/s, steps: [front, {cache: {hit: 75%, on_miss: [db]}}]}}}
components:
  front: {kind: service, replicas: 1, concurrency: 2, service_time: 2ms}
  cache: {kind: service, replicas: 1, concurrency: 1, service_time: 1ms}
  db: {kind: service, replicas: 1, concurrency: 1, service_time: 5ms}
"""


def test_branching_jackson_network() -> None:
    """Routing 25% of cache visits on to db: λ_db = 100/s; mean = W_front + W_cache + 0.25 W_db."""
    a = analyze(load_design(BRANCHING))
    assert a.components["db"].arrival_rps == pytest.approx(100.0)
    w_db = 1 / (200 - 100)
    w_cache = 1 / (1000 - 400)
    rho = 400 * 0.002 / 2
    c = float(exact_erlang_c(2, Fraction(400 * 0.002).limit_denominator()))
    w_front = c / (2 / 0.002 - 400) + 0.002
    assert rho == pytest.approx(a.components["front"].utilization)
    expected = w_front + w_cache + 0.25 * w_db
    assert a.flows["f"].mean_ms == pytest.approx(expected * 1e3, rel=1e-9)


def test_saturation_is_reported_never_infinite() -> None:
    a = analyze(load_design(one_station(2, "300/s", "10ms")))
    comp = a.components["s"]
    assert comp.saturated
    assert comp.growth_needed == pytest.approx(1.5)
    assert comp.mean_response_ms is None
    flow = a.flows["f"]
    assert flow.p99_ms is None
    assert flow.saturated_by == ["s"]
    assert flow.error_rate == pytest.approx(1 - 1 / 1.5)
    assert any("saturated at 150%" in w for w in a.warnings)
    text = json.dumps(a.model_dump(mode="json"))
    assert "NaN" not in text
    assert "Infinity" not in text


def test_at_rescales_every_flow() -> None:
    base = analyze(load_design(BRANCHING))
    double = analyze(load_design(BRANCHING), at=800.0)
    assert double.peak_rps == pytest.approx(800.0)
    assert double.components["db"].arrival_rps == pytest.approx(200.0)
    assert double.saturation_rps == pytest.approx(base.saturation_rps)


JSON_KEYS = {
    "design",
    "peak_rps",
    "saturation_rps",
    "bottleneck",
    "components",
    "flows",
    "availability",
    "cost_per_month",
    "spofs",
    "estimates",
    "goals",
}


def test_json_contract() -> None:
    design = load_design("""\
name: contract
workload: {peak: 1k/s, flows: {read: {share: 100%, steps: [api, db.read]}}}
components:
  api: {kind: service, replicas: 3}
  db: {kind: database, replicas: 2}
data: {new_items: 100M/day, item_size: 500B, retention: 10y}
goals: {p99: 50ms, availability: 99.9%, cost: $5k/month}
""")
    data = analyze(design).model_dump(mode="json")
    assert set(data) >= JSON_KEYS
    assert set(data["components"]["api"]) >= {
        "arrival_rps",
        "servers",
        "utilization",
        "mean_wait_ms",
        "mean_response_ms",
    }
    assert set(data["flows"]["read"]) >= {
        "rate_rps",
        "mean_ms",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "availability",
    }
    names = {e["name"] for e in data["estimates"]}
    assert {"writes_avg", "storage_total", "storage_total_replicated"} <= names
    storage = next(e for e in data["estimates"] if e["name"] == "storage_total")
    assert storage["value"] == pytest.approx(100e6 / 86_400 * 500 * 10 * 365 * 86_400)
    for goal in data["goals"]:
        assert {"name", "target", "value", "met"} <= set(goal)
    json.dumps(data, allow_nan=False)


def test_goals_use_flow_overrides_and_report_margins() -> None:
    design = load_design("""\
name: goals
workload:
  flows:
    fast: {rate: 50/s, steps: [a], goals: {p99: 1ms}}
    slow: {rate: 50/s, steps: [a]}
components:
  a: {kind: service, replicas: 1, concurrency: 1, service_time: 5ms}
goals: {p99: 100ms}
""")
    a = analyze(design)
    goals = {g.name: g for g in a.goals}
    assert goals["fast.p99"].target == pytest.approx(1.0)
    assert not goals["fast.p99"].met
    assert goals["slow.p99"].met
    p99 = a.flows["slow"].p99_ms
    assert p99 is not None
    assert goals["slow.p99"].margin == pytest.approx((100 - p99) / 100)
    assert not a.meets_goals


def test_examples_analyse_to_finite_figures() -> None:
    from tests.conftest import ROOT

    for path in sorted((ROOT / "examples").glob("*.yaml")):
        a = analyze(load_design(path))
        for flow in a.flows.values():
            for value in (flow.mean_ms, flow.p50_ms, flow.p99_ms):
                assert value is None or (math.isfinite(value) and value >= 0)
        assert 0 < a.availability <= 1
        assert a.cost_per_month > 0


# --- properties -------------------------------------------------------------------------------

SHAPES = st.fixed_dictionaries(
    {
        "c1": st.integers(1, 8),
        "c2": st.integers(1, 8),
        "r1": st.integers(1, 4),
        "s1": st.floats(0.5, 20),
        "s2": st.floats(0.5, 20),
        "hit": st.integers(0, 100),
        "rate": st.floats(1, 2000),
        "dist": st.sampled_from(["exponential", "lognormal", "gamma"]),
    }
)


def design_of(p: dict[str, float], *, extra_replica: bool = False) -> str:
    cv = "" if p["dist"] == "exponential" else ", cv: 1.5"
    r1 = int(p["r1"]) + (1 if extra_replica else 0)
    return f"""\
name: prop
workload: {{flows: {{f: {{rate: {p["rate"]!r}/s, steps: [a, {{b: {{hit: {p["hit"]}%, on_miss: [c]}}}}]}}}}}}
components:
  a: {{kind: service, replicas: {r1}, concurrency: {p["c1"]}, service_time: {{mean: {p["s1"]!r}ms, dist: {p["dist"]}{cv}}}}}
  b: {{kind: cache, replicas: 1, concurrency: {p["c2"]}, service_time: {p["s2"]!r}ms}}
  c: {{kind: database, replicas: 2, concurrency: 4, service_time: 3ms}}
"""


def stable(a: Analysis) -> bool:
    return not any(c.saturated for c in a.components.values())


@settings(max_examples=40, deadline=None)
@given(SHAPES, st.floats(1.05, 3.0))
def test_latency_and_utilisation_never_fall_as_rate_grows(p: dict[str, float], k: float) -> None:
    d = load_design(design_of(p))
    lo, hi = analyze(d), analyze(d, at=p["rate"] * k)
    for name, comp in lo.components.items():
        assert hi.components[name].utilization >= comp.utilization * (1 - 1e-12)
    if stable(hi):
        f_lo, f_hi = lo.flows["f"], hi.flows["f"]
        assert f_hi.mean_ms is not None and f_lo.mean_ms is not None
        assert f_hi.mean_ms >= f_lo.mean_ms * (1 - 1e-9)
        assert f_hi.p99_ms is not None and f_lo.p99_ms is not None
        assert f_hi.p99_ms >= f_lo.p99_ms * (1 - 5e-3)


@settings(max_examples=40, deadline=None)
@given(SHAPES)
def test_percentiles_are_ordered(p: dict[str, float]) -> None:
    a = analyze(load_design(design_of(p)))
    f = a.flows["f"]
    if stable(a):
        assert f.p50_ms is not None and f.p95_ms is not None and f.p99_ms is not None
        assert f.p999_ms is not None
        assert 0 <= f.p50_ms <= f.p95_ms <= f.p99_ms <= f.p999_ms


@settings(max_examples=40, deadline=None)
@given(SHAPES)
def test_a_replica_never_makes_latency_worse(p: dict[str, float]) -> None:
    base = analyze(load_design(design_of(p)))
    more = analyze(load_design(design_of(p, extra_replica=True)))
    if stable(base):
        assert more.flows["f"].mean_ms is not None and base.flows["f"].mean_ms is not None
        assert more.flows["f"].mean_ms <= base.flows["f"].mean_ms * (1 + 1e-9)
        assert more.flows["f"].p99_ms <= base.flows["f"].p99_ms * (1 + 5e-3)  # type: ignore[operator]
    assert more.availability >= base.availability - 1e-15


@settings(max_examples=40, deadline=None)
@given(SHAPES)
def test_littles_law_holds_for_the_whole_network(p: dict[str, float]) -> None:
    """Requests in the system: Σ stations λ·W equals Σ flows rate × mean latency."""
    a = analyze(load_design(design_of(p)))
    if not stable(a):
        return
    in_stations = sum(
        s.arrival_rps * (s.mean_response_ms or 0.0)
        for c in a.components.values()
        for s in c.stations
    )
    in_flows = sum(f.rate_rps * (f.mean_ms or 0.0) for f in a.flows.values())
    assert in_stations == pytest.approx(in_flows, rel=1e-9)


def test_retries_and_timeouts_reach_the_fixed_point_of_the_scalar_equation() -> None:
    """M/M/1 (μ = 100/s) behind a 50 ms timeout with 2 retries, offered 40/s.

    A try outlasts the timeout with q = e^{−(μ − λ')t} (the sojourn is Exp(μ − λ')), and the
    station sees λ' = λ(1 + q + q²). Solved here by bisection on that one equation, with no
    engine code, for its smallest root (the stable one, which iteration from no retries
    reaches); a request fails when all three tries time out, q³.
    """
    lam, mu, t = 40.0, 100.0, 0.050

    def excess(load: float) -> float:
        q = math.exp(-(mu - load) * t)
        return lam * (1 + q + q * q) - load

    lo, hi = lam, 80.0  # excess(40) > 0 > excess(80): the first crossing
    assert excess(lo) > 0 > excess(hi)
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if excess(mid) > 0 else (lo, mid)
    load = (lo + hi) / 2
    q = math.exp(-(mu - load) * t)

    design = load_design("""\
name: retries
workload: {flows: {f: {rate: 40/s, steps: [{s: {timeout: 50ms, retries: 2}}]}}}
components:
  s: {kind: service, replicas: 1, concurrency: 1, service_time: 10ms}
""")
    a = analyze(design)
    assert a.components["s"].arrival_rps == pytest.approx(load, rel=1e-6)
    assert a.flows["f"].error_rate == pytest.approx(q**3, rel=1e-4)
    assert any("outlast the 50ms timeout" in w for w in a.warnings)


def test_a_retry_storm_is_reported_not_hidden() -> None:
    """At 60/s with a 20 ms timeout the same station has no stable point below saturation:
    λ(1 + q + q²) exceeds the load at every load. Retries push it over: a storm."""
    design = load_design("""\
name: storm
workload: {flows: {f: {rate: 60/s, steps: [{s: {timeout: 20ms, retries: 2}}]}}}
components:
  s: {kind: service, replicas: 1, concurrency: 1, service_time: 10ms}
""")
    a = analyze(design)
    comp = a.components["s"]
    assert comp.saturated
    assert a.flows["f"].error_rate > 0.5
    assert math.isfinite(comp.arrival_rps)


def test_station_wait_and_response_percentiles_match_mmc() -> None:
    """Reference row 2 again, per station: p99 wait 10.91650 s and p99 sojourn 12.19317 s."""
    a = analyze(load_design(one_station(4, "3.6/s", "1s")))
    (station,) = a.components["s"].stations
    assert station.wait_p99_ms == pytest.approx(10916.50, rel=1e-6)
    assert station.response_p99_ms == pytest.approx(12193.17, rel=1e-2)
    assert station.response_p50_ms <= station.response_p95_ms <= station.response_p99_ms  # type: ignore[operator]
