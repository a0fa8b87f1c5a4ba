"""The diagram as a Mermaid flowchart, for Markdown that renders Mermaid (GitHub, GitLab).

Same nodes, edges and words as the SVG. Tiers, the bottleneck and single points of failure
are Mermaid classes; edge widths follow the SVG's through ``linkStyle``.
"""

from __future__ import annotations

import re

from staffpath.report.diagram import palette as pal
from staffpath.report.diagram.graph import Diagram
from staffpath.report.diagram.labels import edge_text, node_text, readable_ids, subtitle
from staffpath.report.diagram.svg import edge_width


def text(value: str) -> str:
    """Safe inside a quoted Mermaid label (entity codes for quotes and angle brackets)."""
    return (
        value.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )


def _ids(diagram: Diagram) -> dict[str, str]:
    """Mermaid ids: ``n_`` and the name, so that no component is read as a keyword."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for node_id, plain in readable_ids(diagram).items():
        base = plain if node_id.startswith("@") else "n_" + re.sub(r"[^A-Za-z0-9_]", "_", plain)
        mid = base
        while mid in taken:
            mid += "_"
        taken.add(mid)
        out[node_id] = mid
    return out


def render_mermaid(diagram: Diagram) -> str:
    ids = _ids(diagram)
    lines = [
        "---",
        f'title: "{diagram.title.replace(chr(34), chr(39))}"',
        "---",
        "flowchart TB",
        f"  %% {subtitle(diagram)}",
    ]
    for node in diagram.nodes:
        words = node_text(node).lines
        label = "<br/>".join(
            f"<b>{text(line)}</b>" if i == 0 else text(line) for i, line in enumerate(words)
        )
        if node.is_source:
            lines.append(f'  {ids[node.id]}(["{label}"])')
        else:
            lines.append(f'  {ids[node.id]}["{label}"]')
    widest = max((e.rate_rps for e in diagram.edges), default=0.0)
    styles = []
    for i, edge in enumerate(diagram.edges):
        arrow = "-.->" if edge.miss else "-->"
        lines.append(f'  {ids[edge.source]} {arrow}|"{text(edge_text(edge))}"| {ids[edge.target]}')
        colour = pal.MISS if edge.miss else pal.EDGE
        styles.append(
            f"  linkStyle {i} stroke:{colour},stroke-width:{edge_width(edge.rate_rps, widest)}px"
        )
    lines += styles
    tiers = list(dict.fromkeys(n.tier for n in diagram.nodes))
    for tier in tiers:
        sw = pal.tier(tier)
        lines.append(
            f"  classDef {_class(tier)} fill:{sw.fill},stroke:{sw.stroke},color:{pal.TEXT}"
        )
        members = ",".join(ids[n.id] for n in diagram.nodes if n.tier == tier)
        lines.append(f"  class {members} {_class(tier)}")
    spofs = [ids[n.id] for n in diagram.spofs]
    if spofs:
        lines.append(
            f"  classDef spof stroke:{pal.SPOF_FILL},stroke-width:3px,stroke-dasharray:6 3"
        )
        lines.append(f"  class {','.join(spofs)} spof")
    bottleneck = [ids[n.id] for n in diagram.nodes if n.bottleneck]
    if bottleneck:
        lines.append(f"  classDef bottleneck stroke:{pal.BOTTLENECK},stroke-width:4px")
        lines.append(f"  class {','.join(bottleneck)} bottleneck")
    return "\n".join(lines) + "\n"


def _class(tier: str) -> str:
    return "tier_" + re.sub(r"[^A-Za-z0-9_]", "_", tier)
