"""``staffpath cards``: a keyboard-driven review on a fixed clock, stats JSON, Anki export."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from staffpath.cli.app import app
from staffpath.practice.cards import load_deck
from tests.conftest import ROOT, compare_golden

runner = CliRunner()
GOLDEN = ROOT / "tests" / "cli" / "golden"
NOW = "2026-01-05T09:00:00+00:00"
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def _review(tmp_path: Path, *args: str, keys: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        ["cards", "review", "--data-dir", str(tmp_path), "--now", NOW, *args],
        input=keys,
        env=ENV,
    )
    return result.exit_code, result.output


def _stats(tmp_path: Path, *args: str) -> dict[str, object]:
    result = runner.invoke(
        app, ["cards", "stats", "--data-dir", str(tmp_path), "--now", NOW, "--json", *args]
    )
    assert result.exit_code == 0, result.output
    stats: dict[str, object] = json.loads(result.stdout)
    return stats


def _ratings(tmp_path: Path) -> list[int]:
    """The review history as the studio's database holds it."""
    with sqlite3.connect(tmp_path / "studio.db") as conn:
        return [r for (r,) in conn.execute("SELECT rating FROM card_reviews ORDER BY id")]


def test_decks_lists_every_deck(tmp_path: Path) -> None:
    result = runner.invoke(app, ["cards", "decks", "--json", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert sum(r["cards"] for r in rows) >= 150
    assert {"id", "title", "cards", "description"} <= set(rows[0])


def test_a_review_session_driven_by_the_keyboard(tmp_path: Path, update_golden: bool) -> None:
    # Three cards: reveal and rate good, reveal and rate again (after one mistyped key),
    # reveal and rate easy.
    code, output = _review(
        tmp_path, "--deck", "cap-pacelc", "--limit", "3", keys="\n3\n\nx\n1\n\n4\n"
    )
    assert code == 0, output
    compare_golden(GOLDEN / "cards-review.txt", output, update_golden)
    assert _ratings(tmp_path) == [3, 1, 4]
    stats = _stats(tmp_path, "--deck", "cap-pacelc")
    assert stats["reviewed"] == 3 and stats["reviews"] == 3
    assert stats["cards"] == len(load_deck("cap-pacelc").cards)
    assert stats["due_now"] == stats["cards"] - 3  # the three reviewed are scheduled later
    assert stats["retention"] is None  # no recall after a gap yet


def test_quitting_keeps_what_was_rated(tmp_path: Path) -> None:
    code, output = _review(tmp_path, "--deck", "latency", keys="\n2\nq\n")
    assert code == 0, output
    assert "Reviewed 1 of 20." in output
    assert _stats(tmp_path)["reviews"] == 1


def test_cram_mode_saves_nothing(tmp_path: Path) -> None:
    _review(tmp_path, "--deck", "caching", "--limit", "1", keys="\n3\n")
    assert _ratings(tmp_path) == [3]
    code, output = _review(
        tmp_path, "--deck", "caching", "--cram", "--limit", "2", keys="\n1\n\n1\n"
    )
    assert code == 0, output
    assert "cram (nothing is saved)" in output and "Reviewed 2 of 2." in output
    assert _ratings(tmp_path) == [3]


def test_deadline_mode_and_its_errors(tmp_path: Path) -> None:
    code, output = _review(
        tmp_path, "--deck", "estimation", "--deadline", "2026-02-01", "--limit", "1", keys="\n3\n"
    )
    assert code == 0, output
    assert "deadline 2026-02-01 at 90% recall" in output
    code, output = _review(tmp_path, "--deadline", "2025-12-01", keys="")
    assert code == 1 and "not in the future" in output
    code, output = _review(tmp_path, "--deadline", "soon", keys="")
    assert code == 1 and "not a date" in output


def test_an_unknown_deck_and_a_broken_state_are_clear_errors(tmp_path: Path) -> None:
    code, output = _review(tmp_path, "--deck", "nope", keys="")
    assert code == 1 and "no deck 'nope'" in output and "Traceback" not in output
    (tmp_path / "cards.json").write_text("{broken")
    result = runner.invoke(app, ["cards", "stats", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1 and "cards.json" in result.output
    assert (tmp_path / "cards.json").exists()  # left as it was for the user to look at


def test_a_state_file_of_an_older_staffpath_is_imported_once(tmp_path: Path) -> None:
    from datetime import datetime

    from fsrs import Rating

    from staffpath.practice import cards as fc

    when = datetime.fromisoformat("2026-01-01T08:00:00+00:00")
    old = fc.review(fc.ReviewState(), "lat-l1-cache", Rating.Good, when)
    old = fc.review(old, "lat-l1-cache", Rating.Again, when.replace(hour=9))
    (tmp_path / "cards.json").write_text(old.to_json())
    stats = _stats(tmp_path, "--deck", "latency")
    assert stats["reviews"] == 2 and stats["reviewed"] == 1
    assert _ratings(tmp_path) == [3, 1]
    assert not (tmp_path / "cards.json").exists()
    assert (tmp_path / "cards.json.imported").exists()
    assert _stats(tmp_path, "--deck", "latency")["reviews"] == 2  # not imported twice


def test_stats_table(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["cards", "stats", "--data-dir", str(tmp_path), "--now", NOW], env=ENV
    )
    assert result.exit_code == 0, result.output
    assert "due now" in result.output and "retention" in result.output


def test_export_writes_an_anki_package_with_stable_ids(tmp_path: Path) -> None:
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    for out in (first, second):
        result = runner.invoke(
            app,
            ["cards", "export", "--deck", "latency", "-o", str(out), "--data-dir", str(tmp_path)],
        )
        assert result.exit_code == 0, result.output

    def notes(path: Path) -> list[tuple[str, str]]:
        with zipfile.ZipFile(path) as z:
            assert "collection.anki2" in z.namelist()
            db = tmp_path / f"{path.stem}.anki2"
            db.write_bytes(z.read("collection.anki2"))
        with sqlite3.connect(db) as conn:
            return sorted(conn.execute("SELECT guid, flds FROM notes").fetchall())

    a, b = notes(first), notes(second)
    assert len(a) == len(load_deck("latency").cards)
    assert a == b  # the same guids each time, so a re-import updates instead of duplicating
    assert any("L1 cache" in flds for _, flds in a)
