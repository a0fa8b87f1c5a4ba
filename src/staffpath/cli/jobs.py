"""``staffpath jobs``: the applications pipeline: list, check, add, move, follow-ups, funnel,
calendar, CSV, and contacts to and from vCard.

``add`` and ``move`` edit the YAML as text, so the comments and layout you wrote stay: the new
application (or stage) is inserted after the last line of the list it joins, the result is
loaded again and compared with what was intended, and only then written (atomically). When
the file is laid out in a way the text edit cannot follow (a list written inline with
items), the command says so and leaves the file alone.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from staffpath.career.application_edits import add_application, add_stage
from staffpath.career.applications import (
    STAGES,
    ApplicationsError,
    load_applications,
    read_text,
    reference_problems,
)
from staffpath.career.contacts import (
    dump_contacts,
    load_contacts,
    merge_contacts,
    parse_vcards,
    to_vcard,
)
from staffpath.career.pipeline import funnel, next_action, reminders, to_csv, to_ics
from staffpath.cli.errors import handle_errors
from staffpath.cli.files import write_atomic
from staffpath.cli.render import figure_table
from staffpath.errors import InputError

app = typer.Typer(
    name="jobs",
    help="Your job applications: stages with dates, follow-ups, the funnel, calendar and CSV "
    "export, and contacts to and from vCard.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
contacts_app = typer.Typer(
    name="contacts",
    help="Your network: contacts.yaml to and from vCard (.vcf).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(contacts_app)
console = Console(highlight=False)

FileArg = Annotated[Path, typer.Argument(help="The applications file (career/applications.yaml).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
TodayOpt = Annotated[
    str | None,
    typer.Option("--today", help="Take this date (YYYY-MM-DD) as today.", show_default=False),
]
MARK = {"overdue": "[red]overdue[/red]", "due": "[yellow]due[/yellow]", "upcoming": "upcoming"}


def _date(flag: str, text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{flag}: {text!r} is not a date; write YYYY-MM-DD") from None


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


# ------------------------------------------------------------------------------ reading


@app.command("list")
@handle_errors
def list_command(
    file: FileArg,
    stage: Annotated[
        str | None, typer.Option("--stage", help="Only applications currently at this stage.")
    ] = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every application with its current stage, since when, and the next dated thing to do.

    Examples:

        staffpath jobs list career/applications.yaml

        staffpath jobs list career/applications.yaml --stage onsite --json
    """
    if stage is not None and stage not in STAGES:
        raise InputError(f"--stage: no stage {stage!r}; choose from {', '.join(STAGES)}")
    day = _date("--today", today)
    book = load_applications(file)
    apps = [a for a in book.applications if stage is None or a.current.stage == stage]
    nudge = book.settings.nudge_days
    rows: list[dict[str, Any]] = [
        {
            "id": a.id,
            "company": a.posting.company,
            "title": a.posting.title,
            "stage": a.current.stage,
            "since": a.current.date.isoformat(),
            "days": (day - a.current.date).days,
            "next": next_action(a, day, nudge),
            "url": a.posting.url,
        }
        for a in apps
    ]
    if as_json:
        _echo_json(rows)
        return
    table = Table(title="Applications", title_justify="left")
    for col in ("id", "company", "title", "stage", "since", "days", "next"):
        table.add_column(col, justify="right" if col == "days" else "left")
    for r in rows:
        table.add_row(
            r["id"],
            escape(r["company"]),
            escape(r["title"]),
            r["stage"],
            r["since"],
            str(r["days"]),
            escape(r["next"]) or "-",
        )
    console.print(table)
    open_ = sum(not a.closed for a in apps)
    console.print(f"{len(apps)} applications: {open_} open, {len(apps) - open_} closed")


def _contacts_for(file: Path, contacts: Path | None) -> Path | None:
    if contacts is not None:
        return contacts
    sibling = file.parent / "contacts.yaml"
    return sibling if sibling.is_file() else None


