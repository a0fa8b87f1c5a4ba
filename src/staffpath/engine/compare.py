"""Designs side by side: the headline figures of each, their changes against the first, and
a sentence for every notable change.

``compare({"before": a, "after": b, ...})`` takes analyses by label, in order; the first is
the baseline every other design is measured against. Flows are matched by name; a flow that
one design lacks is shown as ``missing``. Given the designs too (``designs=``), the
sentences say *why* the bottleneck or the saturation throughput moved where the design
shows it: replicas, shards, concurrency or service times of the components involved.

A change is **notable**, and earns a sentence, when:

- the bottleneck moves to another station, a flow appears, disappears, starts or stops
  saturating, a single point of failure appears or goes, or a goal flips between met and
  missed, appears, disappears or changes its target: always (these are changes of kind);
- the analysed peak moves by :data:`PEAK_CHANGE` (1%) or more: every other figure is read
  at that peak, so the reader must know it moved;
- the saturation throughput moves by :data:`THROUGHPUT_CHANGE` (10%) or more;
- a flow's p99 moves by :data:`LATENCY_CHANGE` (10%) or more: below that, the model's own
  assumptions (Poisson arrivals, independent visits) matter more than the change;
- the monthly cost moves by :data:`COST_CHANGE` (5%) or more;
- the expected downtime moves by :data:`DOWNTIME_CHANGE` (10%) or more *and* by at least
  :data:`DOWNTIME_FLOOR` (1 minute a month): availability is compared as downtime, since
  99.9% → 99.99% is a tenfold change that a difference of percentages hides;
- the error rate moves by :data:`ERROR_RATE_CHANGE` (0.1 percentage point) or more.

Nothing here reads a file or prints; the result is a frozen model whose JSON form is what
``staffpath compare --json`` prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from staffpath.design.catalog import Catalog, Resolved, load_catalog, resolve
from staffpath.design.model import Design
from staffpath.engine.analyze import Analysis, GoalResult
from staffpath.units import show_duration, show_money, show_rate

PEAK_CHANGE = 0.01
THROUGHPUT_CHANGE = 0.10
LATENCY_CHANGE = 0.10
COST_CHANGE = 0.05
DOWNTIME_CHANGE = 0.10
DOWNTIME_FLOOR = 1.0
"""Minutes a month."""
ERROR_RATE_CHANGE = 0.001

THRESHOLDS = {
    "peak_relative": PEAK_CHANGE,
    "saturation_relative": THROUGHPUT_CHANGE,
    "p99_relative": LATENCY_CHANGE,
    "cost_relative": COST_CHANGE,
    "downtime_relative": DOWNTIME_CHANGE,
    "downtime_minutes_per_month": DOWNTIME_FLOOR,
    "error_rate_absolute": ERROR_RATE_CHANGE,
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Change(_Frozen):
    """A figure against the baseline's: ``after − before``, and that over ``before``."""

    absolute: float
    relative: float | None
    """None when the baseline's figure is 0."""


class FlowFigures(_Frozen):
    """One flow of one design. ``p99_ms`` is None when the flow is saturated or missing."""

    status: Literal["ok", "saturated", "missing"]
    rate_rps: float | None
    p99_ms: float | None
    p99_change: Change | None
    """Against the baseline; None for the baseline, or when either side has no p99."""


class GoalStatus(_Frozen):
    name: str
    """As in the analysis: ``redirect.p99``, ``cost``, ..."""
    label: str
    """For people: ``p99 ≤ 100ms on redirect``."""
    met: bool
    value_text: str


class Changes(_Frozen):
    """One design against the baseline."""

    peak_rps: Change
    saturation_rps: Change | None
    """None when either design has no queueing station."""
    headroom: Change | None
    bottleneck_moved: bool
    availability: Change
    downtime_minutes_per_month: Change
    error_rate: Change
    cost_per_month: Change
    spofs_added: list[str]
    spofs_removed: list[str]
    goals_now_met: list[str]
    goals_now_missed: list[str]


class DesignFigures(_Frozen):
    """The headline figures of one design, at its own peak."""

    label: str
    design: str
    peak_rps: float
    saturation_rps: float | None
    headroom: float | None
    bottleneck: str | None
    """The station that saturates first (``db.primary`` for a primary's own station)."""
    bottleneck_utilization: float | None
    availability: float
    downtime_minutes_per_month: float
    error_rate: float
    cost_per_month: float
    spofs: list[str]
    goals: list[GoalStatus]
    goals_met: int
    meets_goals: bool
    flows: dict[str, FlowFigures]
    """Every flow of any design compared, in order of first appearance."""
    changes: Changes | None
    """Against the baseline; None for the baseline itself."""
    sentences: list[str]
    """One per notable change against the baseline, most structural first."""


