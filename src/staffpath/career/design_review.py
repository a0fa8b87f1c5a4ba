"""Design reviews of a shared design: anchored comments, and the decisions they lead to.

A review is a YAML file that names the design it reviews (a path relative to the review)::

    design: ../url-shortener.yaml
    title: Redirect path before the launch
    date: 2026-11-10
    author: Dana
    reviewers: [Ana, Ben]
    comments:
      - anchor: cache                  # a component, flows.<name>, decisions.<id>, or design
        by: Ana
        status: open                   # open, resolved or wontfix
        text: |
          issue (blocking): a cold cache sends every redirect to `db`
          Consider warming it from the access log before switching traffic.
    decisions:                         # ADRs the review settled, in the design's own format
      - {id: US-006, title: ..., context: ..., options: [...], decision: ..., consequences: ...}

Each comment's text is one Conventional Comment, parsed and linted by
:mod:`staffpath.practice.review`, so ``(blocking)`` means what it means in a code review.
Anchors are checked against the loaded design with a did-you-mean. The recorded decisions are
written into the design's ``decisions:`` section *as text*: the user's lines and comments stay
as they were, the new entries are appended, and the result must load before it is returned.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from staffpath.career.mentorship import (
    Day,
    EvidenceRecord,
    Line,
    Text,
    _Strict,
    at,
    located_problems,
    raise_problems,
    read_yaml,
)
from staffpath.design.checks import did_you_mean
from staffpath.design.load import load_text
from staffpath.design.model import Decision, Design, Option
from staffpath.design.yamltext import Located, parse
from staffpath.errors import DesignError, InputError, Problem
from staffpath.practice import review as cc
from staffpath.textfile import read_text

REVIEW_COMPETENCIES = ("leadership", "influence")
GENERAL = "design"  # the anchor of a comment on the design as a whole


class ReviewComment(_Strict):
    anchor: Line
    by: Line | None = None
    status: Literal["open", "resolved", "wontfix"] = "open"
    text: Line
    reply: Text = ""


class Review(_Strict):
    design: Line
    title: Line | None = None
    date: Day
    author: Line | None = None
    reviewers: Annotated[list[Line], Field(min_length=1)]
    comments: list[ReviewComment] = Field(default_factory=list)
    decisions: list[dict[str, Any]] = Field(default_factory=list)


_MODELS: dict[tuple[str, ...], type[BaseModel]] = {
    (): Review,
    ("comments",): ReviewComment,
    ("decisions",): Decision,
    ("decisions", "options"): Option,
}
_EXAMPLES = {
    "design": "add design: the path of the design file, relative to this review",
    "date": "add date: the day of the review, such as 2026-11-10",
    "reviewers": "add reviewers: [the people who reviewed]",
    "anchor": "add anchor: a component name, flows.<name>, decisions.<id> or design",
    "text": "add text: one Conventional Comment, such as 'issue (blocking): ...'",
    "id": "add id: a short slug such as ADR-007",
    "title": "add title: the question decided, in a few words",
    "context": "add context: the forces that made a decision necessary",
    "options": "add options: [{name: <an option>, pros: [...], cons: [...]}]",
    "name": "add name: the option, in a few words",
    "decision": "add decision: what was decided",
    "consequences": "add consequences: what follows, good and bad",
}


@dataclass(frozen=True, slots=True)
class Anchored:
    """A comment with its parsed Conventional Comment, lint report and anchor kind."""

    index: int
    line: int  # where its text starts in the review file
    anchor: str
    kind: Literal["component", "flow", "decision", "design"]
    by: str | None
    status: str
    comment: cc.Comment
    lint: cc.CommentReport
    reply: str

    @property
    def blocking(self) -> bool:
        return "blocking" in self.comment.decorations

    @property
    def header(self) -> str:
        decorations = (
            f" ({', '.join(self.comment.decorations)})" if self.comment.decorations else ""
        )
        return f"{self.comment.label or '?'}{decorations}: {self.comment.subject}"


@dataclass(frozen=True, slots=True)
class LoadedReview:
    name: str
    review: Review
    design: Design
    design_path: Path
    design_text: str
    comments: tuple[Anchored, ...]
    decisions: tuple[Decision, ...]
    located: Located = field(repr=False)


# -------------------------------------------------------------------------------- loading


def read_review(text: str, *, name: str = "<text>") -> tuple[Review, Located]:
    """The review's structure, checked (anchors need the design: see :func:`check_review`)."""
    located = read_yaml(text, name, "a design review")
    try:
        review = Review.model_validate(located.value)
    except ValidationError as exc:
        raise_problems(located_problems(exc, located, _MODELS, _EXAMPLES), name)
        raise AssertionError("unreachable") from None
    return review, located


