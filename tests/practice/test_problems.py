"""Every problem in the bank is complete and consistent with its own designs."""

from __future__ import annotations

import pytest

from staffpath.design.load import load_text
from staffpath.errors import InputError
from staffpath.practice.problems import PHASES, design_text, load_problem, problem_ids

IDS = problem_ids()


def test_the_bank_is_not_empty() -> None:
    assert "url-shortener" in IDS


@pytest.mark.parametrize("pid", IDS)
def test_problem_is_consistent(pid: str) -> None:
    p = load_problem(pid)
    assert p.id == pid
    flows = set(p.requirements.flows)
    assert set(p.rubric) == set(PHASES)
    names = [s.name for s in p.scenarios]
    assert len(names) == len(set(names))
    for s in p.scenarios:
        assert set(s.rates) == flows, f"{s.name} must set the rate of every required flow"
        assert set(s.criteria.p99) <= flows
        assert (s.failure is not None) == (s.kind == "failure")
    for expected in p.naive.fails:
        assert expected.scenario in names
    for which in ("reference", "naive"):
        loaded = load_text(design_text(pid, which), name=f"{pid}/{which}.yaml")
        assert set(loaded.design.workload.flows) >= flows, which
    reference = load_text(design_text(pid, "reference"))
    assert not reference.warnings, "a reference design checks clean"


@pytest.mark.parametrize("pid", IDS)
def test_clarifications_answer_their_own_questions(pid: str) -> None:
    p = load_problem(pid)
    for c in p.clarifications:
        assert p.answer(" ".join(c.ask) + "?") == c.answer


def test_an_unforeseen_question_gets_the_standard_answer() -> None:
    p = load_problem("url-shortener")
    assert p.answer("What colour is the logo?") == "Assume what is reasonable and say so."
    assert "100 million" in p.answer("How many URLs a day?")


def test_an_unknown_problem_names_the_bank() -> None:
    with pytest.raises(InputError, match="url-shortener"):
        load_problem("no-such-problem")


def test_estimates_are_read_in_their_units() -> None:
    from staffpath.practice.problems import parse_estimate
    from staffpath.units import UnitError

    assert parse_estimate("1.2k/s", "/s") == 1200.0
    assert parse_estimate("36TB", "B") == 36e12
    assert parse_estimate("365B", "records") == 365e9  # a billion, not bytes
    assert parse_estimate("42", "records") == parse_estimate(42, "records") == 42.0
    with pytest.raises(UnitError):
        parse_estimate("lots", "/s")