@app.command()
@handle_errors
def check(
    file: FileArg,
    contacts: Annotated[
        Path | None,
        typer.Option(
            "--contacts",
            help="Check contact names against this file (default: contacts.yaml beside FILE).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check the file: the fields of each posting, the stage history (forward only, dates in
    order, nothing after rejected or withdrawn), unique ids, and that every contact named is in
    the contacts file. Every problem is shown with its line and column and what to do.

    Examples:

        staffpath jobs check career/applications.yaml

        staffpath jobs check career/applications.yaml --contacts career/contacts.yaml --json
    """
    problems = []
    count = 0
    try:
        book = load_applications(file)
        count = len(book.applications)
        people = _contacts_for(file, contacts)
        if people is not None:
            known = [(c.name, c.email) for c in load_contacts(people)]
            problems = reference_problems(book, known)
    except ApplicationsError as exc:
        if not as_json:
            raise
        _echo_json({"ok": False, "problems": [p.to_dict(exc.source) for p in exc.problems]})
        raise typer.Exit(1) from None
    if as_json:
        _echo_json(
            {
                "ok": not problems,
                "applications": count,
                "problems": [p.to_dict(str(file)) for p in problems],
            }
        )
        if problems:
            raise typer.Exit(1)
        return
    if problems:
        raise ApplicationsError(problems, source=str(file))
    noun = "application" if count == 1 else "applications"
    console.print(f"{escape(str(file))}: {count} {noun}, no problems")


@app.command()
@handle_errors
def due(
    file: FileArg,
    today: TodayOpt = None,
    within: Annotated[
        int, typer.Option("--within", min=0, help="Also show what falls due in this many days.")
    ] = 7,
    nudge_days: Annotated[
        int | None,
        typer.Option(
            "--nudge-days",
            min=1,
            help="Suggest a follow-up this many days after applying with no news "
            "(default: settings.nudge_days in the file, else 7).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Follow-ups that are overdue, due today or coming up, and nudges for applications
    still at `applied` with no news and nothing planned.

    Examples:

        staffpath jobs due career/applications.yaml

        staffpath jobs due career/applications.yaml --within 14 --nudge-days 10 --json
    """
    day = _date("--today", today)
    book = load_applications(file)
    found = reminders(
        book.applications,
        day,
        nudge_days=nudge_days or book.settings.nudge_days,
        within=within,
    )
    if as_json:
        _echo_json([r.to_dict(day) for r in found])
        return
    if not found:
        console.print(f"Nothing due in the next {within} days.")
        return
    table = figure_table("Follow-ups", ("when", "status", "application", "what"), text_columns=4)
    for r in found:
        table.add_row(
            r.when.isoformat(),
            MARK[r.status],
            escape(f"{r.company}, {r.title}"),
            escape(("(suggested) " if r.kind == "nudge" else "") + r.note),
        )
    console.print(table)
    late = sum(r.status == "overdue" for r in found)
    console.print(f"{len(found)} to do, {late} overdue")


@app.command("funnel")
@handle_errors
def funnel_command(
    file: FileArg,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Also draw the funnel as an SVG chart here."),
    ] = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """How many applications reached each stage, the conversion from one stage to the next,
    where the closed ones ended, and the days spent in each stage (median and mean over the
    stays that ended; the ones still open are counted apart with their age).

    Examples:

        staffpath jobs funnel career/applications.yaml -o funnel.svg

        staffpath jobs funnel career/applications.yaml --json | jq '.stages'
    """
    from staffpath.career.pipeline import funnel_chart
    from staffpath.report.charts import to_svg

    day = _date("--today", today)
    book = load_applications(file)
    result = funnel(book.applications, day)
    if output is not None:
        write_atomic(output, to_svg(funnel_chart(result)))
    if as_json:
        _echo_json(result.to_dict())
        return
    table = figure_table("Funnel", ("stage", "reached", "of all", "from previous"))
    for r in result.rows:
        table.add_row(r.stage, str(r.reached), _pct(r.share), _pct(r.conversion))
    console.print(table)
    for end, where in result.outcomes.items():
        if where:
            detail = ", ".join(f"{n} after {s}" for s, n in where.items())
            console.print(f"{end}: {sum(where.values())} ({detail})")
    times = figure_table(
        "Days in stage (stays that ended)", ("stage", "n", "median", "mean", "open", "oldest open")
    )
    for t in result.times:
        times.add_row(
            t.stage,
            str(len(t.closed)),
            "-" if t.median is None else f"{t.median:g}",
            "-" if t.mean is None else f"{t.mean:g}",
            str(len(t.open)),
            str(max(t.open)) if t.open else "-",
        )
    console.print(times)
    console.print(f"{result.total} applications, {result.open} open")
    if output is not None:
        console.print(f"wrote {escape(str(output))}")


# ------------------------------------------------------------------------------ exports


@app.command()
@handle_errors
def ics(
    file: FileArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="The .ics file to write.")],
    alarm_minutes: Annotated[
        int, typer.Option("--alarm-minutes", min=0, help="Remind this long before interviews.")
    ] = 60,
) -> None:
    """Export open follow-ups (all-day events) and interviews (with a reminder) as an
    iCalendar file that any calendar imports. Exporting again updates the same events.

    Examples:

        staffpath jobs ics career/applications.yaml -o jobs.ics

        staffpath jobs ics career/applications.yaml -o jobs.ics --alarm-minutes 30
    """
    book = load_applications(file)
    stamp = datetime.now(UTC).replace(microsecond=0)
    write_atomic(output, to_ics(book.applications, stamp=stamp, alarm_minutes=alarm_minutes))
    interviews = sum(len(a.interviews) for a in book.applications)
    console.print(f"wrote {escape(str(output))} ({interviews} interviews and the open follow-ups)")


@app.command("csv")
@handle_errors
def csv_command(
    file: FileArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="The .csv file to write.")],
) -> None:
    """Export one row per application, with the date of each stage in its own column, for a
    spreadsheet. Cells that a spreadsheet would run as a formula are neutralised.

    Examples:

        staffpath jobs csv career/applications.yaml -o jobs.csv
    """
    book = load_applications(file)
    write_atomic(output, to_csv(book.applications))
    console.print(f"wrote {escape(str(output))} ({len(book.applications)} rows)")


