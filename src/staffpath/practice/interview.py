"""A mock design interview: phases with time boxes, questions answered from the problem, the
candidate's estimates, notes and design, a curveball in the deep dive, and the final report.

Pure: every function takes the time (``now``) and returns a new session; the CLI and the web
app store sessions and read the clock.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from staffpath.design.load import load_text
from staffpath.errors import DesignError, InputError
from staffpath.practice.grading import FACTOR, ScenarioResult, grade, run_scenario
from staffpath.practice.problems import PHASES, Problem, Scenario
from staffpath.units import format_duration, format_rate

# Share of the interview each phase gets (a common 45-minute plan: 5/5/5/15/10/5).
SHARES = {
    "requirements": 5,
    "estimation": 5,
    "api": 5,
    "high_level": 15,
    "deep_dive": 10,
    "wrap_up": 5,
}
TITLES = {
    "requirements": "Requirements",
    "estimation": "Estimation",
    "api": "API and data model",
    "high_level": "High-level design",
    "deep_dive": "Deep dive",
    "wrap_up": "Wrap-up",
}
OVER = 1.25  # a phase counts as over its time box past this multiple of it
ADVICE = {
    "peak": "Size every tier for the stated peak: utilisation per component, then replicas.",
    "surge": "Plan for surges: headroom above peak, autoscaling limits, load shedding.",
    "growth": "Project growth: storage and traffic in three years, and when to reshard.",
    "failure": "Design for failure: no single points of failure, zones, failover times.",
    "estimation": "Practise estimates: requests per second, storage over retention, peak factor.",
    "time": "Keep to the time boxes: move on when a phase's time is up.",
    "cost": "Check cost against the budget: the cheapest tier that meets the goals.",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PhaseState(_Model):
    name: str
    title: str
    minutes: float
    started_at: datetime | None = None
    ended_at: datetime | None = None


class Question(_Model):
    question: str
    answer: str
    at: datetime


class Session(_Model):
    problem: str
    minutes: float
    started_at: datetime
    seed: int
    phases: list[PhaseState]
    questions: list[Question] = Field(default_factory=list)
    estimates: dict[str, float] = Field(default_factory=dict)
    notes: str = ""
    design_yaml: str = ""
    curveball: dict[str, Any] | None = None
    report: dict[str, Any] | None = None
    interviewer_notes: str = ""
    scores: dict[str, int] = Field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.report is not None

    @property
    def grading(self) -> dict[str, Any]:
        """The grading report of a finished interview (empty before, or when the design did
        not load)."""
        out: dict[str, Any] = (self.report or {}).get("grading") or {}
        return out

    def current(self) -> PhaseState | None:
        for p in self.phases:
            if p.started_at is not None and p.ended_at is None:
                return p
        return None


def plan(minutes: float) -> list[PhaseState]:
    """The phases with their time boxes, scaled to ``minutes``."""
    if not 10 <= minutes <= 180:
        raise InputError(f"an interview lasts 10 to 180 minutes, not {minutes:g}")
    total = sum(SHARES.values())
    return [
        PhaseState(name=p, title=TITLES[p], minutes=round(minutes * SHARES[p] / total, 1))
        for p in PHASES
    ]


def start(problem: Problem, minutes: float, now: datetime, *, seed: int | None = None) -> Session:
    phases = plan(minutes)
    phases[0] = phases[0].model_copy(update={"started_at": now})
    return Session(
        problem=problem.id,
        minutes=minutes,
        started_at=now,
        seed=seed if seed is not None else random.SystemRandom().randrange(1, 2**31),
        phases=phases,
    )


def _open(session: Session) -> None:
    if session.finished:
        raise InputError("this interview is over; start a new one")


def advance(session: Session, now: datetime) -> Session:
    """End the current phase and start the next (the last one just ends)."""
    _open(session)
    phases = list(session.phases)
    for i, p in enumerate(phases):
        if p.started_at is not None and p.ended_at is None:
            phases[i] = p.model_copy(update={"ended_at": now})
            if i + 1 < len(phases):
                phases[i + 1] = phases[i + 1].model_copy(update={"started_at": now})
            break
    return session.model_copy(update={"phases": phases})


def ask(session: Session, problem: Problem, question: str, now: datetime) -> Session:
    _open(session)
    text = question.strip()
    if not text:
        raise InputError("ask a question: the interviewer answers from the problem")
    qa = Question(question=text[:500], answer=problem.answer(text), at=now)
    return session.model_copy(update={"questions": [*session.questions, qa]})


def curveball_scenario(problem: Problem, seed: int) -> Scenario:
    """ "Traffic x10" or "lose a zone" at the problem's peak, chosen by the session's seed."""
    peak = next(s for s in problem.scenarios if s.kind == "peak")
    limits = {f: v * 2 for f, v in peak.criteria.p99.items()}
    if random.Random(seed).random() < 0.5:
        return Scenario.model_validate(
            {
                "name": "curveball: traffic x10",
                "kind": "surge",
                "description": "Traffic is ten times the peak for ten minutes. What holds?",
                "rates": {f: format_rate(r * 10) for f, r in peak.rates.items()},
                "criteria": {
                    "p99": {f: format_duration(v) for f, v in limits.items()},
                    "error_rate": "5%",
                },
            }
        )
    return Scenario.model_validate(
        {
            "name": "curveball: lose a zone",
            "kind": "failure",
            "description": "One zone goes away at peak; managed databases fail over in 30 s.",
            "rates": {f: format_rate(r) for f, r in peak.rates.items()},
            "failure": {"action": "lose_zone", "duration": "1min", "failover": "30s"},
            "criteria": {
                "p99": {f: format_duration(v) for f, v in limits.items()},
                "error_rate": "2%",
            },
        }
    )


def curveball(session: Session, problem: Problem) -> tuple[Session, ScenarioResult]:
    """Run the curveball on the candidate's current design."""
    _open(session)
    design = load_text(session.design_yaml or "", name="design.yaml").design
    result = run_scenario(problem, curveball_scenario(problem, session.seed), design)
    updated = session.model_copy(update={"curveball": result.model_dump(mode="json")})
    return updated, result


