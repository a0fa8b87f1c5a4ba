"""``staffpath interview``: grade a design against a problem's hidden scenarios."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console
from rich.markup import escape

from staffpath.cli.errors import handle_errors
from staffpath.cli.render import figure_table
from staffpath.design.load import load
from staffpath.errors import InputError
from staffpath.practice.problems import parse_estimate
from staffpath.units import UnitError, show_money, show_rate, show_size

app = typer.Typer(
    name="interview",
    help="Mock design interviews: grade a design against a problem's hidden load scenarios.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False)


def read_estimates(path: Path, units: dict[str, str]) -> dict[str, float]:
    """A YAML mapping of estimate name to value. A value may carry the unit of its reference
    (``1.2k/s`` for a rate, ``36TB`` for bytes, ``365B`` for a count: B is a billion unless
    the estimate is in bytes); ``units`` maps each name to its reference unit."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not YAML ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of estimate name to value")
    out = {}
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InputError(f"{path}: {key}: expected a number, found {value!r}")
        try:
            out[str(key)] = parse_estimate(value, units.get(str(key), ""))
        except UnitError as exc:
            raise InputError(f"{path}: {key}: {exc}") from None
    return out


def human(value: float, unit: str) -> str:
    """``23148.0, "/s"`` -> ``23.15k/s``; ``3.65e13, "B"`` -> ``36.5TB``; counts with k/M/B."""
    if unit.endswith("/s"):
        return show_rate(value)
    if unit == "B":
        return show_size(value)
    for suffix, factor in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= factor:
            return f"{value / factor:.4g}{suffix} {unit}".rstrip()
    return f"{value:.4g} {unit}".rstrip()


