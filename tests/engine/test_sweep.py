"""Load sweeps: curves checked against M/M/1 and M/M/c closed forms, the knee against its
definition solved independently, and monotonicity as a property."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffpath.design.load import load_design
from staffpath.design.model import Design
from staffpath.engine.analyze import analyze
from staffpath.engine.sweep import KNEE_TOLERANCE, Sweep, default_range, sweep
from tests.oracles import exact_erlang_c


def station(c: int = 1, service: str = "10ms", rate: str = "50/s", extra: str = "") -> Design:
    return load_design(f"""\
name: station
workload: {{flows: {{f: {{rate: {rate}, steps: [s]}}}}}}
components:
  s: {{kind: service, replicas: 1, concurrency: {c}, service_time: {service}}}
{extra}""")


def mmc_sojourn_quantile(c: int, lam: float, mu: float, p: float) -> float:
    """Sojourn-time quantile of M/M/c from its textbook survival function, by bisection.

    The wait is 0 with probability 1 − C and Exp(θ = cμ − λ) with probability C; the sojourn
    adds an Exp(μ) service: P(T > t) = (1 − C) e^{−μt} + C (θ e^{−μt} − μ e^{−θt}) / (θ − μ).
    """
    wait = float(exact_erlang_c(c, Fraction(lam) / Fraction(mu))) if lam > 0 else 0.0
    theta = c * mu - lam

    def survival(t: float) -> float:
        if abs(theta - mu) < 1e-12:
            tail = (1 + mu * t) * math.exp(-mu * t)
        else:
            tail = (theta * math.exp(-mu * t) - mu * math.exp(-theta * t)) / (theta - mu)
        return (1 - wait) * math.exp(-mu * t) + wait * tail

    lo, hi = 0.0, 1.0
    while survival(hi) > 1 - p:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if survival(mid) > 1 - p else (lo, mid)
    return hi


def test_mm1_curve_matches_the_closed_form_at_every_step() -> None:
    """One M/M/1 station (μ = 100/s): p99 = ln(100)/(μ − λ), mean 1/(μ − λ), ρ = λ/μ."""
    result = sweep(station(), 5.0, 95.0, 10)
    assert [p.rate_rps for p in result.points] == pytest.approx([5 + 10 * i for i in range(10)])
    for p in result.points:
        lam, mu = p.rate_rps, 100.0
        f = p.flows["f"]
        assert f.p99_ms == pytest.approx(-math.log(0.01) / (mu - lam) * 1e3, rel=1e-3)
        assert f.p95_ms == pytest.approx(-math.log(0.05) / (mu - lam) * 1e3, rel=1e-3)
        assert f.p50_ms == pytest.approx(math.log(2) / (mu - lam) * 1e3, rel=1e-3)
        assert f.mean_ms == pytest.approx(1 / (mu - lam) * 1e3, rel=1e-9)
        assert p.components["s"].utilization == pytest.approx(lam / mu, rel=1e-12)
        assert not f.saturated
        assert p.busiest == "s"


def test_mm1_knee_is_at_half_the_service_rate() -> None:
    """ln(100)/(μ − λ) = 2 ln(100)/μ exactly when λ = μ/2."""
    knee = sweep(station(), 1.0, 2.0, 2).knee
    assert knee is not None
    assert knee.flow == "f"
    assert knee.unloaded_p99_ms == pytest.approx(math.log(100) / 100 * 1e3, rel=1e-3)
    assert knee.rate_rps == pytest.approx(50.0, abs=KNEE_TOLERANCE * 100 + 0.05)
    assert knee.rate_rps >= 50.0 - 0.05
    assert not knee.at_saturation


@pytest.mark.parametrize("c", [2, 4, 8])
def test_mmc_knee_matches_the_textbook_sojourn_law(c: int) -> None:
    """The rate where the oracle's p99 doubles its unloaded ln(100)/μ, solved independently."""
    mu = 100.0
    target = 2 * math.log(100) / mu
    lo, hi = 0.0, c * mu
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if mmc_sojourn_quantile(c, mid, mu, 0.99) < target else (lo, mid)
    knee = sweep(station(c), 1.0, 2.0, 2).knee
    assert knee is not None
    assert knee.rate_rps == pytest.approx(hi, abs=2 * KNEE_TOLERANCE * c * mu)


def test_wider_pools_knee_closer_to_saturation() -> None:
    shares = []
    for c in (1, 2, 4, 16, 64):
        s = sweep(station(c), 1.0, 2.0, 2)
        assert s.knee is not None and s.saturation_rps is not None
        shares.append(s.knee.rate_rps / s.saturation_rps)
    assert shares == sorted(shares)
    assert shares[0] == pytest.approx(0.5, abs=2e-3)


def test_a_pool_flat_to_the_end_knees_at_saturation() -> None:
    s = sweep(station(1024), 1.0, 2.0, 2)
    assert s.knee is not None and s.knee.at_saturation
    assert s.knee.rate_rps == s.saturation_rps


