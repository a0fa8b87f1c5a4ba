"""The applications pipeline: postings, stages with dates, follow-ups, interviews; the funnel.

One YAML file (``career/applications.yaml``) holds every application. A posting uses the
fields of JSON Resume's job schema (``job-schema.json`` in jsonresume/resume-schema: title,
company, type, date, description, location, remote, salary, experience, responsibilities,
qualifications, skills, meta); ``url`` is our one addition, which the schema allows (its
``additionalProperties`` is true). Around the posting: the stage history, the resume variant
sent, the stories prepared, the contacts (names or e-mails from ``contacts.yaml``),
follow-ups and interviews.

Stages move forward only: ``wishlist < applied < screen < onsite < offer``, skipping is
allowed (a referral may go straight to onsite), ``rejected`` once applied and ``withdrawn``
at any time end an application, and nothing follows them. Dates never go back.

Everything here is pure; only :func:`load_applications` reads a file. What the file tells
you (follow-ups due, the funnel, time in stage, calendar and CSV exports) is in
:mod:`staffpath.career.pipeline`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from staffpath.design.yamltext import Located, YamlProblem, dotted, parse
from staffpath.errors import InputError, Problem

Stage = Literal["wishlist", "applied", "screen", "onsite", "offer", "rejected", "withdrawn"]
STAGES: tuple[str, ...] = get_args(Stage)
ACTIVE: tuple[str, ...] = STAGES[:5]  # the funnel, in order
TERMINAL: tuple[str, ...] = STAGES[5:]  # an application ends here
NUDGE_DAYS = 7  # days after `applied`, with no news, before we suggest a follow-up
INTERVIEW_MINUTES = 60
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
JOB_SCHEMA = "https://github.com/jsonresume/resume-schema/blob/master/job-schema.json"


def _text(value: Any) -> Any:
    """YAML reads ``salary: 150000`` and ``date: 2026`` as numbers; the job schema wants text."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Line = Annotated[
    str, BeforeValidator(_text), StringConstraints(strip_whitespace=True, min_length=1)
]
Text = Annotated[str, BeforeValidator(_text), StringConstraints(strip_whitespace=True)]
PartialDate = Annotated[
    str,
    BeforeValidator(_text),
    StringConstraints(pattern=r"^[1-2][0-9]{3}(-[0-1][0-9](-[0-3][0-9])?)?$"),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


class Location(_Strict):
    """The job schema's location (its camelCase names kept, so a posting copies across)."""

    address: Text | None = None
    postal_code: Text | None = Field(default=None, alias="postalCode")
    city: Text | None = None
    country_code: Text | None = Field(default=None, alias="countryCode")
    region: Text | None = None


class Skill(_Strict):
    name: Line
    level: Text | None = None
    keywords: list[Line] = Field(default_factory=list)


class Posting(_Strict):
    """A job posting with the fields of JSON Resume's job schema, plus ``url``."""

    title: Line
    company: Line
    type: Text | None = None
    date: PartialDate | None = None
    description: Text | None = None
    location: Location | None = None
    remote: Literal["Full", "Hybrid", "None"] | None = None
    salary: Text | None = None
    experience: Text | None = None
    responsibilities: list[Line] = Field(default_factory=list)
    qualifications: list[Line] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    meta: dict[str, Any] | None = None
    url: Text | None = None


class StageEntry(_Strict):
    stage: Stage
    date: date
    note: Text | None = None


class FollowUp(_Strict):
    date: date
    note: Line
    done: bool = False


class Interview(_Strict):
    at: datetime
    kind: Line
    with_: list[Line] = Field(default_factory=list, alias="with")
    minutes: Annotated[int, Field(gt=0, le=24 * 60)] = INTERVIEW_MINUTES
    location: Text | None = None
    note: Text | None = None


class Application(_Strict):
    id: Annotated[str, StringConstraints(pattern=SLUG)]
    posting: Posting
    stages: Annotated[list[StageEntry], Field(min_length=1)]
    resume: Text | None = None
    stories: list[Line] = Field(default_factory=list)
    contacts: list[Line] = Field(default_factory=list)
    follow_ups: list[FollowUp] = Field(default_factory=list)
    interviews: list[Interview] = Field(default_factory=list)
    notes: Text | None = None

    @property
    def current(self) -> StageEntry:
        return self.stages[-1]

    @property
    def closed(self) -> bool:
        return self.current.stage in TERMINAL

    def reached(self, stage: str) -> bool:
        """Whether the application got at least as far as ``stage`` (an active stage): its
        furthest active stage is ``stage`` or later. Skipping the screen still passes it."""
        furthest = max(ACTIVE.index(s.stage) for s in self.stages if s.stage in ACTIVE)
        return furthest >= ACTIVE.index(stage)


class Settings(_Strict):
    nudge_days: Annotated[int, Field(ge=1, le=365)] = NUDGE_DAYS


class _File(_Strict):
    settings: Settings = Field(default_factory=Settings)
    applications: list[Application] = Field(default_factory=list)


# ------------------------------------------------------------------------- located errors


class ApplicationsError(InputError):
    """An applications (or contacts) file that does not load: every problem, located."""

    def __init__(self, problems: Iterable[Problem], *, source: str) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (p.line, p.column, p.path)))
        self.source = source
        super().__init__("\n".join(p.render(source) for p in self.problems))


