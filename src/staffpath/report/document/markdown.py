"""The design document as Markdown: the one source the HTML page and the PDF are made from.

Pictures are referenced by relative path (``diagram.svg``, ``charts/<name>.svg``); the HTML
renderer inlines them and the PDF renderer embeds them, so the Markdown file stays readable
in a code review and beside its pictures in a folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from staffpath.design.model import Design, Goals
from staffpath.report.document.content import Content
from staffpath.units import show_duration, show_money, show_rate

DIAGRAM = "diagram.svg"


def chart_path(name: str) -> str:
    return f"charts/{name}.svg"


def _esc(text: str) -> str:
    """Text for a Markdown table cell or line: no pipes or stray emphasis."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _ms(value: float | None) -> str:
    if value is None:
        return "saturated"
    return f"{value:.3g} ms" if value < 100 else f"{value:,.0f} ms"


def _pct(value: float, digits: int = 1) -> str:
    return f"{value * 100:.{digits}f}%"


def _nines(value: float) -> str:
    """An availability with the nines that matter; never rounded up to 100%."""
    if value >= 1.0:
        return "100%"
    text = f"{value * 100:.5f}".rstrip("0").rstrip(".")
    return "> 99.99999%" if text == "100" else text + "%"


def table(head: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> list[str]:
    """A GitHub-flavoured Markdown table; ``align`` has one of l/r per column."""
    marks = [("---:" if a == "r" else "---") for a in align.ljust(len(head), "l")]
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join(marks) + " |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


def render(content: Content) -> str:
    """The whole document."""
    parts: list[str] = []
    for section in (
        _title,
        _requirements,
        _estimates,
        _architecture,
        _components,
        _flows,
        _headroom,
        _failures,
        _cost,
        _decisions,
        _assumptions,
    ):
        parts += section(content)
    return "\n".join(parts).rstrip() + "\n"


# --- sections -----------------------------------------------------------------------------------


def _title(c: Content) -> list[str]:
    a = c.analysis
    missed = [g for g in a.goals if not g.met]
    if not a.goals:
        verdict = "sets no goals"
    elif missed:
        verdict = f"**misses {len(missed)} of its {len(a.goals)} goals** ({_goal_names(missed)})"
    else:
        verdict = f"**meets all {len(a.goals)} of its goals**"
    head = (
        f"At its peak of {show_rate(a.peak_rps)} the design {verdict}; "
        + (
            f"it saturates at {show_rate(a.saturation_rps)} ({a.headroom:.2f}x headroom, "
            f"bottleneck `{a.bottleneck}`)"
            if a.saturation_rps is not None and a.headroom is not None
            else "it has no queueing component"
        )
        + f"; availability {_nines(a.availability)}; cost {show_money(a.cost_per_month)}."
    )
    out = [f"# {_esc(c.design.name)}", "", f"**Summary.** {head}", ""]
    if c.design.description:
        out += [" ".join(c.design.description.split()), ""]
    return out


def _goal_names(goals: Sequence[object]) -> str:
    return ", ".join(f"{g.name}" for g in goals)  # type: ignore[attr-defined]


def _requirements(c: Content) -> list[str]:
    d, a = c.design, c.analysis
    out = ["## Requirements and goals", "", "### Workload at peak", ""]
    rows = []
    for name, flow in d.workload.flows.items():
        fr = a.flows[name]
        share = fr.rate_rps / a.peak_rps if a.peak_rps else 0.0
        steps = " → ".join(_step_names(flow.steps))
        rows.append(
            [f"`{name}`", show_rate(fr.rate_rps), _pct(share), _esc(steps), _flow_goals(flow.goals)]
        )
    out += table(["flow", "rate", "share", "path", "flow goals"], rows, "lrrll")
    if d.workload.schedule:
        phases = ", ".join(
            f"{p.multiplier:g}x peak from {show_duration(p.at)}"
            + (f" (ramp {show_duration(p.ramp)})" if p.ramp else "")
            for p in d.workload.schedule
        )
        out += [f"Load over time: {phases}.", ""]
    out += ["### Goals", ""]
    if not a.goals:
        out += ["The design states no goals.", ""]
        return out
    rows = [
        [
            _esc(g.name),
            g.target_text,
            g.value_text,
            "met" if g.met else "**missed**",
            "" if g.margin is None else _pct(g.margin, 0),
        ]
        for g in a.goals
    ]
    out += table(["goal", "target", "predicted", "verdict", "margin"], rows, "lrrlr")
    return out


def _flow_goals(goals: Goals | None) -> str:
    if goals is None:
        return ""
    parts = []
    for key in ("mean", "p50", "p90", "p95", "p99", "p999"):
        value = getattr(goals, key)
        if value is not None:
            parts.append(f"{key} < {show_duration(value)}")
    if goals.error_rate is not None:
        parts.append(f"errors < {_pct(goals.error_rate, 2)}")
    if goals.availability is not None:
        parts.append(f"availability ≥ {_nines(goals.availability)}")
    return ", ".join(parts)


def _step_names(steps: Sequence[object]) -> list[str]:
    """A flow's path in words: ``lb → api → cache (miss: db.read)``."""
    from staffpath.design.model import Parallel, Visit

    names = []
    for step in steps:
        if isinstance(step, Visit):
            label = step.component + (f".{step.operation}" if step.operation else "")
            label += f"×{step.fanout}" if step.fanout > 1 else ""
            if step.on_miss:
                label += f" (miss: {' → '.join(_step_names(step.on_miss))})"
            names.append(label)
        elif isinstance(step, Parallel):
            branches = " ∥ ".join(" → ".join(_step_names(b)) for b in step.branches)
            names.append(f"[{branches}]")
    return names


def _estimates(c: Content) -> list[str]:
    out = ["## Capacity estimates", ""]
    if not c.analysis.estimates:
        return [*out, "The design gives no `data:` block to estimate from.", ""]
    out += ["Every figure with the arithmetic behind it.", ""]
    rows = [
        [_esc(e.label), f"`{e.formula}`" + (f" — {_esc(e.note)}" if e.note else "")]
        for e in c.analysis.estimates
    ]
    return out + table(["quantity", "how"], rows)


def _architecture(c: Content) -> list[str]:
    return [
        "## Architecture",
        "",
        f"![Architecture of {_esc(c.design.name)}: components by tier, request rates on the "
        f"edges, the bottleneck and single points of failure marked]({DIAGRAM})",
        "",
    ]


def _components(c: Content) -> list[str]:
    a = c.analysis
    rows = []
    for name, comp in a.components.items():
        marks = []
        if name == a.bottleneck:
            marks.append("bottleneck")
        if any(s.component == name for s in a.spofs):
            marks.append("SPOF")
        rows.append(
            [
                f"`{name}`" + (f" ({', '.join(marks)})" if marks else ""),
                comp.kind,
                str(comp.replicas),
                str(comp.servers),
                show_rate(comp.arrival_rps),
                _pct(comp.utilization),
                _ms(comp.mean_response_ms),
                _nines(comp.availability),
                show_money(comp.cost_per_month),
            ]
        )
    head = [
        "component",
        "kind",
        "replicas",
        "servers",
        "load",
        "busy",
        "response",
        "avail.",
        "cost",
    ]
    return [
        "## Components",
        "",
        "Load is requests per second at peak; *busy* is the share of servers in use; *response* "
        "is the mean time a request spends at the component (wait + service).",
        "",
        *table(head, rows, "llrrrrrrr"),
        f"![Utilisation per component]({chart_path('utilisation')})",
        "",
    ]


def _flows(c: Content) -> list[str]:
    a = c.analysis
    rows = [
        [
            f"`{name}`",
            show_rate(f.rate_rps),
            _ms(f.mean_ms),
            _ms(f.p50_ms),
            _ms(f.p95_ms),
            _ms(f.p99_ms),
            _ms(f.p999_ms),
            _nines(f.availability),
        ]
        for name, f in a.flows.items()
    ]
    out = [
        "## Flows",
        "",
        "End-to-end latency at peak, from the queueing model:",
        "",
        *table(["flow", "rate", "mean", "p50", "p95", "p99", "p99.9", "avail."], rows, "lrrrrrrr"),
    ]
    sim = c.simulation
    if sim is not None:
        rows = [
            [
                f"`{name}`",
                _ms(f.mean_ms),
                _ms(f.p50_ms),
                _ms(f.p99_ms),
                _ms(f.p999_ms),
                _pct(f.error_rate, 2),
            ]
            for name, f in sim.flows.items()
        ]
        out += [
            f"Simulated ({sim.requests:,} requests after warm-up, seed {sim.seed}, steady peak "
            "load, no failures), as a check on the model:",
            "",
            *table(["flow", "mean", "p50", "p99", "p99.9", "errors"], rows, "lrrrrr"),
            f"![Latency distribution per flow]({chart_path('latency-cdf')})",
            "",
        ]
    return out


def _headroom(c: Content) -> list[str]:
    a, s = c.analysis, c.sweep
    out = ["## Headroom", ""]
    if a.saturation_rps is None or a.headroom is None:
        return [*out, "No component queues, so load never saturates the design.", ""]
    comp = a.components[a.bottleneck] if a.bottleneck else None
    line = (
        f"The design saturates at **{show_rate(a.saturation_rps)}**, {a.headroom:.2f}x its peak. "
        f"The bottleneck is `{a.bottleneck}`"
        + (f" ({_pct(comp.utilization)} busy at peak)" if comp else "")
        + "."
    )
    out += [line, ""]
    if s.knee is None:
        out += ["No flow's latency grows with load.", ""]
    elif s.knee.at_saturation:
        out += [
            "No flow's p99 doubles before the bottleneck saturates: its pool is wide enough to "
            "keep queues short until the end, so latency stays flat and then breaks at once. "
            "Plan capacity against the saturation rate, not against a gentle curve.",
            "",
        ]
    else:
        out += [
            f"Latency turns upward at the knee, **{show_rate(s.knee.rate_rps)}** "
            f"({s.knee.rate_rps / a.peak_rps:.2f}x peak), where `{s.knee.flow}` reaches it "
            f"first. The knee is {s.knee_definition}.",
            "",
        ]
    out += [
        f"![p99 latency against load]({chart_path('latency-load')})",
        "",
        f"![Utilisation against load]({chart_path('utilisation-load')})",
        "",
    ]
    return out


def _failures(c: Content) -> list[str]:
    a = c.analysis
    out = ["## Failure analysis", "", "### Single points of failure", ""]
    if a.spofs:
        out += [
            f"- `{s.component}` — {_esc(s.reason)} (takes down: {', '.join(s.flows)})"
            for s in a.spofs
        ]
        out.append("")
    else:
        out += ["None: every flow survives the loss of any one component replica.", ""]
    out += [
        f"Predicted availability: {_nines(a.availability)} "
        f"(about {a.downtime_minutes_per_month:.1f} minutes of downtime a month).",
        "",
    ]
    if not c.design.failures:
        return [*out, "The design scripts no failures.", ""]
    out += ["### Scripted failures", ""]
    if not c.effects:
        out += [
            "Each failure below was not simulated for this document (built with `--no-simulate`).",
            "",
        ]
        out += [f"{i + 1}. {_esc(f)}" for i, f in enumerate(_labels(c.design))]
        return [*out, ""]
    out += [
        "Each failure simulated alone, at the load the schedule gives at its time: a steady "
        "lead-in, the failure, and the recovery after it. *p99* is the worst p99 of any "
        "time bucket in the phase.",
        "",
    ]
    rows = []
    for e in c.effects:
        causes = ", ".join(f"{n:,} {k}" for k, n in e.errors_by_cause.items() if n) or "none"
        rows.append(
            [
                f"{e.index + 1}. {_esc(e.label)}",
                f"{e.multiplier:g}x",
                _ms(e.before.worst_p99_ms),
                _ms(e.during.worst_p99_ms),
                _pct(e.during.error_rate, 2),
                causes,
                _ms(e.after.worst_p99_ms),
                _pct(e.after.error_rate, 2),
            ]
        )
    out += table(
        [
            "failure",
            "load",
            "p99 before",
            "p99 during",
            "errors during",
            "causes",
            "p99 after",
            "errors after",
        ],
        rows,
        "lrrrrlrr",
    )
    for e in c.effects:
        if e.cut:
            total = "until the end of the run" if e.lasts_s is None else show_duration(e.lasts_s)
            out += [
                f"Failure {e.index + 1} lasts {total}; the window shows its first "
                f"{show_duration(e.end_s - e.start_s)} ({e.requests:,} requests simulated), "
                "then restores it.",
                "",
            ]
        out += [
            f"![Failure {e.index + 1}: {_esc(e.label)}]({chart_path(f'failure-{e.index + 1}')})",
            "",
        ]
    return out


def _labels(design: Design) -> list[str]:
    from staffpath.engine.impact import describe

    return [describe(f) for f in design.failures]


def _cost(c: Content) -> list[str]:
    a = c.analysis
    rows = [
        [f"`{line.component}`", str(line.instances), _esc(line.formula), show_money(line.monthly)]
        for line in sorted(a.cost, key=lambda x: -x.monthly)
    ]
    rows.append(["**total**", "", "", f"**{show_money(a.cost_per_month)}**"])
    return [
        "## Cost",
        "",
        *table(["component", "instances", "arithmetic", "per month"], rows, "lrlr"),
        f"![Monthly cost per component]({chart_path('cost')})",
        "",
    ]


def _decisions(c: Content) -> list[str]:
    from staffpath.report.document.decisions import render as decisions

    return decisions(c.design)


def _assumptions(c: Content) -> list[str]:
    a = c.analysis
    out = ["## Assumptions and warnings", ""]
    out += [f"- {_esc(x)}" for x in a.assumptions]
    out += [f"- **Warning:** {_esc(w)}" for w in a.warnings]
    return [*out, ""]
