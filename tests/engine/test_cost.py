"""Monthly cost: replicas × catalog price, stored data per copy, estimates billed once."""

from __future__ import annotations

import pytest

from staffpath.design.catalog import load_catalog, resolve
from staffpath.design.load import load_design
from staffpath.engine.cost import cost
from staffpath.engine.estimate import estimate


def run(text: str):  # type: ignore[no-untyped-def]
    design = load_design(text)
    catalog = load_catalog()
    resolved = {n: resolve(c, catalog) for n, c in design.components.items()}
    return cost(design, resolved, estimate(design)), resolved


def test_compute_is_instances_times_price() -> None:
    result, resolved = run("""\
name: c
workload: {flows: {f: {rate: 1/s, steps: [api, db.read]}}}
components:
  api: {kind: service, replicas: 3, cost: $100/month}
  db: {kind: database, replicas: 2, shards: 4}
""")
    lines = {line.component: line for line in result.lines}
    assert lines["api"].monthly == pytest.approx(300.0)
    assert lines["db"].compute == pytest.approx(8 * resolved["db"].price)
    assert lines["api"].sources == ["design"]
    assert result.total == pytest.approx(sum(line.monthly for line in result.lines))
    assert lines["db"].formula.startswith("8 × $")


def test_declared_storage_is_billed_per_copy() -> None:
    result, resolved = run("""\
name: c
workload: {flows: {f: {rate: 1/s, steps: [db.read]}}}
components:
  db: {kind: database, replicas: 3, storage: 500GB}
""")
    (line,) = result.lines
    price = resolved["db"].storage_price
    assert price > 0
    assert line.storage == pytest.approx(500 * 3 * price)
    assert "500.0 GB × 3 copies" in line.formula


def test_estimated_data_goes_to_the_object_store_once() -> None:
    """Xu's URL shortener: 100M/day × 500 B × 10 y = 182.5 TB of logical data."""
    result, resolved = run("""\
name: c
workload: {flows: {f: {rate: 1/s, steps: [db.read, blobs.get]}}}
components:
  db: {kind: database, replicas: 3}
  blobs: {kind: object_store, replicas: 10}
data: {new_items: 100M/day, item_size: 500B, retention: 10y}
""")
    lines = {line.component: line for line in result.lines}
    assert lines["db"].storage == 0
    assert lines["blobs"].storage_bytes == pytest.approx(182.5e12)
    assert lines["blobs"].storage == pytest.approx(182_500 * resolved["blobs"].storage_price)
    assert "1 copy" in lines["blobs"].formula
