"""The supersession links between a design's decisions, followed both ways.

A decision names in ``supersedes`` the older decisions it replaces, so the links written
point back in time. Readers also need them forward (what replaced this decision?) and as
the history of one question: ADR-1, replaced by ADR-3, replaced by ADR-5.

The functions are meant for designs that loaded, where :mod:`staffpath.design.checks`
has ruled out unknown ids, self-reference, cycles and a decision superseded twice. On other
input they still end: they skip links to unknown ids and to the decision itself, and the
first superseder in file order wins.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from staffpath.design.model import Decision


def superseded_by(decisions: Sequence[Decision]) -> dict[str, str | None]:
    """Each decision's id, in file order, mapped to the id of the decision replacing it.

    ``None`` means nothing supersedes the decision (it may still be proposed or deprecated).
    """
    after: dict[str, str | None] = {d.id: None for d in decisions}
    for d in decisions:
        for old in d.supersedes:
            if old in after and old != d.id and after[old] is None:
                after[old] = d.id
    return after


def supersession_chains(decisions: Sequence[Decision]) -> list[tuple[str, ...]]:
    """The histories of replacement, oldest decision first, by the first one's place in the file.

    ADR-1 superseded by ADR-3, itself superseded by ADR-5, is the chain
    ``("ADR-1", "ADR-3", "ADR-5")``; a decision that supersedes nothing and that nothing
    supersedes is a chain of one. Every decision is in a chain; one that replaces several
    decisions ends each of their chains.
    """
    after = superseded_by(decisions)
    position = {key: i for i, key in enumerate(after)}
    replaces_some = {new for new in after.values() if new is not None}
    chains = [_follow(after, key) for key in after if key not in replaces_some]
    covered = {key for chain in chains for key in chain}
    for key in after:  # only the members of a cycle are left: no chain starts outside it
        if key not in covered:
            chains.append(_follow(after, key))
            covered.update(chains[-1])
    return sorted(chains, key=lambda chain: position[chain[0]])


def _follow(after: dict[str, str | None], start: str) -> tuple[str, ...]:
    chain = [start]
    while (new := after[chain[-1]]) is not None and new not in chain:
        chain.append(new)
    return tuple(chain)


def supersession_cycles(decisions: Sequence[Decision]) -> list[tuple[str, ...]]:
    """Each set of decisions that supersede one another in a circle, as one shortest cycle.

    A cycle ``("ADR-1", "ADR-3")`` reads "ADR-1 supersedes ADR-3, which supersedes ADR-1".
    It starts at the member first in the file; cycles come in that member's file order.
    A decision superseding itself is not a cycle here (the checks name it on its own).
    """
    ids = {d.id for d in decisions}
    replaces: dict[str, list[str]] = {d.id: [] for d in decisions}
    for d in decisions:
        replaces[d.id] += [old for old in d.supersedes if old in ids and old != d.id]
    reach = {key: _reachable(replaces, key) for key in replaces}
    cycles: list[tuple[str, ...]] = []
    done: set[str] = set()
    for key in replaces:
        if key in done or key not in reach[key]:
            continue
        circle = {other for other in reach[key] if key in reach[other]}
        cycles.append(_shortest_cycle(replaces, key, circle))
        done |= circle
    return cycles


def _reachable(graph: dict[str, list[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = list(graph[start])
    while stack:
        key = stack.pop()
        if key not in seen:
            seen.add(key)
            stack += graph[key]
    return seen


def _shortest_cycle(graph: dict[str, list[str]], start: str, within: set[str]) -> tuple[str, ...]:
    """Breadth first from ``start`` back to it, inside one strongly connected set."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        for new in graph[key]:
            if new == start:
                path = [key]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return tuple(reversed(path))
            if new in within and new not in came_from:
                came_from[new] = key
                queue.append(new)
    raise AssertionError(f"{start} is on no cycle")  # pragma: no cover - callers check reach
