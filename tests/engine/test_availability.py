"""Availability against closed forms, a brute-force enumeration of states, and invariants."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from staffpath.design.catalog import Resolved, load_catalog, resolve
from staffpath.design.load import load_text
from staffpath.design.model import Component, Design, Parallel, Step
from staffpath.engine.availability import (
    AvailabilityResult,
    availability,
    component_availability,
    k_of_n,
)
from staffpath.errors import InternalError


def design_of(text: str) -> tuple[Design, dict[str, Resolved]]:
    design = load_text(text).design
    catalog = load_catalog()
    return design, {n: resolve(c, catalog) for n, c in design.components.items()}


def analyse(text: str) -> AvailabilityResult:
    return availability(*design_of(text))


# --- closed forms -------------------------------------------------------------------------------


def test_one_of_two_at_99_percent_is_four_nines() -> None:
    assert k_of_n(1, 2, 0.99) == pytest.approx(0.9999, abs=1e-15)


def test_two_of_three_at_90_percent() -> None:
    # 3 * 0.9^2 * 0.1 + 0.9^3 = 0.243 + 0.729
    assert k_of_n(2, 3, 0.9) == pytest.approx(0.972, abs=1e-15)
    result = component_availability("quorum", Component(kind="database", replicas=3), 0.9, needed=2)
    assert result.needed == 2
    assert result.availability == pytest.approx(0.972, abs=1e-15)
    assert result.formula == (
        "2-of-3 replicas, a = 0.9: sum_{i=2..3} C(3,i) * 0.9^i * 0.1^(3-i) = 0.972"
    )


def test_n_of_n_is_the_product() -> None:
    assert k_of_n(3, 3, 0.9) == pytest.approx(0.729, abs=1e-15)


@pytest.mark.parametrize(("k", "n"), [(0, 3), (4, 3)])
def test_k_outside_one_to_n_is_a_bug(k: int, n: int) -> None:
    with pytest.raises(InternalError, match="1 <= k <= n"):
        k_of_n(k, n, 0.9)


def test_replicated_component_in_a_design_shows_its_arithmetic() -> None:
    result = analyse("""
name: pair
workload: {peak: 1k/s, flows: {read: {share: 100%, steps: [api]}}}
components: {api: {kind: service, replicas: 2, availability: 99%}}
""")
    api = result.components["api"]
    assert (api.replicas, api.needed, api.replica_availability) == (2, 1, 0.99)
    assert api.availability == pytest.approx(0.9999, abs=1e-15)
    assert api.formula == "1-of-2 replicas, a = 0.99: 1 - (1 - 0.99)^2 = 0.9999"
    assert result.flows["read"].availability == pytest.approx(0.9999, abs=1e-15)


def test_a_request_needs_only_its_own_shard() -> None:
    """Shards split the data: a request reaches one shard, so the share of requests served is
    one shard's availability, not the chance that all shards are up at once."""
    result = analyse("""
name: sharded
workload: {peak: 1k/s, flows: {read: {share: 100%, steps: [db.read]}}}
components: {db: {kind: database, replicas: 2, shards: 3, availability: 99%}}
""")
    db = result.components["db"]
    assert db.availability == pytest.approx(1 - 0.01**2, abs=1e-15)
    assert db.formula.startswith("1-of-2 replicas in the request's shard (one of 3)")
    assert "1 - (1 - 0.99)^2 = 0.9999" in db.formula


def test_series_is_the_product() -> None:
    result = analyse("""
name: series
workload: {peak: 1k/s, flows: {read: {share: 100%, steps: [api, db.read]}}}
components:
  api: {kind: service, availability: 99.9%}
  db: {kind: database, availability: 99.99%}
""")
    read = result.flows["read"]
    assert read.required == ["api", "db"]
    assert read.availability == pytest.approx(0.999 * 0.9999, abs=1e-15)


def test_a_component_reached_twice_fails_once() -> None:
    result = analyse("""
name: twice
workload: {peak: 1k/s, flows: {read: {share: 100%, steps: [api, db.read, api]}}}
components:
  api: {kind: service, availability: 99%}
  db: {kind: database, availability: 99.9%}
""")
    assert result.flows["read"].availability == pytest.approx(0.99 * 0.999, abs=1e-15)


