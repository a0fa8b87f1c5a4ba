"""Rules that need the whole design and the catalog, all reported together.

Each finding carries the path of the field it is about; the loader turns paths into lines.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from staffpath.design.catalog import Catalog, operations_of
from staffpath.design.decisions import supersession_cycles
from staffpath.design.model import Decision, Design, Failure, Goals, Parallel, Step, Visit
from staffpath.design.yamltext import Path
from staffpath.errors import Severity

SHARE_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Finding:
    path: Path
    message: str
    hint: str = ""
    severity: Severity = "error"
    at_key: bool = False
    first: Path | None = None
    """For a clash of two places: the earlier one, whose line the loader adds to the message."""


def did_you_mean(word: str, choices: Iterable[str], *, what: str) -> str:
    """A hint naming the closest choice, or listing them when none is close."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    if not options:
        return f"no {what} defined"
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"known {what}: {shown}"


def check(design: Design, catalog: Catalog) -> list[Finding]:
    """Every cross-field problem of ``design``."""
    findings: list[Finding] = []
    findings += _kinds(design, catalog)
    findings += _flows(design, catalog)
    findings += _failures(design)
    findings += _goals(design.goals, ("goals",))
    for name, flow in design.workload.flows.items():
        if flow.goals is not None:
            findings += _goals(flow.goals, ("workload", "flows", name, "goals"))
    findings += _schedule(design)
    findings += _unused(design)
    findings += _decisions(design)
    return findings


def _kinds(design: Design, catalog: Catalog) -> Iterator[Finding]:
    for name, comp in design.components.items():
        path = ("components", name)
        kind = catalog.kinds.get(comp.kind)
        if kind is None:
            yield Finding(
                (*path, "kind"),
                f"unknown kind {comp.kind!r}",
                did_you_mean(comp.kind, catalog.kinds, what="kinds"),
            )
            continue
        if comp.engine is not None and comp.engine not in kind.engines:
            hint = did_you_mean(comp.engine, kind.engines, what=f"engines of {comp.kind}")
            yield Finding(
                (*path, "engine"),
                f"unknown engine {comp.engine!r} for kind {comp.kind}",
                f"{hint} Or leave engine out to use the kind's defaults.",
            )
        if comp.queue_limit is not None and kind.station == "delay":
            yield Finding(
                (*path, "queue_limit"),
                f"a {comp.kind} has no queue (requests never wait there)",
                "remove queue_limit",
                "warning",
            )


def _walk(
    steps: list[Step], path: Path, ancestors: tuple[str, ...]
) -> Iterator[tuple[Visit, Path, tuple[str, ...]]]:
    """Every visit, with its path and the components whose miss branch encloses it."""
    for i, step in enumerate(steps):
        here = (*path, i)
        if isinstance(step, Parallel):
            for b, branch in enumerate(step.branches):
                yield from _walk(branch, (*here, "parallel", "branches", b), ancestors)
        else:
            yield step, here, ancestors
            if step.on_miss:
                key = step.target
                yield from _walk(
                    step.on_miss, (*here, key, "on_miss"), (*ancestors, step.component)
                )