class Comparison(_Frozen):
    baseline: str
    """The label of the first design, which the others are measured against."""
    flows: list[str]
    designs: list[DesignFigures]
    thresholds: dict[str, float]
    """What counts as notable (see the module docstring)."""


def compare(
    analyses: Mapping[str, Analysis],
    *,
    designs: Mapping[str, Design] | None = None,
    catalog: Catalog | None = None,
) -> Comparison:
    """Each analysis by its label, the first as the baseline; ``designs`` (same labels) let
    the sentences explain what changed in the components behind a moved bottleneck."""
    if len(analyses) < 2:
        raise ValueError("a comparison needs at least two analyses")
    labels = list(analyses)
    flows = list(dict.fromkeys(name for a in analyses.values() for name in a.flows))
    base_label = labels[0]
    base = analyses[base_label]
    base_flows = _flows(base, flows, None)
    designs = designs or {}
    catalog = catalog or (load_catalog() if designs else None)
    entries = [_figures(base_label, base, base_flows, None, [])]
    for label in labels[1:]:
        a = analyses[label]
        mine = _flows(a, flows, base_flows)
        changes = _changes(base, a)
        sentences = _sentences(
            base,
            a,
            base_flows,
            mine,
            changes,
            _Why(designs.get(base_label), designs.get(label), catalog),
        )
        entries.append(_figures(label, a, mine, changes, sentences))
    return Comparison(
        baseline=base_label, flows=flows, designs=entries, thresholds=dict(THRESHOLDS)
    )


def goal_label(goal: GoalResult) -> str:
    """``redirect.p99`` with target 100ms -> ``p99 ≤ 100ms on redirect``."""
    key = goal.name.rsplit(".", 1)[-1]
    sign = "≥" if key in ("availability", "headroom") else "≤"
    where = "" if goal.scope == "design" else f" on {goal.scope}"
    return f"{key.replace('_', ' ')} {sign} {goal.target_text}{where}"


def _change(before: float, after: float) -> Change:
    delta = after - before
    return Change(absolute=delta, relative=delta / before if before else None)


def _station_utilization(a: Analysis, station: str | None) -> float | None:
    if station is None:
        return None
    for comp in a.components.values():
        for s in comp.stations:
            if s.name == station:
                return s.utilization
    return None


def _component_of(a: Analysis, station: str) -> str:
    for name, comp in a.components.items():
        if any(s.name == station for s in comp.stations):
            return name
    return station


def _flows(
    a: Analysis, names: Sequence[str], base: Mapping[str, FlowFigures] | None
) -> dict[str, FlowFigures]:
    out: dict[str, FlowFigures] = {}
    for name in names:
        f = a.flows.get(name)
        if f is None:
            out[name] = FlowFigures(status="missing", rate_rps=None, p99_ms=None, p99_change=None)
            continue
        before = base[name].p99_ms if base is not None else None
        out[name] = FlowFigures(
            status="saturated" if f.p99_ms is None else "ok",
            rate_rps=f.rate_rps,
            p99_ms=f.p99_ms,
            p99_change=None if before is None or f.p99_ms is None else _change(before, f.p99_ms),
        )
    return out


def _figures(
    label: str,
    a: Analysis,
    flows: dict[str, FlowFigures],
    changes: Changes | None,
    sentences: list[str],
) -> DesignFigures:
    return DesignFigures(
        label=label,
        design=a.design,
        peak_rps=a.peak_rps,
        saturation_rps=a.saturation_rps,
        headroom=a.headroom,
        bottleneck=a.bottleneck,
        bottleneck_utilization=_station_utilization(a, a.bottleneck),
        availability=a.availability,
        downtime_minutes_per_month=a.downtime_minutes_per_month,
        error_rate=a.error_rate,
        cost_per_month=a.cost_per_month,
        spofs=[s.component for s in a.spofs],
        goals=[
            GoalStatus(name=g.name, label=goal_label(g), met=g.met, value_text=g.value_text)
            for g in a.goals
        ],
        goals_met=sum(g.met for g in a.goals),
        meets_goals=a.meets_goals,
        flows=flows,
        changes=changes,
        sentences=sentences,
    )