def anchors(design: Design, extra_decisions: Sequence[str] = ()) -> dict[str, str]:
    """Every anchor a comment on ``design`` may use, mapped to its kind."""
    found = {GENERAL: "design"}
    found |= dict.fromkeys(design.components, "component")
    found |= {f"components.{name}": "component" for name in design.components}
    found |= {f"flows.{name}": "flow" for name in design.workload.flows}
    found |= {f"decisions.{d.id}": "decision" for d in design.decisions}
    found |= {f"decisions.{d}": "decision" for d in extra_decisions}
    return found


def check_review(
    review: Review, located: Located, design: Design, *, name: str = "<text>"
) -> tuple[tuple[Anchored, ...], tuple[Decision, ...]]:
    """Validate the recorded decisions, each comment's anchor, author and text against
    ``design``; every problem at once."""
    problems: list[Problem] = []
    decisions: list[Decision] = []
    for i, raw in enumerate(review.decisions):
        filled = {"status": "accepted", "date": review.date.isoformat(), **raw}
        try:
            decisions.append(Decision.model_validate(filled))
        except ValidationError as exc:
            problems += located_problems(exc, located, _MODELS, _EXAMPLES, prefix=("decisions", i))
    existing = {d.id for d in design.decisions}
    recorded = [d.id for d in decisions]
    for i, d in enumerate(decisions):
        if recorded.count(d.id) > 1 and recorded.index(d.id) != i:
            problems.append(
                at(located, ("decisions", i, "id"), f"decision {d.id!r} is recorded twice")
            )
        for old in d.supersedes:
            if old not in existing and old not in recorded:
                problems.append(
                    at(
                        located,
                        ("decisions", i, "supersedes"),
                        f"no decision {old!r} in the design or this review",
                        did_you_mean(old, [*existing, *recorded], what="decisions"),
                    )
                )
    named = [raw["id"] for raw in review.decisions if isinstance(raw.get("id"), str)]
    allowed = anchors(design, named)
    people = [*review.reviewers, *([review.author] if review.author else [])]
    comments: list[Anchored] = []
    for i, c in enumerate(review.comments):
        where = ("comments", i)
        kind = allowed.get(c.anchor)
        if kind is None:
            problems.append(
                at(
                    located,
                    (*where, "anchor"),
                    f"{c.anchor!r} is not a component, flow or decision of {design.name!r}",
                    did_you_mean(c.anchor, allowed, what="anchors"),
                )
            )
        if c.by is not None and c.by not in people:
            problems.append(
                at(
                    located,
                    (*where, "by"),
                    f"{c.by!r} is not among the reviewers or the author",
                    did_you_mean(c.by, people, what="people"),
                )
            )
        parsed = cc.parse(c.text)
        if len(parsed) != 1:
            problems.append(
                at(
                    located,
                    (*where, "text"),
                    f"holds {len(parsed)} comments separated by blank lines; one is expected",
                    "give each comment its own entry, or join its paragraphs without a blank line",
                )
            )
            continue
        line = located.where((*where, "text"))[1][0]
        if kind is not None:
            comments.append(
                Anchored(
                    index=i,
                    line=line,
                    anchor=c.anchor.removeprefix("components."),
                    kind=kind,  # type: ignore[arg-type]
                    by=c.by,
                    status=c.status,
                    comment=parsed[0],
                    lint=cc.lint_comment(parsed[0]),
                    reply=c.reply,
                )
            )
    raise_problems(problems, name)
    return tuple(comments), tuple(decisions)


