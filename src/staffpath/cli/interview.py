"""``staffpath interview``: grade a design against a problem's hidden scenarios."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.markup import escape

from staffpath.cli.errors import handle_errors
from staffpath.cli.render import figure_table
from staffpath.design.load import load
from staffpath.errors import InputError
from staffpath.units import (
    UnitError,
    parse_count,
    parse_rate,
    parse_size,
    show_money,
    show_rate,
    show_size,
)

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
        if isinstance(value, int | float):
            out[str(key)] = float(value)
            continue
        unit = units.get(str(key), "")
        parse = parse_rate if unit.endswith("/s") else parse_size if unit == "B" else parse_count
        try:
            out[str(key)] = parse(value)
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
