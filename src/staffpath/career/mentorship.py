"""The mentorship log: mentees, their goals, one-to-one sessions and the action items they leave.

One YAML file (``career/mentoring.yaml`` by convention) holds it all::

    mentor: Sam Okafor
    mentees:
      - id: priya
        name: Priya Raman
        started: 2026-03-02
        goals:
          - id: incident-lead
            text: Lead an incident review end to end
            skills: [reliability/incident-response]
    sessions:
      - mentee: priya
        date: 2026-03-02
        agenda: [What senior looks like on her team]
        goals: [incident-lead]
        actions:
          - {text: Shadow the next incident review, owner: mentee, due: 2026-03-20}

The file is read with the design language's safe, located YAML, so every mistake is reported
at once as ``file:line:column: field: what was expected (what to do)``. Everything else here is
pure: the day comes in as ``today`` and the prompt draw takes a seed.

Why the numbers: a mentoring relationship fades quietly. The cadence (the median gap between
sessions) is what the pair actually keep, whatever they meant to keep; a last session more
than twice that long ago is the first sign of drift, and a goal no session has touched is a
goal nobody is working on. Sessions and reached goals are also evidence of leadership, so
they come out as records the evidence log can take.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import statistics
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic import StringConstraints as Constraints
from pydantic_core import PydanticCustomError

from staffpath.design.checks import did_you_mean
from staffpath.design.load import show_value
from staffpath.design.yamltext import Located, YamlProblem, dotted, parse
from staffpath.errors import InputError, Problem
from staffpath.textfile import read_text

PROMPTS_FILE = Path(__file__).resolve().parent.parent / "data" / "mentoring_prompts.yaml"
DUE_SOON_DAYS = 7
STALE_FACTOR = 2  # a last session older than this many cadences is drift
MENTORING_COMPETENCIES = ("mentoring", "leadership")

_SLUG = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,62}")
_SKILL = re.compile(r"[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

Line = Annotated[str, Constraints(strip_whitespace=True, min_length=1)]
Text = Annotated[str, Constraints(strip_whitespace=True)]


def _day(value: Any) -> Any:
    """Only ``YYYY-MM-DD`` text (or a date): not Unix timestamps, not 1/3/2026."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "date",
                "{value} is not a day of the calendar",
                {"value": value, "hint": "check the month and the day"},
            ) from None
    raise PydanticCustomError(
        "date",
        "expected a date written YYYY-MM-DD, found {found}",
        {"found": repr(value), "hint": "write a day such as 2026-03-02"},
    )


def _slug(value: Any) -> Any:
    if isinstance(value, str) and not _SLUG.fullmatch(value):
        raise PydanticCustomError(
            "slug",
            "{value} is not a valid id",
            {
                "value": repr(value),
                "hint": "use letters, digits, '_' and '-', starting with a letter, such as priya",
            },
        )
    return value


def _skill(value: Any) -> Any:
    if isinstance(value, str) and not _SKILL.fullmatch(value):
        raise PydanticCustomError(
            "skill",
            "{value} is not a track skill id",
            {
                "value": repr(value),
                "hint": "write track/skill in lower case, such as reliability/incident-response",
            },
        )
    return value


def _one_or_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Day = Annotated[dt.date, BeforeValidator(_day)]
Slug = Annotated[str, BeforeValidator(_slug)]
Skill = Annotated[str, BeforeValidator(_skill)]
Status = Literal["open", "done", "dropped"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Goal(_Strict):
    """Something the mentee wants to be able to do, tied to the track skills it grows."""

    id: Slug
    text: Line
    skills: list[Skill] = Field(default_factory=list)
    status: Status = "open"
    done: Day | None = None


class Mentee(_Strict):
    id: Slug
    name: Line
    started: Day
    ended: Day | None = None
    goals: list[Goal] = Field(default_factory=list)


class Action(_Strict):
    """An action item a session left: who does it, by when, and whether it happened."""

    text: Line
    owner: Literal["mentor", "mentee"]
    due: Day
    status: Status = "open"


class Session(_Strict):
    mentee: Line
    date: Day
    agenda: Annotated[list[Line], BeforeValidator(_one_or_list)] = Field(default_factory=list)
    notes: Text = ""
    goals: list[Line] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)


