"""Where everything goes: a layered, top-to-bottom layout of a :class:`Diagram`, our own.

:mod:`.layering` gives layers and orders; this module gives coordinates and routes.

- **x**: each layer in turn takes the positions that minimise the weighted squared length
  of its edges given the layers around it, subject to its order and to minimum gaps
  (a weighted isotonic regression, solved exactly by pool-adjacent-violators). Sweeping
  down and up until nothing moves minimises the total. Weights 1, 2, 8 for edges between
  boxes, a box and a dummy, two dummies (Gansner et al.) pull long edges straight.
- **y**: layers are rows. Node rows are as tall as their boxes; label rows as tall as a
  label (or nothing when no label sits there). The gap between two rows grows with the
  sideways distance the edges crossing it travel, so that no curve is too flat.
- **routes**: an edge leaves its box through a port on the bottom edge (ports ordered like
  their targets, so edges do not cross at the box), runs straight down through every row
  it crosses (at its dummy's x, which no other item in that row covers), and bends only in
  the gaps between rows, where nothing else is. Its label sits on it in a label row.

So, by construction, boxes never overlap, labels never overlap boxes or each other, and no
edge passes through a box or another edge's label. ``tests/report/diagram/test_layout.py``
checks all of it, on the examples and on generated designs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from staffpath.report.diagram.boxes import LABEL_HEIGHT, Size, box_size, label_size
from staffpath.report.diagram.graph import SOURCE, Diagram, Edge
from staffpath.report.diagram.layering import Item, Layering, layer
from staffpath.report.diagram.palette import TIERS

GAPS = {
    ("node", "node"): 40.0,
    ("node", "dummy"): 16.0,
    ("node", "label"): 16.0,
    ("dummy", "dummy"): 10.0,
    ("dummy", "label"): 8.0,
    ("label", "label"): 10.0,
}
"""Minimum horizontal space between neighbours in a row, by what they are."""
WEIGHTS = {0: 1.0, 1: 2.0, 2: 8.0}
"""Edge weights for the x objective, by how many of its two ends are dummies."""
MIN_GAP = 16.0
MAX_GAP = 48.0
SLOPE = 0.2
"""A gap is at least this fraction of the widest sideways travel across it."""
PORT_STEP = 12.0
PORT_MARGIN = 14.0
MAX_SWEEPS = 200


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    def overlaps(self, other: Rect) -> bool:
        """True when the interiors meet (touching edges do not count)."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )


Point = tuple[float, float]
_SizeOf = Callable[[Item], Size]


@dataclass(frozen=True, slots=True)
class Route:
    """How one edge is drawn: ``points`` from its source to its target.

    Consecutive points with the same x are joined by a straight line; the others (always
    across the gap between two rows) by a vertical S-curve inside the rectangle they span.
    """

    edge: Edge
    points: tuple[Point, ...]
    label: Rect
    upward: bool


@dataclass(frozen=True, slots=True)
class Layout:
    width: float
    height: float
    boxes: Mapping[str, Rect]
    routes: tuple[Route, ...]
    crossings: int


