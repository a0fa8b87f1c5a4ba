"""``staffpath tracks``: specialization tracks, a self-assessment against one, and what next."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from staffpath.career.assessment import (
    Report,
    assess,
    blank_assessment,
    load_assessment,
)
from staffpath.career.assessment import (
    radar as radar_chart,
)
from staffpath.career.tracks import (
    TargetLevel,
    Track,
    load_track,
    load_tracks,
    prerequisite_graph,
)
from staffpath.cli.errors import handle_errors
from staffpath.cli.files import write_atomic
from staffpath.cli.render import figure_table
from staffpath.errors import InputError
from staffpath.report.charts import to_svg

app = typer.Typer(
    name="tracks",
    help="Specialization tracks: skills, what mid, senior and staff look like, resources and "
    "portfolio projects; assess yourself against one with evidence and see what to work on next.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False)

FILE_HELP = "A self-assessment YAML file (make one with `staffpath tracks template`)."
JSON_HELP = "Print the result as JSON."
LEVEL_MARK = {
    "none": "[dim]none[/dim]",
    "mid": "mid",
    "senior": "[cyan]senior[/cyan]",
    "staff": "[green]staff[/green]",
}


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _bar(value: float, width: int = 10) -> str:
    full = round(value * width)
    return "#" * full + "." * (width - full)


def _track_dict(track: Track) -> dict[str, Any]:
    return track.model_dump(mode="json")


# -------------------------------------------------------------------------------- commands


@app.command("list")
@handle_errors
def list_tracks(
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """The shipped tracks: id, title, how many skills and portfolio projects.

    Examples:

        staffpath tracks list

        staffpath tracks list --json | jq '.[].id'
    """
    tracks = load_tracks()
    if as_json:
        rows = [
            {
                "id": t.id,
                "title": t.title,
                "summary": t.summary,
                "skills": len(t.skills),
                "projects": len(t.projects),
            }
            for t in tracks.values()
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = figure_table("Tracks", ("id", "title", "skills", "projects"), text_columns=2)
    for t in tracks.values():
        table.add_row(t.id, escape(t.title), str(len(t.skills)), str(len(t.projects)))
    console.print(table)
    console.print("See one with: staffpath tracks show ID")


def _prerequisite_tree(track: Track) -> Tree:
    """Each skill under the skills it needs; a skill with several prerequisites appears under
    the first and is pointed at from the others."""
    graph = prerequisite_graph(track)
    order = {sid: i for i, sid in enumerate(track.skill_ids)}
    tree = Tree(f"[bold]{escape(track.title)}[/bold]: each skill under what it needs")
    placed: set[str] = set()

    def add(node: Tree, skill_id: str) -> None:
        skill = track.skill(skill_id)
        if skill_id in placed:
            node.add(f"{skill_id} [dim](shown above)[/dim]")
            return
        placed.add(skill_id)
        branch = node.add(f"{skill_id} [dim]- {escape(skill.title)}[/dim]")
        for child in sorted(graph.successors(skill_id), key=order.__getitem__):
            add(branch, child)

    for root in (s for s in track.skill_ids if graph.in_degree(s) == 0):
        add(tree, root)
    return tree


@app.command()
@handle_errors
def show(
    track_id: Annotated[
        str, typer.Argument(metavar="ID", help="The track id (see `tracks list`).")
    ],
    skill: Annotated[
        str | None,
        typer.Option("--skill", help="Show one skill in full: what it is and each level."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole track as JSON.")] = False,
) -> None:
    """A track: its skills with their prerequisites (a table and a tree), its resources and its
    portfolio projects. With --skill, one skill with what mid, senior and staff look like.

    Examples:

        staffpath tracks show backend-messaging

        staffpath tracks show reliability --skill slos-and-error-budgets

        staffpath tracks show data-storage --json | jq '.skills[].id'
    """
    track = load_track(track_id)
    if skill is not None:
        if skill not in track.skill_ids:
            raise InputError(
                f"--skill: track {track.id!r} has no skill {skill!r}; "
                f"the skills are: {', '.join(track.skill_ids)}"
            )
        s = track.skill(skill)
        if as_json:
            typer.echo(json.dumps(s.model_dump(mode="json"), indent=2, ensure_ascii=False))
            return
        console.print(f"[bold]{escape(s.title)}[/bold] ({s.id}, track {track.id})")
        console.print(escape(s.what))
        console.print(f"Needs: {', '.join(s.prerequisites) or 'nothing'}")
        for level in ("mid", "senior", "staff"):
            console.print(f"\n[bold]{level}[/bold]: {escape(getattr(s.levels, level))}")
        reading = [r for r in track.resources if s.id in r.skills]
        if reading:
            console.print("\n[bold]Read[/bold]")
            for r in reading:
                console.print(f"  - {escape(r.title)} ({r.kind}): {r.url}")
        return
    if as_json:
        typer.echo(json.dumps(_track_dict(track), indent=2, ensure_ascii=False))
        return
    console.print(f"[bold]{escape(track.title)}[/bold] ({track.id})")
    console.print(escape(track.summary))
    console.print()
    table = figure_table("Skills", ("skill", "title", "needs"), text_columns=3)
    table.columns[0].no_wrap = table.columns[2].no_wrap = True  # ids stay whole; titles wrap
    for s in track.skills:
        table.add_row(s.id, escape(s.title), "\n".join(s.prerequisites) or "-")
    console.print(table)
    console.print()
    console.print(_prerequisite_tree(track))
    console.print()
    console.print("[bold]Resources[/bold]")
    for r in track.resources:
        by = f", {r.by}" if r.by else ""
        console.print(f"  {r.kind:<7}{escape(r.title)}{escape(by)}")
        console.print(f"         {r.url}", soft_wrap=True)  # never cut a link
        if r.skills:
            console.print(f"         for: {', '.join(r.skills)}")
    console.print()
    console.print("[bold]Portfolio projects[/bold]")
    for p in track.projects:
        problem = f"; design problem: {p.problem}" if p.problem else ""
        console.print(f"\n[bold]{escape(p.title)}[/bold] ({p.id}{problem})")
        console.print(escape(p.brief))
        console.print(f"Skills: {', '.join(p.skills)}")
        console.print("Done when:")
        checklist = Table.grid(padding=(0, 1))
        checklist.add_column(no_wrap=True)
        checklist.add_column()
        for item in p.acceptance:
            checklist.add_row("  [ ]", escape(item))
        console.print(checklist)
    console.print(
        f"\nOne skill in full: staffpath tracks show {track.id} --skill {track.skill_ids[0]}"
    )


def _report(path: Path, evidence: Path | None = None) -> tuple[Track, Report]:
    """The assessment's report; with ``evidence``, claims naming a record the evidence log
    does not hold are findings too."""
    assessment = load_assessment(path)
    track = load_track(assessment.track)
    report = assess(track, assessment)
    if evidence is not None:
        from dataclasses import replace

        from staffpath.career.assessment import unknown_evidence
        from staffpath.career.evidence import load_evidence

        log = load_evidence(evidence, today=datetime.now(UTC).date())
        known = {r.evidence.id for r in log.records}
        extra = tuple(unknown_evidence(assessment, known))
        report = replace(report, findings=report.findings + extra)
    return track, report


def _print_next(report: Report, top: int | None) -> None:
    ranked = report.next[:top] if top else report.next
    if not ranked:
        console.print("Every skill is at the target level. Raise the target, or pick a new track.")
        return
    for i, n in enumerate(ranked, 1):
        console.print(f"  {i}. [bold]{n.id}[/bold] ({escape(n.title)}): {n.level} -> {n.aim}")
        for reason in n.reasons:
            console.print(f"       {escape(reason)}")
    if report.blocked:
        console.print("  Waiting on prerequisites:")
        for b in report.blocked:
            waits = ", ".join(f"{s} ({lv})" for s, lv in b.waiting_on)
            console.print(f"    {b.id} -> {b.aim} needs {b.aim} in: {waits}")


@app.command("assess")
@handle_errors
def assess_command(
    path: Annotated[Path, typer.Argument(metavar="FILE", help=FILE_HELP)],
    evidence: Annotated[
        Path | None,
        typer.Option(
            "--evidence",
            help="Your evidence log: a claim naming a record it does not hold is flagged.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Progress per skill and overall against the target level, the levels claimed without
    evidence, and the next best skills to work on (with the reasons).

    Progress of a skill is min(level, target) / target (none 0, mid 1, senior 2, staff 3);
    overall is the sum over the skills divided by target x skills. "Backed" counts a level
    only when it has evidence.

    Examples:

        staffpath tracks assess examples/career/assessment.yaml

        staffpath tracks assess career/assessment.yaml --json | jq '.next[0]'

        staffpath tracks assess career/assessment.yaml --evidence career/evidence.yaml
    """
    track, report = _report(path, evidence)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    console.print(f"[bold]{escape(track.title)}[/bold], target {report.target}")
    table = figure_table("Progress", ("skill", "level", "progress", "", "evidence"), text_columns=2)
    for s in report.skills:
        backing = str(len(s.evidence)) if s.backed else "[red]none[/red]"
        table.add_row(s.id, LEVEL_MARK[s.level], _bar(s.progress), _percent(s.progress), backing)
    console.print(table)
    console.print(
        f"Overall {_percent(report.overall)} of {report.target} "
        f"({_percent(report.backed_overall)} backed by evidence)"
    )
    if report.findings:
        console.print(f"\n[bold]Unbacked claims[/bold] ({len(report.findings)})")
        for f in report.findings:
            console.print(f"  [red]![/red] {escape(f.reason)}")
            console.print(f"    -> {escape(f.suggestion)}")
    console.print("\n[bold]Next best skills[/bold]")
    _print_next(report, 3)


