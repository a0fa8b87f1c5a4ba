"""The resume as PDF (or PNG pages), typeset by the ``typst`` package with our templates.

Nothing the author wrote ever becomes Typst source. Python first turns the resume into a
*view*: sections of entries whose every field is a finished string (dates already written as
``Mar 2021 – present``). The view goes to the template as JSON through ``sys.inputs``; the
template parses it with ``json(bytes(...))`` and places the strings as text values, which
Typst shows literally: ``#import``, ``]``, ``"`` or ``\\`` in a highlight are just characters.

The same view is what the ATS check (:mod:`staffpath.career.resume.ats`) expects to read
back, in the same order, so the two cannot drift apart. The templates use only the fonts the
``typst`` package bundles (system fonts are ignored), so a PDF is the same on every machine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "resume" / "templates"
TEMPLATES = ("classic", "compact")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DASH = "\u2013"


def when(value: str | None) -> str:
    """``2021`` -> ``2021``; ``2021-03`` -> ``Mar 2021``; ``2021-03-07`` -> ``7 Mar 2021``."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def span(start: str | None, end: str | None) -> str:
    """A date range; an entry with a start and no end is ongoing (``– present``)."""
    if start and end:
        return f"{when(start)} {DASH} {when(end)}"
    if start:
        return f"{when(start)} {DASH} present"
    return when(end)