# the fields each kind of mapping takes, named by the key that holds it
FIELDS: dict[str, type[BaseModel]] = {
    "": _File,
    "settings": Settings,
    "applications": Application,
    "posting": Posting,
    "location": Location,
    "skills": Skill,
    "stages": StageEntry,
    "follow_ups": FollowUp,
    "interviews": Interview,
}


def _names(model: type[BaseModel]) -> str:
    return ", ".join(f.alias or n for n, f in model.model_fields.items())


def _owner(loc: tuple[str | int, ...], table: dict[str, type[BaseModel]]) -> type[BaseModel]:
    """The model of the mapping at ``loc``: named by the nearest key above it."""
    for seg in reversed(loc):
        if isinstance(seg, str):
            return table.get(seg, table[""])
    return table[""]


def _expected(err: dict[str, Any], table: dict[str, type[BaseModel]]) -> tuple[str, str]:
    """(what was wrong, what to do) for one pydantic error, in plain words."""
    loc = tuple(err["loc"])
    kind, found = err["type"], err.get("input")
    last = loc[-1] if loc else ""
    if kind == "missing":
        return "required, but missing", f"add '{last}:'"
    if kind == "extra_forbidden":
        model = _owner(loc[:-1], table)
        close = difflib.get_close_matches(
            str(last), [f.alias or n for n, f in model.model_fields.items()], 1
        )
        hint = f"did you mean '{close[0]}'? " if close else ""
        return "unknown field", f"{hint}expected one of: {_names(model)}"
    if kind == "literal_error":
        allowed = err.get("ctx", {}).get("expected", "")
        return f"{found!r} is not allowed", f"expected one of: {allowed}"
    if kind in (
        "date_from_datetime_parsing",
        "date_parsing",
        "date_type",
        "date_from_datetime_inexact",
    ):
        return f"expected a date, found {found!r}", "write it as YYYY-MM-DD, e.g. 2026-11-30"
    if kind in ("datetime_from_date_parsing", "datetime_parsing", "datetime_type"):
        return (
            f"expected a date and time, found {found!r}",
            "write it as YYYY-MM-DDTHH:MM, e.g. 2026-12-01T14:30, with +01:00 after it for a time zone",
        )
    if kind == "string_pattern_mismatch":
        if last == "id":
            return (
                f"{found!r} is not a slug",
                "use lowercase letters, digits and hyphens, e.g. acme-staff-engineer",
            )
        return f"{found!r} is not a job-schema date", "write YYYY, YYYY-MM or YYYY-MM-DD"
    if kind == "string_too_short":
        return "must not be empty", "write something or remove the field"
    if kind == "too_short":
        return "must not be empty", f"list at least one item under '{last}'"
    if kind == "bool_parsing" or kind == "bool_type":
        return f"expected true or false, found {found!r}", "write true or false"
    if kind in ("string_type",):
        return f"expected text, found {found!r}", "quote the value"
    if kind in ("list_type",):
        return f"expected a list, found {found!r}", "write it as a list: '- item' lines or [a, b]"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping, found {found!r}", "write 'key: value' lines under it"
    return err["msg"], "see docs/applications.md for the format"


def problems_from(
    exc: ValidationError, located: Located, table: dict[str, type[BaseModel]]
) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        _, (line, col) = located.where(loc, key=err["type"] == "extra_forbidden")
        message, hint = _expected(dict(err), table)
        out.append(Problem(line, col, dotted(loc), message, hint))
    return out


def parse_located(text: str, *, source: str, what: str) -> Located:
    """Safe YAML with positions (anchors, tags and duplicate keys refused)."""
    try:
        located = parse(text)
    except YamlProblem as exc:
        p = exc.problem
        if p.message.endswith("is empty"):
            p = Problem(1, 1, "", f"the {what} file is empty", f"start with '{what}:'")
        raise ApplicationsError([p], source=source) from None
    if not isinstance(located.value, dict):
        raise ApplicationsError(
            [
                Problem(
                    1, 1, "", f"expected a mapping with '{what}:'", f"start the file with '{what}:'"
                )
            ],
            source=source,
        )
    return located


# ------------------------------------------------------------------------------- stages


def allowed_after(stage: str) -> tuple[str, ...]:
    """The stages that may follow ``stage``: any later active stage, then rejected (once
    applied) or withdrawn; nothing after rejected or withdrawn."""
    if stage in TERMINAL:
        return ()
    later = ACTIVE[ACTIVE.index(stage) + 1 :]
    return (*later, "withdrawn") if stage == "wishlist" else (*later, *TERMINAL)


