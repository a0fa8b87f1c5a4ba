"""Specialization tracks: skills with prerequisites and level expectations, a self-assessment
backed by evidence, progress against a target level, and the next best skill to work on.

A track is one YAML file in ``data/tracks/`` (the file stem is its id). Each skill says what
mid, senior and staff look like; its prerequisites are skills of the same track, or of another
track written ``track/skill``. The prerequisites form a directed graph (prerequisite ->
skill) that must have no cycle.

A self-assessment (:mod:`.assessment`) is one YAML file: the track, a target level, and per
skill the level reached with the evidence for it (evidence-log ids or links).

Levels are ordered ``none < mid < senior < staff`` (0 to 3).

**The readiness rule.** To work on a skill you aim at its next level (one above where you
are). You are ready when every prerequisite in the track has already reached at least that
level: a skill is never built above its foundations (senior work on exactly-once processing
rests on senior-level delivery semantics). A prerequisite from another track counts only
when the assessment lists it (``other-track/skill: {level: ...}``); otherwise it is assumed
met and the reasons say so.

**The ranking.** Among the ready skills below the target: first the ones that unlock the
most skills downstream that are still below the target (networkx descendants in the
prerequisite graph), then the larger gap to the target, then the track's own order.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import networkx as nx  # type: ignore[import-untyped]  # no stubs installed
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from staffpath.design.yamltext import Located, YamlProblem, dotted, parse
from staffpath.errors import InputError, Problem
from staffpath.practice.problems import problem_ids

TRACKS = Path(__file__).resolve().parent.parent / "data" / "tracks"

Level = Literal["none", "mid", "senior", "staff"]
TargetLevel = Literal["mid", "senior", "staff"]
LEVELS: tuple[Level, ...] = get_args(Level)
RANK: dict[str, int] = {name: i for i, name in enumerate(LEVELS)}
MIN_SKILLS, MAX_SKILLS = 8, 12

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG)]
SkillRef = Annotated[
    str, StringConstraints(pattern=r"^([a-z0-9]+(-[a-z0-9]+)*/)?[a-z0-9]+(-[a-z0-9]+)*$")
]
Evidence = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, pattern=r"^(https?://\S+|[A-Za-z0-9][A-Za-z0-9._-]*)$"
    ),
]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Link = Annotated[str, StringConstraints(pattern=r"^https://\S+$")]

# What a pattern wants, in words, by the name of the field that failed it.
_PATTERNS = {
    "id": "a lower-case id with dashes, such as 'delivery-semantics'",
    "track": "a track id such as 'backend-messaging'",
    "problem": "a design problem id such as 'chat'",
    "url": "an https:// link",
    "evidence": "an evidence-log id (letters, digits, '-', '_', '.') or an http(s) link",
    "prerequisites": "a skill id, or 'track/skill' for a skill of another track",
    "skills": "a skill id, or 'track/skill' for a skill of another track",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expectations(_Strict):
    """What the skill looks like at each level: concrete, observable behaviour."""

    mid: Line
    senior: Line
    staff: Line


class Skill(_Strict):
    id: Slug
    title: Line
    what: Line
    prerequisites: list[SkillRef] = Field(default_factory=list)
    levels: Expectations


class Resource(_Strict):
    title: Line
    url: Link
    kind: Literal["book", "paper", "talk", "docs", "course"]
    by: Text = ""
    skills: list[Slug] = Field(default_factory=list)


class Project(_Strict):
    """A portfolio project: something to build and show, checkable when done."""

    id: Slug
    title: Line
    brief: Line
    acceptance: Annotated[list[Line], Field(min_length=2)]
    skills: Annotated[list[Slug], Field(min_length=1)]
    problem: Slug | None = None


class Track(_Strict):
    id: Slug
    title: Line
    summary: Line
    skills: Annotated[list[Skill], Field(min_length=MIN_SKILLS, max_length=MAX_SKILLS)]
    resources: Annotated[list[Resource], Field(min_length=1)]
    projects: Annotated[list[Project], Field(min_length=1)]

    def skill(self, skill_id: str) -> Skill:
        for s in self.skills:
            if s.id == skill_id:
                return s
        raise KeyError(skill_id)

    @property
    def skill_ids(self) -> list[str]:
        return [s.id for s in self.skills]


class Claim(_Strict):
    """One skill's self-assessed level and what backs it."""

    level: Level = "none"
    evidence: list[Evidence] = Field(default_factory=list)
    note: Text = ""


class Assessment(_Strict):
    track: Slug
    target: TargetLevel
    skills: dict[SkillRef, Claim] = Field(default_factory=dict)

    def level(self, skill_id: str) -> int:
        claim = self.skills.get(skill_id)
        return RANK[claim.level] if claim else 0


# ------------------------------------------------------------------------- located errors


def _closest(name: str, choices: Collection[str]) -> str | None:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _did_you_mean(name: str, choices: Collection[str]) -> str:
    close = _closest(name, choices)
    return f" (did you mean {close!r}?)" if close else ""


