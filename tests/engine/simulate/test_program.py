"""Designs flattened for the kernel: queues, code and scripted actions."""

from __future__ import annotations

import numpy as np

from staffpath.design.catalog import load_catalog, resolve
from staffpath.design.load import load_design
from staffpath.engine.simulate.program import (
    A_CAPACITY,
    A_FLUSH,
    M_BALANCED,
    M_DELAY,
    M_POOLED,
    M_SPLIT,
    OP_BEND,
    OP_END,
    OP_FORK,
    OP_HIT,
    OP_VISIT,
    compile_program,
)

TEXT = """\
name: p
workload:
  peak: 100/s
  flows:
    read: {share: 75%, steps: [edge, {cache: {hit: 90%, on_miss: [db.read]}}, {api: {fanout: 2}}]}
    write: {share: 25%, steps: [{parallel: [[api], [db.write]]}]}
components:
  edge: {kind: cdn}
  api: {kind: service, replicas: 3, concurrency: 4, balancing: least_connections, zones: 3}
  cache: {kind: cache, replicas: 2, concurrency: 8}
  db:
    kind: database
    replicas: 3
    concurrency: 16
    operations: {read: 2ms, write: {mean: 8ms, on: primary}}
failures:
  - {at: 10s, kill: db.primary, failover: 5s, for: 60s}
  - {at: 30s, flush: cache, for: 20s}
  - {at: 40s, zone: b, for: 10s}
"""


def compiled():  # type: ignore[no-untyped-def]
    d = load_design(TEXT)
    cat = load_catalog()
    return compile_program(d, {n: resolve(c, cat) for n, c in d.components.items()})


def test_components_become_queues() -> None:
    p = compiled()
    modes = dict(zip(p.component_names, p.comp[:, 0], strict=True))
    assert modes == {"edge": M_DELAY, "api": M_BALANCED, "cache": M_POOLED, "db": M_SPLIT}
    assert p.queue_names == [
        "edge",
        "api[0]",
        "api[1]",
        "api[2]",
        "cache",
        "db.primary",
        "db.replicas",
    ]
    assert list(p.queue_servers) == [1, 4, 4, 4, 16, 16, 32]


def test_flows_become_code() -> None:
    p = compiled()
    ops = list(p.code[:, 0])
    read = ops[p.flow_start[0] : p.flow_start[1]]
    assert read == [OP_VISIT, OP_VISIT, OP_HIT, OP_VISIT, OP_FORK, OP_VISIT, OP_BEND, OP_END]
    hit = p.flow_start[0] + 2
    assert p.code[hit, 2] == hit + 2  # a hit jumps over the miss branch
    assert p.fcode[hit, 0] == 0.9
    assert np.allclose(p.flow_cum, [0.75, 1.0])
    assert p.total_rate == 100.0


def test_failures_become_timed_actions() -> None:
    p = compiled()
    kinds = [(float(t), int(k)) for t, k in zip(p.actions_t, p.actions_i[:, 0], strict=True)]
    assert (30.0, A_FLUSH) in kinds
    # the primary is down until a standby takes over; the read replicas are untouched
    primary = [
        (t, int(d))
        for t, (k, qi, d, _) in zip(p.actions_t, p.actions_i, strict=True)
        if k == A_CAPACITY and p.queue_names[qi] == "db.primary"
    ]
    assert primary == [(10.0, -16), (15.0, 16)]
    assert not [
        k for k, qi, _, _ in p.actions_i if k == A_CAPACITY and p.queue_names[qi] == "db.replicas"
    ]
    zone_b = [
        p.queue_names[qi]
        for t, (k, qi, d, _) in zip(p.actions_t, p.actions_i, strict=True)
        if t == 40.0 and k == A_CAPACITY
    ]
    assert zone_b == ["api[1]"]  # replicas round robin over zones a, b, c
