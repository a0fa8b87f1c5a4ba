"""Code-review comments in the Conventional Comments form, and a coach for their tone and shape.

The grammar is the one conventionalcomments.org proposes: ``label (decorations): subject`` on
the first line and any discussion on the lines below. Several comments share one file,
separated by a blank line or a ``---`` line (blank lines inside a fenced code block do not
split). The descriptions of the labels and every rule's wording are our own.

Linting is about *form*, not about whether the comment is right: a comment that names what it
is about, says whether it blocks, offers a way forward and does not talk down to its reader
gets merged feedback acted on. Findings carry a severity; ``error`` is reserved for what makes
a comment unparseable or belittling, so a CI gate on errors stays useful without nagging.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from staffpath.errors import InputError

Severity = Literal["error", "warning", "info"]

LABELS: dict[str, str] = {
    "praise": "something done well, named so it is kept",
    "nitpick": "a matter of taste; never blocks",
    "suggestion": "a concrete change to consider, with why it is better",
    "issue": "a problem the change introduces or leaves; pair it with a way out",
    "todo": "a small, necessary change before merging",
    "question": "you are unsure; the answer may or may not lead to a change",
    "thought": "an idea the change brought to mind; not a request",
    "chore": "a process step to do before merging (changelog, ticket, migration)",
    "note": "something the reader should know; nothing to do",
    "typo": "a misspelling",
    "polish": "the change is fine; this would make it better",
    "quibble": "a minor point, like a nitpick",
}
DECORATIONS = ("blocking", "non-blocking", "if-minor")
NEEDS_BLOCKING = frozenset({"issue", "suggestion", "todo"})
PENALTY: dict[Severity, int] = {"error": 30, "warning": 12, "info": 5}

_HEADER = re.compile(
    r"^\s*\**(?P<label>[A-Za-z][\w-]*)\**\s*(?:\((?P<decorations>[^)]*)\))?"
    r"\s*\**\s*:\s*\**\s*(?P<subject>.*)$"
)
_SEPARATOR = re.compile(r"^\s*-{3,}\s*$")
_CODE_SPAN = re.compile(r"`[^`\n]+`|```.*?```", re.S)
_LINE_REF = re.compile(r"\b(?:lines?\s+\d+|L\d+)\b|:\d+\b", re.I)
_FILE_REF = re.compile(
    r"\b[\w./-]+\.(?:py|js|jsx|ts|tsx|go|sql|rb|java|rs|c|h|cpp|yaml|yml|json|toml|md|sh)\b"
)
# Words that name what goes wrong (a failure mode), not merely what the code is about.
_BEHAVIOUR = re.compile(
    r"\b(?:returns?|raises?|throws?|crash\w*|fails?|panics?|hangs?|null|none|nil|empty|zero|"
    r"negative|timeouts?|overflows?|deadlocks?|races?|leaks?|injection|off-by-one|duplicates?|"
    r"errors?|exceptions?)\b",
    re.I,
)
_BELITTLING = (
    ("just", re.compile(r"\bjust\b", re.I)),
    ("obviously", re.compile(r"\bobvious(?:ly)?\b", re.I)),
    ("simply", re.compile(r"\bsimply\b", re.I)),
    ("clearly", re.compile(r"(?<!reads )(?<!read )(?<!more )\bclearly\b", re.I)),
    ("why didn't you", re.compile(r"\bwhy (?:didn't|did not|didnt) you\b", re.I)),
    ("everyone knows", re.compile(r"\b(?:everyone|everybody) knows\b", re.I)),
    ("trivial", re.compile(r"\btrivial(?:ly)?\b", re.I)),
)
_ORDER_AS_QUESTION = re.compile(
    r"\b(?:can|could|would) you (?:just |please )?"
    r"(?:change|fix|remove|rename|use|add|move|make|update|delete|drop|split|extract|revert|"
    r"switch|replace|write|handle|wrap|try)\b[^?]*\?"
    r"|\bwhy not\b[^?]*\?|\bwhy don'?t you\b[^?]*\?",
    re.I,
)
_WAY_FORWARD = re.compile(
    r"\?|\b(?:suggest\w*|consider|instead|could|might|maybe|perhaps|how about|what if|"
    r"prefer|recommend|try|use|replace|move|add|wrap|rename|extract|e\.g\.|for example)\b|```",
    re.I,
)
_ACRONYMS = frozenset(
    {
        "API",
        "HTTP",
        "HTTPS",
        "JSON",
        "SQL",
        "UTC",
        "URL",
        "URI",
        "ID",
        "IDS",
        "UUID",
        "TODO",
        "NULL",
        "DB",
        "CPU",
        "IO",
        "CI",
        "CD",
        "TLS",
        "SSL",
        "JWT",
        "HTML",
        "CSS",
        "XML",
        "YAML",
        "CSV",
        "PR",
        "OK",
        "AWS",
        "GCP",
        "DNS",
        "TCP",
        "UDP",
        "IP",
        "OS",
        "PII",
        "ORM",
        "UTF",
        "LGTM",
        "GET",
        "POST",
        "PUT",
        "DELETE",
        "PATCH",
        "NOT",
        "AND",
        "OR",
    }
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'+]*")
# A capitalised word followed by these is a name in code (TIMEOUT=30, MAX_RETRIES, HTTP2).
_IDENTIFIER_AFTER = re.compile(r"[=_0-9]")
_EMPHASIS = frozenset(
    [
        "NEVER",
        "ALWAYS",
        "NOT",
        "MUST",
        "DON'T",
        "DONT",
        "NO",
        "STOP",
        "WRONG",
        "BAD",
        "PLEASE",
        "NOW",
        "ALL",
        "NOTHING",
        "EVERY",
        "WHY",
        "WHAT",
        "SERIOUSLY",
        "REALLY",
    ]
)
MAX_SENTENCE_WORDS = 30
MAX_LIX = 60.0


@dataclass(frozen=True, slots=True)
class Comment:
    """One review comment; ``line`` is where it starts in its file (1-based)."""

    line: int
    label: str | None
    decorations: tuple[str, ...]
    subject: str
    discussion: str

    @property
    def text(self) -> str:
        return f"{self.subject}\n{self.discussion}".strip()


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class CommentReport:
    comment: Comment
    findings: tuple[Finding, ...]
    score: int


@dataclass(frozen=True, slots=True)
class ReviewReport:
    comments: tuple[CommentReport, ...]
    score: int

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for c in self.comments for f in c.findings)


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Split into (first line number, lines) at blank or ``---`` lines outside code fences."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("```"):
            fenced = not fenced
        if not fenced and (not line.strip() or _SEPARATOR.match(line)):
            if current:
                blocks.append((start, current))
            current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, current))
    return blocks


def parse(text: str) -> list[Comment]:
    """Every comment in ``text``; a block without a ``label:`` header becomes a comment with
    no label (the linter says so) rather than an error, so one slip does not hide the rest."""
    comments = []
    for start, lines in _blocks(text):
        match = _HEADER.match(lines[0])
        if match is None:
            comments.append(Comment(start, None, (), lines[0].strip(), "\n".join(lines[1:])))
            continue
        raw = match["decorations"] or ""
        decorations = tuple(d.strip().lower() for d in raw.split(",") if d.strip())
        comments.append(
            Comment(
                start,
                match["label"].lower(),
                decorations,
                match["subject"].strip(),
                "\n".join(line.rstrip() for line in lines[1:]).strip(),
            )
        )
    return comments


def _prose(text: str) -> str:
    """The comment without its code: identifiers may be long, shouty or contain ``just``."""
    return _CODE_SPAN.sub(" code ", text)


def _sentences(prose: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+", prose)
    return [p for p in (s.strip() for s in parts) if p]


def is_specific(text: str) -> bool:
    """Does the comment point at something a reader can find: code, a line, a file, a
    behaviour?"""
    return bool(
        _CODE_SPAN.search(text)
        or _LINE_REF.search(text)
        or _FILE_REF.search(text)
        or _BEHAVIOUR.search(_prose(text))
    )


def _label_findings(comment: Comment) -> list[Finding]:
    if comment.label is None:
        return [
            Finding(
                "label-missing",
                "error",
                "the comment has no label, so the author must guess whether it is a request, "
                "a question or an aside",
                "start with `label: subject`, e.g. `suggestion (non-blocking): ...`",
            )
        ]
    if comment.label not in LABELS:
        close = difflib.get_close_matches(comment.label, list(LABELS), n=1, cutoff=0.6)
        mean = f"did you mean `{close[0]}`? " if close else ""
        return [
            Finding(
                "label-unknown",
                "error",
                f"`{comment.label}` is not a Conventional Comments label",
                f"{mean}labels: {', '.join(LABELS)}",
            )
        ]
    findings = []
    unknown = [d for d in comment.decorations if d not in DECORATIONS]
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(DECORATIONS), n=1, cutoff=0.6)
        mean = f"did you mean `{close[0]}`? " if close else ""
        findings.append(
            Finding(
                "decoration-unknown",
                "info",
                f"decoration `{unknown[0]}` is not one this coach knows",
                f"{mean}known: {', '.join(DECORATIONS)}",
            )
        )
    if comment.label in NEEDS_BLOCKING and not set(comment.decorations) & set(DECORATIONS):
        findings.append(
            Finding(
                "blocking-implicit",
                "warning",
                f"this `{comment.label}` leaves the author guessing whether the merge waits on it",
                f"say it: `{comment.label} (blocking): ...` or `{comment.label} (non-blocking): ...`",
            )
        )
    if "blocking" in comment.decorations and "non-blocking" in comment.decorations:
        findings.append(
            Finding(
                "blocking-contradiction",
                "warning",
                "the comment says both blocking and non-blocking",
                "keep the one you mean",
            )
        )
    return findings


def _content_findings(comment: Comment) -> list[Finding]:
    findings = []
    text = comment.text
    prose = _prose(text)
    if comment.label == "issue" and not _WAY_FORWARD.search(comment.discussion + prose):
        findings.append(
            Finding(
                "issue-without-way-forward",
                "warning",
                "the issue names a problem but offers neither a suggestion nor a question, "
                "so the author has to guess what would satisfy you",
                "add what you would do (`Consider ...`) or ask (`Would ... work here?`)",
            )
        )
    if not is_specific(text):
        findings.append(
            Finding(
                "vague",
                "warning",
                "nothing in the comment points at code or behaviour the author can find",
                "name the identifier in backticks, the line (`line 42`), the file, or the "
                "input that goes wrong",
            )
        )
    for word, pattern in _BELITTLING:
        if pattern.search(prose):
            findings.append(
                Finding(
                    "belittling",
                    "error",
                    f"`{word}` implies the change is easy or the author should have known, "
                    "which reads as talking down",
                    f"drop `{word}` and state the point itself",
                )
            )
    if _ORDER_AS_QUESTION.search(prose):
        findings.append(
            Finding(
                "order-as-question",
                "warning",
                "a request phrased as a question (`can you ...?`, `why not ...?`) leaves the "
                "author unsure whether it is optional",
                "use `suggestion:` or `todo:` and say the change plainly, with why",
            )
        )
    capitals = [
        m.group()
        for m in _WORD.finditer(prose)
        if len(m.group()) >= 3
        and m.group().isupper()
        and m.group().strip("'") not in _ACRONYMS
        and not _IDENTIFIER_AFTER.match(prose, m.end())
    ]
    # One word in capitals is usually a name (an environment variable, a constant) unless it
    # is a word people shout; two or more read as a raised voice.
    shouted = len(capitals) >= 2 or any(w.strip("'") in _EMPHASIS for w in capitals)
    if shouted or re.search(r"[!?]{2,}", prose):
        findings.append(
            Finding(
                "shouting",
                "warning",
                "capitals or piled-up punctuation read as raised voice in text",
                "write it in sentence case with one mark; let the content carry the weight",
            )
        )
    # textstat pulls in nltk and scipy.stats (about a second): imported when a comment is
    # read, not whenever the CLI starts
    import textstat  # type: ignore[import-untyped]

    long = [s for s in _sentences(prose) if textstat.lexicon_count(s) > MAX_SENTENCE_WORDS]
    if long:
        findings.append(
            Finding(
                "long-sentence",
                "info",
                f"a sentence of {textstat.lexicon_count(long[0])} words "
                f"(more than {MAX_SENTENCE_WORDS}) is hard to act on",
                "split it: one point per sentence",
            )
        )
    elif textstat.lexicon_count(prose) >= 15 and textstat.lix(prose) > MAX_LIX:
        findings.append(
            Finding(
                "hard-to-read",
                "info",
                f"the reading level is very hard (LIX {textstat.lix(prose):.0f} > {MAX_LIX:.0f})",
                "prefer short words and short sentences",
            )
        )
    return findings


def lint_comment(comment: Comment) -> CommentReport:
    findings = _label_findings(comment)
    if comment.label is not None or comment.subject:
        findings += _content_findings(comment)
    score = max(0, 100 - sum(PENALTY[f.severity] for f in findings))
    return CommentReport(comment, tuple(findings), score)


def lint(comments: Sequence[Comment]) -> ReviewReport:
    """Lint every comment; the overall score is the mean of theirs."""
    if not comments:
        raise InputError("no review comments found; write `label: subject` blocks")
    reports = tuple(lint_comment(c) for c in comments)
    overall = round(sum(r.score for r in reports) / len(reports))
    return ReviewReport(reports, overall)


def lint_text(text: str) -> ReviewReport:
    return lint(parse(text))


def report_to_dict(report: ReviewReport) -> dict[str, object]:
    return {
        "score": report.score,
        "has_errors": report.has_errors,
        "comments": [
            {
                "line": r.comment.line,
                "label": r.comment.label,
                "decorations": list(r.comment.decorations),
                "subject": r.comment.subject,
                "score": r.score,
                "findings": [
                    {"rule": f.rule, "severity": f.severity, "message": f.message, "hint": f.hint}
                    for f in r.findings
                ],
            }
            for r in report.comments
        ],
    }