def _suggest(name: str, choices: Collection[str]) -> str:
    close = _closest(name, choices)
    return f"did you mean {close!r}? " if close else ""


def _model_for(root: type[BaseModel], loc: Sequence[str | int]) -> Any:
    """The model class reached by following ``loc`` (field names, list indices, dict keys)
    from ``root``; None when the walk leaves the models."""
    current: Any = root
    skip = 0
    for seg in loc:
        if skip:
            skip -= 1
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        if not isinstance(seg, str) or seg not in current.model_fields:
            return None
        ann: Any = current.model_fields[seg].annotation
        while True:
            origin = get_origin(ann)
            if origin is Annotated:
                ann = get_args(ann)[0]
            elif origin in (Union, UnionType):
                ann = next((a for a in get_args(ann) if a is not type(None)), None)
            elif origin in (list, dict):
                ann = get_args(ann)[-1]
                skip += 1
            else:
                break
        current = ann
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _problem(
    doc: Located, loc: tuple[str | int, ...], message: str, hint: str, *, key: bool = False
) -> Problem:
    _, (line, col) = doc.where(loc, key=key)
    return Problem(line, col, dotted(loc), message, hint)


def _validation_problems(
    doc: Located, exc: ValidationError, root: type[BaseModel]
) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        found = err.get("input")
        last = next((s for s in reversed(loc) if isinstance(s, str)), "")
        if kind == "missing":
            msg, hint = "required, but missing", f"add '{last}:'"
        elif kind == "extra_forbidden":
            parent = _model_for(root, loc[:-1])
            fields = ", ".join(parent.model_fields) if parent is not None else "see docs/tracks.md"
            msg = f"unknown field {last!r}"
            known = parent.model_fields if parent is not None else ()
            hint = f"{_suggest(last, known)}expected one of: {fields}"
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            msg, hint = f"expected one of {expected}, found {found!r}", "write one of those words"
        elif kind == "string_pattern_mismatch":
            field_name = next(
                (s for s in reversed(loc) if isinstance(s, str) and s in _PATTERNS), last
            )
            want = _PATTERNS.get(field_name, "text in the expected form")
            msg, hint = f"expected {want}, found {found!r}", "write it in that form"
        elif kind in ("too_short", "too_long"):
            ctx = err.get("ctx", {})
            bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
            word = "at least" if kind == "too_short" else "at most"
            msg = f"expected {word} {bound} items, found {ctx.get('actual_length')}"
            hint = "add items" if kind == "too_short" else "split or trim the list"
        elif kind == "string_too_short":
            msg, hint = "must not be empty", "write the text"
        elif kind in (
            "string_type",
            "list_type",
            "dict_type",
            "model_type",
            "model_attributes_type",
        ):
            expected = {
                "string_type": "text",
                "list_type": "a list",
                "dict_type": "a mapping",
            }.get(kind, "a mapping of fields")
            msg, hint = f"expected {expected}, found {found!r}", "see docs/tracks.md for the format"
        else:
            msg, hint = str(err["msg"]), "see docs/tracks.md for the format"
        problems.append(_problem(doc, loc, msg, hint, key=kind == "extra_forbidden"))
    return problems


def _raise(name: str, problems: Sequence[Problem]) -> None:
    if problems:
        ordered = sorted(problems, key=lambda p: (p.line, p.column, p.path, p.message))
        raise InputError("\n".join(p.render(name) for p in ordered))


def _parse_yaml(text: str, name: str, what: str) -> Located:
    try:
        doc = parse(text)
    except YamlProblem as exc:
        p = exc.problem
        if p.message == "the design is empty":
            p = Problem(1, 1, "", f"the {what} is empty", "see docs/tracks.md for the format")
        _raise(name, [p])
        raise AssertionError("unreachable") from None
    if not isinstance(doc.value, dict):
        found = type(doc.value).__name__
        _raise(
            name,
            [
                Problem(
                    1, 1, "", f"expected a mapping of fields, found {found}", "see docs/tracks.md"
                )
            ],
        )
    return doc


# ----------------------------------------------------------------------------------- tracks


def prerequisite_graph(track: Track) -> nx.DiGraph:
    """Skills as nodes (in track order), an edge prerequisite -> skill for each in-track
    prerequisite."""
    graph = nx.DiGraph()
    graph.add_nodes_from(track.skill_ids)
    for s in track.skills:
        for p in s.prerequisites:
            if "/" not in p:
                graph.add_edge(p, s.id)
    return graph


