"""What the studio does with each kind of career document: how its text is checked, what
its report shows, which pictures it has, and which open formats it exports to.

A career document in the studio is the same text as its file on disk (``career/*.yaml``,
``resume.json``), so the CLI and the studio read each other's work. Every kind parses the
text with the career package's own parser; a user's mistake arrives as a
:class:`~staffpath.errors.UserError` whose lines are ``name:line:column: message`` and comes
back to the page as located problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from staffpath.errors import DesignError, UserError

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "career"
Report = Callable[[str, date], dict[str, Any]]
Picture = Callable[[str, date], str]
Exporter = Callable[[str, date], bytes]


@dataclass(frozen=True)
class Export:
    label: str
    filename: str
    media_type: str
    make: Exporter


@dataclass(frozen=True)
class Kind:
    id: str
    title: str
    file: str  # the file name it has on disk, e.g. career/evidence.yaml
    format: Literal["yaml", "json"]
    blurb: str
    report: Report  # raises UserError on a text that does not parse
    example: str = ""  # the example file's name under examples/career
    pictures: dict[str, Picture] = field(default_factory=dict)
    exports: dict[str, Export] = field(default_factory=dict)

    def starter(self) -> str:
        path = EXAMPLES / self.example
        return path.read_text(encoding="utf-8") if self.example and path.is_file() else ""


_LOCATED = re.compile(r"^(?P<name>[^:\n]*):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$")


def problems_of(exc: UserError) -> list[dict[str, Any]]:
    """The problems in a career parser's error, located where the message says."""
    if isinstance(exc, DesignError):
        return [
            {
                "line": p.line,
                "column": p.column,
                "path": p.path,
                "message": p.message,
                "hint": p.hint,
                "severity": p.severity,
            }
            for p in exc.problems
        ]
    out = []
    for line in str(exc).splitlines():
        m = _LOCATED.match(line)
        if m:
            out.append(
                {
                    "line": int(m["line"]),
                    "column": int(m["column"]),
                    "message": m["message"],
                    "severity": "error",
                }
            )
        elif line.strip():
            out.append(
                {"line": 0, "column": 0, "message": line.split(": ", 1)[-1], "severity": "error"}
            )
    return out


# --- kinds ------------------------------------------------------------------------------------


def _assessment(text: str, today: date) -> dict[str, Any]:
    from staffpath.career import tracks as tr

    tracks = tr.load_tracks()
    assessment = tr.parse_assessment(text, name="assessment.yaml", tracks=tracks)
    return tr.assess(tracks[assessment.track], assessment).to_dict()


def _assessment_radar(text: str, today: date) -> str:
    from staffpath.career import tracks as tr
    from staffpath.report.charts import to_svg

    tracks = tr.load_tracks()
    assessment = tr.parse_assessment(text, name="assessment.yaml", tracks=tracks)
    return to_svg(tr.radar(tracks[assessment.track], assessment))


def _mentoring(text: str, today: date) -> dict[str, Any]:
    from staffpath.career import mentorship as m
    from staffpath.career.tracks import load_tracks

    skills = {f"{t.id}/{s}" for t in load_tracks().values() for s in t.skill_ids}
    log = m.parse_mentoring(text, name="mentoring.yaml", known_skills=skills)
    return {
        "mentees": [s.to_dict() for s in m.summarise(log, today=today)],
        "due": [i.to_dict() for i in m.due_items(log, today=today)],
        "evidence": [r.to_dict() for r in m.mentoring_evidence(log, today=today)],
    }


KINDS: dict[str, Kind] = {
    k.id: k
    for k in (
        Kind(
            id="assessment",
            title="Track assessment",
            file="career/assessment.yaml",
            format="yaml",
            blurb="Your level in each skill of a specialization track, with the evidence for it.",
            report=_assessment,
            example="assessment.yaml",
            pictures={"radar": _assessment_radar},
        ),
        Kind(
            id="mentoring",
            title="Mentoring log",
            file="career/mentoring.yaml",
            format="yaml",
            blurb="Mentees, their goals, sessions and action items.",
            report=_mentoring,
            example="mentoring.yaml",
        ),
    )
}
