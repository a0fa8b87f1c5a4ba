"""Resume bullets from the evidence log: rewrites, past tense, flags, JSON Resume highlights."""

from __future__ import annotations

from datetime import date

import pytest

from staffpath.career.bullets import action, bullet, bullets, json_resume_highlights, past_tense
from staffpath.career.evidence import Evidence, load_evidence
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "career" / "evidence.yaml"
TODAY = date(2026, 11, 26)


def _ev(what: str, metric: str = "", title: str = "") -> Evidence:
    return Evidence(id="x", date=date(2026, 1, 1), what=what, metric=metric, title=title)


@pytest.mark.parametrize(
    ("what", "expected"),
    [
        (
            "I was responsible for migrating billing to its own database. Then more.",
            "Migrated billing to its own database",
        ),
        ("Responsible for the on-call rota", "Owned the on-call rota"),
        ("I was in charge of the release train", "Led the release train"),
        ("I lead the weekly incident review", "Led the weekly incident review"),
        ("I was tasked with reducing build times", "Reduced build times"),
        ("Was involved in the payments rewrite", "Contributed to the payments rewrite"),
        ("Build the feature-flag service", "Built the feature-flag service"),
        ("Cut cloud spend by a third", "Cut cloud spend by a third"),
    ],
)
def test_openings_are_rewritten(what: str, expected: str) -> None:
    assert action(what)[0] == expected


@pytest.mark.parametrize(
    ("verb", "past"),
    [("carrying", "carried"), ("planning", "planned"), ("building", "built"), ("ship", "shipped")],
)
def test_past_tense(verb: str, past: str) -> None:
    assert past_tense(verb) == past


def test_bullets_put_the_action_first_and_flag_what_is_missing() -> None:
    good = bullet(_ev("I was responsible for the on-call rota.", "pages 40 -> 6 a week"))
    assert good.text == "Owned the on-call rota; pages 40 -> 6 a week."
    assert good.has_number and good.flags == ()
    assert good.rewrites == ("'I was responsible for' names a duty, not an action",)
    titled = bullet(_ev("A long story.", "Latency 900 ms -> 120 ms", title="Sped up search"))
    assert titled.text == "Sped up search; latency 900 ms -> 120 ms."
    assert bullet(_ev("Improved the docs")).flags == (
        "no number: add the metric (how much, how many, how fast)",
    )
    assert bullet(_ev("We migrated the queue", "2 days")).flags == (
        "starts with 'we': open with the verb for what you did",
    )
    assert bullet(_ev("I helped the team ship v2", "3 weeks early")).flags == (
        "weak verb 'helped': say what you did yourself (built, led, cut...)",
    )
    assert bullet(_ev("Ownership of the billing cut-over", "11 weeks")).flags == (
        "'ownership' is not a past-tense action verb: open with one",
    )
    long = bullet(_ev("Led " + "a very long sentence " * 10, "1 thing"))
    assert long.flags == ("43 words: keep a bullet to 35 or fewer",)


def test_bullets_newest_first_as_json_resume_highlights() -> None:
    made = bullets(load_evidence(EXAMPLE, today=TODAY).records)
    assert made[0].id == "kafka-upgrade-miss" and made[-1].id == "ledger-cutover"
    assert all(b.has_number for b in made)
    resume = json_resume_highlights(made)
    assert resume["work"][0]["highlights"][-1] == (
        "Moved the ledger to its own database; month-end p99 checkout latency 2.4 s -> 310 ms; "
        "a $14,000/month upgrade cancelled."
    )


# ------------------------------------------------------------------------------ packet
