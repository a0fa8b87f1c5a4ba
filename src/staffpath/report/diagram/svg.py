"""The diagram as one self-contained SVG: no external fonts, stylesheets or scripts.

A header (the design's name and headline figures), the layered drawing, and a legend that
explains every colour and mark in use. Components are coloured by tier; each box shows its
utilisation as a bar and a percentage; the bottleneck gets a thick red outline and a tag; a
single point of failure gets an amber ``SPOF`` badge. Edges get thicker with their rate.

Accessibility: the root is an image named by its ``<title>`` and described by a ``<desc>``
that says in words everything the picture shows (every component and call); every box and
edge also has a ``<title>`` (a tooltip) and an ``aria-label``. Output is deterministic (coordinates written with one
decimal) so that golden files compare byte for byte.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from staffpath.report.diagram import boxes as bx
from staffpath.report.diagram import palette as pal
from staffpath.report.diagram.fonts import FONT_FAMILY, text_width
from staffpath.report.diagram.graph import Diagram, Node
from staffpath.report.diagram.labels import (
    BOTTLENECK_TAG,
    SPOF_TAG,
    describe_edge,
    describe_node,
    edge_text,
    node_text,
    subtitle,
)
from staffpath.report.diagram.layout import Layout, Point, Rect, Route, lay_out

MARGIN = 24.0
TITLE_SIZE = 18.0
SUBTITLE_SIZE = 12.0
MIN_CONTENT = 560.0
GRAPH_TOP_GAP = 22.0
LEGEND_GAP = 30.0
LEGEND_SIZE = 11.0
LEGEND_ROW = 22.0
LEGEND_ITEM_GAP = 20.0
ARROW_LENGTH = 9.0
ARROW_WIDTH = 8.0
EDGE_MIN_WIDTH = 1.2
EDGE_MAX_WIDTH = 3.6
ID = "spd"
"""Prefix of the ids in the SVG, so that it can be inlined next to other SVGs."""


def n(value: float) -> str:
    """A coordinate: one decimal at most, no ``-0``."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass(frozen=True, slots=True)
class Canvas:
    """Where the parts go on the page: the drawing is offset by (dx, dy)."""

    width: float
    height: float
    dx: float
    dy: float
    subtitle_lines: tuple[str, ...]
    legend: tuple[tuple[float, float, LegendItem], ...]
    """(x, y of the row's middle, item)."""


@dataclass(frozen=True, slots=True)
class LegendItem:
    sample: str
    """What the sample draws: a tier name, or one of the marks."""
    text: str
    width: float


def draw(diagram: Diagram, layout: Layout | None = None) -> str:
    """The SVG text of ``diagram`` (laid out here unless ``layout`` is given)."""
    layout = layout or lay_out(diagram)
    canvas = plan(diagram, layout)
    out: list[str] = []
    title = f"{diagram.title}: request paths"
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{n(canvas.width)}" '
        f'height="{n(canvas.height)}" viewBox="0 0 {n(canvas.width)} {n(canvas.height)}" '
        f'role="img" aria-labelledby="{ID}-title {ID}-desc" '
        f"font-family={quoteattr(FONT_FAMILY)}>"
    )
    out.append(f'<title id="{ID}-title">{escape(title)}</title>')
    out.append(f'<desc id="{ID}-desc">{escape(_description(diagram))}</desc>')
    out.append(
        f'<rect width="{n(canvas.width)}" height="{n(canvas.height)}" fill="{pal.BACKGROUND}"/>'
    )
    out += _header(diagram, canvas)
    out.append(f'<g id="{ID}-graph" transform="translate({n(canvas.dx)} {n(canvas.dy)})">')
    widest = max((e.rate_rps for e in diagram.edges), default=0.0)
    out.append(f'<g id="{ID}-edges">')
    for route in layout.routes:
        out += _edge(diagram, route, widest)
    out.append("</g>")
    out.append(f'<g id="{ID}-nodes">')
    for node in diagram.nodes:
        out += _node(node, layout.boxes[node.id])
    out.append("</g>")
    out.append(f'<g id="{ID}-labels">')
    for route in layout.routes:
        out += _label(route)
    out.append("</g>")
    out.append("</g>")
    out += _legend(canvas)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _description(diagram: Diagram) -> str:
    """The whole picture in words: what a screen reader reads for the image."""
    comps = [node for node in diagram.nodes if not node.is_source]
    return (
        f"Layered diagram of {len(comps)} components and {len(diagram.edges)} connections, "
        f"clients at the top. {subtitle(diagram)}. Components: "
        + "; ".join(describe_node(node) for node in comps)
        + ". Calls: "
        + "; ".join(describe_edge(diagram, edge) for edge in diagram.edges)
        + "."
    )


