"""The words on the diagram, shared by every format so that SVG, Mermaid, D2 and DOT agree."""

from __future__ import annotations

from dataclasses import dataclass

from staffpath.report.diagram.graph import Diagram, Edge, Node
from staffpath.units import show_rate

BOTTLENECK_TAG = "bottleneck"
SPOF_TAG = "SPOF"


@dataclass(frozen=True, slots=True)
class NodeText:
    """The lines of one box, top to bottom (empty strings are not drawn)."""

    name: str
    kind: str
    capacity: str
    load: str
    tags: tuple[str, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        """Every line with words, tags after the name (the plain-text formats' label)."""
        head = self.name + "".join(f" [{t}]" for t in self.tags)
        return tuple(line for line in (head, self.kind, self.capacity, self.load) if line)


def percent(value: float) -> str:
    """Utilisation as people read it: ``59%``; ``<1%`` for a trickle, never a false ``0%``."""
    text = f"{value:.0%}"
    return "<1%" if value > 0 and text == "0%" else text


def node_text(node: Node) -> NodeText:
    if node.is_source:
        return NodeText(node.name, "", "", f"{show_rate(node.arrival_rps)} at peak", ())
    kind = " · ".join(
        part
        for part in (
            node.kind,
            node.engine or "",
            f"{node.shards} shards" if node.shards > 1 else "",
        )
        if part
    )
    zones = f"{len(node.zones)} zone{'s' if len(node.zones) != 1 else ''}" if node.zones else ""
    if node.queueing:
        replicas = f"{node.replicas} replica{'s' if node.replicas != 1 else ''}"
        capacity = " · ".join(p for p in (f"{replicas} × {node.concurrency}", zones) if p)
        state = " saturated" if node.saturated else ""
        load = f"{percent(node.utilization)}{state} · {show_rate(node.arrival_rps)}"
    else:
        capacity = " · ".join(p for p in ("delay, no queue", zones) if p)
        load = show_rate(node.arrival_rps)
    tags = tuple(
        tag for tag, on in ((BOTTLENECK_TAG, node.bottleneck), (SPOF_TAG, node.spof)) if on
    )
    return NodeText(node.name, kind, capacity, load, tags)


def edge_text(edge: Edge) -> str:
    rate = show_rate(edge.rate_rps)
    return f"miss {rate}" if edge.miss else rate


def describe_node(node: Node) -> str:
    """One sentence for screen readers and tooltips."""
    if node.is_source:
        return f"clients: {show_rate(node.arrival_rps)} at peak"
    text = node_text(node)
    parts = [f"{node.name}: {text.kind}", text.capacity]
    if node.queueing:
        parts.append(f"{percent(node.utilization)} utilised at {show_rate(node.arrival_rps)}")
    else:
        parts.append(f"{show_rate(node.arrival_rps)} arriving")
    if node.bottleneck:
        parts.append("the bottleneck: saturates first as load grows")
    if node.spof:
        parts.append(f"single point of failure ({node.spof})")
    return ", ".join(parts)


def describe_edge(diagram: Diagram, edge: Edge) -> str:
    source = diagram.node(edge.source).name
    target = diagram.node(edge.target).name
    what = "cache misses" if edge.miss else "calls"
    return f"{source} to {target}: {show_rate(edge.rate_rps)} {what} ({', '.join(edge.flows)})"


def subtitle(diagram: Diagram) -> str:
    """The headline: peak, bottleneck and headroom, single points of failure."""
    parts = [f"{show_rate(diagram.peak_rps)} at peak"]
    if diagram.bottleneck is not None and diagram.saturation_rps is not None:
        head = f", {diagram.headroom:.2f}x headroom" if diagram.headroom is not None else ""
        parts.append(
            f"bottleneck {diagram.bottleneck} (saturates at "
            f"{show_rate(diagram.saturation_rps)}{head})"
        )
    spofs = [n.name for n in diagram.spofs]
    if spofs:
        noun = "single point" if len(spofs) == 1 else "single points"
        parts.append(f"{noun} of failure: {', '.join(spofs)}")
    else:
        parts.append("no single point of failure")
    return " · ".join(parts)


def readable_ids(diagram: Diagram) -> dict[str, str]:
    """Node ids for the text formats: a component keeps its name; the source is ``clients``
    (with underscores added should a component already be called that)."""
    names = {n.id for n in diagram.nodes if not n.is_source}
    source = "clients"
    while source in names:
        source += "_"
    return {n.id: source if n.is_source else n.id for n in diagram.nodes}
