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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Literal

from staffpath.errors import DesignError, InputError, UserError

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "career"


@dataclass(frozen=True)
class Context:
    """What a kind may need besides its own text: today, and the latest stored text of
    another kind (a resume variant needs the master resume)."""

    today: date
    latest: Callable[[str], str | None] = lambda kind: None
    design: Callable[[str], str | None] = lambda ref: None  # a stored design's text

    @property
    def stamp(self) -> datetime:
        """Today at midnight UTC: the DTSTAMP of calendar exports, so a day's exports agree."""
        return datetime.combine(self.today, time(), tzinfo=UTC)

    def need(self, kind: str, what: str) -> str:
        text = self.latest(kind)
        if text is None:
            raise InputError(f"{what} needs a stored {KINDS[kind].title.lower()} first")
        return text


Report = Callable[[str, Context], dict[str, Any]]
Picture = Callable[[str, Context], str]
Exporter = Callable[[str, Context], bytes]


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


def _assessment(text: str, ctx: Context) -> dict[str, Any]:
    from staffpath.career import assessment as ca
    from staffpath.career.tracks import load_tracks

    tracks = load_tracks()
    assessment = ca.parse_assessment(text, name="assessment.yaml", tracks=tracks)
    report = ca.assess(tracks[assessment.track], assessment).to_dict()
    log = ctx.latest("evidence")
    if log is not None:  # the claims' evidence ids, checked against the stored log
        try:
            known = {r.evidence.id for r in evidence_log(log, ctx).records}
        except UserError:
            known = None  # a log that does not parse says so on its own page
        if known is not None:
            report["findings"] += [
                {"skill": f.skill, "rule": f.rule, "reason": f.reason, "suggestion": f.suggestion}
                for f in ca.unknown_evidence(assessment, known)
            ]
    return report


def _assessment_radar(text: str, ctx: Context) -> str:
    from staffpath.career import assessment as ca
    from staffpath.career.tracks import load_tracks
    from staffpath.report.charts import to_svg

    tracks = load_tracks()
    assessment = ca.parse_assessment(text, name="assessment.yaml", tracks=tracks)
    return to_svg(ca.radar(tracks[assessment.track], assessment))


def _mentoring(text: str, ctx: Context) -> dict[str, Any]:
    from staffpath.career import mentorship as m
    from staffpath.career.tracks import load_tracks

    skills = {f"{t.id}/{s}" for t in load_tracks().values() for s in t.skill_ids}
    log = m.parse_mentoring(text, name="mentoring.yaml", known_skills=skills)
    return {
        "mentees": [s.to_dict() for s in m.summarise(log, today=ctx.today)],
        "due": [i.to_dict() for i in m.due_items(log, today=ctx.today)],
        "evidence": [r.to_dict() for r in m.mentoring_evidence(log, today=ctx.today)],
    }


def _resume_data(text: str, name: str = "resume.json") -> dict[str, Any]:
    from staffpath.career.resume.model import check_text, render_problems

    checked = check_text(text, name=name, kind="json")
    if checked.resume is None:
        raise InputError(render_problems(checked.errors, name))
    return checked.resume.data


