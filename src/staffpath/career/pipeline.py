"""What the applications file tells you: follow-ups due, the funnel, time in stage, and the
exports (iCalendar for follow-ups and interviews, CSV for a spreadsheet).

Pure: the clock comes in as ``today`` (and the export time as ``stamp``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from staffpath.career.applications import ACTIVE, NUDGE_DAYS, STAGES, TERMINAL, Application

UPCOMING_DAYS = 7  # how far ahead `due` looks
ALARM_MINUTES = 60


# ------------------------------------------------------------------------- computations


@dataclass(frozen=True, slots=True)
class Reminder:
    """Something to do for an application: a follow-up written down, or a nudge we suggest."""

    application: str
    company: str
    title: str
    when: date
    kind: Literal["follow-up", "nudge"]
    note: str
    status: Literal["overdue", "due", "upcoming"]

    def days(self, today: date) -> int:
        """Days overdue (positive) or until due (negative)."""
        return (today - self.when).days

    def to_dict(self, today: date) -> dict[str, Any]:
        return {
            "application": self.application,
            "company": self.company,
            "title": self.title,
            "date": self.when.isoformat(),
            "kind": self.kind,
            "note": self.note,
            "status": self.status,
            "days_overdue": self.days(today),
        }


def nudge_date(app: Application, nudge_days: int) -> date | None:
    """When to chase an application still at ``applied`` with nothing planned: ``nudge_days``
    after it was sent, or after the last follow-up done since. None when it moved on, or an
    open follow-up is already written down."""
    if app.current.stage != "applied" or any(not f.done for f in app.follow_ups):
        return None
    sent = app.current.date
    chased = [f.date for f in app.follow_ups if f.done and f.date >= sent]
    return max([sent, *chased]) + timedelta(days=nudge_days)


def reminders(
    apps: Iterable[Application],
    today: date,
    *,
    nudge_days: int = NUDGE_DAYS,
    within: int = UPCOMING_DAYS,
) -> list[Reminder]:
    """Open follow-ups of open applications that are overdue (before today), due (today) or
    upcoming (within ``within`` days), plus the nudges; oldest first."""
    out = []
    for app in apps:
        if app.closed:
            continue
        items: list[tuple[date, Literal["follow-up", "nudge"], str]] = [
            (f.date, "follow-up", f.note) for f in app.follow_ups if not f.done
        ]
        nudge = nudge_date(app, nudge_days)
        if nudge is not None:
            items.append(
                (
                    nudge,
                    "nudge",
                    f"no news since applying on {app.current.date}: send a short follow-up",
                )
            )
        for when, kind, note in items:
            if when > today + timedelta(days=within):
                continue
            status: Literal["overdue", "due", "upcoming"] = (
                "overdue" if when < today else "due" if when == today else "upcoming"
            )
            out.append(
                Reminder(app.id, app.posting.company, app.posting.title, when, kind, note, status)
            )
    return sorted(out, key=lambda r: (r.when, r.application, r.kind))


@dataclass(frozen=True, slots=True)
class FunnelRow:
    stage: str
    reached: int
    share: float | None  # of all applications
    conversion: float | None  # from the stage before; None for the first, or after zero


@dataclass(frozen=True, slots=True)
class StageTime:
    """Days spent in one stage. ``closed`` are stays that ended (the next stage came);
    ``open`` are applications sitting in it now, aged up to today, kept apart."""

    stage: str
    closed: tuple[int, ...]
    open: tuple[int, ...]

    @property
    def median(self) -> float | None:
        return float(statistics.median(self.closed)) if self.closed else None

    @property
    def mean(self) -> float | None:
        return round(statistics.fmean(self.closed), 1) if self.closed else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "n": len(self.closed),
            "median_days": self.median,
            "mean_days": self.mean,
            "open": len(self.open),
            "oldest_open_days": max(self.open) if self.open else None,
        }


@dataclass(frozen=True, slots=True)
class Funnel:
    total: int
    rows: tuple[FunnelRow, ...]
    outcomes: dict[str, dict[str, int]]  # rejected/withdrawn -> stage it ended from -> count
    open: int
    times: tuple[StageTime, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "open": self.open,
            "stages": [
                {
                    "stage": r.stage,
                    "reached": r.reached,
                    "share": r.share,
                    "conversion": r.conversion,
                }
                for r in self.rows
            ],
            "outcomes": self.outcomes,
            "time_in_stage": [t.to_dict() for t in self.times],
        }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def time_in_stage(apps: Iterable[Application], today: date) -> tuple[StageTime, ...]:
    """Days per active stage. A stay is closed when a later stage came (its length is the gap
    between the two dates); the median and mean use closed stays only, so an application
    opened yesterday does not pull a stage's typical time down. Open stays (the current stage
    of an open application, aged to ``today``) are reported apart: count and oldest."""
    closed: dict[str, list[int]] = {s: [] for s in ACTIVE}
    open_: dict[str, list[int]] = {s: [] for s in ACTIVE}
    for app in apps:
        for i, entry in enumerate(app.stages):
            if entry.stage in TERMINAL:
                continue
            if i + 1 < len(app.stages):
                closed[entry.stage].append((app.stages[i + 1].date - entry.date).days)
            else:
                open_[entry.stage].append(max(0, (today - entry.date).days))
    return tuple(StageTime(s, tuple(closed[s]), tuple(open_[s])) for s in ACTIVE)


def funnel(apps: Sequence[Application], today: date) -> Funnel:
    """How many applications reached each stage (got at least that far), the conversion from
    one stage to the next, where the closed ones ended, and the time spent in each stage."""
    total = len(apps)
    rows = []
    before: int | None = None
    for stage in ACTIVE:
        reached = sum(app.reached(stage) for app in apps)
        conversion = None if before is None else _ratio(reached, before)
        rows.append(FunnelRow(stage, reached, _ratio(reached, total), conversion))
        before = reached
    outcomes: dict[str, dict[str, int]] = {s: {} for s in TERMINAL}
    for app in apps:
        if app.closed:
            last_active = [s.stage for s in app.stages if s.stage in ACTIVE][-1]
            counts = outcomes[app.current.stage]
            counts[last_active] = counts.get(last_active, 0) + 1
    for end, counts in outcomes.items():
        outcomes[end] = {s: counts[s] for s in ACTIVE if s in counts}
    return Funnel(
        total=total,
        rows=tuple(rows),
        outcomes=outcomes,
        open=sum(not a.closed for a in apps),
        times=time_in_stage(apps, today),
    )


def next_action(app: Application, today: date, nudge_days: int = NUDGE_DAYS) -> str:
    """The next dated thing for the list view: an interview to come, or an open follow-up
    or a nudge (marked overdue when its day has passed); the earliest wins."""
    if app.closed:
        return ""
    upcoming: list[tuple[date, str]] = [
        (i.at.date(), f"{i.kind} {i.at:%Y-%m-%d %H:%M}")
        for i in app.interviews
        if i.at.date() >= today
    ]
    upcoming += [(f.date, f"follow up {f.date}") for f in app.follow_ups if not f.done]
    nudge = nudge_date(app, nudge_days)
    if nudge is not None:
        upcoming.append((nudge, f"nudge {nudge}"))
    if not upcoming:
        return ""
    when, what = min(upcoming)
    return f"{what} (overdue)" if when < today else what


# ------------------------------------------------------------------------------- exports


def _uid(*parts: str) -> str:
    """A UID that stays the same when the file is exported again: built from the application
    id and the item's position, never from the clock."""
    digest = hashlib.sha1("/".join(parts).encode(), usedforsecurity=False).hexdigest()[:16]
    return f"{digest}-{parts[0]}@staffpath"


