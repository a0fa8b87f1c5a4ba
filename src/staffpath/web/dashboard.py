"""The stage at a glance: ``GET /api/dashboard`` gathers, read-only, what the other parts of
the studio store (mock interviews, track assessments, the story bank, the flashcard
schedule, and the career documents of :mod:`.career_kinds`) into one summary, and ranks the
concrete things to do next.

Each section is computed by the same functions its own page uses (the story coverage, the
card queue, each career kind's report), so the dashboard never disagrees with the page it
links to. A career kind the studio does not have yet, or a stored document that no longer
parses, leaves its section empty rather than failing the whole answer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from staffpath.errors import UserError
from staffpath.practice import cards as fc
from staffpath.practice.interview import Session as Interview
from staffpath.practice.story_check import check_stories, coverage
from staffpath.store import documents as docs
from staffpath.store import practice as store
from staffpath.store import repository as repo
from staffpath.store.accounts import Actor
from staffpath.web.api import DB, _when
from staffpath.web.career_kinds import KINDS, Context
from staffpath.web.policy import Me, signed_in

router = APIRouter(prefix="/api", dependencies=[Depends(signed_in)])

TREND_LENGTH = 20  # the newest finished interviews the score trend shows
EXPIRY_DAYS = 90  # a certificate expiring within this many days is on the dashboard


@dataclass(frozen=True)
class Action:
    """One thing to do next. ``weight`` orders the list: overdue promises to other people
    first, then what decays (due cards), then what builds (gaps, the next skill)."""

    weight: float
    kind: str
    text: str
    why: str
    href: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "why": self.why, "href": self.href}


def _context(db: Session, actor: Actor, today: date) -> Context:
    """As the career API builds it: today, and the latest stored text of another kind."""

    def latest(kind: str) -> str | None:
        rows = docs.list_documents(session=db, kind=kind, actor=actor, own=True)
        return rows[0].text if rows else None

    return Context(today=today, latest=latest)


def _reports(db: Session, actor: Actor, kind: str, today: date) -> list[dict[str, Any]]:
    """Each live document of a career kind with its report; one that does not parse is
    marked broken. Empty when the studio has no such kind."""
    k = KINDS.get(kind)
    if k is None:
        return []
    ctx = _context(db, actor, today)
    out = []
    for row in docs.list_documents(session=db, kind=kind, actor=actor, own=True):
        entry: dict[str, Any] = {"id": row.id, "name": row.name, "href": f"/career/{kind}"}
        try:
            entry["report"] = k.report(row.text, ctx)
        except UserError:
            entry["report"] = None
        out.append(entry)
    return out


# ---- sections ---------------------------------------------------------------------------


def _practice(db: Session, actor: Actor) -> dict[str, Any]:
    rows = [
        r
        for r in reversed(repo.list_interviews(session=db, actor=actor))
        if r.owner_id == actor.user_id
    ]
    finished = [r for r in rows if r.finished_at is not None]
    trend: list[dict[str, Any]] = []
    scores: list[float] = []
    for r in finished:
        if r.score is None:
            continue
        grading = Interview.model_validate_json(r.state).grading
        scores.append(round(r.score, 1))
        trend.append(
            {
                "id": r.id,
                "problem": r.problem,
                "finished_at": _when(r.finished_at) if r.finished_at else None,
                "score": round(r.score, 1),
                "passed": grading.get("passed"),
            }
        )
    return {
        "interviews": len(rows),
        "finished": len(finished),
        "in_progress": len(rows) - len(finished),
        "trend": trend[-TREND_LENGTH:],
        "last_score": scores[-1] if scores else None,
        "best_score": max(scores) if scores else None,
        "href": "/interviews",
    }


def _tracks(db: Session, actor: Actor, today: date) -> list[dict[str, Any]]:
    out = []
    for doc in _reports(db, actor, "assessment", today):
        report = doc["report"]
        if report is None:
            out.append({"id": doc["id"], "name": doc["name"], "broken": True})
            continue
        top = report["next"][0] if report.get("next") else None
        out.append(
            {
                "id": doc["id"],
                "name": doc["name"],
                "track": report["track"],
                "title": report["title"],
                "target": report["target"],
                "overall": report["overall"],
                "backed_overall": report["backed_overall"],
                "unbacked": sum(1 for s in report["skills"] if not s["backed"]),
                "next": (
                    {
                        "skill": top["skill"],
                        "title": top["title"],
                        "aim": top["aim"],
                        "why": top["reasons"][0] if top["reasons"] else "",
                    }
                    if top
                    else None
                ),
                "broken": False,
            }
        )
    return out


def _stories(db: Session, actor: Actor) -> dict[str, Any]:
    stories = store.stored_stories(session=db, actor=actor)
    checks = check_stories(stories)
    matrix, answered = coverage(stories, checks)
    by_competency = Counter(v["status"] for v in matrix.values())
    by_question = Counter(a.status for a in answered)
    return {
        "stories": len(stories),
        "strong_stories": sum(1 for c in checks if c.strength == "strong"),
        "competencies": {s: by_competency.get(s, 0) for s in ("strong", "weak", "gap")},
        "questions": {s: by_question.get(s, 0) for s in ("strong", "weak", "gap")},
        "gaps": [c for c, v in matrix.items() if v["status"] == "gap"],
        "weak": [c for c, v in matrix.items() if v["status"] == "weak"],
        "href": "/stories",
    }


def _cards(db: Session, actor: Actor, now: datetime) -> dict[str, Any]:
    """Cards due now: ``review`` are cards studied before whose interval ran out, ``new``
    never studied (a new card is always due); ``due`` is both, as the cards page counts."""
    state = store.review_state(session=db, actor=actor)
    decks = []
    for d in store.all_decks(session=db, actor=actor):
        ids = [c.id for c in d.cards]
        due = fc.due(state, ids, now)
        new = sum(1 for c in due if c not in state.cards)
        decks.append(
            {"id": d.id, "title": d.title, "due": len(due), "review": len(due) - new, "new": new}
        )
    return {
        "due": sum(d["due"] for d in decks),
        "review": sum(d["review"] for d in decks),
        "new": sum(d["new"] for d in decks),
        "reviews": len(state.history),
        "decks": [d for d in decks if d["due"]],
        "href": "/cards",
    }


def _mentoring(db: Session, actor: Actor, today: date) -> dict[str, Any] | None:
    if "mentoring" not in KINDS:
        return None
    found = _reports(db, actor, "mentoring", today)
    mentees: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    for doc in found:
        report = doc["report"]
        if report is None:
            continue
        mentees.extend(report.get("mentees", []))
        items.extend(report.get("due", []))
    names = {
        m["id"]: m["name"] for d in found if d["report"] for m in d["report"].get("mentees", [])
    }
    for item in items:
        item["mentee_name"] = names.get(item.get("mentee", ""), item.get("mentee", ""))
    return {
        "documents": len(found),
        "mentees": len(mentees),
        "sessions": sum(m.get("sessions", 0) for m in mentees),
        "planned": sum(m.get("planned", 0) for m in mentees),
        "drifting": [
            {"name": m["name"], "warning": m["warning"]} for m in mentees if m.get("warning")
        ],
        "overdue": [i for i in items if i.get("state") == "overdue"],
        "due_soon": [i for i in items if i.get("state") != "overdue"],
        "href": "/career/mentoring",
    }


def _first_list(report: dict[str, Any], *keys: str) -> list[dict[str, Any]]:
    for key in keys:
        value = report.get(key)
        if isinstance(value, list):
            return value
    return []


def _applications(db: Session, actor: Actor, today: date) -> dict[str, Any] | None:
    if "applications" not in KINDS:
        return None
    found = _reports(db, actor, "applications", today)
    funnel: dict[str, Any] | None = None
    reminders: list[dict[str, Any]] = []
    for doc in found:
        report = doc["report"]
        if report is None:
            continue
        f = report.get("funnel") if isinstance(report.get("funnel"), dict) else None
        if f is not None and funnel is None:
            funnel = f
        reminders.extend(_first_list(report, "reminders", "due", "follow_ups"))
    open_ = [r for r in reminders if r.get("status") in ("overdue", "due")]
    return {
        "documents": len(found),
        "funnel": funnel,
        "follow_ups": open_,
        "upcoming": [r for r in reminders if r.get("status") == "upcoming"],
        "href": "/career/applications",
    }


def _certifications(db: Session, actor: Actor, today: date) -> dict[str, Any] | None:
    if "certifications" not in KINDS:
        return None
    found = _reports(db, actor, "certifications", today)
    expiring, exams = [], []
    for doc in found:
        report = doc["report"]
        if report is None:
            continue
        for c in _first_list(report, "certifications", "standings", "plans"):
            days = c.get("days_to_expiry")
            if c.get("expired") or c.get("expiring") or (days is not None and days <= EXPIRY_DAYS):
                expiring.append(c)
            elif c.get("days_to_target") is not None and c["days_to_target"] >= 0:
                exams.append(c)
    return {
        "documents": len(found),
        "expiring": sorted(expiring, key=lambda c: c.get("days_to_expiry") or 0),
        "exams": sorted(exams, key=lambda c: c["days_to_target"]),
        "href": "/career/certifications",
    }


# ---- next actions -----------------------------------------------------------------------


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def next_actions(sections: dict[str, Any]) -> list[dict[str, Any]]:
    """The concrete things to do, most pressing first: promises to other people that are
    late, cards whose recall is decaying, then the gaps that block the next interview or
    level."""
    acts: list[Action] = []

    def add(weight: float, kind: str, text: str, why: str, href: str) -> None:
        acts.append(Action(weight, kind, text, why, href))

    apps = sections.get("applications") or {}
    for r in apps.get("follow_ups", []):
        late = r.get("days_overdue") or 0
        add(
            10 - min(late, 9) / 10,
            "follow-up",
            f"Follow up with {r.get('company', '?')} ({r.get('title', '')})".replace(" ()", ""),
            r.get("note") or "a follow-up is due",
            apps.get("href", "/career/applications"),
        )
    mentoring = sections.get("mentoring") or {}
    for item in mentoring.get("overdue", []):
        add(
            11,
            "mentoring",
            f"{item.get('text', 'An action item')} ({item.get('mentee_name', '')})",
            f"overdue since {item.get('due')}; owner: {item.get('owner')}",
            mentoring.get("href", "/career/mentoring"),
        )
    for m in mentoring.get("drifting", []):
        add(
            35,
            "mentoring",
            f"Book a session with {m['name']}",
            m["warning"],
            mentoring.get("href", "/career/mentoring"),
        )
    cards = sections["cards"]
    if cards["review"]:
        add(
            20,
            "cards",
            f"Review {_plural(cards['review'], 'due card')}",
            "their recall is falling; a review now keeps the interval growing",
            cards["href"],
        )
    certs = sections.get("certifications") or {}
    for c in certs.get("expiring", []):
        days = c.get("days_to_expiry")
        add(
            25,
            "certification",
            f"Renew {c.get('name', 'a certification')}",
            "expired"
            if c.get("expired") or (days is not None and days < 0)
            else f"expires in {_plural(days or 0, 'day')}",
            certs.get("href", "/career/certifications"),
        )
    stories = sections["stories"]
    for competency in stories["gaps"][:3]:
        add(
            30,
            "story",
            f"Write a story for {competency.replace('-', ' ')}",
            "no story in the bank answers the questions on it",
            stories["href"],
        )
    for t in sections["tracks"]:
        if t.get("next"):
            n = t["next"]
            add(
                40,
                "skill",
                f"Work on {n['title']} toward {n['aim']} ({t['title']})",
                n["why"],
                "/career/assessment",
            )
    practice = sections["practice"]
    if practice["finished"] == 0:
        add(
            45,
            "interview",
            "Do a mock design interview",
            "no finished interview yet: the score trend starts with the first",
            practice["href"],
        )
    for competency in stories["weak"][:2]:
        add(
            50,
            "story",
            f"Strengthen your {competency.replace('-', ' ')} story",
            "its stories do not pass the check yet",
            stories["href"],
        )
    if cards["new"] and not cards["review"]:
        add(
            60,
            "cards",
            f"Learn new cards ({cards['new']} not studied yet)",
            "nothing is due for review",
            cards["href"],
        )
    ordered = sorted(enumerate(acts), key=lambda ia: (ia[1].weight, ia[0]))
    return [a.to_dict() for _, a in ordered]


def _now() -> datetime:
    return datetime.now(UTC)


@router.get("/dashboard")
def dashboard(db: DB, actor: Me) -> dict[str, Any]:
    now = _now()
    today = now.date()
    sections: dict[str, Any] = {
        "practice": _practice(db, actor),
        "tracks": _tracks(db, actor, today),
        "stories": _stories(db, actor),
        "cards": _cards(db, actor, now),
        "mentoring": _mentoring(db, actor, today),
        "applications": _applications(db, actor, today),
        "certifications": _certifications(db, actor, today),
    }
    return {
        "today": today.isoformat(),
        **sections,
        "actions": next_actions(sections),
        "kinds": [{"id": k.id, "title": k.title} for k in KINDS.values()],
    }