def load_review(path: Path) -> LoadedReview:
    """Read a review, the design it names (relative to the review file), and check both."""
    text = _read(path, "review")
    review, located = read_review(text, name=str(path))
    design_path = Path(os.path.normpath(path.parent / review.design))
    if not design_path.is_file():
        line, col = located.where(("design",))[1]
        raise InputError(
            f"{path}:{line}:{col}: design: no design file {str(design_path)!r} "
            "(the path is relative to the review file)"
        )
    design_text = _read(design_path, "design")
    design = load_text(design_text, name=str(design_path)).design
    comments, decisions = check_review(review, located, design, name=str(path))
    return LoadedReview(
        str(path), review, design, design_path, design_text, comments, decisions, located
    )


def _read(path: Path, what: str) -> str:
    return read_text(path, what=f"{what} file")


# -------------------------------------------------------------------------------- summary


@dataclass(frozen=True, slots=True)
class AnchorSummary:
    anchor: str
    kind: str
    open: int
    resolved: int
    wontfix: int
    blocking_open: int


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    title: str
    design: str
    date: dt.date
    reviewers: tuple[str, ...]
    anchors: tuple[AnchorSummary, ...]
    blocking: tuple[Anchored, ...]  # open and blocking
    comments: int
    open: int
    form_score: int | None  # mean Conventional Comments lint score
    decisions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "design": self.design,
            "date": self.date.isoformat(),
            "reviewers": list(self.reviewers),
            "comments": self.comments,
            "open": self.open,
            "form_score": self.form_score,
            "anchors": [
                {
                    "anchor": a.anchor,
                    "kind": a.kind,
                    "open": a.open,
                    "resolved": a.resolved,
                    "wontfix": a.wontfix,
                    "blocking_open": a.blocking_open,
                }
                for a in self.anchors
            ],
            "blocking": [
                {"anchor": b.anchor, "by": b.by, "line": b.line, "comment": b.header}
                for b in self.blocking
            ],
            "decisions": list(self.decisions),
        }


def summarise(loaded: LoadedReview) -> ReviewSummary:
    """Comments per anchor (in the order anchors first appear), the open blocking issues and
    the mean form score of the comments."""
    order: dict[str, list[Anchored]] = {}
    for c in loaded.comments:
        order.setdefault(c.anchor, []).append(c)
    rows = tuple(
        AnchorSummary(
            anchor,
            group[0].kind,
            sum(c.status == "open" for c in group),
            sum(c.status == "resolved" for c in group),
            sum(c.status == "wontfix" for c in group),
            sum(c.status == "open" and c.blocking for c in group),
        )
        for anchor, group in order.items()
    )
    scores = [c.lint.score for c in loaded.comments]
    return ReviewSummary(
        title=loaded.review.title or f"Review of {loaded.design.name}",
        design=loaded.design.name,
        date=loaded.review.date,
        reviewers=tuple(loaded.review.reviewers),
        anchors=rows,
        blocking=tuple(c for c in loaded.comments if c.status == "open" and c.blocking),
        comments=len(loaded.comments),
        open=sum(c.status == "open" for c in loaded.comments),
        form_score=round(sum(scores) / len(scores)) if scores else None,
        decisions=tuple(d.id for d in loaded.decisions),
    )


