"""Design reviews: anchors checked against the design with a did-you-mean, Conventional
Comments parsed by the review coach, a summary worked by hand, and decisions written into the
design's text so that it still loads, keeps its comments and holds the new ADRs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from staffpath.career import design_review as dr
from staffpath.design.decisions import supersession_chains
from staffpath.design.load import load_design
from staffpath.errors import InputError
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
REVIEW = EXAMPLES / "career" / "design-review.yaml"
SHORTENER = EXAMPLES / "url-shortener.yaml"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The example review and its design, copied so apply may write."""
    (tmp_path / "career").mkdir()
    shutil.copy(REVIEW, tmp_path / "career" / "design-review.yaml")
    shutil.copy(SHORTENER, tmp_path / "url-shortener.yaml")
    return tmp_path


# ---------------------------------------------------------------------------- checking

BROKEN = """\
design: ../url-shortener.yaml
date: 2026-11-10
reviewers: [Ana, Ben]
comments:
  - anchor: cahce
    by: Ana
    text: "issue (blocking): `cache` empties on deploy"
  - anchor: flows.redirekt
    by: Bem
    text: "question: why 50 ms on `db.read`?"
  - anchor: decisions.US-02
    text: |
      note: one

      note: two
  - anchor: decisions.US-009
    text: "praise: the new decision names its cost, such as `idgen` replicas"
decisions:
  - id: US-009
    title: T
    context: C
    options: [{name: A}]
    decision: D
  - id: US-010
    title: T
    optoins: []
    decision: D
    consequences: x
"""


def test_misspelt_anchors_people_and_decisions_are_located_with_a_did_you_mean() -> None:
    design = load_design(SHORTENER)
    review, located = dr.read_review(BROKEN, name="r.yaml")
    with pytest.raises(InputError) as caught:
        dr.check_review(review, located, design, name="r.yaml")
    assert str(caught.value).splitlines() == [
        "r.yaml:5:13: comments[0].anchor: 'cahce' is not a component, flow or decision of "
        "'URL shortener' (did you mean 'cache'?)",
        "r.yaml:8:13: comments[1].anchor: 'flows.redirekt' is not a component, flow or "
        "decision of 'URL shortener' (did you mean 'flows.redirect'?)",
        "r.yaml:9:9: comments[1].by: 'Bem' is not among the reviewers or the author "
        "(did you mean 'Ben'?)",
        "r.yaml:11:13: comments[2].anchor: 'decisions.US-02' is not a component, flow or "
        "decision of 'URL shortener' (did you mean 'decisions.US-002'?)",
        "r.yaml:12:11: comments[2].text: holds 2 comments separated by blank lines; one is "
        "expected (give each comment its own entry, or join its paragraphs without a blank line)",
        "r.yaml:19:5: decisions[0].consequences: missing required field 'consequences' "
        "(add consequences: what follows, good and bad)",
        "r.yaml:24:5: decisions[1].context: missing required field 'context' "
        "(add context: the forces that made a decision necessary)",
        "r.yaml:24:5: decisions[1].options: missing required field 'options' "
        "(add options: [{name: <an option>, pros: [...], cons: [...]}])",
        "r.yaml:26:5: decisions[1].optoins: unknown field 'optoins' (did you mean 'options'?)",
    ]


