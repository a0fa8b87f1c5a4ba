"""Layers and orders: cycles broken, ranks by longest path, few crossings."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from staffpath.report.diagram.layering import layer, orient, rank


def test_a_chain_stacks() -> None:
    nodes = ["r", "a", "b", "c"]
    edges = [("r", "a"), ("a", "b"), ("b", "c")]
    result = layer(nodes, edges, "r", {})
    assert [[it.key for it in row] for row in result.layers] == [
        ["r"],
        ["0/1"],
        ["a"],
        ["1/3"],
        ["b"],
        ["2/5"],
        ["c"],
    ]
    assert result.upward == (False, False, False)
    assert result.crossings == 0
    assert all(it.label for row in result.layers[1::2] for it in row)


def test_longest_path_and_dummies_for_long_edges() -> None:
    nodes = ["r", "a", "b"]
    edges = [("r", "a"), ("a", "b"), ("r", "b")]
    ranks = rank(nodes, edges, orient(nodes, edges, "r"), "r")
    assert ranks == {"r": 0, "a": 1, "b": 2}
    result = layer(nodes, edges, "r", {})
    long = result.chains[2]
    assert [it.layer for it in long] == [0, 1, 2, 3, 4]
    assert [it.label for it in long[1:-1]] == [True, False, False]


def test_the_edge_back_towards_the_root_is_the_one_turned() -> None:
    # r -> a -> b -> c -> a: c -> a goes back (a is 1 hop from r, c is 3).
    nodes = ["r", "a", "b", "c"]
    edges = [("r", "a"), ("a", "b"), ("b", "c"), ("c", "a")]
    assert orient(nodes, edges, "r") == (False, False, False, True)
    result = layer(nodes, edges, "r", {})
    chain = result.chains[3]
    assert (chain[0].node, chain[-1].node) == ("a", "c")  # laid out top to bottom
    assert chain[-2].label  # its label near the caller, at the bottom


def test_only_edges_that_close_a_cycle_are_turned() -> None:
    # x is reached from r directly (1 hop) and via a (2 hops); a -> x is not in a cycle.
    nodes = ["r", "a", "x", "y"]
    edges = [("r", "a"), ("r", "x"), ("a", "x"), ("x", "y"), ("y", "x")]
    assert orient(nodes, edges, "r") == (False, False, False, False, True)


def test_isolated_nodes_go_to_the_bottom() -> None:
    nodes = ["r", "a", "lonely"]
    ranks = rank(nodes, [("r", "a")], (False,), "r")
    assert ranks["lonely"] == 1


def test_groups_break_ties() -> None:
    nodes = ["r", "db", "api"]
    edges = [("r", "db"), ("r", "api")]
    result = layer(nodes, edges, "r", {"api": 0, "db": 1})
    assert [it.key for it in result.layers[2]] == ["api", "db"]


def test_crossings_are_removed_when_possible() -> None:
    # Two parallel chains given in an order that crosses.
    nodes = ["r", "a", "b", "c", "d"]
    edges = [("r", "a"), ("r", "b"), ("a", "d"), ("b", "c")]
    result = layer(nodes, edges, "r", {"a": 0, "b": 1, "c": 0, "d": 1})
    assert result.crossings == 0


graphs = st.integers(2, 9).flatmap(
    lambda k: st.tuples(
        st.just([f"n{i}" for i in range(k)]),
        st.lists(
            st.tuples(st.integers(0, k - 1), st.integers(1, k - 1)).filter(lambda e: e[0] != e[1]),
            max_size=20,
            unique=True,
        ),
    )
)


@given(graphs)
def test_any_graph_becomes_layers_with_edges_pointing_down(
    graph: tuple[list[str], list[tuple[int, int]]],
) -> None:
    nodes, pairs = graph
    edges = [(nodes[a], nodes[b]) for a, b in pairs]
    result = layer(nodes, edges, nodes[0], {})
    placed = [it.node for row in result.layers for it in row if it.node is not None]
    assert sorted(placed) == sorted(nodes)
    for chain in result.chains:
        assert [it.layer for it in chain] == list(range(chain[0].layer, chain[-1].layer + 1))
        assert chain[0].layer % 2 == 0 and chain[-1].layer % 2 == 0
        assert sum(it.label for it in chain) == 1
    for (s, t), up, chain in zip(edges, result.upward, result.chains, strict=True):
        assert (chain[0].node, chain[-1].node) == ((t, s) if up else (s, t))
    for row in result.layers:
        assert len({it.key for it in row}) == len(row)
    # Nodes sit on even layers only, and each edge's dummies fill the odd ones between.
    for row in result.layers:
        for it in row:
            assert (it.node is not None) == (it.layer % 2 == 0 and it.edge is None)
    assert all(a.layer < b.layer for c in result.chains for a, b in itertools.pairwise(c))
