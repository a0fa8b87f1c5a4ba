"""Shared rendering: label columns left, figures right; milliseconds as durations."""

from __future__ import annotations

from staffpath.cli.render import figure_table, ms


def test_figure_table_aligns_labels_left_and_figures_right() -> None:
    table = figure_table("T", ("component", "kind", "servers"), text_columns=2)
    assert [c.justify for c in table.columns] == ["left", "left", "right"]
    assert table.title == "T"


def test_ms_reads_as_a_duration() -> None:
    assert ms(None) == "-"
    assert ms(None, missing="saturated") == "saturated"
    assert ms(0.0) == "0"
    assert ms(0.0004) == "<1us"
    assert ms(12.5) == "12.5ms"
    assert ms(2500.0) == "2.5s"