class MentoringLog(_Strict):
    mentor: Line | None = None
    mentees: Annotated[list[Mentee], Field(min_length=1)]
    sessions: list[Session] = Field(default_factory=list)

    def mentee(self, mentee_id: str) -> Mentee:
        return next(m for m in self.mentees if m.id == mentee_id)


# ------------------------------------------------------------------------ located problems

_MODELS: dict[tuple[str, ...], type[BaseModel]] = {
    (): MentoringLog,
    ("mentees",): Mentee,
    ("mentees", "goals"): Goal,
    ("sessions",): Session,
    ("sessions", "actions"): Action,
}
_EXAMPLES = {
    "mentees": "add mentees: [{id: priya, name: Priya Raman, started: 2026-03-02}]",
    "id": "add id: a short slug such as priya",
    "name": "add name: the mentee's name",
    "started": "add started: the day mentoring began, such as 2026-03-02",
    "text": "add text: what it is, in a sentence",
    "owner": "add owner: mentor or mentee",
    "due": "add due: the day it is due, such as 2026-03-16",
    "mentee": "add mentee: the id of one of the mentees",
    "date": "add date: the day of the session, such as 2026-03-02",
}


def explain(
    err: Any,
    models: dict[tuple[str, ...], type[BaseModel]],
    examples: dict[str, str],
    prefix: tuple[str | int, ...] = (),
) -> tuple[tuple[str | int, ...], str, str, bool]:
    """A pydantic error in plain words: (path, message, hint, whether to point at the key).

    ``models`` maps the path without list indices (``("sessions", "actions")``) to the model
    found there, so an unknown field gets a did-you-mean over the fields allowed."""
    loc: tuple[str | int, ...] = prefix + tuple(
        seg for seg in err["loc"] if not (isinstance(seg, str) and seg.startswith("function-"))
    )
    kind: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    field = str(loc[-1]) if loc else ""
    if kind == "missing":
        return loc, f"missing required field {field!r}", examples.get(field, ""), True
    if kind == "extra_forbidden":
        shape = tuple(str(s) for s in loc[:-1] if isinstance(s, str))
        model = models.get(shape)
        allowed = list(model.model_fields) if model else []
        hint = did_you_mean(field, allowed, what="fields here") if allowed else ""
        return loc, f"unknown field {field!r}", hint, True
    if "hint" in ctx:
        return loc, err["msg"], str(ctx["hint"]), False
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",")]
        hint = did_you_mean(value, options, what="values") if isinstance(value, str) else ""
        return loc, f"expected one of {expected}, found {show_value(value)}", hint, False
    if kind == "string_too_short":
        return loc, "must not be empty", examples.get(field, ""), False
    if kind == "string_type":
        return loc, f"expected text, found {show_value(value)}", "quote it if it is text", False
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return loc, f"expected a mapping of fields, found {show_value(value)}", "", False
    if kind == "list_type":
        return (
            loc,
            f"expected a list, found {show_value(value)}",
            "write '- item' lines or [a, b]",
            False,
        )
    if kind == "too_short":
        return loc, "needs at least one entry", examples.get(field, ""), False
    return loc, err["msg"], "", False


def located_problems(
    exc: ValidationError,
    located: Located,
    models: dict[tuple[str, ...], type[BaseModel]],
    examples: dict[str, str],
    *,
    prefix: tuple[str | int, ...] = (),
) -> list[Problem]:
    """Every pydantic error placed in the text; ``prefix`` is where the validated value sits
    when it is a part of the document validated alone."""
    problems: list[Problem] = []
    seen: set[tuple[int, int, str]] = set()
    for err in exc.errors(include_url=False):
        path, message, hint, at_key = explain(err, models, examples, prefix)
        problem = at(located, path, message, hint, key=at_key)
        if (problem.line, problem.column, problem.message) not in seen:
            seen.add((problem.line, problem.column, problem.message))
            problems.append(problem)
    return problems


def at(
    located: Located,
    path: tuple[str | int, ...],
    message: str,
    hint: str = "",
    *,
    key: bool = False,
) -> Problem:
    """A problem placed where ``path`` (or the nearest part of it the text has) starts."""
    _, (line, col) = located.where(path, key=key)
    return Problem(line, col, dotted(path), message, hint)


def raise_problems(problems: Sequence[Problem], name: str) -> None:
    """One :class:`InputError` naming every problem, in file order; nothing when none."""
    if problems:
        ordered = sorted(problems, key=lambda p: (p.line, p.column, p.path))
        raise InputError("\n".join(p.render(name) for p in ordered))


