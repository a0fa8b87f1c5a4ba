"""``staffpath mentor``: the mentorship log, one-to-one prompts, and design reviews.

Exit codes: ``review check`` exits 1 when a comment has an *error* finding of the
Conventional Comments coach (no label, an unknown label, belittling words), like
``staffpath review lint``; a file that does not load exits 1 everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from staffpath.career import design_review as dr
from staffpath.career import mentorship as mt
from staffpath.cli.errors import err_console, handle_errors
from staffpath.cli.files import write_atomic
from staffpath.cli.render import figure_table
from staffpath.design.yamltext import YamlProblem, parse
from staffpath.errors import InputError

app = typer.Typer(
    name="mentor",
    help="Your mentoring: mentees, sessions and action items, one-to-one prompts, design "
    "reviews with anchored comments and recorded decisions, and the evidence they make.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
review_app = typer.Typer(
    name="review",
    help="Design reviews of a shared design: check the comments, write the report, record "
    "the decisions as the design's ADRs.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(review_app)
console = Console(highlight=False, soft_wrap=True)

FILE_HELP = "The mentoring log (YAML), e.g. career/mentoring.yaml."
REVIEW_HELP = "The design review (YAML) naming the design it reviews."
JSON = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
TODAY = Annotated[
    str | None,
    typer.Option("--today", help="The day to count from (YYYY-MM-DD); default: today."),
]


def _today(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--today: expected a date YYYY-MM-DD, found {value!r}") from None


def _dump(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _known_skills() -> set[str] | None:
    """The ids of the shipped track skills (``track/skill``), or None when the tracks do not
    load (then only the form of a skill id is checked, and a warning says so)."""
    from staffpath.career.tracks import load_tracks

    try:
        tracks = load_tracks()
    except InputError as exc:
        first = str(exc).splitlines()[0]
        err_console.print(
            f"warning: goal skills not checked against the tracks ({first})", markup=False
        )
        return None
    return {f"{tid}/{sid}" for tid, track in tracks.items() for sid in track.skill_ids}


# -------------------------------------------------------------------------------- the log


@app.command()
@handle_errors
def check(
    path: Annotated[Path, typer.Argument(help=FILE_HELP)],
    today: TODAY = None,
    as_json: JSON = False,
) -> None:
    """Check a mentoring log: fields and dates, mentee and goal ids named in sessions (with a
    did-you-mean), goal skills against the tracks, action items due after their session.
    Prints every problem as file:line:column and exits 1; else a line per mentee with any
    warning (a last session older than twice the usual gap, goals no session touched).

    Examples:

        staffpath mentor check career/mentoring.yaml

        staffpath mentor check examples/career/mentoring.yaml --today 2026-11-23 --json
    """
    log = mt.load_mentoring(path, known_skills=_known_skills())
    summaries = mt.summarise(log, today=_today(today))
    if as_json:
        _dump({"ok": True, "mentees": [s.to_dict() for s in summaries]})
        return
    sessions = len(log.sessions)
    console.print(
        f"{escape(str(path))}: ok, {len(log.mentees)} mentees, {sessions} sessions, "
        f"{sum(len(s.actions) for s in log.sessions)} action items"
    )
    for s in summaries:
        notes = [s.warning] if s.warning else []
        if s.untouched_goals:
            notes.append("goals no session touched: " + ", ".join(s.untouched_goals))
        console.print(f"  {s.id}: " + (escape("; ".join(notes)) if notes else "fine"))


@app.command("list")
@handle_errors
def list_mentees(
    path: Annotated[Path, typer.Argument(help=FILE_HELP)],
    today: TODAY = None,
    as_json: JSON = False,
) -> None:
    """Each mentee at a glance: sessions held (and planned), the cadence (median days between
    sessions), days since the last one, goals reached, open and overdue action items, and
    a warning when the last session is older than twice the cadence.

    Examples:

        staffpath mentor list career/mentoring.yaml

        staffpath mentor list examples/career/mentoring.yaml --today 2026-11-23 --json
    """
    day = _today(today)
    summaries = mt.summarise(mt.load_mentoring(path), today=day)
    if as_json:
        _dump([s.to_dict() for s in summaries])
        return
    table = figure_table(
        f"Mentees on {day.isoformat()}",
        ("mentee", "since", "sessions", "cadence", "last", "days ago", "goals", "actions"),
        text_columns=2,
    )
    for s in summaries:
        planned = f" +{s.planned}" if s.planned else ""
        table.add_row(
            escape(f"{s.name} ({s.id})"),
            s.started.isoformat(),
            f"{s.sessions}{planned}",
            f"{s.cadence:g} d" if s.cadence is not None else "-",
            s.last.isoformat() if s.last else "-",
            str(s.days_since_last) if s.days_since_last is not None else "-",
            f"{s.goals_done}/{s.goals}",
            f"{s.open_actions} open, {s.overdue_actions} late",
        )
    console.print(table)
    console.print("sessions: held +planned; goals: reached/all; cadence: median days between")
    for s in summaries:
        if s.warning:
            console.print(f"warning: {s.id}: {escape(s.warning)}")
        if s.untouched_goals:
            console.print(f"{s.id}: no session has touched " + escape(", ".join(s.untouched_goals)))


@app.command()
@handle_errors
def due(
    path: Annotated[Path, typer.Argument(help=FILE_HELP)],
    today: TODAY = None,
    within: Annotated[
        int, typer.Option("--within", min=0, help="Days ahead that count as due soon.")
    ] = mt.DUE_SOON_DAYS,
    as_json: JSON = False,
) -> None:
    """Open action items that are overdue, then those due within --within days, with who
    owns each (mentor or mentee).

    Examples:

        staffpath mentor due career/mentoring.yaml

        staffpath mentor due examples/career/mentoring.yaml --today 2026-11-23 --within 14 --json
    """
    day = _today(today)
    items = mt.due_items(mt.load_mentoring(path), today=day, soon_days=within)
    if as_json:
        _dump([i.to_dict() for i in items])
        return
    if not items:
        console.print(f"Nothing overdue or due within {within} days of {day.isoformat()}.")
        return
    table = figure_table(
        f"Action items on {day.isoformat()}",
        ("state", "due", "owner", "mentee", "action", "days"),
        text_columns=5,
    )
    for i in items:
        when = f"{i.days} late" if i.state == "overdue" else f"in {i.days}"
        state = "[red]overdue[/red]" if i.state == "overdue" else "due soon"
        table.add_row(state, i.due.isoformat(), i.owner, i.mentee, escape(i.text), when)
    console.print(table)
    late = sum(i.state == "overdue" for i in items)
    console.print(f"{late} overdue, {len(items) - late} due within {within} days")


@app.command()
@handle_errors
def prompts(
    category: Annotated[
        str | None, typer.Option("--category", help="Only prompts of this category.")
    ] = None,
    count: Annotated[int, typer.Option("--count", help="How many prompts to draw.")] = 5,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed of the draw.", show_default=False)
    ] = None,
    as_json: JSON = False,
) -> None:
    """Draw one-to-one prompts from the bank (career direction, technical growth, feedback,
    wellbeing, impact and visibility, leadership, difficult situations, closing the loop).
    The same --seed draws the same prompts.

    Examples:

        staffpath mentor prompts --category feedback --count 3

        staffpath mentor prompts --seed 7 --json
    """
    drawn = mt.prompts(category, count=count, seed=seed)
    if as_json:
        _dump([{"category": p.category, "text": p.text} for p in drawn])
        return
    bank = mt.prompt_bank()
    for p in drawn:
        console.print(f"- {escape(p.text)}  [dim]({bank[p.category].title.lower()})[/dim]")
    if category is None:
        console.print(f"categories: {', '.join(bank)}")


def _is_review(path: Path) -> bool:
    try:
        located = parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlProblem):
        return False
    return isinstance(located.value, dict) and "design" in located.value


@app.command()
@handle_errors
def evidence(
    paths: Annotated[
        list[Path], typer.Argument(help="Mentoring logs and design reviews, in any mix.")
    ],
    today: TODAY = None,
    as_json: JSON = False,
) -> None:
    """Mentoring and design reviews as evidence of leadership: a record per session held,
    per goal a mentee reached, and per design review, in the evidence log's shape (id, date,
    what, why, metric, competencies). A file with a top-level `design:` is a review.

    Examples:

        staffpath mentor evidence career/mentoring.yaml career/reviews/checkout.yaml

        staffpath mentor evidence examples/career/mentoring.yaml --json | jq '.[].what'
    """
    day = _today(today)
    records: list[mt.EvidenceRecord] = []
    for path in paths:
        if _is_review(path):
            records.append(dr.review_evidence(dr.load_review(path)))
        else:
            records += mt.mentoring_evidence(mt.load_mentoring(path), today=day)
    records.sort(key=lambda r: (r.date, r.id))
    if as_json:
        _dump([r.to_dict() for r in records])
        return
    table = figure_table("Leadership evidence", ("date", "what", "metric"), text_columns=3)
    for r in records:
        table.add_row(r.date.isoformat(), escape(r.what), escape(r.metric))
    console.print(table)
    console.print(f"{len(records)} records (competencies: mentoring / leadership / influence)")


# ------------------------------------------------------------------------------ reviews


@review_app.command("check")
@handle_errors
def review_check(
    path: Annotated[Path, typer.Argument(help=REVIEW_HELP)],
    as_json: JSON = False,
) -> None:
    """Check a design review: the design it names loads, every comment's anchor is a
    component, flows.<name>, decisions.<id> or design (with a did-you-mean), each text is
    one Conventional Comment, and the recorded decisions are valid ADRs. Then the coach's
    findings on each comment's form. Exits 1 on a problem or an error finding.

    Examples:

        staffpath mentor review check examples/career/design-review.yaml

        staffpath mentor review check reviews/checkout.yaml --json | jq '.findings'
    """
    loaded = dr.load_review(path)
    s = dr.summarise(loaded)
    findings = dr.lint_problems(loaded)
    if as_json:
        _dump(
            {
                **s.to_dict(),
                "findings": [
                    {
                        "line": c.line,
                        "anchor": c.anchor,
                        "rule": f.rule,
                        "severity": f.severity,
                        "message": f.message,
                        "hint": f.hint,
                    }
                    for c, f in findings
                ],
            }
        )
    else:
        console.print(
            f"{escape(str(path))}: ok, {s.comments} comments on {len(s.anchors)} anchors of "
            f"{escape(s.design)}, {s.open} open ({len(s.blocking)} blocking), "
            f"{len(s.decisions)} decisions to record"
        )
        for c, f in findings:
            console.print(
                f"{escape(str(path))}:{c.line}: {escape(c.anchor)}: {f.severity}: {f.rule}: "
                f"{escape(f.message)} ({escape(f.hint)})"
            )
    if any(f.severity == "error" for _, f in findings):
        raise typer.Exit(1)


@review_app.command("report")
@handle_errors
def review_report(
    path: Annotated[Path, typer.Argument(help=REVIEW_HELP)],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the Markdown here.")
    ] = None,
    as_json: JSON = False,
) -> None:
    """The review as a Markdown report: who and when, open blocking issues, comments by
    anchor with their status and replies, the decisions recorded, and the comment-form
    findings. --json prints the summary numbers instead.

    Examples:

        staffpath mentor review report examples/career/design-review.yaml

        staffpath mentor review report reviews/checkout.yaml -o checkout-review.md
    """
    loaded = dr.load_review(path)
    if as_json:
        _dump(dr.summarise(loaded).to_dict())
        return
    text = dr.markdown(loaded)
    if output is None:
        typer.echo(text, nl=False)
        return
    write_atomic(output, text)
    console.print(f"wrote {escape(str(output))}")


@review_app.command("apply")
@handle_errors
def review_apply(
    path: Annotated[Path, typer.Argument(help=REVIEW_HELP)],
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            help="Where to write the design; - for stdout. Default: over the reviewed design.",
        ),
    ] = None,
    as_json: JSON = False,
) -> None:
    """Record the review's decisions as the design's ADRs: appended to its `decisions:`
    section (or a new one), with your text and comments kept as they are, and an older
    decision an accepted one supersedes marked superseded. Written atomically, and only if
    the result loads; applying twice adds nothing.

    Examples:

        staffpath mentor review apply examples/career/design-review.yaml -o reviewed.yaml

        staffpath mentor review apply reviews/checkout.yaml
    """
    loaded = dr.load_review(path)
    note = f"recorded in design review {loaded.review.date.isoformat()} ({path.name})"
    applied = dr.apply_decisions(
        loaded.design_text, loaded.decisions, note=note, name=str(loaded.design_path)
    )
    target = loaded.design_path if output is None else Path(output)
    if output == "-":
        typer.echo(applied.text, nl=False)
        return
    written = bool(applied.added) or output is not None
    if written:
        write_atomic(target, applied.text)
    if as_json:
        _dump(
            {
                "design": str(target),
                "added": list(applied.added),
                "already_there": list(applied.skipped),
                "superseded": list(applied.superseded),
                "written": written,
            }
        )
        return
    if not applied.added:
        copied = f"; wrote {escape(str(target))} unchanged" if written else ""
        console.print(
            f"nothing to add: {escape(', '.join(applied.skipped) or 'no decisions')} "
            f"already in {escape(str(loaded.design_path))}{copied}"
        )
        return
    console.print(f"wrote {escape(str(target))}: added {', '.join(applied.added)}")
    if applied.superseded:
        console.print(f"marked superseded: {', '.join(applied.superseded)}")
    if applied.skipped:
        console.print(f"already there: {', '.join(applied.skipped)}")
