"""Each mechanism of the event kernel on a case whose answer can be worked out by hand."""

from __future__ import annotations

import pytest

from staffpath.design.load import load_design
from staffpath.engine.simulate import simulate
from staffpath.errors import SimulationBudgetError


def design(steps: str, components: str, *, rate: str = "100/s", extra: str = "") -> str:
    return f"""\
name: mechanism
workload:
  arrivals: deterministic
  flows: {{f: {{rate: {rate}, steps: {steps}}}}}
components:
{components}
{extra}"""


SLOW = "  s: {kind: service, replicas: 1, concurrency: 100, service_time: {mean: 100ms, dist: deterministic}}"


def test_a_timeout_that_must_fire_fails_every_request_and_leaves_the_work_running() -> None:
    result = simulate(load_design(design("[{s: {timeout: 50ms}}]", SLOW)), requests=2_000, seed=1)
    f = result.flows["f"]
    assert f.count == 0
    assert f.errors["timeout"] == 2_000
    assert f.error_rate == 1.0
    # abandoned work still occupies servers: 100/s × 100 ms = 10 busy of 100
    assert result.components["s"].utilization == pytest.approx(0.10, rel=0.02)


def test_a_retry_doubles_the_load() -> None:
    steps = "[{s: {timeout: 50ms, retries: 1}}]"
    result = simulate(load_design(design(steps, SLOW)), requests=2_000, seed=1)
    assert result.flows["f"].errors["timeout"] == 2_000
    assert result.components["s"].completed_rps == pytest.approx(200.0, rel=0.02)
    assert result.components["s"].utilization == pytest.approx(0.20, rel=0.02)


def test_retries_with_backoff_recover_from_a_short_outage() -> None:
    comps = "  s: {kind: service, replicas: 1, concurrency: 10, service_time: {mean: 1ms, dist: deterministic}}"
    extra = "failures:\n  - {at: 5s, kill: s, for: 100ms}\n"
    steps = "[{s: {retries: {attempts: 3, backoff: 100ms, multiplier: 2}}}]"
    result = simulate(load_design(design(steps, comps, extra=extra)), duration=10.0, seed=1)
    assert result.flows["f"].errors["failed"] == 0  # 100 ms + 200 ms of backoff outlasts it


def test_a_failure_window_loses_exactly_the_requests_inside_it() -> None:
    """Deterministic arrivals at 100/s, the only server down for 2 s: 200 arrivals fail,
    plus the one in service at the moment of the kill."""
    comps = "  s: {kind: service, replicas: 1, concurrency: 1, service_time: {mean: 5ms, dist: deterministic}}"
    extra = "failures:\n  - {at: 10s, kill: s, for: 2s}\n"
    result = simulate(load_design(design("[s]", comps, extra=extra)), duration=20.0, seed=1)
    failed = result.flows["f"].errors["failed"]
    assert 200 <= failed <= 202
    window = [b for b in result.timeline if b.errors["failed"] > 0]
    assert window
    assert all(9.5 <= b.start_s <= 12.5 for b in window)


def test_a_full_queue_rejects() -> None:
    """One server, 10 ms each, arrivals every 6.67 ms and no waiting room: every other
    arrival finds the server busy and is rejected."""
    comps = (
        "  s: {kind: service, replicas: 1, concurrency: 1, queue_limit: 0,"
        " service_time: {mean: 10ms, dist: deterministic}}"
    )
    result = simulate(load_design(design("[s]", comps, rate="150/s")), requests=3_000, seed=1)
    f = result.flows["f"]
    assert f.errors["rejected"] / f.arrivals == pytest.approx(0.5, abs=0.01)


def test_parallel_join_all_waits_for_the_slowest_and_first_for_the_fastest() -> None:
    comps = """\
  a: {kind: service, replicas: 1, concurrency: 100, service_time: {mean: 10ms, dist: deterministic}}
  b: {kind: service, replicas: 1, concurrency: 100, service_time: {mean: 30ms, dist: deterministic}}"""
    both = simulate(load_design(design("[{parallel: [[a], [b]]}]", comps)), requests=1_000, seed=1)
    assert both.flows["f"].mean_ms == pytest.approx(30.0, rel=1e-6)
    first = simulate(
        load_design(design("[{parallel: {join: first, branches: [[a], [b]]}}]", comps)),
        requests=1_000,
        seed=1,
    )
    assert first.flows["f"].mean_ms == pytest.approx(10.0, rel=1e-6)
    # the slower branch still runs: both components see every request
    assert first.components["b"].completed_rps == pytest.approx(100.0, rel=0.02)


