"""Flows to station loads: expected visits, arrival rates, saturation and the bottleneck."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from staffpath.design.catalog import load_catalog, resolve
from staffpath.design.load import load_design
from staffpath.design.model import Design
from staffpath.engine.compile import compile_design, expected_visits

SHORTENER = """\
name: s
workload:
  peak: 10k/s
  flows:
    redirect:
      share: 90%
      steps: [api, {cache: {hit: 80%, on_miss: [db.read]}}]
    create: {share: 10%, steps: [api, db.write]}
    search: {rate: 50/s, steps: [{parallel: [[api], [api, db.read]]}]}
components:
  api: {kind: service, replicas: 4, concurrency: 10, service_time: 5ms}
  cache: {kind: cache, replicas: 2, concurrency: 4, service_time: 0.2ms}
  db:
    kind: database
    replicas: 3
    concurrency: 8
    operations: {read: 2ms, write: {mean: 10ms, on: primary}}
"""


def resolved(design: Design) -> dict[str, object]:
    cat = load_catalog()
    return {n: resolve(c, cat) for n, c in design.components.items()}


def test_expected_visits_follow_branches_and_fan_out() -> None:
    d = load_design(SHORTENER)
    visits = {(v.flow, v.component, v.operation): v.visits for v in expected_visits(d, resolved(d))}
    assert visits[("redirect", "api", None)] == 1.0
    assert visits[("redirect", "cache", None)] == 1.0
    assert visits[("redirect", "db", "read")] == pytest.approx(0.2)
    assert visits[("search", "api", None)] == 2.0
    assert visits[("search", "db", "read")] == 1.0


def test_arrival_rates_and_primary_split() -> None:
    d = load_design(SHORTENER)
    c = compile_design(d, resolved(d))
    api = c.stations["api"]
    assert api.arrival_rate == pytest.approx(9000 + 1000 + 100)
    assert api.servers == 40
    assert api.utilization == pytest.approx(10_100 * 0.005 / 40)
    reads = 9000 * 0.2 + 50
    prim, reps = c.stations["db.primary"], c.stations["db.replicas"]
    assert prim.arrival_rate == pytest.approx(1000 + reads / 3)
    assert reps.arrival_rate == pytest.approx(reads * 2 / 3)
    assert (prim.servers, reps.servers) == (8, 16)
    # mixture of 10 ms writes and 2 ms reads on the primary
    mean = (1000 * 0.010 + reads / 3 * 0.002) / prim.arrival_rate
    assert prim.service_mean == pytest.approx(mean)


def test_saturation_is_where_the_bottleneck_reaches_full_utilisation() -> None:
    d = load_design(SHORTENER)
    c = compile_design(d, resolved(d))
    worst = max(
        (s for s in c.stations.values() if s.station == "queue"), key=lambda s: s.utilization
    )
    assert c.bottleneck == worst.name
    assert c.saturation_scale == pytest.approx(1 / worst.utilization)
    at_sat = compile_design(d, resolved(d), scale=c.saturation_scale)
    assert at_sat.stations[worst.name].utilization == pytest.approx(1.0)
    assert c.saturation_rate == pytest.approx(c.total_rate * c.saturation_scale)
    assert at_sat.headroom == pytest.approx(1.0)


@given(st.floats(0.01, 100))
def test_load_scales_linearly(scale: float) -> None:
    d = load_design(SHORTENER)
    r = resolved(d)
    base, scaled = compile_design(d, r), compile_design(d, r, scale=scale)
    for name, s in base.stations.items():
        assert scaled.stations[name].utilization == pytest.approx(s.utilization * scale)
    assert scaled.saturation_scale == pytest.approx(base.saturation_scale)