def test_structure_errors_and_a_missing_design(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        dr.read_review("design: d.yaml\ndate: 10/11/2026\ncomments: []\n", name="r.yaml")
    assert str(caught.value).splitlines() == [
        "r.yaml:1:1: reviewers: missing required field 'reviewers' "
        "(add reviewers: [the people who reviewed])",
        "r.yaml:2:7: date: expected a date written YYYY-MM-DD, found '10/11/2026' "
        "(write a day such as 2026-03-02)",
    ]
    review = tmp_path / "r.yaml"
    review.write_text("design: gone.yaml\ndate: 2026-11-10\nreviewers: [A]\n", encoding="utf-8")
    with pytest.raises(InputError) as missing:
        dr.load_review(review)
    assert str(missing.value) == (
        f"{review}:1:9: design: no design file '{tmp_path / 'gone.yaml'}' "
        "(the path is relative to the review file)"
    )


def test_supersedes_must_name_a_known_decision() -> None:
    text = BROKEN.split("comments:")[0] + (
        "decisions:\n  - {id: X-1, title: T, context: C, options: [{name: A}], decision: D,"
        " consequences: E, supersedes: US-0002}\n"
    )
    review, located = dr.read_review(text, name="r.yaml")
    with pytest.raises(InputError) as caught:
        dr.check_review(review, located, load_design(SHORTENER), name="r.yaml")
    assert str(caught.value) == (
        "r.yaml:5:101: decisions[0].supersedes: no decision 'US-0002' in the design or this "
        "review (did you mean 'US-002'?)"
    )


# ----------------------------------------------------------------------------- summary


def test_example_review_summary_by_hand() -> None:
    loaded = dr.load_review(REVIEW)
    s = dr.summarise(loaded)
    assert (s.comments, s.open, len(s.blocking)) == (7, 3, 2)
    assert [
        (a.anchor, a.kind, a.open, a.resolved, a.wontfix, a.blocking_open) for a in s.anchors
    ] == [
        ("cache", "component", 1, 0, 0, 1),
        ("flows.redirect", "flow", 0, 1, 0, 0),
        ("idgen", "component", 1, 0, 0, 1),
        ("decisions.US-005", "decision", 0, 1, 0, 0),
        ("db", "component", 0, 0, 1, 0),
        ("flows.create", "flow", 1, 0, 0, 0),
        ("design", "design", 0, 1, 0, 0),
    ]
    assert [b.anchor for b in s.blocking] == ["cache", "idgen"]
    assert s.decisions == ("US-006", "US-007")
    # six comments lint clean (100); the praise is not specific (a warning, -12): 688 / 7 = 98
    assert [c.lint.score for c in loaded.comments] == [100, 100, 100, 88, 100, 100, 100]
    assert s.form_score == 98
    # recorded decisions get the review's date and 'accepted' unless they say otherwise
    assert {(d.status, d.date.isoformat()) for d in loaded.decisions} == {
        ("accepted", "2026-11-10")
    }


def test_markdown_report_has_each_part() -> None:
    text = dr.markdown(dr.load_review(REVIEW))
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[:3] == [
        "# URL shortener, redirect path before launch",
        "## Open blocking issues",
        "## Comments by anchor",
    ]
    assert "### US-007: Three ID generator replicas, one per zone" in headings
    assert headings[-1] == "## Comment form"
    assert "- Rolling restart by shard (chosen)" in text
    assert "Status: accepted; supersedes US-002" in text


def test_review_is_evidence_of_leadership() -> None:
    record = dr.review_evidence(dr.load_review(REVIEW))
    assert record.to_dict() == {
        "id": "design-review-url-shortener-2026-11-10",
        "date": "2026-11-10",
        "what": "URL shortener, redirect path before launch: design review of URL shortener "
        "with Ana Souza, Ben Adeyemi, Chloé Martin",
        "why": "0 of 2 blocking issues settled before build; decisions recorded: US-006, US-007",
        "metric": "7 comments on 7 parts of the design, 2 ADRs",
        "competencies": ["leadership", "influence"],
    }


# ------------------------------------------------------------------------------- apply


def test_apply_appends_the_decisions_keeps_the_text_and_loads(workspace: Path) -> None:
    loaded = dr.load_review(workspace / "career" / "design-review.yaml")
    original = loaded.design_text
    applied = dr.apply_decisions(original, loaded.decisions, note="from the review")
    assert (applied.added, applied.skipped, applied.superseded) == (
        ("US-006", "US-007"),
        (),
        ("US-002",),
    )
    design = load_design(applied.text)
    ids = [d.id for d in design.decisions]
    assert ids == ["US-001", "US-002", "US-003", "US-004", "US-005", "US-006", "US-007"]
    assert design.decisions[-1] != loaded.decisions[-1]  # the folded context lost its newline
    assert dr.same_decision(design.decisions[-1], loaded.decisions[-1])
    assert design.decisions[1].status == "superseded"
    assert ("US-001", "US-002", "US-007") in supersession_chains(design.decisions)
    # every line of the original is still there, in order, but the one status changed
    old, new = original.splitlines(), applied.text.splitlines()
    assert new[: len(old)] == [
        line.replace("status: accepted", "status: superseded")
        if i == old.index("  - id: US-002") + 2
        else line
        for i, line in enumerate(old)
    ]
    assert (
        sum(line.lstrip().startswith("#") for line in new)
        == sum(line.lstrip().startswith("#") for line in old) + 2
    )  # the user's comments, and one note per added decision
    # a second YAML reader sees the same decisions
    assert [d["id"] for d in yaml.safe_load(applied.text)["decisions"]] == ids
    # applying again adds nothing and changes nothing
    again = dr.apply_decisions(applied.text, loaded.decisions)
    assert (again.text, again.added, again.skipped) == (applied.text, (), ("US-006", "US-007"))


@pytest.mark.parametrize("name", ["chat.yaml", "payments.yaml"])
def test_apply_adds_a_decisions_section_when_there_is_none(name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert "\ndecisions:" not in text
    decision = dr.load_review(REVIEW).decisions[0]
    applied = dr.apply_decisions(text, [decision])
    assert applied.text.startswith(text.rstrip("\n"))
    assert [d.id for d in load_design(applied.text).decisions] == ["US-006"]


def test_apply_fills_an_empty_flow_list_and_refuses_other_flow_lists() -> None:
    base = "name: D\nworkload: {flows: {r: {rate: 1/s, steps: [api]}}}\ncomponents: {api: {kind: service}}\n"
    decision = dr.load_review(REVIEW).decisions[0]
    filled = dr.apply_decisions(base + "decisions: []  # none yet\n", [decision])
    assert [d.id for d in load_design(filled.text).decisions] == ["US-006"]
    flow = (
        base
        + "decisions: [{id: A-1, title: T, status: accepted, context: C, options: [{name: A}], decision: D, consequences: E}]\n"
    )
    with pytest.raises(InputError, match=r"<design>:4:1: decisions: written in flow style"):
        dr.apply_decisions(flow, [decision])


def test_apply_refuses_a_result_that_would_not_load_and_a_clashing_id() -> None:
    loaded = dr.load_review(REVIEW)
    wrong = loaded.decisions[0].model_copy(update={"chosen": "Rolling restart"})
    with pytest.raises(InputError) as caught:
        dr.apply_decisions(loaded.design_text, [wrong], name="u.yaml")
    message = str(caught.value)
    assert message.startswith(
        "u.yaml: with the review's decisions the design would not load, so nothing was written:\n"
    )
    assert (
        "decisions[5].chosen" in message and "did you mean 'Rolling restart by shard'?" in message
    )
    clash = loaded.decisions[0].model_copy(update={"id": "US-003"})
    with pytest.raises(InputError, match="already has a decision 'US-003' that differs"):
        dr.apply_decisions(loaded.design_text, [clash], name="u.yaml")


def test_apply_keeps_crlf_line_endings_and_a_proposal_leaves_the_old_decision_alone() -> None:
    loaded = dr.load_review(REVIEW)
    crlf = loaded.design_text.replace("\n", "\r\n")
    proposal = loaded.decisions[1].model_copy(update={"status": "proposed"})
    applied = dr.apply_decisions(crlf, [proposal])
    assert applied.text.startswith(crlf)  # nothing before the new entry changed
    assert applied.text.count("\r\n") == applied.text.count("\n")
    assert applied.superseded == ()
    design = load_design(applied.text)
    assert [(d.id, d.status) for d in design.decisions if d.id in ("US-002", "US-007")] == [
        ("US-002", "accepted"),
        ("US-007", "proposed"),
    ]
