"""``staffpath cards``: flashcards with spaced repetition (FSRS), in the terminal or Anki."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from staffpath.cli.errors import err_console, handle_errors
from staffpath.cli.render import figure_table
from staffpath.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

app = typer.Typer(
    name="cards",
    help="Flashcards with spaced repetition: latency numbers, nines, consistency, caching, more.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False)
DATA_DIR_HELP = "The studio's data folder, where the schedule is kept (default: the user one)."
LEGACY_STATE = "cards.json"


@contextmanager
def _database(data_dir: Path | None) -> Iterator[Session]:
    """One transaction on the studio's database; a ``cards.json`` left by an older staffpath is
    imported on first use and renamed, so no review is lost."""
    from staffpath.cli.database import data_folder, sessions
    from staffpath.practice.cards import ReviewState
    from staffpath.store.practice import import_state

    with sessions(data_dir).begin() as db:
        legacy = data_folder(data_dir) / LEGACY_STATE
        if legacy.exists():
            try:
                state = ReviewState.from_json(legacy.read_text(encoding="utf-8"))
            except InputError as exc:
                raise InputError(f"{legacy}: {exc}") from None
            count = import_state(session=db, state=state)
            db.flush()
            legacy.rename(legacy.with_name(LEGACY_STATE + ".imported"))
            notice = f"Imported {count} ratings from {legacy} into the studio's database."
            err_console.print(notice, markup=False)
        yield db


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
    data_dir: DataDirOption = None,
) -> None:
    """The decks and how many cards each holds: the shipped ones, and your own when you have
    material for them (my-stories from the stories in the studio, missed-checkpoints from
    your graded mock interviews).

    Examples:

        staffpath cards decks

        staffpath cards decks --json | jq '.[].id'
    """
    from staffpath.store import practice as store

    with _database(data_dir) as db:
        all_decks = store.all_decks(session=db)
    rows: list[dict[str, Any]] = [
        {"id": d.id, "title": d.title, "cards": len(d.cards), "description": d.description}
        for d in all_decks
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
    from staffpath.store import practice as store

    now = _now(now_text)
    with _database(data_dir) as db:
        card_map = fc.all_cards(store.all_decks(session=db, deck_id=deck))
        state = store.review_state(session=db)
    ids = list(card_map)
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
            with _database(data_dir) as db:  # each rating committed as it is given
                state = store.review(
                    session=db, state=state, card=cid, rating=Rating(rating), now=now
                )
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
    from staffpath.store import practice as store

    now = _now(now_text)
    with _database(data_dir) as db:
        ids = list(fc.all_cards(store.all_decks(session=db, deck_id=deck)))
        state = store.review_state(session=db)
    s = fc.stats(state, ids, now)
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
    data_dir: DataDirOption = None,
) -> None:
    """An Anki package of a deck (a shipped one, my-stories or missed-checkpoints). Deck, model
    and note ids derive from the names, so importing a newer export updates the cards instead of
    duplicating them.

    Examples:

        staffpath cards export --deck latency -o latency.apkg

        staffpath cards export --deck my-stories -o stories.apkg
    """
    from staffpath.cli.files import write_atomic
    from staffpath.report.anki import apkg
    from staffpath.store import practice as store

    with _database(data_dir) as db:
        (d,) = store.all_decks(session=db, deck_id=deck)
    write_atomic(output, apkg(d))
    console.print(f"Wrote {len(d.cards)} cards of {d.id} to {output}")