def test_knee_does_not_depend_on_the_grid() -> None:
    design = station(3)
    knees = {sweep(design, lo, hi, n).knee for lo, hi, n in [(1, 2, 2), (10, 290, 7), (50, 60, 3)]}
    assert len(knees) == 1


def test_the_point_at_saturation_is_saturated_and_has_no_latency() -> None:
    s = sweep(station(), 50.0, 100.0, 3)
    last = s.points[-1]
    assert last.flows["f"].saturated and last.flows["f"].p99_ms is None
    assert last.flows["f"].mean_ms is None
    assert last.components["s"].saturated
    assert last.components["s"].utilization == pytest.approx(1.0)
    assert s.saturation_rps == pytest.approx(100.0)
    assert s.bottleneck == "s"


def test_context_for_a_chart() -> None:
    s = sweep(station(extra="goals: {p99: 100ms}\n"), 5.0, 50.0, 4)
    assert s.design == "station"
    assert s.peak_rps == 50.0
    assert s.flows == ["f"] and s.components == ["s"]
    assert s.p99_goals_ms == {"f": 100.0}
    assert "twice" in s.knee_definition or "2x" in s.knee_definition
    assert Sweep.model_validate_json(s.model_dump_json()) == s


def test_progress_reaches_one_and_never_goes_back() -> None:
    seen: list[float] = []
    sweep(station(), 5.0, 50.0, 5, progress=seen.append)
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    assert all(0 < x <= 1 for x in seen)


@pytest.mark.parametrize(
    ("start", "stop", "steps"),
    [(0.0, 10.0, 3), (10.0, 10.0, 3), (20.0, 10.0, 3), (1.0, math.inf, 3), (1.0, 10.0, 1)],
)
def test_bad_arguments_are_refused(start: float, stop: float, steps: int) -> None:
    with pytest.raises(ValueError, match=r"start|steps"):
        sweep(station(), start, stop, steps)


def test_default_range_runs_from_a_tenth_of_peak_to_saturation() -> None:
    assert default_range(analyze(station())) == pytest.approx((5.0, 100.0))


def test_default_range_of_an_overloaded_design_starts_below_saturation() -> None:
    lo, hi = default_range(analyze(station(rate="400/s")))
    assert (lo, hi) == pytest.approx((10.0, 100.0))


def test_default_range_without_queues_ends_at_twice_the_peak() -> None:
    design = load_design("""\
name: edge only
workload: {flows: {f: {rate: 50/s, steps: [cdn]}}}
components:
  cdn: {kind: cdn}
""")
    a = analyze(design)
    assert a.saturation_rps is None
    assert default_range(a) == pytest.approx((5.0, 100.0))
    s = sweep(design, 5.0, 100.0, 3)
    assert s.knee is None and s.saturation_rps is None


PERCENTILE_ACCURACY = 5e-3


def _non_decreasing(values: list[float | None], slack: float = 1e-12) -> bool:
    """None stands for saturated: infinite, so it may only be followed by None. ``slack`` is
    the relative noise allowed: percentiles are read off a numerical grid, accurate to 0.5%
    (engine/latency.py), so on a flat stretch two neighbouring rates may swap by that much;
    a deterministic service time (a point mass on the grid) shows it most."""
    finite = [math.inf if v is None else v for v in values]
    return all(b >= a * (1 - slack) for a, b in pairwise(finite))


@settings(max_examples=25, deadline=None)
@given(
    c1=st.integers(1, 8),
    c2=st.integers(1, 8),
    ms1=st.integers(1, 50),
    ms2=st.integers(1, 50),
    cv=st.sampled_from(["", ", dist: lognormal, cv: 0.5", ", dist: deterministic"]),
    top=st.floats(0.3, 1.2),
)
def test_latency_and_utilisation_never_fall_as_load_rises(
    c1: int, c2: int, ms1: int, ms2: int, cv: str, top: float
) -> None:
    design = load_design(f"""\
name: two stations
workload: {{flows: {{f: {{rate: 10/s, steps: [a, b]}}, g: {{rate: 5/s, steps: [b]}}}}}}
components:
  a: {{kind: service, replicas: 1, concurrency: {c1}, service_time: {{mean: {ms1}ms{cv}}}}}
  b: {{kind: service, replicas: 1, concurrency: {c2}, service_time: {ms2}ms}}
""")
    saturation = analyze(design).saturation_rps
    assert saturation is not None
    s = sweep(design, saturation * 0.05, saturation * top, 6)
    for flow in ("f", "g"):
        means = [p.flows[flow].mean_ms for p in s.points]
        assert _non_decreasing(means), flow
        for key in ("p50_ms", "p95_ms", "p99_ms"):
            values = [getattr(p.flows[flow], key) for p in s.points]
            assert _non_decreasing(values, slack=PERCENTILE_ACCURACY), (flow, key)
    for comp in ("a", "b"):
        assert _non_decreasing([p.components[comp].utilization for p in s.points])