# ------------------------------------------------------------------------------ editing


@app.command()
@handle_errors
def add(
    file: FileArg,
    company: Annotated[str, typer.Option("--company", help="The company hiring.")],
    title: Annotated[str, typer.Option("--title", help="The job title of the posting.")],
    url: Annotated[str | None, typer.Option("--url", help="The posting's address.")] = None,
    stage: Annotated[str, typer.Option("--stage", help="The stage it starts at.")] = "wishlist",
    on: Annotated[
        str | None,
        typer.Option("--date", help="The date of that stage (default: today).", show_default=False),
    ] = None,
    app_id: Annotated[
        str | None,
        typer.Option("--id", help="The id (default: from company and title).", show_default=False),
    ] = None,
) -> None:
    """Add an application at the end of the file (created if missing); your comments and
    layout are kept.

    Examples:

        staffpath jobs add career/applications.yaml --company "Acme" --title "Staff Engineer"

        staffpath jobs add career/applications.yaml --company Initech --title "Senior SRE" --url https://jobs.example.com/1 --stage applied --date 2026-11-20
    """
    when = _date("--date", on)
    text = read_text(file) if file.exists() else ""
    if not file.exists() and not file.parent.is_dir():
        raise InputError(f"{file}: the folder {file.parent} does not exist")
    edited, new_id = add_application(
        text,
        company=company,
        title=title,
        when=when,
        stage=stage,
        url=url,
        app_id=app_id,
        source=str(file),
    )
    write_atomic(file, edited)
    console.print(f"added {new_id} ({stage} on {when}) to {escape(str(file))}")


@app.command()
@handle_errors
def move(
    file: FileArg,
    app_id: Annotated[str, typer.Argument(metavar="ID", help="The application's id.")],
    stage: Annotated[str, typer.Argument(help="The stage it moved to.")],
    on: Annotated[
        str | None,
        typer.Option("--date", help="When it moved (default: today).", show_default=False),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note on the move.")] = None,
) -> None:
    """Move an application to its next stage: the stage is appended to its history, after a
    check that the move is allowed (forward only, dates in order, nothing after rejected or
    withdrawn). Comments and layout are kept.

    Examples:

        staffpath jobs move career/applications.yaml lumen-senior-backend offer

        staffpath jobs move career/applications.yaml kestrel-staff-ml rejected --date 2026-11-25 --note "position filled"
    """
    when = _date("--date", on)
    edited, previous = add_stage(
        read_text(file), app_id, stage, when=when, note=note, source=str(file)
    )
    write_atomic(file, edited)
    console.print(f"{app_id}: {previous.stage} -> {stage} on {when}")


# ------------------------------------------------------------------------------ contacts


@contacts_app.command("import")
@handle_errors
def contacts_import(
    vcf: Annotated[Path, typer.Argument(help="A .vcf file (vCard 2.1, 3.0 or 4.0).")],
    into: Annotated[
        Path, typer.Option("--into", help="The contacts file to merge into (created if missing).")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Merge the cards of a .vcf file into your contacts: matched by e-mail, then by name;
    a match takes the card's fields, the rest are added. Shows what changed. The contacts file
    is rewritten in a fixed layout (comments in it are not kept).

    Examples:

        staffpath jobs contacts import ~/Downloads/contacts.vcf --into career/contacts.yaml --dry-run

        staffpath jobs contacts import phone.vcf --into career/contacts.yaml --json
    """
    cards = parse_vcards(
        read_text(vcf, missing="export one from your address book"), source=str(vcf)
    )
    existing = load_contacts(into) if into.exists() else []
    merged, changes = merge_contacts(existing, cards)
    touched = any(c.action != "unchanged" for c in changes)
    if touched and not dry_run:
        write_atomic(into, dump_contacts(merged))
    if as_json:
        _echo_json({"written": touched and not dry_run, "changes": [c.to_dict() for c in changes]})
        return
    for c in changes:
        console.print(f"{c.action:<9} {escape(c.name)}")
        for name, old, new in c.fields:
            console.print(f"          {name}: {escape(str(old))} -> {escape(str(new))}")
    counts = {a: sum(c.action == a for c in changes) for a in ("added", "updated", "unchanged")}
    verb = "would change" if dry_run else "wrote"
    summary = (
        f"{counts['added']} added, {counts['updated']} updated, {counts['unchanged']} unchanged"
    )
    if touched:
        console.print(f"{summary}; {verb} {escape(str(into))}")
    else:
        console.print(f"{summary}; nothing to write")


@contacts_app.command("export")
@handle_errors
def contacts_export(
    contacts: Annotated[Path, typer.Argument(help="The contacts file (career/contacts.yaml).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The .vcf file to write.")],
) -> None:
    """Export your contacts as vCard 3.0, which Apple Contacts, Google Contacts and Outlook
    import.

    Examples:

        staffpath jobs contacts export career/contacts.yaml -o contacts.vcf
    """
    people = load_contacts(contacts)
    write_atomic(output, to_vcard(people))
    console.print(f"wrote {escape(str(output))} ({len(people)} contacts)")
