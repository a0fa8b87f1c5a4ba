"""An Anki package read back with sqlite3: every card, escaped, with stable ids."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

from staffpath.practice.cards import Deck, Flashcard, load_deck
from staffpath.report.anki import apkg


def notes(data: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        db = tmp_path / "collection.anki2"
        db.write_bytes(z.read("collection.anki2"))
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT guid, flds FROM notes").fetchall())


def test_every_card_with_stable_ids(tmp_path: Path) -> None:
    deck = load_deck("latency")
    a, b = notes(apkg(deck), tmp_path), notes(apkg(deck), tmp_path)
    assert len(a) == len(deck.cards) and a == b


def test_text_is_escaped_not_markup(tmp_path: Path) -> None:
    card = Flashcard(id="x", front="<script>alert(1)</script>", back="a\nb & c")
    ((_, fields),) = notes(apkg(Deck(id="t", title="T", description="d", cards=[card])), tmp_path)
    front, back, _ = fields.split("\x1f")
    assert front == "&lt;script&gt;alert(1)&lt;/script&gt;" and back == "a<br>b &amp; c"