def _flows(design: Design, catalog: Catalog) -> Iterator[Finding]:
    flows = design.workload.flows
    peak = design.workload.peak
    shares = {n: f.share for n, f in flows.items() if f.share is not None}
    for name, flow in flows.items():
        path = ("workload", "flows", name)
        if flow.rate is None and flow.share is None:
            yield Finding(
                path,
                f"flow {name!r} has no rate",
                "give it rate: <rate> (like 500/s) or share: <percent> of workload.peak",
            )
        if flow.rate is not None and flow.share is not None:
            yield Finding(
                (*path, "share"),
                "a flow has a rate or a share, not both",
                "keep one: share is a part of workload.peak, rate is the flow's own",
            )
        if flow.share is not None and peak is None:
            yield Finding(
                (*path, "share"),
                "share needs workload.peak",
                "add workload.peak (like 12k/s), or give the flow its own rate",
            )
        for visit, vpath, ancestors in _walk(flow.steps, (*path, "steps"), ()):
            yield from _visit(design, catalog, visit, vpath, ancestors)
    if shares:
        total = sum(shares.values())
        if abs(total - 1.0) > SHARE_TOLERANCE:
            first = next(iter(shares))
            listed = " + ".join(f"{n} {v * 100:g}%" for n, v in shares.items())
            yield Finding(
                ("workload", "flows", first, "share"),
                f"flow shares add up to {total * 100:g}%, not 100% ({listed})",
                "shares divide workload.peak between flows; a flow with its own rate comes on top",
            )
    elif peak is not None and flows and all(f.rate is not None for f in flows.values()):
        total = sum(f.rate or 0.0 for f in flows.values())
        if abs(total - peak) > 1e-6 * max(peak, 1.0):
            yield Finding(
                ("workload", "peak"),
                f"workload.peak ({peak:g}/s) differs from the sum of the flows' rates ({total:g}/s)",
                "drop peak (it is then the sum), or fix the rates",
                "warning",
            )


def _visit(
    design: Design, catalog: Catalog, visit: Visit, path: Path, ancestors: tuple[str, ...]
) -> Iterator[Finding]:
    comp = design.components.get(visit.component)
    if comp is None:
        yield Finding(
            path,
            f"step names unknown component {visit.component!r}",
            did_you_mean(visit.component, design.components, what="components"),
        )
        return
    if visit.operation is not None and comp.kind in catalog.kinds:
        ops = operations_of(comp, catalog)
        if visit.operation not in ops:
            yield Finding(
                path,
                f"{visit.component} has no operation {visit.operation!r}",
                did_you_mean(visit.operation, ops, what=f"operations of {visit.component}")
                + f"; or define it under components.{visit.component}.operations",
            )
    if visit.component in ancestors:
        yield Finding(
            path,
            f"recursive step: {visit.component} is visited inside its own miss branch",
            "a miss branch goes to the next tier (cache -> database), never back to the same component",
        )
    if visit.fanout > comp.replicas * comp.shards:
        yield Finding(
            path,
            f"fanout {visit.fanout} exceeds the {comp.replicas * comp.shards} "
            f"replicas of {visit.component}",
            "fan-out calls distinct replicas or shards: add replicas/shards or lower fanout",
        )
    if visit.retries is not None and visit.retries.attempts > 0 and visit.timeout is None:
        yield Finding(
            path,
            "retries without a timeout only retry failures, never slowness",
            "add timeout: <duration> to retry slow calls too",
            "warning",
        )


def _target(
    design: Design, text: str, path: Path, *, parts: tuple[str, ...] = ()
) -> Iterator[Finding]:
    comp, _, sub = text.partition(".")
    if comp not in design.components:
        yield Finding(
            path,
            f"failure names unknown component {comp!r}",
            did_you_mean(comp, design.components, what="components"),
        )
    elif sub and sub not in parts:
        yield Finding(
            path,
            f"unknown part {sub!r} of {comp}",
            f"write {comp} (all of it)" + "".join(f" or {comp}.{p}" for p in parts),
        )


def _failures(design: Design) -> Iterator[Finding]:
    zones = {z for c in design.components.values() for z in (c.zones or [])}
    hit_targets = {
        v.component
        for flow in design.workload.flows.values()
        for v, _, _ in _walk(flow.steps, (), ())
        if v.hit is not None
    }
    for i, f in enumerate(design.failures):
        path: Path = ("failures", i)
        yield from _failure(design, f, path, zones, hit_targets)


