"""Comparisons: deltas against the first design, and sentences checked against figures known
in closed form (M/M/1 stations, where saturation is μ and p99 is ln(100)/(μ − λ))."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from staffpath.design.load import load, load_design
from staffpath.design.model import Design
from staffpath.engine.analyze import Analysis, GoalResult, analyze
from staffpath.engine.compare import Comparison, compare, goal_label
from tests.conftest import ROOT

DATA = Path(__file__).parent / "data"
SHORTENER = ROOT / "examples" / "url-shortener.yaml"


def tandem(
    *,
    rate: int = 50,
    api_replicas: int = 1,
    api_ms: int = 10,
    db_replicas: int = 1,
    db_ms: int = 8,
    more: str = "",
) -> Design:
    """api then db, each ``replicas`` single-server stations (M/M/1 when one replica)."""
    return load_design(f"""\
name: tandem
workload: {{flows: {{f: {{rate: {rate}/s, steps: [api, db]}}}}}}
components:
  api: {{kind: service, concurrency: 1, replicas: {api_replicas}, service_time: {api_ms}ms}}
  db: {{kind: service, concurrency: 1, replicas: {db_replicas}, service_time: {db_ms}ms}}
{more}""")


def pair(a: Design, b: Design, *, why: bool = True) -> Comparison:
    return compare({"a": analyze(a), "b": analyze(b)}, designs={"a": a, "b": b} if why else None)


def test_a_design_against_itself_has_no_deltas_and_no_sentences() -> None:
    design = load(SHORTENER).design
    result = pair(design, design)
    same = result.designs[1]
    assert same.sentences == []
    assert same.changes is not None
    for name in ("peak_rps", "availability", "downtime_minutes_per_month", "cost_per_month"):
        assert getattr(same.changes, name).absolute == 0
    assert same.changes.saturation_rps is not None and same.changes.saturation_rps.absolute == 0
    assert not same.changes.bottleneck_moved
    assert same.changes.spofs_added == same.changes.spofs_removed == []
    assert same.changes.goals_now_met == same.changes.goals_now_missed == []
    assert all(f.p99_change is not None and f.p99_change.absolute == 0 for f in same.flows.values())
    assert result.designs[0].changes is None and result.designs[0].sentences == []


def test_doubling_the_bottleneck_moves_it_and_says_why() -> None:
    """At 50/s, api (10 ms, μ = 100/s) runs at 50% and saturates first. Doubled, api could
    take 200/s, so db (8 ms, μ = 125/s, 40% busy) rules: saturation rises 25%."""
    result = pair(tandem(), tandem(api_replicas=2))
    b = result.designs[1]
    assert b.bottleneck == "db"
    assert b.saturation_rps == pytest.approx(125.0)
    assert b.changes is not None and b.changes.bottleneck_moved
    assert b.sentences[0] == (
        "The bottleneck moved from api (50% busy) to db (40% busy); saturation throughput "
        "rose 25% (100/s → 125/s): api gained 1 replica."
    )


def test_the_example_with_a_doubled_api_moves_its_bottleneck_to_the_database() -> None:
    base, double = load(SHORTENER).design, load(DATA / "url-shortener-double-api.yaml").design
    result = pair(base, double)
    b = result.designs[1]
    assert result.designs[0].bottleneck == "api"
    assert b.bottleneck == "db.primary"
    assert b.sentences[0].startswith("The bottleneck moved from api (50% busy) to db.primary")
    assert b.sentences[0].endswith(": api gained 21 replicas.")
    assert "Goal cost ≤ $8k/month: met → missed." in b.sentences
    assert b.changes is not None and b.changes.goals_now_missed == ["cost"]


def one(service: str) -> Design:
    return load_design(f"""\
name: one
workload: {{flows: {{f: {{rate: 50/s, steps: [s]}}}}}}
components:
  s: {{kind: service, replicas: 1, concurrency: 1, service_time: {service}}}
""")


def test_p99_sentence_reads_the_closed_form_figures() -> None:
    """M/M/1 at 50/s: μ = 100/s gives ln(100)/50 = 92.1 ms; μ = 200/s gives 30.7 ms (−67%)."""
    b = pair(one("10ms"), one("5ms")).designs[1]
    assert b.flows["f"].p99_ms == pytest.approx(math.log(100) / 150 * 1e3, rel=1e-3)
    change = b.flows["f"].p99_change
    assert change is not None
    assert change.relative == pytest.approx((1 / 150) / (1 / 50) - 1, rel=1e-3)
    assert b.sentences == [
        "Saturation throughput rose 100% (100/s → 200/s), still at s: "
        "s's service time fell from 10ms to 5ms.",
        "f p99 fell 67% (92.1ms → 30.7ms).",
    ]


def test_more_concurrency_is_given_as_the_reason() -> None:
    """Concurrency 1 → 2 at 10 ms doubles the station's service rate: 100/s → 200/s."""

    def pool(c: int) -> Design:
        return load_design(f"""\
name: pool
workload: {{flows: {{f: {{rate: 50/s, steps: [s]}}}}}}
components: {{s: {{kind: service, replicas: 1, concurrency: {c}, service_time: 10ms}}}}
""")

    b = pair(pool(1), pool(2)).designs[1]
    assert b.sentences[0] == (
        "Saturation throughput rose 100% (100/s → 200/s), still at s: "
        "s's concurrency rose from 1 to 2."
    )


def test_small_changes_are_not_notable() -> None:
    """50/s → 52/s on M/M/1 api (μ = 100/s): p99 +4%, saturation unchanged: only the peak."""
    b = pair(tandem(db_ms=1), tandem(db_ms=1, rate=52)).designs[1]
    assert b.sentences == [
        "Peak load rose 4% (50/s → 52/s); every other figure is read at each design's own peak."
    ]
    change = b.flows["f"].p99_change
    assert change is not None and 0 < (change.relative or 0) < 0.10


