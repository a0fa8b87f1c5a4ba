"""``staffpath review``: a coach for code-review comments, and review katas to practise on.

Exit codes: ``lint`` and ``kata check`` exit 1 when any comment has an *error* finding (no
label, an unknown label, belittling words), so ``staffpath review lint review.md`` can gate a
CI job on the comments that would hurt or confuse; warnings and info are printed but never
fail the run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from staffpath.cli.errors import handle_errors
from staffpath.cli.render import figure_table
from staffpath.errors import InputError

if TYPE_CHECKING:
    from staffpath.practice.review import ReviewReport

app = typer.Typer(
    name="review",
    help="Coach code-review comments (Conventional Comments) and practise on review katas.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
kata_app = typer.Typer(
    name="kata",
    help="Small diffs with seeded problems: list them, show one, check your review of it.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(kata_app)
console = Console(highlight=False)


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        raise InputError(f"{source}: no such file; give a comments file, or - for stdin")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text ({exc.reason})") from None


def _print_form(report: ReviewReport, source: str) -> None:
    table = figure_table(
        f"Review comments in {source}",
        ("line", "label", "score", "finding", "why", "try"),
        text_columns=6,
    )
    for r in report.comments:
        c = r.comment
        label = c.label or "(none)"
        if c.decorations:
            label += f" ({', '.join(c.decorations)})"
        if not r.findings:
            table.add_row(str(c.line), escape(label), str(r.score), "ok", "", "")
        for i, f in enumerate(r.findings):
            first = i == 0
            table.add_row(
                str(c.line) if first else "",
                escape(label) if first else "",
                str(r.score) if first else "",
                f"{f.severity}: {f.rule}",
                escape(f.message),
                escape(f.hint),
            )
    console.print(table)
    errors = sum(1 for r in report.comments for f in r.findings if f.severity == "error")
    console.print(
        f"{len(report.comments)} comments, form score {report.score}/100, "
        f"{errors} error finding{'s' if errors != 1 else ''}"
    )


@app.command("lint")
@handle_errors
def lint(
    source: Annotated[str, typer.Argument(help="A file of review comments, or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Lint review comments written as Conventional Comments (`label (decorations): subject`,
    discussion below, comments separated by a blank line or ---): labels, blocking or not,
    a way forward for issues, specific pointers, tone, shouting and readability. A score per
    comment and overall. Exits 1 when any comment has an error finding.

    Examples:

        staffpath review lint review.md

        git notes show | staffpath review lint - --json | jq .score
    """
    from staffpath.practice.review import lint_text, report_to_dict

    report = lint_text(_read(source))
    if as_json:
        typer.echo(json.dumps(report_to_dict(report), indent=2, ensure_ascii=False))
    else:
        _print_form(report, source)
    if report.has_errors:
        raise typer.Exit(1)


@kata_app.command("list")
@handle_errors
def kata_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """Every review kata, with its language and how many problems are seeded in it.

    Examples:

        staffpath review kata list
    """
    from staffpath.practice.katas import kata_ids, load_kata

    rows: list[dict[str, Any]] = []
    for kid in kata_ids():
        k = load_kata(kid)
        rows.append(
            {"id": k.id, "title": k.title, "language": k.language, "problems": len(k.problems)}
        )
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = figure_table("Review katas", ("id", "title", "language", "problems"), text_columns=3)
    for r in rows:
        table.add_row(r["id"], escape(r["title"]), r["language"], str(r["problems"]))
    console.print(table)


@kata_app.command("show")
@handle_errors
def kata_show(
    kata: Annotated[str, typer.Argument(help="A kata id, e.g. py-pagination.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print it as JSON.")] = False,
) -> None:
    """A kata's summary and diff with new-file line numbers, ready to review (the seeded
    problems stay hidden; --json gives the raw diff).

    Examples:

        staffpath review kata show py-pagination
    """
    from staffpath.practice.katas import load_kata, numbered

    k = load_kata(kata)
    if as_json:
        public = {"id": k.id, "title": k.title, "language": k.language, "summary": k.summary}
        typer.echo(json.dumps({**public, "diff": k.diff, "problems": len(k.problems)}, indent=2))
        return
    typer.echo(f"# {k.title} ({k.language}): {k.summary}")
    typer.echo(
        f"# {len(k.problems)} problems are seeded. The left column is the line number in the"
        " new file: refer to it as `line N`."
    )
    typer.echo(numbered(k.diff), nl=False)


@kata_app.command("check")
@handle_errors
def kata_check(
    kata: Annotated[str, typer.Argument(help="A kata id, e.g. py-pagination.")],
    comments: Annotated[str, typer.Argument(help="Your review comments file, or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Check your review of a kata: the form lint of your comments, which seeded problems you
    found (a comment finds one when it points at its line or file and names the problem),
    the ones you missed with why they matter, the rubric, and a score (70 for the share found,
    30 for form). Exits 1 when any comment has an error finding.

    Examples:

        staffpath review kata check py-pagination my-review.md

        staffpath review kata check py-pagination my-review.md --json | jq .found
    """
    from staffpath.practice.katas import check, load_kata
    from staffpath.practice.review import parse

    k = load_kata(kata)
    result = check(k, parse(_read(comments)))
    if as_json:
        payload = result.to_dict()
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        _print_form(result.form, comments)
        table = figure_table(
            f"Seeded problems in {k.id}",
            ("problem", "kind", "where", "found", "why it matters"),
            text_columns=5,
        )
        for p in result.problems:
            found = "yes (comment at line " + ", ".join(map(str, p.found_by)) + ")"
            table.add_row(
                p.problem.id,
                p.problem.kind,
                f"{p.problem.file}:{p.problem.line}",
                found if p.found_by else "missed",
                escape(p.problem.explanation),
            )
        console.print(table)
        console.print("[bold]Rubric[/bold]")
        for item in k.rubric:
            console.print(f"  - {escape(item)}")
        console.print(
            f"Found {result.found} of {len(result.problems)} problems; "
            f"score {result.score}/100 (70 for problems found, 30 for form)."
        )
    if result.form.has_errors:
        raise typer.Exit(1)
