"""``staffpath evidence``: the evidence log and what it feeds (stories, bullets, packet)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from staffpath.career.bullets import bullets, json_resume_highlights
from staffpath.career.evidence import (
    EvidenceLog,
    append_record,
    iso_date,
    load_evidence,
    parse_records,
    record_dict,
    select,
    slugify,
    story_drafts,
)
from staffpath.career.packet import packet_markdown, packet_pdf, summary
from staffpath.cli.errors import handle_errors
from staffpath.cli.files import write_atomic, write_folder
from staffpath.cli.render import figure_table
from staffpath.errors import InputError

app = typer.Typer(
    name="evidence",
    help="Your evidence log, one record per win: check it, list it, add to it, and turn it "
    "into story drafts, resume bullets and a self-review packet.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

FILE_HELP = "The evidence log: a YAML file (a list of records) or a folder of Markdown files."
JSON_HELP = "Print the result as JSON."
TODAY_HELP = "Today's date for the checks (YYYY-MM-DD); the real date by default."
TRACKS_HELP = "Also check each record's track skills against the shipped specialization tracks."

File = Annotated[Path, typer.Argument(help=FILE_HELP)]
AsJson = Annotated[bool, typer.Option("--json", help=JSON_HELP)]
Today = Annotated[str | None, typer.Option("--today", help=TODAY_HELP, show_default=False)]
Tracks = Annotated[bool, typer.Option("--tracks", help=TRACKS_HELP)]


def _date(flag: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return iso_date(text)
    except ValueError as exc:
        raise InputError(f"{flag}: {exc}") from None


def _today(text: str | None) -> date:
    return _date("--today", text) or date.today()


def _track_skills() -> set[str]:
    from staffpath.career.tracks import load_tracks

    return {f"{t}/{s}" for t, track in load_tracks().items() for s in track.skill_ids}


def _load(path: Path, today: str | None, tracks: bool = False) -> EvidenceLog:
    log = load_evidence(path, today=_today(today), skills=_track_skills() if tracks else None)
    return log


def _warn(log: EvidenceLog) -> None:
    for w in log.warnings:
        err_console.print(w.render(), markup=False)


@app.command()
@handle_errors
def check(
    path: File,
    today: Today = None,
    tracks: Tracks = False,
    as_json: AsJson = False,
) -> None:
    """Check the log: every field located on error (file:line:column: field: what was
    expected, what to do); warnings for a win without a metric, a date in the future, an id
    used twice. Exit code 1 when there are errors.

    Examples:

        staffpath evidence check career/evidence.yaml

        staffpath evidence check examples/career/evidence.yaml --json | jq '.warnings'
    """
    log = _load(path, today, tracks)
    if as_json:
        data = {
            "records": len(log.records),
            "warnings": [w.to_dict() for w in log.warnings],
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for w in log.warnings:
        console.print(escape(w.render()))
    n = len(log.records)
    console.print(
        f"{path}: {n} {'record' if n == 1 else 'records'}, no errors, "
        f"{len(log.warnings)} {'warning' if len(log.warnings) == 1 else 'warnings'}"
    )


@app.command("list")
@handle_errors
def list_command(
    path: File,
    competency: Annotated[
        str | None, typer.Option("--competency", help="Only wins showing this competency.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only wins on or after this date.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only wins on or before this date.")
    ] = None,
    today: Today = None,
    as_json: AsJson = False,
) -> None:
    """The wins in date order, optionally one competency's or one period's.

    Examples:

        staffpath evidence list career/evidence.yaml --competency mentoring

        staffpath evidence list career/evidence.yaml --since 2026-01-01 --json
    """
    log = _load(path, today)
    chosen = select(
        log.records,
        competency=competency,
        since=_date("--since", since),
        until=_date("--until", until),
    )
    if as_json:
        typer.echo(json.dumps([record_dict(r) for r in chosen], indent=2, ensure_ascii=False))
        return
    _warn(log)
    table = figure_table(
        "Evidence", ("date", "id", "win", "competencies", "metric"), text_columns=5
    )
    for r in chosen:
        ev = r.evidence
        table.add_row(
            ev.date.isoformat(),
            ev.id,
            escape(ev.headline),
            ", ".join(ev.competencies) or "-",
            escape(ev.metric) or "-",
        )
    console.print(table)
    console.print(f"{len(chosen)} of {len(log.records)} wins")


@app.command()
@handle_errors
def add(
    path: File,
    what: Annotated[str, typer.Option("--what", help="What you did (one or two sentences).")],
    metric: Annotated[
        str, typer.Option("--metric", help="What changed, with a number ('p99 900 ms -> 120 ms').")
    ] = "",
    title: Annotated[str, typer.Option("--title", help="A short headline.")] = "",
    why: Annotated[str, typer.Option("--why", help="Why it mattered.")] = "",
    when: Annotated[
        str | None, typer.Option("--date", help="When (YYYY-MM-DD); today by default.")
    ] = None,
    record_id: Annotated[
        str | None, typer.Option("--id", help="The record's id; made from the title by default.")
    ] = None,
    link: Annotated[list[str] | None, typer.Option("--link", help="A link (repeatable).")] = None,
    person: Annotated[
        list[str] | None, typer.Option("--person", help="Someone involved (repeatable).")
    ] = None,
    competency: Annotated[
        list[str] | None,
        typer.Option("--competency", help="A competency it shows (repeatable)."),
    ] = None,
    skill: Annotated[
        list[str] | None, typer.Option("--skill", help="A track skill, track/skill (repeatable).")
    ] = None,
    today: Today = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the new record as JSON.")] = False,
) -> None:
    """Append one win to a YAML log as text: your comments and layout stay as they are. The
    file is created when missing and written atomically.

    Examples:

        staffpath evidence add career/evidence.yaml --what "Cached the build image" --metric "48 min -> 19 min"

        staffpath evidence add career/evidence.yaml --what "Mentored Ana" --metric "6 sessions" --competency mentoring --json
    """
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(f"{path}: evidence add appends to a .yaml file")
    text = ""
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read ({exc})") from None
    existing, _ = parse_records(text, name=str(path), markdown=False)
    day = _date("--date", when) or _today(today)
    data: dict[str, Any] = {
        "id": record_id or slugify(title or what, taken={r.evidence.id for r in existing}),
        "date": day,
        "title": title,
        "what": what,
        "why": why,
        "metric": metric,
        "links": link or [],
        "people": person or [],
        "competencies": competency or [],
        "skills": skill or [],
    }
    new, evidence = append_record(text, data, name=str(path))
    write_atomic(path, new)
    if as_json:
        typer.echo(json.dumps(evidence.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    console.print(f"added {evidence.id} ({evidence.date.isoformat()}) to {escape(str(path))}")
    if not evidence.metric:
        console.print("no metric: add one when you know what changed, by how much")


@app.command()
@handle_errors
def stories(
    path: File,
    out: Annotated[Path, typer.Option("-o", "--output", help="The folder for the drafts.")],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite drafts that exist (and your edits).")
    ] = False,
    competency: Annotated[
        str | None, typer.Option("--competency", help="Only wins showing this competency.")
    ] = None,
    today: Today = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was written as JSON.")
    ] = False,
) -> None:
    """Write one STAR story draft per win into a folder, in the story bank's format: what the
    record knows filled in, the rest marked TODO. Existing files are kept unless --force.
    Then `staffpath stories check DIR` lists what each draft still needs.

    Examples:

        staffpath evidence stories career/evidence.yaml -o stories

        staffpath evidence stories career/evidence.yaml -o stories --competency conflict
    """
    log = _load(path, today)
    drafts = story_drafts(select(log.records, competency=competency))
    kept = sorted(name for name in drafts if (out / name).exists() and not force)
    written = write_folder(out, {k: v for k, v in drafts.items() if k not in kept})
    if as_json:
        data = {"written": [str(p) for p in written], "kept": [str(out / k) for k in kept]}
        typer.echo(json.dumps(data, indent=2))
        return
    for p in written:
        console.print(f"wrote {escape(str(p))}")
    for name in kept:
        console.print(f"kept {escape(str(out / name))} (exists; --force overwrites it)")
    console.print(f"Next: complete the TODOs, then run `staffpath stories check {out}`")


@app.command("bullets")
@handle_errors
def bullets_command(
    path: File,
    today: Today = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the bullets and JSON Resume highlights as JSON."),
    ] = False,
) -> None:
    """Resume bullets, newest first: an action verb first, then the measured result. Openings
    like "I was responsible for" are rewritten; bullets without a number are flagged.

    Examples:

        staffpath evidence bullets career/evidence.yaml

        staffpath evidence bullets career/evidence.yaml --json | jq '.jsonresume.work[0].highlights'
    """
    log = _load(path, today)
    made = bullets(log.records)
    if as_json:
        data = {
            "bullets": [b.to_dict() for b in made],
            "jsonresume": json_resume_highlights(made),
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for b in made:
        console.print(f"- {escape(b.text)}")
        for r in b.rewrites:
            console.print(f"    rewritten: {escape(r)}")
        for f in b.flags:
            console.print(f"    [red]flag[/red]: {escape(f)}")
    flagged = sum(bool(b.flags) for b in made)
    console.print(f"{len(made)} bullets, {flagged} flagged")


@app.command()
@handle_errors
def packet(
    path: File,
    out: Annotated[
        Path, typer.Option("-o", "--output", help="packet.md (Markdown) or packet.pdf (PDF).")
    ],
    since: Annotated[
        str | None, typer.Option("--since", help="Only wins on or after this date.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only wins on or before this date.")
    ] = None,
    title: Annotated[str, typer.Option("--title", help="The packet's title.")] = (
        "Self-review packet"
    ),
    today: Today = None,
    mentoring: Annotated[
        Path | None,
        typer.Option(
            "--mentoring",
            help="A mentoring log: its sessions held and goals reached join the packet.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary (competency x wins x period).")
    ] = False,
) -> None:
    """A promotion / self-review packet: a summary table (competency x wins x period), then
    every win under its first competency, as Markdown or PDF (by the file's suffix). What you
    wrote is printed literally. With --mentoring, mentoring counts as evidence of leadership
    without being written down twice.

    Examples:

        staffpath evidence packet career/evidence.yaml -o packet.md --since 2026-01-01

        staffpath evidence packet career/evidence.yaml -o packet.pdf --title "H1 2026 review"

        staffpath evidence packet career/evidence.yaml --mentoring career/mentoring.yaml -o p.md
    """
    suffix = out.suffix.lower()
    if suffix not in (".md", ".pdf"):
        raise InputError(f"-o {out}: expected a .md or .pdf file name")
    log = _load(path, today)
    lo, hi = _date("--since", since), _date("--until", until)
    records = list(log.records)
    if mentoring is not None:
        from staffpath.career.evidence import records_from
        from staffpath.career.mentorship import load_mentoring, mentoring_evidence

        day = _date("--today", today) or datetime.now(UTC).date()
        sessions = mentoring_evidence(load_mentoring(mentoring), today=day)
        records += records_from((r.to_dict() for r in sessions), source=str(mentoring))
    chosen = select(records, since=lo, until=hi)
    markdown = packet_markdown(chosen, title=title, since=lo, until=hi)
    write_atomic(out, markdown if suffix == ".md" else packet_pdf(markdown, title=title))
    if as_json:
        data = {"file": str(out), "wins": len(chosen), "summary": summary(chosen)}
        typer.echo(json.dumps(data, indent=2))
        return
    console.print(f"wrote {escape(str(out))} ({len(chosen)} wins)")