@app.command()
@handle_errors
def grade(
    problem: Annotated[str, typer.Argument(help="A problem id, e.g. url-shortener.")],
    design: Annotated[Path, typer.Argument(help="Your design (YAML).", show_default=False)],
    estimates: Annotated[
        Path | None,
        typer.Option(
            "--estimates",
            help="A YAML file of your estimates by name (see the report for the names).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the failure simulations.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Run a design against every hidden scenario of a problem: pass or fail with the reason
    (which goal, by how much, the bottleneck or the single point of failure), estimates
    against the reference, cost against the budget, a score per area and a level signal.

    Examples:

        staffpath interview grade url-shortener my-design.yaml

        staffpath interview grade url-shortener my-design.yaml --estimates est.yaml --json
    """
    from staffpath.practice.grading import grade as run
    from staffpath.practice.problems import load_problem

    p = load_problem(problem)
    units = {e.name: e.unit for e in p.estimates}
    given = read_estimates(estimates, units) if estimates is not None else None
    loaded = load(design)
    with Console(stderr=True).status("running the hidden scenarios", spinner="dots"):
        report = run(p, loaded.design, estimates=given, seed=seed)
    if as_json:
        typer.echo(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    verdict = "[green]passes every scenario[/green]" if report.passed else "[red]fails[/red]"
    console.print(
        f"[bold]{escape(p.title)}[/bold]: {escape(report.design)} {verdict}; score "
        f"{report.score:.0f}/100 ({report.level})"
    )
    table = figure_table("Hidden scenarios", ("scenario", "kind", "result", "why"), text_columns=4)
    for s in report.scenarios:
        result = "[green]pass[/green]" if s.passed else "[red]FAIL[/red]"
        why = "\n".join(escape(r) for r in s.reasons) or escape(s.description)
        table.add_row(s.name, s.kind, result, why)
    console.print(table)
    if report.budget_per_month is not None:
        over = report.cost_per_month > report.budget_per_month
        console.print(
            f"Cost at peak: {show_money(report.cost_per_month)} against a budget of "
            f"{show_money(report.budget_per_month)}" + (" [red](over)[/red]" if over else "")
        )
    if given is not None:
        est = figure_table(
            "Estimates", ("estimate", "yours", "reference", "ok", "arithmetic"), text_columns=1
        )
        for e in report.estimates:
            est.add_row(
                escape(e.label),
                "-" if e.given is None else human(e.given, e.unit),
                human(e.reference, e.unit),
                "[green]yes[/green]" if e.ok else "[red]no[/red]",
                "" if e.ok else escape(e.formula),
            )
        console.print(est)
    else:
        names = ", ".join(e.name for e in report.estimates)
        console.print(f"[dim]Add --estimates FILE (a YAML mapping of {names}) to grade them.[/dim]")
    areas = ", ".join(f"{k} {v:.0f}" for k, v in report.areas.items())
    console.print(f"Areas: {areas}")


DATA_DIR_HELP = "The studio's data folder (default: the user data folder; see staffpath serve)."
HELP = """\
Commands:
  ? QUESTION          ask a clarifying question (the interviewer answers from the problem)
  est NAME VALUE      record an estimate, e.g. est writes_per_s 1.2k/s   (names: {names})
  note TEXT           add a line to your notes
  design FILE         use FILE as your design (read again at the curveball and at the end)
  next                move to the next phase
  curveball           the deep dive's curveball, run on your design
  status              the phases and the clock
  finish              end the interview and get the report
  quit                leave; the session is kept unfinished
"""


def _sessions(data_dir: Path | None) -> Any:
    from staffpath.cli.database import sessions

    return sessions(data_dir)


def _clock(session: Any, now: Any) -> str:
    current = session.current()
    total_left = session.minutes * 60 - (now - session.started_at).total_seconds()
    if current is None:
        return "finished"
    left = current.minutes * 60 - (now - current.started_at).total_seconds()

    def mmss(seconds: float) -> str:
        sign = "-" if seconds < 0 else ""
        seconds = abs(int(seconds))
        return f"{sign}{seconds // 60}:{seconds % 60:02d}"

    return f"{current.title} · {mmss(left)} left · {mmss(total_left)} overall"


@app.command()
@handle_errors
def start(
    problem: Annotated[str, typer.Argument(help="A problem id, e.g. url-shortener.")],
    minutes: Annotated[float, typer.Option("--minutes", help="Length of the interview.")] = 45,
    design: Annotated[
        Path | None,
        typer.Option(
            "--design", help="Your design file (you can also name it later).", show_default=False
        ),
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help=DATA_DIR_HELP, show_default=False)
    ] = None,
) -> None:
    """A timed mock interview in the terminal: six phases with time boxes, clarifying questions
    answered from the problem, your estimates, notes and design, a curveball in the deep dive,
    and the graded report. The session is stored (see `staffpath interview history`).

    Examples:

        staffpath interview start url-shortener

        staffpath interview start chat --minutes 60 --design chat.yaml
    """
    from datetime import UTC, datetime

    from staffpath.errors import DesignError
    from staffpath.practice import interview as iv
    from staffpath.practice.problems import load_problem
    from staffpath.store import repository as repo

    def now() -> datetime:
        return datetime.now(UTC)

    p = load_problem(problem)
    session = iv.start(p, minutes, now())
    sessions = _sessions(data_dir)
    import secrets

    with sessions.begin() as db:
        row_id = repo.create_interview(
            session=db, problem=p.id, key=secrets.token_urlsafe(24), state=session.model_dump_json()
        ).id

    def save() -> None:
        grading = session.grading
        with sessions.begin() as db:
            row = repo.get_interview(session=db, interview_id=row_id)
            repo.save_interview(
                session=db,
                row=row,
                state=session.model_dump_json(),
                score=grading.get("score"),
                finished=session.finished,
            )

    def read_design() -> None:
        nonlocal session
        if design is not None:
            try:
                text = design.read_text(encoding="utf-8")
            except OSError as exc:
                console.print(f"[red]cannot read {design}: {exc.strerror or exc}[/red]")
                return
            session = session.model_copy(update={"design_yaml": text})

    console.print(
        f"[bold]{escape(p.title)}[/bold] — mock interview #{row_id}, {minutes:g} minutes\n"
    )
    console.print(escape(" ".join(p.prompt.split())) + "\n")
    units = {e.name: e.unit for e in p.estimates}
    console.print(HELP.format(names=", ".join(units)))
    while not session.finished:
        try:
            line = input(f"[{_clock(session, now())}] > ").strip()
        except EOFError:
            line = "quit"
        command, _, rest = line.partition(" ")
        try:
            if not line:
                continue
            if line.startswith("?") or command == "ask":
                question = line[1:] if line.startswith("?") else rest
                session = iv.ask(session, p, question, now())
                console.print(f"[cyan]Interviewer:[/cyan] {escape(session.questions[-1].answer)}")
            elif command == "est":
                name, _, value = rest.strip().partition(" ")
                if name not in units:
                    console.print(f"[red]no estimate {name!r}; names: {', '.join(units)}[/red]")
                    continue
                number = parse_estimate(value, units[name])
                session = session.model_copy(
                    update={"estimates": {**session.estimates, name: number}}
                )
                console.print(f"noted {name} = {human(number, units[name])}")
            elif command == "note":
                session = session.model_copy(
                    update={"notes": (session.notes + "\n" + rest).strip()}
                )
            elif command == "design":
                design = Path(rest.strip())
                read_design()
                console.print(f"design: {design}")
            elif command == "next":
                session = iv.advance(session, now())
                current = session.current()
                console.print(f"[bold]{current.title if current else 'All phases done'}[/bold]")
            elif command == "curveball":
                read_design()
                session, result = iv.curveball(session, p)
                mark = "[green]holds[/green]" if result.passed else "[red]breaks[/red]"
                console.print(f"[bold]{escape(result.description)}[/bold] Your design {mark}.")
                for reason in result.reasons:
                    console.print(f"  - {escape(reason)}")
            elif command == "status":
                for ph in session.phases:
                    state = "done" if ph.ended_at else "now" if ph.started_at else ""
                    console.print(f"  {ph.title:<20} {ph.minutes:>5g} min  {state}")
            elif command == "finish":
                read_design()
                session = iv.finish(session, p, now())
            elif command == "quit":
                save()
                console.print(f"Left unfinished; interview #{row_id} is stored.")
                return
            elif command == "help":
                console.print(HELP.format(names=", ".join(units)))
            else:
                console.print(f"[red]unknown command {command!r}[/red]; type help")
        except (UnitError, ValueError) as exc:
            console.print(f"[red]{escape(str(exc))}[/red]")
        except DesignError as exc:
            for problem_ in exc.problems:
                console.print(f"[red]{escape(problem_.render(str(design or 'design')))}[/red]")
        except InputError as exc:
            console.print(f"[red]{escape(str(exc))}[/red]")
        save()
    _print_report(session.report or {})


def _print_report(report: dict[str, Any]) -> None:
    grading = report.get("grading")
    if grading is None:
        console.print("[red]Your design did not load, so the scenarios could not run:[/red]")
        for p in report.get("problems", []):
            console.print(f"  {escape(str(p.get('message')))}")
    else:
        verdict = (
            "[green]passes every scenario[/green]" if grading["passed"] else "[red]fails[/red]"
        )
        console.print(
            f"\nYour design {verdict}: score {grading['score']:.0f}/100 ({grading['level']})"
        )
        for s in grading["scenarios"]:
            mark = "[green]pass[/green]" if s["passed"] else "[red]FAIL[/red]"
            console.print(f"  {mark} {s['name']}: {escape(s['description'])}")
            for r in s["reasons"]:
                console.print(f"       {escape(r)}")
    console.print("\nTime per phase:")
    for ph in report.get("phases", []):
        flag = " [red](over)[/red]" if ph["over"] else ""
        console.print(
            f"  {ph['title']:<20} {ph['spent_minutes']:>5g} of {ph['minutes']:g} min{flag}"
        )
    console.print("\nPractise next:")
    for advice in report.get("practise_next", []):
        console.print(f"  - {escape(advice)}")


@app.command()
@handle_errors
def history(
    as_json: Annotated[bool, typer.Option("--json", help="Print the sessions as JSON.")] = False,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help=DATA_DIR_HELP, show_default=False)
    ] = None,
) -> None:
    """Your stored mock interviews: problem, date, score and the score per area over time.

    Examples:

        staffpath interview history

        staffpath interview history --json | jq '.[].score'
    """
    from staffpath.practice import interview as iv
    from staffpath.practice.problems import load_problem
    from staffpath.store import repository as repo

    rows: list[dict[str, Any]] = []
    with _sessions(data_dir).begin() as db:
        for row in repo.list_interviews(session=db):
            session = iv.Session.model_validate_json(row.state)
            grading = session.grading
            rows.append(
                {
                    "id": row.id,
                    "problem": row.problem,
                    "title": load_problem(row.problem).title,
                    "started_at": row.started_at.isoformat(),
                    "finished": row.finished_at is not None,
                    "score": row.score,
                    "areas": grading.get("areas"),
                }
            )
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        console.print("No interviews yet: staffpath interview start PROBLEM")
        return
    table = figure_table(
        "Mock interviews", ("#", "problem", "date", "score", "areas"), text_columns=3
    )
    for r in rows:
        areas = ", ".join(f"{k} {v:.0f}" for k, v in (r["areas"] or {}).items())
        score = "unfinished" if r["score"] is None else f"{r['score']:.0f}"
        table.add_row(str(r["id"]), escape(r["title"]), r["started_at"][:16], score, areas)
    console.print(table)
    graded = [r for r in reversed(rows) if r["areas"]]
    if len(graded) > 1:
        bars = "▁▂▃▄▅▆▇█"
        console.print("Trend, oldest to newest:")
        for area in graded[-1]["areas"]:
            points = [r["areas"].get(area) for r in graded if area in r["areas"]]
            line = "".join(bars[min(int(v / 100 * 7.999), 7)] for v in points)
            console.print(f"  {area:<12} {line}  {points[-1]:.0f}")