def test_primary_with_standbys_is_one_of_n() -> None:
    result = analyse("""
name: writes
workload: {peak: 1k/s, flows: {write: {share: 100%, steps: [db.write]}}}
components: {db: {kind: database, replicas: 3, availability: 99.9%}}
""")
    db = result.components["db"]
    assert db.needed == 1
    assert db.availability == pytest.approx(1 - 0.001**3, abs=1e-15)
    assert "on: primary" in db.formula
    assert "standby is promoted" in db.formula


# --- flows --------------------------------------------------------------------------------------

CACHED = """
name: cached
workload:
  peak: 1k/s
  flows:
    read: {share: 100%, steps: [api, {cache: {hit: 90%, on_miss: [db.read]}}]}
components:
  api: {kind: service, replicas: 1, availability: 99%}
  cache: {kind: cache, replicas: 1, availability: 50%}
  db: {kind: database, replicas: 1, availability: 99.9%}
"""


def test_a_cache_with_a_miss_branch_is_not_required_but_its_database_is() -> None:
    result = analyse(CACHED)
    read = result.flows["read"]
    assert read.required == ["api", "db"]
    # Cache up (50%): hits (90%) are served, misses need the db; cache down: all need the db.
    served = 0.9 * 0.5 + 0.999 * (1 - 0.9 * 0.5)
    assert read.availability == pytest.approx(0.99 * served, abs=1e-15)
    assert [s.component for s in result.spofs] == ["api", "db"]


def test_a_hit_without_a_miss_branch_is_required() -> None:
    result = analyse("""
name: edge
workload: {peak: 1k/s, flows: {page: {share: 100%, steps: [{cdn: {hit: 60%}}, api]}}}
components:
  cdn: {kind: cdn, availability: 99.9%}
  api: {kind: service, availability: 99%}
""")
    page = result.flows["page"]
    assert page.required == ["cdn", "api"]
    assert page.availability == pytest.approx(0.999 * 0.99, abs=1e-15)


PARALLEL = """
name: fan
workload:
  peak: 1k/s
  flows:
    page:
      share: 100%
      steps: [api, {{parallel: {{join: {join}, branches: [[search], [ads]]}}}}]
components:
  api: {{kind: service, availability: 99%}}
  search: {{kind: service, availability: 90%}}
  ads: {{kind: service, availability: 80%}}
"""


def test_parallel_join_all_needs_every_branch() -> None:
    page = analyse(PARALLEL.format(join="all")).flows["page"]
    assert page.required == ["api", "search", "ads"]
    assert page.availability == pytest.approx(0.99 * 0.9 * 0.8, abs=1e-15)


def test_parallel_join_first_needs_one_branch() -> None:
    page = analyse(PARALLEL.format(join="first")).flows["page"]
    assert page.required == ["api"]
    assert page.availability == pytest.approx(0.99 * (1 - 0.1 * 0.2), abs=1e-15)


def test_a_component_in_every_first_branch_is_required_and_counted_once() -> None:
    result = analyse("""
name: shared
workload:
  peak: 1k/s
  flows:
    page: {share: 100%, steps: [{parallel: {join: first, branches: [[db, a], [db, b]]}}]}
components:
  db: {kind: service, availability: 99%}
  a: {kind: service, availability: 90%}
  b: {kind: service, availability: 80%}
""")
    page = result.flows["page"]
    assert page.required == ["db"]
    assert page.availability == pytest.approx(0.99 * (1 - 0.1 * 0.2), abs=1e-15)


# --- overall and downtime -----------------------------------------------------------------------


def test_three_nines_is_43_8_minutes_a_month() -> None:
    result = analyse("""
name: three nines
workload: {peak: 1k/s, flows: {read: {share: 100%, steps: [api]}}}
components: {api: {kind: service, availability: 99.9%}}
""")
    assert result.overall == pytest.approx(0.999, abs=1e-15)
    assert result.downtime_minutes_per_month == pytest.approx(43.8, abs=1e-9)


def test_overall_is_weighted_by_flow_rate() -> None:
    shares = analyse("""
name: mix
workload:
  peak: 1k/s
  flows:
    read: {share: 75%, steps: [api]}
    write: {share: 25%, steps: [api, db]}
components:
  api: {kind: service, availability: 100%}
  db: {kind: service, availability: 90%}
""")
    assert shares.overall == pytest.approx(0.75 * 1.0 + 0.25 * 0.9, abs=1e-15)
    rates = analyse("""
name: mix
workload:
  flows:
    read: {rate: 300/s, steps: [api]}
    write: {rate: 100/s, steps: [api, db]}
components:
  api: {kind: service, availability: 100%}
  db: {kind: service, availability: 90%}
""")
    assert rates.overall == pytest.approx(shares.overall, abs=1e-15)


