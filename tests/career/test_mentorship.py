"""The mentorship log: located errors word for word, cadence, drift and due items worked by
hand with a fixed day, the prompt bank, and mentoring as evidence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from staffpath.career import mentorship as m
from staffpath.errors import InputError
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "career" / "mentoring.yaml"
TODAY = dt.date(2026, 11, 23)
SKILLS = {"reliability/incident-response", "reliability/postmortems"}


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def log_of(sessions: str, *, goals: str = "") -> m.MentoringLog:
    text = (
        "mentees:\n  - {id: ana, name: Ana, started: 2026-01-05"
        + (f", goals: [{goals}]" if goals else "")
        + "}\nsessions:\n"
        + sessions
    )
    return m.parse_mentoring(text)


# ------------------------------------------------------------------------------ errors

BROKEN = """\
mentees:
  - id: priya
    name: Priya Raman
    started: 2026-06-01
    goals:
      - {id: incident-lead, text: Lead an incident review, skills: [reliability/incident-respons]}
      - {id: talk, text: Give a talk, status: done}
  - id: tomas
    name: Tomás
    started: 2026-13-01
sessions:
  - mentee: pirya
    date: 2026-06-08
  - mentee: priya
    date: 2026-05-20
    goals: [incident-led]
    actions:
      - {text: Read the runbook, owner: mentees, due: 2026-06-01}
      - {text: Draft SLOs, owner: mentee, due: 2026-05-10}
    agendas: [x]
