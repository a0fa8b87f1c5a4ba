"""The diagram as Graphviz DOT text, for anyone who wants to lay it out with ``dot``.

staffpath never runs Graphviz; this is an export. Same nodes, edges and words as the SVG;
the bottleneck and single points of failure carry a ``class`` (for Graphviz's SVG output)
and a visible style.
"""

from __future__ import annotations

from staffpath.report.diagram import palette as pal
from staffpath.report.diagram.graph import Diagram
from staffpath.report.diagram.labels import edge_text, node_text, readable_ids, subtitle
from staffpath.report.diagram.svg import edge_width

FONT = "Helvetica,Arial,sans-serif"
"""A fontconfig family list, the form Graphviz understands."""


def quote(value: str) -> str:
    """A DOT double-quoted string; line breaks become DOT's centred ``\\n``."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def render_dot(diagram: Diagram) -> str:
    ids = readable_ids(diagram)
    font = quote(FONT)
    title = f"{diagram.title}\n{subtitle(diagram)}"
    lines = [
        f"digraph {quote(diagram.title)} {{",
        f"  graph [rankdir=TB, label={quote(title)}, labelloc=t, labeljust=l, fontname={font}, "
        "fontsize=14, nodesep=0.5, ranksep=0.6];",
        f'  node [shape=box, style="rounded,filled", fontname={font}, fontsize=11, '
        'margin="0.15,0.08"];',
        f'  edge [fontname={font}, fontsize=10, color="{pal.EDGE}", arrowsize=0.7];',
    ]
    for node in diagram.nodes:
        sw = pal.tier(node.tier)
        outline = pal.BOTTLENECK if node.bottleneck else sw.stroke
        attrs = [
            f"label={quote(chr(10).join(node_text(node).lines))}",
            f'fillcolor="{sw.fill}"',
            f'color="{outline}"',
        ]
        classes = [f"tier-{node.tier}"]
        if node.is_source:
            attrs.append("shape=oval")
        if node.bottleneck:
            attrs.append("penwidth=3")
            classes.append("bottleneck")
        if node.spof:
            attrs += ["peripheries=2"]
            classes.append("spof")
        attrs.append(f"class={quote(' '.join(classes))}")
        lines.append(f"  {quote(ids[node.id])} [{', '.join(attrs)}];")
    widest = max((e.rate_rps for e in diagram.edges), default=0.0)
    for edge in diagram.edges:
        attrs = [
            f"label={quote(edge_text(edge))}",
            f"penwidth={edge_width(edge.rate_rps, widest):g}",
        ]
        if edge.miss:
            attrs += [
                "style=dashed",
                f'color="{pal.MISS}"',
                f'fontcolor="{pal.MISS}"',
                'class="miss"',
            ]
        lines.append(
            f"  {quote(ids[edge.source])} -> {quote(ids[edge.target])} [{', '.join(attrs)}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"
