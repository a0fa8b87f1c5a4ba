"""Decisions: the supersession helpers, and the ``decisions:`` section through load, dump and schema."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from staffpath.design.decisions import superseded_by, supersession_chains, supersession_cycles
from staffpath.design.dump import dump_design
from staffpath.design.load import load_design, load_text
from staffpath.design.model import Decision
from staffpath.design.schema import design_schema
from staffpath.errors import DesignError


def adr(key: str, supersedes: Sequence[str] = (), status: str = "accepted") -> Decision:
    return Decision.model_validate(
        {
            "id": key,
            "title": f"Decision {key}",
            "status": status,
            "supersedes": list(supersedes),
            "context": "Why.",
            "options": [{"name": "this"}, {"name": "that"}],
            "decision": "This.",
            "consequences": "Some.",
        }
    )


# --- the helpers ---------------------------------------------------------------------------------


def test_a_chain_runs_from_the_oldest_to_the_newest() -> None:
    decisions = [
        adr("ADR-1", status="superseded"),
        adr("ADR-2"),
        adr("ADR-3", ["ADR-1"], status="superseded"),
        adr("ADR-4"),
        adr("ADR-5", ["ADR-3"]),
    ]
    assert supersession_chains(decisions) == [
        ("ADR-1", "ADR-3", "ADR-5"),
        ("ADR-2",),
        ("ADR-4",),
    ]
    assert superseded_by(decisions) == {
        "ADR-1": "ADR-3",
        "ADR-2": None,
        "ADR-3": "ADR-5",
        "ADR-4": None,
        "ADR-5": None,
    }


def test_chains_are_ordered_by_their_first_decision_in_the_file() -> None:
    # Newest first, as some teams list them: the chain still reads oldest to newest.
    decisions = [adr("new", ["mid"]), adr("lone"), adr("mid", ["old"]), adr("old")]
    assert supersession_chains(decisions) == [("lone",), ("old", "mid", "new")]


def test_a_decision_replacing_two_ends_both_chains() -> None:
    decisions = [adr("a"), adr("b"), adr("c", ["a", "b"])]
    assert supersession_chains(decisions) == [("a", "c"), ("b", "c")]
    assert superseded_by(decisions) == {"a": "c", "b": "c", "c": None}


def test_no_decisions_no_chains() -> None:
    assert supersession_chains([]) == []
    assert superseded_by([]) == {}
    assert supersession_cycles([]) == []


def test_cycles_start_at_their_first_member_and_are_shortest() -> None:
    decisions = [
        adr("x"),
        adr("a", ["c"]),
        adr("b", ["a"]),
        adr("c", ["b", "a"]),  # a -> c -> a is shorter than a -> c -> b -> a
        adr("d", ["d"]),  # superseding itself is not a cycle here
    ]
    assert supersession_cycles(decisions) == [("a", "c")]


def test_broken_links_do_not_stop_the_helpers() -> None:
    # What the checks refuse: unknown ids, self-reference, a cycle, a decision replaced twice.
    decisions = [
        adr("a", ["b", "ghost", "a"]),
        adr("b", ["a"]),
        adr("c", ["b"]),
        adr("d"),
        adr("e", ["d"]),
        adr("f", ["d"]),
    ]
    assert superseded_by(decisions) == {
        "a": "b",
        "b": "a",
        "c": None,
        "d": "e",
        "e": None,
        "f": None,
    }
    assert supersession_chains(decisions) == [("a", "b"), ("c",), ("d", "e"), ("f",)]
    assert supersession_cycles(decisions) == [("a", "b")]


@st.composite
def histories(draw: st.DrawFn) -> list[Decision]:
    """Valid supersession: each decision replaces some earlier ones that nothing replaced yet."""
    n = draw(st.integers(0, 12))
    open_ids: list[str] = []
    decisions = []
    for i in range(n):
        replaces = draw(st.lists(st.sampled_from(open_ids), unique=True)) if open_ids else []
        open_ids = [k for k in open_ids if k not in replaces]
        key = f"ADR-{i}"
        decisions.append(adr(key, replaces))
        open_ids.append(key)
    return draw(st.permutations(decisions))


@settings(deadline=None)
@given(histories())
def test_chains_follow_every_link_of_a_valid_history(decisions: list[Decision]) -> None:
    by_id = {d.id: d for d in decisions}
    position = {d.id: i for i, d in enumerate(decisions)}
    after = superseded_by(decisions)
    chains = supersession_chains(decisions)
    assert supersession_cycles(decisions) == []
    assert list(after) == [d.id for d in decisions]
    assert {key for chain in chains for key in chain} == set(by_id)
    assert [position[c[0]] for c in chains] == sorted(position[c[0]] for c in chains)
    links = {(old, d.id) for d in decisions for old in d.supersedes}
    assert {(old, new) for old, new in after.items() if new is not None} == links
    for chain in chains:
        assert chain[0] not in after.values()  # nothing earlier in its history
        assert after[chain[-1]] is None  # nothing later
        assert all((old, new) in links for old, new in itertools.pairwise(chain))


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    """Whether a path of one link or more leads from ``start`` to ``goal``."""
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        here = todo.pop()
        if here == goal:
            return True
        if here not in seen:
            seen.add(here)
            todo += graph[here]
    return False


@settings(deadline=None)
@given(st.data())
def test_cycles_match_a_brute_force_search(data: st.DataObject) -> None:
    keys = [f"d{i}" for i in range(data.draw(st.integers(1, 8)))]
    decisions = [
        adr(k, data.draw(st.lists(st.sampled_from([*keys, "ghost"]), unique=True, max_size=3)))
        for k in keys
    ]
    graph = {d.id: {o for o in d.supersedes if o in keys and o != d.id} for d in decisions}
    cycles = supersession_cycles(decisions)
    for cycle in cycles:
        ring = (*cycle, cycle[0])
        assert all(new in graph[old] for old, new in itertools.pairwise(ring))
        assert len(set(cycle)) == len(cycle) >= 2
    # Exactly one cycle for each group of decisions that reach one another.
    starts = [c[0] for c in cycles]
    for k in keys:
        if _reaches(graph, k, k):
            group = [
                s for s in starts if s == k or (_reaches(graph, k, s) and _reaches(graph, s, k))
            ]
            assert len(group) == 1
            assert keys.index(group[0]) <= keys.index(k)  # it starts at the first in the file
        else:
            assert all(k not in c for c in cycles)
    # Whatever the links, the helpers end and place every decision in a chain.
    assert {k for chain in supersession_chains(decisions) for k in chain} == set(keys)


# --- the language --------------------------------------------------------------------------------

DESIGN = """\
name: tiny
workload:
  flows:
    read: {rate: 100/s, steps: [api]}
