"""Layers and orders: the combinatorial half of a layered (Sugiyama) drawing.

1. Cycles are broken by turning some edges upside down for the layout only (they are still
   drawn with their arrow pointing the right way). Only edges inside a strongly connected
   component can close a cycle; among those, an edge that goes back towards the source
   (its target is fewer hops from ``clients`` than its start) is turned first, which keeps
   the main request path pointing down; a depth-first pass turns whatever cycle is left.
2. Each node's rank is its longest path from a source. Sources other than ``clients`` sit
   just above their first successor; nodes with no edge at all go to the bottom.
3. Rank ``r`` becomes layer ``2r``; the odd layers between ranks hold the edge labels. An
   edge spanning several layers gets a dummy item in each layer it crosses, so that it is
   routed through the gaps between boxes; one of its dummies carries its label.
4. Orders within layers come from barycentre sweeps (down, then up) with adjacent
   transpositions, keeping the order with the fewest crossings. The first order groups
   nodes by tier, so that ties fall along tiers.
"""

from __future__ import annotations

import bisect
import itertools
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SWEEPS = 24
MAX_SPOTS = 16
"""Positions tried for each long edge when sifting."""


@dataclass(frozen=True, slots=True)
class Item:
    """One slot of a layer: a node, or the point where an edge crosses a layer."""

    key: str
    layer: int
    node: str | None = None
    edge: int | None = None
    label: bool = False
    """This dummy carries its edge's label."""


@dataclass(frozen=True, slots=True)
class Layering:
    layers: tuple[tuple[Item, ...], ...]
    """Items of each layer, left to right."""
    chains: tuple[tuple[Item, ...], ...]
    """Per edge: its items from the upper end to the lower end."""
    upward: tuple[bool, ...]
    """Per edge: turned upside down to break a cycle (drawn bottom to top)."""
    crossings: int


def orient(nodes: Sequence[str], edges: Sequence[tuple[str, str]], root: str) -> tuple[bool, ...]:
    """Which edges to turn so that the graph has no cycle."""
    hops = _hops(nodes, edges, root)
    component = _components(nodes, edges)
    far = len(nodes) + 1
    upward = [False] * len(edges)
    # Edges inside a strongly connected component, those that drop furthest back towards the
    # root first; each is turned only if it still closes a cycle.
    drop = {
        i: hops.get(t, far) - hops.get(s, far)
        for i, (s, t) in enumerate(edges)
        if component[s] == component[t]
    }
    for i in sorted((i for i, d in drop.items() if d <= 0), key=lambda i: (drop[i], i)):
        s, t = edges[i]
        if _reaches(edges, upward, t, s, skip=i):
            upward[i] = True
    # Whatever cycle is left: a depth-first search from the root, then the other nodes in
    # order; every edge to a node still on the search's stack is turned.
    out: dict[str, list[int]] = {n: [] for n in nodes}
    for i, (s, t) in enumerate(edges):
        out[t if upward[i] else s].append(i)
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    for start in [root, *nodes]:
        if start in state:
            continue
        state[start] = 1
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, k = stack[-1]
            if k == len(out[node]):
                state[node] = 2
                stack.pop()
                continue
            stack[-1] = (node, k + 1)
            i = out[node][k]
            s, t = edges[i]
            head = s if upward[i] else t
            if state.get(head) == 1:
                upward[i] = not upward[i]
            elif head not in state:
                state[head] = 1
                stack.append((head, 0))
    return tuple(upward)


