"""The evidence log: one record per win, written down once, reused everywhere.

A log is one YAML file holding a list of records (``career/evidence.yaml``), or a folder of
Markdown files, one record each, whose front matter holds the fields and whose body (after an
optional ``# Title``) is the ``what``. From the log come three things (the last two in
:mod:`.bullets` and :mod:`.packet`):

- **story drafts** in the story bank's format (:mod:`staffpath.practice.stories`), with the
  parts a record cannot know left empty and marked ``TODO`` in comments, so that
  ``staffpath stories check`` lists exactly what the author still has to write;
- **resume bullets**: past-tense action verb first, then the measured result, with a few
  rewrite rules for the openings resume guides warn about ("I was responsible for...");
- a **self-review packet** grouped by competency, as Markdown, and as PDF through the design
  document's Markdown-to-Typst route (every piece of text a string literal, so nothing the
  author writes can become Typst markup).

Nothing here reads the clock: ``today`` comes in as an argument. The only file access is in
:func:`load_evidence`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from staffpath.design.yamltext import Located, YamlProblem, dotted, parse
from staffpath.errors import InputError, Problem
from staffpath.practice.stories import COMPETENCIES, Competency, measures, question_bank

SLUG = r"^[a-z0-9][a-z0-9-]*$"
SKILL = r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$"
LINK = r"^https?://[^\s<>]+$"
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value: Any) -> date:
    """A date written ``YYYY-MM-DD`` (YAML 1.2 reads it as text; front matter as a date)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"expected a real calendar date, found {value!r}") from None
    raise ValueError(f"expected a date written YYYY-MM-DD, found {value!r}")


IsoDate = Annotated[date, BeforeValidator(iso_date)]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Strict):
    """One win. ``what`` is what you did, ``why`` why it mattered, ``metric`` the measured
    change (free text with at least one number)."""

    id: Annotated[str, StringConstraints(pattern=SLUG)]
    date: IsoDate
    title: Text = ""
    what: Line
    why: Text = ""
    metric: Text = ""
    links: list[Annotated[str, StringConstraints(pattern=LINK)]] = Field(default_factory=list)
    people: list[Line] = Field(default_factory=list)
    competencies: list[Competency] = Field(default_factory=list)
    skills: list[Annotated[str, StringConstraints(pattern=SKILL)]] = Field(default_factory=list)

    @property
    def headline(self) -> str:
        """The title, or the first sentence of ``what`` when there is none."""
        if self.title:
            return self.title
        first = re.split(r"(?<=[.!?])\s", self.what, maxsplit=1)[0].rstrip(".")
        return first if len(first) <= 80 else first[:77].rstrip() + "..."