def with_certificates(data: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """The resume with the certificates passed in the stored certification plans added."""
    from staffpath.career import certifications as cert

    text = ctx.latest("certifications")
    if text is None:
        return data
    plans = cert.read_plans("certifications.yaml", text, today=ctx.today)
    return cert.with_certificates(data, [p.cert for p in plans.plans], today=ctx.today)


def _resume(text: str, ctx: Context) -> dict[str, Any]:
    from staffpath.career.resume.model import check_text, render_problems

    checked = check_text(text, name="resume.json", kind="json")
    if checked.resume is None:
        raise InputError(render_problems(checked.errors, "resume.json"))
    data = checked.resume.data
    return {
        "name": data.get("basics", {}).get("name"),
        "label": data.get("basics", {}).get("label"),
        "sections": {k: len(v) for k, v in data.items() if isinstance(v, list)},
        "warnings": [p.to_dict("resume.json") for p in checked.warnings],
    }


def _resume_pdf(template: str) -> Exporter:
    def make(text: str, ctx: Context) -> bytes:
        from staffpath.career.resume.pdf import render_pdf

        return render_pdf(with_certificates(_resume_data(text), ctx), template=template)

    return make


def _rendercv(text: str, ctx: Context) -> bytes:
    from staffpath.career.resume.rendercv import to_rendercv

    return to_rendercv(_resume_data(text)).yaml.encode("utf-8")


def _tailored(text: str, ctx: Context) -> dict[str, Any]:
    from staffpath.career.resume.variant import apply, parse_variant

    master = _resume_data(ctx.need("resume", "a variant"), "the stored resume")
    return apply(master, parse_variant(text, name="variant.yaml"))


def _variant(text: str, ctx: Context) -> dict[str, Any]:
    tailored = _tailored(text, ctx)
    return {
        "label": tailored.get("basics", {}).get("label"),
        "summary": tailored.get("basics", {}).get("summary"),
        "work": [
            {
                "name": w.get("name"),
                "position": w.get("position"),
                "highlights": w.get("highlights", []),
            }
            for w in tailored.get("work", [])
        ],
        "sections": {k: len(v) for k, v in tailored.items() if isinstance(v, list)},
    }


def _variant_pdf(template: str) -> Exporter:
    def make(text: str, ctx: Context) -> bytes:
        from staffpath.career.resume.pdf import render_pdf

        return render_pdf(with_certificates(_tailored(text, ctx), ctx), template=template)

    return make


def _variant_json(text: str, ctx: Context) -> bytes:
    import json

    tailored = with_certificates(_tailored(text, ctx), ctx)
    return json.dumps(tailored, indent=2, ensure_ascii=False).encode("utf-8")


def _skills() -> set[str]:
    from staffpath.career.tracks import load_tracks

    return {f"{t.id}/{s}" for t in load_tracks().values() for s in t.skill_ids}


def evidence_log(text: str, ctx: Context) -> Any:
    from staffpath.career.evidence import read_log

    return read_log([("evidence.yaml", text)], today=ctx.today, skills=_skills())


def _evidence(text: str, ctx: Context) -> dict[str, Any]:
    from staffpath.career.bullets import bullets
    from staffpath.career.evidence import record_dict
    from staffpath.career.packet import summary

    log = evidence_log(text, ctx)
    return {
        "records": [record_dict(r) for r in log.records],
        "summary": summary(log.records),
        "bullets": [b.to_dict() for b in bullets(log.records)],
        "warnings": [w.to_dict() for w in log.warnings],
    }


def with_mentoring(records: Sequence[Any], ctx: Context) -> list[Any]:
    """The log's records and, when a mentoring log is stored, the sessions held and goals
    reached: mentoring is evidence of leadership without being written down twice."""
    from staffpath.career.evidence import records_from
    from staffpath.career.mentorship import mentoring_evidence, parse_mentoring

    text = ctx.latest("mentoring")
    if text is None:
        return list(records)
    log = parse_mentoring(text, name="mentoring.yaml")
    extra = records_from(
        (r.to_dict() for r in mentoring_evidence(log, today=ctx.today)), source="mentoring.yaml"
    )
    return [*records, *extra]


def _packet_markdown(text: str, ctx: Context) -> str:
    from staffpath.career.packet import packet_markdown

    return packet_markdown(with_mentoring(evidence_log(text, ctx).records, ctx))


def _packet_pdf(text: str, ctx: Context) -> bytes:
    from staffpath.career.packet import packet_pdf

    return packet_pdf(_packet_markdown(text, ctx))


def _story_drafts(text: str, ctx: Context) -> bytes:
    import io
    import zipfile

    from staffpath.career.evidence import story_drafts

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, draft in story_drafts(evidence_log(text, ctx).records).items():
            z.writestr(f"stories/{name}", draft)
    return buffer.getvalue()


def _plans(text: str, ctx: Context) -> Any:
    from staffpath.career.certifications import read_plans
    from staffpath.practice.cards import deck_ids

    return read_plans("certifications.yaml", text, today=ctx.today, decks=deck_ids())


def _certifications(text: str, ctx: Context) -> dict[str, Any]:
    from staffpath.career.certifications import planned_cost, resume_certificates, standing

    plans = _plans(text, ctx)
    certs = [p.cert for p in plans.plans]
    return {
        "certifications": [standing(c, today=ctx.today).to_dict() for c in certs],
        "planned_cost": {cur: str(amount) for cur, amount in planned_cost(certs).items()},
        "resume": resume_certificates(certs, today=ctx.today),
        "warnings": [w.to_dict() for w in plans.warnings],
    }


def _certifications_ics(text: str, ctx: Context) -> bytes:
    from staffpath.career.certifications import calendar

    return calendar([p.cert for p in _plans(text, ctx).plans], stamp=ctx.stamp)


def _book(text: str) -> Any:
    from staffpath.career.applications import parse_applications

    return parse_applications(text, source="applications.yaml")


def _applications(text: str, ctx: Context) -> dict[str, Any]:
    from staffpath.career.pipeline import funnel, next_action, reminders

    book = _book(text)
    nudge = book.settings.nudge_days
    return {
        "applications": [
            {
                "id": a.id,
                "company": a.posting.company,
                "title": a.posting.title,
                "stage": a.current.stage,
                "since": a.current.date.isoformat(),
                "days": (ctx.today - a.current.date).days,
                "next": next_action(a, ctx.today, nudge),
                "url": a.posting.url,
            }
            for a in book.applications
        ],
        "reminders": [
            r.to_dict(ctx.today) for r in reminders(book.applications, ctx.today, nudge_days=nudge)
        ],
        "funnel": funnel(book.applications, ctx.today).to_dict(),
    }


def _funnel_svg(text: str, ctx: Context) -> str:
    from staffpath.career.pipeline import funnel, funnel_chart
    from staffpath.report.charts import to_svg

    return to_svg(funnel_chart(funnel(_book(text).applications, ctx.today)))


def _applications_ics(text: str, ctx: Context) -> bytes:
    from staffpath.career.pipeline import to_ics

    return to_ics(_book(text).applications, stamp=ctx.stamp)


def _applications_csv(text: str, ctx: Context) -> bytes:
    from staffpath.career.pipeline import to_csv

    return to_csv(_book(text).applications).encode("utf-8")


def _contacts(text: str, ctx: Context) -> dict[str, Any]:
    from staffpath.career.contacts import parse_contacts

    return {
        "contacts": [
            c.model_dump(mode="json", exclude_none=True)
            for c in parse_contacts(text, source="contacts.yaml")
        ]
    }


def _contacts_vcf(text: str, ctx: Context) -> bytes:
    from staffpath.career.contacts import parse_contacts, to_vcard

    return to_vcard(parse_contacts(text, source="contacts.yaml")).encode("utf-8")


def _loaded_review(text: str, ctx: Context) -> Any:
    """The review and the stored design it names (by number, by name, or by a file name whose
    stem is the name's slug, as ``../url-shortener.yaml`` names "URL shortener")."""
    from staffpath.career import design_review as dr
    from staffpath.design.load import load_text

    review, located = dr.read_review(text, name="review.yaml")
    design_text = ctx.design(review.design)
    if design_text is None:
        line, col = located.where(("design",))[1]
        raise InputError(
            f"review.yaml:{line}:{col}: design: no design {review.design!r} in the studio "
            "(name one of your designs by its name or its number)"
        )
    design = load_text(design_text, name="design.yaml").design
    comments, decisions = dr.check_review(review, located, design, name="review.yaml")
    return dr.LoadedReview(
        "review.yaml",
        review,
        design,
        Path("design.yaml"),
        design_text,
        comments,
        decisions,
        located,
    )


def _review(text: str, ctx: Context) -> dict[str, Any]:
    from staffpath.career.design_review import review_evidence, summarise

    loaded = _loaded_review(text, ctx)
    return {**summarise(loaded).to_dict(), "evidence": review_evidence(loaded).to_dict()}


def _review_markdown(text: str, ctx: Context) -> bytes:
    from staffpath.career.design_review import markdown

    return markdown(_loaded_review(text, ctx)).encode("utf-8")


def reviewed_design(text: str, ctx: Context) -> Any:
    """The design's text with the review's decisions recorded as its ADRs."""
    from staffpath.career.design_review import apply_decisions

    loaded = _loaded_review(text, ctx)
    note = f"recorded in design review {loaded.review.title or ''} {loaded.review.date}".strip()
    return apply_decisions(loaded.design_text, loaded.decisions, note=note, name="design.yaml")


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
        Kind(
            id="evidence",
            title="Evidence log",
            file="career/evidence.yaml",
            format="yaml",
            blurb="One record per win: it feeds your stories, resume bullets and the "
            "self-review packet.",
            report=_evidence,
            example="evidence.yaml",
            exports={
                "packet-md": Export(
                    "Self-review packet (Markdown)",
                    "packet.md",
                    "text/markdown; charset=utf-8",
                    lambda text, ctx: _packet_markdown(text, ctx).encode("utf-8"),
                ),
                "packet-pdf": Export(
                    "Self-review packet (PDF)", "packet.pdf", "application/pdf", _packet_pdf
                ),
                "stories": Export(
                    "STAR story drafts (zip)", "story-drafts.zip", "application/zip", _story_drafts
                ),
            },
        ),
        Kind(
            id="certifications",
            title="Certifications",
            file="career/certifications.yaml",
            format="yaml",
            blurb="Plans, exam dates, expiry and what to study.",
            report=_certifications,
            example="certifications.yaml",
            exports={
                "ics": Export(
                    "Reminders (.ics)",
                    "certifications.ics",
                    "text/calendar",
                    _certifications_ics,
                ),
            },
        ),
        Kind(
            id="applications",
            title="Applications",
            file="career/applications.yaml",
            format="yaml",
            blurb="Postings, stages with dates, follow-ups and interviews.",
            report=_applications,
            example="applications.yaml",
            pictures={"funnel": _funnel_svg},
            exports={
                "ics": Export(
                    "Follow-ups and interviews (.ics)",
                    "applications.ics",
                    "text/calendar",
                    _applications_ics,
                ),
                "csv": Export(
                    "Spreadsheet (.csv)", "applications.csv", "text/csv", _applications_csv
                ),
            },
        ),
        Kind(
            id="contacts",
            title="Contacts",
            file="career/contacts.yaml",
            format="yaml",
            blurb="The people in your network: who, where, how you met, when you last spoke.",
            report=_contacts,
            example="contacts.yaml",
            exports={"vcf": Export("vCard (.vcf)", "contacts.vcf", "text/vcard", _contacts_vcf)},
        ),
        Kind(
            id="review",
            title="Design review",
            file="career/design-review.yaml",
            format="yaml",
            blurb="Comments anchored to a design's components, flows and decisions, and the "
            "decisions the review recorded as the design's ADRs.",
            report=_review,
            example="design-review.yaml",
            exports={
                "report": Export(
                    "Review report (Markdown)",
                    "review.md",
                    "text/markdown; charset=utf-8",
                    _review_markdown,
                ),
                "design": Export(
                    "The design with the decisions (YAML)",
                    "design.yaml",
                    "application/yaml",
                    lambda text, ctx: reviewed_design(text, ctx).text.encode("utf-8"),
                ),
            },
        ),
        Kind(
            id="resume",
            title="Resume",
            file="career/resume.json",
            format="json",
            blurb="Your master resume as JSON Resume; variants tailor it.",
            report=_resume,
            example="resume.json",
            exports={
                "pdf": Export(
                    "PDF (classic)", "resume.pdf", "application/pdf", _resume_pdf("classic")
                ),
                "pdf-compact": Export(
                    "PDF (compact)", "resume-compact.pdf", "application/pdf", _resume_pdf("compact")
                ),
                "rendercv": Export("RenderCV YAML", "cv.yaml", "application/yaml", _rendercv),
            },
        ),
        Kind(
            id="variant",
            title="Resume variant",
            file="career/variants/variant.yaml",
            format="yaml",
            blurb="A tailored resume: which work, highlights and skills, in which order, "
            "over your stored master resume.",
            report=_variant,
            example="variants/staff-platform.yaml",
            exports={
                "json": Export(
                    "JSON Resume", "resume-tailored.json", "application/json", _variant_json
                ),
                "pdf": Export(
                    "PDF (classic)",
                    "resume-tailored.pdf",
                    "application/pdf",
                    _variant_pdf("classic"),
                ),
                "pdf-compact": Export(
                    "PDF (compact)",
                    "resume-tailored-compact.pdf",
                    "application/pdf",
                    _variant_pdf("compact"),
                ),
            },
        ),
    )
}
