"""Grading a candidate's design against a problem's hidden scenarios, by running the engines.

Each scenario sets the rate of every flow the requirements name (the candidate's own rates are
replaced, so a design cannot pass by assuming less traffic), then:

- **peak / surge / growth**: the analytic engine at those rates: each flow's p99 against its
  limit (a saturated station fails the flow, naming the bottleneck and how busy it is), the
  error rate, availability (naming single points of failure), cost against the budget;
- **failure**: the failure applied to the candidate's design by what it breaks (a zone, every
  cache, the primary of every database of a kind) and simulated alone (the simulator's
  failure window): errors and the worst p99 while it lasts.

Estimates are compared with the reference within a factor of two; where a candidate's number
is off, the report shows the reference arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from staffpath.design.model import Design, Failure, Flow
from staffpath.engine.analyze import Analysis, analyze
from staffpath.practice.problems import Criteria, Problem, Scenario, ScenarioFailure
from staffpath.units import format_duration, show_duration, show_money, show_rate

FACTOR = 2.0  # an estimate within this factor of the reference counts as right
FAILURE_REQUESTS = 4_000_000  # per failure window: the whole failure for most problems


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScenarioResult(_Frozen):
    name: str
    kind: str
    description: str
    passed: bool
    reasons: list[str]


class EstimateResult(_Frozen):
    name: str
    label: str
    given: float | None
    reference: float
    unit: str
    ok: bool
    formula: str


class Report(_Frozen):
    problem: str
    design: str
    passed: bool
    score: float  # 0-100
    level: str
    areas: dict[str, float]  # each 0-100
    scenarios: list[ScenarioResult]
    estimates: list[EstimateResult]
    cost_per_month: float
    budget_per_month: float | None


# --- applying a scenario to a design -----------------------------------------------------------


def at_rates(design: Design, rates: Mapping[str, float]) -> tuple[Design, list[str]]:
    """``design`` with each named flow at the scenario's rate; returns the flows it lacks."""
    missing = [name for name in rates if name not in design.workload.flows]
    flows: dict[str, Flow] = {}
    for name, flow in design.workload.flows.items():
        rate = rates.get(name, 0.0)
        flows[name] = flow.model_copy(update={"rate": rate, "share": None})
    workload = design.workload.model_copy(update={"flows": flows, "peak": None, "schedule": []})
    return design.model_copy(update={"workload": workload, "failures": []}), missing


def _zone_of(design: Design) -> str | None:
    for comp in design.components.values():
        if isinstance(comp.zones, list) and comp.zones:
            return str(comp.zones[0])
        if isinstance(comp.zones, int) and comp.zones > 1:
            return "a"
    return None


def failures_for(
    design: Design,
    spec: ScenarioFailure,
    kinds: Mapping[str, str],
    managed: frozenset[str] = frozenset(),
) -> list[Failure]:
    """The design-language failures that carry out ``spec`` on this design (may be empty:
    a design with no cache cannot lose one). ``managed`` components (a CDN, S3, SQS: the
    provider spreads them over zones) and ``external`` ones never sit in one of our zones; any
    other component left unplaced sits in one, and a zone loss assumes it is the lost one."""
    at, span = "0s", format_duration(spec.duration)
    if spec.action == "lose_zone":
        zone = _zone_of(design)
        # A component not spread over zones lives in one of them: assume the lost one.
        unplaced = [
            Failure.model_validate({"at": at, "kill": name, "for": span})
            for name, comp in design.components.items()
            if name not in managed and not comp.zones and not comp.external
        ]
        if zone is None:  # nothing is spread: losing the zone loses everything
            return unplaced
        extra = {} if spec.failover is None else {"failover": format_duration(spec.failover)}
        return [Failure.model_validate({"at": at, "zone": zone, "for": span, **extra}), *unplaced]
    if spec.action == "flush_caches":
        return [
            Failure.model_validate({"at": at, "flush": name, "for": span})
            for name, kind in kinds.items()
            if kind == "cache"
        ]
    if spec.action == "fail_primary":
        out = []
        for name, kind in kinds.items():
            if kind != (spec.kind or "database"):
                continue
            comp = design.components[name]
            over = format_duration(spec.failover) if spec.failover is not None else span
            if comp.replicas > 1:
                failure = {"at": at, "kill": f"{name}.primary", "failover": over, "for": span}
            else:  # one replica is a primary with a standby (the catalog's managed pair)
                failure = {"at": at, "kill": name, "for": over}
            out.append(Failure.model_validate(failure))
        return out
    share = spec.share or 0.0
    out = []
    for name, kind in kinds.items():
        if kind != spec.kind:
            continue
        lost = math.ceil(design.components[name].replicas * share)
        if lost:
            out.append(
                Failure.model_validate({"at": at, "kill": name, "replicas": lost, "for": span})
            )
    return out


