"""The ATS round trip: our PDFs read back complete and in order; a field taken out of the
text is missing; two swapped are out of order without the rest of the page being blamed."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from staffpath.career.resume.ats import Expected, check_pdf, check_text, expected, extract_text
from staffpath.career.resume.model import load_resume
from staffpath.career.resume.pdf import TEMPLATES, render_pdf, view
from staffpath.career.resume.variant import apply, load_variant
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples" / "career"


@pytest.fixture(scope="module")
def master() -> dict[str, Any]:
    return load_resume(EXAMPLES / "resume.json").data


@pytest.fixture(scope="module")
def classic_text(master: dict[str, Any]) -> str:
    return extract_text(render_pdf(master, template="classic"))


VARIANTS = [None, *sorted(p.name for p in (EXAMPLES / "variants").glob("*.yaml"))]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("variant", VARIANTS)
def test_examples_pass(template: str, variant: str | None, master: dict[str, Any]) -> None:
    data = (
        master if variant is None else apply(master, load_variant(EXAMPLES / "variants" / variant))
    )
    report = check_pdf(render_pdf(data, template=template), view(data))
    assert report.passed, report.problems
    assert len(report.items) > 60


def test_expected_covers_every_field_in_print_order(master: dict[str, Any]) -> None:
    wanted = expected(view(master))
    texts = [w.text for w in wanted]
    assert texts[:3] == [
        "Maya Okonkwo-Lindqvist",
        "Senior Backend Engineer",
        "maya.okonkwo@example.com",
    ]
    for job in master["work"]:
        for value in (job["name"], job["position"], *job["highlights"]):
            assert value in texts
    assert texts.index("Experience") < texts.index("Fjordpay") < texts.index("Northwind Freight")
    assert sum(1 for w in wanted if w.where.endswith("/ heading")) == 10


def test_a_removed_field_is_reported_missing(master: dict[str, Any], classic_text: str) -> None:
    highlight = master["work"][1]["highlights"][1]
    first_line = "Replaced a nightly batch with a streaming pipeline on Kafka and Flink"
    assert first_line in classic_text
    broken = classic_text.replace(first_line, "")
    report = check_text(broken, expected(view(master)))
    assert not report.passed
    assert [(p.status, p.text) for p in report.problems] == [("missing", highlight)]
    assert report.to_dict()["missing"] == 1


def test_swapped_fields_are_out_of_order_and_nothing_else(
    master: dict[str, Any], classic_text: str
) -> None:
    a, b = "Northwind Freight", "Lumen Analytics"
    swapped = classic_text.replace(a, "\0").replace(b, a).replace("\0", b)
    report = check_text(swapped, expected(view(master)))
    # each is where the other should be: both out of order, and nothing between them
    assert [(p.status, p.text) for p in report.problems] == [
        ("out of order", a),
        ("out of order", b),
    ]


def test_case_whitespace_and_ligatures_do_not_matter() -> None:
    wanted = [Expected("a", "Efficient  flows"), Expected("b", "Second line")]
    assert check_text(
        "EFFI\ufb01cient\nflows ... second\n line", [Expected("a", "Effificient flows"), wanted[1]]
    ).passed
    assert check_text(
        "e\ufb03cient flows then second line", [Expected("a", "Efficient flows")]
    ).passed


def test_a_heading_moved_to_the_end_is_the_only_problem() -> None:
    wanted = [Expected(str(i), w) for i, w in enumerate(["Alpha", "Beta", "Gamma", "Delta"])]
    report = check_text("Alpha Gamma Delta Beta", wanted)
    assert [(p.where, p.status) for p in report.problems] == [("1", "out of order")]
    assert check_text("Alpha Beta Gamma", wanted).problems[0].status == "missing"


def test_a_pdf_from_another_resume_fails(master: dict[str, Any], tmp_path: Path) -> None:
    variant = load_variant(EXAMPLES / "variants" / "staff-platform.yaml")
    pdf = render_pdf(apply(master, variant), template="compact")
    report = check_pdf(pdf, view(master))
    assert not report.passed
    missing = {p.text for p in report.problems if p.status == "missing"}
    assert "Code Club Stockholm" in missing  # the variant omits volunteering


@given(order=st.permutations(list(range(7))))
def test_in_order_set_is_a_longest_increasing_subsequence(order: list[int]) -> None:
    """Property: for distinct fields shuffled in the text, the fields called ok are in order
    and as many as the longest increasing subsequence found by brute force."""
    names = [f"field{chr(97 + i)}x" for i in range(7)]
    text = " ".join(names[i] for i in order)
    report = check_text(text, [Expected(n, n) for n in names])
    ok = [i for i, item in enumerate(report.items) if item.status == "ok"]
    assert [p for p in order if p in ok] == sorted(ok)
    best = max(
        len(sub)
        for r in range(len(order) + 1)
        for sub in itertools.combinations(order, r)
        if list(sub) == sorted(sub)
    )
    assert len(ok) == best
    assert all(item.status != "missing" for item in report.items)
