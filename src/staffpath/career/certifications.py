"""Certification plans: what to sit, when, for how much, with which deck; and what expires.

A plan file is a YAML list of certifications (``career/certifications.yaml``). Each has a
status, ``planned`` -> ``studying`` -> ``booked`` -> ``passed`` (or ``abandoned``; a passed
one becomes ``expired``). From the plans come: days to each exam, certificates expiring
within N days or already expired, reminders as iCalendar (RFC 5545, one all-day VEVENT per
exam date and per expiry, each with a VALARM, UIDs stable across exports so a calendar
updates instead of duplicating), and the passed ones as JSON Resume ``certificates``.

Nothing here reads the clock or the decks folder: ``today`` and the known deck ids come in.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from staffpath.career.evidence import LINK, SLUG, IsoDate, Issue, reworded
from staffpath.design.yamltext import Located, YamlProblem, dotted, parse
from staffpath.errors import InputError, Problem
from staffpath.textfile import read_text

Status = Literal["planned", "studying", "booked", "passed", "expired", "abandoned"]
STATUSES: tuple[str, ...] = ("planned", "studying", "booked", "passed", "expired", "abandoned")
ACTIVE = ("planned", "studying", "booked")
EARNED = ("passed", "expired")
_MONEY = re.compile(
    r"\s*(?:(?P<a>\d+(?:\.\d{1,2})?)\s*(?P<c>[A-Z]{3})|(?P<c2>[A-Z]{3})\s*(?P<a2>\d+(?:\.\d{1,2})?))\s*"
)

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cost(_Strict):
    """An amount in a currency (ISO 4217 code): written ``300 USD`` or as a mapping."""

    amount: Annotated[Decimal, Field(ge=0, allow_inf_nan=False, decimal_places=2)]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]

    @model_validator(mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            raise ValueError(
                f"expected an amount and a currency code like '300 USD', found {value!r}"
            )
        if isinstance(value, str):
            m = _MONEY.fullmatch(value)
            if not m:
                raise ValueError(
                    f"expected an amount and a currency code like '300 USD', found {value!r}"
                )
            return {"amount": m["a"] or m["a2"], "currency": m["c"] or m["c2"]}
        return value

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.currency}".replace(".00 ", " ")


class Certification(_Strict):
    id: Annotated[str, StringConstraints(pattern=SLUG)]
    name: Line
    provider: Line
    status: Status = "planned"
    target: IsoDate | None = None
    cost: Cost | None = None
    deck: Annotated[str, StringConstraints(pattern=SLUG)] | None = None
    earned: IsoDate | None = None
    expires: IsoDate | None = None
    url: Annotated[str, StringConstraints(pattern=LINK)] | None = None
    notes: Text = ""


FIELDS = tuple(Certification.model_fields)


@dataclass(frozen=True, slots=True)
class Plan:
    cert: Certification
    file: str
    start: tuple[int, int]
    at: dict[str, tuple[int, int]]

    def where(self, name: str) -> tuple[int, int]:
        return self.at.get(name, self.start)


@dataclass(frozen=True, slots=True)
class Plans:
    plans: tuple[Plan, ...]
    warnings: tuple[Issue, ...]


def _message(kind: str, loc: tuple[Any, ...], err: dict[str, Any]) -> tuple[str, str]:
    name = str(next((p for p in reversed(loc) if isinstance(p, str)), ""))
    found = err.get("input")
    if kind == "missing":
        return "required, but missing", f"add '{name}: ...' to the certification"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(name, FIELDS, n=1)
        return "unknown field", (
            f"did you mean '{close[0]}'?" if close else "the fields are: " + ", ".join(FIELDS)
        )
    if kind == "literal_error":
        return f"expected a status, found {found!r}", "choose from " + ", ".join(STATUSES)
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err["msg"])), (
            "write it like 2026-03-14" if name in ("target", "earned", "expires") else ""
        )
    if kind == "string_pattern_mismatch":
        hints = {
            "id": ("a slug (lowercase letters, digits and '-')", "e.g. 'aws-sa-pro'"),
            "deck": ("a deck id", "see `staffpath cards stats` for the decks"),
            "currency": ("a three-letter currency code", "e.g. USD, EUR, GBP"),
            "url": ("a web address", "start it with https://"),
        }
        what, hint = hints.get(name, ("text of the right form", ""))
        return f"expected {what}, found {found!r}", hint
    if kind in ("decimal_parsing", "decimal_type", "greater_than_equal", "decimal_max_places"):
        return f"expected an amount of money (0 or more, 2 decimals at most), found {found!r}", ""
    if kind == "string_too_short":
        return "must not be empty", f"write the {name} or remove the line"
    if kind in ("string_type", "list_type", "model_type", "dict_type"):
        expected = "text" if kind == "string_type" else "a mapping of fields"
        return f"expected {expected}, found {found!r}", ""
    return str(err["msg"]), ""


def _where(doc: Located, path: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
    return doc.where(path, key=key)[1]


def parse_plans(text: str, *, name: str) -> tuple[list[Plan], list[Issue]]:
    """The certifications in a file's text and the (located) errors."""
    if not re.sub(r"(?m)#.*$", "", text).strip():
        return [], []
    try:
        doc = parse(text)
    except YamlProblem as exc:
        return [], [Issue(name, reworded(exc.problem, "a certifications file"))]
    if not isinstance(doc.value, list):
        problem = Problem(
            1,
            1,
            "",
            f"expected a list of certifications ('- id: ...'), found a {type(doc.value).__name__}",
            "start each certification with '- ' at the left margin",
        )
        return [], [Issue(name, problem)]
    plans: list[Plan] = []
    issues: list[Issue] = []
    for i, data in enumerate(doc.value):
        if not isinstance(data, dict):
            issues.append(
                Issue(
                    name,
                    Problem(
                        *_where(doc, (i,)),
                        f"[{i}]",
                        f"expected a certification (a mapping of fields), found {data!r}",
                        "write 'id:', 'name:', 'provider:', 'status:' lines",
                    ),
                )
            )
            continue
        try:
            cert = Certification.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(p for p in err["loc"] if not str(p).startswith("function-"))
                message, hint = _message(err["type"], loc, dict(err))
                issues.append(
                    Issue(
                        name,
                        Problem(
                            *_where(doc, (i, *loc), key=err["type"] == "extra_forbidden"),
                            dotted((i, *loc)),
                            message,
                            hint,
                        ),
                    )
                )
            continue
        at = {str(k): _where(doc, (i, k), key=True) for k in data}
        plans.append(Plan(cert, name, _where(doc, (i,)), at))
    return plans, issues