def read_yaml(text: str, name: str, what: str) -> Located:
    """Safe, located YAML holding a mapping, or an :class:`InputError` saying where it broke."""
    try:
        located = parse(text)
    except YamlProblem as exc:
        raise InputError(exc.problem.render(name)) from None
    if not isinstance(located.value, dict):
        raise InputError(
            f"{name}:1:1: {what} is a mapping of fields, found {show_value(located.value)}"
        )
    return located


# -------------------------------------------------------------------------------- loading


def parse_mentoring(
    text: str, *, name: str = "<text>", known_skills: Collection[str] | None = None
) -> MentoringLog:
    """The log in ``text``, checked: structure, then ids and dates across the file. Goal
    skills are checked against ``known_skills`` when it is given (the ids of the tracks)."""
    located = read_yaml(text, name, "a mentoring log")
    try:
        log = MentoringLog.model_validate(located.value)
    except ValidationError as exc:
        raise_problems(located_problems(exc, located, _MODELS, _EXAMPLES), name)
        raise AssertionError("unreachable") from None
    raise_problems(_cross_checks(log, located, known_skills), name)
    return log


def _first_lines(
    located: Located, items: Iterable[tuple[str, tuple[str | int, ...]]]
) -> Iterator[tuple[tuple[str | int, ...], int]]:
    """The path of each repeated key, with the line where that key was first used."""
    seen: dict[str, int] = {}
    for key, path in items:
        line = located.where(path)[1][0]
        if key in seen:
            yield path, seen[key]
        else:
            seen[key] = line


def _cross_checks(
    log: MentoringLog, located: Located, known_skills: Collection[str] | None
) -> list[Problem]:
    problems: list[Problem] = []
    ids = [m.id for m in log.mentees]
    for path, first in _first_lines(
        located, ((m.id, ("mentees", i, "id")) for i, m in enumerate(log.mentees))
    ):
        problems.append(
            at(
                located,
                path,
                f"mentee id is used twice (first on line {first})",
                "give each mentee their own id",
            )
        )
    for i, mentee in enumerate(log.mentees):
        for path, first in _first_lines(
            located,
            ((g.id, ("mentees", i, "goals", j, "id")) for j, g in enumerate(mentee.goals)),
        ):
            problems.append(
                at(
                    located,
                    path,
                    f"goal id is used twice for {mentee.id} (first on line {first})",
                    "give each goal of a mentee its own id",
                )
            )
        if mentee.ended is not None and mentee.ended < mentee.started:
            problems.append(
                at(
                    located,
                    ("mentees", i, "ended"),
                    f"ends before mentoring started ({mentee.started})",
                    "check the two dates",
                )
            )
        for j, goal in enumerate(mentee.goals):
            where = ("mentees", i, "goals", j)
            if goal.status == "done" and goal.done is None:
                problems.append(
                    at(
                        located,
                        (*where, "status"),
                        "a goal that is done needs the day it was reached",
                        "add done: YYYY-MM-DD to the goal",
                    )
                )
            if goal.done is not None and goal.status != "done":
                problems.append(
                    at(
                        located,
                        (*where, "done"),
                        f"has a done date but its status is {goal.status}",
                        "set status: done, or remove the date",
                    )
                )
            if known_skills is not None:
                for k, skill in enumerate(goal.skills):
                    if skill not in known_skills:
                        problems.append(
                            at(
                                located,
                                (*where, "skills", k),
                                f"no track skill {skill!r}",
                                did_you_mean(skill, known_skills, what="skills"),
                            )
                        )
    for i, session in enumerate(log.sessions):
        here: tuple[str | int, ...] = ("sessions", i)
        if session.mentee not in ids:
            problems.append(
                at(
                    located,
                    (*here, "mentee"),
                    f"no mentee {session.mentee!r}",
                    did_you_mean(session.mentee, ids, what="mentees"),
                )
            )
            continue
        mentee = log.mentee(session.mentee)
        if session.date < mentee.started:
            problems.append(
                at(
                    located,
                    (*here, "date"),
                    f"is before {mentee.id} started ({mentee.started})",
                    "fix the date, or move the mentee's started date back",
                )
            )
        goal_ids = [g.id for g in mentee.goals]
        for k, named in enumerate(session.goals):
            if named not in goal_ids:
                problems.append(
                    at(
                        located,
                        (*here, "goals", k),
                        f"{mentee.id} has no goal {named!r}",
                        did_you_mean(named, goal_ids, what=f"goals of {mentee.id}"),
                    )
                )
        for k, action in enumerate(session.actions):
            if action.due < session.date:
                problems.append(
                    at(
                        located,
                        (*here, "actions", k, "due"),
                        f"falls before the session that set it ({session.date})",
                        "an action item is due on or after its session",
                    )
                )
    return problems


