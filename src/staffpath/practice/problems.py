"""The problem bank: what a candidate sees, what an interviewer knows, and what grading runs.

A problem lives in ``data/problems/<id>/``: ``problem.yaml`` (this model), and two designs in
the ordinary design language, ``reference.yaml`` (passes every hidden scenario) and
``naive.yaml`` (fails the scenarios ``naive.fails`` names, for the reasons it names). The
tests run the engines to prove both claims for every problem.

Hidden scenarios are written against the problem's own flow names (which the public
requirements state) and against component *kinds*, never the candidate's component names:
"lose a zone", "flush every cache", "fail over the primary of every database".
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from staffpath.design.quantities import Duration, Money, Percent, Rate
from staffpath.errors import InputError
from staffpath.units import parse_count, parse_rate, parse_size

PROBLEMS = Path(__file__).resolve().parent.parent / "data" / "problems"
PHASES = ("requirements", "estimation", "api", "high_level", "deep_dive", "wrap_up")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Clarification(_Strict):
    """A question an interviewer expects, matched by any of its words, and the answer."""

    ask: Annotated[list[str], Field(min_length=1)]
    answer: str


class FlowRequirement(_Strict):
    description: str
    share: Percent | None = None


class Requirements(_Strict):
    functional: Annotated[list[str], Field(min_length=1)]
    non_functional: Annotated[list[str], Field(min_length=1)]
    numbers: list[str] = Field(default_factory=list)
    flows: Annotated[dict[str, FlowRequirement], Field(min_length=1)]


class Estimate(_Strict):
    name: str
    label: str
    value: float
    unit: str
    formula: str


class Criteria(_Strict):
    """What a scenario requires; every field optional."""

    p99: dict[str, Duration] = Field(default_factory=dict)
    error_rate: Percent | None = None
    availability: Percent | None = None
    cost: Money | None = None


class ScenarioFailure(_Strict):
    """A failure named by what it breaks, not by the candidate's names."""

    action: Literal["lose_zone", "flush_caches", "fail_primary", "kill_share"]
    kind: str | None = None  # for fail_primary / kill_share: the component kind hit
    share: Percent | None = None  # for kill_share: the share of that kind's replicas lost
    duration: Duration = 60.0  # how long it lasts
    failover: Duration | None = None  # lose_zone, fail_primary: when a standby takes over


class Scenario(_Strict):
    name: str
    kind: Literal["peak", "surge", "growth", "failure"]
    description: str
    rates: Annotated[dict[str, Rate], Field(min_length=1)]
    failure: ScenarioFailure | None = None
    criteria: Criteria


class Expected(_Strict):
    scenario: str
    because: Annotated[list[str], Field(min_length=1)]
    """Words the grading report's reasons must contain (e.g. a goal name, "saturated")."""


class Naive(_Strict):
    summary: str
    fails: Annotated[list[Expected], Field(min_length=1)]


class Rubric(_Strict):
    mid: str
    senior: str
    staff: str


class Problem(_Strict):
    id: str
    title: str
    difficulty: Literal["easy", "medium", "hard"]
    sources: Annotated[list[str], Field(min_length=1)]
    prompt: str
    clarifications: Annotated[list[Clarification], Field(min_length=3)]
    requirements: Requirements
    estimates: Annotated[list[Estimate], Field(min_length=3)]
    scenarios: Annotated[list[Scenario], Field(min_length=3)]
    naive: Naive
    rubric: dict[Literal[PHASES], Rubric]  # type: ignore[valid-type]

    @field_validator("scenarios")
    @classmethod
    def _three_kinds(cls, scenarios: list[Scenario]) -> list[Scenario]:
        kinds = {s.kind for s in scenarios}
        if "peak" not in kinds or "failure" not in kinds or not kinds & {"surge", "growth"}:
            raise ValueError("needs a peak, a surge or growth, and a failure scenario")
        return scenarios

    def scenario(self, name: str) -> Scenario:
        for s in self.scenarios:
            if s.name == name:
                return s
        raise KeyError(name)

    def answer(self, question: str) -> str:
        """The interviewer's answer to a clarifying question (by the words it shares)."""
        words = set(re.findall(r"[a-z0-9]+", question.lower()))
        # a word that only one clarification lists says more than one that several list
        counts: dict[str, int] = {}
        for c in self.clarifications:
            for w in {w.lower() for w in c.ask}:
                counts[w] = counts.get(w, 0) + 1
        best, hits = None, 0.0
        for c in self.clarifications:
            n = sum(1 / counts[w] for w in {w.lower() for w in c.ask} if w in words)
            if n > hits:
                best, hits = c, n
        if best is None:
            return "Assume what is reasonable and say so."
        return best.answer

    @property
    def folder(self) -> Path:
        return PROBLEMS / self.id


def parse_estimate(value: float | str, unit: str) -> float:
    """A number, or text in the estimate's unit: ``1.2k/s`` for a rate, ``36TB`` for bytes,
    ``365B`` for a count (B is a billion unless the estimate is in bytes). Raises UnitError."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    try:
        return float(text)
    except ValueError:
        pass
    parse = parse_rate if unit.endswith("/s") else parse_size if unit == "B" else parse_count
    return parse(text)


@cache
def load_problem(problem_id: str) -> Problem:
    path = PROBLEMS / problem_id / "problem.yaml"
    if not path.is_file():
        known = ", ".join(problem_ids())
        raise InputError(f"no problem {problem_id!r}; the bank has: {known}")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Problem.model_validate(data)


def problem_ids() -> list[str]:
    return sorted(p.parent.name for p in PROBLEMS.glob("*/problem.yaml"))


def design_text(problem_id: str, which: Literal["reference", "naive"]) -> str:
    return (PROBLEMS / problem_id / f"{which}.yaml").read_text(encoding="utf-8")
