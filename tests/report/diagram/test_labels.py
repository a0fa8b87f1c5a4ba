"""The words on the diagram."""

from __future__ import annotations

from staffpath.report.diagram.labels import (
    describe_edge,
    edge_text,
    node_text,
    percent,
    readable_ids,
    subtitle,
)
from tests.report.diagram.cases import case_of, example


def test_percent_never_rounds_a_trickle_to_zero() -> None:
    assert [percent(v) for v in (0.0, 0.001, 0.005, 0.586, 1.34)] == [
        "0%",
        "<1%",
        "<1%",
        "59%",
        "134%",
    ]


def test_a_sharded_component() -> None:
    text = node_text(example("news-feed").diagram.node("timelines"))
    assert text.name == "timelines"
    assert text.kind == "cache · redis · 32 shards"
    assert text.capacity == "64 replicas × 40 · 3 zones"
    assert text.load == "5% · 320.6k/s"
    assert text.tags == ()


def test_marks_become_tags() -> None:
    text = node_text(example("payments").diagram.node("psp"))
    assert text.tags == ("bottleneck", "SPOF")
    assert text.capacity == "1 replica × 64"
    assert text.lines[0] == "psp [bottleneck] [SPOF]"


def test_delay_stations_show_no_utilisation() -> None:
    text = node_text(example("chat").diagram.node("last_mile"))
    assert text.capacity == "delay, no queue"
    assert text.load == "101.5k/s"


def test_saturated_says_so() -> None:
    case = case_of(
        "name: hot\nworkload: {flows: {a: {rate: 1000/s, steps: [api]}}}\n"
        "components: {api: {kind: service, replicas: 1, concurrency: 1, service_time: 2ms}}\n"
    )
    assert node_text(case.diagram.node("api")).load == "200% saturated · 1k/s"


def test_edges_and_headline() -> None:
    diagram = example("url-shortener").diagram
    miss = next(e for e in diagram.edges if e.miss)
    assert edge_text(miss) == "miss 2.32k/s"
    assert describe_edge(diagram, miss) == "cache to db: 2.32k/s cache misses (redirect)"
    assert subtitle(diagram) == (
        "25.5k/s at peak · bottleneck api (saturates at 51.38k/s, 2.01x headroom) · "
        "no single point of failure"
    )
    assert subtitle(example("payments").diagram).endswith("single point of failure: psp")


def test_a_component_called_clients_keeps_its_name() -> None:
    case = case_of(
        "name: c\nworkload: {flows: {a: {rate: 1/s, steps: [clients]}}}\n"
        "components: {clients: {kind: service}}\n"
    )
    ids = readable_ids(case.diagram)
    assert ids["clients"] == "clients"
    assert ids["@clients"] == "clients_"
