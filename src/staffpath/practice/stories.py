"""The STAR story bank: the stories an engineer tells in behavioural interviews, and a check.

A story is one YAML file, or one Markdown file whose front matter holds the fields and whose
body may hold the four parts under ``## Situation``, ``## Task``, ``## Action`` and
``## Result`` headings. The file's stem is the story's id.

The check and the coverage of the question bank are in :mod:`.story_check`; this module holds
the model, the loading, the bank, and the text measures both use (words, measured facts,
pronouns).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import frontmatter
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from staffpath.errors import InputError

QUESTIONS = Path(__file__).resolve().parent.parent / "data" / "questions.yaml"

Competency = Literal[
    "leadership",
    "conflict",
    "failure",
    "ambiguity",
    "trade-off",
    "mentoring",
    "influence",
    "delivery",
    "customer-focus",
    "ownership",
    "communication",
    "growth",
]
COMPETENCIES: tuple[str, ...] = get_args(Competency)
PARTS = ("situation", "task", "action", "result")

Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FollowUp(_Strict):
    """A question an interviewer is likely to ask next, and the short answer you prepared."""

    question: Line
    answer: Line


class Story(_Strict):
    title: Line
    summary: Text = ""
    situation: Text = ""
    task: Text = ""
    action: Text = ""
    result: Text = ""
    metrics: list[Line] = Field(default_factory=list)
    competencies: list[Competency] = Field(default_factory=list)
    questions: list[Line] = Field(default_factory=list)
    follow_ups: list[FollowUp] = Field(default_factory=list)


class Question(_Strict):
    id: Line
    text: Line
    competencies: Annotated[list[Competency], Field(min_length=1)]


class _Bank(_Strict):
    sources: list[str] = Field(default_factory=list)
    questions: Annotated[list[Question], Field(min_length=1)]


@dataclass(frozen=True, slots=True)
class LoadedStory:
    id: str
    file: str
    story: Story


# ---------------------------------------------------------------------------------- loading

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_PART_NAMES = {p: p for p in PARTS} | {"actions": "action", "results": "result"}


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in error["loc"]) or "(the story)"
    kind = error["type"]
    if kind == "missing":
        return f"{where}: required, but missing"
    if kind == "extra_forbidden":
        fields = ", ".join(Story.model_fields)
        return f"{where}: unknown field (expected one of: {fields})"
    if kind == "literal_error":
        return (
            f"{where}: expected a competency from the list ({', '.join(COMPETENCIES)}), "
            f"found {error['input']!r}"
        )
    if kind in ("string_type", "list_type", "model_type", "dict_type"):
        expected = {
            "string_type": "text",
            "list_type": "a list",
            "model_type": "a mapping with question and answer",
            "dict_type": "a mapping",
        }[kind]
        return f"{where}: expected {expected}, found {error['input']!r}"
    if kind == "string_too_short":
        return f"{where}: must not be empty"
    return f"{where}: {error['msg']}"


def _markdown_parts(body: str) -> tuple[dict[str, str], str | None, list[str]]:
    """The parts under ``## Situation`` etc., the first level-1 heading (a fallback title),
    and the problems found (a part given twice)."""
    parts: dict[str, str] = {}
    problems: list[str] = []
    title = None
    matches = list(_HEADING.finditer(body))
    for i, m in enumerate(matches):
        name = m.group(2).strip().lower()
        if len(m.group(1)) == 1 and title is None:
            title = m.group(2).strip()
        if name not in _PART_NAMES:
            continue
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        part = _PART_NAMES[name]
        if part in parts:
            problems.append(f"{part}: the body has two '{m.group(2).strip()}' sections")
        parts[part] = body[m.end() : end].strip()
    return parts, title, problems


def parse_story(text: str, *, name: str, markdown: bool) -> Story:
    """A story from the text of a YAML or Markdown file. Every problem in the file is reported
    at once, each as ``name: field: what was expected``."""
    problems: list[str] = []
    if markdown:
        try:
            post = frontmatter.loads(text)
        except yaml.YAMLError as exc:
            raise InputError(f"{name}: the front matter is not YAML ({_yaml_where(exc)})") from None
        data: Any = dict(post.metadata)
        parts, title, problems = _markdown_parts(post.content)
        for part, value in parts.items():
            if part in data:
                problems.append(f"{part}: given both in the front matter and as a ## section")
            data[part] = value
        if "title" not in data and title:
            data["title"] = title
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InputError(f"{name}: not YAML ({_yaml_where(exc)})") from None
    if not isinstance(data, dict):
        found = "nothing" if data is None else type(data).__name__
        raise InputError(f"{name}: expected one story (a mapping of fields), found {found}")
    try:
        story = Story.model_validate(data)
    except ValidationError as exc:
        problems += [_describe(dict(e)) for e in exc.errors()]
        story = None
    if problems:
        raise InputError("\n".join(f"{name}: {p}" for p in problems))
    assert story is not None
    return story


def _yaml_where(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return str(problem)
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"


SUFFIXES = {".yaml": False, ".yml": False, ".md": True, ".markdown": True}


def load_stories(path: Path) -> list[LoadedStory]:
    """Every story in a file or a folder (not recursive), sorted by file name. All the
    broken files are reported together in one :class:`InputError`."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        if not files:
            raise InputError(f"{path}: no stories here (.yaml, .yml or .md files)")
    elif path.is_file():
        if path.suffix.lower() not in SUFFIXES:
            raise InputError(f"{path}: expected a .yaml, .yml or .md story file")
        files = [path]
    else:
        raise InputError(f"{path}: no such file or folder")
    loaded, problems = [], []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
            story = parse_story(text, name=str(file), markdown=SUFFIXES[file.suffix.lower()])
        except OSError as exc:
            problems.append(f"{file}: cannot read ({exc.strerror or exc})")
            continue
        except UnicodeDecodeError:
            problems.append(f"{file}: not UTF-8 text")
            continue
        except InputError as exc:
            problems.append(str(exc))
            continue
        loaded.append(LoadedStory(id=file.stem, file=str(file), story=story))
    if problems:
        raise InputError("\n".join(problems))
    return loaded