def test_missing_resolved_figures_are_a_bug() -> None:
    design, resolved = design_of(CACHED)
    del resolved["db"]
    with pytest.raises(InternalError, match="db"):
        availability(design, resolved)


# --- single points of failure -------------------------------------------------------------------


def test_single_replica_and_single_zone_are_spofs() -> None:
    result = analyse("""
name: spofs
workload:
  peak: 1k/s
  flows:
    read: {share: 50%, steps: [lb, api, db.read]}
    write: {share: 50%, steps: [lb, api, queue.enqueue]}
components:
  lb: {kind: load_balancer, replicas: 1}
  api: {kind: service, replicas: 3, zones: [a]}
  db: {kind: database, replicas: 3, zones: [a, b, c]}
  queue: {kind: queue, replicas: 2, zones: 2}
  spare: {kind: service, replicas: 1}
""")
    spofs = {s.component: s for s in result.spofs}
    assert set(spofs) == {"lb", "api"}  # spare is used by no flow
    assert spofs["lb"].reason == "one replica"
    assert spofs["lb"].flows == ["read", "write"]
    assert spofs["api"].reason == "one zone: a"


def test_unplaced_replicas_are_one_zone_only_when_the_design_uses_zones() -> None:
    placed = analyse("""
name: mixed placement
workload: {peak: 1k/s, flows: {read: {share: 100%, steps: [api, db.read]}}}
components:
  api: {kind: service, replicas: 3}
  db: {kind: database, replicas: 3, zones: 3}
""")
    assert [(s.component, s.reason.split(":")[0]) for s in placed.spofs] == [("api", "one zone")]
    unplaced = analyse("""
name: no zones anywhere
workload: {peak: 1k/s, flows: {read: {share: 100%, steps: [api, db.read]}}}
components:
  api: {kind: service, replicas: 3}
  db: {kind: database, replicas: 3}
""")
    assert unplaced.spofs == []


def test_a_cache_with_a_fallback_is_not_a_spof() -> None:
    result = analyse(CACHED)
    assert "cache" not in {s.component for s in result.spofs}


# --- against a brute-force enumeration ----------------------------------------------------------


def served(steps: Sequence[Step], alive: set[str]) -> float:
    """Share of a flow's requests served with only ``alive`` components up, read literally
    from the rules (each request takes its own random path): the second engine to compare with.
    """
    share = 1.0
    for step in steps:
        if isinstance(step, Parallel):
            results = [served(branch, alive) for branch in step.branches]
            ok = math.prod(results) if step.join == "all" else 1 - math.prod(1 - r for r in results)
        elif step.hit is not None and step.on_miss:
            miss = served(step.on_miss, alive)
            ok = step.hit + (1 - step.hit) * miss if step.component in alive else miss
        else:
            ok = 1.0 if step.component in alive else 0.0
        share *= ok
    return share


def reached(steps: Sequence[Step]) -> set[str]:
    out: set[str] = set()
    for step in steps:
        if isinstance(step, Parallel):
            for branch in step.branches:
                out |= reached(branch)
        else:
            out.add(step.component)
            out |= reached(step.on_miss or [])
    return out


def flow_up(steps: Sequence[Step], alive: set[str]) -> bool:
    return served(steps, alive) == 1.0


def enumerated(steps: Sequence[Step], avail: dict[str, float]) -> float:
    names = sorted(avail)
    total = 0.0
    for states in itertools.product((True, False), repeat=len(names)):
        alive = {n for n, up in zip(names, states, strict=True) if up}
        total += served(steps, alive) * math.prod(
            avail[n] if up else 1 - avail[n] for n, up in zip(names, states, strict=True)
        )
    return total


