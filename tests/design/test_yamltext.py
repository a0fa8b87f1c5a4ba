"""Safe located YAML: limits hold before anything is built, positions are right."""

from __future__ import annotations

import pytest

from staffpath.design.yamltext import MAX_DEPTH, YamlProblem, dotted, parse

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
"""


def problem_of(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as info:
        parse(text)
    return info.value


def test_values_follow_yaml_1_2_core_not_1_1() -> None:
    doc = parse("a: no\nb: on\nc: yes\nd: 1_000\ne: 0o17\nf: 012\ng: true\nh: 1.5\ni: ~\nj: '3'\n")
    assert doc.value == {
        "a": "no",
        "b": "on",
        "c": "yes",
        "d": "1_000",
        "e": "0o17",
        "f": 12,
        "g": True,
        "h": 1.5,
        "i": None,
        "j": "3",
    }


def test_keys_are_always_text() -> None:
    assert parse("on: 1\n1: x\ntrue: y\n").value == {"on": 1, "1": "x", "true": "y"}


def test_positions_of_nodes_and_keys() -> None:
    doc = parse("name: x\ncomponents:\n  api:\n    replicas: 3\n")
    assert doc.nodes[("components", "api", "replicas")] == (4, 15)
    assert doc.keys[("components", "api", "replicas")] == (4, 5)


def test_resolve_skips_segments_the_text_does_not_have() -> None:
    doc = parse("steps:\n  - cache: {hit: 2%}\n")
    assert doc.resolve(("steps", 0, "visit", "hit")) == ("steps", 0, "cache", "hit")
    assert doc.where(("steps", 0, "hit"))[1] == (2, 18)


def test_billion_laughs_is_refused_at_the_first_anchor() -> None:
    p = problem_of(BILLION_LAUGHS).problem
    assert (p.line, p.column) == (1, 4)
    assert "anchor &a" in p.message


def test_alias_is_refused_even_without_its_anchor() -> None:
    assert "alias *nowhere" in problem_of("a: *nowhere\n").problem.message


@pytest.mark.parametrize(
    "text", ["a: !!python/object:os.system x\n", "a: !!str 5\n", "a: !custom {}\n"]
)
def test_tags_are_refused(text: str) -> None:
    assert "tag" in problem_of(text).problem.message


def test_nesting_is_refused_past_the_limit_and_accepted_at_it() -> None:
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert isinstance(parse(ok).value, list)
    deep = "[" * 5000 + "]" * 5000
    p = problem_of(deep).problem
    assert f"deeper than {MAX_DEPTH}" in p.message
    block = "".join(" " * i + "- \n" for i in range(0, 200, 2))  # block style, not flow
    assert f"deeper than {MAX_DEPTH}" in problem_of(block).problem.message


def test_duplicate_keys_name_both_lines() -> None:
    p = problem_of("a: 1\nb: 2\na: 3\n").problem
    assert (p.line, p.path) == (3, "a")
    assert "first defined on line 1" in p.message


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN"])
def test_non_finite_numbers_are_refused(value: str) -> None:
    assert "not allowed" in problem_of(f"x: {value}\n").problem.message


def test_size_limit() -> None:
    assert "larger than 256 KiB" in problem_of("a: " + "x" * (256 * 1024) + "\n").problem.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("a: 1\n---\nb: 2\n", "one YAML document"),
        ("a: [1, 2\n", "syntax error"),
        ("? [a, b]\n: 1\n", "plain name"),
    ],
)
def test_malformed_documents(text: str, fragment: str) -> None:
    assert fragment in problem_of(text).problem.message


def test_dotted_paths() -> None:
    assert dotted(("workload", "flows", "a", "steps", 2, "hit")) == "workload.flows.a.steps[2].hit"
    assert dotted(()) == ""
