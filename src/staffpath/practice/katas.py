"""Review katas: small diffs with seeded problems, and how many of them a review finds.

A kata lives in ``data/katas/<id>.yaml``: a unified diff, the problems seeded in it (each on a
line of the new file, with a snippet of that line and the words a comment about it would use)
and a short rubric. A comment finds a problem when it points at the problem's line (within one
line, by ``line N``, ``LN`` or ``file:N``) or names its file, *and* mentions one of its
keywords. The tests prove that every seeded line exists in its diff and holds its snippet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from staffpath.errors import InputError
from staffpath.practice.review import Comment, ReviewReport, lint, report_to_dict

KATAS = Path(__file__).resolve().parent.parent / "data" / "katas"
COVERAGE_WEIGHT = 70  # of 100: finding the problems matters more than phrasing them well

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
_LINE_NUMBERS = re.compile(r"\blines?\s+(\d+)(?:\s*[-–]\s*(\d+))?|\bL(\d+)\b|:(\d+)\b", re.I)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SeededProblem(_Strict):
    id: str
    kind: Literal["bug", "edge-case", "naming", "security", "performance"]
    file: str
    line: Annotated[int, Field(ge=1)]
    snippet: str
    keywords: Annotated[list[str], Field(min_length=1)]
    explanation: str


class Kata(_Strict):
    id: str
    title: str
    language: Literal["python", "javascript", "go", "sql"]
    summary: str
    diff: str
    problems: Annotated[list[SeededProblem], Field(min_length=1)]
    rubric: Annotated[list[str], Field(min_length=1)]
    sources: list[str] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ProblemResult:
    problem: SeededProblem
    found_by: tuple[int, ...]  # the lines in the comments file of the comments that found it


@dataclass(frozen=True, slots=True)
class KataResult:
    kata: Kata
    form: ReviewReport
    problems: tuple[ProblemResult, ...]
    score: int

    @property
    def found(self) -> int:
        return sum(1 for p in self.problems if p.found_by)

    def to_dict(self) -> dict[str, Any]:
        """The result as ``staffpath review kata check --json`` and the studio show it."""
        return {
            "kata": self.kata.id,
            "score": self.score,
            "found": self.found,
            "total": len(self.problems),
            "problems": [
                {
                    "id": p.problem.id,
                    "kind": p.problem.kind,
                    "file": p.problem.file,
                    "line": p.problem.line,
                    "found": bool(p.found_by),
                    "found_by_comment_lines": list(p.found_by),
                    "explanation": p.problem.explanation,
                }
                for p in self.problems
            ],
            "form": report_to_dict(self.form),
            "rubric": self.kata.rubric,
        }


def kata_ids() -> list[str]:
    return sorted(p.stem for p in KATAS.glob("*.yaml"))


def load_kata(kata_id: str) -> Kata:
    path = KATAS / f"{kata_id}.yaml"
    if kata_id not in kata_ids():
        raise InputError(f"no kata {kata_id!r}; the katas are: {', '.join(kata_ids())}")
    return Kata.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def new_lines(diff: str) -> dict[tuple[str, int], str]:
    """Every line of the new side of ``diff``, keyed by (file, line number)."""
    lines: dict[tuple[str, int], str] = {}
    file = ""
    number = 0
    for raw in diff.splitlines():
        if raw.startswith("+++ "):
            file = raw[4:].strip().removeprefix("b/")
            continue
        if raw.startswith("--- "):
            continue
        hunk = _HUNK.match(raw)
        if hunk:
            number = int(hunk[1])
            continue
        if raw.startswith("-") or not file or number == 0:
            continue
        lines[(file, number)] = raw[1:]
        number += 1
    return lines


def numbered(diff: str) -> str:
    """The diff with each new-side line number in a gutter, so a reviewer can write
    ``line N`` without counting from the hunk header."""
    out = []
    number = 0
    for raw in diff.splitlines():
        hunk = _HUNK.match(raw)
        if hunk:
            number = int(hunk[1])
            out.append(f"{'':>4}  {raw}")
        elif raw.startswith(("+++ ", "--- ")) or raw.startswith("-") or number == 0:
            out.append(f"{'':>4}  {raw}")
        else:
            out.append(f"{number:>4}  {raw}")
            number += 1
    return "\n".join(out) + "\n"


def _line_refs(text: str) -> set[int]:
    refs: set[int] = set()
    for m in _LINE_NUMBERS.finditer(text):
        if m[1]:
            first = int(m[1])
            last = int(m[2]) if m[2] else first
            refs.update(range(first, min(last, first + 50) + 1))
        else:
            refs.add(int(m[3] or m[4]))
    return refs


def finds(comment: Comment, problem: SeededProblem) -> bool:
    text = comment.text
    lowered = text.lower()
    near = any(abs(n - problem.line) <= 1 for n in _line_refs(text))
    names_file = Path(problem.file).name.lower() in lowered
    return (near or names_file) and any(k.lower() in lowered for k in problem.keywords)


def check(kata: Kata, comments: list[Comment]) -> KataResult:
    """Form lint of the comments, which seeded problems they find, and a score out of 100:
    ``COVERAGE_WEIGHT`` for the share found, the rest for the form score."""
    form = lint(comments)
    results = tuple(
        ProblemResult(p, tuple(c.line for c in comments if finds(c, p))) for p in kata.problems
    )
    coverage = sum(1 for r in results if r.found_by) / len(results)
    score = round(COVERAGE_WEIGHT * coverage + (100 - COVERAGE_WEIGHT) * form.score / 100)
    return KataResult(kata, form, results, score)
