"""What the diagram shows, before any drawing: nodes, edges, rates and flags.

One frozen :class:`Diagram` is built from a design and its analysis; every output format
(SVG, PNG, Mermaid, D2, DOT) draws the same one, so they always agree.

Edges follow the request path of each flow, in the order the steps run:

- consecutive visits are joined (``lb`` then ``api`` gives ``lb -> api``); the first step of
  every flow is entered from the ``clients`` source node;
- the branches of a ``parallel`` step fork from the step before it, and each branch's last
  visit joins into the step after it;
- a cache's ``on_miss`` steps hang off the cache as a side path, flagged ``miss``; the
  request then carries on from the cache itself, as it does in the engine;
- a component visited twice in a row (``db.claim`` then ``db.read``) has no edge to itself.

Each edge carries the rate of calls along it, summed over flows: the flow's rate times the
probability that a request reaches the step (hit ratios) times the step's ``fanout``. These
are first attempts: retries show in the arrival rate of the component they load, which is
the engine's figure. A join edge carries the rate of requests going on from the join, so the
edges into a step after a ``parallel`` each carry that step's full rate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from staffpath.design.catalog import Catalog, load_catalog, resolve
from staffpath.design.model import Design, Parallel, Step

if TYPE_CHECKING:  # the engine (numpy, scipy) loads only when an analysis is made
    from staffpath.engine.analyze import Analysis

SOURCE = "@clients"
"""Id of the source node: not a valid component name, so it never collides with one."""


@dataclass(frozen=True, slots=True)
class Node:
    """A box: one component with its figures, or the ``clients`` source."""

    id: str
    name: str
    kind: str
    tier: str
    engine: str | None
    replicas: int
    """Replicas over all shards (the engine's count)."""
    shards: int
    concurrency: int
    """Parallel workers per replica."""
    zones: tuple[str, ...]
    arrival_rps: float
    utilization: float
    queueing: bool
    """False for delay stations (a client's radio, a CDN edge): they add time, never queue."""
    saturated: bool
    warning: bool
    bottleneck: bool
    spof: str | None
    """Why one failure takes this component down, when it is a single point of failure."""

    @property
    def is_source(self) -> bool:
        return self.id == SOURCE


@dataclass(frozen=True, slots=True)
class Edge:
    """Calls from one node to another, summed over the flows that make them."""

    source: str
    target: str
    rate_rps: float
    miss: bool
    """Only a cache's miss path makes these calls."""
    flows: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Diagram:
    title: str
    peak_rps: float
    saturation_rps: float | None
    headroom: float | None
    bottleneck: str | None
    """The component holding the engine's bottleneck station."""
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def node(self, node_id: str) -> Node:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    @property
    def spofs(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.spof is not None)


def build_diagram(design: Design, analysis: Analysis, *, catalog: Catalog | None = None) -> Diagram:
    """The diagram of ``design`` with the figures of ``analysis`` (made from that design)."""
    catalog = catalog or load_catalog()
    bottleneck = _bottleneck_component(analysis)
    spofs = {s.component: s.reason for s in analysis.spofs}
    nodes = [
        Node(
            id=SOURCE,
            name="clients",
            kind="clients",
            tier="clients",
            engine=None,
            replicas=0,
            shards=1,
            concurrency=0,
            zones=(),
            arrival_rps=analysis.peak_rps,
            utilization=0.0,
            queueing=False,
            saturated=False,
            warning=False,
            bottleneck=False,
            spof=None,
        )
    ]
    for name, comp in design.components.items():
        result = analysis.components[name]
        resolved = resolve(comp, catalog)
        nodes.append(
            Node(
                id=name,
                name=name,
                kind=comp.kind,
                tier=result.tier,
                engine=comp.engine,
                replicas=result.replicas,
                shards=comp.shards,
                concurrency=resolved.concurrency,
                zones=tuple(comp.zones or ()),
                arrival_rps=result.arrival_rps,
                utilization=result.utilization,
                queueing=resolved.station == "queue",
                saturated=result.saturated,
                warning=result.warning,
                bottleneck=name == bottleneck,
                spof=spofs.get(name),
            )
        )
    return Diagram(
        title=design.name,
        peak_rps=analysis.peak_rps,
        saturation_rps=analysis.saturation_rps,
        headroom=analysis.headroom,
        bottleneck=bottleneck,
        nodes=tuple(nodes),
        edges=_edges(design, analysis),
    )


def _bottleneck_component(analysis: Analysis) -> str | None:
    """The engine names a station (``db.primary``); the diagram flags its component."""
    if analysis.bottleneck is None:
        return None
    for name, result in analysis.components.items():
        if any(s.name == analysis.bottleneck for s in result.stations):
            return name
    return None


_Add = Callable[[str, str, float, bool], None]


def _edges(design: Design, analysis: Analysis) -> tuple[Edge, ...]:
    rates: dict[tuple[str, str], float] = {}
    misses: dict[tuple[str, str], bool] = {}
    flows: dict[tuple[str, str], list[str]] = {}
    for flow_name, flow in design.workload.flows.items():
        rate = analysis.flows[flow_name].rate_rps

        def add(source: str, target: str, weight: float, miss: bool, flow: str = flow_name) -> None:
            if source == target:
                return
            key = (source, target)
            rates[key] = rates.get(key, 0.0) + weight
            misses[key] = misses.get(key, True) and miss
            if flow not in flows.setdefault(key, []):
                flows[key].append(flow)

        _walk(flow.steps, (SOURCE,), rate, False, add)
    return tuple(
        Edge(source=s, target=t, rate_rps=rates[(s, t)], miss=misses[(s, t)], flows=tuple(f))
        for (s, t), f in flows.items()
    )


def _walk(
    steps: list[Step], entered_from: tuple[str, ...], rate: float, miss: bool, add: _Add
) -> tuple[str, ...]:
    """Add the edges of ``steps`` entered from ``entered_from`` at ``rate`` requests/s; return
    the nodes the request leaves from. ``miss`` marks the edges into the first step."""
    previous = entered_from
    for step in steps:
        if isinstance(step, Parallel):
            ends: list[str] = []
            for branch in step.branches:
                ends += _walk(branch, previous, rate, miss, add)
            previous = tuple(dict.fromkeys(ends))
        else:
            for source in previous:
                add(source, step.component, rate * step.fanout, miss)
            if step.on_miss and step.hit is not None:
                _walk(step.on_miss, (step.component,), rate * (1.0 - step.hit), True, add)
            previous = (step.component,)
        miss = False
    return previous
