"""``staffpath problems``: the problem bank (what a candidate may see)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from staffpath.cli.errors import handle_errors
from staffpath.cli.render import figure_table

app = typer.Typer(
    name="problems",
    help="The problem bank: list the problems, show one's prompt and public requirements.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False)


@app.command("list")
@handle_errors
def list_problems(
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """Every problem in the bank, with its difficulty and how many hidden scenarios grade it.

    Examples:

        staffpath problems list

        staffpath problems list --json | jq '.[].id'
    """
    from staffpath.practice.problems import load_problem, problem_ids

    rows: list[dict[str, Any]] = []
    for pid in problem_ids():
        p = load_problem(pid)
        rows.append(
            {
                "id": p.id,
                "title": p.title,
                "difficulty": p.difficulty,
                "flows": list(p.requirements.flows),
                "scenarios": len(p.scenarios),
            }
        )
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = figure_table(
        "Problems", ("id", "title", "difficulty", "flows", "hidden scenarios"), text_columns=4
    )
    for r in rows:
        table.add_row(
            r["id"], escape(r["title"]), r["difficulty"], ", ".join(r["flows"]), str(r["scenarios"])
        )
    console.print(table)


@app.command("show")
@handle_errors
def show(
    problem: Annotated[str, typer.Argument(help="A problem id, e.g. url-shortener.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print it as JSON.")] = False,
) -> None:
    """A problem as a candidate sees it: the prompt and the public requirements (never the
    hidden scenarios, the reference design or the rubric).

    Examples:

        staffpath problems show url-shortener
    """
    from staffpath.practice.problems import load_problem

    p = load_problem(problem)
    prompt = " ".join(p.prompt.split())
    public = {
        "id": p.id,
        "title": p.title,
        "difficulty": p.difficulty,
        "prompt": prompt,
        "requirements": p.requirements.model_dump(mode="json"),
    }
    if as_json:
        typer.echo(json.dumps(public, indent=2, ensure_ascii=False))
        return
    r = p.requirements
    console.print(f"[bold]{escape(p.title)}[/bold] ({p.difficulty})\n")
    console.print(escape(prompt) + "\n")
    for title, items in (
        ("Functional", r.functional),
        ("Non-functional", r.non_functional),
        ("Numbers", r.numbers),
    ):
        if items:
            console.print(f"[bold]{title}[/bold]")
            for item in items:
                console.print(f"  - {escape(item)}")
    console.print("[bold]Flows your design must name[/bold]")
    for name, flow in r.flows.items():
        share = f" ({flow.share:.1%} of requests)" if flow.share is not None else ""
        console.print(f"  - {name}{share}: {escape(flow.description)}")
    console.print(
        "\nAsk clarifying questions with `staffpath interview start "
        f"{p.id}`; grade a design with `staffpath interview grade {p.id} DESIGN.yaml`."
    )
