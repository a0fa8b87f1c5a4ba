"""Tailored variants: the overlay's result (golden JSON), each way of naming an entry, a
highlight and a keyword, and every wrong reference located with a did-you-mean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from staffpath.career.resume.model import load_resume
from staffpath.career.resume.variant import apply, load_variant, parse_variant
from staffpath.errors import InputError
from tests.conftest import ROOT, compare_golden

GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = ROOT / "examples" / "career"


@pytest.fixture(scope="module")
def master() -> dict[str, Any]:
    return load_resume(EXAMPLES / "resume.json").data


@pytest.mark.parametrize("name", ["staff-platform", "payments-backend"])
def test_example_variants_golden(name: str, master: dict[str, Any], update_golden: bool) -> None:
    tailored = apply(master, load_variant(EXAMPLES / "variants" / f"{name}.yaml"))
    text = json.dumps(tailored, indent=2, ensure_ascii=False) + "\n"
    compare_golden(GOLDEN / f"variant-{name}.json", text, update_golden)


def test_staff_platform_picks_and_orders_by_hand(master: dict[str, Any]) -> None:
    """What the overlay says, checked against the master entry by entry."""
    tailored = apply(master, load_variant(EXAMPLES / "variants" / "staff-platform.yaml"))
    fjordpay = master["work"][0]["highlights"]
    assert tailored["basics"]["label"] == "Staff Backend Engineer, Platform"
    assert tailored["basics"]["summary"].startswith("Backend engineer who builds the platforms")
    assert [w["name"] for w in tailored["work"]] == [
        "Fjordpay",
        "Northwind Freight",
        "Lumen Analytics",
    ]
    # [0, 4, "double charges", 3]: "double charges" is only in highlight 1
    assert tailored["work"][0]["highlights"] == [fjordpay[0], fjordpay[4], fjordpay[1], fjordpay[3]]
    northwind = master["work"][1]["highlights"]
    assert tailored["work"][1]["highlights"] == [northwind[1], northwind[0]]
    assert [p["name"] for p in tailored["projects"]] == ["ledgerlint"]
    assert [s["name"] for s in tailored["skills"]] == [
        "Infrastructure",
        "Data",
        "Practices",
        "Languages",
    ]
    assert tailored["skills"][1]["keywords"] == ["Kafka", "PostgreSQL", "Redis", "Flink"]
    assert "interests" not in tailored and "volunteer" not in tailored
    assert tailored["education"] == master["education"]
    assert tailored["meta"]["staffpath"]["variant"] == "Staff engineer, platform"
    assert tailored["meta"]["staffpath"]["keywords"][0] == "platform engineering"
    assert master["basics"]["label"] == "Senior Backend Engineer"  # the master is untouched


def test_a_variant_with_only_a_label_is_the_master(master: dict[str, Any]) -> None:
    tailored = apply(master, parse_variant("label: as is\n", name="v.yaml"))
    del tailored["meta"]["staffpath"]["variant"]
    assert tailored == master


def test_index_and_digit_names(master: dict[str, Any]) -> None:
    text = "label: x\nwork:\n  - 2\n  - '1':\n      highlights: ['2']\n"
    tailored = apply(master, parse_variant(text, name="v.yaml"))
    assert [w["name"] for w in tailored["work"]] == ["Lumen Analytics", "Northwind Freight"]
    assert tailored["work"][1]["highlights"] == [master["work"][1]["highlights"][2]]


BAD = """\
label: Platform
headlin: Staff engineer
work:
  - Fjordpai
  - Fjordpay: {highlights: [9, latency, engineer, bogus]}
  - 7