def transition_problem(
    previous: StageEntry | None, stage: str, when: date
) -> tuple[str, str, str] | None:
    """Why ``stage`` on ``when`` cannot follow ``previous``: (field, message, what to do), or
    None when it can."""
    if previous is None:
        if stage in TERMINAL:
            return (
                "stage",
                f"an application cannot start as {stage}",
                "start with wishlist, applied, screen, onsite or offer, then add the ending",
            )
        return None
    if previous.stage in TERMINAL:
        return (
            "stage",
            f"nothing can follow {previous.stage} (the application ended on {previous.date})",
            "to apply again, add a new application",
        )
    allowed = allowed_after(previous.stage)
    if stage not in allowed:
        return (
            "stage",
            f"cannot go from {previous.stage} to {stage}",
            f"allowed after {previous.stage}: {', '.join(allowed)}",
        )
    if when < previous.date:
        return (
            "date",
            f"{when} is before the previous stage ({previous.stage} on {previous.date})",
            "list stages in the order they happened, with dates that never go back",
        )
    return None


def check_history(stages: Sequence[StageEntry]) -> list[tuple[int, str, str, str]]:
    """Every bad step of a stage history: (index, field, message, what to do)."""
    found = []
    for i, entry in enumerate(stages):
        problem = transition_problem(stages[i - 1] if i else None, entry.stage, entry.date)
        if problem:
            found.append((i, *problem))
    return found


_HISTORY: TypeAdapter[list[StageEntry]] = TypeAdapter(list[StageEntry])


def _cross_checks(raw: Any) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Duplicate ids and bad stage histories, found in the raw data so that they are reported
    together with the field errors of the same file (each history that parses is checked)."""
    out: list[tuple[tuple[str | int, ...], str, str]] = []
    apps = raw.get("applications") if isinstance(raw, dict) else None
    if not isinstance(apps, list):
        return out
    seen: dict[str, int] = {}
    for n, app in enumerate(apps):
        if not isinstance(app, dict):
            continue
        app_id = app.get("id")
        if isinstance(app_id, str) and app_id in seen:
            out.append(
                (
                    ("applications", n, "id"),
                    f"duplicate id {app_id!r} (first used by applications[{seen[app_id]}])",
                    "give each application its own id",
                )
            )
        if isinstance(app_id, str):
            seen.setdefault(app_id, n)
        try:
            stages = _HISTORY.validate_python(app.get("stages"))
        except ValidationError:
            continue  # reported by the model
        for i, where, message, hint in check_history(stages):
            out.append((("applications", n, "stages", i, where), message, hint))
    return out


# ------------------------------------------------------------------------------ loading


@dataclass(frozen=True)
class ApplicationBook:
    """A loaded applications file: the settings, the applications, and where each node is."""

    source: str
    settings: Settings
    applications: tuple[Application, ...]
    located: Located | None = None

    def where(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        return self.located.where(path)[1] if self.located else (0, 0)

    def get(self, app_id: str) -> Application:
        for app in self.applications:
            if app.id == app_id:
                return app
        ids = [a.id for a in self.applications]
        close = difflib.get_close_matches(app_id, ids, 1)
        hint = f"did you mean {close[0]}?" if close else f"ids: {', '.join(ids) or 'none yet'}"
        raise InputError(f"{self.source}: no application {app_id!r} ({hint})")


def parse_applications(text: str, *, source: str = "<text>") -> ApplicationBook:
    """Validate the text of an applications file; every problem at once, located."""
    located = parse_located(text, source=source, what="applications")
    problems = []
    data = None
    try:
        data = _File.model_validate(located.value)
    except ValidationError as exc:
        problems = problems_from(exc, located, FIELDS)
    for path, message, hint in _cross_checks(located.value):
        line, col = located.where(path)[1]
        problems.append(Problem(line, col, dotted(path), message, hint))
    if problems or data is None:
        raise ApplicationsError(problems, source=source)
    return ApplicationBook(source, data.settings, tuple(data.applications), located)


def read_text(path: Path, *, missing: str = "create it with `staffpath jobs add`") -> str:
    """The file's text, or an :class:`InputError` that says what to do (``missing``: the
    advice when the file does not exist)."""
    from staffpath.textfile import read_text as read

    return read(path, what="applications file", missing=missing)


def load_applications(path: Path) -> ApplicationBook:
    return parse_applications(read_text(path), source=str(path))


def reference_problems(
    book: ApplicationBook, contacts: Sequence[tuple[str, str | None]]
) -> list[Problem]:
    """Contacts named by an application that the contacts list does not have. ``contacts``
    holds (name, email) pairs; a reference matches either, ignoring case."""
    known = {n.casefold() for n, _ in contacts} | {e.casefold() for _, e in contacts if e}
    names = [n for n, _ in contacts]
    out = []
    for n, app in enumerate(book.applications):
        for i, ref in enumerate(app.contacts):
            if ref.casefold() in known:
                continue
            path: tuple[str | int, ...] = ("applications", n, "contacts", i)
            close = difflib.get_close_matches(ref, names, 1)
            hint = f"did you mean {close[0]!r}?" if close else "add them to the contacts file"
            line, col = book.where(path)
            out.append(
                Problem(line, col, dotted(path), f"no contact {ref!r} in the contacts file", hint)
            )
    return out


def slug(*words: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", " ".join(words).casefold()).strip("-")
    return re.sub(r"-{2,}", "-", text)[:60].strip("-") or "application"
