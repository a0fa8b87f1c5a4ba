"""End-to-end latency distributions against closed forms.

Every reference here is an exact formula evaluated independently of the grid: exponential
sojourns of M/M/1, the M/M/c response-time law, hypoexponential tandems, mixtures, and
max/min of independent variables; gamma and lognormal service at zero load.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from scipy import special

from staffpath.design.model import Parallel, ServiceTime, Visit
from staffpath.engine.latency import VisitLaw, flow_latency, law_of
from staffpath.engine.queueing import Station, mmc_response_quantile, solve

PCTS = {"p50": 0.5, "p90": 0.9, "p95": 0.95, "p99": 0.99, "p999": 0.999}


def invert(survival: Callable[[float], float], p: float, hi: float = 1.0) -> float:
    """Solve survival(t) = 1 − p by bisection (an independent way to get quantiles)."""
    while survival(hi) > 1 - p:
        hi *= 2
    lo = 0.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if survival(mid) > 1 - p else (lo, mid)
    return (lo + hi) / 2


def mm1(lam: float, mean: float) -> VisitLaw:
    return law_of(solve(Station(1, lam, mean)), ServiceTime.seconds(mean))


def test_mm1_percentiles_are_exponential_quantiles() -> None:
    law = mm1(0.9, 1.0)  # sojourn ~ Exp(0.1)
    lat = flow_latency([Visit(component="a")], {("a", None): law})
    assert lat.mean == pytest.approx(10.0, rel=1e-12)
    for name, p in PCTS.items():
        assert lat.quantile(name) == pytest.approx(-math.log(1 - p) / 0.1, rel=5e-3), name


@pytest.mark.parametrize("c", [1, 2, 3, 4, 8, 16, 32, 64])
@pytest.mark.parametrize("rho", [0.1, 0.5, 0.8, 0.95, 0.99])
def test_mmc_percentiles_match_the_closed_form(c: int, rho: float) -> None:
    station = Station(c, rho * c / 0.01, 0.01)
    law = law_of(solve(station), ServiceTime.seconds(0.01))
    lat = flow_latency([Visit(component="a")], {("a", None): law})
    for name in ("p50", "p95", "p99"):
        exact = mmc_response_quantile(station, PCTS[name])
        assert lat.quantile(name) == pytest.approx(exact, rel=1e-2), name


def test_tandem_of_two_mm1_is_hypoexponential() -> None:
    """Jackson tandem: sojourns are independent Exp(θ1) and Exp(θ2)."""
    a, b = mm1(50.0, 0.01), mm1(50.0, 0.004)  # θ1 = 100 − 50 = 50/s, θ2 = 250 − 50 = 200/s
    t1, t2 = 50.0, 200.0
    lat = flow_latency(
        [Visit(component="a"), Visit(component="b")], {("a", None): a, ("b", None): b}
    )
    assert lat.mean == pytest.approx(1 / t1 + 1 / t2, rel=1e-12)

    def survival(t: float) -> float:
        return (t2 * math.exp(-t1 * t) - t1 * math.exp(-t2 * t)) / (t2 - t1)

    for name, p in PCTS.items():
        assert lat.quantile(name) == pytest.approx(invert(survival, p), rel=5e-3), name


def test_a_cache_branch_is_a_mixture() -> None:
    """80% of requests end at the cache (Exp(θc)); 20% add the database (Exp(θd))."""
    cache, db = mm1(100.0, 0.001), mm1(20.0, 0.01)  # θc = 900/s, θd = 80/s
    tc, td = 900.0, 80.0
    steps = [Visit.model_validate({"component": "cache", "hit": "80%", "on_miss": ["db"]})]
    lat = flow_latency(steps, {("cache", None): cache, ("db", None): db})
    assert lat.mean == pytest.approx(1 / tc + 0.2 / td, rel=1e-12)

    def survival(t: float) -> float:
        hypo = (td * math.exp(-tc * t) - tc * math.exp(-td * t)) / (td - tc)
        return 0.8 * math.exp(-tc * t) + 0.2 * hypo

    for name, p in PCTS.items():
        assert lat.quantile(name) == pytest.approx(invert(survival, p), rel=5e-3), name


@pytest.mark.parametrize("join", ["all", "first"])
def test_parallel_joins_are_max_and_min(join: str) -> None:
    a, b = mm1(10.0, 0.05), mm1(10.0, 0.02)  # θa = 10/s, θb = 40/s
    ta, tb = 10.0, 40.0
    steps = [Parallel.model_validate({"branches": [["a"], ["b"]], "join": join})]
    lat = flow_latency(steps, {("a", None): a, ("b", None): b})

    def survival(t: float) -> float:
        sa, sb = math.exp(-ta * t), math.exp(-tb * t)
        return 1 - (1 - sa) * (1 - sb) if join == "all" else sa * sb

    expected_mean = (1 / ta + 1 / tb - 1 / (ta + tb)) if join == "all" else 1 / (ta + tb)
    assert lat.mean == pytest.approx(expected_mean, rel=5e-3)
    for name, p in PCTS.items():
        assert lat.quantile(name) == pytest.approx(invert(survival, p), rel=5e-3), name


def test_fanout_waits_for_the_slowest_of_n() -> None:
    law = mm1(10.0, 0.05)
    lat = flow_latency([Visit(component="a", fanout=3)], {("a", None): law})
    exact = -math.log(1 - 0.99 ** (1 / 3)) / 10.0  # max of 3 iid Exp(10): F^3 = 0.99
    assert lat.p99 == pytest.approx(exact, rel=5e-3)


@pytest.mark.parametrize(
    ("dist", "cv"), [("gamma", 0.5), ("gamma", 2.0), ("lognormal", 0.8), ("lognormal", 3.0)]
)
def test_service_distributions_at_zero_load(dist: str, cv: float) -> None:
    service = ServiceTime.seconds(0.004, dist, cv)  # type: ignore[arg-type]
    lat = flow_latency([Visit(component="a")], {("a", None): VisitLaw(0.0, 0.0, service)})
    for name, p in PCTS.items():
        if dist == "gamma":
            k = 1 / cv**2
            exact = float(special.gammaincinv(k, p)) * 0.004 / k
        else:
            s2 = math.log1p(cv**2)
            exact = math.exp(math.log(0.004) - s2 / 2 + math.sqrt(s2) * float(special.ndtri(p)))
        assert lat.quantile(name) == pytest.approx(exact, rel=1e-2), name


def test_deterministic_service_without_queueing_is_a_constant() -> None:
    service = ServiceTime.seconds(0.004, "deterministic")
    lat = flow_latency([Visit(component="a")] * 3, {("a", None): VisitLaw(0.0, 0.0, service)})
    for name in PCTS:
        assert lat.quantile(name) == pytest.approx(0.012, rel=1e-3)
