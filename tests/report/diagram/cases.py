"""Designs the diagram tests draw: the examples (analysed once) and generated ones."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from staffpath.design.load import load_design
from staffpath.design.model import Design
from staffpath.engine.analyze import Analysis, analyze
from staffpath.report.diagram import Diagram, build_diagram
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "report" / "diagram" / "golden"
EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("*.yaml"))
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIGHT = settings(PROPERTY, max_examples=25)
"""For properties that mostly re-check what the layout's properties already cover."""


@dataclass(frozen=True)
class Case:
    design: Design
    analysis: Analysis
    diagram: Diagram


@cache
def example(name: str) -> Case:
    design = load_design(ROOT / "examples" / f"{name}.yaml")
    analysis = analyze(design)
    return Case(design, analysis, build_diagram(design, analysis))


def case_of(text: str) -> Case:
    design = load_design(text)
    analysis = analyze(design)
    return Case(design, analysis, build_diagram(design, analysis))


KINDS = {
    "service": None,
    "worker": None,
    "cache": "redis",
    "database": "postgres",
    "key_value": "redis",
    "stream": "kafka",
    "queue": "sqs",
    "object_store": "s3",
    "search_index": "opensearch",
    "load_balancer": None,
    "cdn": None,
    "client": None,
}

names = st.from_regex(r"[a-z][a-z0-9_-]{0,17}", fullmatch=True).filter(lambda n: n != "parallel")


@st.composite
def designs(draw: st.DrawFn, *, plain: bool = False) -> str:
    """Design text with 1-8 components and 1-4 flows of visits, cache branches, fan-out and
    parallel steps. ``plain``: visits only (no parallel step, no timeout), so that the rates
    on the edges must add up to the engine's arrival rates."""
    comp_names = draw(st.lists(names, min_size=1, max_size=8, unique=True))
    components: dict[str, object] = {}
    for name in comp_names:
        kind = draw(st.sampled_from(sorted(KINDS)))
        comp: dict[str, object] = {
            "kind": kind,
            "replicas": draw(st.integers(1, 200)),
            # Slow enough to queue visibly, fast enough that little saturates.
            "service_time": f"{draw(st.integers(1, 20))}ms",
        }
        if KINDS[kind] and draw(st.booleans()):
            comp["engine"] = KINDS[kind]
        if draw(st.booleans()):
            comp["zones"] = draw(st.integers(1, 3))
        if draw(st.booleans()):
            comp["shards"] = draw(st.integers(2, 16))
        components[name] = comp

    def steps(depth: int, banned: frozenset[str]) -> list[object]:
        return [step(depth, banned) for _ in range(draw(st.integers(1, 4)))]

    def step(depth: int, banned: frozenset[str]) -> object:
        target = draw(st.sampled_from([n for n in comp_names if n not in banned]))
        form = draw(st.integers(0, 4)) if depth < 2 else 0
        comp = components[target]
        assert isinstance(comp, dict)
        width = comp["replicas"] * comp.get("shards", 1)
        if form == 1 and width >= 2:
            return {target: {"fanout": draw(st.integers(2, min(width, 5)))}}
        if form == 2 and set(comp_names) - banned - {target}:
            return {
                target: {
                    "hit": f"{draw(st.integers(0, 100))}%",
                    "on_miss": steps(depth + 1, banned | {target}),
                }
            }
        if form == 3 and not plain:
            return {"parallel": [steps(depth + 1, banned) for _ in range(draw(st.integers(2, 3)))]}
        if form == 4 and not plain:
            return {target: {"timeout": "50ms"}}  # retries would only slow the engine down
        return target

    flows = {
        f"flow{i}": {"rate": f"{draw(st.integers(0, 5000))}/s", "steps": steps(0, frozenset())}
        for i in range(draw(st.integers(1, 4)))
    }
    doc = {"name": "generated", "workload": {"flows": flows}, "components": components}
    return yaml.safe_dump(doc, sort_keys=False)
