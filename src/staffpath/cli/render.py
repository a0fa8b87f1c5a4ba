"""Small rendering pieces the commands share: numeric tables and millisecond figures."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from staffpath.units import show_duration


def figure_table(title: str, columns: Sequence[str], *, text_columns: int = 1) -> Table:
    """A table whose first ``text_columns`` columns are labels and the rest right-aligned numbers."""
    table = Table(title=title, title_justify="left")
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i < text_columns else "right")
    return table


def ms(value: float | None, *, missing: str = "-") -> str:
    """Milliseconds as a readable duration; ``missing`` when there is no figure."""
    if value is None:
        return missing
    if value == 0:
        return "0"
    return "<1us" if value < 1e-3 else show_duration(value / 1e3)