def _changes(base: Analysis, a: Analysis) -> Changes:
    base_spofs = [s.component for s in base.spofs]
    spofs = [s.component for s in a.spofs]
    before = {g.name: g.met for g in base.goals}
    saturation = headroom = None
    if base.saturation_rps is not None and a.saturation_rps is not None:
        saturation = _change(base.saturation_rps, a.saturation_rps)
    if base.headroom is not None and a.headroom is not None:
        headroom = _change(base.headroom, a.headroom)
    return Changes(
        peak_rps=_change(base.peak_rps, a.peak_rps),
        saturation_rps=saturation,
        headroom=headroom,
        bottleneck_moved=base.bottleneck != a.bottleneck,
        availability=_change(base.availability, a.availability),
        downtime_minutes_per_month=_change(
            base.downtime_minutes_per_month, a.downtime_minutes_per_month
        ),
        error_rate=_change(base.error_rate, a.error_rate),
        cost_per_month=_change(base.cost_per_month, a.cost_per_month),
        spofs_added=[c for c in spofs if c not in base_spofs],
        spofs_removed=[c for c in base_spofs if c not in spofs],
        goals_now_met=[g.name for g in a.goals if g.met and before.get(g.name) is False],
        goals_now_missed=[g.name for g in a.goals if not g.met and before.get(g.name) is True],
    )


class _Why:
    """What changed in a component's capacity between two designs (nothing without both)."""

    def __init__(self, before: Design | None, after: Design | None, catalog: Catalog | None):
        self._before = before
        self._after = after
        self._catalog = catalog

    def component(self, name: str) -> list[str]:
        """Clauses like ``api gained 4 replicas`` for what changed in ``name``'s capacity."""
        if self._before is None or self._after is None or self._catalog is None:
            return []
        old = self._before.components.get(name)
        new = self._after.components.get(name)
        if old is None and new is None:
            return []
        if old is None:
            return [f"{name} is new"]
        if new is None:
            return [f"{name} was removed"]
        out: list[str] = []
        for what, a, b in (
            ("replica", old.replicas, new.replicas),
            ("shard", old.shards, new.shards),
        ):
            if a != b:
                n = abs(b - a)
                out.append(f"{name} {'gained' if b > a else 'lost'} {n} {what}{'s' * (n != 1)}")
        if (old.kind, old.engine) != (new.kind, new.engine):
            out.append(f"{name} became {new.kind}" + (f" ({new.engine})" if new.engine else ""))
            return out  # its catalog figures changed wholesale: details would mislead
        ra, rb = resolve(old, self._catalog), resolve(new, self._catalog)
        if ra.concurrency != rb.concurrency:
            verb = "rose" if rb.concurrency > ra.concurrency else "fell"
            out.append(f"{name}'s concurrency {verb} from {ra.concurrency} to {rb.concurrency}")
        out += _service_clauses(name, ra, rb)
        return out


def _service_clauses(name: str, a: Resolved, b: Resolved) -> list[str]:
    out: list[str] = []
    pairs = [(f"{name}'s service time", a.service_time.mean, b.service_time.mean)]
    pairs += [
        (f"{name}.{op}'s service time", a.operations[op].mean, b.operations[op].mean)
        for op in a.operations
        if op in b.operations
    ]
    for what, x, y in pairs:
        if x != y:
            verb = "rose" if y > x else "fell"
            out.append(f"{what} {verb} from {show_duration(x, 3)} to {show_duration(y, 3)}")
    return out


def _pct(value: float) -> str:
    return f"{abs(value):.0%}"


def _ms(value: float) -> str:
    return show_duration(value / 1e3)


def _because(clauses: list[str]) -> str:
    if not clauses:
        return "."
    if len(clauses) == 1:
        return f": {clauses[0]}."
    return ": " + ", ".join(clauses[:-1]) + f" and {clauses[-1]}."


def _sentences(
    base: Analysis,
    a: Analysis,
    base_flows: Mapping[str, FlowFigures],
    flows: Mapping[str, FlowFigures],
    ch: Changes,
    why: _Why,
) -> list[str]:
    out: list[str] = []
    if abs(ch.peak_rps.relative or 0.0) >= PEAK_CHANGE:
        verb = "rose" if ch.peak_rps.absolute > 0 else "fell"
        out.append(
            f"Peak load {verb} {_pct(ch.peak_rps.relative or 0.0)} "
            f"({show_rate(base.peak_rps)} → {show_rate(a.peak_rps)}); "
            "every other figure is read at each design's own peak."
        )
    out += _capacity(base, a, ch, why)
    for name, after in flows.items():
        out += _flow_sentence(name, base_flows[name], after, a)
    down = ch.downtime_minutes_per_month
    if abs(down.absolute) >= DOWNTIME_FLOOR and (
        down.relative is None or abs(down.relative) >= DOWNTIME_CHANGE
    ):
        verb = "rose" if a.availability > base.availability else "fell"
        out.append(
            f"Availability {verb} from {base.availability:.5%} to {a.availability:.5%} "
            f"({base.downtime_minutes_per_month:.1f} → {a.downtime_minutes_per_month:.1f} "
            "min/month down)."
        )
    cost = ch.cost_per_month
    if cost.absolute and (cost.relative is None or abs(cost.relative) >= COST_CHANGE):
        verb = "rose" if cost.absolute > 0 else "fell"
        rel = "" if cost.relative is None else f" ({cost.relative:+.0%})"
        out.append(f"Cost {verb} {show_money(abs(cost.absolute), 3)}{rel}.")
    if abs(ch.error_rate.absolute) >= ERROR_RATE_CHANGE:
        verb = "rose" if ch.error_rate.absolute > 0 else "fell"
        out.append(f"The error rate {verb} from {base.error_rate:.2%} to {a.error_rate:.2%}.")
    reasons = {s.component: s.reason for s in a.spofs}
    out += [f"{c} is now a single point of failure ({reasons[c]})." for c in ch.spofs_added]
    out += [f"{c} is no longer a single point of failure." for c in ch.spofs_removed]
    out += _goal_sentences(base.goals, a.goals)
    return out


