"""Certification plans: located errors, day counts worked by hand, the calendar read back by
two iCalendar parsers (icalendar and vobject), and JSON Resume certificates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import icalendar
import pytest
import vobject

from staffpath.career.certifications import (
    Certification,
    calendar,
    load_plans,
    planned_cost,
    read_plans,
    resume_certificates,
    standing,
)
from staffpath.errors import InputError
from staffpath.practice.cards import deck_ids
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "career" / "certifications.yaml"
TODAY = date(2026, 11, 26)
DECKS = deck_ids()
STAMP = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def certs() -> list[Certification]:
    return [p.cert for p in load_plans(EXAMPLE, today=TODAY, decks=DECKS).plans]


def errors_of(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        read_plans("certs.yaml", text, today=TODAY, decks=DECKS)
    return str(info.value).splitlines()


def test_mistakes_are_located_with_what_to_do() -> None:
    text = """\
- id: a
  name: A
  provider: P
  status: booke
  cost: 300 dollars
  deck: cachng
- id: b
  name: B
  provider: P
  status: passed
  expires: 2020-01-01
- id: c
  name: C
  provider: P
  status: planned
  earned: 2026-01-01
  cost: {amount: -5, currency: usd}
- id: d
  name: D
  provider: P
  status: passed
  earned: 2026-05-01
  expires: 2026-04-01
  deck: cachng