"""


def test_structure_errors_are_located_with_what_to_do() -> None:
    with pytest.raises(InputError) as caught:
        m.parse_mentoring(BROKEN, name="m.yaml", known_skills=SKILLS)
    assert str(caught.value).splitlines() == [
        "m.yaml:10:14: mentees[1].started: 2026-13-01 is not a day of the calendar "
        "(check the month and the day)",
        "m.yaml:18:41: sessions[1].actions[0].owner: expected one of 'mentor' or 'mentee', "
        "found 'mentees' (did you mean 'mentee'?)",
        "m.yaml:20:5: sessions[1].agendas: unknown field 'agendas' (did you mean 'agenda'?)",
    ]


def test_cross_checks_name_every_problem_with_a_did_you_mean() -> None:
    text = BROKEN.replace("2026-13-01", "2026-03-01").replace("owner: mentees", "owner: mentee")
    text = text.replace("    agendas: [x]\n", "")
    with pytest.raises(InputError) as caught:
        m.parse_mentoring(text, name="m.yaml", known_skills=SKILLS)
    assert str(caught.value).splitlines() == [
        "m.yaml:6:69: mentees[0].goals[0].skills[0]: no track skill "
        "'reliability/incident-respons' (did you mean 'reliability/incident-response'?)",
        "m.yaml:7:47: mentees[0].goals[1].status: a goal that is done needs the day it was "
        "reached (add done: YYYY-MM-DD to the goal)",
        "m.yaml:12:13: sessions[0].mentee: no mentee 'pirya' (did you mean 'priya'?)",
        "m.yaml:15:11: sessions[1].date: is before priya started (2026-06-01) "
        "(fix the date, or move the mentee's started date back)",
        "m.yaml:16:13: sessions[1].goals[0]: priya has no goal 'incident-led' "
        "(did you mean 'incident-lead'?)",
        "m.yaml:19:48: sessions[1].actions[1].due: falls before the session that set it "
        "(2026-05-20) (an action item is due on or after its session)",
    ]


def test_skills_are_checked_for_form_without_a_track_list() -> None:
    text = "mentees:\n  - {id: a, name: A, started: 2026-01-05, goals: [{id: g, text: G, skills: [Incident Response]}]}\n"
    with pytest.raises(InputError) as caught:
        m.parse_mentoring(text, name="m.yaml")
    assert str(caught.value) == (
        "m.yaml:2:77: mentees[0].goals[0].skills[0]: 'Incident Response' is not a track skill "
        "id (write track/skill in lower case, such as reliability/incident-response)"
    )
    # without known skills, any well-formed id passes
    ok = text.replace("Incident Response", "any-track/any-skill")
    assert m.parse_mentoring(ok).mentees[0].goals[0].skills == ["any-track/any-skill"]


def test_duplicates_missing_fields_and_bad_yaml() -> None:
    dup = "mentees:\n  - {id: a, name: A, started: 2026-01-05}\n  - {id: a, name: B, started: 2026-01-05}\n"
    with pytest.raises(
        InputError,
        match=r"^m.yaml:3:10: mentees\[1\].id: mentee id is used twice \(first on line 2\) \(give each mentee their own id\)$",
    ):
        m.parse_mentoring(dup, name="m.yaml")
    with pytest.raises(InputError) as caught:
        m.parse_mentoring("mentees:\n  - {id: a, name: A}\n", name="m.yaml")
    assert str(caught.value) == (
        "m.yaml:2:5: mentees[0].started: missing required field 'started' "
        "(add started: the day mentoring began, such as 2026-03-02)"
    )
    with pytest.raises(
        InputError, match=r"^m.yaml:1:1: a mentoring log is a mapping of fields, found a list"
    ):
        m.parse_mentoring("- a\n", name="m.yaml")
    with pytest.raises(InputError) as broken:
        m.parse_mentoring("mentees:\n  - {id: a\n", name="m.yaml")
    assert str(broken.value) == (
        "m.yaml:3:1: YAML syntax error: did not find expected ',' or '}' while parsing a flow "
        "mapping (the bracket opened at line 2, column 5 is not closed where expected)"
    )


def test_load_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.yaml: no such file"):
        m.load_mentoring(tmp_path / "nope.yaml")


# ------------------------------------------------------------------------- computations


def test_cadence_is_the_median_gap() -> None:
    # gaps 7, 14, 21, 10 (unsorted input): sorted 7, 10, 14, 21 -> median (10 + 14) / 2 = 12
    dates = [day(d) for d in ("2026-01-22", "2026-01-01", "2026-01-08", "2026-02-12", "2026-02-22")]
    assert m.cadence(dates) == 12.0
    assert m.cadence([day("2026-01-01")]) is None
    assert m.cadence([]) is None


def test_drift_warning_starts_past_twice_the_cadence() -> None:
    # sessions every 14 days; the last on 2026-02-02; 2 x 14 = 28 days allowed
    log = log_of(
        "  - {mentee: ana, date: 2026-01-05}\n"
        "  - {mentee: ana, date: 2026-01-19}\n"
        "  - {mentee: ana, date: 2026-02-02}\n"
    )
    (at_limit,) = m.summarise(log, today=day("2026-03-02"))  # 28 days after
    assert (at_limit.cadence, at_limit.days_since_last, at_limit.warning) == (14.0, 28, "")
    (past,) = m.summarise(log, today=day("2026-03-03"))  # 29 days after
    assert past.warning == "last session 29 days ago, more than 2 x the 14-day cadence"


def test_example_summaries_worked_by_hand() -> None:
    log = m.load_mentoring(EXAMPLE)
    priya, tomas, mei = m.summarise(log, today=TODAY)
    # Priya: 06-01, 06-22, 07-13, 08-10 -> gaps 21, 21, 28 -> median 21; 08-10 to 11-23 is
    # 21 (Aug) + 30 + 31 + 23 = 105 days > 42: drifting.
    assert (priya.sessions, priya.planned, priya.cadence, priya.days_since_last) == (4, 0, 21, 105)
    assert priya.warning == "last session 105 days ago, more than 2 x the 21-day cadence"
    assert priya.untouched_goals == ("conference-talk",)
    assert (priya.goals_done, priya.goals, priya.open_actions, priya.overdue_actions) == (
        1,
        3,
        2,
        1,
    )
    # Tomás: 08-03, 09-14, 11-09 held (gaps 42, 56 -> 49), 12-07 planned; 14 days ago.
    assert (tomas.sessions, tomas.planned, tomas.cadence, tomas.days_since_last) == (3, 1, 49, 14)
    assert tomas.warning == ""
    # design-reviews is named only by the planned session, which does not count yet
    assert tomas.untouched_goals == ("design-reviews",)
    # Mei ended in August: 140 days since her last session is not drift.
    assert (mei.cadence, mei.days_since_last, mei.warning) == (91, 140, "")


def test_due_items_worked_by_hand() -> None:
    items = m.due_items(m.load_mentoring(EXAMPLE), today=TODAY)
    assert [(i.state, i.days, i.due.isoformat(), i.owner, i.mentee) for i in items] == [
        ("overdue", 84, "2026-08-31", "mentee", "priya"),  # 31 - 31 + 30 + 31 + 23 = 84
        ("overdue", 3, "2026-11-20", "mentor", "tomas"),
        ("due-soon", 4, "2026-11-27", "mentee", "tomas"),
        ("due-soon", 7, "2026-11-30", "mentee", "priya"),  # the last day of the window
    ]
    assert len(m.due_items(m.load_mentoring(EXAMPLE), today=TODAY, soon_days=6)) == 3


def test_due_window_edges_and_closed_items() -> None:
    log = log_of(
        "  - mentee: ana\n    date: 2026-01-05\n    actions:\n"
        "      - {text: a, owner: mentee, due: 2026-01-09}\n"  # yesterday
        "      - {text: b, owner: mentee, due: 2026-01-10}\n"  # today
        "      - {text: c, owner: mentor, due: 2026-01-17}\n"  # in 7
        "      - {text: d, owner: mentor, due: 2026-01-18}\n"  # in 8: not yet
        "      - {text: e, owner: mentee, due: 2026-01-06, status: done}\n"
        "      - {text: f, owner: mentee, due: 2026-01-06, status: dropped}\n"
    )
    items = m.due_items(log, today=day("2026-01-10"))
    assert [(i.text, i.state, i.days) for i in items] == [
        ("a", "overdue", 1),
        ("b", "due-soon", 0),
        ("c", "due-soon", 7),
    ]


def test_no_session_yet_and_goal_status() -> None:
    log = log_of(
        "  - {mentee: ana, date: 2026-02-01, goals: [g1]}\n",
        goals="{id: g1, text: One}, {id: g2, text: Two}, {id: g3, text: Three, status: dropped}",
    )
    (before,) = m.summarise(log, today=day("2026-01-20"))
    assert (before.sessions, before.planned, before.warning) == (0, 1, "no session held yet")
    assert before.untouched_goals == ("g1", "g2")
    (after,) = m.summarise(log, today=day("2026-02-01"))
    assert (after.sessions, after.cadence, after.warning) == (1, None, "")
    assert after.untouched_goals == ("g2",)


# --------------------------------------------------------------------------- prompts

CATEGORIES = [
    "career-direction",
    "technical-growth",
    "feedback",
    "wellbeing",
    "impact-and-visibility",
    "leadership",
    "difficult-situations",
    "closing-the-loop",
]


def test_prompt_bank_has_fifty_unique_prompts_over_every_category() -> None:
    bank = m.prompt_bank()
    assert list(bank) == CATEGORIES
    texts = [t for c in bank.values() for t in c.prompts]
    assert len(texts) >= 50
    assert len({t.lower() for t in texts}) == len(texts)
    assert all(len(c.prompts) >= 6 for c in bank.values())
    assert all(t.endswith("?") for t in texts)
    # a second reader of the file agrees with ours
    raw = yaml.safe_load(m.PROMPTS_FILE.read_text(encoding="utf-8"))
    assert sum(len(c["prompts"]) for c in raw["categories"].values()) == len(texts)


def test_prompts_draw_reproducibly() -> None:
    first = m.prompts("feedback", count=3, seed=11)
    assert first == m.prompts("feedback", count=3, seed=11)
    assert all(p.category == "feedback" for p in first)
    assert len({p.text for p in first}) == 3
    draws = {tuple(p.text for p in m.prompts(count=4, seed=s)) for s in range(10)}
    assert len(draws) > 1
    assert len(m.prompts("wellbeing", count=100, seed=1)) == len(
        m.prompt_bank()["wellbeing"].prompts
    )
    with pytest.raises(InputError, match=r"no category 'feedbak' \(did you mean 'feedback'\?\)"):
        m.prompts("feedbak")
    with pytest.raises(InputError, match="at least 1 prompt"):
        m.prompts(count=0)


# -------------------------------------------------------------------------- evidence


def test_sessions_and_reached_goals_become_leadership_evidence() -> None:
    records = m.mentoring_evidence(m.load_mentoring(EXAMPLE), today=TODAY)
    # 10 sessions, one planned after today -> 9; goals reached: Mei's and Priya's -> 11
    assert len(records) == 11
    assert [r.date for r in records] == sorted(r.date for r in records)
    assert {r.competencies for r in records} == {("mentoring", "leadership")}
    assert len({r.id for r in records}) == 11
    goal = next(r for r in records if r.id == "mentoring-priya-goal-slo-owner")
    assert goal.to_dict() == {
        "id": "mentoring-priya-goal-slo-owner",
        "date": "2026-09-14",
        "what": "Mentored Priya Raman to a goal: Own the SLOs of the payments API and present "
        "them each month",
        "why": "Grows reliability/slos-and-error-budgets",
        # sessions naming slo-owner by 09-14: 06-01, 06-22, 08-10; 06-01 to 09-14 = 105 days
        "metric": "reached after 3 sessions on it, 105 days into mentoring",
        "competencies": ["mentoring", "leadership"],
    }
    first = records[0]
    assert first.id == "mentoring-mei-2026-04-06"
    assert first.metric == "session 1 with Mei Lin; 1 of 1 action items done"
    # a goal reached after `today` is not evidence yet
    early = m.mentoring_evidence(m.load_mentoring(EXAMPLE), today=day("2026-09-13"))
    assert "mentoring-priya-goal-slo-owner" not in {r.id for r in early}