def lay_out(diagram: Diagram) -> Layout:
    """Coordinates for every box, edge and label of ``diagram``, from (0, 0)."""
    nodes = [n.id for n in diagram.nodes]
    edges = [(e.source, e.target) for e in diagram.edges]
    groups = {n.id: _tier_rank(n.tier) for n in diagram.nodes}
    sizes: dict[str, Size] = {n.id: box_size(n) for n in diagram.nodes}
    labels = [label_size(e) for e in diagram.edges]

    def size(item: Item) -> Size:
        if item.node is not None:
            return sizes[item.node]
        if item.label and item.edge is not None:
            return labels[item.edge]
        return Size(0.0, 0.0)

    # Orders that start from tiers and, when that one has crossings, from the design's own
    # order and from the mirror images of both: the fewest crossings win, then the least
    # sideways travel of the edges.
    layering = layer(nodes, edges, SOURCE, groups)
    xs, ports = _place(layering, size)
    if layering.crossings:
        score = (layering.crossings, _travel(layering, xs, ports))
        for grouped, mirrored in ((False, False), (True, True), (False, True)):
            other = layer(nodes, edges, SOURCE, groups, grouped=grouped, mirrored=mirrored)
            other_xs, other_ports = _place(other, size)
            other_score = (other.crossings, _travel(other, other_xs, other_ports))
            if other_score < score:
                layering, xs, ports, score = other, other_xs, other_ports, other_score
            if not other.crossings:
                break
    tops, heights = _rows(layering, xs, ports, size)

    boxes: dict[str, Rect] = {}
    for row in layering.layers:
        for it in row:
            if it.node is not None:
                s = size(it)
                y = tops[it.layer] + (heights[it.layer] - s.h) / 2
                boxes[it.node] = Rect(round(xs[it.key] - s.w / 2, 1), round(y, 1), s.w, s.h)

    routes = []
    for i, edge in enumerate(diagram.edges):
        chain = layering.chains[i]
        top, bottom = chain[0], chain[-1]
        assert top.node is not None and bottom.node is not None
        out_x = ports[(top.key, i, "down")]
        in_x = ports[(bottom.key, i, "up")]
        points: list[Point] = [(out_x, boxes[top.node].bottom)]
        row_end = tops[top.layer] + heights[top.layer]
        if boxes[top.node].bottom < row_end:
            points.append((out_x, row_end))
        label = Rect(0.0, 0.0, 0.0, 0.0)
        for dummy in chain[1:-1]:
            x, y0, h = xs[dummy.key], tops[dummy.layer], heights[dummy.layer]
            points.append((x, y0))
            if h > 0:
                points.append((x, y0 + h))
            if dummy.label:
                w = labels[i].w
                label = Rect(
                    round(x - w / 2, 1), round(y0 + (h - LABEL_HEIGHT) / 2, 1), w, LABEL_HEIGHT
                )
        if boxes[bottom.node].y > tops[bottom.layer]:
            points.append((in_x, tops[bottom.layer]))
        points.append((in_x, boxes[bottom.node].y))
        rounded = tuple((round(x, 1), round(y, 1)) for x, y in points)
        upward = layering.upward[i]
        routes.append(
            Route(
                edge=edge,
                points=tuple(reversed(rounded)) if upward else rounded,
                label=label,
                upward=upward,
            )
        )

    width = max((xs[it.key] + size(it).w / 2 for row in layering.layers for it in row), default=0.0)
    height = tops[-1] + heights[-1] if tops else 0.0
    return Layout(
        width=round(width, 1),
        height=round(height, 1),
        boxes=boxes,
        routes=tuple(routes),
        crossings=layering.crossings,
    )


def _place(
    layering: Layering, size: _SizeOf
) -> tuple[dict[str, float], dict[tuple[str, int, str], float]]:
    """x of every item (the leftmost edge at 0) and of every port."""
    xs = _x_positions(layering, size)
    _straighten(layering, xs, size)
    left = min((xs[it.key] - size(it).w / 2 for row in layering.layers for it in row), default=0)
    xs = {k: round(v - left, 1) for k, v in xs.items()}
    return xs, _ports(layering, xs, size)


def _travel(
    layering: Layering, xs: Mapping[str, float], ports: Mapping[tuple[str, int, str], float]
) -> float:
    """How far the edges travel sideways in all: less reads easier."""
    total = 0.0
    for i, chain in enumerate(layering.chains):
        for j, (a, b) in enumerate(itertools.pairwise(chain)):
            xa = ports[(a.key, i, "down")] if j == 0 else xs[a.key]
            xb = ports[(b.key, i, "up")] if j == len(chain) - 2 else xs[b.key]
            total += abs(xa - xb)
    return round(total, 1)


def _tier_rank(tier: str) -> int:
    order = list(TIERS)
    return order.index(tier) if tier in order else len(order)


def _kind(item: Item) -> str:
    if item.node is not None:
        return "node"
    return "label" if item.label else "dummy"


def _gap(a: Item, b: Item) -> float:
    ka, kb = _kind(a), _kind(b)
    return GAPS[(ka, kb)] if (ka, kb) in GAPS else GAPS[(kb, ka)]


# --- x ------------------------------------------------------------------------------------------


def _x_positions(layering: Layering, size: _SizeOf) -> dict[str, float]:
    links: dict[str, list[tuple[str, float]]] = {
        it.key: [] for row in layering.layers for it in row
    }
    for chain in layering.chains:
        for a, b in itertools.pairwise(chain):
            w = WEIGHTS[(a.node is None) + (b.node is None)]
            links[a.key].append((b.key, w))
            links[b.key].append((a.key, w))
    # What does not change from sweep to sweep: each row's offsets (its items packed tight)
    # and each item's total weight.
    offsets: list[list[float]] = []
    for row in layering.layers:
        packed = [0.0]
        for a, b in itertools.pairwise(row):
            packed.append(packed[-1] + _separation(a, b, size))
        offsets.append(packed)
    weight = {key: sum(w for _, w in near) for key, near in links.items()}
    xs = {
        it.key: o
        for row, packed in zip(layering.layers, offsets, strict=True)
        for it, o in zip(row, packed, strict=True)
    }
    order = list(range(len(layering.layers)))
    for sweep in range(MAX_SWEEPS):
        moved = 0.0
        for lay in order if sweep % 2 == 0 else reversed(order):
            row = layering.layers[lay]
            if not row:
                continue
            wanted, weights = [], []
            for it, o in zip(row, offsets[lay], strict=True):
                total = weight[it.key]
                if total > 0:
                    wanted.append(sum(xs[k] * w for k, w in links[it.key]) / total - o)
                    weights.append(total)
                else:
                    wanted.append(xs[it.key] - o)
                    weights.append(0.01)
            fitted = _isotonic(wanted, weights)
            for it, y, o in zip(row, fitted, offsets[lay], strict=True):
                moved = max(moved, abs(xs[it.key] - (y + o)))
                xs[it.key] = y + o
        if moved < 0.01:
            break
    return xs