def _capacity(base: Analysis, a: Analysis, ch: Changes, why: _Why) -> list[str]:
    """The bottleneck's move, or the saturation throughput's change, with the reason."""
    old, new = base.bottleneck, a.bottleneck
    if old is None or new is None:
        if old == new:
            return []
        if new is None:
            return [f"Nothing saturates any more: {a.design} has no queueing station."]
        return [f"{new} is now the bottleneck ({_station_utilization(a, new) or 0:.0%} busy)."]
    old_comp, new_comp = _component_of(base, old), _component_of(a, new)
    clauses = why.component(old_comp)
    if new_comp != old_comp:
        clauses += why.component(new_comp)
    sat = ch.saturation_rps
    assert sat is not None and base.saturation_rps is not None and a.saturation_rps is not None
    throughput = (
        f"saturation throughput {'rose' if sat.absolute > 0 else 'fell'} "
        f"{_pct(sat.relative or 0.0)} ({show_rate(base.saturation_rps)} → "
        f"{show_rate(a.saturation_rps)})"
    )
    notable = abs(sat.relative or 0.0) >= THROUGHPUT_CHANGE
    if ch.bottleneck_moved:
        moved = (
            f"The bottleneck moved from {old} ({_station_utilization(base, old) or 0:.0%} busy) "
            f"to {new} ({_station_utilization(a, new) or 0:.0%} busy)"
        )
        if notable:
            moved += f"; {throughput}"
        return [moved + _because(clauses)]
    if notable:
        return ["S" + throughput[1:] + f", still at {old}" + _because(clauses)]
    return []


def _flow_sentence(name: str, before: FlowFigures, after: FlowFigures, a: Analysis) -> list[str]:
    if before.status == "missing" and after.status != "missing":
        return [f"Flow {name} is new."]
    if after.status == "missing" and before.status != "missing":
        return [f"Flow {name} is gone."]
    if before.status == "ok" and after.status == "saturated":
        assert before.p99_ms is not None
        hot = ", ".join(a.flows[name].saturated_by)
        return [f"{name} now saturates at {hot} (its p99 was {_ms(before.p99_ms)})."]
    if before.status == "saturated" and after.status == "ok":
        assert after.p99_ms is not None
        return [f"{name} no longer saturates: its p99 is {_ms(after.p99_ms)}."]
    change = after.p99_change
    if change is None or change.relative is None or abs(change.relative) < LATENCY_CHANGE:
        return []
    assert before.p99_ms is not None and after.p99_ms is not None
    verb = "rose" if change.absolute > 0 else "fell"
    return [
        f"{name} p99 {verb} {_pct(change.relative)} ({_ms(before.p99_ms)} → {_ms(after.p99_ms)})."
    ]


def _met(value: bool) -> str:
    return "met" if value else "missed"


def _goal_sentences(before: Sequence[GoalResult], after: Sequence[GoalResult]) -> list[str]:
    out: list[str] = []
    old = {g.name: g for g in before}
    new = {g.name: g for g in after}
    for name, g in new.items():
        label = goal_label(g)
        prev = old.get(name)
        if prev is None:
            out.append(f"New goal {label}: {_met(g.met)}.")
            continue
        target = "" if prev.target == g.target else f" (the target was {prev.target_text})"
        if prev.met != g.met:
            out.append(f"Goal {label}: {_met(prev.met)} → {_met(g.met)}{target}.")
        elif target:
            out.append(f"Goal {label}{target}: still {_met(g.met)}.")
    out += [f"Goal {goal_label(g)} is gone." for name, g in old.items() if name not in new]
    return out
