"""A comparison of designs as text: the cells of its table, and GitHub-flavoured Markdown.

:func:`rows` is the one place a :class:`~staffpath.engine.compare.Comparison` becomes cell
text, so the terminal table (``staffpath compare``) and the Markdown (``--markdown``, made to
paste into a pull request) always show the same figures. Each cell after the baseline's
carries its change against the baseline in parentheses.
"""

from __future__ import annotations

from staffpath.engine.compare import Change, Comparison, DesignFigures, FlowFigures
from staffpath.units import show_duration, show_money, show_rate

Row = tuple[str, list[str]]

_INVISIBLE = 0.0005
"""Relative changes smaller than this are not shown: they print as +0.0%."""


def rows(comparison: Comparison) -> list[Row]:
    """``(figure, [one cell per design])`` in display order."""
    ds = comparison.designs
    out: list[Row] = [
        ("design", [d.design for d in ds]),
        ("peak", [show_rate(d.peak_rps) + _relative(_peak(d)) for d in ds]),
        ("saturation", [_saturation(d) for d in ds]),
        ("headroom", [_headroom(d) for d in ds]),
        ("bottleneck", [_bottleneck(d) for d in ds]),
    ]
    out += [(f"p99 {flow}", [_p99(d.flows[flow]) for d in ds]) for flow in comparison.flows]
    out += [
        ("availability", [f"{d.availability:.5%}" for d in ds]),
        ("downtime", [_downtime(d) for d in ds]),
        ("error rate", [f"{d.error_rate:.2%}" for d in ds]),
        ("cost", [show_money(d.cost_per_month) + _relative(_cost(d)) for d in ds]),
        ("single points of failure", [", ".join(d.spofs) or "none" for d in ds]),
        ("goals met", [_goals(d) for d in ds]),
    ]
    return out


def notable(comparison: Comparison) -> str:
    """One line on what earns a sentence, from the thresholds the comparison used."""
    t = comparison.thresholds
    return (
        f"Notable: a moved bottleneck, SPOF, goal or flow; saturation throughput "
        f"±{t['saturation_relative']:.0%}; p99 ±{t['p99_relative']:.0%}; "
        f"cost ±{t['cost_relative']:.0%}; downtime ±{t['downtime_relative']:.0%} and "
        f"≥ {t['downtime_minutes_per_month']:g} min/month; error rate "
        f"±{t['error_rate_absolute'] * 100:g} point; peak ±{t['peak_relative']:.0%}."
    )


def to_markdown(comparison: Comparison) -> str:
    """The table and the sentences as GitHub-flavoured Markdown, ending in a newline."""
    labels = [d.label for d in comparison.designs]
    lines = [
        f"### Design comparison: {_md(labels[0])} → {', '.join(_md(x) for x in labels[1:])}",
        "",
        "| | " + " | ".join(f"**{_md(x)}**" for x in labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]
    lines += [
        f"| {_md(name)} | " + " | ".join(_md(c) for c in cells) + " |"
        for name, cells in rows(comparison)
    ]
    lines += ["", f"Changes in parentheses are against **{_md(comparison.baseline)}**.", ""]
    for d in comparison.designs[1:]:
        lines.append(f"**{_md(d.label)}** against **{_md(comparison.baseline)}**:")
        lines.append("")
        lines += [f"- {_md(s)}" for s in d.sentences] or ["- No notable changes."]
        lines.append("")
    lines.append(f"<sub>{_md(notable(comparison))}</sub>")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Cell-safe Markdown: pipes escaped, line breaks flattened."""
    return text.replace("|", "\\|").replace("\n", " ")


def _relative(change: Change | None) -> str:
    if change is None or change.relative is None or abs(change.relative) < _INVISIBLE:
        return ""
    rel = change.relative
    return f" ({rel:+.0%})" if abs(rel) >= 0.01 else f" ({rel:+.1%})"


def _peak(d: DesignFigures) -> Change | None:
    return d.changes.peak_rps if d.changes else None


def _cost(d: DesignFigures) -> Change | None:
    return d.changes.cost_per_month if d.changes else None


def _saturation(d: DesignFigures) -> str:
    if d.saturation_rps is None:
        return "none"
    return show_rate(d.saturation_rps) + _relative(d.changes.saturation_rps if d.changes else None)


def _headroom(d: DesignFigures) -> str:
    if d.headroom is None:
        return "unbounded"
    change = d.changes.headroom if d.changes else None
    delta = "" if change is None or abs(change.absolute) < 0.005 else f" ({change.absolute:+.2f}x)"
    return f"{d.headroom:.2f}x{delta}"


def _bottleneck(d: DesignFigures) -> str:
    if d.bottleneck is None or d.bottleneck_utilization is None:
        return "none"
    return f"{d.bottleneck} ({d.bottleneck_utilization:.0%} busy)"


def _p99(f: FlowFigures) -> str:
    if f.p99_ms is None:
        return f.status
    return show_duration(f.p99_ms / 1e3) + _relative(f.p99_change)


def _downtime(d: DesignFigures) -> str:
    change = d.changes.downtime_minutes_per_month if d.changes else None
    delta = "" if change is None or abs(change.absolute) < 0.05 else f" ({change.absolute:+.1f})"
    return f"{d.downtime_minutes_per_month:.1f} min/month{delta}"


def _goals(d: DesignFigures) -> str:
    if not d.goals:
        return "no goals"
    return f"{d.goals_met}/{len(d.goals)}"