def load_mentoring(path: Path, *, known_skills: Collection[str] | None = None) -> MentoringLog:
    """Read and check a mentoring log file."""
    text = read_text(path, what="mentoring file (mentoring.yaml)")
    return parse_mentoring(text, name=str(path), known_skills=known_skills)


# ------------------------------------------------------------------------------- due items


@dataclass(frozen=True, slots=True)
class DueItem:
    """An open action item that is late (``days`` past due) or due within the window
    (``days`` left)."""

    state: Literal["overdue", "due-soon"]
    days: int
    due: dt.date
    owner: str
    text: str
    mentee: str
    session: dt.date

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "days": self.days,
            "due": self.due.isoformat(),
            "owner": self.owner,
            "text": self.text,
            "mentee": self.mentee,
            "session": self.session.isoformat(),
        }


def due_items(
    log: MentoringLog, *, today: dt.date, soon_days: int = DUE_SOON_DAYS
) -> list[DueItem]:
    """Open action items past their due day, then those due within ``soon_days`` (today
    included), each group by due day."""
    items = []
    for session in log.sessions:
        for action in session.actions:
            if action.status != "open":
                continue
            delta = (action.due - today).days
            if delta < 0:
                state: Literal["overdue", "due-soon"] = "overdue"
            elif delta <= soon_days:
                state = "due-soon"
            else:
                continue
            items.append(
                DueItem(
                    state,
                    abs(delta),
                    action.due,
                    action.owner,
                    action.text,
                    session.mentee,
                    session.date,
                )
            )
    return sorted(items, key=lambda d: (d.state != "overdue", d.due, d.mentee, d.text))


# ------------------------------------------------------------------------------ summaries


@dataclass(frozen=True, slots=True)
class MenteeSummary:
    id: str
    name: str
    started: dt.date
    sessions: int  # held: dated today or earlier
    planned: int  # dated after today
    last: dt.date | None
    cadence: float | None  # median days between held sessions
    days_since_last: int | None
    warning: str
    untouched_goals: tuple[str, ...]
    goals_done: int
    goals: int
    open_actions: int
    overdue_actions: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "started": self.started.isoformat(),
            "sessions": self.sessions,
            "planned": self.planned,
            "last": self.last.isoformat() if self.last else None,
            "cadence_days": self.cadence,
            "days_since_last": self.days_since_last,
            "warning": self.warning or None,
            "untouched_goals": list(self.untouched_goals),
            "goals_done": self.goals_done,
            "goals": self.goals,
            "open_actions": self.open_actions,
            "overdue_actions": self.overdue_actions,
        }


def cadence(dates: Sequence[dt.date]) -> float | None:
    """The median number of days between consecutive sessions; None under two sessions."""
    ordered = sorted(dates)
    gaps = [(b - a).days for a, b in itertools.pairwise(ordered)]
    return float(statistics.median(gaps)) if gaps else None


def summarise(log: MentoringLog, *, today: dt.date) -> list[MenteeSummary]:
    """Per mentee, in file order: sessions held and planned, cadence, drift, neglected goals
    (open goals no held session names) and action items."""
    out = []
    for mentee in log.mentees:
        own = [s for s in log.sessions if s.mentee == mentee.id]
        held = sorted(s.date for s in own if s.date <= today)
        every = cadence(held)
        last = held[-1] if held else None
        since = (today - last).days if last else None
        warning = ""
        finished = mentee.ended is not None and mentee.ended <= today
        if finished:
            pass  # a relationship that ended on purpose is not drifting
        elif not held:
            warning = "no session held yet"
        elif every is not None and since is not None and since > STALE_FACTOR * every:
            warning = (
                f"last session {since} days ago, more than {STALE_FACTOR} x the "
                f"{every:g}-day cadence"
            )
        touched = {g for s in own if s.date <= today for g in s.goals}
        untouched = tuple(g.id for g in mentee.goals if g.status == "open" and g.id not in touched)
        actions = [a for s in own for a in s.actions if a.status == "open"]
        out.append(
            MenteeSummary(
                id=mentee.id,
                name=mentee.name,
                started=mentee.started,
                sessions=len(held),
                planned=len(own) - len(held),
                last=last,
                cadence=every,
                days_since_last=since,
                warning=warning,
                untouched_goals=untouched,
                goals_done=sum(g.status == "done" for g in mentee.goals),
                goals=len(mentee.goals),
                open_actions=len(actions),
                overdue_actions=sum(a.due < today for a in actions),
            )
        )
    return out