def test_sentences_without_designs_give_no_reason() -> None:
    sentence = pair(tandem(), tandem(api_replicas=2), why=False).designs[1].sentences[0]
    assert sentence.endswith("(100/s → 125/s).")


def test_flows_are_matched_by_name_and_missing_ones_said() -> None:
    a = load_design("""\
name: a
workload: {flows: {f: {rate: 10/s, steps: [s]}, g: {rate: 10/s, steps: [s]}}}
components: {s: {kind: service, replicas: 2, concurrency: 4, service_time: 10ms}}
""")
    b = load_design("""\
name: b
workload: {flows: {f: {rate: 10/s, steps: [s]}, h: {rate: 10/s, steps: [s]}}}
components: {s: {kind: service, replicas: 2, concurrency: 4, service_time: 10ms}}
""")
    result = pair(a, b)
    assert result.flows == ["f", "g", "h"]
    first, second = result.designs
    assert first.flows["h"].status == "missing" and first.flows["h"].p99_ms is None
    assert second.flows["g"].status == "missing"
    assert second.flows["h"].status == "ok" and second.flows["h"].p99_change is None
    assert "Flow g is gone." in second.sentences
    assert "Flow h is new." in second.sentences


def test_saturation_of_a_flow_is_a_change_of_kind() -> None:
    """api at 25 ms takes 40/s at most: at 50/s the flow saturates."""
    ok, hot = tandem(db_ms=1), tandem(api_ms=25, db_ms=1)
    forward, back = pair(ok, hot).designs[1], pair(hot, ok).designs[1]
    assert forward.flows["f"].status == "saturated"
    assert any(s.startswith("f now saturates at api (its p99 was ") for s in forward.sentences)
    assert any(s.startswith("f no longer saturates: its p99 is ") for s in back.sentences)


def test_spofs_and_goals_flip_in_words() -> None:
    """A 15 ms M/M/1 api at 50/s has p99 ln(100)/(66.7 − 50) = 276 ms: misses 100 ms.
    Two 10 ms replicas (M/M/2, ρ = 25%) and a 1 ms db come in far under it."""
    goal = "goals: {p99: 100ms}\n"
    slow = tandem(api_ms=15, db_ms=1, db_replicas=2, more=goal)
    fast = tandem(api_replicas=2, db_ms=1, db_replicas=2, more=goal)
    b = pair(slow, fast).designs[1]
    assert "api is no longer a single point of failure." in b.sentences
    assert "Goal p99 ≤ 100ms on f: missed → met." in b.sentences
    assert b.changes is not None and b.changes.goals_now_met == ["f.p99"]
    back = pair(fast, slow).designs[1]
    assert "api is now a single point of failure (one replica)." in back.sentences


def test_cost_and_availability_sentences_follow_the_thresholds() -> None:
    base, more = pair(tandem(db_ms=1), tandem(api_replicas=3, db_ms=1)).designs
    rel = (more.cost_per_month - base.cost_per_month) / base.cost_per_month
    assert any(s.startswith("Cost rose ") and f"(+{rel:.0%})" in s for s in more.sentences)
    down = base.downtime_minutes_per_month - more.downtime_minutes_per_month
    assert down >= 1.0
    assert any(s.startswith("Availability rose from ") for s in more.sentences)


def test_three_designs_are_each_measured_against_the_first() -> None:
    names = ["url-shortener-double-api", "url-shortener-lean"]
    designs = {"base": load(SHORTENER).design} | {n: load(DATA / f"{n}.yaml").design for n in names}
    result = compare({k: analyze(d) for k, d in designs.items()}, designs=designs)
    assert [d.label for d in result.designs] == ["base", *names]
    assert result.baseline == "base"
    lean = result.designs[2]
    assert lean.spofs == ["idgen"]
    assert "idgen is now a single point of failure (one replica)." in lean.sentences
    assert lean.sentences[0].startswith("Saturation throughput fell 44%")
    assert "api lost 6 replicas" in lean.sentences[0]
    assert "api.redirect's service time rose from 3ms to 4ms" in lean.sentences[0]


def test_the_result_is_a_json_contract() -> None:
    design = load(SHORTENER).design
    result = pair(design, load(DATA / "url-shortener-lean.yaml").design)
    assert Comparison.model_validate_json(result.model_dump_json()) == result
    assert set(result.thresholds) >= {"p99_relative", "cost_relative", "saturation_relative"}


def test_one_analysis_is_not_a_comparison() -> None:
    a: Analysis = analyze(tandem())
    with pytest.raises(ValueError, match="at least two"):
        compare({"a": a})


@pytest.mark.parametrize(
    ("name", "scope", "target", "label"),
    [
        ("redirect.p99", "redirect", "100ms", "p99 ≤ 100ms on redirect"),
        ("f.availability", "f", "99.9%", "availability ≥ 99.9% on f"),
        ("error_rate", "design", "0.1%", "error rate ≤ 0.1%"),
        ("cost", "design", "$8k/month", "cost ≤ $8k/month"),
        ("headroom", "design", "1.4x", "headroom ≥ 1.4x"),
    ],
)
def test_goal_labels(name: str, scope: str, target: str, label: str) -> None:
    goal = GoalResult(
        name=name,
        scope=scope,
        target=1.0,
        value=1.0,
        met=True,
        margin=0.0,
        unit="",
        target_text=target,
        value_text="",
    )
    assert goal_label(goal) == label
