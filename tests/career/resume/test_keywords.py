"""The keyword gap: word matching worked by hand (case, plurals, word boundaries), and a
small posting whose keywords' presence in a small resume can be checked by eye."""

from __future__ import annotations

from typing import Any

import pytest

from staffpath.career.resume.keywords import (
    contains,
    gap,
    posting_keywords,
    resume_texts,
    stem,
    words,
)

POSTING = """Senior Go developer for payments APIs.
You will design REST APIs in Go, run PostgreSQL and Kafka, and write Terraform.
Kafka and PostgreSQL experience required. Terraform and Kubernetes a plus."""

RESUME: dict[str, Any] = {
    "basics": {"name": "A", "label": "Backend developer", "url": "https://terraform.example.com"},
    "work": [
        {
            "name": "Googleplex",
            "position": "Engineer",
            "highlights": ["Built 3 payment APIs on Postgresql and Kafka queues"],
        }
    ],
    "skills": [{"name": "Languages", "keywords": ["Python"]}],
}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("services", "servic"),
        ("service", "servic"),
        ("serviced", "servic"),
        ("queries", "query"),
        ("apis", "api"),
        ("redis", "redis"),
        ("analysis", "analysis"),
        ("mentored", "mentor"),
        ("leading", "lead"),
        ("boxes", "box"),
        ("k8s", "k8s"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_words_keep_technical_tokens_whole() -> None:
    assert words("Node.js, C++ and CI/CD; APIs & k8s. Go.") == [
        "node.js",
        "c++",
        "and",
        "ci",
        "cd",
        "api",
        "k8s",
        "go",
    ]


@pytest.mark.parametrize(
    ("text", "keyword", "found"),
    [
        ("Built services in Go.", "Go", True),
        ("Worked at Google.", "Go", False),  # word boundary
        ("POSTGRESQL clusters", "PostgreSQL", True),  # case
        ("designed payment APIs", "payments API", True),  # plurals both ways
        ("event driven design", "event-driven", True),  # hyphen or space
        ("driven events", "event-driven", False),  # order matters
        ("", "Go", False),
    ],
)
def test_contains(text: str, keyword: str, found: bool) -> None:
    assert contains(words(text), words(keyword)) is found


def test_resume_texts_skip_links_and_meta() -> None:
    resume = {**RESUME, "meta": {"version": "Kafka", "staffpath": {"keywords": ["Rust"]}}}
    paths = dict(resume_texts(resume))
    assert "basics.url" not in paths
    assert "meta.version" not in paths
    assert paths["meta.staffpath.keywords[0]"] == "Rust"


def test_gap_on_a_small_posting() -> None:
    report = gap(RESUME, POSTING, top=10)
    # Which of these the resume says was checked by reading the resume above: "payment APIs"
    # matches "payments APIs"; "developer" is in the label; Terraform only in a link.
    assert [(k.keyword, k.found) for k in report.keywords] == [
        ("payments APIs", True),
        ("REST APIs", False),
        ("design REST", False),
        ("Senior", False),
        ("APIs", True),
        ("Kafka", True),
        ("Terraform", False),
        ("developer", True),
        ("payments", True),
        ("write Terraform", False),
    ]
    assert report.coverage == 50.0
    assert [k.rank for k in report.keywords] == list(range(1, 11))
    weights = [k.weight for k in report.keywords]
    assert weights == sorted(weights)  # YAKE: lower is more important
    assert report.keywords[5].where == ("work[0].highlights[0]",)
    assert report.to_dict()["found"] == 5


def test_ignore_and_boilerplate_are_dropped() -> None:
    kept = [k for k, _ in posting_keywords(POSTING + " Experience. Teams.", ignore=["Kafka"])]
    assert all("kafka" not in k.lower() for k in kept)
    assert "experience" not in [k.lower() for k in kept]


def test_variant_keywords_count_as_resume_text() -> None:
    resume = {**RESUME, "meta": {"staffpath": {"keywords": ["Terraform"]}}}
    report = gap(resume, POSTING, top=10)
    assert next(k for k in report.keywords if k.keyword == "Terraform").found


def test_empty_posting_has_zero_coverage() -> None:
    assert gap(RESUME, "", top=5).coverage == 0.0
