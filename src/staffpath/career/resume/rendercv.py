"""Export to RenderCV's YAML input, so a resume can also be typeset by RenderCV's themes.

The format was checked against RenderCV's own models (rendercv/rendercv on GitHub,
``src/rendercv/schema/models/cv/``: ``cv.py``, ``social_network.py`` and ``entries/``, the
2.x series; ``__version__ = "2.6"`` in the source read). We write only the ``cv:`` part; RenderCV
fills ``design``, ``locale`` and ``settings`` with its defaults. We do not install RenderCV
(it needs Python >= 3.12); the golden test reads the file back with a YAML parser and checks
the entry types RenderCV infers from the keys:

- ExperienceEntry: ``company``, ``position`` (+ dates, ``location``, ``summary``, ``highlights``)
- EducationEntry: ``institution``, ``area`` (+ ``degree``)
- NormalEntry: ``name``; PublicationEntry: ``title``, ``authors``
- OneLineEntry: ``label``, ``details``; TextEntry: a plain string

Dates stay as JSON Resume writes them (YYYY, YYYY-MM, YYYY-MM-DD), which RenderCV accepts; an
entry with a start and no end is ongoing in both formats. Profiles on networks RenderCV does
not know are left out and listed in the notes. RenderCV reads Markdown in text fields, so
``*`` or ``_`` in the author's text may render as emphasis there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

RENDERCV_VERSION = "2.x (models read at version 2.6)"
NETWORKS = (
    "LinkedIn",
    "GitHub",
    "GitLab",
    "IMDB",
    "Instagram",
    "ORCID",
    "Mastodon",
    "StackOverflow",
    "ResearchGate",
    "YouTube",
    "Google Scholar",
    "Telegram",
    "Leetcode",
    "X",
)
HEADER = (
    "# RenderCV input written by staffpath from a JSON Resume.\n"
    f"# Format: RenderCV {RENDERCV_VERSION}; see https://docs.rendercv.com\n"
    "# Render it with: rendercv render <this file>\n"
)


@dataclass(frozen=True, slots=True)
class Export:
    yaml: str
    notes: tuple[str, ...]


def _clean(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if v not in (None, "", [])}


def _dates(item: dict[str, Any], start: str = "startDate", end: str = "endDate") -> dict[str, Any]:
    return {"start_date": item.get(start), "end_date": item.get(end)}


def to_rendercv(resume: dict[str, Any]) -> Export:
    basics = resume.get("basics", {})
    notes: list[str] = []
    loc = basics.get("location", {})
    cv: dict[str, Any] = {
        "name": basics.get("name"),
        "location": ", ".join(
            p for p in (loc.get("city"), loc.get("region"), loc.get("countryCode")) if p
        ),
        "email": basics.get("email"),
        "phone": basics.get("phone"),
        "website": basics.get("url"),
    }
    networks = {n.casefold(): n for n in NETWORKS}
    social = []
    for i, profile in enumerate(basics.get("profiles", [])):
        network = networks.get(profile["network"].casefold())
        if network is None or not profile.get("username"):
            notes.append(
                f"basics.profiles[{i}] ({profile['network']}): left out; RenderCV knows "
                f"{', '.join(NETWORKS)} and needs a username"
            )
            continue
        social.append({"network": network, "username": profile["username"]})
    cv["social_networks"] = social
    cv = _clean(cv)

    sections: dict[str, list[Any]] = {}
    if basics.get("summary"):
        sections["summary"] = [basics["summary"]]
    sections["experience"] = [
        _clean(
            {
                "company": w["name"],
                "position": w["position"],
                "location": w.get("location"),
                **_dates(w),
                "summary": w.get("summary"),
                "highlights": w.get("highlights"),
            }
        )
        for w in resume.get("work", [])
    ]
    sections["projects"] = [
        _clean(
            {
                "name": p["name"],
                **_dates(p),
                "summary": p.get("description"),
                "highlights": p.get("highlights"),
                "url": p.get("url"),
            }
        )
        for p in resume.get("projects", [])
    ]
    skills = [
        _clean({"label": s["name"], "details": ", ".join(s.get("keywords", [])) or s.get("level")})
        for s in resume.get("skills", [])
    ]
    extra = resume.get("meta", {}).get("staffpath", {}).get("keywords", [])
    if extra:
        skills.append({"label": "Focus areas", "details": ", ".join(extra)})
    sections["skills"] = skills
    education = []
    for e in resume.get("education", []):
        area = e.get("area") or e.get("studyType") or e["institution"]
        highlights = [f"Score: {e['score']}"] if e.get("score") else []
        if e.get("courses"):
            highlights.append("Courses: " + ", ".join(e["courses"]))
        education.append(
            _clean(
                {
                    "institution": e["institution"],
                    "area": area,
                    "degree": e.get("studyType") if e.get("area") else None,
                    **_dates(e),
                    "highlights": highlights,
                }
            )
        )
    sections["education"] = education
    sections["certificates"] = [
        _clean(
            {
                "name": c["name"],
                "date": c.get("date"),
                "summary": c.get("issuer"),
                "url": c.get("url"),
            }
        )
        for c in resume.get("certificates", [])
    ]
    sections["publications"] = [
        _clean(
            {
                "title": p["name"],
                "authors": [basics.get("name", "")],
                "date": p.get("releaseDate"),
                "journal": p.get("publisher"),
                "url": p.get("url"),
                "summary": p.get("summary"),
            }
        )
        for p in resume.get("publications", [])
    ]
    sections["awards"] = [
        _clean(
            {
                "name": a["title"],
                "date": a.get("date"),
                "summary": "; ".join(x for x in (a.get("awarder"), a.get("summary")) if x),
            }
        )
        for a in resume.get("awards", [])
    ]
    sections["volunteering"] = [
        _clean(
            {
                "company": v["organization"],
                "position": v.get("position") or "Volunteer",
                **_dates(v),
                "summary": v.get("summary"),
                "highlights": v.get("highlights"),
            }
        )
        for v in resume.get("volunteer", [])
    ]
    sections["languages"] = [
        _clean({"label": lang["language"], "details": lang.get("fluency") or "-"})
        for lang in resume.get("languages", [])
    ]
    sections["interests"] = [
        _clean({"label": i["name"], "details": ", ".join(i.get("keywords", [])) or "-"})
        for i in resume.get("interests", [])
    ]
    sections["references"] = [
        _clean({"name": r["name"], "summary": r.get("reference")})
        for r in resume.get("references", [])
    ]
    cv["sections"] = {k: v for k, v in sections.items() if v}
    text = yaml.safe_dump(
        {"cv": cv}, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return Export(HEADER + text, tuple(notes))