# --- page plan ----------------------------------------------------------------------------------


def plan(diagram: Diagram, layout: Layout) -> Canvas:
    """Sizes and offsets of the header, drawing and legend, all inside the view box."""
    items = legend_items(diagram)
    content = max(
        layout.width,
        MIN_CONTENT,
        text_width(diagram.title, TITLE_SIZE, bold=True),
        max((i.width for i in items), default=0.0),
    )
    lines = _wrap(subtitle(diagram).split(" · "), content, SUBTITLE_SIZE)
    header = TITLE_SIZE + len(lines) * (SUBTITLE_SIZE + 6.0)
    dy = MARGIN + header + GRAPH_TOP_GAP
    dx = MARGIN + (content - layout.width) / 2
    placed: list[tuple[float, float, LegendItem]] = []
    x, y = 0.0, dy + layout.height + LEGEND_GAP + LEGEND_ROW / 2
    for item in items:
        if x > 0 and x + item.width > content:
            x, y = 0.0, y + LEGEND_ROW
        placed.append((MARGIN + x, y, item))
        x += item.width + LEGEND_ITEM_GAP
    bottom = (y + LEGEND_ROW / 2) if placed else dy + layout.height
    return Canvas(
        width=math.ceil(content + 2 * MARGIN),
        height=math.ceil(bottom + MARGIN),
        dx=round(dx, 1),
        dy=round(dy, 1),
        subtitle_lines=tuple(lines),
        legend=tuple(placed),
    )


def _wrap(parts: Sequence[str], width: float, size: float) -> list[str]:
    lines: list[str] = []
    for part in parts:
        if lines and text_width(lines[-1] + " · " + part, size) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return lines


def legend_items(diagram: Diagram) -> list[LegendItem]:
    def item(sample: str, text: str, sample_width: float = 16.0) -> LegendItem:
        return LegendItem(sample, text, sample_width + 6.0 + text_width(text, LEGEND_SIZE))

    tiers = list(dict.fromkeys(node.tier for node in diagram.nodes if not node.is_source))
    ordered = [t for t in pal.TIERS if t in tiers] + [t for t in tiers if t not in pal.TIERS]
    out = [item(f"tier:{t}", t) for t in ordered]
    if diagram.bottleneck is not None:
        out.append(item("bottleneck", "bottleneck: saturates first"))
    if diagram.spofs:
        out.append(item("spof", "single point of failure", bx.tag_width(SPOF_TAG)))
    out.append(item("bars", "utilisation: under 80%, 80%+, saturated", 3 * 12.0 + 4.0))
    out.append(item("edge", "calls/s over all flows (width grows with rate)", 24.0))
    if any(e.miss for e in diagram.edges):
        out.append(item("miss", "cache miss path", 24.0))
    out.append(item("text", "n × c: n replicas, each serving c requests at once", 0.0))
    return out


# --- header and legend ----------------------------------------------------------------------------


