"""Funnel, time in stage and reminders against numbers worked out by hand; the calendar read
back by two libraries (icalendar and vobject); the CSV read back by the csv module."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import vobject  # type: ignore[import-untyped]

from staffpath.career.applications import Application, parse_applications
from staffpath.career.pipeline import (
    CSV_COLUMNS,
    funnel,
    next_action,
    nudge_date,
    reminders,
    safe_cell,
    time_in_stage,
    to_csv,
    to_ics,
)

STAMP = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def book(*apps: str) -> tuple[Application, ...]:
    return parse_applications("applications:\n" + "".join(apps)).applications


def app(app_id: str, stages: str, extra: str = "", company: str = "C") -> str:
    return (
        f"  - id: {app_id}\n    posting: {{title: T, company: {company}}}\n"
        f"    stages: [{stages}]\n{extra}"
    )


# Five applications, today 2026-12-01:
#   a: wishlist 11-01, applied 11-03, screen 11-10, onsite 11-20, offer 11-30 (open at offer)
#   b: applied 11-02, screen 11-06, rejected 11-09
#   c: applied 11-05 (open at applied)
#   d: wishlist 11-04, withdrawn 11-06
#   e: applied 11-01, onsite 11-15 (no screen), rejected 11-22
FIVE = book(
    app(
        "a",
        "{stage: wishlist, date: 2026-11-01}, {stage: applied, date: 2026-11-03}, "
        "{stage: screen, date: 2026-11-10}, {stage: onsite, date: 2026-11-20}, "
        "{stage: offer, date: 2026-11-30}",
    ),
    app(
        "b",
        "{stage: applied, date: 2026-11-02}, {stage: screen, date: 2026-11-06}, "
        "{stage: rejected, date: 2026-11-09}",
    ),
    app("c", "{stage: applied, date: 2026-11-05}"),
    app("d", "{stage: wishlist, date: 2026-11-04}, {stage: withdrawn, date: 2026-11-06}"),
    app(
        "e",
        "{stage: applied, date: 2026-11-01}, {stage: onsite, date: 2026-11-15}, "
        "{stage: rejected, date: 2026-11-22}",
    ),
)
TODAY = date(2026, 12, 1)


def test_funnel_counts_and_conversions_by_hand() -> None:
    result = funnel(FIVE, TODAY)
    # reached = got at least that far: e skipped the screen but passed it
    assert [(r.stage, r.reached) for r in result.rows] == [
        ("wishlist", 5),
        ("applied", 4),  # a b c e
        ("screen", 3),  # a b e
        ("onsite", 2),  # a e
        ("offer", 1),  # a
    ]
    assert [r.conversion for r in result.rows] == [None, 0.8, 0.75, 0.6667, 0.5]
    assert [r.share for r in result.rows] == [1.0, 0.8, 0.6, 0.4, 0.2]
    assert result.outcomes == {"rejected": {"screen": 1, "onsite": 1}, "withdrawn": {"wishlist": 1}}
    assert (result.total, result.open) == (5, 2)


def test_time_in_stage_by_hand() -> None:
    times = {t.stage: t for t in time_in_stage(FIVE, TODAY)}
    # wishlist: a 11-01..11-03 = 2, d 11-04..11-06 = 2
    assert times["wishlist"].closed == (2, 2)
    # applied: a 7, b 4, e 14 closed; c still open since 11-05, 26 days by 12-01
    assert sorted(times["applied"].closed) == [4, 7, 14]
    assert (times["applied"].median, times["applied"].mean) == (7.0, 8.3)
    assert times["applied"].open == (26,)
    # screen: a 10, b 3 -> median 6.5; onsite: a 10, e 7 -> 8.5
    assert (times["screen"].median, times["screen"].mean) == (6.5, 6.5)
    assert (times["onsite"].median, times["onsite"].mean) == (8.5, 8.5)
    # offer: nothing closed; a has been there a day
    assert (times["offer"].median, times["offer"].open) == (None, (1,))
    assert times["offer"].to_dict() == {
        "stage": "offer",
        "n": 0,
        "median_days": None,
        "mean_days": None,
        "open": 1,
        "oldest_open_days": 1,
    }


def test_an_empty_file_has_an_empty_funnel() -> None:
    result = funnel((), TODAY)
    assert [r.reached for r in result.rows] == [0] * 5
    assert all(r.conversion is None and r.share is None for r in result.rows)


REMIND = book(
    # applied 11-10, nothing planned: nudge 11-17
    app("x", "{stage: applied, date: 2026-11-10}"),
    # followed up on 11-18 already: next nudge a week later, 11-25
    app(
        "y",
        "{stage: applied, date: 2026-11-10}",
        "    follow_ups: [{date: 2026-11-18, note: pinged, done: true}]\n",
    ),
    # open follow-ups: one today, one too far ahead
    app(
        "z",
        "{stage: applied, date: 2026-11-01}, {stage: screen, date: 2026-11-12}",
        "    follow_ups: [{date: 2026-11-20, note: thank-you note},"
        " {date: 2026-12-10, note: later}]\n",
    ),
    # a follow-up planned: no nudge; it falls after the window
    app(
        "w",
        "{stage: applied, date: 2026-11-01}",
        "    follow_ups: [{date: 2026-11-30, note: ask}]\n",
    ),
    # closed: its forgotten follow-up is not shown
    app(
        "v",
        "{stage: applied, date: 2026-11-01}, {stage: rejected, date: 2026-11-05}",
        "    follow_ups: [{date: 2026-11-06, note: ask why}]\n",
    ),
)


def test_reminders_with_a_fixed_today() -> None:
    today = date(2026, 11, 20)
    found = reminders(REMIND, today, nudge_days=7, within=7)
    assert [(r.application, r.kind, r.when.isoformat(), r.status) for r in found] == [
        ("x", "nudge", "2026-11-17", "overdue"),
        ("z", "follow-up", "2026-11-20", "due"),
        ("y", "nudge", "2026-11-25", "upcoming"),
    ]
    assert found[0].to_dict(today)["days_overdue"] == 3
    assert found[0].note == "no news since applying on 2026-11-10: send a short follow-up"


def test_the_nudge_delay_is_configurable() -> None:
    x, y, _, w, _ = REMIND
    assert nudge_date(x, 3) == date(2026, 11, 13)
    assert nudge_date(y, 3) == date(2026, 11, 21)
    assert nudge_date(w, 3) is None
    later = reminders(REMIND, date(2026, 11, 20), nudge_days=14, within=0)
    assert [(r.application, r.status) for r in later] == [("z", "due")]


def test_next_action_is_the_earliest_dated_thing() -> None:
    x, _, z, _, v = REMIND
    assert next_action(x, date(2026, 11, 20)) == "nudge 2026-11-17 (overdue)"
    assert next_action(x, date(2026, 11, 17)) == "nudge 2026-11-17"
    assert next_action(z, date(2026, 11, 20)) == "follow up 2026-11-20"
    assert next_action(v, date(2026, 11, 20)) == ""


CAL = book(
    app(
        "acme",
        "{stage: applied, date: 2026-11-01}, {stage: onsite, date: 2026-11-20}",
        "    follow_ups: [{date: 2026-11-28, note: 'Ask about the team, and the on-call'},"
        " {date: 2026-11-02, note: old, done: true}]\n"
        "    interviews:\n"
        "      - {at: 2026-12-01T14:30+01:00, kind: system design, with: [Ana, Bo],"
        " minutes: 90, location: Room 4}\n"
        "      - {at: 2026-12-03T09:00, kind: hiring manager}\n",
        company="Acme",
    ),
    app(
        "gone",
        "{stage: applied, date: 2026-11-01}, {stage: rejected, date: 2026-11-05}",
        "    follow_ups: [{date: 2026-11-28, note: closed so not exported}]\n",
    ),
)


def test_ics_read_back_with_icalendar() -> None:
    cal = icalendar.Calendar.from_ical(to_ics(CAL, stamp=STAMP))
    events = list(cal.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == [
        "Follow up: Acme, T",
        "Interview (system design): Acme, T",
        "Interview (hiring manager): Acme, T",
    ]
    follow, design, manager = events
    assert follow.decoded("DTSTART") == date(2026, 11, 28)
    assert str(follow["DESCRIPTION"]) == "Ask about the team, and the on-call"
    # 14:30 at +01:00 is 13:30 UTC; 90 minutes long
    assert design.decoded("DTSTART") == datetime(2026, 12, 1, 13, 30, tzinfo=UTC)
    assert design.decoded("DTEND") - design.decoded("DTSTART") == timedelta(minutes=90)
    assert str(design["LOCATION"]) == "Room 4"
    assert str(design["DESCRIPTION"]) == "With: Ana, Bo"
    (alarm,) = design.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(hours=-1)
    # no offset written: floating time
    assert manager.decoded("DTSTART") == datetime(2026, 12, 3, 9, 0)
    assert manager.decoded("DTSTAMP") == STAMP
    assert len({str(e["UID"]) for e in events}) == 3


def test_uids_are_stable_across_exports() -> None:
    first = icalendar.Calendar.from_ical(to_ics(CAL, stamp=STAMP))
    again = icalendar.Calendar.from_ical(
        to_ics(CAL, stamp=STAMP + timedelta(days=3), alarm_minutes=15)
    )
    assert [str(e["UID"]) for e in first.walk("VEVENT")] == [
        str(e["UID"]) for e in again.walk("VEVENT")
    ]
    assert all(str(e["UID"]).endswith("-acme@staffpath") for e in first.walk("VEVENT"))


def test_ics_read_back_with_vobject() -> None:
    cal = vobject.readOne(to_ics(CAL, stamp=STAMP, alarm_minutes=30).decode())
    events = cal.contents["vevent"]
    assert len(events) == 3
    design = events[1]
    assert design.summary.value == "Interview (system design): Acme, T"
    assert design.dtstart.value == datetime(2026, 12, 1, 13, 30, tzinfo=UTC)
    assert design.valarm.trigger.value == timedelta(minutes=-30)
    assert events[0].dtstart.value == date(2026, 11, 28)


def test_csv_read_back_with_one_row_per_application_and_a_column_per_stage() -> None:
    text = to_csv(CAL)
    assert text.endswith("\r\n") and "\r\n" in text.splitlines(keepends=True)[0]
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    acme = rows[0]
    assert (acme["id"], acme["stage"], acme["applied"], acme["screen"], acme["onsite"]) == (
        "acme",
        "onsite",
        "2026-11-01",
        "",
        "2026-11-20",
    )
    assert (acme["open_follow_ups"], acme["interviews"]) == ("1", "2")
    assert (rows[1]["stage"], rows[1]["rejected"]) == ("rejected", "2026-11-05")


def test_csv_neutralises_formulas_and_quotes_what_needs_it() -> None:
    apps = book(
        app(
            "evil",
            "{stage: applied, date: 2026-11-01}",
            "    notes: '@SUM(1+1)'\n    contacts: ['-2+3', 'Ana \"the boss\", CTO']\n",
            company='\'=HYPERLINK("http://x.example","click")\'',
        )
    )
    text = to_csv(apps)
    (row,) = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["company"] == '\'=HYPERLINK("http://x.example","click")'
    assert row["notes"] == "'@SUM(1+1)"
    assert row["contacts"] == '\'-2+3; Ana "the boss", CTO'
    assert '"\'-2+3; Ana ""the boss"", CTO"' in text  # RFC 4180: quotes doubled inside quotes


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_safe_cell(cell: str, safe: str) -> None:
    assert safe_cell(cell) == safe
