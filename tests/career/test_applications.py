"""The applications file: the job-schema posting, stage rules with their exact messages, and
located errors (file:line:column: field: what, and what to do), all reported at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from staffpath.career.applications import (
    ACTIVE,
    STAGES,
    ApplicationsError,
    StageEntry,
    allowed_after,
    check_history,
    load_applications,
    parse_applications,
    reference_problems,
    slug,
    transition_problem,
)
from staffpath.errors import InputError
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "career" / "applications.yaml"


def messages(text: str) -> list[str]:
    with pytest.raises(ApplicationsError) as info:
        parse_applications(text, source="a.yaml")
    return str(info.value).splitlines()


def history(*steps: tuple[str, str]) -> str:
    lines = "".join(f"      - {{stage: {s}, date: {d}}}\n" for s, d in steps)
    return f"applications:\n  - id: x\n    posting: {{title: T, company: C}}\n    stages:\n{lines}"


def test_the_example_loads_with_every_stage_in_use() -> None:
    book = load_applications(EXAMPLE)
    assert len(book.applications) == 8
    assert {a.current.stage for a in book.applications} == set(STAGES)
    first = book.applications[0]
    assert first.posting.location is not None
    assert (first.posting.location.city, first.posting.location.country_code) == (
        "Rotterdam",
        "NL",
    )
    assert first.posting.skills[0].keywords == ["operators", "multi-tenancy"]
    assert first.interviews[1].with_ == ["Ana Ruiz", "Joost Bakker"]
    assert book.settings.nudge_days == 7


def test_a_posting_takes_the_job_schema_fields_and_coerces_numbers_to_text() -> None:
    book = parse_applications(
        "applications:\n"
        "  - id: a\n"
        "    posting:\n"
        "      {title: T, company: C, type: Contract, date: 2026, salary: 150000,\n"
        "       remote: None, experience: Senior, description: d,\n"
        "       location: {address: 'Main St 1', postalCode: '1011', region: NH},\n"
        "       meta: {version: v1.0.0}, url: https://x.example}\n"
        "    stages: [{stage: applied, date: 2026-01-02}]\n"
    )
    posting = book.applications[0].posting
    assert (posting.date, posting.salary, posting.remote) == ("2026", "150000", "None")
    assert posting.location is not None and posting.location.postal_code == "1011"


@pytest.mark.parametrize(
    ("previous", "stage", "expected"),
    [
        (None, "rejected", ("stage", "an application cannot start as rejected")),
        (("wishlist", "2026-01-02"), "rejected", ("stage", "cannot go from wishlist to rejected")),
        (("onsite", "2026-01-02"), "screen", ("stage", "cannot go from onsite to screen")),
        (("screen", "2026-01-02"), "screen", ("stage", "cannot go from screen to screen")),
        (
            ("withdrawn", "2026-01-02"),
            "applied",
            ("stage", "nothing can follow withdrawn (the application ended on 2026-01-02)"),
        ),
        (
            ("applied", "2026-01-02"),
            "screen",
            ("date", "2026-01-01 is before the previous stage (applied on 2026-01-02)"),
        ),
    ],
)
def test_transition_problems_name_the_field_and_say_what_is_wrong(
    previous: tuple[str, str] | None, stage: str, expected: tuple[str, str]
) -> None:
    prev = (
        StageEntry.model_validate({"stage": previous[0], "date": previous[1]}) if previous else None
    )
    problem = transition_problem(prev, stage, date(2026, 1, 1))
    assert problem is not None and problem[:2] == expected


def test_what_may_follow_each_stage() -> None:
    assert allowed_after("wishlist") == ("applied", "screen", "onsite", "offer", "withdrawn")
    assert allowed_after("applied") == ("screen", "onsite", "offer", "rejected", "withdrawn")
    assert allowed_after("offer") == ("rejected", "withdrawn")
    assert allowed_after("rejected") == allowed_after("withdrawn") == ()
    ok = StageEntry.model_validate({"stage": "applied", "date": "2026-01-01"})
    assert transition_problem(ok, "onsite", date(2026, 1, 1)) is None  # skip, same day
    assert ACTIVE == ("wishlist", "applied", "screen", "onsite", "offer")


def test_bad_histories_are_located_with_exact_messages() -> None:
    text = history(("applied", "2026-10-05"), ("screen", "2026-10-01"), ("rejected", "2026-10-09"))
    text += "      - {stage: onsite, date: 2026-10-10}\n"
    assert messages(text) == [
        "a.yaml:6:31: applications[0].stages[1].date: 2026-10-01 is before the previous stage "
        "(applied on 2026-10-05) (list stages in the order they happened, with dates that "
        "never go back)",
        "a.yaml:8:17: applications[0].stages[3].stage: nothing can follow rejected (the "
        "application ended on 2026-10-09) (to apply again, add a new application)",
    ]
    assert messages(history(("onsite", "2026-10-05"), ("applied", "2026-10-06"))) == [
        "a.yaml:6:17: applications[0].stages[1].stage: cannot go from onsite to applied "
        "(allowed after onsite: offer, rejected, withdrawn)"
    ]


def test_check_history_reports_every_bad_step() -> None:
    stages = [
        StageEntry.model_validate({"stage": s, "date": d})
        for s, d in [("rejected", "2026-01-05"), ("applied", "2026-01-01")]
    ]
    assert [(i, f) for i, f, _, _ in check_history(stages)] == [(0, "stage"), (1, "stage")]


def test_field_errors_and_rule_errors_come_together_each_with_what_to_do() -> None:
    text = (
        "applications:\n"
        "  - id: Acme Staff\n"
        "    posting:\n"
        "      title: Staff Engineer\n"
        "      compnay: Acme\n"
        "      remote: Partly\n"
        "    stages:\n"
        "      - {stage: applied, date: 2026-10-05}\n"
        "      - {stage: hired, date: 2026-10-06}\n"
        "    follow_ups: [{date: soon, note: call}]\n"
        "    interviews: [{at: tomorrow, kind: screen}]\n"
        "  - id: b\n"
        "    posting: {title: T, company: C}\n"
        "    stages: [{stage: applied, date: 2026-10-05}, {stage: offer, date: 2026-10-01}]\n"
        "  - id: b\n"
        "    posting: {title: T, company: C}\n"
        "    stages: []\n"
    )
    assert messages(text) == [
        "a.yaml:2:9: applications[0].id: 'Acme Staff' is not a slug (use lowercase letters, "
        "digits and hyphens, e.g. acme-staff-engineer)",
        "a.yaml:4:7: applications[0].posting.company: required, but missing (add 'company:')",
        "a.yaml:5:7: applications[0].posting.compnay: unknown field (did you mean 'company'? "
        "expected one of: title, company, type, date, description, location, remote, salary, "
        "experience, responsibilities, qualifications, skills, meta, url)",
        "a.yaml:6:15: applications[0].posting.remote: 'Partly' is not allowed (expected one "
        "of: 'Full', 'Hybrid' or 'None')",
        "a.yaml:9:17: applications[0].stages[1].stage: 'hired' is not allowed (expected one "
        "of: 'wishlist', 'applied', 'screen', 'onsite', 'offer', 'rejected' or 'withdrawn')",
        "a.yaml:10:25: applications[0].follow_ups[0].date: expected a date, found 'soon' "
        "(write it as YYYY-MM-DD, e.g. 2026-11-30)",
        "a.yaml:11:23: applications[0].interviews[0].at: expected a date and time, found "
        "'tomorrow' (write it as YYYY-MM-DDTHH:MM, e.g. 2026-12-01T14:30, with +01:00 after "
        "it for a time zone)",
        "a.yaml:14:71: applications[1].stages[1].date: 2026-10-01 is before the previous "
        "stage (applied on 2026-10-05) (list stages in the order they happened, with dates "
        "that never go back)",
        "a.yaml:15:9: applications[2].id: duplicate id 'b' (first used by applications[1]) "
        "(give each application its own id)",
        "a.yaml:17:13: applications[2].stages: must not be empty (list at least one item "
        "under 'stages')",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "a.yaml:1:1: the applications file is empty (start with 'applications:')"),
        ("- a\n", "a.yaml:1:1: expected a mapping with 'applications:'"),
        (
            "applications: &x []\n",
            "a.yaml:1:15: applications: anchor &x is not allowed",
        ),
        (
            "applications: []\napplications: []\n",
            "a.yaml:2:1: applications: duplicate key 'applications' (first defined on line 1)",
        ),
        ("settings: {nudge_days: 0}\n", "a.yaml:1:24: settings.nudge_days: "),
    ],
)
def test_unsafe_or_empty_yaml_is_refused_with_a_location(text: str, expected: str) -> None:
    assert messages(text)[0].startswith(expected)


def test_reading_a_missing_file_says_how_to_start() -> None:
    with pytest.raises(InputError, match="no such file \\(create it with `staffpath jobs add`\\)"):
        load_applications(Path("/nonexistent/applications.yaml"))


def test_contact_references_must_be_in_the_contacts_list() -> None:
    text = history(("applied", "2026-10-05")) + "    contacts: [Ana Ruis, raj@x.example, Bo]\n"
    book = parse_applications(text, source="a.yaml")
    problems = reference_problems(book, [("Ana Ruiz", "ana@x.example"), ("Raj", "RAJ@x.example")])
    assert [p.render("a.yaml") for p in problems] == [
        "a.yaml:6:16: applications[0].contacts[0]: no contact 'Ana Ruis' in the contacts file "
        "(did you mean 'Ana Ruiz'?)",
        "a.yaml:6:41: applications[0].contacts[2]: no contact 'Bo' in the contacts file "
        "(add them to the contacts file)",
    ]


def test_unknown_ids_suggest_the_closest() -> None:
    book = load_applications(EXAMPLE)
    with pytest.raises(InputError, match="did you mean lumen-senior-backend"):
        book.get("lumen-senior-backnd")


def test_slugs_from_company_and_title() -> None:
    assert (
        slug("Acme: Rockets", "Staff Engineer (Platform)") == "acme-rockets-staff-engineer-platform"
    )
    assert slug("???") == "application"