def lint_problems(loaded: LoadedReview) -> list[tuple[Anchored, cc.Finding]]:
    """Every Conventional Comments finding, comment by comment."""
    return [(c, f) for c in loaded.comments for f in c.lint.findings]


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def markdown(loaded: LoadedReview) -> str:
    """The review as a Markdown report: summary, open blocking issues, comments by anchor, and
    the decisions recorded, ADR by ADR."""
    s = summarise(loaded)
    r = loaded.review
    out = [f"# {s.title}", ""]
    out.append(f"- Design: {s.design} (`{r.design}`)")
    out.append(f"- Date: {s.date.isoformat()}")
    if r.author:
        out.append(f"- Author: {r.author}")
    out.append(f"- Reviewers: {', '.join(s.reviewers)}")
    form = f"; comment form {s.form_score}/100" if s.form_score is not None else ""
    out.append(
        f"- {s.comments} comments, {s.open} open, {len(s.blocking)} open blocking; "
        f"{len(s.decisions)} decisions recorded{form}"
    )
    out += ["", "## Open blocking issues", ""]
    if s.blocking:
        out += [f"- **{b.anchor}**: {b.header} ({b.by or 'unsigned'})" for b in s.blocking]
    else:
        out.append("None: nothing blocks the design.")
    out += ["", "## Comments by anchor", ""]
    out.append("| anchor | kind | open | resolved | won't fix | blocking open |")
    out.append("|---|---|---:|---:|---:|---:|")
    for a in s.anchors:
        out.append(
            f"| {a.anchor} | {a.kind} | {a.open} | {a.resolved} | {a.wontfix} | {a.blocking_open} |"
        )
    for a in s.anchors:
        out += ["", f"### {a.anchor}", ""]
        for c in loaded.comments:
            if c.anchor != a.anchor:
                continue
            who = f" ({c.by})" if c.by else ""
            out.append(f"- [{c.status}] {c.header}{who}")
            if c.comment.discussion:
                out += ["", *[f"  {line}" for line in _quote(c.comment.discussion).splitlines()]]
            if c.reply:
                out += ["", f"  Reply: {c.reply}"]
            out.append("")
        if out[-1] == "":
            out.pop()
    if loaded.decisions:
        out += ["", "## Decisions recorded", ""]
        for d in loaded.decisions:
            out += [
                f"### {d.id}: {d.title}",
                "",
                f"Status: {d.status}"
                + (f"; supersedes {', '.join(d.supersedes)}" if d.supersedes else ""),
                "",
                f"Context: {d.context.strip()}",
                "",
                "Options:",
                "",
            ]
            for o in d.options:
                chosen = " (chosen)" if d.chosen == o.name else ""
                out.append(f"- {o.name}{chosen}")
                out += [f"  - pro: {p}" for p in o.pros]
                out += [f"  - con: {c}" for c in o.cons]
            out += ["", f"Decision: {d.decision.strip()}", "", "Consequences:", ""]
            out += [f"- {c.strip()}" for c in d.consequences]
            out.append("")
        out.pop()
    findings = lint_problems(loaded)
    out += ["", "## Comment form", ""]
    if findings:
        out += [
            f"- line {c.line} ({c.anchor}): {f.severity} {f.rule}: {f.message}; {f.hint}"
            for c, f in findings
        ]
    else:
        out.append("Every comment is labelled, specific and kind.")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- evidence


def review_evidence(loaded: LoadedReview) -> EvidenceRecord:
    """The review as one evidence record: shaping a shared design is leadership by influence."""
    s = summarise(loaded)
    blocking = [c for c in loaded.comments if c.blocking]
    settled = sum(c.status != "open" for c in blocking)
    slug = re.sub(r"[^a-z0-9]+", "-", s.design.lower()).strip("-")
    adrs = f"; decisions recorded: {', '.join(s.decisions)}" if s.decisions else ""
    return EvidenceRecord(
        id=f"design-review-{slug}-{s.date.isoformat()}",
        date=s.date,
        what=f"{s.title}: design review of {s.design} with {', '.join(s.reviewers)}",
        why=f"{settled} of {len(blocking)} blocking issues settled before build{adrs}",
        metric=f"{s.comments} comments on {len(s.anchors)} parts of the design, "
        f"{len(s.decisions)} ADRs",
        competencies=REVIEW_COMPETENCIES,
    )


# --------------------------------------------------------------------------------- apply


@dataclass(frozen=True, slots=True)
class Applied:
    text: str
    added: tuple[str, ...]
    skipped: tuple[str, ...]  # already in the design, the same
    superseded: tuple[str, ...]  # older decisions whose status became superseded


_STATUS = re.compile(r"""(["']?)(proposed|accepted|deprecated)\1""")


class _Dumper(yaml.SafeDumper):
    """Block lists indented under their key, as people write them (and as the examples do)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _tidy(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split()) if "\n" not in value.strip() else value.strip()
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items() if v not in ([], None, "")}
    return value


def same_decision(a: Decision, b: Decision) -> bool:
    """Equal once written: a folded block's line breaks and trailing newline do not count."""
    return bool(_tidy(a.model_dump(mode="json")) == _tidy(b.model_dump(mode="json")))


def _decision_yaml(decision: Decision, indent: int) -> list[str]:
    """One decision as a block-style list item, in the field order of the language docs."""
    data = decision.model_dump(mode="json", exclude_defaults=True)
    order = [
        "id", "title", "status", "date", "supersedes", "context", "options", "chosen",
        "decision", "consequences",
    ]  # fmt: skip
    ordered = _tidy({k: data[k] for k in order if k in data})
    text = yaml.dump(
        [ordered],
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=False,
    )
    return [" " * indent + line if line else line for line in text.splitlines()]