"""
    assert errors_of(text) == [
        "certs.yaml:4:11: [0].status: expected a status, found 'booke' (choose from planned, "
        "studying, booked, passed, expired, abandoned)",
        "certs.yaml:5:9: [0].cost: expected an amount and a currency code like '300 USD', "
        "found '300 dollars'",
        "certs.yaml:10:3: b.earned: a passed certification needs the date it was earned "
        "(add 'earned: YYYY-MM-DD')",
        "certs.yaml:17:18: [2].cost.amount: expected an amount of money (0 or more, 2 decimals "
        "at most), found -5",
        "certs.yaml:17:32: [2].cost.currency: expected a three-letter currency code, found "
        "'usd' (e.g. USD, EUR, GBP)",
        "certs.yaml:23:3: d.expires: expires 2026-04-01, not after it was earned (2026-05-01) "
        "(check both dates)",
        "certs.yaml:24:3: d.deck: no deck 'cachng' (did you mean 'caching'? the decks are: "
        + ", ".join(sorted(DECKS))
        + ")",
    ]


def test_cross_field_checks_run_on_records_that_validate() -> None:
    text = "- {id: c, name: C, provider: P, status: planned, earned: 2026-01-01}\n"
    assert errors_of(text) == [
        "certs.yaml:1:33: c.status: 'earned' is set but the status is planned (set 'status: "
        "passed')"
    ]
    text = "- {id: c, name: C, provider: P, status: passed, earned: 2027-01-01}\n"
    assert errors_of(text) == [
        "certs.yaml:1:49: c.earned: 2027-01-01 is in the future (today is 2026-11-26) "
        "(check the year)"
    ]
    twice = "- {id: c, name: C, provider: P}\n- {id: c, name: D, provider: P}\n"
    assert errors_of(twice) == [
        "certs.yaml:2:4: c.id: id 'c' is used twice (give each certification its own id)"
    ]


def test_the_example_is_clean() -> None:
    plans = load_plans(EXAMPLE, today=TODAY, decks=DECKS)
    assert plans.warnings == ()
    assert len(plans.plans) == 6


def test_warnings_for_dates_gone_by() -> None:
    text = (
        "- {id: a, name: A, provider: P, status: booked, target: 2026-11-01}\n"
        "- {id: b, name: B, provider: P, status: studying}\n"
        "- {id: c, name: C, provider: P, status: passed, earned: 2020-01-01, expires: 2023-01-01}\n"
    )
    plans = read_plans("certs.yaml", text, today=TODAY)
    assert [w.render() for w in plans.warnings] == [
        "certs.yaml:1:49: warning: a.target: the target date 2026-11-01 has passed (set a new "
        "date, or the status (passed, abandoned))",
        "certs.yaml:2:3: warning: b.target: no target date (a date turns a wish into a plan: "
        "add 'target: YYYY-MM-DD')",
        "certs.yaml:3:33: warning: c.status: expired on 2023-01-01 but marked passed (renew "
        "it, or set 'status: expired')",
    ]


def test_days_to_target_and_expiry_worked_by_hand() -> None:
    by_id = {c.id: c for c in certs()}
    # 26 Nov -> 26 Dec is 30 days, -> 26 Jan 31, -> 18 Feb 23: 84 days
    assert standing(by_id["aws-sa-pro"], today=TODAY).days_to_target == 84
    # expires 12 Mar 2027: 4 days to 30 Nov, then 31 + 31 + 28 + 12 = 106 days
    associate = by_id["aws-sa-associate"]
    assert standing(associate, today=TODAY).days_to_expiry == 106
    assert not standing(associate, today=TODAY, within=105).expiring
    assert standing(associate, today=TODAY, within=106).expiring
    assert standing(associate, today=date(2027, 3, 12), within=0).expiring  # the day itself
    assert standing(associate, today=date(2027, 3, 13)).expired
    cka = standing(by_id["cka"], today=TODAY)
    assert cka.expired and not cka.expiring and cka.days_to_target is None
    assert standing(by_id["togaf"], today=TODAY).days_to_target is None


def test_planned_cost_never_adds_currencies() -> None:
    assert planned_cost(certs()) == {"USD": Decimal("945")}  # 300 + 445 + 200, not the passed
    extra = Certification(
        id="x", name="X", provider="P", cost={"amount": "99.50", "currency": "EUR"}
    )
    assert planned_cost([*certs(), extra]) == {"EUR": Decimal("99.50"), "USD": Decimal("945")}
    assert str(extra.cost) == "99.50 EUR"


def test_calendar_read_back_by_icalendar() -> None:
    cal = icalendar.Calendar.from_ical(calendar(certs(), stamp=STAMP))
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert sorted(events) == [
        "aws-sa-associate-expiry@staffpath.certifications",
        "aws-sa-pro-exam@staffpath.certifications",
        "ckad-exam@staffpath.certifications",
        "gcp-pde-exam@staffpath.certifications",
    ]
    exam = events["aws-sa-pro-exam@staffpath.certifications"]
    assert exam.decoded("dtstart") == date(2027, 2, 18)
    assert exam.decoded("dtend") == date(2027, 2, 19)
    assert str(exam["summary"]) == "Exam: AWS Certified Solutions Architect - Professional"
    assert "--deck availability --deadline 2027-02-18" in str(exam["description"])
    (alarm,) = exam.walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(days=-7)
    assert str(alarm["action"]) == "DISPLAY"
    expiry = events["aws-sa-associate-expiry@staffpath.certifications"]
    assert expiry.decoded("dtstart") == date(2027, 3, 12)
    (alarm,) = expiry.walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(days=-60)


def test_calendar_read_back_by_vobject_and_stable_across_exports() -> None:
    first = calendar(certs(), stamp=STAMP, exam_alarm_days=14, expiry_alarm_days=30)
    later = calendar(certs(), stamp=STAMP + timedelta(days=3), exam_alarm_days=14)
    parsed = vobject.readOne(first.decode())
    rows = sorted(
        (e.uid.value, e.dtstart.value, e.valarm.trigger.value) for e in parsed.vevent_list
    )
    assert rows == [
        ("aws-sa-associate-expiry@staffpath.certifications", date(2027, 3, 12), timedelta(-30)),
        ("aws-sa-pro-exam@staffpath.certifications", date(2027, 2, 18), timedelta(-14)),
        ("ckad-exam@staffpath.certifications", date(2027, 4, 30), timedelta(-14)),
        ("gcp-pde-exam@staffpath.certifications", date(2027, 9, 15), timedelta(-14)),
    ]
    again = vobject.readOne(later.decode())
    assert sorted(e.uid.value for e in again.vevent_list) == [r[0] for r in rows]
    same = calendar(
        certs(), stamp=STAMP + timedelta(days=3), exam_alarm_days=14, expiry_alarm_days=30
    )
    assert first != same
    assert first.replace(b"DTSTAMP:20261126T093000Z", b"DTSTAMP:20261129T093000Z") == same


def test_resume_certificates() -> None:
    assert resume_certificates(certs(), today=TODAY) == [
        {
            "name": "AWS Certified Solutions Architect - Associate",
            "date": "2024-03-12",
            "issuer": "Amazon Web Services",
            "url": "https://www.credly.com/badges/00000000-example",
        }
    ]
    with_old = resume_certificates(certs(), today=TODAY, include_expired=True)
    assert [c["name"] for c in with_old] == [
        "AWS Certified Solutions Architect - Associate",
        "Certified Kubernetes Administrator (CKA)",
    ]
    after = resume_certificates(certs(), today=date(2027, 3, 13))
    assert after == []