components:
  api: {kind: service}
decisions:
"""

HISTORY = """\
  - id: ADR-1
    title: One API replica
    status: superseded
    date: 2024-01-15
    context: Launch traffic is small.
    options: [{name: One replica, pros: [Cheap], cons: [No redundancy]}, {name: Two replicas}]
    chosen: One replica
    decision: Run one replica.
    consequences: A deploy is an outage.
  - id: ADR-2
    title: Two API replicas
    status: accepted
    date: "2024-06-01"
    supersedes: ADR-1
    context: |
      Deploys took the service down.
      Customers noticed.
    options:
      - name: Two replicas
        pros: [Rolling deploys]
      - name: Maintenance windows
        cons: [Someone stays up late]
    chosen: Two replicas
    decision: Run two replicas behind the load balancer.
    consequences: [Deploys roll one replica at a time, Twice the compute bill]
"""


def test_a_history_loads_without_warnings_and_round_trips() -> None:
    loaded = load_text(DESIGN + HISTORY)
    assert loaded.warnings == ()
    first, second = loaded.design.decisions
    assert first.date == dt.date(2024, 1, 15)
    assert second.date == dt.date(2024, 6, 1)
    assert first.consequences == ["A deploy is an outage."]
    assert second.supersedes == ["ADR-1"]
    assert second.options[1].pros == []
    text = dump_design(loaded.design)
    assert load_design(text) == loaded.design
    assert "supersedes: ADR-1\n" in text  # one id dumps back as text, not a list
    assert "context: |\n" in text


def test_the_schema_accepts_decisions_and_refuses_unknown_fields() -> None:
    validator = jsonschema.Draft202012Validator(design_schema())
    data = yaml.safe_load(DESIGN + HISTORY.replace("2024-01-15", '"2024-01-15"'))
    validator.validate(data)
    data["decisions"][0]["rationale"] = "unknown"
    assert not validator.is_valid(data)
    data["decisions"][0].pop("rationale")
    data["decisions"][0]["status"] = "approved"
    assert not validator.is_valid(data)


def test_a_proposal_to_replace_a_decision_does_not_end_it() -> None:
    text = DESIGN + HISTORY.replace("status: superseded", "status: accepted")
    assert [w.message for w in load_text(text).warnings] == [
        "ADR-1 is superseded by ADR-2, but its status is accepted"
    ]
    proposed = text.replace(
        'status: accepted\n    date: "2024', 'status: proposed\n    date: "2024'
    )
    assert load_text(proposed).warnings == ()


def test_a_decision_with_no_replacement_cannot_be_superseded() -> None:
    text = DESIGN + HISTORY.replace("    supersedes: ADR-1\n", "")
    (warning,) = load_text(text).warnings
    assert warning.path == "decisions[0].status"
    assert warning.message == "ADR-1 has status superseded, but no decision supersedes it"


def test_decision_problems_are_reported_together() -> None:
    text = DESIGN + HISTORY.replace("chosen: Two replicas", "chosen: Two replica").replace(
        "supersedes: ADR-1", "supersedes: [ADR-1, ADR-2, ADR-9]"
    )
    with pytest.raises(DesignError) as info:
        load_text(text)
    assert [(p.path, p.message, p.hint) for p in info.value.errors] == [
        (
            "decisions[1].supersedes[1]",
            "decision ADR-2 supersedes itself",
            "supersedes lists the older decisions this one replaces: remove its own id",
        ),
        (
            "decisions[1].supersedes[2]",
            "ADR-2 supersedes unknown decision 'ADR-9'",
            "did you mean 'ADR-1'?",
        ),
        (
            "decisions[1].chosen",
            "chosen option 'Two replica' is not among the options of ADR-2",
            "did you mean 'Two replicas'?",
        ),
    ]


def test_a_duplicate_id_names_the_line_of_the_first() -> None:
    text = DESIGN + HISTORY.replace("id: ADR-2", "id: ADR-1").replace("    supersedes: ADR-1\n", "")
    with pytest.raises(DesignError) as info:
        load_text(text)
    (error,) = info.value.errors
    assert (error.line, error.path) == (17, "decisions[1].id")
    assert error.message == "duplicate decision id 'ADR-1' (first on line 8)"


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2024-1-5", "expected a date written YYYY-MM-DD, found '2024-1-5'"),
        ("20240105", "expected a date written YYYY-MM-DD, found 20240105"),
        ("2024-01-05T10:00:00", "expected a date written YYYY-MM-DD, found '2024-01-05T10:00:00'"),
        ("2023-02-29", "2023-02-29 is not a day of the calendar"),
        ("2024-13-01", "2024-13-01 is not a day of the calendar"),
    ],
)
def test_dates_are_calendar_days_written_iso(date: str, message: str) -> None:
    with pytest.raises(DesignError) as info:
        load_text(DESIGN + HISTORY.replace("2024-01-15", date))
    (error,) = info.value.errors
    assert (error.path, error.message) == ("decisions[0].date", message)