def test_a_cache_miss_branch_runs_in_proportion() -> None:
    comps = """\
  c: {kind: cache, replicas: 1, concurrency: 100, service_time: {mean: 1ms, dist: deterministic}}
  d: {kind: database, replicas: 1, concurrency: 100, service_time: {mean: 10ms, dist: deterministic}}"""
    result = simulate(
        load_design(design("[{c: {hit: 80%, on_miss: [d]}}]", comps)), requests=50_000, seed=1
    )
    assert result.components["d"].completed_rps == pytest.approx(20.0, rel=0.03)
    assert result.flows["f"].mean_ms == pytest.approx(1.0 + 0.2 * 10.0, rel=0.03)


def test_a_flushed_cache_sends_everything_to_the_database_then_warms_up() -> None:
    comps = """\
  c: {kind: cache, replicas: 1, concurrency: 100, service_time: {mean: 1ms, dist: deterministic}}
  d: {kind: database, replicas: 1, concurrency: 100, service_time: {mean: 10ms, dist: deterministic}}"""
    extra = "failures:\n  - {at: 20s, flush: c, for: 10s}\n"
    result = simulate(
        load_design(design("[{c: {hit: 90%, on_miss: [d]}}]", comps, extra=extra)),
        duration=40.0,
        seed=1,
    )
    before = [b for b in result.timeline if 5 <= b.start_s < 19]
    flushed = [b for b in result.timeline if 20 <= b.start_s < 21]
    assert max(b.p50_ms or 0 for b in before) < 2.0  # hits: 1 ms
    assert min(b.p50_ms or 0 for b in flushed) > 10.0  # misses: 11 ms


def test_a_slowed_component_is_slower_only_inside_its_window() -> None:
    comps = "  s: {kind: service, replicas: 1, concurrency: 100, service_time: {mean: 2ms, dist: deterministic}}"
    extra = "failures:\n  - {at: 10s, slow: s, factor: 5, for: 5s}\n"
    result = simulate(load_design(design("[s]", comps, extra=extra)), duration=20.0, seed=1)
    inside = [b.p50_ms for b in result.timeline if 10.5 <= b.start_s < 14.5 and b.p50_ms]
    outside = [b.p50_ms for b in result.timeline if b.start_s < 9.5 and b.p50_ms]
    assert min(inside) == pytest.approx(10.0, rel=0.06)
    assert max(outside) == pytest.approx(2.0, rel=0.06)


def test_a_zone_loss_takes_the_replicas_placed_there() -> None:
    comps = (
        "  s: {kind: service, replicas: 3, concurrency: 1, zones: [a, b, c],"
        " service_time: {mean: 20ms, dist: deterministic}}"
    )
    extra = "failures:\n  - {at: 5s, zone: b, for: 5s}\n"
    result = simulate(load_design(design("[s]", comps, extra=extra)), duration=15.0, seed=1)
    # 100/s × 20 ms = 2 busy servers: with 2 of 3 left, no request is lost after the cut
    assert result.flows["f"].errors["failed"] <= 1
    assert result.components["s"].utilization > 0.6


@pytest.mark.parametrize(("failover", "down_s"), [("", 20.0), (", failover: 4s", 4.0)])
def test_a_zone_loss_holds_the_primary_until_its_failover(failover: str, down_s: float) -> None:
    comps = (
        "  db: {kind: database, replicas: 3, zones: [a, b, c],"
        " operations: {write: {mean: 5ms, dist: deterministic, on: primary}}}"
    )
    extra = f"failures:\n  - {{at: 5s, zone: a, for: 20s{failover}}}\n"
    steps = "[db.write]"
    result = simulate(load_design(design(steps, comps, extra=extra)), duration=30.0, seed=1)
    # the primary sits in zone a: every write fails until a standby in b or c takes over
    # (deterministic arrivals, 100/s: exactly 100 per second down, +-1 at each edge)
    assert result.flows["f"].errors["failed"] == pytest.approx(100 * down_s, abs=2)