@app.command("next")
@handle_errors
def next_command(
    path: Annotated[Path, typer.Argument(metavar="FILE", help=FILE_HELP)],
    top: Annotated[
        int | None, typer.Option("--top", min=1, help="Show only the first N skills.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """The ranking of the skills to work on next. A skill is ready when each prerequisite has
    reached the level you aim at on it (one above your level); ready skills rank by how many
    skills below the target they unlock downstream, then by the gap to the target.

    Examples:

        staffpath tracks next examples/career/assessment.yaml --top 3

        staffpath tracks next career/assessment.yaml --json | jq '.next[].skill'
    """
    track, report = _report(path)
    if as_json:
        data = report.to_dict()
        shown = {
            "track": track.id,
            "target": report.target,
            "next": data["next"][:top] if top else data["next"],
            "blocked": data["blocked"],
        }
        typer.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        return
    console.print(f"[bold]{escape(track.title)}[/bold], target {report.target}: work on")
    _print_next(report, top)


@app.command()
@handle_errors
def radar(
    path: Annotated[Path, typer.Argument(metavar="FILE", help=FILE_HELP)],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Where to write the SVG.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the Vega-Lite specification instead.")
    ] = False,
) -> None:
    """A radar chart of your levels against the target, one axis per skill, as SVG (or its
    Vega-Lite specification with --json, for the browser or vl-convert).

    Examples:

        staffpath tracks radar examples/career/assessment.yaml -o radar.svg

        staffpath tracks radar career/assessment.yaml --json > radar.vl.json
    """
    if output is None and not as_json:
        raise InputError("say where to write the chart with -o FILE.svg (or use --json)")
    assessment = load_assessment(path)
    spec = radar_chart(load_track(assessment.track), assessment)
    if as_json:
        typer.echo(json.dumps(spec, indent=2, ensure_ascii=False))
        return
    assert output is not None
    write_atomic(output, to_svg(spec))
    console.print(f"wrote {output}")


@app.command()
@handle_errors
def template(
    track_id: Annotated[
        str, typer.Argument(metavar="ID", help="The track id (see `tracks list`).")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="The assessment file to write.")],
    target: Annotated[
        str, typer.Option("--target", help="The level you aim at: mid, senior or staff.")
    ] = "senior",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a blank self-assessment for a track: every skill at none, no evidence. Fill in
    your levels and the evidence for them, then run `tracks assess`.

    Examples:

        staffpath tracks template backend-messaging -o career/assessment.yaml

        staffpath tracks template reliability -o sre.yaml --target staff
    """
    if target not in ("mid", "senior", "staff"):
        raise InputError(f"--target: expected mid, senior or staff, not {target!r}")
    track = load_track(track_id)
    if output.exists() and not force:
        raise InputError(f"{output}: exists already; pass --force to overwrite it")
    level: TargetLevel = target  # type: ignore[assignment]
    write_atomic(output, blank_assessment(track, target=level))
    console.print(f"wrote {output}: fill in each skill's level and evidence")
