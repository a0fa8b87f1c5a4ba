"""The master resume: a JSON Resume document (.json or .yaml), checked against our schema.

JSON Resume (https://jsonresume.org, MIT) is the interchange format most resume tools read,
so the master stays in it; staffpath's own extras live under ``meta.staffpath``, the
extension point its maintainers name. The schema (``data/resume/resume.schema.json``) is
ours, written from the format's field names, and stricter than upstream on purpose: an
unknown field is refused (a typo such as ``hightlights`` would otherwise vanish silently).

Every problem is located: the JSON pointer of the failing value is turned into a line and
column of the source text through a position map (for JSON a small scanner below; for YAML
the located parser the design language uses). Schema errors are errors; the writing checks
(no highlights, a highlight without a number, dates out of order) are warnings.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs installed
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

from staffpath.design.yamltext import Located, YamlProblem, dotted, parse
from staffpath.errors import InputError, Problem
from staffpath.textfile import read_text as read_file

SCHEMA_PATH = (
    Path(__file__).resolve().parent.parent.parent / "data" / "resume" / "resume.schema.json"
)
SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}
MAX_BYTES = 256 * 1024

JsonPath = tuple[str | int, ...]

# Names older JSON Resume versions (0.x) or other tools use, and the 1.0 field meant.
RENAMED = {
    "company": "name",
    "website": "url",
    "picture": "image",
    "gpa": "score",
    "keyword": "keywords",
}
DATE_FIELDS = ("startDate", "endDate", "date", "releaseDate")
DATED_SECTIONS = ("work", "volunteer", "education", "projects")
NUMBER = re.compile(r"\d")
_SCALAR = re.compile(r"[^\s,\]\}]+")  # a JSON number, true, false or null
_DATE = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")


@cache
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


@dataclass(frozen=True, slots=True)
class LoadedResume:
    """A resume that passed the schema: its data, where it came from, its position map."""

    file: str
    data: dict[str, Any]
    located: Located


@dataclass(frozen=True, slots=True)
class ResumeCheck:
    """Every problem of one resume file; ``resume`` is None when any of them is an error."""

    file: str
    problems: tuple[Problem, ...]
    resume: LoadedResume | None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "valid": self.resume is not None,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [
                {**p.to_dict(self.file), "pointer": pointer_of(p.path)} for p in self.problems
            ],
        }


# ------------------------------------------------------------------------ JSON positions


class _JsonScan:
    """Where each value and each key of a JSON text starts (the text is known to parse)."""

    def __init__(self, text: str, located: Located) -> None:
        self.text = text
        self.doc = located
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.duplicates: list[Problem] = []

    def at(self, i: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, i)
        return line, i - self.starts[line - 1] + 1

    def ws(self, i: int) -> int:
        while i < len(self.text) and self.text[i] in " \t\r\n":
            i += 1
        return i

    def string_end(self, i: int) -> int:
        j = i + 1
        while self.text[j] != '"':
            j += 2 if self.text[j] == "\\" else 1
        return j + 1

    def value(self, i: int, path: JsonPath) -> int:
        i = self.ws(i)
        self.doc.nodes[path] = self.at(i)
        c = self.text[i]
        if c == '"':
            return self.string_end(i)
        if c in "{[":
            close = "}" if c == "{" else "]"
            i = self.ws(i + 1)
            index = 0
            seen: dict[str, int] = {}
            while self.text[i] != close:
                if c == "{":
                    end = self.string_end(i)
                    key = json.loads(self.text[i:end])
                    child = (*path, key)
                    line, col = self.at(i)
                    if key in seen:
                        first = seen[key]
                        self.duplicates.append(
                            Problem(
                                line,
                                col,
                                dotted(child),
                                f"given twice (first on line {first})",
                                "keep one; JSON readers silently keep the last",
                            )
                        )
                    seen[key] = line
                    self.doc.keys[child] = (line, col)
                    i = self.ws(end) + 1  # past the colon
                else:
                    child = (*path, index)
                    index += 1
                i = self.ws(self.value(i, child))
                if self.text[i] == ",":
                    i = self.ws(i + 1)
            return i + 1
        m = _SCALAR.match(self.text, i)
        assert m is not None
        return m.end()


def locate_json(text: str) -> tuple[Located, list[Problem]]:
    """The parsed JSON with its position map, and any duplicate keys found.
    Raises :class:`json.JSONDecodeError` for text that is not JSON."""
    value = json.loads(text)
    located = Located(value)
    scan = _JsonScan(text, located)
    scan.value(0, ())
    return located, scan.duplicates


# ------------------------------------------------------------------------ schema errors


def pointer_of(path: str) -> str:
    """``work[0].highlights[1]`` -> ``/work/0/highlights/1`` (RFC 6901)."""
    parts = re.findall(r"\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\.?([^.\[]+)", path)
    out = []
    for index, quoted, name in parts:
        seg = index or quoted or name
        out.append(seg.replace("~", "~0").replace("/", "~1"))
    return "".join("/" + s for s in out)


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


_KINDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of fields",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


def _pattern_message(error: ValidationError, field: str) -> tuple[str, str]:
    defs = schema()["$defs"]
    pattern = error.schema.get("pattern") if isinstance(error.schema, dict) else None
    found = _show(error.instance)
    if pattern == defs["date"]["pattern"]:
        return (
            f"expected an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD), found {found}",
            "write e.g. 2021-03 for March 2021; leave endDate out while it is ongoing",
        )
    if pattern == defs["url"]["pattern"]:
        return (
            f"expected a web address starting with http:// or https://, found {found}",
            "write the full address, e.g. https://example.com",
        )
    if pattern == defs["email"]["pattern"]:
        return f"expected an email address, found {found}", ""
    if pattern == defs["text"]["pattern"]:
        return "must not be empty", ""
    if field == "countryCode":
        return (
            f"expected a two-letter ISO 3166-1 country code in capitals, found {found}",
            "e.g. US, GB, DE",
        )
    return f"{found} does not match the pattern {pattern}", ""


def _schema_problems(error: ValidationError, located: Located) -> Iterator[Problem]:
    path: JsonPath = tuple(error.absolute_path)
    field = str(path[-1]) if path and isinstance(path[-1], str) else ""
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        known = list(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []
        for key in error.instance:
            if key in known:
                continue
            child = (*path, key)
            _, (line, col) = located.where(child, key=True)
            hint = ""
            if RENAMED.get(key) in known:
                hint = f"JSON Resume 1.0 calls this field '{RENAMED[key]}'"
            else:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                if close:
                    hint = f"did you mean '{close[0]}'?"
            if not hint:
                hint = "put your own fields under meta.staffpath, or remove it"
            yield Problem(
                line,
                col,
                dotted(child),
                f"unknown field (expected one of: {', '.join(known)})",
                hint,
            )
        return
    _, (line, col) = located.where(path)
    where = dotted(path)
    if kind == "required":
        missing = [
            name
            for name in error.validator_value
            if isinstance(error.instance, dict) and name not in error.instance
        ]
        for name in missing:
            yield Problem(line, col, dotted((*path, name)), "required, but missing")
        return
    if kind == "type":
        expected = _KINDS.get(str(error.validator_value), str(error.validator_value))
        hint = ""
        if field in DATE_FIELDS:
            hint = "dates are text; in YAML quote them: '2021-03'"
        yield Problem(line, col, where, f"expected {expected}, found {_show(error.instance)}", hint)
        return
    if kind == "pattern":
        message, hint = _pattern_message(error, field)
        yield Problem(line, col, where, message, hint)
        return
    if kind == "minLength":
        yield Problem(line, col, where, "must not be empty")
        return
    yield Problem(line, col, where, error.message)


def _calendar_problems(data: Any, located: Located) -> Iterator[Problem]:
    """Dates the pattern accepts but the calendar does not (2023-02-30)."""
    for path, value in _walk(data, ()):
        if (
            path
            and path[-1] in DATE_FIELDS
            and isinstance(value, str)
            and len(value) == 10
            and _DATE.fullmatch(value)
        ):
            try:
                date.fromisoformat(value)
            except ValueError:
                _, (line, col) = located.where(path)
                yield Problem(line, col, dotted(path), f"{value} is not a day of the calendar")


def _walk(node: Any, path: JsonPath) -> Iterator[tuple[JsonPath, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, (*path, i))


def schema_problems(data: Any, located: Located | None = None) -> list[Problem]:
    """Every schema error of ``data``, located through ``located`` when given (else 1:1)."""
    where = located or Located(data)
    problems: list[Problem] = []
    for error in _validator().iter_errors(data):
        for problem in _schema_problems(error, where):
            if problem not in problems:  # "must not be empty" fails two keywords
                problems.append(problem)
    problems.extend(_calendar_problems(data, where))
    return problems


# ------------------------------------------------------------------------ writing checks


def _partial(value: str) -> tuple[int, ...]:
    return tuple(int(p) for p in value.split("-"))


def date_order(start: str, end: str) -> bool:
    """Whether ``end`` is not before ``start``, comparing only the precision both have
    (``2021`` is not before ``2021-06``)."""
    a, b = _partial(start), _partial(end)
    n = min(len(a), len(b))
    return a[:n] <= b[:n]


def writing_warnings(data: dict[str, Any], located: Located | None = None) -> list[Problem]:
    """The light checks: achievements with numbers, dates in order. Only run on schema-valid
    data."""
    where = located or Located(data)
    out: list[Problem] = []

    def warn(path: JsonPath, message: str, hint: str) -> None:
        _, (line, col) = where.where(path)
        out.append(Problem(line, col, dotted(path), message, hint, severity="warning"))

    for i, job in enumerate(data.get("work", [])):
        highlights = job.get("highlights", [])
        if not highlights:
            warn(
                ("work", i),
                f"no highlights for {job['position']} at {job['name']}",
                "add two to four achievements, each with a number (how much, how many, how fast)",
            )
    for section in ("work", "projects", "volunteer"):
        for i, entry in enumerate(data.get(section, [])):
            for j, text in enumerate(entry.get("highlights", [])):
                if not NUMBER.search(text):
                    warn(
                        (section, i, "highlights", j),
                        "highlight without a number",
                        "say how much: a percentage, a count, a time, money or a scale",
                    )
    for section in DATED_SECTIONS:
        entries = data.get(section, [])
        for i, entry in enumerate(entries):
            start, end = entry.get("startDate"), entry.get("endDate")
            if start and end and not date_order(start, end):
                warn(
                    (section, i, "endDate"),
                    f"ends ({end}) before it starts ({start})",
                    "swap the dates or correct the year",
                )
        if section == "work":
            for i in range(1, len(entries)):
                before, after = entries[i - 1].get("startDate"), entries[i].get("startDate")
                if before and after and not date_order(after, before):
                    warn(
                        (section, i, "startDate"),
                        f"starts ({after}) after the entry above it ({before})",
                        "list work newest first, as readers and ATS parsers expect",
                    )
    evidence = data.get("meta", {}).get("staffpath", {}).get("evidence", {})
    for pointer in evidence:
        if not _resolves(data, pointer):
            _, (line, col) = where.where(("meta", "staffpath", "evidence", pointer), key=True)
            out.append(
                Problem(
                    line,
                    col,
                    "meta.staffpath.evidence",
                    f"{pointer} points at nothing in this resume",
                    "write a JSON pointer such as /work/0/highlights/1 (indices from 0)",
                    severity="warning",
                )
            )
    return out


def _resolves(data: Any, pointer: str) -> bool:
    if not pointer.startswith("/"):
        return False
    node = data
    for raw in pointer[1:].split("/"):
        seg = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and seg in node:
            node = node[seg]
        elif isinstance(node, list) and seg.isdigit() and int(seg) < len(node):
            node = node[int(seg)]
        else:
            return False
    return True


# ------------------------------------------------------------------------ loading


def yaml_problem(exc: YamlProblem, what: str) -> Problem:
    """The located YAML parser speaks of designs; say ``what`` (a resume, a variant)."""
    p = exc.problem

    def reword(text: str) -> str:
        for old, new in (
            ("the design language", "staffpath's YAML"),
            ("a design file", f"a {what} file"),
            ("in a design", f"in a {what}"),
            ("a design", f"a {what}"),
        ):
            text = text.replace(old, new)
        return text

    return Problem(p.line, p.column, p.path, reword(p.message), reword(p.hint), p.severity)


def check_text(text: str, *, name: str, kind: str) -> ResumeCheck:
    """Check the text of a resume file (``kind`` is ``json`` or ``yaml``): syntax, schema,
    then the writing checks. Never raises for a user mistake; the problems say it all."""
    text = text.removeprefix("\ufeff")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        problem = Problem(0, 0, "", f"larger than {MAX_BYTES // 1024} KiB; is this a resume?")
        return ResumeCheck(name, (problem,), None)
    if kind == "json":
        try:
            located, problems = locate_json(text)
        except json.JSONDecodeError as exc:
            problem = Problem(exc.lineno, exc.colno, "", f"not JSON: {exc.msg}")
            return ResumeCheck(name, (problem,), None)
    else:
        if not text.strip():
            problem = Problem(1, 1, "", "the file is empty", "start with basics: and name:")
            return ResumeCheck(name, (problem,), None)
        try:
            located = parse(text)
        except YamlProblem as exc:
            return ResumeCheck(name, (yaml_problem(exc, "resume"),), None)
        problems = []
    data = located.value
    if not isinstance(data, dict):
        found = "nothing" if data is None else type(data).__name__
        problem = Problem(
            1, 1, "", f"expected a resume (a mapping with basics, work...), found {found}"
        )
        return ResumeCheck(name, (problem,), None)
    problems += schema_problems(data, located)
    if problems:
        return ResumeCheck(name, tuple(_sorted(problems)), None)
    warnings = writing_warnings(data, located)
    return ResumeCheck(name, tuple(_sorted(warnings)), LoadedResume(name, data, located))


def _sorted(problems: Sequence[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line, p.column, p.path, p.message))


def render_problems(problems: Sequence[Problem], file: str) -> str:
    return "\n".join(p.render(file) for p in problems)


def read_text(path: Path) -> tuple[str, str]:
    """The text and kind (json or yaml) of a resume file; InputError when unreadable."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"{path}: expected a .json, .yaml or .yml resume file")
    return read_file(path, what="resume file"), kind


def check_resume_file(path: Path) -> ResumeCheck:
    text, kind = read_text(path)
    return check_text(text, name=str(path), kind=kind)


def load_resume(path: Path) -> LoadedResume:
    """The resume in ``path``; every error of the file in one :class:`InputError`."""
    checked = check_resume_file(path)
    if checked.resume is None:
        raise InputError(render_problems(checked.errors, checked.file))
    return checked.resume
