"""The evidence log: located errors with their exact words, warnings, story drafts that the
story bank loads and checks, resume bullets on hand-picked openings, the packet, appending."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from staffpath.career.evidence import (
    Evidence,
    Record,
    append_record,
    load_evidence,
    parse_records,
    read_log,
    select,
    slugify,
    story_drafts,
)
from staffpath.errors import InputError
from staffpath.practice.stories import load_stories, parse_story
from staffpath.practice.story_check import check_stories
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "career" / "evidence.yaml"
TODAY = date(2026, 11, 26)

BROKEN = """\
# a log with one good record and every kind of mistake
- id: billing-cutover
  date: 2026-03-14
  what: Moved billing to its own database.
  metric: p99 2.4 s -> 310 ms
- id: Bad Id
  date: 2026-13-01
  what: ""
  metric: much faster
  competencies: [delivery, bravery]
  colour: red
- id: no-date
  what: Something
  links: [wiki.example.com/x]
  skills: [incident-response]
- just a string
"""


def errors_of(text: str, name: str = "log.yaml", *, markdown: bool = False) -> list[str]:
    with pytest.raises(InputError) as info:
        read_log([(name, text)], today=TODAY)
    assert markdown == name.endswith(".md")
    return str(info.value).splitlines()


def test_every_mistake_is_located_with_what_to_do() -> None:
    assert errors_of(BROKEN) == [
        "log.yaml:6:7: [1].id: expected a slug (lowercase letters, digits and '-'), found "
        "'Bad Id' (e.g. 'billing-cutover')",
        "log.yaml:7:9: [1].date: expected a real calendar date, found '2026-13-01' "
        "(write it like 2026-03-14)",
        "log.yaml:8:9: [1].what: must not be empty (write the what or remove the line)",
        "log.yaml:9:11: [1].metric: expected a measured change with a number, found "
        "'much faster' (say by how much, e.g. 'p99 900 ms -> 120 ms' or '3 pages a week -> 0'; "
        "an estimate you can defend beats none)",
        "log.yaml:10:28: [1].competencies[1]: expected a competency, found 'bravery' (choose "
        "from leadership, conflict, failure, ambiguity, trade-off, mentoring, influence, "
        "delivery, customer-focus, ownership, communication, growth)",
        "log.yaml:11:3: [1].colour: unknown field (the fields are: id, date, title, what, why, "
        "metric, links, people, competencies, skills)",
        "log.yaml:12:3: [2].date: required, but missing (add 'date: 2026-03-14' to the record)",
        "log.yaml:14:11: [2].links[0]: expected a web address, found 'wiki.example.com/x' "
        "(start it with https:// (or http://), without spaces)",
        "log.yaml:15:12: [2].skills[0]: expected a track skill written track/skill, found "
        "'incident-response' (e.g. 'reliability/incident-response')",
        "log.yaml:16:3: [3]: expected a record (a mapping of fields), found 'just a string' "
        "(write the record as 'id: ...', 'date: ...', 'what: ...' lines)",
    ]


def test_yaml_syntax_and_shape_errors_are_located() -> None:
    (tab,) = errors_of("- id: a\n\tdate: 2026-01-01\n")
    assert tab.startswith("log.yaml:2:1: YAML syntax error")
    assert "tabs" in tab
    assert errors_of("id: a\nwhat: b\n") == [
        "log.yaml:1:1: expected a list of records ('- id: ...' items), found a dict "
        "(start each record with '- ' at the left margin)"
    ]
    assert errors_of("- id: a\n  date: 20260101\n  what: x\n") == [
        "log.yaml:2:9: [0].date: expected a date written YYYY-MM-DD, found 20260101 "
        "(write it like 2026-03-14)"
    ]
    assert errors_of("- {id: a, date: 2026-01-01, what: x, wat: y}\n")[0].endswith(
        "[0].wat: unknown field (did you mean 'what'?)"
    )


def test_unsafe_yaml_is_refused_in_the_logs_words() -> None:
    assert errors_of("- &a {id: x}\n") == [
        "log.yaml:1:3: [0]: anchor &a is not allowed (anchors and aliases are not part of "
        "staffpath's YAML: write the value out)"
    ]
    assert errors_of("---\n- a\n---\n- b\n") == [
        "log.yaml:3:1: an evidence file holds one YAML document (remove the second '---' "
        "document or put it in its own file)"
    ]
    front = "---\nid: x\ndate: !!str 2026-01-01\n---\nbody\n"
    assert errors_of(front, "x.md", markdown=True) == [
        "x.md:3:7: date: tag !!str is not allowed (YAML tags are not part of staffpath's YAML: "
        "remove the tag)"
    ]


def test_an_empty_file_is_an_empty_log() -> None:
    assert read_log([("log.yaml", "# nothing yet\n")], today=TODAY).records == ()


def test_warnings_no_metric_future_date_duplicate_id() -> None:
    text = (
        "- id: a\n  date: 2026-01-05\n  what: Did a\n  metric: 3 pages -> 0\n"
        "- id: a\n  date: 2027-02-01\n  what: Did b\n"
    )
    log = read_log([("log.yaml", text)], today=TODAY)
    assert [w.render() for w in log.warnings] == [
        "log.yaml:5:3: warning: a: no metric (add 'metric:' with the number that changed; "
        "unmeasured wins make weak stories and weak bullets)",
        "log.yaml:6:3: warning: a.date: 2027-02-01 is in the future (today is 2026-11-26) "
        "(log wins once they happened; check the year)",
        "log.yaml:5:3: warning: a.id: id 'a' is used twice (first at log.yaml:1) (give each "
        "record its own id; story drafts are named after it)",
    ]
    assert len(log.records) == 2


def test_track_skills_are_checked_against_the_set_given() -> None:
    text = "- id: a\n  date: 2026-01-05\n  what: x\n  skills: [reliability/on-cal]\n"
    with pytest.raises(InputError) as info:
        read_log([("log.yaml", text)], today=TODAY, skills={"reliability/on-call"})
    assert str(info.value) == (
        "log.yaml:4:3: a.skills: no track skill 'reliability/on-cal' "
        "(did you mean 'reliability/on-call'?)"
    )
    assert read_log([("log.yaml", text)], today=TODAY).records  # no set given: not checked


def test_a_folder_of_markdown_records(tmp_path: Path) -> None:
    (tmp_path / "cutover.md").write_text(
        "---\ndate: 2026-03-14\nmetric: 2.4 s -> 310 ms\ncompetencies: [delivery]\n---\n"
        "# Billing cut-over\n\nI moved billing to its own database.\n\nWith a plan.\n"
    )
    (tmp_path / "mentor.md").write_text(
        "---\nid: ana\ndate: 2026-04-01\nwhat: Mentored Ana\nmetric: 6 sessions\n---\n"
    )
    log = load_evidence(tmp_path, today=TODAY)
    first, second = (r.evidence for r in log.records)
    assert (first.id, first.title, first.what) == (
        "cutover",
        "Billing cut-over",
        "I moved billing to its own database.\n\nWith a plan.",
    )
    assert (second.id, second.headline) == ("ana", "Mentored Ana")
    (tmp_path / "bad.md").write_text("---\ndate: 2026-03-14\nwhat: x\nmetric: lots\n---\n")
    with pytest.raises(InputError) as info:
        load_evidence(tmp_path, today=TODAY)
    assert str(info.value).startswith(f"{tmp_path / 'bad.md'}:4:9: metric: expected a measured")
    (tmp_path / "bad.md").write_text("no front matter\n")
    with pytest.raises(InputError, match=r"bad.md:1:1: expected front matter between '---'"):
        load_evidence(tmp_path, today=TODAY)


def test_missing_paths_say_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="start one with `staffpath evidence add"):
        load_evidence(tmp_path / "evidence.yaml", today=TODAY)
    with pytest.raises(InputError, match="no evidence here"):
        load_evidence(tmp_path, today=TODAY)


def test_the_example_log_is_clean_and_varied() -> None:
    log = load_evidence(EXAMPLE, today=TODAY)
    assert log.warnings == ()
    assert 8 <= len(log.records) <= 12
    firsts = {r.evidence.competencies[0] for r in log.records}
    assert len(firsts) >= 7


def test_select_by_competency_and_period() -> None:
    records = load_evidence(EXAMPLE, today=TODAY).records
    picked = select(records, competency="failure")
    assert [r.evidence.id for r in picked] == ["retry-storm-postmortem", "kafka-upgrade-miss"]
    spring = select(records, since=date(2026, 3, 5), until=date(2026, 4, 16))
    assert [r.evidence.id for r in spring] == [
        "mentor-ana-oncall",
        "queue-vs-stream-decision",
        "api-deprecation-conflict",
    ]
    with pytest.raises(InputError, match="no competency 'bravery'"):
        select(records, competency="bravery")
    with pytest.raises(InputError, match="is after --until"):
        select(records, since=date(2026, 5, 1), until=date(2026, 4, 1))


# ------------------------------------------------------------------------------ drafts


def test_drafts_load_as_stories_and_the_check_lists_what_is_missing(tmp_path: Path) -> None:
    records = load_evidence(EXAMPLE, today=TODAY).records
    drafts = story_drafts(records)
    assert len(drafts) == len(records)
    for name, text in drafts.items():
        (tmp_path / name).write_text(text)
    stories = load_stories(tmp_path)
    checks = {c.id: c for c in check_stories(stories)}
    ledger = checks["ledger-cutover"]
    assert ledger.title == "Moved the ledger to its own database"
    assert ledger.strength == "weak"
    findings = {f.rule: f for f in ledger.findings}
    assert not findings["parts"].passed
    assert "missing: task" in findings["parts"].reason
    assert not findings["follow-ups"].passed
    assert findings["measurable"].passed  # the record's metric became the result
    assert findings["competencies"].passed
    assert all(c.strength == "weak" for c in checks.values())
    text = drafts["ledger-cutover.yaml"]
    for part in ("summary", "situation", "task", "action", "result", "questions", "follow_ups"):
        assert f"# TODO {part}" in text
    story = parse_story(text, name="x", markdown=False)
    assert story.situation.startswith("Month-end batch runs on the shared primary")
    assert story.action.startswith("I was responsible for moving the ledger tables")
    assert story.metrics == [records[0].evidence.metric]
    assert story.competencies == ["delivery", "ownership", "influence"]


def test_a_draft_survives_hostile_text() -> None:
    ev = Evidence(
        id="x",
        date=date(2026, 1, 1),
        what='Key: "value" # not a comment\n- not a list\n{also: not a map}',
        why="---\n...",
        metric="50% fewer: pages",
    )
    story = parse_story(story_drafts([_rec(ev)])["x.yaml"], name="x", markdown=False)
    assert story.action == ev.what
    assert story.situation == ev.why
    assert story.result == ev.metric


def _rec(ev: Evidence) -> Record:
    return Record(ev, "log.yaml", 1)


def test_append_keeps_comments_and_reads_back(tmp_path: Path) -> None:
    text = "# my log\n- id: a  # first\n  date: 2026-01-05\n  what: Did a\n  metric: 3 -> 0"
    new, ev = append_record(
        text,
        {"id": "b", "date": date(2026, 2, 1), "what": 'Did "b": well', "metric": "40% faster"},
        name="log.yaml",
    )
    assert new.startswith(text + "\n\n- id: b\n  date: 2026-02-01\n")
    assert "# first" in new
    records, problems = parse_records(new, name="log.yaml", markdown=False)
    assert problems == [] and [r.evidence.id for r in records] == ["a", "b"]
    assert records[1].evidence == ev


def test_append_refuses_what_it_cannot_do_as_text() -> None:
    data = {"id": "b", "date": date(2026, 2, 1), "what": "x", "metric": "3"}
    with pytest.raises(InputError, match="cannot append as text"):
        append_record("[{id: a, date: 2026-01-01, what: x}]\n", data, name="log.yaml")
    with pytest.raises(InputError, match="a record with id 'b' exists"):
        append_record("- {id: b, date: 2026-01-01, what: x}\n", data, name="log.yaml")
    with pytest.raises(InputError, match="--metric: expected a measured change"):
        append_record("", {**data, "metric": "a lot"}, name="log.yaml")
    with pytest.raises(
        InputError, match=r"--competency: expected a competency, found 'bravery' \(choose from"
    ):
        append_record("", {**data, "competencies": ["bravery"]}, name="log.yaml")
    new, _ = append_record("", data, name="log.yaml")
    assert new.startswith("# Evidence log") and "- id: b" in new


def test_slugify() -> None:
    assert (
        slugify("Cut the nightly build from 48 to 19 minutes!") == "cut-the-nightly-build-from-48"
    )
    assert slugify("Cut the nightly build from 48", taken={"cut-the-nightly-build-from-48"}) == (
        "cut-the-nightly-build-from-48-2"
    )
    assert slugify("???") == "win"