def _header(diagram: Diagram, canvas: Canvas) -> list[str]:
    out = [f'<g id="{ID}-header">']
    y = MARGIN + TITLE_SIZE * 0.8
    out.append(
        f'<text x="{n(MARGIN)}" y="{n(y)}" font-size="{n(TITLE_SIZE)}" font-weight="bold" '
        f'fill="{pal.TEXT}">{escape(diagram.title)}</text>'
    )
    for line in canvas.subtitle_lines:
        y += SUBTITLE_SIZE + 6.0
        out.append(
            f'<text x="{n(MARGIN)}" y="{n(y)}" font-size="{n(SUBTITLE_SIZE)}" '
            f'fill="{pal.MUTED}">{escape(line)}</text>'
        )
    out.append("</g>")
    return out


def _legend(canvas: Canvas) -> list[str]:
    out = [f'<g id="{ID}-legend" font-size="{n(LEGEND_SIZE)}" fill="{pal.TEXT}">']
    for x, y, item in canvas.legend:
        sample_width = item.width - 6.0 - text_width(item.text, LEGEND_SIZE)
        out += _sample(item.sample, x, y)
        tx = x + sample_width + (6.0 if sample_width else 0.0)
        out.append(f'<text x="{n(tx)}" y="{n(y + 4)}">{escape(item.text)}</text>')
    out.append("</g>")
    return out


def _sample(kind: str, x: float, y: float) -> list[str]:
    if kind.startswith("tier:"):
        sw = pal.tier(kind.removeprefix("tier:"))
        return [
            f'<rect x="{n(x)}" y="{n(y - 6)}" width="16" height="12" rx="3" fill="{sw.fill}" '
            f'stroke="{sw.stroke}" stroke-width="1.2"/>'
        ]
    if kind == "bottleneck":
        return [
            f'<rect x="{n(x + 1)}" y="{n(y - 5)}" width="14" height="10" rx="2" fill="#ffffff" '
            f'stroke="{pal.BOTTLENECK}" stroke-width="3"/>'
        ]
    if kind == "spof":
        return _tag(SPOF_TAG, x, y - bx.TAG_HEIGHT / 2)
    if kind == "bars":
        out = []
        for i, colour in enumerate((pal.BAR_OK, pal.BAR_WARN, pal.BAR_HOT)):
            out.append(
                f'<rect x="{n(x + i * 14)}" y="{n(y - 3.5)}" width="12" height="7" rx="2" '
                f'fill="{colour}"/>'
            )
        return out
    if kind in ("edge", "miss"):
        dash = ' stroke-dasharray="5 3"' if kind == "miss" else ""
        colour = pal.MISS if kind == "miss" else pal.EDGE
        return [
            f'<path d="M{n(x)} {n(y)}H{n(x + 24)}" stroke="{colour}" stroke-width="2"{dash} '
            f'fill="none"/>'
        ]
    return []


# --- nodes --------------------------------------------------------------------------------------