def _straighten(layering: Layering, xs: dict[str, float], size: _SizeOf) -> None:
    """Line up the dummies of each long edge where their neighbours leave room, so that a
    long edge runs straight down instead of wavering by a few pixels from row to row."""
    where = {
        it.key: (lay, i) for lay, row in enumerate(layering.layers) for i, it in enumerate(row)
    }

    def room(item: Item) -> tuple[float, float]:
        lay, i = where[item.key]
        row = layering.layers[lay]
        lo = xs[row[i - 1].key] + _separation(row[i - 1], item, size) if i > 0 else -1e9
        hi = xs[row[i + 1].key] - _separation(item, row[i + 1], size) if i + 1 < len(row) else 1e9
        return lo, hi

    for chain in [c for _ in range(3) for c in layering.chains]:
        dummies = list(chain[1:-1])
        start = 0
        while start < len(dummies):
            lo, hi = room(dummies[start])
            end = start + 1
            while end < len(dummies):
                a, b = room(dummies[end])
                if max(lo, a) > min(hi, b):
                    break
                lo, hi = max(lo, a), min(hi, b)
                end += 1
            run = dummies[start:end]
            middle = sorted(xs[d.key] for d in run)[len(run) // 2]
            for d in run:
                xs[d.key] = min(max(middle, lo), hi)
            start = end


def _separation(a: Item, b: Item, size: _SizeOf) -> float:
    return (size(a).w + size(b).w) / 2 + _gap(a, b)


def _isotonic(values: Sequence[float], weights: Sequence[float]) -> list[float]:
    """The non-decreasing sequence nearest ``values`` in weighted least squares (PAVA)."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for v, w in zip(values, weights, strict=True):
        blocks.append([v, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    out: list[float] = []
    for mean, _, count in blocks:
        out.extend([mean] * int(count))
    return out


# --- ports and rows ------------------------------------------------------------------------------


def _ports(
    layering: Layering, xs: Mapping[str, float], size: _SizeOf
) -> dict[tuple[str, int, str], float]:
    """x of each edge end on its box: under the item it leads to when the box spans it (a
    straight drop), else as near as the box allows; in the same order as those items and at
    least ``PORT_STEP`` apart, so that edges never cross at a box."""
    ends: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for i, chain in enumerate(layering.chains):
        top, nxt = chain[0], chain[1]
        bottom, prev = chain[-1], chain[-2]
        ends.setdefault((top.key, "down"), []).append((xs[nxt.key], i))
        ends.setdefault((bottom.key, "up"), []).append((xs[prev.key], i))
    width = {it.key: size(it).w for row in layering.layers for it in row if it.node is not None}
    ports: dict[tuple[str, int, str], float] = {}
    for (key, side), found in ends.items():
        found.sort()
        k = len(found)
        lo = xs[key] - width[key] / 2 + PORT_MARGIN
        hi = xs[key] + width[key] / 2 - PORT_MARGIN
        step = min(PORT_STEP, (hi - lo) / (k - 1)) if k > 1 else 0.0
        placed = [min(max(x, lo), hi) for x, _ in found]
        for j in range(1, k):
            placed[j] = max(placed[j], placed[j - 1] + step)
        placed[-1] = min(placed[-1], hi)
        for j in range(k - 2, -1, -1):
            placed[j] = min(placed[j], placed[j + 1] - step)
        for (_, i), x in zip(found, placed, strict=True):
            ports[(key, i, side)] = round(x, 1)
    return ports


def _rows(
    layering: Layering,
    xs: Mapping[str, float],
    ports: Mapping[tuple[str, int, str], float],
    size: _SizeOf,
) -> tuple[list[float], list[float]]:
    """Top and height of every row, with gaps sized by the travel of the curves across them."""
    heights = [max((size(it).h for it in row), default=0.0) for row in layering.layers]
    travel = [0.0] * len(layering.layers)
    for i, chain in enumerate(layering.chains):
        for j, (a, b) in enumerate(itertools.pairwise(chain)):
            xa = ports[(a.key, i, "down")] if j == 0 else xs[a.key]
            xb = ports[(b.key, i, "up")] if j == len(chain) - 2 else xs[b.key]
            travel[a.layer] = max(travel[a.layer], abs(xa - xb))
    tops: list[float] = []
    y = 0.0
    for lay, h in enumerate(heights):
        if lay:
            y += min(MAX_GAP, max(MIN_GAP, SLOPE * travel[lay - 1]))
        tops.append(round(y, 1))
        y += h
    return tops, heights