def _section(lines: list[str]) -> tuple[int, int] | None:
    """The line index of a top-level ``decisions:`` key and the index after its last line."""
    start = next((i for i, ln in enumerate(lines) if re.match(r"decisions\s*:", ln)), None)
    if start is None:
        return None
    end = start + 1
    last = start + 1
    while end < len(lines):
        ln = lines[end]
        if ln.strip() in ("---", "..."):
            break
        if ln.strip() and not ln.startswith("#") and not ln[0].isspace() and not ln.startswith("-"):
            break
        if ln.strip() and not ln.startswith("#"):
            last = end + 1
        end += 1
    return start, last


def apply_decisions(
    design_text: str, decisions: Sequence[Decision], *, note: str = "", name: str = "<design>"
) -> Applied:
    """``design_text`` with ``decisions`` appended to its ``decisions:`` section (added at the
    end when it has none); the rest of the text is kept byte for byte, except the status of
    a decision an accepted new one supersedes, which becomes ``superseded``. The result is
    loaded before it is returned; a result that would not load is an :class:`InputError`."""
    before = load_text(design_text, name=name).design
    existing = {d.id: d for d in before.decisions}
    new = []
    skipped = []
    for d in decisions:
        if d.id in existing:
            if same_decision(existing[d.id], d):
                skipped.append(d.id)
                continue
            raise InputError(
                f"{name}: the design already has a decision {d.id!r} that differs from the one "
                "recorded in the review; give the review's decision a new id"
            )
        new.append(d)
    if not new:
        return Applied(design_text, (), tuple(skipped), ())
    located = parse(design_text)
    lines = design_text.splitlines()
    newline = "\r\n" if "\r\n" in design_text else "\n"  # keep the file's line endings
    superseded = []
    for d in new:
        if d.status != "accepted":
            continue
        for old in d.supersedes:
            if old not in existing:
                continue
            index = [x.id for x in before.decisions].index(old)
            if existing[old].status == "superseded":
                continue
            line, col = located.nodes[("decisions", index, "status")]
            row = lines[line - 1]
            m = _STATUS.match(row, col - 1)
            if m is None:
                raise InputError(
                    f"{name}:{line}:{col}: decisions[{index}].status: cannot rewrite this "
                    "status in place; set it to superseded by hand"
                )
            lines[line - 1] = row[: m.start()] + "superseded" + row[m.end() :]
            superseded.append(old)
    section = _section(lines)
    comment = [f"# {note}"] if note else []
    if section is None:
        block = ["", "decisions:"]
        indent = 2
        for d in new:
            block += [" " * indent + c for c in comment] + _decision_yaml(d, indent)
        lines += block
    else:
        start, end = section
        inline = lines[start].split(":", 1)[1].split("#", 1)[0].strip()
        if inline == "[]":
            lines[start] = "decisions:"
        elif inline:
            raise InputError(
                f"{name}:{start + 1}:1: decisions: written in flow style on one line; write it "
                "as a block list ('- id: ...' lines) so entries can be appended"
            )
        items = [ln for ln in lines[start + 1 : end] if ln.lstrip().startswith("- ")]
        indent = len(items[0]) - len(items[0].lstrip()) if items else 2
        spaced = any(not ln.strip() for ln in lines[start + 1 : end])
        block = []
        for d in new:
            if spaced and (items or block):
                block.append("")
            block += [" " * indent + c for c in comment] + _decision_yaml(d, indent)
        lines[end:end] = block
    text = newline.join(lines) + newline
    try:
        after = load_text(text, name=name).design
    except DesignError as exc:
        shown = "\n".join(p.render(name) for p in exc.errors)
        raise InputError(
            f"{name}: with the review's decisions the design would not load, so nothing was "
            f"written:\n{shown}"
        ) from None
    ids = [d.id for d in after.decisions]
    if any(d.id not in ids for d in new):  # pragma: no cover - a bug in the text surgery
        raise InputError(f"{name}: the decisions did not land in the design's decisions section")
    return Applied(text, tuple(d.id for d in new), tuple(skipped), tuple(superseded))