def to_ics(
    apps: Iterable[Application], *, stamp: datetime, alarm_minutes: int = ALARM_MINUTES
) -> bytes:
    """An iCalendar file (RFC 5545): open follow-ups as all-day events, interviews as timed
    events with a display alarm ``alarm_minutes`` before. ``stamp`` is the DTSTAMP (the
    export time, passed in). An interview written with an offset is exported in UTC; one
    without is floating time (the same wall-clock time wherever the calendar is)."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//staffpath//applications//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Job applications")
    for app in apps:
        who = f"{app.posting.company}, {app.posting.title}"
        if not app.closed:
            for n, f in enumerate(app.follow_ups):
                if f.done:
                    continue
                ev = Event()
                ev.add("uid", _uid(app.id, "follow-up", str(n)))
                ev.add("dtstamp", stamp)
                ev.add("dtstart", f.date)
                ev.add("dtend", f.date + timedelta(days=1))
                ev.add("summary", f"Follow up: {who}")
                ev.add("description", f.note)
                ev.add("transp", "TRANSPARENT")
                if app.posting.url:
                    ev.add("url", app.posting.url)
                cal.add_component(ev)
        for n, i in enumerate(app.interviews):
            ev = Event()
            ev.add("uid", _uid(app.id, "interview", str(n)))
            ev.add("dtstamp", stamp)
            start = i.at.astimezone(UTC) if i.at.tzinfo else i.at  # UTC: no VTIMEZONE needed
            ev.add("dtstart", start)
            ev.add("dtend", start + timedelta(minutes=i.minutes))
            ev.add("summary", f"Interview ({i.kind}): {who}")
            lines = [f"With: {', '.join(i.with_)}"] if i.with_ else []
            lines += [x for x in (i.note, app.posting.url) if x]
            if lines:
                ev.add("description", "\n".join(lines))
            if i.location:
                ev.add("location", i.location)
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add(
                "description", f"Interview with {app.posting.company} in {alarm_minutes} minutes"
            )
            alarm.add("trigger", timedelta(minutes=-alarm_minutes))
            ev.add_component(alarm)
            cal.add_component(ev)
    return bytes(cal.to_ical())


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run: one starting with = + - @ (or a tab or carriage
    return, which some spreadsheets skip before reading a formula) gets a leading quote
    (OWASP, "CSV Injection")."""
    return "'" + value if value.startswith(FORMULA_START) else value