skills: [Data, Data]
omit: [interest]
"""


def test_unknown_fields_are_reported_before_references(master: dict[str, Any]) -> None:
    with pytest.raises(InputError) as info:
        parse_variant(BAD, name="v.yaml")
    assert str(info.value).splitlines() == [
        "v.yaml:2:1: headlin: unknown field (expected one of: label, headline, summary, work, "
        "projects, skills, omit, keywords) (did you mean 'headline'?)",
        "v.yaml:8:8: omit[0]: not a resume section (expected one of: work, volunteer, "
        "education, awards, certificates, publications, skills, languages, interests, "
        "references, projects) (did you mean 'interests'?)",
    ]


def test_unknown_references_are_located_with_did_you_mean(master: dict[str, Any]) -> None:
    text = BAD.replace("headlin:", "headline:").replace("[interest]", "[interests]")
    variant = parse_variant(text, name="v.yaml")
    with pytest.raises(InputError) as info:
        apply(master, variant)
    assert str(info.value).splitlines() == [
        "v.yaml:4:5: work[0]: no work entry 'Fjordpai' in the master resume "
        "(did you mean 'Fjordpay' (0)?)",
        "v.yaml:5:29: work[1].Fjordpay.highlights[0]: no highlight at index 9 "
        "(there are 5: 0 to 4)",
        "v.yaml:5:41: work[1].Fjordpay.highlights[2]: 'engineer' is in 2 highlights "
        "(3: Mentored 4 engineers to mid-level and senior; t...; "
        "4: Wrote the incident review process the 60-person...) (use more words or the index)",
        "v.yaml:5:51: work[1].Fjordpay.highlights[3]: no highlight 'bogus' in the master resume "
        "(the highlights are 0: Led the move of the ledger ..., 1: Designed idempotent "
        "payment..., 2: Cut p99 checkout latency fr..., 3: Mentored 4 engineers to mid..., "
        "4: Wrote the incident review p...)",
        "v.yaml:6:5: work[2]: no work entry at index 7 (there are 3: 0 to 2)",
        "v.yaml:7:16: skills[1]: 'Data' is picked twice (list each entry once)",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "v.yaml:1:1: the variant is empty (start with label:)"),
        ("- a\n", "v.yaml:1:1: expected a variant (a mapping with label, work, ...)"),
        ("headline: x\n", "v.yaml:1:1: label: required, but missing"),
        ("label: ''\n", "v.yaml:1:8: label: expected non-empty text, found ''"),
        ("label: x\nwork: Fjordpay\n", "v.yaml:2:7: work: expected a list of work entries"),
        ("label: x\nskills:\n  - Data: {highlights: [0]}\n", "unknown option (expected: keywords)"),
        ("label: x\nwork: [true]\n", "expected a name or a 0-based index, found True"),
        ("label: x\nskills: [Data]\nomit: [skills]\n", "skills is both picked and omitted"),
    ],
)
def test_malformed_variants(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_variant(text, name="v.yaml")
    assert message in str(info.value)


def test_load_variant_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_variant(tmp_path / "nope.yaml")


def test_evidence_links_follow_their_highlights(master: dict[str, Any]) -> None:
    # master: /work/0/highlights/0 (ledger sharding) and /work/0/highlights/1 (payment intents)
    payments = apply(master, load_variant(EXAMPLES / "variants" / "payments-backend.yaml"))
    # picks highlights ["double charges" (1), "p99 checkout" (2), 0] of Fjordpay
    assert payments["meta"]["staffpath"]["evidence"] == {
        "/work/0/highlights/2": ["2024-05-ledger-sharding"],
        "/work/0/highlights/0": ["2023-02-payment-intents"],
    }
    text = "label: x\nwork:\n  - Northwind Freight\n  - Fjordpay: {highlights: [1]}\n"
    moved = apply(master, parse_variant(text, name="v.yaml"))
    assert moved["meta"]["staffpath"]["evidence"] == {
        "/work/1/highlights/0": ["2023-02-payment-intents"]
    }
    dropped = apply(master, parse_variant("label: x\nomit: [work]\n", name="v.yaml"))
    assert dropped["meta"]["staffpath"]["evidence"] == {}