def finish(session: Session, problem: Problem, now: datetime) -> Session:
    """Close the interview: grade the design (if it loads), time per phase, rubric, advice."""
    _open(session)
    while session.current() is not None:
        session = advance(session, now)
    phases: list[dict[str, Any]] = []
    for ph in session.phases:
        spent = (
            round(((ph.ended_at or now) - ph.started_at).total_seconds() / 60, 1)
            if ph.started_at is not None
            else 0.0
        )
        phases.append(
            {
                "name": ph.name,
                "title": ph.title,
                "minutes": ph.minutes,
                "spent_minutes": spent,
                "over": spent > ph.minutes * OVER,
            }
        )
    grading: dict[str, Any] | None = None
    problems: list[dict[str, Any]] = []
    try:
        design = load_text(session.design_yaml or "", name="design.yaml").design
        report = grade(problem, design, estimates=session.estimates, seed=session.seed)
        grading = report.model_dump(mode="json")
    except DesignError as exc:
        problems = [p.to_dict("design.yaml") for p in exc.problems]
    advice = []
    if grading is None:
        advice.append("Finish with a design that loads: the scenarios could not run.")
    else:
        failed = {s["kind"] for s in grading["scenarios"] if not s["passed"]}
        advice += [ADVICE[k] for k in ("peak", "surge", "growth", "failure") if k in failed]
        if any(not e["ok"] for e in grading["estimates"]):
            advice.append(ADVICE["estimation"] + f" (within {FACTOR:g}x of the reference)")
        if grading["areas"].get("cost", 100) < 100:
            advice.append(ADVICE["cost"])
    if any(p["over"] for p in phases):
        advice.append(ADVICE["time"])
    if not advice:
        advice.append("Try a harder problem, or the same one in 30 minutes.")
    report_doc = {
        "grading": grading,
        "problems": problems,
        "phases": phases,
        "rubric": {k: v.model_dump() for k, v in problem.rubric.items()},
        "practise_next": advice,
        "finished_at": now.isoformat(),
    }
    return session.model_copy(update={"report": report_doc})
