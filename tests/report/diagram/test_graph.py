"""The diagram's graph: edges in request-path order, rates that add up to the engine's
arrival rates, the bottleneck and single points of failure flagged."""

from __future__ import annotations

import pytest
from hypothesis import given

from staffpath.report.diagram.graph import SOURCE, Diagram
from tests.report.diagram.cases import LIGHT, PROPERTY, case_of, designs, example

DESIGN = """\
name: shop
workload:
  flows:
    browse:
      rate: 1000/s
      steps:
        - lb
        - api
        - cache: {hit: 80%, on_miss: [db.read]}
        - parallel: [[search: {fanout: 2}], [recs]]
        - api
    buy:
      rate: 100/s
      steps: [lb, api, db.write, db.read]
components:
  lb: {kind: load_balancer, replicas: 2}
  api: {kind: service, replicas: 4}
  cache: {kind: cache, replicas: 2}
  db: {kind: database, replicas: 2}
  search: {kind: search_index, replicas: 3}
  recs: {kind: service, replicas: 1}
"""


def edges(diagram: Diagram) -> dict[tuple[str, str], tuple[float, bool]]:
    return {(e.source, e.target): (round(e.rate_rps, 9), e.miss) for e in diagram.edges}


def test_edges_follow_the_steps_in_order() -> None:
    diagram = case_of(DESIGN).diagram
    assert list(edges(diagram).items()) == [
        ((SOURCE, "lb"), (1100.0, False)),
        (("lb", "api"), (1100.0, False)),
        (("api", "cache"), (1000.0, False)),
        (("cache", "db"), (200.0, True)),  # the miss path, off to the side
        (("cache", "search"), (2000.0, False)),  # parallel: fork from the step before, fanout 2
        (("cache", "recs"), (1000.0, False)),
        (("search", "api"), (1000.0, False)),  # ... and join into the step after
        (("recs", "api"), (1000.0, False)),
        (("api", "db"), (100.0, False)),  # db.write then db.read: no edge from db to itself
    ]
    assert diagram.edges[0].flows == ("browse", "buy")


def test_nodes_carry_the_engines_figures() -> None:
    case = case_of(DESIGN)
    for node in case.diagram.nodes:
        if node.is_source:
            assert node.arrival_rps == case.analysis.peak_rps
            continue
        result = case.analysis.components[node.id]
        assert (node.arrival_rps, node.utilization, node.replicas, node.tier) == (
            result.arrival_rps,
            result.utilization,
            result.replicas,
            result.tier,
        )
        assert node.replicas * node.concurrency == result.servers


def test_a_station_bottleneck_flags_its_component() -> None:
    case = example("payments")
    assert case.analysis.bottleneck == "psp"
    assert [n.id for n in case.diagram.nodes if n.bottleneck] == ["psp"]
    assert case.diagram.bottleneck == "psp"
    assert [(n.id, n.spof) for n in case.diagram.spofs] == [("psp", "one replica")]


def test_primary_station_bottleneck_names_the_component() -> None:
    text = """\
name: writes
workload: {flows: {w: {rate: 1000/s, steps: [db.write]}}}
components:
  db: {kind: database, replicas: 3, operations: {write: {mean: 10ms, "on": primary}}}
"""
    case = case_of(text)
    assert case.analysis.bottleneck == "db.primary"
    assert case.diagram.bottleneck == "db"


def test_delay_stations_do_not_queue() -> None:
    chat = example("chat").diagram
    assert not chat.node("last_mile").queueing
    assert chat.node("chat").queueing


def test_unknown_node_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        example("chat").diagram.node("nope")


@PROPERTY
@given(designs(plain=True))
def test_rates_into_a_component_add_up_to_its_arrival_rate(text: str) -> None:
    """Without retries or parallel joins every call arrives along exactly one edge, except a
    component calling itself, which has no edge: check against the engine."""
    case = case_of(text)
    into: dict[str, float] = {}
    for edge in case.diagram.edges:
        into[edge.target] = into.get(edge.target, 0.0) + edge.rate_rps
    selfless = _self_visits(case.design)
    for name, result in case.analysis.components.items():
        if name in selfless:
            assert into.get(name, 0.0) <= result.arrival_rps * (1 + 1e-9) + 1e-9
        else:
            assert into.get(name, 0.0) == pytest.approx(result.arrival_rps, rel=1e-9, abs=1e-9)


def _self_visits(design: object) -> set[str]:
    """Components some flow visits twice in a row (those visits have no edge)."""
    from staffpath.design.model import Design, Step, Visit

    assert isinstance(design, Design)
    found: set[str] = set()

    def walk(steps: list[Step], before: str | None) -> None:
        for step in steps:
            assert isinstance(step, Visit)
            if step.component == before:
                found.add(step.component)
            if step.on_miss:
                walk(step.on_miss, step.component)
            before = step.component

    for flow in design.workload.flows.values():
        walk(flow.steps, None)
    return found


@LIGHT
@given(designs())
def test_every_edge_joins_two_nodes_once(text: str) -> None:
    diagram = case_of(text).diagram
    ids = {n.id for n in diagram.nodes}
    pairs = [(e.source, e.target) for e in diagram.edges]
    assert len(pairs) == len(set(pairs))
    for source, target in pairs:
        assert source in ids and target in ids and source != target and target != SOURCE
