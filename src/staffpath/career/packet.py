"""The self-review (promotion) packet from the evidence log: a summary table of competencies,
then every win under its first competency, as Markdown with the author's text escaped, and as
PDF through the design document's Markdown-to-Typst route (every piece of text a string
literal, so nothing the author writes can become Typst markup)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from staffpath.career.evidence import Record
from staffpath.errors import InputError
from staffpath.practice.stories import COMPETENCIES

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<#~]|&(?=#?\w+;))")


def md_text(text: str) -> str:
    """``text`` as literal Markdown: every character Markdown could read as syntax escaped,
    and line starts that would open a list, quote or heading neutralised."""
    out = []
    for line in text.splitlines() or [""]:
        line = _MD_SPECIAL.sub(r"\\\1", line.strip())
        line = re.sub(r"^([-+=>])", r"\\\1", line)
        line = re.sub(r"^(\d+)([.)])", r"\1\\\2", line)
        out.append(line)
    return " ".join(x for x in out if x)


def _period(dates: Sequence[date]) -> str:
    lo, hi = min(dates), max(dates)
    return lo.isoformat() if lo == hi else f"{lo.isoformat()} to {hi.isoformat()}"


@dataclass(frozen=True, slots=True)
class Group:
    competency: str
    records: tuple[Record, ...]


def groups(records: Sequence[Record]) -> list[Group]:
    """Each record under its first competency (untagged ones last), in the story bank's
    order of competencies; within a group by date."""
    order = [*COMPETENCIES, "untagged"]
    found: dict[str, list[Record]] = {}
    for r in sorted(records, key=lambda r: (r.evidence.date, r.evidence.id)):
        key = r.evidence.competencies[0] if r.evidence.competencies else "untagged"
        found.setdefault(key, []).append(r)
    return [Group(c, tuple(found[c])) for c in order if c in found]


def summary(records: Sequence[Record]) -> list[dict[str, Any]]:
    """Competency x wins showing it (any position) x the period they span."""
    rows = []
    for c in COMPETENCIES:
        tagged = [r.evidence.date for r in records if c in r.evidence.competencies]
        if tagged:
            rows.append({"competency": c, "wins": len(tagged), "period": _period(tagged)})
    return rows


def packet_markdown(
    records: Sequence[Record],
    *,
    title: str = "Self-review packet",
    since: date | None = None,
    until: date | None = None,
) -> str:
    """The promotion / self-review packet: a summary table, then every win under its first
    competency. The author's text is escaped, so it reads literally."""
    if not records:
        raise InputError("no evidence in the period: widen --since / --until")
    dates = [r.evidence.date for r in records]
    lo, hi = since or min(dates), until or max(dates)
    n = len(records)
    out = [f"# {md_text(title)}\n\n"]
    out.append(
        f"{n} {'win' if n == 1 else 'wins'} from {lo.isoformat()} to {hi.isoformat()}, each "
        "listed under the first competency it shows.\n\n"
    )
    out.append("## Summary\n\n| competency | wins | period |\n|---|--:|---|\n")
    out += [f"| {r['competency']} | {r['wins']} | {r['period']} |\n" for r in summary(records)]
    untagged = sum(not r.evidence.competencies for r in records)
    if untagged:
        out.append(
            f"| untagged | {untagged} | {_period([r.evidence.date for r in records if not r.evidence.competencies])} |\n"
        )
    for g in groups(records):
        out.append(f"\n## {g.competency.capitalize()}\n")
        for r in g.records:
            ev = r.evidence
            out.append(f"\n### {ev.date.isoformat()}: {md_text(ev.headline)}\n\n")
            lines = [f"**What I did:** {md_text(ev.what)}"]
            if ev.why:
                lines.append(f"**Why it mattered:** {md_text(ev.why)}")
            lines.append(
                f"**Measured:** {md_text(ev.metric)}" if ev.metric else "**Measured:** (no metric)"
            )
            if ev.people:
                lines.append("**With:** " + ", ".join(md_text(p) for p in ev.people))
            if len(ev.competencies) > 1:
                lines.append("**Also shows:** " + ", ".join(ev.competencies[1:]))
            if ev.skills:
                lines.append("**Track skills:** " + ", ".join(ev.skills))
            if ev.links:
                lines.append("**Links:** " + ", ".join(f"<{u}>" for u in ev.links))
            out.append("".join(f"- {line}\n" for line in lines))
    return "".join(out)


def packet_pdf(markdown: str, *, title: str = "Self-review packet") -> bytes:
    """The packet as PDF, through the design document's Markdown-to-Typst route."""
    from staffpath.report.document.pdf import render

    return render(markdown, {}, title=title)