def _failure(
    design: Design, f: Failure, path: Path, zones: set[str], hit_targets: set[str]
) -> Iterator[Finding]:
    if f.kill is not None:
        yield from _target(design, f.kill, (*path, "kill"), parts=("primary", "replica"))
        comp = design.components.get(f.kill.partition(".")[0])
        if comp is not None and f.replicas is not None and f.replicas > comp.replicas * comp.shards:
            yield Finding(
                (*path, "replicas"),
                f"cannot kill {f.replicas} replicas: {f.kill} has {comp.replicas * comp.shards}",
                "lower replicas, or leave it out to kill the whole component",
            )
        if comp is not None and f.kill.endswith(".primary") and comp.replicas == 1:
            yield Finding(
                (*path, "kill"),
                f"{f.kill.partition('.')[0]} has one replica: no standby can take over its primary",
                "add replicas for a failover, or kill the whole component",
                "warning",
            )
    if f.zone is not None and f.zone not in zones:
        yield Finding(
            (*path, "zone"),
            f"no component is placed in zone {f.zone!r}",
            did_you_mean(f.zone, zones, what="zones") + " (set zones: on components)",
        )
    if f.flush is not None:
        yield from _target(design, f.flush, (*path, "flush"))
        if f.flush in design.components and f.flush not in hit_targets:
            yield Finding(
                (*path, "flush"),
                f"{f.flush} has no hit ratio in any step, so a flush changes nothing",
                "flush a component that steps visit with hit: <percent>",
            )
    if f.slow is not None:
        yield from _target(design, f.slow, (*path, "slow"))


_ORDER = ("p50", "p90", "p95", "p99", "p999")


def _goals(goals: Goals | None, path: Path) -> Iterator[Finding]:
    if goals is None:
        return
    last: tuple[str, float] | None = None
    for name in _ORDER:
        value = getattr(goals, name)
        if value is None:
            continue
        if last is not None and value < last[1]:
            yield Finding(
                (*path, name),
                f"{name} goal is below the {last[0]} goal",
                "percentile goals grow with the percentile: p50 <= p90 <= p95 <= p99 <= p999",
            )
        last = (name, value)


def _schedule(design: Design) -> Iterator[Finding]:
    prev = -1.0
    for i, phase in enumerate(design.workload.schedule):
        if phase.at <= prev:
            yield Finding(
                ("workload", "schedule", i, "at"),
                "schedule phases must be in time order",
                "list phases by increasing 'at'",
            )
        prev = phase.at
    if design.workload.schedule and design.workload.peak is None:
        yield Finding(
            ("workload", "schedule"),
            "a schedule multiplies workload.peak, which is missing",
            "add workload.peak",
        )


def _unused(design: Design) -> Iterator[Finding]:
    used = {
        v.component
        for flow in design.workload.flows.values()
        for v, _, _ in _walk(flow.steps, (), ())
    }
    unknown = used - set(design.components)
    for name in design.components:
        # A misspelled step already explains why its real component looks unused.
        if name not in used and not difflib.get_close_matches(name, unknown, n=1, cutoff=0.6):
            yield Finding(
                ("components", name),
                f"component {name!r} is not used by any flow",
                "add it to a flow's steps or remove it",
                "warning",
                at_key=True,
            )


# --- decisions ----------------------------------------------------------------------------------


def _decisions(design: Design) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for i, decision in enumerate(design.decisions):
        if decision.id in first:
            yield Finding(
                ("decisions", i, "id"),
                f"duplicate decision id {decision.id!r}",
                "give each decision its own id: supersedes names decisions by id",
                first=("decisions", first[decision.id], "id"),
            )
        else:
            first[decision.id] = i
        yield from _options(decision, ("decisions", i))
    yield from _supersession(design.decisions, first)


def _options(decision: Decision, path: Path) -> Iterator[Finding]:
    names: dict[str, int] = {}
    for j, option in enumerate(decision.options):
        if option.name in names:
            yield Finding(
                (*path, "options", j, "name"),
                f"{decision.id} has two options named {option.name!r}",
                "give each option its own name, so that chosen names one of them",
                first=(*path, "options", names[option.name], "name"),
            )
        else:
            names[option.name] = j
    if decision.chosen is not None and decision.chosen not in names:
        yield Finding(
            (*path, "chosen"),
            f"chosen option {decision.chosen!r} is not among the options of {decision.id}",
            did_you_mean(decision.chosen, names, what=f"options of {decision.id}"),
        )


