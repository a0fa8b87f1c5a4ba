"""A self-assessment against a specialization track: the level reached in each skill with the
evidence for it, progress against a target level, claims without evidence, the next best
skill to work on, and the radar chart.

A self-assessment is one YAML file: the track, a target level, and per skill the level
reached with the evidence for it (evidence-log ids or links). The readiness rule and the
ranking of the next best skills are described in :mod:`staffpath.career.tracks`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx  # type: ignore[import-untyped]  # no stubs installed
from pydantic import ValidationError

from staffpath.career.tracks import (
    LEVELS,
    RANK,
    SLUG,
    Assessment,
    Claim,
    Level,
    TargetLevel,
    Track,
    _did_you_mean,
    _parse_yaml,
    _problem,
    _raise,
    _suggest,
    _validation_problems,
    load_tracks,
    prerequisite_graph,
)
from staffpath.design.yamltext import Located, dotted
from staffpath.errors import InputError, Problem
from staffpath.textfile import read_text


def parse_assessment(text: str, *, name: str, tracks: Mapping[str, Track]) -> Assessment:
    """A self-assessment from YAML text, checked against its track: every skill named must be
    a skill of the track (or ``other-track/skill`` of an existing track)."""
    doc = _parse_yaml(text, name, "assessment")
    data: dict[str, Any] = doc.value
    problems: list[Problem] = []
    assessment = None
    try:
        assessment = Assessment.model_validate(data)
    except ValidationError as exc:
        problems += _validation_problems(doc, exc, Assessment)
    track_id = data.get("track")
    if isinstance(track_id, str) and re.fullmatch(SLUG, track_id):
        if track_id not in tracks:
            problems.append(
                _problem(
                    doc,
                    ("track",),
                    f"no track {track_id!r}{_did_you_mean(track_id, tracks)}",
                    f"choose one of: {', '.join(tracks)}",
                )
            )
        elif isinstance(data.get("skills"), dict):
            problems += _unknown_skills(doc, tracks[track_id], data["skills"], tracks)
    _raise(name, problems)
    assert assessment is not None
    return assessment


def _unknown_skills(
    doc: Located, track: Track, skills: Mapping[str, Any], tracks: Mapping[str, Track]
) -> list[Problem]:
    ids = track.skill_ids
    problems = []
    for key in skills:
        if not isinstance(key, str) or ("/" in key and _cross_exists(key, tracks)):
            continue
        where, (line, col) = doc.where(("skills", key), key=True)
        if "/" in key:
            message = f"no skill {key!r} in the tracks"
            hint = "write other-track/skill with ids from `staffpath tracks show`"
        elif key not in ids:
            message = f"track {track.id!r} has no skill {key!r}"
            hint = f"{_suggest(key, ids)}the skills are: {', '.join(ids)}"
        else:
            continue
        problems.append(Problem(line, col, dotted(where), message, hint))
    return problems


def _cross_exists(key: str, tracks: Mapping[str, Track]) -> bool:
    other, skill = key.split("/", 1)
    return other in tracks and skill in tracks[other].skill_ids


def load_assessment(path: Path, tracks: Mapping[str, Track] | None = None) -> Assessment:
    text = read_text(path, what="assessment file (assessment.yaml)")
    return parse_assessment(
        text, name=str(path), tracks=load_tracks() if tracks is None else tracks
    )


def blank_assessment(track: Track, *, target: TargetLevel = "senior") -> str:
    """The YAML of an assessment with every skill at none and no evidence, to fill in."""
    lines = [
        f"# Self-assessment for the {track.title} track (staffpath tracks show {track.id}).",
        "# For each skill: the level you have reached (none, mid, senior or staff) and the",
        "# evidence for it (evidence-log ids or links). A level without evidence is flagged.",
        f"track: {track.id}",
        f"target: {target}  # mid, senior or staff",
        "skills:",
    ]
    for s in track.skills:
        lines += [f"  {s.id}:  # {s.title}", "    level: none", "    evidence: []"]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------- computing


@dataclass(frozen=True, slots=True)
class SkillProgress:
    id: str
    title: str
    level: Level
    target: TargetLevel
    progress: float  # min(level, target) / target, 0 to 1
    backed: bool  # some evidence, or nothing claimed
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """A level claimed without evidence: why it matters and what to do."""

    skill: str
    rule: str
    reason: str
    suggestion: str


@dataclass(frozen=True, slots=True)
class NextSkill:
    id: str
    title: str
    level: Level
    aim: Level  # the next level up
    gap: int  # levels to the target
    unlocks: tuple[str, ...]  # descendants still below the target
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Blocked:
    id: str
    title: str
    aim: Level
    waiting_on: tuple[tuple[str, Level], ...]  # (prerequisite, its level now)


@dataclass(frozen=True, slots=True)
class Report:
    track: str
    title: str
    target: TargetLevel
    skills: tuple[SkillProgress, ...]
    overall: float  # the claimed levels against the target, 0 to 1
    backed_overall: float  # the same, counting only levels with evidence
    findings: tuple[Finding, ...] = ()
    next: tuple[NextSkill, ...] = ()
    blocked: tuple[Blocked, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "track": self.track,
            "title": self.title,
            "target": self.target,
            "overall": round(self.overall, 4),
            "backed_overall": round(self.backed_overall, 4),
            "skills": [
                {
                    "id": s.id,
                    "title": s.title,
                    "level": s.level,
                    "progress": round(s.progress, 4),
                    "backed": s.backed,
                    "evidence": list(s.evidence),
                }
                for s in self.skills
            ],
            "findings": [
                {"skill": f.skill, "rule": f.rule, "reason": f.reason, "suggestion": f.suggestion}
                for f in self.findings
            ],
            "next": [
                {
                    "skill": n.id,
                    "title": n.title,
                    "level": n.level,
                    "aim": n.aim,
                    "gap": n.gap,
                    "unlocks": list(n.unlocks),
                    "reasons": list(n.reasons),
                }
                for n in self.next
            ],
            "blocked": [
                {
                    "skill": b.id,
                    "aim": b.aim,
                    "waiting_on": [{"skill": s, "level": lv} for s, lv in b.waiting_on],
                }
                for b in self.blocked
            ],
        }


def progress(track: Track, assessment: Assessment) -> tuple[list[SkillProgress], float, float]:
    """Per skill ``min(level, target) / target``; overall the sum of the capped levels over
    ``target x skills``; the backed overall counts a level only when it has evidence."""
    target = RANK[assessment.target]
    rows, total, backed_total = [], 0, 0
    for s in track.skills:
        claim = assessment.skills.get(s.id, Claim())
        reached = min(RANK[claim.level], target)
        backed = claim.level == "none" or bool(claim.evidence)
        total += reached
        backed_total += reached if backed else 0
        rows.append(
            SkillProgress(
                s.id,
                s.title,
                claim.level,
                assessment.target,
                reached / target,
                backed,
                tuple(claim.evidence),
            )
        )
    whole = target * len(track.skills)
    return rows, total / whole, backed_total / whole


def unbacked(track: Track, assessment: Assessment) -> list[Finding]:
    out = []
    for s in track.skills:
        claim = assessment.skills.get(s.id)
        if claim is None or claim.level == "none" or claim.evidence:
            continue
        out.append(
            Finding(
                s.id,
                "unbacked",
                f"{s.title}: {claim.level} is claimed without evidence",
                f"Link the work that shows it (an evidence-log id or a link); at {claim.level} "
                f"it looks like this: {getattr(s.levels, claim.level)}",
            )
        )
    return out


def next_best(track: Track, assessment: Assessment) -> tuple[list[NextSkill], list[Blocked]]:
    """The ready skills ranked (see the module docstring for the rule) and the blocked ones
    with the prerequisites they wait on."""
    target = RANK[assessment.target]
    graph = prerequisite_graph(track)
    order = {sid: i for i, sid in enumerate(track.skill_ids)}
    ready: list[tuple[tuple[int, int, int], NextSkill]] = []
    blocked: list[Blocked] = []
    for s in track.skills:
        level = assessment.level(s.id)
        if level >= target:
            continue
        aim = level + 1
        waiting: list[tuple[str, Level]] = []
        assumed: list[str] = []
        for p in s.prerequisites:
            if "/" in p and p not in assessment.skills:
                assumed.append(p)
            elif assessment.level(p) < aim:
                waiting.append((p, LEVELS[assessment.level(p)]))
        if waiting:
            blocked.append(Blocked(s.id, s.title, LEVELS[aim], tuple(waiting)))
            continue
        unlocks = tuple(
            sorted(
                (d for d in nx.descendants(graph, s.id) if assessment.level(d) < target),
                key=order.__getitem__,
            )
        )
        gap = target - level
        reasons = [
            (
                f"unlocks {len(unlocks)} skill{'s' if len(unlocks) != 1 else ''} downstream "
                f"still below {assessment.target}: {', '.join(unlocks)}"
                if unlocks
                else f"unlocks no skill downstream still below {assessment.target}"
            ),
            f"gap of {gap} level{'s' if gap != 1 else ''} ({LEVELS[level]} -> {assessment.target})",
        ]
        in_track = [p for p in s.prerequisites if "/" not in p or p in assessment.skills]
        if in_track:
            reasons.append(f"prerequisites at {LEVELS[aim]} or above: {', '.join(in_track)}")
        else:
            reasons.append("no prerequisites to wait for")
        if assumed:
            reasons.append(f"assumed met (another track, not assessed): {', '.join(assumed)}")
        item = NextSkill(s.id, s.title, LEVELS[level], LEVELS[aim], gap, unlocks, tuple(reasons))
        ready.append(((-len(unlocks), -gap, order[s.id]), item))
    ready.sort(key=lambda t: t[0])
    return [item for _, item in ready], blocked


def assess(track: Track, assessment: Assessment) -> Report:
    if assessment.track != track.id:
        raise InputError(f"the assessment is for track {assessment.track!r}, not {track.id!r}")
    rows, overall, backed = progress(track, assessment)
    ranked, blocked = next_best(track, assessment)
    return Report(
        track.id,
        track.title,
        assessment.target,
        tuple(rows),
        overall,
        backed,
        tuple(unbacked(track, assessment)),
        tuple(ranked),
        tuple(blocked),
    )


def radar(track: Track, assessment: Assessment) -> dict[str, Any]:
    """The radar chart (a Vega-Lite specification) of the assessed levels against the
    target, one axis per skill of the track."""
    from staffpath.report.radar import radar_spec

    return radar_spec(
        [s.title for s in track.skills],
        current=[assessment.level(s.id) for s in track.skills],
        target=[RANK[assessment.target]] * len(track.skills),
        maximum=len(LEVELS) - 1,
        rings=LEVELS[1:],
        title=f"{track.title}: your levels against {assessment.target}",
        target_name=f"target ({assessment.target})",
        current_name="you now",
    )


def unknown_evidence(assessment: Assessment, known: Collection[str]) -> list[Finding]:
    """Evidence named by an id (not a link) that the evidence log does not hold: a claim
    backed by a record that is not there is not backed."""
    out = []
    for skill, claim in assessment.skills.items():
        missing = [e for e in claim.evidence if "://" not in e and e not in known]
        if missing:
            out.append(
                Finding(
                    skill=skill,
                    rule="unknown-evidence",
                    reason=f"evidence {', '.join(missing)} is not in the evidence log",
                    suggestion="add the win to the evidence log (staffpath evidence add), or "
                    "correct the id",
                )
            )
    return out
