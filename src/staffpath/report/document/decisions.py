"""The "Decisions and trade-offs" section: the design's ADRs with their chains of supersession."""

from __future__ import annotations

from staffpath.design.decisions import superseded_by, supersession_chains
from staffpath.design.model import Decision, Design

STATUS = {
    "proposed": "Proposed",
    "accepted": "Accepted",
    "superseded": "Superseded",
    "deprecated": "Deprecated",
}


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _para(text: str) -> str:
    return _esc(" ".join(text.split()))


def render(design: Design) -> list[str]:
    """Markdown lines for the section (a short note when the design records no decisions)."""
    out = ["## Decisions and trade-offs", ""]
    if not design.decisions:
        return [
            *out,
            "The design records no decisions. Add a `decisions:` section (architecture "
            "decision records: context, options with pros and cons, the choice and its "
            "consequences) to have them here.",
            "",
        ]
    by_id = {d.id: d for d in design.decisions}
    after = superseded_by(design.decisions)
    chains = [c for c in supersession_chains(design.decisions) if len(c) > 1]
    in_force = [d for d in design.decisions if d.status == "accepted" and after[d.id] is None]
    out += [
        f"{len(design.decisions)} decisions recorded; {len(in_force)} in force"
        + (f": {', '.join(f'`{d.id}`' for d in in_force)}." if in_force else "."),
        "",
    ]
    if chains:
        out += ["Chains of supersession (oldest first):", ""]
        out += [
            "- " + " → ".join(f"`{k}` {_esc(by_id[k].title)} ({by_id[k].status})" for k in chain)
            for chain in chains
        ]
        out.append("")
    for d in design.decisions:
        out += _record(d, after[d.id])
    return out


def _record(d: Decision, replaced_by: str | None) -> list[str]:
    meta = [STATUS[d.status]]
    if d.date is not None:
        meta.append(str(d.date))
    if d.supersedes:
        meta.append("supersedes " + ", ".join(f"`{k}`" for k in d.supersedes))
    if replaced_by is not None:
        meta.append(f"superseded by `{replaced_by}`")
    out = [f"### {_esc(d.id)}: {_esc(d.title)}", "", f"*{' · '.join(meta)}*", ""]
    out += [f"**Context.** {_para(d.context)}", ""]
    out += ["**Options.**", ""]
    for opt in d.options:
        taken = " (chosen)" if d.chosen == opt.name else ""
        out.append(f"- **{_esc(opt.name)}**{taken}")
        out += [f"  - pro: {_para(p)}" for p in opt.pros]
        out += [f"  - con: {_para(c)}" for c in opt.cons]
    out.append("")
    out += [f"**Decision.** {_para(d.decision)}", ""]
    out += ["**Consequences.**", ""]
    out += [f"- {_para(c)}" for c in d.consequences]
    return [*out, ""]
