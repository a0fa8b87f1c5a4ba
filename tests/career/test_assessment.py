"""Self-assessments: next best skills and progress worked by hand, unbacked claims, located
errors, the blank template."""

from __future__ import annotations

import textwrap

import pytest

from staffpath.career.assessment import (
    assess,
    blank_assessment,
    next_best,
    parse_assessment,
    progress,
    unbacked,
)
from staffpath.career.tracks import (
    Assessment,
    Track,
    load_track,
    load_tracks,
    parse_track,
)
from staffpath.errors import InputError
from tests.career.test_tracks import SKILLS, track_text

# --------------------------------------------------------------------------- shipped tracks


@pytest.fixture
def hand() -> Track:
    return parse_track(track_text(SKILLS), name="hand.yaml", problems=["chat"])


def claims(target: str, levels: dict[str, tuple[str, list[str]]]) -> Assessment:
    return Assessment.model_validate(
        {
            "track": "hand",
            "target": target,
            "skills": {k: {"level": lv, "evidence": ev} for k, (lv, ev) in levels.items()},
        }
    )


MINE = {
    "a": ("mid", ["win-1"]),
    "c": ("senior", ["https://example.org/pr/7"]),
    "e": ("mid", []),  # claimed without evidence
}


def test_next_best_skill_by_hand(hand: Track) -> None:
    """Target senior (2); levels a=1, c=2, e=1, the rest 0.

    a: aims at senior, no prerequisites: ready; downstream below target b, d, g (3); gap 1.
    b: aims at mid, a is mid: ready; downstream d, g (2); gap 2.
    c: at the target: not listed.
    d: aims at mid, b is none: blocked on b.
    e: aims at senior, no prerequisites: ready; downstream f, g (2); gap 1.
    f: aims at mid, e is mid: ready; downstream g (1); gap 2.
    g: aims at mid, d and f are none: blocked on both.
    h: aims at mid, other/x is not assessed: assumed met; downstream none (0); gap 2.
    Ranked by unlocks, then gap, then track order: a (3), b (2, gap 2), e (2, gap 1), f, h.
    """
    ranked, blocked = next_best(hand, claims("senior", MINE))
    assert [(n.id, len(n.unlocks), n.gap, n.aim) for n in ranked] == [
        ("a", 3, 1, "senior"),
        ("b", 2, 2, "mid"),
        ("e", 2, 1, "senior"),
        ("f", 1, 2, "mid"),
        ("h", 0, 2, "mid"),
    ]
    assert ranked[0].unlocks == ("b", "d", "g")
    assert ranked[0].reasons == (
        "unlocks 3 skills downstream still below senior: b, d, g",
        "gap of 1 level (mid -> senior)",
        "no prerequisites to wait for",
    )
    assert ranked[-1].reasons[-1] == "assumed met (another track, not assessed): other/x"
    assert [(b.id, b.aim, b.waiting_on) for b in blocked] == [
        ("d", "mid", (("b", "none"),)),
        ("g", "mid", (("d", "none"), ("f", "none"))),
    ]


def test_an_assessed_cross_track_prerequisite_can_block(hand: Track) -> None:
    ranked, blocked = next_best(hand, claims("senior", {**MINE, "other/x": ("none", [])}))
    assert "h" not in [n.id for n in ranked]
    assert ("h", (("other/x", "none"),)) in [(b.id, b.waiting_on) for b in blocked]


def test_progress_by_hand(hand: Track) -> None:
    """Target senior: capped levels a1 b0 c2 d0 e1 f0 g0 h0 = 4 of 2 x 8 = 16, so 25%;
    backed, e's unbacked mid drops out: 3 / 16 = 18.75%."""
    rows, overall, backed = progress(hand, claims("senior", MINE))
    assert {r.id: r.progress for r in rows if r.progress} == {"a": 0.5, "c": 1.0, "e": 0.5}
    assert overall == 4 / 16
    assert backed == 3 / 16
    assert [r.id for r in rows if not r.backed] == ["e"]


def test_progress_caps_a_level_above_the_target(hand: Track) -> None:
    """Target mid: c's senior counts as mid. a1 c1 e1 = 3 of 1 x 8."""
    _, overall, _ = progress(hand, claims("mid", MINE))
    assert overall == 3 / 8


