"""``staffpath certs``: certification plans, reminders as iCalendar, certificates for the resume."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from staffpath.career.certifications import (
    Plans,
    calendar,
    load_plans,
    planned_cost,
    resume_certificates,
    standing,
)
from staffpath.career.evidence import iso_date
from staffpath.cli.errors import handle_errors
from staffpath.cli.files import write_atomic
from staffpath.cli.render import figure_table
from staffpath.errors import InputError
from staffpath.practice.cards import deck_ids

app = typer.Typer(
    name="certs",
    help="Certification plans: status, days to each exam, what expires soon, calendar "
    "reminders, and the certificates your resume lists.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

File = Annotated[Path, typer.Argument(help="The plans: a YAML file, a list of certifications.")]
Today = Annotated[
    str | None,
    typer.Option(
        "--today", help="Today's date (YYYY-MM-DD); the real date by default.", show_default=False
    ),
]
Within = Annotated[
    int, typer.Option("--within", min=0, help="Flag certificates expiring within this many days.")
]


def _today(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return iso_date(text)
    except ValueError as exc:
        raise InputError(f"--today: {exc}") from None


def _load(path: Path, today: date) -> Plans:
    return load_plans(path, today=today, decks=deck_ids())


def _days(n: int | None) -> str:
    return "-" if n is None else str(n)


@app.command("list")
@handle_errors
def list_command(
    path: File,
    within: Within = 90,
    today: Today = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the standings as JSON.")] = False,
) -> None:
    """Every certification: status, days to the exam, expiry (flagged when within --within
    days or past), cost and study deck; then the cost of what is still planned.

    Examples:

        staffpath certs list career/certifications.yaml

        staffpath certs list career/certifications.yaml --within 30 --json | jq '.[] | select(.expiring)'
    """
    day = _today(today)
    plans = _load(path, day)
    rows = [standing(p.cert, today=day, within=within) for p in plans.plans]
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False))
        return
    table = figure_table(
        "Certifications",
        ("id", "name", "status", "target", "expires", "cost", "deck", "days to exam"),
        text_columns=7,
    )
    for r in rows:
        expires = r.expires.isoformat() if r.expires else "-"
        if r.expired:
            expires = f"[red]{expires} expired[/red]"
        elif r.expiring:
            expires = f"[yellow]{expires} in {r.days_to_expiry} d[/yellow]"
        table.add_row(
            r.id,
            escape(r.name),
            r.status,
            r.target.isoformat() if r.target else "-",
            expires,
            r.cost or "-",
            r.deck or "-",
            _days(r.days_to_target),
        )
    console.print(table)
    totals = planned_cost([p.cert for p in plans.plans])
    if totals:
        console.print(
            "Cost of the active plans: " + ", ".join(f"{v:,.2f} {k}" for k, v in totals.items())
        )
    for w in plans.warnings:
        err_console.print(w.render(), markup=False)


@app.command()
@handle_errors
def check(
    path: File,
    within: Within = 90,
    today: Today = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Check the plans: fields located on error (file:line:column: field: what was expected,
    what to do), the deck to study must exist, dates must agree with the status; warnings for
    a target date gone by, a plan without a date, a certificate expired or expiring soon.

    Examples:

        staffpath certs check career/certifications.yaml

        staffpath certs check career/certifications.yaml --today 2027-01-01 --json
    """
    day = _today(today)
    plans = _load(path, day)
    rows = [standing(p.cert, today=day, within=within) for p in plans.plans]
    soon = [r for r in rows if r.expiring and r.status == "passed"]
    if as_json:
        data = {
            "certifications": len(rows),
            "warnings": [w.to_dict() for w in plans.warnings],
            "expiring": [r.id for r in soon],
        }
        typer.echo(json.dumps(data, indent=2))
        return
    for w in plans.warnings:
        console.print(escape(w.render()))
    for r in soon:
        console.print(
            f"{escape(r.name)} expires on {r.expires} (in {r.days_to_expiry} days): plan the renewal"
        )
    console.print(f"{path}: {len(rows)} certifications, no errors, {len(plans.warnings)} warnings")


@app.command()
@handle_errors
def ics(
    path: File,
    out: Annotated[Path, typer.Option("-o", "--output", help="The .ics file to write.")],
    exam_alarm: Annotated[
        int, typer.Option("--exam-alarm", min=0, help="Remind this many days before an exam.")
    ] = 7,
    expiry_alarm: Annotated[
        int,
        typer.Option("--expiry-alarm", min=0, help="Remind this many days before an expiry."),
    ] = 60,
    today: Today = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was written as JSON.")
    ] = False,
) -> None:
    """Reminders as iCalendar: an all-day event on each exam date and each expiry, each with
    an alarm. Re-exporting keeps the same event ids, so a calendar updates, not duplicates.

    Examples:

        staffpath certs ics career/certifications.yaml -o certs.ics

        staffpath certs ics career/certifications.yaml -o certs.ics --exam-alarm 14
    """
    day = _today(today)
    plans = _load(path, day)
    data = calendar(
        [p.cert for p in plans.plans],
        stamp=datetime.now(UTC).replace(microsecond=0),
        exam_alarm_days=exam_alarm,
        expiry_alarm_days=expiry_alarm,
    )
    write_atomic(out, data)
    events = data.count(b"BEGIN:VEVENT")
    if as_json:
        typer.echo(json.dumps({"file": str(out), "events": events}))
        return
    console.print(f"wrote {escape(str(out))} ({events} events)")


@app.command()
@handle_errors
def resume(
    path: File,
    include_expired: Annotated[
        bool, typer.Option("--include-expired", help="List expired certificates too.")
    ] = False,
    today: Today = None,
) -> None:
    """The passed certifications as JSON Resume `certificates` entries (name, date, issuer,
    url), newest first, printed as JSON to merge into resume.json.

    Examples:

        staffpath certs resume career/certifications.yaml

        staffpath certs resume career/certifications.yaml | jq '{certificates: .}'
    """
    day = _today(today)
    plans = _load(path, day)
    entries = resume_certificates(
        [p.cert for p in plans.plans], today=day, include_expired=include_expired
    )
    typer.echo(json.dumps(entries, indent=2, ensure_ascii=False))