def check_plans(
    plans: Sequence[Plan], *, today: date, decks: Collection[str] | None = None
) -> tuple[list[Issue], list[Issue]]:
    """(errors, warnings) across fields and plans: the dates that contradict the status or
    each other, unknown decks, repeated ids; and what needs a decision (a target date gone
    by, a certificate that expired while marked passed)."""
    errors: list[Issue] = []
    warnings: list[Issue] = []
    seen: set[str] = set()

    def error(plan: Plan, name: str, message: str, hint: str, at: str = "") -> None:
        where = plan.where(at or name)
        errors.append(Issue(plan.file, Problem(*where, f"{plan.cert.id}.{name}", message, hint)))

    def warn(plan: Plan, name: str, message: str, hint: str) -> None:
        warnings.append(
            Issue(
                plan.file,
                Problem(*plan.where(name), f"{plan.cert.id}.{name}", message, hint, "warning"),
            )
        )

    for plan in plans:
        c = plan.cert
        if c.id in seen:
            error(plan, "id", f"id {c.id!r} is used twice", "give each certification its own id")
        seen.add(c.id)
        if decks is not None and c.deck is not None and c.deck not in decks:
            close = difflib.get_close_matches(c.deck, sorted(decks), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            error(
                plan,
                "deck",
                f"no deck {c.deck!r}",
                hint + "the decks are: " + ", ".join(sorted(decks)),
            )
        if c.status in EARNED and c.earned is None:
            error(
                plan,
                "earned",
                f"a {c.status} certification needs the date it was earned",
                "add 'earned: YYYY-MM-DD'",
                at="status",
            )
        if c.status not in EARNED and c.earned is not None:
            error(
                plan,
                "status",
                f"'earned' is set but the status is {c.status}",
                "set 'status: passed'",
            )
        if c.earned is not None and c.earned > today:
            error(
                plan,
                "earned",
                f"{c.earned.isoformat()} is in the future (today is {today.isoformat()})",
                "check the year",
            )
        if c.expires is not None and c.earned is not None and c.expires <= c.earned:
            error(
                plan,
                "expires",
                f"expires {c.expires.isoformat()}, not after it was earned ({c.earned.isoformat()})",
                "check both dates",
            )
        if c.status in ACTIVE and c.target is None:
            warn(
                plan,
                "target",
                "no target date",
                "a date turns a wish into a plan: add 'target: YYYY-MM-DD'",
            )
        if c.status in ACTIVE and c.target is not None and c.target < today:
            warn(
                plan,
                "target",
                f"the target date {c.target.isoformat()} has passed",
                "set a new date, or the status (passed, abandoned)",
            )
        if c.status == "passed" and c.expires is not None and c.expires < today:
            warn(
                plan,
                "status",
                f"expired on {c.expires.isoformat()} but marked passed",
                "renew it, or set 'status: expired'",
            )
    return errors, warnings


def read_plans(name: str, text: str, *, today: date, decks: Collection[str] | None = None) -> Plans:
    plans, errors = parse_plans(text, name=name)
    more, warnings = check_plans(plans, today=today, decks=decks)
    errors += more
    if errors:
        errors.sort(key=lambda i: (i.problem.line, i.problem.column))
        raise InputError("\n".join(e.render() for e in errors))
    return Plans(tuple(plans), tuple(warnings))


def load_plans(path: Path, *, today: date, decks: Collection[str] | None = None) -> Plans:
    """The plans in a YAML file; every error in one :class:`InputError`."""
    text = read_text(path, what="certifications file (certifications.yaml)")
    return read_plans(str(path), text, today=today, decks=decks)


# ---------------------------------------------------------------------------- computed


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a certification stands today."""

    id: str
    name: str
    provider: str
    status: str
    target: date | None
    days_to_target: int | None
    expires: date | None
    days_to_expiry: int | None
    expired: bool
    expiring: bool
    cost: str | None
    deck: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "provider": self.provider,
            "status": self.status,
            "target": self.target.isoformat() if self.target else None,
            "days_to_target": self.days_to_target,
            "expires": self.expires.isoformat() if self.expires else None,
            "days_to_expiry": self.days_to_expiry,
            "expired": self.expired,
            "expiring": self.expiring,
            "cost": self.cost,
            "deck": self.deck,
        }


def standing(cert: Certification, *, today: date, within: int = 90) -> Standing:
    """Days to the exam (active plans only), and whether an earned certificate has expired or
    expires within ``within`` days (today included)."""
    days_target = (cert.target - today).days if cert.target and cert.status in ACTIVE else None
    days_expiry = (cert.expires - today).days if cert.expires and cert.status in EARNED else None
    expired = cert.status == "expired" or (days_expiry is not None and days_expiry < 0)
    expiring = days_expiry is not None and 0 <= days_expiry <= within
    return Standing(
        cert.id,
        cert.name,
        cert.provider,
        cert.status,
        cert.target,
        days_target,
        cert.expires,
        days_expiry,
        expired,
        expiring,
        str(cert.cost) if cert.cost else None,
        cert.deck,
    )


def planned_cost(certs: Sequence[Certification]) -> dict[str, Decimal]:
    """The cost of the active plans, per currency (amounts in different currencies are never
    added together)."""
    total: dict[str, Decimal] = {}
    for c in certs:
        if c.status in ACTIVE and c.cost:
            total[c.cost.currency] = total.get(c.cost.currency, Decimal(0)) + c.cost.amount
    return dict(sorted(total.items()))


# ------------------------------------------------------------------------------ exports

PRODID = "-//staffpath//certifications//EN"
UID_DOMAIN = "staffpath.certifications"


def calendar(
    certs: Sequence[Certification],
    *,
    stamp: datetime,
    exam_alarm_days: int = 7,
    expiry_alarm_days: int = 60,
) -> bytes:
    """The reminders as an iCalendar file: an all-day VEVENT on each active plan's target
    date and each earned certificate's expiry date, each with a display VALARM some days
    before. ``stamp`` (DTSTAMP) is the export time; the UIDs depend only on the id and the
    kind of date, so importing a new export updates the same events."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Certifications")
    for c in certs:
        dates: list[tuple[str, date, str, int, str]] = []
        if c.status in ACTIVE and c.target:
            detail = [f"Provider: {c.provider}", f"Status: {c.status}"]
            if c.cost:
                detail.append(f"Cost: {c.cost}")
            if c.deck:
                detail.append(
                    f"Study: staffpath cards review --deck {c.deck} --deadline {c.target.isoformat()}"
                )
            dates.append(("exam", c.target, f"Exam: {c.name}", exam_alarm_days, "\n".join(detail)))
        if c.status == "passed" and c.expires:
            detail = [
                f"Provider: {c.provider}",
                f"Earned: {c.earned.isoformat() if c.earned else '?'}",
            ]
            if c.url:
                detail.append(f"Credential: {c.url}")
            dates.append(
                ("expiry", c.expires, f"Expires: {c.name}", expiry_alarm_days, "\n".join(detail))
            )
        for kind, day, summary, before, description in dates:
            event = Event()
            event.add("uid", f"{c.id}-{kind}@{UID_DOMAIN}")
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("summary", summary)
            event.add("description", description)
            event.add("categories", ["certification"])
            event.add("transp", "TRANSPARENT")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{summary} in {before} days")
            alarm.add("trigger", timedelta(days=-before))
            event.add_component(alarm)
            cal.add_component(event)
    data = cal.to_ical()
    assert isinstance(data, bytes)
    return data


def resume_certificates(
    certs: Sequence[Certification], *, today: date, include_expired: bool = False
) -> list[dict[str, str]]:
    """JSON Resume ``certificates`` entries (name, date, issuer, url) for the passed ones,
    newest first; expired ones only when asked."""
    out = []
    for c in sorted(certs, key=lambda c: (c.earned or date.min, c.id), reverse=True):
        if c.status not in EARNED or c.earned is None:
            continue
        if standing(c, today=today).expired and not include_expired:
            continue
        entry = {"name": c.name, "date": c.earned.isoformat(), "issuer": c.provider}
        if c.url:
            entry["url"] = c.url
        out.append(entry)
    return out


def with_certificates(
    resume: dict[str, Any], certs: Sequence[Certification], *, today: date
) -> dict[str, Any]:
    """The resume (JSON Resume) with the passed certificates it does not list yet (by name)
    added to ``certificates``: a certificate is written down once, in the plans."""
    have = {c.get("name") for c in resume.get("certificates", [])}
    new = [c for c in resume_certificates(certs, today=today) if c["name"] not in have]
    return {**resume, "certificates": [*resume.get("certificates", []), *new]} if new else resume