@pytest.mark.parametrize("policy", ["round_robin", "random", "least_connections", "power_of_two"])
def test_no_policy_sends_work_to_a_replica_that_is_down(policy: str) -> None:
    # found in review: power of two choices used to take its second pick even when it was
    # down too (1/9 of requests failed with one replica of three down)
    comps = (
        f"  s: {{kind: service, replicas: 3, concurrency: 4, balancing: {policy},"
        f" service_time: 5ms}}"
    )
    extra = "failures:\n  - {at: 1s, kill: s, replicas: 1, for: 5s}\n"
    result = simulate(load_design(design("[s]", comps, extra=extra)), duration=8.0, seed=1)
    # killed jobs in service may fail (at most the 4 servers' worth); nothing after that
    assert result.flows["f"].errors["failed"] <= 4


@pytest.mark.parametrize("policy", ["round_robin", "random", "least_connections", "power_of_two"])
def test_balancing_policies_spread_the_load(policy: str) -> None:
    comps = (
        f"  s: {{kind: service, replicas: 4, concurrency: 1, balancing: {policy},"
        f" service_time: 5ms}}"
    )
    result = simulate(load_design(design("[s]", comps, rate="400/s")), requests=40_000, seed=1)
    assert result.components["s"].utilization == pytest.approx(0.5, rel=0.03)
    assert result.flows["f"].count == 40_000


def test_a_surge_in_the_schedule_shows_in_the_timeline() -> None:
    comps = "  s: {kind: service, replicas: 1, concurrency: 100, service_time: 1ms}"
    text = f"""\
name: surge
workload:
  peak: 100/s
  schedule: [{{at: 10s, multiplier: 10}}, {{at: 20s, multiplier: 1}}]
  flows: {{f: {{share: 100%, steps: [s]}}}}
components:
{comps}
"""
    result = simulate(load_design(text), duration=30.0, seed=1)
    surge = [b.arrivals for b in result.timeline if 11 <= b.start_s < 19]
    calm = [b.arrivals for b in result.timeline if 2 <= b.start_s < 9]
    width = result.timeline[0].end_s - result.timeline[0].start_s
    assert sum(surge) / len(surge) / width == pytest.approx(1000.0, rel=0.1)
    assert sum(calm) / len(calm) / width == pytest.approx(100.0, rel=0.15)


def test_a_runaway_model_stops_with_a_clear_error() -> None:
    overloaded = design(
        "[s]", "  s: {kind: service, replicas: 1, concurrency: 1, service_time: 20ms}"
    )
    with pytest.raises(SimulationBudgetError, match="budget of 50,000 events"):
        simulate(load_design(overloaded), requests=1_000_000, seed=1, max_events=50_000)


def test_a_wall_clock_budget_is_enforced_through_the_injected_clock() -> None:
    ticks = iter(range(0, 10_000, 100))
    with pytest.raises(SimulationBudgetError, match="wall-clock budget"):
        simulate(
            load_design(design("[s]", SLOW)),
            requests=3_000_000,
            seed=1,
            clock=lambda: float(next(ticks)),
            budget_s=150.0,
        )


def test_a_retry_storm_appears_when_timeouts_meet_load() -> None:
    """At 80% load the queue's sojourn has mean 50 ms: a 30 ms timeout with 3 retries turns
    slowness into extra load, and the extra load into more timeouts."""
    base = "  s: {kind: service, replicas: 1, concurrency: 1, service_time: 10ms}"
    calm = simulate(load_design(design("[s]", base, rate="80/s")), requests=20_000, seed=1)
    storm = simulate(
        load_design(design("[{s: {timeout: 30ms, retries: 3}}]", base, rate="80/s")),
        requests=20_000,
        seed=1,
    )
    assert calm.flows["f"].error_rate == 0.0
    assert storm.components["s"].completed_rps > 1.2 * calm.components["s"].completed_rps
    assert storm.components["s"].utilization > 0.95
    assert storm.flows["f"].errors["timeout"] > 0.1 * storm.flows["f"].arrivals