def test_unbacked_claims_are_findings(hand: Track) -> None:
    (finding,) = unbacked(hand, claims("senior", MINE))
    assert (finding.skill, finding.rule) == ("e", "unbacked")
    assert finding.reason == "E: mid is claimed without evidence"
    assert "e mid" in finding.suggestion  # it quotes what mid looks like


def test_report_as_json(hand: Track) -> None:
    data = assess(hand, claims("senior", MINE)).to_dict()
    assert (data["overall"], data["backed_overall"]) == (0.25, 0.1875)
    assert [n["skill"] for n in data["next"]] == ["a", "b", "e", "f", "h"]
    assert data["blocked"][0] == {
        "skill": "d",
        "aim": "mid",
        "waiting_on": [{"skill": "b", "level": "none"}],
    }


def test_nothing_left_to_do_at_the_target(hand: Track) -> None:
    done = {sid: ("senior", ["x"]) for sid in SKILLS}
    ranked, blocked = next_best(hand, claims("senior", done))
    assert (ranked, blocked) == ([], [])


# -------------------------------------------------------------------------- broken tracks


def test_an_assessment_with_every_kind_of_mistake() -> None:
    text = textwrap.dedent(
        """\
        track: backend-messaging
        target: principal
        skills:
          delivery-semantic:
            level: senior
            evidence: [win-1]
          log-and-queue-models:
            level: expert
            evidnce: []
        """
    )
    with pytest.raises(InputError) as err:
        parse_assessment(text, name="a.yaml", tracks=load_tracks())
    lines = str(err.value).splitlines()
    assert lines[0] == (
        "a.yaml:2:9: target: expected one of 'mid', 'senior' or 'staff', found 'principal' "
        "(write one of those words)"
    )
    assert lines[1].startswith(
        "a.yaml:4:3: skills.delivery-semantic: track 'backend-messaging' has no skill "
        "'delivery-semantic' (did you mean 'delivery-semantics'? the skills are: "
    )
    assert lines[2] == (
        "a.yaml:8:12: skills.log-and-queue-models.level: expected one of 'none', 'mid', "
        "'senior' or 'staff', found 'expert' (write one of those words)"
    )
    assert lines[3] == (
        "a.yaml:9:5: skills.log-and-queue-models.evidnce: unknown field 'evidnce' "
        "(did you mean 'evidence'? expected one of: level, evidence, note)"
    )
    assert len(lines) == 4


def test_an_unknown_track_and_bad_evidence() -> None:
    text = "track: backend-message\ntarget: mid\n"
    with pytest.raises(InputError, match=r"a.yaml:1:8: track: no track 'backend-message' \(did"):
        parse_assessment(text, name="a.yaml", tracks=load_tracks())
    bad = "track: reliability\ntarget: mid\nskills:\n  observability: {level: mid, evidence: ['not an id!']}\n"
    with pytest.raises(
        InputError, match=r"a.yaml:4:42: skills.observability.evidence\[0\]: expected"
    ):
        parse_assessment(bad, name="a.yaml", tracks=load_tracks())


def test_yaml_problems_are_located() -> None:
    with pytest.raises(InputError, match=r"^a.yaml:2:1: YAML syntax error"):
        parse_assessment("track: [x\n", name="a.yaml", tracks=load_tracks())
    with pytest.raises(InputError, match=r"^a.yaml:1:1: the assessment is empty"):
        parse_assessment("", name="a.yaml", tracks=load_tracks())
    with pytest.raises(InputError, match=r"^a.yaml:1:1: expected a mapping of fields, found list"):
        parse_assessment("- 1\n", name="a.yaml", tracks=load_tracks())


def test_the_blank_template_parses_back_with_every_skill_at_none() -> None:
    track = load_track("data-storage")
    text = blank_assessment(track, target="staff")
    assessment = parse_assessment(text, name="t.yaml", tracks=load_tracks())
    assert assessment.target == "staff"
    assert list(assessment.skills) == track.skill_ids
    assert {c.level for c in assessment.skills.values()} == {"none"}
    report = assess(track, assessment)
    assert (report.overall, report.findings) == (0.0, ())
    assert [n.id for n in report.next] == [
        s.id for s in track.skills if not s.prerequisites
    ]  # only the roots are ready


def test_assessing_against_the_wrong_track_is_refused() -> None:
    assessment = Assessment.model_validate({"track": "reliability", "target": "mid"})
    with pytest.raises(InputError, match="is for track 'reliability', not 'data-storage'"):
        assess(load_track("data-storage"), assessment)