@dataclass(frozen=True, slots=True)
class Entry:
    title: str = ""
    subtitle: str = ""
    dates: str = ""
    location: str = ""
    summary: str = ""
    bullets: tuple[str, ...] = ()

    def fields(self) -> list[tuple[str, str]]:
        """(field name, text) in the order the templates print them."""
        out = [
            (k, v)
            for k, v in (
                ("title", self.title),
                ("subtitle", self.subtitle),
                ("dates", self.dates),
                ("location", self.location),
                ("summary", self.summary),
            )
            if v
        ]
        return out + [(f"bullet {i + 1}", b) for i, b in enumerate(self.bullets)]


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    text: str

    def fields(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in (("label", self.label), ("text", self.text)) if v]


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    key: str  # the JSON Resume section it came from
    entries: tuple[Entry, ...] = ()
    rows: tuple[Row, ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class View:
    name: str
    headline: str
    contact: tuple[str, ...]
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        def section(s: Section) -> dict[str, Any]:
            return {
                "title": s.title,
                "key": s.key,
                "text": s.text,
                "entries": [
                    {
                        "title": e.title,
                        "subtitle": e.subtitle,
                        "dates": e.dates,
                        "location": e.location,
                        "summary": e.summary,
                        "bullets": list(e.bullets),
                    }
                    for e in s.entries
                ],
                "rows": [{"label": r.label, "text": r.text} for r in s.rows],
            }

        data = {
            "name": self.name,
            "headline": self.headline,
            "contact": list(self.contact),
            "sections": [section(s) for s in self.sections],
        }
        return json.dumps(data, ensure_ascii=False)


def _join(*parts: str | None, sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)


def _entries(items: list[dict[str, Any]], make: Any) -> tuple[Entry, ...]:
    return tuple(make(item) for item in items)


def view(resume: dict[str, Any]) -> View:
    """The resume laid out for print: what each template shows, in order."""
    basics = resume.get("basics", {})
    loc = basics.get("location", {})
    place = _join(loc.get("city"), loc.get("region"), loc.get("countryCode"))
    contact = [basics.get("email"), basics.get("phone"), place, basics.get("url")]
    contact += [
        p.get("url") or _join(p.get("network"), p.get("username"), sep=": ")
        for p in basics.get("profiles", [])
    ]
    sections: list[Section] = []
    if basics.get("summary"):
        sections.append(Section("Summary", "summary", text=basics["summary"]))
    work = _entries(
        resume.get("work", []),
        lambda w: Entry(
            w["position"],
            w["name"],
            span(w.get("startDate"), w.get("endDate")),
            w.get("location", ""),
            w.get("summary", ""),
            tuple(w.get("highlights", [])),
        ),
    )
    if work:
        sections.append(Section("Experience", "work", entries=work))
    projects = _entries(
        resume.get("projects", []),
        lambda p: Entry(
            p["name"],
            _join(*p.get("roles", []), p.get("entity")),
            span(p.get("startDate"), p.get("endDate")),
            p.get("url", ""),
            p.get("description", ""),
            tuple(p.get("highlights", [])),
        ),
    )
    if projects:
        sections.append(Section("Projects", "projects", entries=projects))
    rows = [
        Row(s["name"], _join(s.get("level"), ", ".join(s.get("keywords", [])), sep=": "))
        for s in resume.get("skills", [])
    ]
    extra = resume.get("meta", {}).get("staffpath", {}).get("keywords", [])
    if extra:
        rows.append(Row("Focus areas", ", ".join(extra)))
    if rows:
        sections.append(Section("Skills", "skills", rows=tuple(rows)))
    education = _entries(
        resume.get("education", []),
        lambda e: Entry(
            _join(e.get("studyType"), e.get("area")) or e["institution"],
            e["institution"] if (e.get("studyType") or e.get("area")) else "",
            span(e.get("startDate"), e.get("endDate")),
            "",
            _join(
                f"Score: {e['score']}" if e.get("score") else "",
                "Courses: " + ", ".join(e["courses"]) if e.get("courses") else "",
                sep="; ",
            ),
        ),
    )
    if education:
        sections.append(Section("Education", "education", entries=education))
    certificates = _entries(
        resume.get("certificates", []),
        lambda c: Entry(c["name"], c.get("issuer", ""), when(c.get("date"))),
    )
    if certificates:
        sections.append(Section("Certificates", "certificates", entries=certificates))
    publications = _entries(
        resume.get("publications", []),
        lambda p: Entry(
            p["name"], p.get("publisher", ""), when(p.get("releaseDate")), "", p.get("summary", "")
        ),
    )
    if publications:
        sections.append(Section("Publications", "publications", entries=publications))
    awards = _entries(
        resume.get("awards", []),
        lambda a: Entry(
            a["title"], a.get("awarder", ""), when(a.get("date")), "", a.get("summary", "")
        ),
    )
    if awards:
        sections.append(Section("Awards", "awards", entries=awards))
    volunteer = _entries(
        resume.get("volunteer", []),
        lambda v: Entry(
            v.get("position") or v["organization"],
            v["organization"] if v.get("position") else "",
            span(v.get("startDate"), v.get("endDate")),
            "",
            v.get("summary", ""),
            tuple(v.get("highlights", [])),
        ),
    )
    if volunteer:
        sections.append(Section("Volunteering", "volunteer", entries=volunteer))
    languages = tuple(
        Row(lang["language"], lang.get("fluency", "")) for lang in resume.get("languages", [])
    )
    if languages:
        sections.append(Section("Languages", "languages", rows=languages))
    interests = tuple(
        Row(i["name"], ", ".join(i.get("keywords", []))) for i in resume.get("interests", [])
    )
    if interests:
        sections.append(Section("Interests", "interests", rows=interests))
    references = _entries(
        resume.get("references", []),
        lambda r: Entry(r["name"], "", "", "", r.get("reference", "")),
    )
    if references:
        sections.append(Section("References", "references", entries=references))
    return View(
        basics.get("name", ""),
        basics.get("label", ""),
        tuple(c for c in contact if c),
        tuple(sections),
    )


Format = Literal["pdf", "png"]


def _compile(resume: dict[str, Any], template: str, fmt: Format) -> bytes | list[bytes]:
    import typst

    if template not in TEMPLATES:
        from staffpath.errors import InputError

        raise InputError(f"unknown template {template!r} (expected one of: {', '.join(TEMPLATES)})")
    source = TEMPLATES_DIR / f"{template}.typ"
    out = typst.compile(
        str(source),
        root=str(TEMPLATES_DIR),
        format=fmt,
        sys_inputs={"resume": view(resume).to_json()},
        ignore_system_fonts=True,
        ppi=110.0 if fmt == "png" else None,
    )
    assert out is not None
    return out


def render_pdf(resume: dict[str, Any], *, template: str = "classic") -> bytes:
    """The PDF bytes; the same resume and template always give the same bytes."""
    pdf = _compile(resume, template, "pdf")
    assert isinstance(pdf, bytes)
    return pdf


def render_png(resume: dict[str, Any], *, template: str = "classic") -> list[bytes]:
    """One PNG per page, for looking at a template without a PDF viewer."""
    pages = _compile(resume, template, "png")
    return pages if isinstance(pages, list) else [pages]