def _supersedes_entry(i: int, decision: Decision, j: int) -> Path:
    """Where entry ``j`` is written: a single id is plain text, not a one-item list."""
    path: Path = ("decisions", i, "supersedes")
    return path if len(decision.supersedes) == 1 else (*path, j)


def _supersession(decisions: list[Decision], first: dict[str, int]) -> Iterator[Finding]:
    replaced_by: dict[str, tuple[int, Path]] = {}  # old id -> its superseder, and where
    unknown: set[str] = set()
    meant: set[str] = set()  # ids a wrong supersedes entry probably meant
    for i, new in enumerate(decisions):
        for j, old in enumerate(new.supersedes):
            path = _supersedes_entry(i, new, j)
            if old == new.id:
                yield Finding(
                    path,
                    f"decision {new.id} supersedes itself",
                    "supersedes lists the older decisions this one replaces: remove its own id",
                )
            elif old not in first:
                unknown.add(old)
                yield Finding(
                    path,
                    f"{new.id} supersedes unknown decision {old!r}",
                    did_you_mean(old, set(first) - {new.id}, what="decision ids"),
                )
            elif old in new.supersedes[:j]:
                yield Finding(
                    path, f"{new.id} supersedes {old} twice", "list each replaced decision once"
                )
            elif old in replaced_by:
                by = decisions[replaced_by[old][0]].id
                meant.add(by)
                yield Finding(
                    path,
                    f"{old} is superseded twice, by {by} and by {new.id}",
                    f"a decision is replaced once; if {new.id} replaces {by} in turn, "
                    f"write {by} in its supersedes instead of {old}",
                    first=replaced_by[old][1],
                )
            else:
                replaced_by[old] = (i, path)
    in_cycle: set[str] = set()
    for cycle in supersession_cycles(decisions):
        in_cycle.update(cycle)
        yield _cycle(decisions, cycle)
    for i, decision in enumerate(decisions):
        if first[decision.id] != i or decision.id in in_cycle:
            continue
        replacer = replaced_by.get(decision.id)
        # A wrong supersedes entry elsewhere may already explain why nothing replaces it.
        meant_here = decision.id in meant or bool(
            difflib.get_close_matches(decision.id, unknown, n=1, cutoff=0.6)
        )
        yield from _status(
            decision,
            ("decisions", i, "status"),
            None if replacer is None else decisions[replacer[0]],
            meant=meant_here,
        )


def _status(
    decision: Decision, path: Path, new: Decision | None, *, meant: bool
) -> Iterator[Finding]:
    """Warn when the status and the supersedes links tell different stories."""
    if new is not None:
        # A proposal to replace a decision does not end it: until agreed, it stays in force.
        if decision.status != "superseded" and new.status != "proposed":
            yield Finding(
                path,
                f"{decision.id} is superseded by {new.id}, but its status is {decision.status}",
                f"set its status to superseded; or, if {new.id} is not agreed yet, "
                f"set {new.id}'s status to proposed",
                "warning",
            )
    elif decision.status == "superseded" and not meant:
        yield Finding(
            path,
            f"{decision.id} has status superseded, but no decision supersedes it",
            f"add {decision.id} to the supersedes of the decision that replaced it, "
            "or set its status to accepted or deprecated",
            "warning",
        )


def _cycle(decisions: list[Decision], cycle: tuple[str, ...]) -> Finding:
    """Report a cycle at its first decision in the file: older, so likeliest to be wrong."""
    start, after = cycle[0], cycle[1]
    i, new = next(
        (i, d) for i, d in enumerate(decisions) if d.id == start and after in d.supersedes
    )
    steps = f"{start} supersedes {after}" + "".join(
        f", which supersedes {key}" for key in (*cycle[2:], start)
    )
    return Finding(
        _supersedes_entry(i, new, new.supersedes.index(after)),
        f"decisions supersede each other in a circle: {steps}",
        f"supersedes names only older decisions: if {start} is older than {after}, remove "
        f"{after} here; otherwise remove the entry that names a newer decision",
    )
