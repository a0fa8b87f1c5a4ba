"""The loader's contract: a validated design, or a DesignError holding every located problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import staffpath
from staffpath.design.dump import dump_data, dump_design
from staffpath.design.load import load_design, load_text
from staffpath.design.model import Parallel, Visit
from staffpath.errors import DesignError, InputError
from staffpath.units import (
    format_duration,
    format_money,
    format_percent,
    format_rate,
    format_size,
)

SMALL = """\
name: tiny
workload:
  peak: 100/s
  flows:
    read: {share: 100%, steps: [api, db.read]}
components:
  api: {kind: service, replicas: 2}
  db: {kind: database, operations: {read: 2ms}}
"""


def test_public_api_loads_text_and_paths(tmp_path: Path) -> None:
    design = staffpath.load_design(SMALL)
    assert design.name == "tiny"
    assert design.workload.peak == 100.0
    file = tmp_path / "tiny.yaml"
    file.write_text(SMALL)
    assert load_design(file) == design
    assert load_design(str(file)) == design


def test_short_step_forms_become_visits() -> None:
    design = load_design(SMALL)
    steps = design.workload.flows["read"].steps
    assert steps == [Visit(component="api"), Visit(component="db", operation="read")]


def test_parallel_forms() -> None:
    text = SMALL.replace("steps: [api, db.read]", "steps: [{parallel: [api, [db.read, api]]}]")
    (step,) = load_design(text).workload.flows["read"].steps
    assert isinstance(step, Parallel)
    assert step.branches == [
        [Visit(component="api")],
        [Visit(component="db", operation="read"), Visit(component="api")],
    ]


def test_every_problem_is_reported_at_once() -> None:
    text = SMALL.replace("replicas: 2", "replicas: 0, concurrency: -1").replace("100/s", "100")
    with pytest.raises(DesignError) as info:
        load_design(text)
    paths = {p.path for p in info.value.problems}
    assert paths == {"workload.peak", "components.api.replicas", "components.api.concurrency"}
    for p in info.value.problems:
        assert p.line > 0 and p.column > 0 and p.message


def test_semantic_problems_are_reported_together() -> None:
    text = SMALL.replace("[api, db.read]", "[apx, db.reed]")
    with pytest.raises(DesignError) as info:
        load_design(text)
    messages = [p.message for p in info.value.errors]
    assert messages == ["step names unknown component 'apx'", "db has no operation 'reed'"]
    assert info.value.errors[0].hint == "did you mean 'api'?"
    # 'api' looks unused only because of the typo, so no follow-on warning says so
    assert [w.path for w in info.value.problems if w.severity == "warning"] == []


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_design(tmp_path / "nope.yaml")


def test_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * (300 * 1024))
    with pytest.raises(DesignError, match="over the 256 KiB limit"):
        load_design(big)


def test_non_utf8_file(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(DesignError, match="not UTF-8"):
        load_design(bad)


def test_warnings_do_not_stop_a_design() -> None:
    loaded = load_text(SMALL + "  spare: {kind: cache}\n")
    assert [w.path for w in loaded.warnings] == ["components.spare"]


# --- properties -------------------------------------------------------------------------------


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_text_gives_a_design_or_a_design_error(text: str) -> None:
    try:
        load_text(text)
    except DesignError as exc:
        assert exc.problems


yamlish = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["12k/s", "4ms", "99%", "api", "db.read", "service", "$5/month"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "workload",
                    "flows",
                    "steps",
                    "components",
                    "kind",
                    "replicas",
                    "share",
                    "rate",
                    "peak",
                    "hit",
                    "on_miss",
                    "x",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=1_000, deadline=None)
@given(yamlish)
def test_arbitrary_yaml_structures_give_a_design_or_a_design_error(value: object) -> None:
    try:
        load_text(yaml.safe_dump({"name": "x", "workload": value, "components": value}))
    except DesignError as exc:
        assert exc.problems


# Valid designs generated from the language's parts, with arbitrary quantities.
names = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(lambda n: n != "parallel")
seconds = st.floats(min_value=0, max_value=1e6, allow_nan=False)
fractions = st.floats(min_value=0, max_value=1)


@st.composite
def designs(draw: st.DrawFn) -> str:
    comp_names = draw(st.lists(names, min_size=1, max_size=5, unique=True))
    kinds = ["service", "cache", "database", "worker", "load_balancer", "queue"]
    components = {}
    for name in comp_names:
        comp: dict[str, object] = {
            "kind": draw(st.sampled_from(kinds)),
            "replicas": draw(st.integers(1, 50)),
        }
        if draw(st.booleans()):
            comp["service_time"] = draw(
                st.one_of(
                    seconds.map(format_duration),
                    st.builds(
                        lambda m, cv: {"mean": format_duration(m), "dist": "lognormal", "cv": cv},
                        seconds,
                        st.floats(0.01, 10),
                    ),
                )
            )
        if draw(st.booleans()):
            comp["operations"] = {"op": {"mean": format_duration(draw(seconds)), "on": "primary"}}
        if draw(st.booleans()):
            comp["cost"] = format_money(draw(st.floats(0, 1e7)))
        if draw(st.booleans()):
            comp["memory"] = format_size(draw(st.floats(0, 1e15)))
        if draw(st.booleans()):
            comp["zones"] = draw(st.integers(1, 5))
        components[name] = comp

    def step() -> object:
        target = draw(st.sampled_from(comp_names))
        if "operations" in components[target] and draw(st.booleans()):
            target += ".op"
        form = draw(st.integers(0, 2))
        if form == 0:
            return target
        opts: dict[str, object] = {"timeout": format_duration(draw(seconds))}
        if form == 2:
            opts["retries"] = draw(st.integers(0, 5))
            opts["join"] = "first"
        return {target: opts}

    n_flows = draw(st.integers(1, 3))
    flows = {}
    for i in range(n_flows):
        flows[f"f{i}"] = {
            "rate": format_rate(draw(st.floats(0, 1e9))),
            "steps": [step() for _ in range(draw(st.integers(1, 4)))],
        }
    doc: dict[str, object] = {
        "name": draw(st.text(st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=20)),
        "workload": {"flows": flows},
        "components": components,
        "goals": {"availability": format_percent(draw(fractions))},
        "failures": [{"at": format_duration(draw(seconds)), "kill": comp_names[0]}],
    }
    return dump_data(doc)  # PyYAML's safe_dump would write a name like 08 bare


@settings(max_examples=300, deadline=None)
@given(designs())
def test_generated_valid_designs_round_trip(text: str) -> None:
    design = load_design(text)
    again = load_design(dump_design(design))
    assert again == design
    assert dump_design(again) == dump_design(design)


def test_text_that_looks_like_a_number_survives_a_round_trip() -> None:
    # found by Hypothesis: PyYAML (YAML 1.1) writes "08" bare; YAML 1.2 reads 8 back
    from staffpath.design.dump import dump_design

    for name in ("08", "1e3", "no", "null", "0x1F", "1_000"):
        text = f"name: '{name}'\nworkload: {{flows: {{f: {{rate: 1/s, steps: [a]}}}}}}\ncomponents: {{a: {{kind: service}}}}\n"
        design = load_text(text).design
        assert load_text(dump_design(design)).design == design, name