# --- judging ---------------------------------------------------------------------------------


def _analytic(problem: Problem, scenario: Scenario, design: Design) -> list[str]:
    """Why the design fails an analytic scenario (empty: it passes)."""
    a = analyze(design)
    reasons = []
    for flow, limit in scenario.criteria.p99.items():
        fr = a.flows.get(flow)
        if fr is None:
            continue
        if fr.p99_ms is None:
            where = ", ".join(fr.saturated_by) or (a.bottleneck or "a component")
            busy = _busiest(a, fr.saturated_by)
            reasons.append(
                f"{flow}: saturated at {where}{busy}: latency grows without bound "
                f"(p99 must stay under {show_duration(limit)})"
            )
        elif fr.p99_ms / 1e3 > limit:
            reasons.append(
                f"{flow}: p99 {fr.p99_ms:.1f} ms is over the {show_duration(limit)} limit "
                f"by {fr.p99_ms / 1e3 / limit - 1:.0%}{_slowest(a)}"
            )
    c = scenario.criteria
    if c.error_rate is not None and a.error_rate > c.error_rate:
        reasons.append(f"error rate {a.error_rate:.3%} is over the {c.error_rate:.3%} allowed")
    return reasons + _budget(c, a)


def _budget(c: Criteria, a: Analysis) -> list[str]:
    """Availability (naming the single points of failure) and cost against the budget."""
    out = []
    if c.availability is not None and a.availability < c.availability:
        spofs = ", ".join(s.component for s in a.spofs)
        out.append(
            f"availability {a.availability:.4%} is under the {c.availability:.3%} required"
            + (f"; single points of failure: {spofs}" if spofs else "")
        )
    if c.cost is not None and a.cost_per_month > c.cost:
        out.append(
            f"cost {show_money(a.cost_per_month)} is over the {show_money(c.cost)} budget "
            f"by {a.cost_per_month / c.cost - 1:.0%}"
        )
    return out


def _busiest(a: Analysis, names: list[str]) -> str:
    found = [c for n in names if (c := a.components.get(n) or a.components.get(n.split(".")[0]))]
    if not found:
        return ""
    return f" ({max(c.utilization for c in found):.0%} busy)"


def _slowest(a: Analysis) -> str:
    """The design's bottleneck and how busy it is (a station name like ``db.primary`` belongs
    to the component before the dot)."""
    if a.bottleneck is None:
        return ""
    comp = a.components.get(a.bottleneck) or a.components.get(a.bottleneck.split(".")[0])
    busy = "" if comp is None else f", {comp.utilization:.0%} busy"
    return f" (the design's bottleneck is {a.bottleneck}{busy})"


def _failure(problem: Problem, scenario: Scenario, design: Design, seed: int) -> list[str]:
    from staffpath.design.catalog import load_catalog, resolve
    from staffpath.engine.impact import phase_figures, simulate_failure

    assert scenario.failure is not None
    catalog = load_catalog()
    resolved = {n: resolve(c, catalog) for n, c in design.components.items()}
    kinds = {n: r.kind for n, r in resolved.items()}
    managed = frozenset(n for n, r in resolved.items() if r.managed)
    failures = failures_for(design, scenario.failure, kinds, managed)
    steady = analyze(design)  # availability and cost are judged analytically here too
    reasons = _budget(scenario.criteria, steady)
    saturated = [f for f, r in steady.flows.items() if r.p99_ms is None]
    if not saturated and not failures:
        return reasons  # nothing of that kind to break: the failure cannot hurt this design
    if saturated:
        # already past capacity before anything breaks: say so, and do not simulate a queue
        # that grows without bound
        where = ", ".join(sorted({s for f in saturated for s in steady.flows[f].saturated_by}))
        return [
            *reasons,
            f"{', '.join(saturated)}: saturated at {where} before the failure even starts",
        ]
    broken = design.model_copy(update={"failures": failures})
    total = sum(scenario.rates.get(f, 0.0) for f in design.workload.flows)
    # every failure of the scenario happens at once, as its text says
    w = simulate_failure(
        broken, 0, total_rate=total, max_requests=FAILURE_REQUESTS, seed=seed, together=True
    )
    during = phase_figures(w.simulation.timeline, w.start_s, w.end_s)
    # errors are counted when they end, arrivals when they start: cap the ratio at 1
    worst_errors = min(during.error_rate, 1.0)
    worst_p99 = {
        name: flow.p99_ms for name, flow in w.simulation.flows.items() if flow.p99_ms is not None
    }
    label = scenario.failure.action.replace("_", " ")
    c = scenario.criteria
    if c.error_rate is not None and worst_errors > c.error_rate:
        reasons.append(
            f"while the failure lasts ({label}), {worst_errors:.2%} of requests fail; "
            f"at most {c.error_rate:.2%} may fail"
        )
    for flow, limit in c.p99.items():
        if flow in worst_p99 and worst_p99[flow] / 1e3 > limit:
            reasons.append(
                f"{flow}: p99 {worst_p99[flow]:.1f} ms through the failure ({label}) is over "
                f"the {show_duration(limit)} limit"
            )
    return reasons


