"""Specialization tracks: the shipped tracks load and are acyclic; broken tracks and
assessments fail with located messages; progress and the next best skill agree with numbers
worked out by hand on a small track."""

from __future__ import annotations

import textwrap
from typing import Any

import networkx as nx
import pytest
import yaml

from staffpath.career.tracks import (
    MAX_SKILLS,
    MIN_SKILLS,
    check_cross_references,
    load_track,
    load_tracks,
    parse_track,
    prerequisite_graph,
)
from staffpath.errors import InputError
from staffpath.practice.problems import problem_ids

REQUIRED = {
    "backend-messaging",
    "frontend-performance",
    "ml-pipelines",
    "data-storage",
    "reliability",
}

# --------------------------------------------------------------------------- shipped tracks


def test_the_five_required_tracks_ship() -> None:
    assert set(load_tracks()) >= REQUIRED


@pytest.mark.parametrize("track_id", sorted(REQUIRED))
def test_every_shipped_track_is_whole_and_acyclic(track_id: str) -> None:
    track = load_track(track_id)
    assert MIN_SKILLS <= len(track.skills) <= MAX_SKILLS
    graph = prerequisite_graph(track)
    assert nx.is_directed_acyclic_graph(graph)
    assert graph.number_of_edges() >= len(track.skills) // 2  # a graph, not a flat list
    for skill in track.skills:
        levels = {skill.levels.mid, skill.levels.senior, skill.levels.staff}
        assert len(levels) == 3, f"{skill.id}: the three levels must say different things"
    covered = {s for r in track.resources for s in r.skills}
    assert len(covered) >= len(track.skills) // 2
    assert all(r.url.startswith("https://") for r in track.resources)
    assert all(len(p.acceptance) >= 2 for p in track.projects)
    assert any(p.problem for p in track.projects), "some project should be a design problem"


def test_cross_track_prerequisites_resolve_and_problem_ids_exist() -> None:
    tracks = load_tracks()
    assert check_cross_references(tracks) == []
    crossing = [p for t in tracks.values() for s in t.skills for p in s.prerequisites if "/" in p]
    assert len(crossing) >= 3
    problems = set(problem_ids())
    linked = [p.problem for t in tracks.values() for p in t.projects if p.problem]
    assert linked and set(linked) <= problems


def test_track_ids_match_their_file_names() -> None:
    for track_id, track in load_tracks().items():
        assert track.id == track_id


# ---------------------------------------------------------------------- a hand-built track

# a   e        other/x (another track)
# |\   \          |
# b c   f         h
#  \|   |
#   d   |
#    \ /
#     g
SKILLS = {
    "a": [],
    "b": ["a"],
    "c": ["a"],
    "d": ["b", "c"],
    "e": [],
    "f": ["e"],
    "g": ["d", "f"],
    "h": ["other/x"],
}


def track_text(skills: dict[str, list[str]], *, problem: str | None = None) -> str:
    data: dict[str, Any] = {
        "id": "hand",
        "title": "Hand-built",
        "summary": "A small track whose answers are worked out by hand.",
        "skills": [
            {
                "id": sid,
                "title": sid.upper(),
                "what": f"Skill {sid}.",
                "prerequisites": prereqs,
                "levels": {"mid": f"{sid} mid", "senior": f"{sid} senior", "staff": f"{sid} staff"},
            }
            for sid, prereqs in skills.items()
        ],
        "resources": [{"title": "A book", "url": "https://example.org/book", "kind": "book"}],
        "projects": [
            {
                "id": "p",
                "title": "P",
                "brief": "Build it.",
                "acceptance": ["It runs.", "It is fast."],
                "skills": ["a"],
                **({"problem": problem} if problem else {}),
            }
        ],
    }
    return yaml.safe_dump(data, sort_keys=False)


def test_a_cycle_is_named() -> None:
    skills = {**SKILLS, "a": ["d"]}  # a needs d, d needs b (and c), b needs a
    with pytest.raises(InputError) as err:
        parse_track(track_text(skills), name="cyc.yaml", problems=[])
    # line 9 is a's first prerequisite ('  - d'); the scalar d starts at column 5
    assert str(err.value) == (
        "cyc.yaml:9:5: skills[0].prerequisites[0]: prerequisites form a cycle (each needs the "
        "next): a -> d -> b -> a (a skill cannot need itself, even through others: remove one "
        "of these prerequisites)"
    )


def test_a_skill_that_needs_itself_is_a_cycle() -> None:
    with pytest.raises(InputError, match=r"a cycle \(each needs the next\): e -> e \("):
        parse_track(track_text({**SKILLS, "e": ["e"]}), name="self.yaml", problems=[])


def test_an_unknown_prerequisite_suggests_the_near_name() -> None:
    skills = dict(SKILLS)
    skills["delivery-semantics"] = skills.pop("h")
    skills["d"] = ["b", "delivery-semantic"]
    with pytest.raises(InputError) as err:
        parse_track(track_text(skills), name="bad.yaml", problems=[])
    # Four header lines; a skill takes 8 lines plus one per prerequisite: a on lines 5-12,
    # b 13-21, c 22-30, then d: prerequisites on 34, '- b' 35, '- delivery-semantic' 36.
    assert str(err.value) == (
        "bad.yaml:36:5: skills[3].prerequisites[1]: skill 'd' needs 'delivery-semantic', "
        "which is not a skill of this track (did you mean 'delivery-semantics'?) "
        "(name a skill id of this track, or 'track/skill' for another track's)"
    )


def test_an_unknown_problem_id_is_refused() -> None:
    with pytest.raises(InputError, match=r"no design problem 'chatt' \(did you mean 'chat'\?\)"):
        parse_track(track_text(SKILLS, problem="chatt"), name="p.yaml", problems=["chat"])


def test_cross_track_references_are_checked() -> None:
    hand = parse_track(track_text(SKILLS), name="hand.yaml", problems=[])
    assert check_cross_references({"hand": hand}) == [
        "hand: skill 'h' needs 'other/x', but there is no track 'other'"
    ]


def test_model_errors_are_located_and_all_reported() -> None:
    text = textwrap.dedent(
        """\
        id: Bad Id
        title: T
        summary: S
        skills: []
        resources: []
        projects: []
        colour: blue
        """
    )
    with pytest.raises(InputError) as err:
        parse_track(text, name="m.yaml", problems=[])
    assert str(err.value).splitlines() == [
        "m.yaml:1:5: id: expected a lower-case id with dashes, such as 'delivery-semantics', "
        "found 'Bad Id' (write it in that form)",
        "m.yaml:4:9: skills: expected at least 8 items, found 0 (add items)",
        "m.yaml:5:12: resources: expected at least 1 items, found 0 (add items)",
        "m.yaml:6:11: projects: expected at least 1 items, found 0 (add items)",
        "m.yaml:7:1: colour: unknown field 'colour' (expected one of: id, title, summary, "
        "skills, resources, projects)",
    ]


# ---------------------------------------------------------------------------- assessments
