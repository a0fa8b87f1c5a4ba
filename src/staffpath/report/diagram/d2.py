"""The diagram as D2 text (d2lang.com), for teams that keep their diagrams in D2.

Same nodes, edges and words as the SVG; tiers, the bottleneck and single points of failure
are D2 classes, so a theme can restyle them in one place.
"""

from __future__ import annotations

import json
import re

from staffpath.report.diagram import palette as pal
from staffpath.report.diagram.graph import Diagram
from staffpath.report.diagram.labels import edge_text, node_text, readable_ids, subtitle
from staffpath.report.diagram.svg import edge_width


def quote(value: str) -> str:
    """A double-quoted D2 string (JSON's escapes are D2's: quotes, backslashes, newlines)."""
    return json.dumps(value, ensure_ascii=False)


def render_d2(diagram: Diagram) -> str:
    ids = readable_ids(diagram)
    tiers = list(dict.fromkeys(n.tier for n in diagram.nodes))
    lines = [
        f"# {diagram.title}: {subtitle(diagram)}",
        "direction: down",
        "",
        "classes: {",
    ]
    for tier in tiers:
        sw = pal.tier(tier)
        lines.append(
            f"  {_class(tier)}: {{style: {{fill: {quote(sw.fill)}; stroke: {quote(sw.stroke)}; "
            f"border-radius: 6}}}}"
        )
    lines.append(f"  bottleneck: {{style: {{stroke: {quote(pal.BOTTLENECK)}; stroke-width: 4}}}}")
    lines.append(
        f"  spof: {{style: {{stroke: {quote(pal.SPOF_FILL)}; stroke-width: 3; stroke-dash: 4}}}}"
    )
    lines.append("}")
    lines.append("")
    for node in diagram.nodes:
        classes = [_class(node.tier)]
        if node.spof:
            classes.append("spof")
        if node.bottleneck:  # after spof: its red outline wins
            classes.append("bottleneck")
        shape = "; shape: oval" if node.is_source else ""
        label = quote("\n".join(node_text(node).lines))
        lines.append(f"{quote(ids[node.id])}: {label} {{class: [{'; '.join(classes)}]{shape}}}")
    lines.append("")
    widest = max((e.rate_rps for e in diagram.edges), default=0.0)
    for edge in diagram.edges:
        style = [f"stroke: {quote(pal.MISS if edge.miss else pal.EDGE)}"]
        # D2 takes whole pixels only (0 to 15).
        style.append(f"stroke-width: {round(edge_width(edge.rate_rps, widest))}")
        if edge.miss:
            style.append("stroke-dash: 4")
        lines.append(
            f"{quote(ids[edge.source])} -> {quote(ids[edge.target])}: "
            f"{quote(edge_text(edge))} {{style: {{{'; '.join(style)}}}}}"
        )
    return "\n".join(lines) + "\n"


def _class(tier: str) -> str:
    return "tier_" + re.sub(r"[^A-Za-z0-9_]", "_", tier)