def _node(node: Node, box: Rect) -> list[str]:
    text = node_text(node)
    label = describe_node(node)
    gid = f"{ID}-source" if node.is_source else f"{ID}-node-{node.id}"
    out = [f'<g id="{gid}" aria-label={quoteattr(label)}>']
    out.append(f"<title>{escape(label)}</title>")
    sw = pal.tier(node.tier)
    if node.is_source:
        out.append(
            f'<rect x="{n(box.x)}" y="{n(box.y)}" width="{n(box.w)}" height="{n(box.h)}" '
            f'rx="{n(box.h / 2)}" fill="{sw.fill}" stroke="{sw.stroke}" stroke-width="1.2"/>'
        )
        cx = box.cx
        out.append(
            f'<text x="{n(cx)}" y="{n(box.y + bx.SOURCE_NAME_BASELINE)}" text-anchor="middle" '
            f'font-size="{n(bx.NAME_SIZE)}" font-weight="bold" fill="{pal.TEXT}">'
            f"{escape(text.name)}</text>"
        )
        out.append(
            f'<text x="{n(cx)}" y="{n(box.y + bx.SOURCE_LOAD_BASELINE)}" text-anchor="middle" '
            f'font-size="{n(bx.TEXT_SIZE)}" fill="{pal.MUTED}">{escape(text.load)}</text>'
        )
        out.append("</g>")
        return out
    stroke, width = (pal.BOTTLENECK, 3.5) if node.bottleneck else (sw.stroke, 1.2)
    out.append(
        f'<rect x="{n(box.x)}" y="{n(box.y)}" width="{n(box.w)}" height="{n(box.h)}" rx="6" '
        f'fill="{sw.fill}" stroke="{stroke}" stroke-width="{n(width)}"/>'
    )
    left = box.x + bx.PAD_X
    out.append(
        f'<text x="{n(left)}" y="{n(box.y + bx.NAME_BASELINE)}" font-size="{n(bx.NAME_SIZE)}" '
        f'font-weight="bold" fill="{pal.TEXT}">{escape(text.name)}</text>'
    )
    right = box.right - bx.PAD_X
    for tag in reversed(text.tags):
        right -= bx.tag_width(tag)
        out += _tag(tag, right, box.y + bx.TAG_TOP)
        right -= bx.TAG_GAP
    for baseline, line in (
        (bx.KIND_BASELINE, text.kind),
        (bx.CAPACITY_BASELINE, text.capacity),
    ):
        out.append(
            f'<text x="{n(left)}" y="{n(box.y + baseline)}" font-size="{n(bx.TEXT_SIZE)}" '
            f'fill="{pal.MUTED}">{escape(line)}</text>'
        )
    load_x = left
    if node.queueing:
        top = box.y + bx.BAR_TOP
        filled = bx.BAR_WIDTH * min(max(node.utilization, 0.0), 1.0)
        colour = pal.bar_colour(node.saturated, node.warning)
        out.append(
            f'<rect x="{n(left)}" y="{n(top)}" width="{n(bx.BAR_WIDTH)}" '
            f'height="{n(bx.BAR_HEIGHT)}" rx="2" fill="{pal.BAR_TRACK}"/>'
        )
        if filled > 0:
            out.append(
                f'<rect x="{n(left)}" y="{n(top)}" width="{n(max(filled, 1.5))}" '
                f'height="{n(bx.BAR_HEIGHT)}" rx="2" fill="{colour}"/>'
            )
        load_x = left + bx.BAR_WIDTH + bx.BAR_GAP
    weight = ' font-weight="bold"' if node.saturated or node.warning else ""
    out.append(
        f'<text x="{n(load_x)}" y="{n(box.y + bx.LOAD_BASELINE)}" font-size="{n(bx.TEXT_SIZE)}" '
        f'fill="{pal.TEXT}"{weight}>{escape(text.load)}</text>'
    )
    out.append("</g>")
    return out


def _tag(tag: str, x: float, y: float) -> list[str]:
    w = bx.tag_width(tag)
    h = bx.TAG_HEIGHT
    base = y + h / 2 + bx.TAG_SIZE * 0.35
    if tag == BOTTLENECK_TAG:
        return [
            f'<rect x="{n(x)}" y="{n(y)}" width="{n(w)}" height="{n(h)}" rx="{n(h / 2)}" '
            f'fill="{pal.BOTTLENECK}"/>',
            f'<text x="{n(x + w / 2)}" y="{n(base)}" text-anchor="middle" '
            f'font-size="{n(bx.TAG_SIZE)}" font-weight="bold" fill="#ffffff">{tag}</text>',
        ]
    ix = x + bx.TAG_PAD
    icon = (
        f"M{n(ix + bx.ICON_WIDTH / 2)} {n(y + 3)}L{n(ix + bx.ICON_WIDTH)} {n(y + h - 3)}H{n(ix)}Z"
    )
    return [
        f'<rect x="{n(x)}" y="{n(y)}" width="{n(w)}" height="{n(h)}" rx="{n(h / 2)}" '
        f'fill="{pal.SPOF_FILL}"/>',
        f'<path d="{icon}" fill="{pal.SPOF_TEXT}"/>',
        f'<path d="M{n(ix + bx.ICON_WIDTH / 2)} {n(y + 6.5)}V{n(y + h - 6)}" '
        f'stroke="{pal.SPOF_FILL}" stroke-width="1.4"/>',
        f'<text x="{n(ix + bx.ICON_WIDTH + 2 + (w - bx.ICON_WIDTH - 2 - bx.TAG_PAD) / 2)}" '
        f'y="{n(base)}" text-anchor="middle" font-size="{n(bx.TAG_SIZE)}" font-weight="bold" '
        f'fill="{pal.SPOF_TEXT}">{tag}</text>',
    ]


