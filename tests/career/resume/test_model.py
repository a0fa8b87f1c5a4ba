"""The master resume: schema errors located to the line and column, exact messages, for JSON
and YAML; the writing warnings; the position map of the JSON scanner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from staffpath.career.resume.model import (
    check_resume_file,
    check_text,
    date_order,
    load_resume,
    locate_json,
    pointer_of,
    render_problems,
    schema,
)
from staffpath.errors import InputError
from tests.conftest import ROOT

BROKEN = Path(__file__).parent / "broken"
EXAMPLE = ROOT / "examples" / "career" / "resume.json"


def rendered(name: str) -> list[str]:
    checked = check_text((BROKEN / name).read_text(), name=name, kind=name.rsplit(".")[-1])
    return render_problems(checked.problems, name).splitlines()


def test_the_example_is_valid_and_clean() -> None:
    checked = check_resume_file(EXAMPLE)
    assert checked.resume is not None
    assert checked.problems == ()
    assert checked.resume.data["basics"]["name"] == "Maya Okonkwo-Lindqvist"


def test_typos_and_old_field_names_are_located_with_hints() -> None:
    assert rendered("typos.json") == [
        'typos.json:4:14: basics.email: expected an email address, found "ada.example.com"',
        "typos.json:5:5: basics.website: unknown field (expected one of: name, label, image, "
        "email, phone, url, summary, location, profiles) (JSON Resume 1.0 calls this field 'url')",
        "typos.json:6:50: basics.location.countryCode: expected a two-letter ISO 3166-1 country "
        'code in capitals, found "GBR" (e.g. US, GB, DE)',
        "typos.json:9:5: work[0].name: required, but missing",
        "typos.json:10:7: work[0].company: unknown field (expected one of: name, location, "
        "description, position, url, startDate, endDate, summary, highlights) "
        "(JSON Resume 1.0 calls this field 'name')",
        "typos.json:12:20: work[0].startDate: expected an ISO 8601 date (YYYY, YYYY-MM or "
        'YYYY-MM-DD), found "2020/01" (write e.g. 2021-03 for March 2021; leave endDate out '
        "while it is ongoing)",
        "typos.json:13:7: work[0].hightlights: unknown field (expected one of: name, location, "
        "description, position, url, startDate, endDate, summary, highlights) "
        "(did you mean 'highlights'?)",
    ]


def test_wrong_types_in_yaml_are_located() -> None:
    assert rendered("types.yaml") == [
        "types.yaml:3:8: basics.url: expected a web address starting with http:// or https://, "
        'found "ada.example.com" (write the full address, e.g. https://example.com)',
        "types.yaml:5:7: basics.profiles[0].network: required, but missing",
        "types.yaml:8:15: work[0].position: must not be empty",
        "types.yaml:9:16: work[0].startDate: expected text, found 2020 "
        "(dates are text; in YAML quote them: '2021-03')",
        "types.yaml:10:14: work[0].endDate: 2023-02-30 is not a day of the calendar",
        'types.yaml:11:17: work[0].highlights: expected a list, found "Shipped the billing system"',
        "types.yaml:14:23: skills[0].keywords[1]: expected text, found 42",
    ]


def test_json_syntax_error_is_located() -> None:
    assert rendered("syntax.json") == [
        "syntax.json:4:45: not JSON: Expecting property name enclosed in double quotes"
    ]


def test_writing_warnings_do_not_invalidate() -> None:
    checked = check_text((BROKEN / "warnings.yaml").read_text(), name="w.yaml", kind="yaml")
    assert checked.resume is not None
    assert checked.errors == []
    assert [(p.line, p.path, p.message) for p in checked.warnings] == [
        (7, "work[0].endDate", "ends (2018) before it starts (2019-04)"),
        (9, "work[0].highlights[0]", "highlight without a number"),
        (11, "work[1]", "no highlights for Engineer at Later Co"),
        (13, "work[1].startDate", "starts (2021-01) after the entry above it (2019-04)"),
        (16, "projects[0].highlights[0]", "highlight without a number"),
    ]


def test_duplicate_json_keys_are_errors_per_object() -> None:
    text = '{"basics": {"name": "A"},\n "work": [],\n "basics": {"name": "B"}}'
    checked = check_text(text, name="d.json", kind="json")
    assert checked.resume is None
    assert render_problems(checked.problems, "d.json") == (
        "d.json:3:2: basics: given twice (first on line 1) "
        "(keep one; JSON readers silently keep the last)"
    )


def test_json_position_map_is_exact() -> None:
    text = '{\n  "a": [1, {"b": "x\\"y"}],\n  "c": null\n}'
    located, dupes = locate_json(text)
    assert dupes == []
    assert located.nodes[("a",)] == (2, 8)
    assert located.nodes[("a", 1)] == (2, 12)
    assert located.nodes[("a", 1, "b")] == (2, 18)
    assert located.keys[("a", 1, "b")] == (2, 13)
    assert located.nodes[("c",)] == (3, 8)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[]", "expected a resume (a mapping with basics, work...), found list"),
        ("", "x:1:1: the file is empty (start with basics: and name:)"),
        ("a: &x 1", "anchors and aliases are not part of staffpath's YAML"),
        ("{}", "basics: required, but missing"),
    ],
)
def test_not_a_resume(text: str, problem: str) -> None:
    kind = "json" if text.startswith(("[", "{")) else "yaml"
    checked = check_text(text, name="x", kind=kind)
    assert checked.resume is None
    assert problem in render_problems(checked.problems, "x")


def test_load_resume_raises_every_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_resume(BROKEN / "typos.json")
    assert len(str(info.value).splitlines()) == 7
    with pytest.raises(InputError, match=r"expected a \.json, \.yaml or \.yml"):
        load_resume(tmp_path / "resume.txt")
    with pytest.raises(InputError, match="no such file"):
        load_resume(tmp_path / "missing.json")


def test_yaml_and_json_masters_give_the_same_data(tmp_path: Path) -> None:
    import yaml

    data = json.loads(EXAMPLE.read_text())
    path = tmp_path / "resume.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert load_resume(path).data == data


def test_partial_dates_compare_at_their_common_precision() -> None:
    assert date_order("2021", "2021-06")
    assert date_order("2021-06", "2021")
    assert date_order("2020-12-31", "2021-01")
    assert not date_order("2021-02", "2021-01-31")


def test_pointer_of() -> None:
    assert pointer_of("work[0].highlights[12]") == "/work/0/highlights/12"
    assert pointer_of("meta.staffpath.evidence['/work/0']") == "/meta/staffpath/evidence/~1work~10"


def test_schema_cites_json_resume_and_is_ours() -> None:
    s = schema()
    assert "jsonresume" in s["$comment"] and "MIT" in s["$comment"]
    assert set(s["properties"]) == {
        "$schema",
        "basics",
        "work",
        "volunteer",
        "education",
        "awards",
        "certificates",
        "publications",
        "skills",
        "languages",
        "interests",
        "references",
        "projects",
        "meta",
    }


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(value=_json, indent=st.sampled_from([None, 0, 2]))
def test_json_position_map_points_at_each_value(value: object, indent: int | None) -> None:
    """Property: decoding the text at a node's line and column gives back that node."""
    text = json.dumps(value, indent=indent)
    located, _ = locate_json(text)
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    decoder = json.JSONDecoder()
    for path, (line, col) in located.nodes.items():
        node = located.value_at(path)
        found, _ = decoder.raw_decode(text, starts[line - 1] + col - 1)
        assert found == node


def test_evidence_links_must_point_at_something() -> None:
    text = """\
basics: {name: A}
work:
  - {name: X, position: Y, highlights: [Cut costs by 10%]}
meta:
  staffpath:
    evidence:
      /work/0/highlights/0: [e1]
      /work/0/highlights/3: [e2]
      work/0: [e3]
"""
    checked = check_text(text, name="e.yaml", kind="yaml")
    assert render_problems(checked.warnings, "e.yaml").splitlines() == [
        "e.yaml:8:7: warning: meta.staffpath.evidence: /work/0/highlights/3 points at nothing "
        "in this resume (write a JSON pointer such as /work/0/highlights/1 (indices from 0))",
        "e.yaml:9:7: warning: meta.staffpath.evidence: work/0 points at nothing in this resume "
        "(write a JSON pointer such as /work/0/highlights/1 (indices from 0))",
    ]