def _track_problems(doc: Located, track: Track, problems: Collection[str]) -> list[Problem]:
    out: list[Problem] = []
    ids = track.skill_ids
    seen: dict[str, int] = {}
    for i, s in enumerate(track.skills):
        if s.id in seen:
            out.append(
                _problem(
                    doc,
                    ("skills", i, "id"),
                    f"duplicate skill id {s.id!r} (also skills[{seen[s.id]}])",
                    "give each skill its own id",
                )
            )
        seen.setdefault(s.id, i)
        for j, p in enumerate(s.prerequisites):
            if "/" in p:
                continue
            if p not in ids:
                out.append(
                    _problem(
                        doc,
                        ("skills", i, "prerequisites", j),
                        f"skill {s.id!r} needs {p!r}, which is not a skill of this track"
                        f"{_did_you_mean(p, ids)}",
                        "name a skill id of this track, or 'track/skill' for another track's",
                    )
                )
    project_ids: dict[str, int] = {}
    for i, proj in enumerate(track.projects):
        if proj.id in project_ids:
            out.append(
                _problem(
                    doc, ("projects", i, "id"), f"duplicate project id {proj.id!r}", "rename one"
                )
            )
        project_ids.setdefault(proj.id, i)
        for j, sk in enumerate(proj.skills):
            if sk not in ids:
                out.append(
                    _problem(
                        doc,
                        ("projects", i, "skills", j),
                        f"unknown skill {sk!r}{_did_you_mean(sk, ids)}",
                        "name a skill id of this track",
                    )
                )
        if proj.problem is not None and proj.problem not in problems:
            out.append(
                _problem(
                    doc,
                    ("projects", i, "problem"),
                    f"no design problem {proj.problem!r}{_did_you_mean(proj.problem, problems)}",
                    "see `staffpath problems list` for the ids",
                )
            )
    for i, res in enumerate(track.resources):
        for j, sk in enumerate(res.skills):
            if sk not in ids:
                out.append(
                    _problem(
                        doc,
                        ("resources", i, "skills", j),
                        f"unknown skill {sk!r}{_did_you_mean(sk, ids)}",
                        "name a skill id of this track",
                    )
                )
    if not out:
        graph = prerequisite_graph(track)
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            cycle = []
        if cycle:
            # find_cycle gives edges prerequisite -> skill; say it the way people read it:
            # the first skill needs the next, which needs the next, back to the first.
            needs = [cycle[0][0]] + [u for u, _ in reversed(cycle)]
            first = needs[0]
            at = ids.index(first)
            j = track.skill(first).prerequisites.index(needs[1])
            out.append(
                _problem(
                    doc,
                    ("skills", at, "prerequisites", j),
                    "prerequisites form a cycle (each needs the next): " + " -> ".join(needs),
                    "a skill cannot need itself, even through others: "
                    "remove one of these prerequisites",
                )
            )
    return out


def parse_track(text: str, *, name: str, problems: Collection[str] | None = None) -> Track:
    """A track from YAML text, checked: the model, in-track references, problem ids and
    cycles. Every problem is reported at once as ``name:line:column: field: message (hint)``.
    References to other tracks are checked by :func:`check_cross_references`."""
    doc = _parse_yaml(text, name, "track")
    try:
        track = Track.model_validate(doc.value)
    except ValidationError as exc:
        _raise(name, _validation_problems(doc, exc, Track))
        raise AssertionError("unreachable") from None
    known = set(problem_ids()) if problems is None else set(problems)
    _raise(name, _track_problems(doc, track, known))
    return track


def check_cross_references(tracks: Mapping[str, Track]) -> list[str]:
    """Problems with ``track/skill`` prerequisites across ``tracks`` (empty when all resolve)."""
    out = []
    for track in tracks.values():
        for s in track.skills:
            for p in s.prerequisites:
                if "/" not in p:
                    continue
                other, skill = p.split("/", 1)
                if other not in tracks:
                    out.append(
                        f"{track.id}: skill {s.id!r} needs {p!r}, but there is no track {other!r}"
                        f"{_did_you_mean(other, tracks)}"
                    )
                elif skill not in tracks[other].skill_ids:
                    out.append(
                        f"{track.id}: skill {s.id!r} needs {p!r}, but track {other!r} has no skill "
                        f"{skill!r}{_did_you_mean(skill, tracks[other].skill_ids)}"
                    )
    return out


def load_track_file(path: Path) -> Track:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    track = parse_track(text, name=str(path))
    if track.id != path.stem:
        raise InputError(f"{path}: id {track.id!r} differs from the file name; rename one")
    return track


@cache
def load_tracks() -> dict[str, Track]:
    """Every shipped track by id, in file-name order, with cross-track references checked."""
    tracks = {p.stem: load_track_file(p) for p in sorted(TRACKS.glob("*.yaml"))}
    problems = check_cross_references(tracks)
    if problems:
        raise InputError("\n".join(problems))
    return tracks


def load_track(track_id: str) -> Track:
    tracks = load_tracks()
    if track_id not in tracks:
        raise InputError(
            f"no track {track_id!r}{_did_you_mean(track_id, tracks)}; "
            f"the tracks are: {', '.join(tracks)}"
        )
    return tracks[track_id]