FIELDS = tuple(Evidence.model_fields)


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem located in a file: ``file:line:column: field: message (hint)``."""

    file: str
    problem: Problem

    @property
    def severity(self) -> str:
        return self.problem.severity

    def render(self) -> str:
        return self.problem.render(self.file)

    def to_dict(self) -> dict[str, object]:
        return self.problem.to_dict(self.file)


@dataclass(frozen=True, slots=True)
class Record:
    """A record and where it is: its first line, and the line and column of each field."""

    evidence: Evidence
    file: str
    line: int
    at: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)

    def where(self, name: str) -> tuple[int, int]:
        return self.at.get(name, (self.line, 1))


@dataclass(frozen=True, slots=True)
class EvidenceLog:
    records: tuple[Record, ...]
    warnings: tuple[Issue, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------------------------- parsing


def _field_hint(kind: str, loc: tuple[Any, ...], error: dict[str, Any]) -> tuple[str, str]:
    """(what was expected and found, what to do) for one pydantic error."""
    name = str(next((p for p in reversed(loc) if isinstance(p, str)), ""))
    found = error.get("input")
    if kind == "missing":
        example = {"id": "billing-cutover", "date": "2026-03-14", "what": "Led the cut-over..."}
        return (
            "required, but missing",
            f"add '{name}: {example.get(name, '...')}' to the record",
        )
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(name, FIELDS, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "the fields are: " + ", ".join(FIELDS)
        return "unknown field", hint
    if kind == "literal_error":
        close = difflib.get_close_matches(str(found), COMPETENCIES, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return (
            f"expected a competency, found {found!r}",
            hint + "choose from " + ", ".join(COMPETENCIES),
        )
    if kind == "string_pattern_mismatch":
        if name == "id":
            return (
                f"expected a slug (lowercase letters, digits and '-'), found {found!r}",
                "e.g. 'billing-cutover'",
            )
        if name == "skills":
            return (
                f"expected a track skill written track/skill, found {found!r}",
                "e.g. 'reliability/incident-response'",
            )
        return (
            f"expected a web address, found {found!r}",
            "start it with https:// (or http://), without spaces",
        )
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"])), "write it like 2026-03-14"
    if kind == "string_too_short":
        return "must not be empty", f"write the {name or 'value'} or remove the line"
    if kind in ("string_type", "list_type", "model_type", "dict_type", "model_attributes_type"):
        expected = {"string_type": "text", "list_type": "a list"}.get(kind, "a mapping of fields")
        hint = "quote it" if kind == "string_type" else "write it as a YAML list"
        return f"expected {expected}, found {found!r}", hint
    return str(error["msg"]), ""


def reworded(problem: Problem, what: str, line_offset: int = 0) -> Problem:
    """A problem of the shared safe YAML reader, told about ``what`` (e.g. "an evidence log")
    instead of about a design, and moved down ``line_offset`` lines."""
    words = (
        ("the design language", "staffpath's YAML"),
        ("a design file", what),
        ("in a design", "here"),
        ("a design is", "this file is"),
        ("a design this large", "a file this large"),
    )
    message, hint = problem.message, problem.hint
    for old, new in words:
        message, hint = message.replace(old, new), hint.replace(old, new)
    line = problem.line + line_offset if problem.line else 0
    return Problem(line, problem.column, problem.path, message, hint, problem.severity)


def _front_matter(text: str) -> tuple[str, str, int]:
    """(front matter YAML, body, line number of the front matter's first line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return "", text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), 2
    return "", text, 1


_TITLE = re.compile(r"\A\s*#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)


def _problem(doc: Located | None, at: tuple[Any, ...], offset: int, **kw: Any) -> Problem:
    line, column = (1, 1)
    if doc is not None:
        _, (line, column) = doc.where(at, key=kw.pop("key", False))
    kw.pop("key", None)
    return Problem(line + offset, column, **kw)


def parse_records(text: str, *, name: str, markdown: bool) -> tuple[list[Record], list[Issue]]:
    """The records in one file's text and the errors found, every one located. A YAML file
    holds a list of records; a Markdown file one record (its id defaults to the file stem)."""
    offset = 0
    body = ""
    if markdown:
        source, body, first = _front_matter(text)
        offset = first - 1
        if not source.strip():
            return [], [
                Issue(
                    name,
                    Problem(
                        1,
                        1,
                        "",
                        "expected front matter between '---' lines",
                        "start the file with ---, the fields (id, date, ...), then ---",
                    ),
                )
            ]
    else:
        source = text
    if not re.sub(r"(?m)#.*$", "", source).strip():
        return [], [] if not markdown else [
            Issue(name, Problem(1, 1, "", "the front matter is empty", "add id, date and what"))
        ]
    try:
        doc = parse(source)
    except YamlProblem as exc:
        return [], [Issue(name, reworded(exc.problem, "an evidence file", offset))]
    items: list[tuple[tuple[Any, ...], Any]]
    if markdown:
        if not isinstance(doc.value, dict):
            found = type(doc.value).__name__
            problem = Problem(1 + offset, 1, "", f"expected the record's fields, found {found}", "")
            return [], [Issue(name, problem)]
        data = dict(doc.value)
        data.setdefault("id", Path(name).stem)
        title = _TITLE.match(body)
        rest = body[title.end() :] if title else body
        if title and "title" not in data:
            data["title"] = title.group(1)
        if rest.strip():
            if "what" in data:
                problem = _problem(
                    doc,
                    ("what",),
                    offset,
                    path="what",
                    message="given both in the front matter and as the body",
                    hint="keep one of them",
                    key=True,
                )
                return [], [Issue(name, problem)]
            data["what"] = rest.strip()
        items = [((), data)]
    else:
        if not isinstance(doc.value, list):
            found = type(doc.value).__name__
            problem = Problem(
                1,
                1,
                "",
                f"expected a list of records ('- id: ...' items), found a {found}",
                "start each record with '- ' at the left margin",
            )
            return [], [Issue(name, problem)]
        items = [((i,), v) for i, v in enumerate(doc.value)]
    records: list[Record] = []
    issues: list[Issue] = []
    for prefix, data in items:
        line = _problem(doc, prefix, offset, path="", message="").line
        if not isinstance(data, dict):
            problem = _problem(
                doc,
                prefix,
                offset,
                path=dotted(prefix),
                message=f"expected a record (a mapping of fields), found {data!r}",
                hint="write the record as 'id: ...', 'date: ...', 'what: ...' lines",
            )
            issues.append(Issue(name, problem))
            continue
        metric = data.get("metric")
        if isinstance(metric, str) and metric.strip() and not measures(metric):
            issues.append(
                Issue(
                    name,
                    _problem(
                        doc,
                        (*prefix, "metric"),
                        offset,
                        path=dotted((*prefix, "metric")),
                        message=f"expected a measured change with a number, found {metric!r}",
                        hint="say by how much, e.g. 'p99 900 ms -> 120 ms' or '3 pages a "
                        "week -> 0'; an estimate you can defend beats none",
                    ),
                )
            )
        try:
            evidence = Evidence.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                message, hint = _field_hint(err["type"], loc, dict(err))
                issues.append(
                    Issue(
                        name,
                        _problem(
                            doc,
                            (*prefix, *loc),
                            offset,
                            path=dotted((*prefix, *loc)),
                            message=message,
                            hint=hint,
                            key=err["type"] == "extra_forbidden",
                        ),
                    )
                )
            continue
        if issues and issues[-1].problem.path == dotted((*prefix, "metric")):
            continue
        at = {
            str(k): _problem(doc, (*prefix, k), offset, path="", message="", key=True) for k in data
        }
        records.append(Record(evidence, name, line, {k: (p.line, p.column) for k, p in at.items()}))
    return records, issues


def check_log(
    records: Sequence[Record], *, today: date, skills: Collection[str] | None = None
) -> tuple[list[Issue], list[Issue]]:
    """(errors, warnings) about the log as a whole: unknown track skills (when ``skills`` is
    given) are errors; a record without a metric, a date after ``today`` and a repeated id are
    warnings."""
    errors: list[Issue] = []
    warnings: list[Issue] = []
    seen: dict[str, Record] = {}
    for rec in records:
        ev = rec.evidence
        where = f"{ev.id}"
        if skills is not None:
            for skill in ev.skills:
                if skill not in skills:
                    close = difflib.get_close_matches(skill, sorted(skills), n=1)
                    hint = f"did you mean '{close[0]}'?" if close else "see `staffpath tracks`"
                    errors.append(
                        Issue(
                            rec.file,
                            Problem(
                                *rec.where("skills"),
                                f"{where}.skills",
                                f"no track skill {skill!r}",
                                hint,
                            ),
                        )
                    )
        if not ev.metric:
            warnings.append(
                Issue(
                    rec.file,
                    Problem(
                        *rec.where("id"),
                        where,
                        "no metric",
                        "add 'metric:' with the number that changed; unmeasured wins make "
                        "weak stories and weak bullets",
                        "warning",
                    ),
                )
            )
        if ev.date > today:
            warnings.append(
                Issue(
                    rec.file,
                    Problem(
                        *rec.where("date"),
                        f"{where}.date",
                        f"{ev.date.isoformat()} is in the future (today is {today.isoformat()})",
                        "log wins once they happened; check the year",
                        "warning",
                    ),
                )
            )
        if ev.id in seen:
            first = seen[ev.id]
            warnings.append(
                Issue(
                    rec.file,
                    Problem(
                        *rec.where("id"),
                        f"{where}.id",
                        f"id {ev.id!r} is used twice (first at {first.file}:{first.line})",
                        "give each record its own id; story drafts are named after it",
                        "warning",
                    ),
                )
            )
        else:
            seen[ev.id] = rec
    return errors, warnings


SUFFIXES = {".yaml": False, ".yml": False, ".md": True, ".markdown": True}


def read_log(
    files: Iterable[tuple[str, str]],
    *,
    today: date,
    skills: Collection[str] | None = None,
) -> EvidenceLog:
    """A log from (file name, text) pairs; every error of every file in one
    :class:`InputError`, sorted by file and line."""
    records: list[Record] = []
    errors: list[Issue] = []
    for name, text in files:
        suffix = Path(name).suffix.lower()
        found, problems = parse_records(text, name=name, markdown=SUFFIXES.get(suffix, False))
        records += found
        errors += problems
    more, warnings = check_log(records, today=today, skills=skills)
    errors += more
    errors.sort(key=lambda i: (i.file, i.problem.line, i.problem.column))
    if errors:
        raise InputError("\n".join(e.render() for e in errors))
    return EvidenceLog(tuple(records), tuple(warnings))


def load_evidence(path: Path, *, today: date, skills: Collection[str] | None = None) -> EvidenceLog:
    """The log in a YAML file or a folder of Markdown (and YAML) files, not recursive."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        if not files:
            raise InputError(f"{path}: no evidence here (.yaml or .md files)")
    elif path.is_file():
        if path.suffix.lower() not in SUFFIXES:
            raise InputError(f"{path}: expected a .yaml or .md evidence file")
        files = [path]
    else:
        raise InputError(
            f"{path}: no such file or folder (start one with `staffpath evidence add {path}`)"
        )
    texts = []
    for file in files:
        try:
            texts.append((str(file), file.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            raise InputError(f"{file}: not UTF-8 text") from None
        except OSError as exc:
            raise InputError(f"{file}: cannot read ({exc.strerror or exc})") from None
    return read_log(texts, today=today, skills=skills)


def select(
    records: Iterable[Record],
    *,
    competency: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[Record]:
    """The records in the period (both ends included) showing ``competency``, by date."""
    if competency is not None and competency not in COMPETENCIES:
        raise InputError(
            f"--competency: no competency {competency!r}; choose from {', '.join(COMPETENCIES)}"
        )
    if since and until and since > until:
        raise InputError(f"--since {since} is after --until {until}")
    chosen = [
        r
        for r in records
        if (competency is None or competency in r.evidence.competencies)
        and (since is None or r.evidence.date >= since)
        and (until is None or r.evidence.date <= until)
    ]
    return sorted(chosen, key=lambda r: (r.evidence.date, r.evidence.id))


# ------------------------------------------------------------------------------- appending


def slugify(text: str, taken: Collection[str] = ()) -> str:
    """A slug from the first words of ``text``, unique among ``taken``."""
    words = re.findall(r"[a-z0-9]+", text.lower())[:6]
    base = "-".join(words)[:48].strip("-") or "win"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# The command-line flag of each field, for errors about a record given by flags.
FLAGS = {
    "competencies": "--competency",
    "skills": "--skill",
    "links": "--link",
    "people": "--person",
} | {name: f"--{name}" for name in ("id", "date", "title", "what", "why", "metric")}


def append_record(text: str, data: dict[str, Any], *, name: str) -> tuple[str, Evidence]:
    """The file's text with one record appended *as text* (comments and layout untouched),
    and the record. The record is validated first, and the result is read back to prove it
    still holds the old records plus the new one."""
    try:
        evidence = Evidence.model_validate(data)
    except ValidationError as exc:
        lines = []
        for e in exc.errors():
            loc = tuple(e["loc"])
            flag = FLAGS.get(str(loc[0]), str(loc[0])) if loc else "record"
            message, hint = _field_hint(e["type"], loc, dict(e))
            lines.append(f"{flag}: {message}" + (f" ({hint})" if hint else ""))
        raise InputError("\n".join(lines)) from None
    if evidence.metric and not measures(evidence.metric):
        raise InputError(
            f"--metric: expected a measured change with a number, found {evidence.metric!r}"
        )
    before, problems = parse_records(text, name=name, markdown=False)
    if problems:
        raise InputError("\n".join(p.render() for p in problems))
    if evidence.id in {r.evidence.id for r in before}:
        raise InputError(f"{name}: a record with id {evidence.id!r} exists; choose another --id")
    fields = {k: v for k, v in evidence.model_dump(mode="json").items() if v not in ("", [])}
    fields["date"] = evidence.date  # a plain date, not a quoted string
    block = yaml.safe_dump([fields], sort_keys=False, allow_unicode=True, width=96)
    head = text if not text or text.endswith("\n") else text + "\n"
    if not head.strip():
        head = head or "# Evidence log: one record per win (staffpath evidence).\n"
    new = head + ("\n" if before else "") + block
    after, problems = parse_records(new, name=name, markdown=False)
    if problems or [r.evidence for r in after] != [r.evidence for r in before] + [evidence]:
        raise InputError(
            f"{name}: cannot append as text: the file's list is not a plain block list of "
            "'- id: ...' items at the left margin; add the record by hand"
        )
    return new, evidence


# --------------------------------------------------------------------------- story drafts

_DRAFT_HEAD = """\
# Story draft from evidence record '{id}' ({date}), written by `staffpath evidence stories`.
# Complete each TODO, then run `staffpath stories check` on this file: it lists what is
# still missing or thin. Delete these comments when the story is done.
"""


def _dump(key: str, value: Any) -> str:
    return yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=92)


def story_draft(ev: Evidence) -> str:
    """A story-bank YAML file for one record: what the record knows filled in, each part it
    cannot know left empty (so the story check reports it) under a TODO comment."""
    primary = ev.competencies[0] if ev.competencies else None
    ids = [q.id for q in question_bank() if primary in q.competencies][:4] if primary else []
    out = [_DRAFT_HEAD.format(id=ev.id, date=ev.date.isoformat())]
    out.append(_dump("title", ev.headline))
    out.append("# TODO summary: one sentence an interviewer remembers.\n")
    out.append(_dump("summary", ""))
    out.append(
        "# TODO situation: where you were and what was at stake (25 words or more).\n"
        "# Taken from the record's 'why':\n"
        if ev.why
        else "# TODO situation: where you were and what was at stake (25 words or more).\n"
    )
    out.append(_dump("situation", ev.why))
    out.append("# TODO task: what was yours to do, and why it fell to you (15 words or more).\n")
    out.append(_dump("task", ""))
    out.append(
        "# TODO action: what *you* did, told with 'I': the options you weighed, whom you\n"
        "# convinced, what went wrong (60 words or more). Taken from the record's 'what':\n"
    )
    out.append(_dump("action", ev.what))
    out.append(
        "# TODO result: what changed, by how much, and what it let the team do next\n"
        "# (20 words or more). Taken from the record's 'metric':\n"
    )
    out.append(_dump("result", ev.metric))
    out.append(_dump("metrics", [ev.metric] if ev.metric else []))
    out.append(_dump("competencies", list(ev.competencies)))
    hint = (
        f"# TODO questions: the bank's question ids this answers, e.g. {', '.join(ids)}\n"
        if ids
        else "# TODO questions: ids from `staffpath stories questions`\n"
    )
    out.append(hint)
    out.append(_dump("questions", []))
    out.append(
        "# TODO follow_ups: two questions a sceptic asks next, each with a short answer:\n"
        "#   - question: What would you do differently?\n"
        "#     answer: ...\n"
    )
    out.append(_dump("follow_ups", []))
    return "".join(out)


def story_drafts(records: Iterable[Record]) -> dict[str, str]:
    """File name -> draft text, one per record (the last record wins on a repeated id)."""
    return {f"{r.evidence.id}.yaml": story_draft(r.evidence) for r in records}


# --------------------------------------------------------------------------- JSON helpers


def record_dict(rec: Record) -> dict[str, Any]:
    return {
        **rec.evidence.model_dump(mode="json"),
        "headline": rec.evidence.headline,
        "file": rec.file,
        "line": rec.line,
    }


def records_from(items: Iterable[Mapping[str, Any]], *, source: str) -> list[Record]:
    """Wins that other tools recorded in the log's shape (a mentoring session, a design
    review: ``staffpath.career.mentorship.EvidenceRecord.to_dict()``) as records of the log,
    validated by the same model, so the packet and the bullets take them like any other."""
    out = []
    for i, item in enumerate(items, 1):
        try:
            ev = Evidence.model_validate(dict(item))
        except ValidationError as exc:
            raise InputError(f"{source}: record {i} is not a win the log can take: {exc}") from None
        out.append(Record(ev, source, 0))
    return out