def run_scenario(
    problem: Problem, scenario: Scenario, design: Design, *, seed: int = 1
) -> ScenarioResult:
    scaled, missing = at_rates(design, scenario.rates)
    if missing:
        reasons = [
            f"the design has no flow named {m!r} (the requirements name it; "
            f"rate {show_rate(scenario.rates[m])} in this scenario)"
            for m in missing
        ]
    elif scenario.kind == "failure":
        reasons = _failure(problem, scenario, scaled, seed)
    else:
        reasons = _analytic(problem, scenario, scaled)
    return ScenarioResult(
        name=scenario.name,
        kind=scenario.kind,
        description=scenario.description,
        passed=not reasons,
        reasons=reasons,
    )


def grade_estimates(problem: Problem, given: Mapping[str, float]) -> list[EstimateResult]:
    out = []
    for e in problem.estimates:
        value = given.get(e.name)
        ok = (
            value is not None
            and value > 0
            and e.value > 0
            and 1 / FACTOR <= value / e.value <= FACTOR
        )
        out.append(
            EstimateResult(
                name=e.name,
                label=e.label,
                given=value,
                reference=e.value,
                unit=e.unit,
                ok=ok,
                formula=e.formula,
            )
        )
    return out


def grade(
    problem: Problem,
    design: Design,
    *,
    estimates: Mapping[str, float] | None = None,
    seed: int = 1,
) -> Report:
    """Run every hidden scenario on ``design`` and score it."""
    results = [run_scenario(problem, s, design, seed=seed) for s in problem.scenarios]
    est = grade_estimates(problem, estimates or {})
    budget = next((s.criteria.cost for s in problem.scenarios if s.kind == "peak"), None)
    peak = next(s for s in problem.scenarios if s.kind == "peak")
    cost = analyze(at_rates(design, peak.rates)[0]).cost_per_month

    def share(kinds: set[str]) -> float:
        chosen = [r for r in results if r.kind in kinds]
        return 100.0 * sum(r.passed for r in chosen) / len(chosen) if chosen else 100.0

    areas = {
        "scalability": share({"peak", "surge", "growth"}),
        "reliability": share({"failure"}),
        "cost": 100.0 if budget is None or cost <= budget else max(0.0, 100 * (2 - cost / budget)),
    }
    if estimates is not None:
        areas["estimation"] = 100.0 * sum(e.ok for e in est) / len(est)
    weights = {"scalability": 0.4, "reliability": 0.3, "cost": 0.15, "estimation": 0.15}
    used = sum(weights[k] for k in areas)
    score = sum(areas[k] * weights[k] for k in areas) / used
    passed = all(r.passed for r in results)
    level = (
        "staff signal"
        if passed and score >= 95
        else "senior signal"
        if score >= 75
        else "mid-level signal"
        if score >= 50
        else "not yet"
    )
    return Report(
        problem=problem.id,
        design=design.name,
        passed=passed,
        score=round(score, 1),
        level=level,
        areas={k: round(v, 1) for k, v in areas.items()},
        scenarios=results,
        estimates=est,
        cost_per_month=cost,
        budget_per_month=budget,
    )