# --- edges --------------------------------------------------------------------------------------


def edge_width(rate: float, widest: float) -> float:
    """Thicker with the rate (by its square root, so small flows stay visible)."""
    share = math.sqrt(rate / widest) if widest > 0 else 0.0
    return round(EDGE_MIN_WIDTH + (EDGE_MAX_WIDTH - EDGE_MIN_WIDTH) * share, 1)


def path_data(points: Sequence[Point], shorten: float = 0.0) -> str:
    """Straight lines where x stays put, vertical S-curves where it moves; the last
    ``shorten`` pixels left for the arrowhead."""
    pts = list(points)
    while shorten and len(pts) > 2 and pts[-2][0] == pts[-1][0]:
        length = abs(pts[-1][1] - pts[-2][1])
        if length > shorten:
            break
        shorten -= length  # a stub shorter than the arrowhead: the arrowhead covers it
        pts.pop()
    if shorten and len(pts) >= 2:
        (x0, y0), (x1, y1) = pts[-2], pts[-1]
        direction = 1.0 if y1 > y0 else -1.0
        pts[-1] = (x1, y1 - direction * shorten)
    parts = [f"M{n(pts[0][0])} {n(pts[0][1])}"]
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        if x0 == x1:
            if parts[-1].startswith("V"):
                parts.pop()  # one straight run, one command
            parts.append(f"V{n(y1)}")
        else:
            ym = (y0 + y1) / 2
            parts.append(f"C{n(x0)} {n(ym)} {n(x1)} {n(ym)} {n(x1)} {n(y1)}")
    return "".join(parts)


def _edge(diagram: Diagram, route: Route, widest: float) -> list[str]:
    edge = route.edge
    width = edge_width(edge.rate_rps, widest)
    colour = pal.MISS if edge.miss else pal.EDGE
    dash = ' stroke-dasharray="5 3"' if edge.miss else ""
    label = describe_edge(diagram, edge)
    (_x0, y0), (x1, y1) = route.points[-2], route.points[-1]
    direction = 1.0 if y1 > y0 else -1.0
    base = y1 - direction * ARROW_LENGTH
    arrow = f"M{n(x1)} {n(y1)}L{n(x1 - ARROW_WIDTH / 2)} {n(base)}H{n(x1 + ARROW_WIDTH / 2)}Z"
    return [
        f"<g aria-label={quoteattr(label)}>",
        f"<title>{escape(label)}</title>",
        f'<path d="{path_data(route.points, ARROW_LENGTH - 1)}" fill="none" stroke="{colour}" '
        f'stroke-width="{n(width)}"{dash}/>',
        f'<path d="{arrow}" fill="{colour}"/>',
        "</g>",
    ]


def _label(route: Route) -> list[str]:
    box = route.label
    edge = route.edge
    colour = pal.MISS if edge.miss else pal.TEXT
    return [
        f'<rect x="{n(box.x)}" y="{n(box.y)}" width="{n(box.w)}" height="{n(box.h)}" rx="3" '
        f'fill="{pal.LABEL_BACKGROUND}" stroke="{pal.LABEL_BORDER}" stroke-width="0.8"/>',
        f'<text x="{n(box.cx)}" y="{n(box.y + bx.LABEL_BASELINE)}" text-anchor="middle" '
        f'font-size="{n(bx.LABEL_SIZE)}" fill="{colour}">{escape(edge_text(edge))}</text>',
    ]
