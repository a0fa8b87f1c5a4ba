"""Each failure simulated alone: counts that can be bounded by hand."""

from __future__ import annotations

import pytest

from staffpath.design.load import load_text
from staffpath.design.model import Phase
from staffpath.engine.impact import describe, failure_effects, level_at


def design(failures: str, *, rate: str = "1000/s", extra: str = "") -> object:
    return load_text(
        f"""
name: one service
workload:
  flows:
    f: {{rate: {rate}, steps: [{{svc: {{timeout: 20ms}}}}]}}
{extra}
components:
  svc: {{kind: service, replicas: 2, concurrency: 8, service_time: {{mean: 5ms, dist: deterministic}}}}
failures: {failures}
"""
    ).design


def test_level_follows_the_schedule_ramps() -> None:
    schedule = [
        Phase.model_validate({"at": "10s", "multiplier": 2, "ramp": "10s"}),
        Phase.model_validate({"at": "30s", "multiplier": 0.5}),
    ]
    assert level_at(schedule, 0.0) == 1.0
    assert level_at(schedule, 15.0) == pytest.approx(1.5)
    assert level_at(schedule, 25.0) == 2.0
    assert level_at(schedule, 40.0) == 0.5


def test_labels_read_as_sentences() -> None:
    d = design("[{at: 5s, kill: svc, replicas: 1, for: 10s}, {at: 5s, slow: svc, factor: 5}]")
    assert describe(d.failures[0]) == "1 replica of svc killed for 10s"  # type: ignore[attr-defined]
    assert describe(d.failures[1]) == "svc 5x slower"  # type: ignore[attr-defined]


def test_a_dead_component_fails_every_request_in_its_window() -> None:
    (effect,) = failure_effects(design("[{at: 1min, kill: svc, for: 10s}]"), total_rate=1000.0)  # type: ignore[arg-type]
    assert not effect.cut
    assert effect.end_s - effect.start_s == pytest.approx(10.0)
    assert effect.before.errors == 0
    assert effect.after.error_rate < 0.01
    # ~1000/s x 10 s arrive while nothing serves: all fail (Poisson: 10,000 +- 5 sigma)
    assert 9_500 <= effect.errors_by_cause["failed"] <= 10_500
    assert effect.during.error_rate > 0.95


def test_a_slowdown_past_the_timeout_times_every_request_out() -> None:
    # 5 ms deterministic x 5 = 25 ms > the 20 ms timeout: every try in the window times out
    (effect,) = failure_effects(
        design("[{at: 1min, slow: svc, factor: 5, for: 10s}]"),
        total_rate=1000.0,  # type: ignore[arg-type]
    )
    assert effect.errors_by_cause["timeout"] > 9_000
    assert effect.before.errors == 0
    assert effect.before.worst_p99_ms == pytest.approx(5.0, rel=0.06)


def test_a_long_failure_is_cut_to_the_request_budget_and_says_so() -> None:
    (effect,) = failure_effects(
        design("[{at: 1min, kill: svc, replicas: 1, for: 10min}]"),  # type: ignore[arg-type]
        total_rate=1000.0,
        max_requests=40_000,
    )
    assert effect.cut and effect.lasts_s == 600.0
    assert effect.end_s - effect.start_s == pytest.approx(20.0)
    assert effect.requests < 48_000


def test_the_failure_meets_the_load_of_its_time() -> None:
    d = design(
        "[{at: 1min, kill: svc, replicas: 1, for: 5s}]",
        extra="  peak: 1000/s\n  schedule: [{at: 30s, multiplier: 2}]",
    )
    (effect,) = failure_effects(d, total_rate=1000.0)  # type: ignore[arg-type]
    assert effect.multiplier == 2.0
    assert effect.before.throughput_rps == pytest.approx(2000.0, rel=0.1)