CSV_COLUMNS = (
    "id",
    "company",
    "title",
    "url",
    "location",
    "remote",
    "salary",
    "stage",
    *STAGES,
    "resume",
    "stories",
    "contacts",
    "open_follow_ups",
    "interviews",
    "notes",
)


def to_csv(apps: Iterable[Application]) -> str:
    """One row per application, with a column per stage holding the date it was reached.
    RFC 4180: comma-separated, fields quoted when needed, CRLF line ends."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for app in apps:
        p = app.posting
        where = ", ".join(
            x
            for x in (
                (p.location.city, p.location.region, p.location.country_code) if p.location else ()
            )
            if x
        )
        dates: dict[str, str] = {s.stage: s.date.isoformat() for s in app.stages}
        row = [
            app.id,
            p.company,
            p.title,
            p.url or "",
            where,
            p.remote or "",
            p.salary or "",
            app.current.stage,
            *(dates.get(s, "") for s in STAGES),
            app.resume or "",
            "; ".join(app.stories),
            "; ".join(app.contacts),
            str(sum(not f.done for f in app.follow_ups)),
            str(len(app.interviews)),
            app.notes or "",
        ]
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()


def funnel_chart(result: Funnel) -> dict[str, Any]:
    """The funnel as a Vega-Lite specification: how many reached each stage, the conversion
    from the stage before, and how the closed ones ended."""
    from staffpath.report.funnel import funnel_spec

    ended = {k: sum(v.values()) for k, v in result.outcomes.items()}
    return funnel_spec([(r.stage, r.reached, r.conversion) for r in result.rows], ended=ended)
