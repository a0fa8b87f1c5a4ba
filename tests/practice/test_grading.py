"""Grading runs the engines: references pass, naive designs fail exactly as their problems
say, and a single-queue design is judged against its closed form."""

from __future__ import annotations

import math

import pytest

from staffpath.design.load import load_text
from staffpath.practice.grading import at_rates, failures_for, grade, grade_estimates, run_scenario
from staffpath.practice.problems import (
    Problem,
    Scenario,
    ScenarioFailure,
    design_text,
    load_problem,
    problem_ids,
)

IDS = problem_ids()


@pytest.mark.parametrize("pid", IDS)
def test_the_reference_passes_every_hidden_scenario(pid: str) -> None:
    p = load_problem(pid)
    report = grade(p, load_text(design_text(pid, "reference")).design)
    failed = {s.name: s.reasons for s in report.scenarios if not s.passed}
    assert failed == {}
    assert report.passed and report.budget_per_month is not None
    assert report.cost_per_month <= report.budget_per_month


@pytest.mark.parametrize("pid", IDS)
def test_the_naive_design_fails_exactly_what_the_problem_says(pid: str) -> None:
    p = load_problem(pid)
    report = grade(p, load_text(design_text(pid, "naive")).design)
    failed = {s.name: " ".join(s.reasons).lower() for s in report.scenarios if not s.passed}
    assert set(failed) == {e.scenario for e in p.naive.fails}
    for e in p.naive.fails:
        for word in e.because:
            assert word.lower() in failed[e.scenario], (e.scenario, word, failed[e.scenario])


MM1 = """
name: one queue
workload: {flows: {f: {rate: 1/s, steps: [s]}}}
components:
  s: {kind: service, replicas: 1, concurrency: 1, service_time: 10ms}
"""


def problem_with(limit: str, rate: str) -> Problem:
    base = load_problem("url-shortener").model_dump(mode="json")
    base["requirements"]["flows"] = {"f": {"description": "one flow"}}
    base["scenarios"] = [
        {
            "name": "peak",
            "kind": "peak",
            "description": "d",
            "rates": {"f": rate},
            "criteria": {"p99": {"f": limit}},
        },
        {
            "name": "surge",
            "kind": "surge",
            "description": "d",
            "rates": {"f": rate},
            "criteria": {"p99": {"f": limit}},
        },
        {
            "name": "cache",
            "kind": "failure",
            "description": "d",
            "rates": {"f": rate},
            "failure": {"action": "flush_caches"},
            "criteria": {"error_rate": "1%"},
        },
    ]
    base["naive"]["fails"] = [{"scenario": "peak", "because": ["p99"]}]
    return Problem.model_validate(base)


def test_p99_is_judged_against_the_closed_form() -> None:
    # M/M/1 at 50/s with 10 ms service: p99 = ln(100) / (100 - 50) = 92.1 ms
    exact_ms = math.log(100) / 50 * 1e3
    design = load_text(MM1).design
    above = problem_with(f"{exact_ms * 1.01:.3f}ms", "50/s")
    below = problem_with(f"{exact_ms * 0.99:.3f}ms", "50/s")
    assert run_scenario(above, above.scenarios[0], design).passed
    result = run_scenario(below, below.scenarios[0], design)
    assert not result.passed and "p99 92.1 ms is over" in result.reasons[0]


def test_saturation_names_the_station() -> None:
    p = problem_with("1s", "150/s")
    (reason, *_) = run_scenario(p, p.scenarios[0], load_text(MM1).design).reasons
    assert reason.startswith("f: saturated at s (150% busy)")


def test_a_flow_the_design_lacks_fails_with_its_name() -> None:
    p = problem_with("1s", "50/s")
    other = load_text(MM1.replace("f: {rate", "g: {rate")).design
    result = run_scenario(p, p.scenarios[0], other)
    assert result.reasons == [
        "the design has no flow named 'f' (the requirements name it; rate 50/s in this scenario)"
    ]


def test_rates_replace_the_candidates_own() -> None:
    design, missing = at_rates(load_text(MM1).design, {"f": 42.0})
    assert missing == [] and design.workload.flows["f"].rate == 42.0


def test_failures_map_to_what_the_design_has() -> None:
    design = load_text(
        """
name: d
workload: {flows: {f: {rate: 1/s, steps: [c, db]}}}
components:
  c: {kind: cache, replicas: 2, zones: [x, y]}
  db: {kind: database, replicas: 3, zones: [x, y]}
"""
    ).design
    kinds = {"c": "cache", "db": "database"}
    zone = failures_for(
        design, ScenarioFailure.model_validate({"action": "lose_zone", "failover": "20s"}), kinds
    )
    assert [(f.zone, f.failover) for f in zone] == [("x", 20.0)]
    flush = failures_for(design, ScenarioFailure(action="flush_caches"), kinds)
    assert [f.flush for f in flush] == ["c"]
    primary = failures_for(design, ScenarioFailure(action="fail_primary"), kinds)
    assert [f.kill for f in primary] == ["db.primary"]
    share = failures_for(
        design,
        ScenarioFailure.model_validate(
            {"action": "kill_share", "kind": "database", "share": "50%"}
        ),
        kinds,
    )
    assert [(f.kill, f.replicas) for f in share] == [("db", 2)]


def test_estimates_count_within_a_factor_of_two() -> None:
    p = load_problem("url-shortener")
    results = {
        e.name: e.ok for e in grade_estimates(p, {"writes_per_s": 2000, "reads_per_s": 30_000})
    }
    assert results["writes_per_s"] is True and results["reads_per_s"] is False
    assert results["records"] is False  # not given


def test_scenario_model_refuses_a_bank_entry_without_a_failure() -> None:
    base = load_problem("url-shortener").model_dump(mode="json")
    for s in base["scenarios"]:
        if s["kind"] == "failure":
            s["kind"], s["failure"] = "growth", None
    with pytest.raises(ValueError, match="failure"):
        Problem.model_validate(base)


def test_scenario_is_found_by_name() -> None:
    p = load_problem("url-shortener")
    assert isinstance(p.scenario("peak"), Scenario)
    with pytest.raises(KeyError):
        p.scenario("nope")


def test_a_split_database_bottleneck_is_named_without_crashing() -> None:
    # a flow over its p99 limit whose bottleneck is a station (db.primary), not a component
    design = load_text(
        """
name: split
workload: {flows: {f: {rate: 1/s, steps: [db.write]}}}
components:
  db: {kind: database, replicas: 3, operations: {write: {mean: 50ms, "on": primary}}}
"""
    ).design
    p = problem_with("10ms", "100/s")
    (reason,) = run_scenario(p, p.scenarios[0], design).reasons
    assert reason.startswith("f: p99") and "db.primary" in reason
