"""The interview session: time boxes, the clock, questions, the curveball, the report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from staffpath.errors import DesignError, InputError
from staffpath.practice import interview as iv
from staffpath.practice.problems import design_text, load_problem

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
P = load_problem("url-shortener")


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def test_the_plan_splits_the_time_in_the_usual_shares() -> None:
    phases = iv.plan(45)
    assert [p.minutes for p in phases] == [5, 5, 5, 15, 10, 5]
    assert sum(p.minutes for p in iv.plan(60)) == pytest.approx(60, abs=0.3)
    with pytest.raises(InputError):
        iv.plan(5)


def test_phases_advance_and_record_their_times() -> None:
    s = iv.start(P, 45, T0, seed=1)
    assert s.current() is not None and s.current().name == "requirements"  # type: ignore[union-attr]
    s = iv.advance(s, minutes(7))
    assert s.phases[0].ended_at == minutes(7) and s.phases[1].started_at == minutes(7)
    s = iv.finish(
        s.model_copy(update={"design_yaml": design_text("url-shortener", "reference")}),
        P,
        minutes(20),
    )
    report = s.report
    assert report is not None
    spent = {p["name"]: (p["spent_minutes"], p["over"]) for p in report["phases"]}
    assert spent["requirements"] == (7.0, True)  # 7 of 5 minutes: over its box
    assert spent["estimation"] == (13.0, True)
    assert spent["wrap_up"] == (0.0, False)
    assert any("time boxes" in a for a in report["practise_next"])
    assert report["grading"]["passed"] is True
    with pytest.raises(InputError, match="over"):
        iv.advance(s, minutes(21))


def test_questions_are_answered_from_the_problem() -> None:
    s = iv.ask(iv.start(P, 45, T0, seed=1), P, "What is the read to write ratio?", minutes(1))
    assert s.questions[-1].answer == "Ten redirects for every URL created, on average."
    with pytest.raises(InputError):
        iv.ask(s, P, "   ", minutes(1))


def test_the_curveball_runs_on_the_candidates_design() -> None:
    kinds = {iv.curveball_scenario(P, seed).kind for seed in range(20)}
    assert kinds == {"surge", "failure"}  # both curveballs come up
    s = iv.start(P, 45, T0, seed=1).model_copy(
        update={"design_yaml": design_text("url-shortener", "naive")}
    )
    s, result = iv.curveball(s, P)
    assert not result.passed and s.curveball is not None and s.curveball["reasons"]


def test_a_design_that_does_not_load_is_reported_not_graded() -> None:
    s = iv.start(P, 45, T0, seed=1).model_copy(update={"design_yaml": "name: [broken"})
    with pytest.raises(DesignError):
        iv.curveball(s, P)
    report = iv.finish(s, P, minutes(45)).report
    assert report is not None and report["grading"] is None and report["problems"]
    assert report["practise_next"][0].startswith("Finish with a design that loads")
