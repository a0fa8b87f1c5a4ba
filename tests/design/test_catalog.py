"""The shipped catalog validates, cites a source for every figure, and resolves overrides."""

from __future__ import annotations

import pytest

from staffpath.design.catalog import load_catalog, parse_catalog, resolve
from staffpath.design.load import load_design

REQUIRED = {
    "client",
    "dns",
    "cdn",
    "load_balancer",
    "api_gateway",
    "service",
    "worker",
    "cache",
    "database",
    "key_value",
    "queue",
    "stream",
    "object_store",
    "search_index",
}


def test_catalog_validates_and_has_every_required_kind() -> None:
    catalog = load_catalog()
    assert set(catalog.kinds) >= REQUIRED
    assert {"postgres", "mysql", "cassandra", "dynamodb"} <= set(catalog.kinds["database"].engines)


def test_every_source_is_cited_and_dated() -> None:
    catalog = load_catalog()
    for key, source in catalog.sources.items():
        assert source.accessed, key
        assert source.url is None or source.url.startswith("https://"), key


def test_a_figure_citing_an_unknown_source_is_refused() -> None:
    text = """\
date: 2026-01-01
sources: {}
kinds:
  service:
    summary: s
    tier: compute
    station: queue
    concurrency: {value: 8, source: nowhere, note: n}
    service_time: {value: 5ms, source: nowhere, note: n}
    availability: {value: 99.5%, source: nowhere, note: n}
    price: {value: $70/month, source: nowhere, note: n}
"""
    with pytest.raises(ValueError, match="unknown sources"):
        parse_catalog(text)


@pytest.mark.parametrize("kind", sorted(REQUIRED))
def test_figures_are_physically_sensible(kind: str) -> None:
    k = load_catalog().kinds[kind]
    assert 0 < k.availability.value <= 1
    assert k.price.value >= 0
    assert k.service_time.value.mean >= 0
    if k.station == "queue":
        per_replica = k.concurrency.value / k.service_time.value.mean
        assert 1 <= per_replica <= 10_000_000, f"{kind}: {per_replica:.0f}/s per replica"


def test_resolve_prefers_design_then_engine_then_kind() -> None:
    catalog = load_catalog()
    design = load_design("""\
name: r
workload: {flows: {a: {rate: 1/s, steps: [db.read, pg.read, own.read]}}}
components:
  db: {kind: database}
  pg: {kind: database, engine: postgres}
  own: {kind: database, engine: postgres, concurrency: 3, operations: {read: 7ms}, cost: $1/month}
""")
    kind = catalog.kinds["database"]
    base = resolve(design.components["db"], catalog)
    assert base.concurrency == kind.concurrency.value
    assert base.operations["read"] == kind.operations["read"].value
    pg = resolve(design.components["pg"], catalog)
    engine = kind.engines["postgres"]
    if engine.price is not None:
        assert pg.price == engine.price.value
    own = resolve(design.components["own"], catalog)
    assert (own.concurrency, own.operations["read"].mean, own.price) == (3, 0.007, 1.0)
