"""``staffpath cards``: flashcards with spaced repetition (FSRS), in the terminal or Anki."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from staffpath.cli.errors import handle_errors
from staffpath.cli.render import figure_table
from staffpath.errors import InputError

app = typer.Typer(
    name="cards",
    help="Flashcards with spaced repetition: latency numbers, nines, consistency, caching, more.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False)
DATA_DIR_HELP = "Where the review state is kept (default: the user data folder)."
STATE_FILE = "cards.json"


def _state_path(data_dir: Path | None) -> Path:
    from staffpath.web.settings import Settings

    return Settings.build(data_dir=data_dir).data_dir / STATE_FILE


def _read_state(path: Path) -> Any:
    from staffpath.practice.cards import ReviewState

    if not path.exists():
        return ReviewState()
    try:
        return ReviewState.from_json(path.read_text(encoding="utf-8"))
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None


def _write_state(path: Path, state: Any) -> None:
    """Write next to the file and rename over it, so a crash never leaves half a state."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cards-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(state.to_json())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _now(given: str | None) -> datetime:
    if given is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(given)
    except ValueError:
        raise InputError(f"--now: not an ISO date and time: {given!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


NowOption = Annotated[str | None, typer.Option("--now", hidden=True)]
DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help=DATA_DIR_HELP, show_default=False)
]


@app.command("decks")
@handle_errors
def decks(
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """The shipped decks and how many cards each holds.

    Examples:

        staffpath cards decks

        staffpath cards decks --json | jq '.[].id'
    """
    from staffpath.practice.cards import load_decks

    rows: list[dict[str, Any]] = [
        {"id": d.id, "title": d.title, "cards": len(d.cards), "description": d.description}
        for d in load_decks()
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = figure_table("Decks", ("id", "title", "cards"), text_columns=2)
    for r in rows:
        table.add_row(r["id"], escape(r["title"]), str(r["cards"]))
    console.print(table)


@app.command("review")
@handle_errors
def review(
    deck: Annotated[
        str | None, typer.Option("--deck", help="Only this deck.", show_default=False)
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option(
            "--deadline",
            help="Interview date YYYY-MM-DD: review what would fall below --target by then.",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        float, typer.Option("--target", help="Recall wanted on the deadline (0-1).")
    ] = 0.9,
    cram: Annotated[
        bool, typer.Option("--cram", help="Drill without changing the stored schedule.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many cards.")] = 20,
    data_dir: DataDirOption = None,
    now_text: NowOption = None,
) -> None:
    """A review session: the front is shown, Enter reveals the back, then rate your recall with
    1 (again), 2 (hard), 3 (good) or 4 (easy); q quits. Each rating is saved as you go.

    Examples:

        staffpath cards review --deck latency

        staffpath cards review --deadline 2026-12-14 --target 0.9

        staffpath cards review --deck availability --cram
    """
    from fsrs import Rating

    from staffpath.practice import cards as fc

    now = _now(now_text)
    card_map = fc.all_cards(fc.load_decks(deck))
    ids = list(card_map)
    path = _state_path(data_dir)
    state = _read_state(path)
    if cram:
        queue = fc.cram(state, ids, now)
        mode = "cram (nothing is saved)"
    elif deadline is not None:
        try:
            day = datetime.fromisoformat(deadline).replace(tzinfo=UTC)
        except ValueError:
            raise InputError(f"--deadline: not a date YYYY-MM-DD: {deadline!r}") from None
        queue = fc.for_deadline(state, ids, now, day, target)
        mode = f"deadline {day.date()} at {target:.0%} recall"
    else:
        queue = fc.due(state, ids, now)
        mode = "due cards"
    queue = queue[:limit]
    if not queue:
        console.print(f"Nothing to review ({mode}).")
        return
    console.print(f"{len(queue)} cards · {mode}")
    done = 0
    for n, cid in enumerate(queue, 1):
        card = card_map[cid]
        console.print(f"\n[bold]{n}/{len(queue)}[/bold] {escape(card.front)}")
        answer = typer.prompt("Enter to reveal, q to quit", default="", show_default=False)
        if answer.strip().lower() == "q":
            break
        console.print(escape(card.back))
        if card.source:
            console.print(f"[dim]source: {escape(card.source)}[/dim]")
        rating = _ask_rating()
        if rating is None:
            break
        done += 1
        if not cram:
            state = fc.review(state, cid, Rating(rating), now)
            _write_state(path, state)
            console.print(f"next: {state.cards[cid].due:%Y-%m-%d %H:%M} UTC")
    console.print(f"\nReviewed {done} of {len(queue)}.")


def _ask_rating() -> int | None:
    while True:
        answer = typer.prompt("1 again · 2 hard · 3 good · 4 easy · q quit").strip().lower()
        if answer == "q":
            return None
        if answer in {"1", "2", "3", "4"}:
            return int(answer)
        console.print("Type 1, 2, 3 or 4 (or q).")


@app.command("stats")
@handle_errors
def stats(
    deck: Annotated[
        str | None, typer.Option("--deck", help="Only this deck.", show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    data_dir: DataDirOption = None,
    now_text: NowOption = None,
) -> None:
    """Cards due now, reviewed and new, and retention: the share of recalls after a day or
    more that were not rated Again.

    Examples:

        staffpath cards stats

        staffpath cards stats --deck caching --json
    """
    from staffpath.practice import cards as fc

    now = _now(now_text)
    ids = list(fc.all_cards(fc.load_decks(deck)))
    s = fc.stats(_read_state(_state_path(data_dir)), ids, now)
    if as_json:
        typer.echo(json.dumps(s.to_dict(), indent=2))
        return
    table = figure_table("Cards", ("figure", "value"), text_columns=1)
    for key, value in s.to_dict().items():
        shown = "–" if value is None else f"{value:.0%}" if key == "retention" else str(value)
        table.add_row(key.replace("_", " "), shown)
    console.print(table)


@app.command("export")
@handle_errors
def export(
    deck: Annotated[str, typer.Option("--deck", help="The deck to export.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The .apkg file to write.")],
) -> None:
    """An Anki package of a deck. Deck, model and note ids derive from the names, so importing a
    newer export updates the cards instead of duplicating them.

    Examples:

        staffpath cards export --deck latency -o latency.apkg
    """
    import genanki  # type: ignore[import-untyped]  # ships no type information

    from staffpath.practice.cards import load_deck, stable_number

    d = load_deck(deck)
    model = genanki.Model(
        stable_number("staffpath-model-v1", 31),
        "staffpath card",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Back}}<br><small>{{Source}}</small>",
            }
        ],
    )
    anki = genanki.Deck(stable_number(f"staffpath-deck-{d.id}", 31), f"staffpath::{d.title}")
    for card in d.cards:
        anki.add_note(
            genanki.Note(
                model=model,
                fields=[escape_html(card.front), escape_html(card.back), card.source or ""],
                tags=card.tags,
                guid=genanki.guid_for("staffpath", d.id, card.id),
            )
        )
    try:
        genanki.Package(anki).write_to_file(str(output))
    except OSError as exc:
        raise InputError(f"{output}: cannot write ({exc.strerror or exc})") from None
    console.print(f"Wrote {len(d.cards)} cards of {d.id} to {output}")


def escape_html(text: str) -> str:
    import html

    return html.escape(text).replace("\n", "<br>")