# --------------------------------------------------------------------------- prompt bank


class _Category(_Strict):
    title: Line
    why: Line
    prompts: Annotated[list[Line], Field(min_length=1)]


class _PromptBank(_Strict):
    note: Text = ""
    categories: dict[str, _Category]


@dataclass(frozen=True, slots=True)
class Prompt:
    category: str
    text: str


@cache
def prompt_bank() -> dict[str, _Category]:
    """The shipped one-to-one prompts by category (validated on first use)."""
    located = parse(PROMPTS_FILE.read_text(encoding="utf-8"))
    return dict(_PromptBank.model_validate(located.value).categories)


def prompt_categories() -> list[str]:
    return list(prompt_bank())


def prompts(
    category: str | None = None, *, count: int = 5, seed: int | None = None
) -> list[Prompt]:
    """``count`` prompts drawn from ``category`` (or the whole bank); the same seed gives the
    same prompts in the same order."""
    bank = prompt_bank()
    if category is not None and category not in bank:
        raise InputError(
            f"--category: no category {category!r} ({did_you_mean(category, bank, what='categories')})"
        )
    if count < 1:
        raise InputError(f"--count: ask for at least 1 prompt, not {count}")
    pool = [
        Prompt(name, text)
        for name, cat in bank.items()
        if category is None or name == category
        for text in cat.prompts
    ]
    return random.Random(seed).sample(pool, min(count, len(pool)))


# ------------------------------------------------------------------------------- evidence


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """A win in the shape of the evidence log's records, so it can take them as they are."""

    id: str
    date: dt.date
    what: str
    why: str
    metric: str
    competencies: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "what": self.what,
            "why": self.why,
            "metric": self.metric,
            "competencies": list(self.competencies),
        }


def mentoring_evidence(log: MentoringLog, *, today: dt.date) -> list[EvidenceRecord]:
    """One record per session held and one per goal a mentee reached, by date: mentoring is
    leadership an engineer can show."""
    records = []
    ids: set[str] = set()
    for mentee in log.mentees:
        own = sorted(
            (s for s in log.sessions if s.mentee == mentee.id and s.date <= today),
            key=lambda s: s.date,
        )
        goals = {g.id: g for g in mentee.goals}
        for number, session in enumerate(own, 1):
            rid = f"mentoring-{mentee.id}-{session.date.isoformat()}"
            while rid in ids:
                rid += "-b"
            ids.add(rid)
            topic = "; ".join(session.agenda) if session.agenda else "one-to-one"
            toward = [goals[g].text for g in session.goals if g in goals]
            done = sum(a.status == "done" for a in session.actions)
            records.append(
                EvidenceRecord(
                    id=rid,
                    date=session.date,
                    what=f"Mentored {mentee.name}: {topic}",
                    why="Toward: " + "; ".join(toward)
                    if toward
                    else f"Regular one-to-one with {mentee.name} since {mentee.started}",
                    metric=f"session {number} with {mentee.name}; "
                    f"{done} of {len(session.actions)} action items done",
                    competencies=MENTORING_COMPETENCIES,
                )
            )
        for goal in mentee.goals:
            if goal.status != "done" or goal.done is None or goal.done > today:
                continue
            touching = [s for s in own if goal.id in s.goals and s.date <= goal.done]
            days = (goal.done - mentee.started).days
            skills = ", ".join(goal.skills)
            records.append(
                EvidenceRecord(
                    id=f"mentoring-{mentee.id}-goal-{goal.id}",
                    date=goal.done,
                    what=f"Mentored {mentee.name} to a goal: {goal.text}",
                    why=f"Grows {skills}" if skills else "A goal the mentee set in mentoring",
                    metric=f"reached after {len(touching)} sessions on it, "
                    f"{days} days into mentoring",
                    competencies=MENTORING_COMPETENCIES,
                )
            )
    return sorted(records, key=lambda r: (r.date, r.id))