def _reaches(
    edges: Sequence[tuple[str, str]], upward: Sequence[bool], start: str, goal: str, skip: int
) -> bool:
    """Whether ``goal`` can be reached from ``start`` over the edges as oriented now."""
    out: dict[str, list[str]] = {}
    for i, ((s, t), up) in enumerate(zip(edges, upward, strict=True)):
        if i != skip:
            a, b = (t, s) if up else (s, t)
            out.setdefault(a, []).append(b)
    seen = {start}
    todo = [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in out.get(node, []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _hops(nodes: Sequence[str], edges: Sequence[tuple[str, str]], root: str) -> dict[str, int]:
    out: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t in edges:
        out[s].append(t)
    hops = {root: 0}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for t in out[node]:
            if t not in hops:
                hops[t] = hops[node] + 1
                queue.append(t)
    return hops


def _components(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Strongly connected components (Tarjan's algorithm, iterative)."""
    out: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t in edges:
        out[s].append(t)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    component: dict[str, int] = {}
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, k = work[-1]
            if k == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            if k < len(out[node]):
                work[-1] = (node, k + 1)
                nxt = out[node][k]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[node]
                    if member == node:
                        break
    return component


def rank(
    nodes: Sequence[str], edges: Sequence[tuple[str, str]], upward: Sequence[bool], root: str
) -> dict[str, int]:
    """Longest path from the sources, over the edges as oriented by :func:`orient`."""
    down = [(t, s) if up else (s, t) for (s, t), up in zip(edges, upward, strict=True)]
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    succs: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t in down:
        succs[s].append(t)
        preds[t].append(s)
    waiting = {n: len(preds[n]) for n in nodes}
    ready = deque(n for n in nodes if waiting[n] == 0)
    ranks: dict[str, int] = {}
    order: list[str] = []
    while ready:
        node = ready.popleft()
        order.append(node)
        ranks[node] = max((ranks[p] + 1 for p in preds[node]), default=0)
        for t in succs[node]:
            waiting[t] -= 1
            if waiting[t] == 0:
                ready.append(t)
    if len(order) != len(nodes):
        raise ValueError("the oriented graph still has a cycle")
    # Extra sources sit just above their first successor instead of at the top.
    for node in reversed(order):
        if not preds[node] and succs[node] and node != root:
            ranks[node] = min(ranks[t] for t in succs[node]) - 1
    bottom = max(max(ranks.values(), default=0), 1)
    for node in nodes:
        if not preds[node] and not succs[node] and node != root:
            ranks[node] = bottom
    return ranks


def layer(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str]],
    root: str,
    groups: Mapping[str, int],
    *,
    grouped: bool = True,
    mirrored: bool = False,
) -> Layering:
    """Oriented, ranked and ordered layers for ``nodes`` and ``edges``; ``root`` goes on top.
    With ``grouped``, ``groups`` (a number per node, e.g. its tier) decides the first order
    and breaks ties; without, the nodes start in the order given. ``mirrored`` starts from
    the mirror image of that order (sweeps can settle differently from there)."""
    if not grouped:
        groups = {}
    upward = orient(nodes, edges, root)
    ranks = rank(nodes, edges, upward, root)
    if mirrored:  # start from the mirror image: right to left
        groups = {n: -groups.get(n, 0) for n in nodes}
        nodes = list(reversed(nodes))
    depth = 2 * max(ranks.values(), default=0) + 1
    rows: list[list[Item]] = [[] for _ in range(depth)]
    first = sorted(nodes, key=lambda n: (n != root, groups.get(n, 0), nodes.index(n)))
    items: dict[str, Item] = {}
    for n in first:
        item = Item(key=n, layer=2 * ranks[n], node=n)
        items[n] = item
        rows[item.layer].append(item)
    chains: list[tuple[Item, ...]] = []
    for i, ((s, t), up) in enumerate(zip(edges, upward, strict=True)):
        top, bottom = (t, s) if up else (s, t)
        label_at = 2 * ranks[bottom] - 1 if up else 2 * ranks[top] + 1
        chain = [items[top]]
        for lay in range(2 * ranks[top] + 1, 2 * ranks[bottom]):
            dummy = Item(key=f"{i}/{lay}", layer=lay, edge=i, label=lay == label_at)
            rows[lay].append(dummy)
            chain.append(dummy)
        chain.append(items[bottom])
        chains.append(tuple(chain))
    # A dummy sorts with the node its edge leads down to, so ties fall along tiers.
    rank_of = {
        it.key: groups.get(chain[-1].node or "", 0) for chain in chains for it in chain[1:-1]
    }
    rank_of.update({n: groups.get(n, 0) for n in nodes})
    ordered, crossings = _order(rows, chains, rank_of)
    return Layering(
        layers=tuple(tuple(r) for r in ordered),
        chains=tuple(chains),
        upward=upward,
        crossings=crossings,
    )


# --- crossing reduction ---------------------------------------------------------------------


def _order(
    rows: list[list[Item]], chains: Sequence[Sequence[Item]], groups: Mapping[str, int]
) -> tuple[list[list[Item]], int]:
    up: dict[str, list[str]] = {it.key: [] for row in rows for it in row}
    down: dict[str, list[str]] = {it.key: [] for row in rows for it in row}
    for chain in chains:
        for a, b in itertools.pairwise(chain):
            down[a.key].append(b.key)
            up[b.key].append(a.key)
    order, count = _descend(rows, up, down, groups)
    if count:
        count = _sift_chains(order, chains, down, count)
    return order, count


def _sift_chains(
    order: list[list[Item]],
    chains: Sequence[Sequence[Item]],
    down: Mapping[str, list[str]],
    count: int,
) -> int:
    """Move each long edge as a whole to where it crosses least.

    Swapping neighbours moves one dummy at a time, so it cannot carry a long edge past a
    box (every single step adds crossings); this tries each edge at every relative
    position across the layers it spans and keeps the best. Returns the crossings left.
    """
    for chain in chains:
        dummies = list(chain[1:-1])
        if len(dummies) < 2 or not count:
            continue
        span = range(max(dummies[0].layer - 1, 0), min(dummies[-1].layer + 1, len(order) - 1))
        rows = {d.layer: [it for it in order[d.layer] if it.key != d.key] for d in dummies}
        before = {d.layer: list(order[d.layer]) for d in dummies}
        local = _crossings(order, down, span)
        best = (local, before)
        spots = sorted({(k + 0.5) / (len(r) + 1) for r in rows.values() for k in range(len(r) + 1)})
        if len(spots) > MAX_SPOTS:  # evenly spread, so that dense graphs stay quick
            step = (len(spots) - 1) / (MAX_SPOTS - 1)
            spots = [spots[round(i * step)] for i in range(MAX_SPOTS)]
        for spot in spots:
            for d in dummies:
                row = rows[d.layer]
                at = round(spot * (len(row) + 1) - 0.5)
                order[d.layer] = [*row[:at], d, *row[at:]]
            trial = _crossings(order, down, span)
            if trial < best[0]:
                best = (trial, {d.layer: list(order[d.layer]) for d in dummies})
        for lay, row in best[1].items():
            order[lay] = row
        count -= local - best[0]
    return count


def _descend(
    rows: list[list[Item]],
    up: Mapping[str, list[str]],
    down: Mapping[str, list[str]],
    groups: Mapping[str, int],
) -> tuple[list[list[Item]], int]:
    order = [sorted(row, key=lambda it: groups[it.key]) for row in rows]
    # A first top-down pass places the dummies under their sources.
    _sweep(order, up, range(1, len(order)), groups)
    best = [list(row) for row in order]
    best_count = _crossings(order, down)
    for sweep in range(SWEEPS):
        layers = range(1, len(order)) if sweep % 2 == 0 else range(len(order) - 2, -1, -1)
        _sweep(order, up if sweep % 2 == 0 else down, layers, groups)
        _transpose(order, up, down)
        count = _crossings(order, down)
        if count < best_count:
            best, best_count = [list(row) for row in order], count
        if best_count == 0:
            break
    return best, best_count


def _sweep(
    order: list[list[Item]],
    fixed: Mapping[str, list[str]],
    layers: range,
    groups: Mapping[str, int],
) -> None:
    """Sort each layer by the mean position of its neighbours in the layer just done."""
    for lay in layers:
        other = lay - 1 if layers.step > 0 else lay + 1
        pos = {it.key: i for i, it in enumerate(order[other])}
        row = order[lay]

        scale = len(order[other]) / max(len(row), 1)

        def centre(
            i: int, row: list[Item] = row, pos: dict[str, int] = pos, scale: float = scale
        ) -> tuple[float, int, int]:
            near = [pos[k] for k in fixed[row[i].key] if k in pos]
            return (sum(near) / len(near) if near else i * scale, groups[row[i].key], i)

        keys = sorted(range(len(row)), key=centre)
        order[lay] = [row[i] for i in keys]


def _transpose(
    order: list[list[Item]], up: Mapping[str, list[str]], down: Mapping[str, list[str]]
) -> None:
    """Swap neighbours while that removes crossings (Gansner et al.'s transpose step)."""
    improved = True
    rounds = 0
    while improved and rounds < 8:
        improved = False
        rounds += 1
        for lay, row in enumerate(order):
            above = {it.key: i for i, it in enumerate(order[lay - 1])} if lay > 0 else {}
            below = (
                {it.key: i for i, it in enumerate(order[lay + 1])} if lay + 1 < len(order) else {}
            )
            for i in range(len(row) - 1):
                a, b = row[i], row[i + 1]
                now = _pair(a, b, up, above) + _pair(a, b, down, below)
                swapped = _pair(b, a, up, above) + _pair(b, a, down, below)
                if swapped < now:
                    row[i], row[i + 1] = b, a
                    improved = True


def _pair(left: Item, right: Item, links: Mapping[str, list[str]], pos: Mapping[str, int]) -> int:
    """Crossings between the edges of ``left`` and ``right`` when ``left`` is on the left."""
    return sum(
        1
        for p in links[left.key]
        for q in links[right.key]
        if p in pos and q in pos and pos[p] > pos[q]
    )


def _crossings(
    order: list[list[Item]], down: Mapping[str, list[str]], gaps: range | None = None
) -> int:
    """Crossings in ``gaps`` (by upper layer; all by default)."""
    total = 0
    for lay in gaps if gaps is not None else range(len(order) - 1):
        below = {it.key: i for i, it in enumerate(order[lay + 1])}
        # Segments in order of their upper end (ties by lower end): two cross exactly when
        # their lower ends come in the other order, so count those inversions.
        ends = sorted(
            (i, below[k]) for i, it in enumerate(order[lay]) for k in down[it.key] if k in below
        )
        seen: list[int] = []
        for _, b in ends:
            total += len(seen) - bisect.bisect_right(seen, b)
            bisect.insort(seen, b)
    return total
