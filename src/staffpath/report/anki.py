"""A flashcard deck as an Anki package (``.apkg``), written with genanki.

Deck, model and note ids derive from the names, so importing a newer export into Anki updates
the cards instead of duplicating them.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import genanki  # type: ignore[import-untyped]  # ships no type information

from staffpath.practice.cards import Deck, stable_number

_MODEL = genanki.Model(
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


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def apkg(deck: Deck) -> bytes:
    """The package's bytes (genanki writes only to a path, so through a temporary file)."""
    anki = genanki.Deck(stable_number(f"staffpath-deck-{deck.id}", 31), f"staffpath::{deck.title}")
    for card in deck.cards:
        anki.add_note(
            genanki.Note(
                model=_MODEL,
                fields=[_html(card.front), _html(card.back), html.escape(card.source or "")],
                tags=card.tags,
                guid=genanki.guid_for("staffpath", deck.id, card.id),
            )
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "deck.apkg"
        genanki.Package(anki).write_to_file(str(path))
        return path.read_bytes()