@cache
def question_bank() -> tuple[Question, ...]:
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    return tuple(_Bank.model_validate(data).questions)


def questions(competency: str | None = None) -> list[Question]:
    """The bank, or the questions tagged with ``competency``."""
    if competency is not None and competency not in COMPETENCIES:
        raise InputError(
            f"--competency: no competency {competency!r}; choose from {', '.join(COMPETENCIES)}"
        )
    return [q for q in question_bank() if competency is None or competency in q.competencies]


# ----------------------------------------------------------------------------- text measures

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
I_WORDS = {"i", "i'm", "i'd", "i've", "i'll", "me", "my", "mine", "myself"}
WE_WORDS = {"we", "we're", "we'd", "we've", "we'll", "us", "our", "ours", "ourselves"}
_MEASURES = (
    (
        "money",
        re.compile(
            r"[$€£]\s?\d[\d,.]*\s?[kKmMbB]?|\b\d[\d,.]*\s?(?:k|m|bn)?\s?(?:USD|EUR|GBP|dollars|euros|pounds)\b"
        ),
    ),
    ("percentage", re.compile(r"\b\d+(?:\.\d+)?\s?(?:%|percent\b)")),
    (
        "duration",
        re.compile(
            r"\b\d+(?:\.\d+)?\s?(?:ms|milliseconds?|s|secs?|seconds?|min|minutes?|h|hours?|days?|weeks?|months?|quarters?|years?|sprints?)\b",
            re.I,
        ),
    ),
    ("ratio", re.compile(r"\b\d+(?:\.\d+)?\s?[x×]\b|\b(?:halved|doubled|tripled)\b", re.I)),
    ("number", re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")),
)


def words(text: str) -> int:
    return len(_WORD.findall(text))


def measures(text: str) -> list[tuple[str, str]]:
    """The measured facts in ``text``: (kind, the words), each span counted once."""
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in _MEASURES:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end, _ in spans):
                continue
            spans.append((m.start(), m.end(), kind))
    found: list[tuple[str, str]] = []
    for start, end, kind in sorted(spans):
        item = (kind, text[start:end].strip())
        if item not in found:
            found.append(item)
    return found


def pronouns(text: str) -> tuple[int, int]:
    """How often ``text`` says I (I, me, my...) and we (we, us, our...)."""
    tokens = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    return sum(t in I_WORDS for t in tokens), sum(t in WE_WORDS for t in tokens)


def draw_question(seed: int | None, competency: str | None = None) -> Question:
    """A random question for rehearsal; the same seed gives the same question."""
    return random.Random(seed).choice(questions(competency))