@st.composite
def designs(draw: st.DrawFn) -> str:
    names = [f"c{i}" for i in range(draw(st.integers(1, 5)))]
    components: dict[str, object] = {}
    for name in names:
        comp: dict[str, object] = {
            "kind": "service",
            "replicas": draw(st.integers(1, 4)),
            "availability": f"{draw(st.integers(0, 10_000)) / 100:g}%",
        }
        if draw(st.booleans()):
            comp["shards"] = draw(st.integers(2, 3))
        if draw(st.booleans()):
            comp["zones"] = draw(st.integers(1, 3))
        components[name] = comp

    def steps(depth: int, banned: frozenset[str]) -> list[object]:
        allowed = [n for n in names if n not in banned]
        return [step(depth, banned, allowed) for _ in range(draw(st.integers(1, 3)))]

    def step(depth: int, banned: frozenset[str], allowed: list[str]) -> object:
        form = draw(st.integers(0, 3)) if depth < 3 else 0
        target = draw(st.sampled_from(allowed))
        if form == 1:
            return {target: {"hit": f"{draw(st.integers(0, 100))}%"}}
        if form == 2 and len(allowed) > 1:
            return {
                target: {
                    "hit": f"{draw(st.integers(0, 100))}%",
                    "on_miss": steps(depth + 1, banned | {target}),
                }
            }
        if form == 3:
            branches = [steps(depth + 1, banned) for _ in range(draw(st.integers(2, 3)))]
            return {
                "parallel": {"join": draw(st.sampled_from(["all", "first"])), "branches": branches}
            }
        return target

    flows = {
        f"f{i}": {"rate": f"{draw(st.integers(0, 1000))}/s", "steps": steps(0, frozenset())}
        for i in range(draw(st.integers(1, 3)))
    }
    doc = {"name": "generated", "workload": {"flows": flows}, "components": components}
    return yaml.safe_dump(doc)


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(designs())
def test_flows_match_brute_force_and_respect_their_bounds(text: str) -> None:
    design, resolved = design_of(text)
    result = availability(design, resolved)
    comp = {n: c.availability for n, c in result.components.items()}
    for name, flow in design.workload.flows.items():
        got = result.flows[name]
        assert got.availability == pytest.approx(enumerated(flow.steps, comp), abs=1e-12)
        everyone = set(design.components)
        assert got.required == list(dict.fromkeys(got.required))
        assert set(got.required) == {c for c in everyone if not flow_up(flow.steps, everyone - {c})}
        # Never below the chance that every component the flow can reach is up.
        assert got.availability >= math.prod(comp[c] for c in reached(flow.steps)) - 1e-12
    assert 0.0 <= result.overall <= 1.0
    for spof in result.spofs:
        assert spof.flows
        assert all(spof.component in result.flows[f].required for f in spof.flows)


@PROPERTY
@given(
    replicas=st.integers(1, 12),
    shards=st.integers(1, 4),
    basis_points=st.integers(0, 10_000),
)
def test_more_replicas_never_lower_availability(
    replicas: int, shards: int, basis_points: int
) -> None:
    def flow_availability(n: int) -> float:
        result = analyse(f"""
name: grow
workload: {{peak: 1k/s, flows: {{read: {{share: 100%, steps: [db.write]}}}}}}
components:
  db: {{kind: database, replicas: {n}, shards: {shards}, availability: {basis_points / 100:g}%}}
""")
        assert result.flows["read"].availability == result.components["db"].availability
        return result.components["db"].availability

    assert flow_availability(replicas + 1) >= flow_availability(replicas)


@given(k=st.integers(1, 10), extra=st.integers(0, 10), a=st.floats(0, 1))
def test_k_of_n_is_monotone_in_n_and_k(k: int, extra: int, a: float) -> None:
    n = k + extra
    assert 0.0 <= k_of_n(k, n, a) <= 1.0
    assert k_of_n(k, n + 1, a) >= k_of_n(k, n, a) - 1e-12
    if k < n:
        assert k_of_n(k + 1, n, a) <= k_of_n(k, n, a) + 1e-12


def test_a_formula_never_rounds_a_failure_away() -> None:
    api = component_availability("api", Component(kind="service", replicas=6), 0.995)
    assert api.formula.endswith("= 0.99999999999998")  # 1 - 1.6e-14, not "= 1"


def test_managed_services_count_their_sla_not_their_slices() -> None:
    """S3 bought as 28 throughput slices is still S3: 99.9% by its SLA, never a zone SPOF."""
    result = analyse("""
name: managed
workload: {peak: 1k/s, flows: {get: {share: 100%, steps: [api, blobs.get]}}}
components:
  api: {kind: service, replicas: 3, zones: [a, b, c]}
  blobs: {kind: object_store, replicas: 28, availability: 99.9%}
""")
    assert result.components["blobs"].availability == pytest.approx(0.999)
    assert "managed regional service" in result.components["blobs"].formula
    assert [s.component for s in result.spofs] == []
