"""``staffpath stories``: the STAR story bank: check stories, see coverage, rehearse."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from staffpath.cli.errors import handle_errors
from staffpath.cli.render import figure_table
from staffpath.errors import InputError
from staffpath.practice.stories import draw_question, load_stories, questions
from staffpath.practice.story_check import (
    MAX_SECONDS,
    MIN_SECONDS,
    StoryCheck,
    answers,
    check_stories,
    coverage,
    coverage_dict,
)

app = typer.Typer(
    name="stories",
    help="Your STAR story bank: check each story, see which competencies and questions it "
    "covers, rehearse against a random question.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False)

PATH_HELP = "A story file (.yaml or .md) or a folder of them."
DEFAULT_PATH = Path("stories")
MARK = {"strong": "[green]strong[/green]", "weak": "[red]weak[/red]", "gap": "[red]gap[/red]"}


def _print_check(chk: StoryCheck) -> None:
    console.print(
        f"[bold]{escape(chk.title)}[/bold] ({escape(chk.file)}): "
        f"{MARK[chk.strength]}, {chk.score}/100"
    )
    for f in chk.findings:
        mark = "[green]pass[/green]" if f.passed else "[red]FAIL[/red]"
        console.print(f"  {mark} {f.rule:<13}{escape(f.reason)}")
        if f.suggestion:
            console.print(f"       -> {escape(f.suggestion)}")


@app.command()
@handle_errors
def check(
    path: Annotated[Path, typer.Argument(help=PATH_HELP)] = DEFAULT_PATH,
    as_json: Annotated[bool, typer.Option("--json", help="Print the checks as JSON.")] = False,
) -> None:
    """Check every story: all four parts there and substantial, a measured result, the action
    told in the first person, about 1.5 to 3 minutes spoken, follow-ups prepared, competencies
    tagged. Each finding has its reason and a suggestion; each story a score and a strength.

    Examples:

        staffpath stories check

        staffpath stories check examples/stories --json | jq '.[] | {id, score}'
    """
    checks = check_stories(load_stories(path))
    if as_json:
        typer.echo(json.dumps([c.to_dict() for c in checks], indent=2, ensure_ascii=False))
        return
    for chk in checks:
        _print_check(chk)
        console.print()
    strong = sum(c.strength == "strong" for c in checks)
    noun = "story" if len(checks) == 1 else "stories"
    console.print(f"{len(checks)} {noun}: {strong} strong, {len(checks) - strong} weak")


@app.command("coverage")
@handle_errors
def coverage_command(
    path: Annotated[Path, typer.Argument(help=PATH_HELP)] = DEFAULT_PATH,
    as_json: Annotated[bool, typer.Option("--json", help="Print the coverage as JSON.")] = False,
) -> None:
    """Which competencies your stories cover (strong, weak or a gap) and each bank question's
    best story: one that names the question first, else one sharing a competency; strong only
    when that story passes the check.

    Examples:

        staffpath stories coverage

        staffpath stories coverage examples/stories --json | jq '.questions[] | select(.status == "gap")'
    """
    stories = load_stories(path)
    checks = check_stories(stories)
    matrix, answered = coverage(stories, checks)
    if as_json:
        data = coverage_dict(matrix, answered)
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    table = figure_table("Competencies", ("competency", "status", "stories"), text_columns=3)
    for name, row in matrix.items():
        tagged = [f"{s} (strong)" for s in row["strong"]] + [f"{s} (weak)" for s in row["weak"]]
        table.add_row(name, MARK[row["status"]], escape(", ".join(tagged)) or "-")
    console.print(table)
    qtable = figure_table(
        "Questions", ("question", "status", "best story", "match", "score"), text_columns=4
    )
    for a in answered:
        qtable.add_row(
            a.question.id,
            MARK[a.status],
            a.story.id if a.story else "-",
            a.how or "-",
            str(a.story.score) if a.story else "-",
        )
    console.print(qtable)
    counts = {s: sum(a.status == s for a in answered) for s in ("strong", "weak", "gap")}
    gaps = [n for n, r in matrix.items() if r["status"] == "gap"]
    console.print(
        f"{len(answered)} questions: {counts['strong']} strong, {counts['weak']} weak, "
        f"{counts['gap']} gaps"
    )
    if gaps:
        console.print("Write a story for: " + ", ".join(gaps))


@app.command("questions")
@handle_errors
def list_questions(
    competency: Annotated[
        str | None,
        typer.Option("--competency", help="Only the questions probing this competency."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the questions as JSON.")] = False,
) -> None:
    """The behavioural question bank: each question's id (name it in a story's `questions:`)
    and the competencies it probes.

    Examples:

        staffpath stories questions --competency conflict

        staffpath stories questions --json | jq '.[].id'
    """
    bank = questions(competency)
    if as_json:
        typer.echo(json.dumps([q.model_dump() for q in bank], indent=2, ensure_ascii=False))
        return
    table = figure_table("Questions", ("id", "competencies", "question"), text_columns=3)
    for q in bank:
        table.add_row(q.id, ", ".join(q.competencies), escape(q.text))
    console.print(table)


@app.command()
@handle_errors
def rehearse(
    path: Annotated[Path, typer.Argument(help=PATH_HELP)] = DEFAULT_PATH,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed of the question draw.", show_default=False)
    ] = None,
    competency: Annotated[
        str | None, typer.Option("--competency", help="Draw only questions probing this.")
    ] = None,
) -> None:
    """Rehearse out loud: a random question from the bank, the stories of yours that answer
    it, a clock while you tell the one you pick (press Enter when done), then its check.

    Examples:

        staffpath stories rehearse

        staffpath stories rehearse my-stories --seed 7 --competency conflict
    """
    stories = load_stories(path)
    checks = check_stories(stories)
    question = draw_question(seed, competency)
    console.print(f"[bold]Question[/bold] ({question.id}): {escape(question.text)}")
    console.print(f"It probes: {', '.join(question.competencies)}\n")
    found = answers(question, stories, checks)
    if not found:
        console.print(
            "None of your stories answers it. Write one tagged with "
            f"{' or '.join(question.competencies)} and name {question.id} in its questions."
        )
        return
    console.print("Your stories that answer it:")
    for i, (chk, how) in enumerate(found, 1):
        why = "names this question" if how == "named" else "shares a competency"
        console.print(
            f"  {i}. {escape(chk.title)} ({chk.id}): {MARK[chk.strength]} {chk.score}/100, {why}"
        )
    picked = typer.prompt("Which story will you tell?", default=1, type=int)
    if not 1 <= picked <= len(found):
        raise InputError(f"choose a story from 1 to {len(found)}, not {picked}")
    chk = found[picked - 1][0]
    low, high = MIN_SECONDS / 60, MAX_SECONDS / 60
    console.print(f"Tell it out loud now (aim for {low:g} to {high:g} minutes).")
    started = time.monotonic()
    typer.prompt("Press Enter when done", default="", show_default=False)
    spoken = round(time.monotonic() - started)
    console.print(
        f"You spoke for {spoken // 60}:{spoken % 60:02d}; the written story takes about "
        f"{chk.seconds // 60}:{chk.seconds % 60:02d}.\n"
    )
    _print_check(chk)


DATA_DIR_HELP = "The studio's data folder (default: the user one)."


@app.command("import")
@handle_errors
def import_stories(
    path: Annotated[Path, typer.Argument(help=PATH_HELP)] = DEFAULT_PATH,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help=DATA_DIR_HELP, show_default=False)
    ] = None,
) -> None:
    """Copy story files into the studio, where its pages and the my-stories flashcard deck use
    them. A story whose title is already there is updated in place, so importing again after
    editing the files does not duplicate anything. Every file is checked first: one broken file
    and nothing is imported.

    Examples:

        staffpath stories import stories/

        staffpath stories import stories/queue-migration.md
    """
    from staffpath.cli.database import sessions
    from staffpath.store import documents as docs
    from staffpath.store.practice import STORY

    loaded = load_stories(path)  # all or nothing: raises on the first broken file
    added = updated = 0
    with sessions(data_dir).begin() as db:
        existing = {row.name: row for row in docs.list_documents(session=db, kind=STORY, own=True)}
        for item in loaded:
            file = Path(item.file)
            fmt = "markdown" if file.suffix.lower() in (".md", ".markdown") else "yaml"
            text = file.read_text(encoding="utf-8")
            row = existing.get(item.story.title)
            if row is None:
                docs.create_document(
                    session=db, kind=STORY, name=item.story.title, format=fmt, text=text
                )
                added += 1
            elif (row.format, row.text) != (fmt, text):
                docs.update_document(
                    session=db,
                    kind=STORY,
                    document_id=row.id,
                    name=item.story.title,
                    format=fmt,
                    text=text,
                )
                updated += 1
    console.print(
        f"{added} added, {updated} updated, {len(loaded) - added - updated} unchanged "
        f"({len(loaded)} stories)."
    )


@app.command("export")
@handle_errors
def export_stories(
    output: Annotated[Path, typer.Option("-o", "--output", help="The folder to write into.")],
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help=DATA_DIR_HELP, show_default=False)
    ] = None,
) -> None:
    """Write the studio's stories as files (YAML or Markdown, as each was written), one per
    story, named after its title.

    Examples:

        staffpath stories export -o stories/
    """
    from staffpath.cli.database import sessions
    from staffpath.cli.files import write_folder
    from staffpath.practice.personal_decks import slug
    from staffpath.store import documents as docs
    from staffpath.store.practice import STORY

    with sessions(data_dir).begin() as db:
        rows = docs.list_documents(session=db, kind=STORY)
    files: dict[str, str | bytes] = {}
    for row in reversed(rows):
        stem = slug(row.name)
        name = f"{stem}.{'md' if row.format == 'markdown' else 'yaml'}"
        n = 2
        while name in files:
            name = f"{stem}-{n}.{'md' if row.format == 'markdown' else 'yaml'}"
            n += 1
        files[name] = row.text
    written = write_folder(output, files)
    console.print(f"Wrote {len(written)} stories to {output}")
