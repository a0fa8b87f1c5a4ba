"""Text edits of the applications file: exact resulting text for each layout a person writes,
comments kept, values quoted only when YAML needs it, and refusals that leave nothing half
done."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from staffpath.career.application_edits import HEADER, add_application, add_stage
from staffpath.career.applications import parse_applications
from staffpath.errors import InputError

DAY = date(2026, 11, 26)
COMPACT = (
    "# my search\n"
    "applications:\n"
    "  - id: a  # first\n"
    "    posting: {title: T, company: C}\n"
    "    stages: [{stage: applied, date: 2026-11-01}]\n"
    "  - id: b\n"
    "    posting: {title: T, company: C}\n"
    "    stages:\n"
    "      - {stage: applied, date: 2026-11-02}  # sent on a Monday\n"
    "# the end\n"
)


def test_add_to_a_compact_list_keeps_everything_else() -> None:
    text, new_id = add_application(COMPACT, company="Acme", title="SRE", when=DAY)
    assert new_id == "acme-sre"
    assert text == COMPACT.replace(
        "# the end\n",
        "  - id: acme-sre\n"
        "    posting:\n"
        "      title: SRE\n"
        "      company: Acme\n"
        "    stages:\n"
        "      - {stage: wishlist, date: 2026-11-26}\n"
        "# the end\n",
    )


def test_add_keeps_a_blank_line_between_items_when_the_file_has_them() -> None:
    spaced = COMPACT.replace("  - id: b\n", "\n  - id: b\n")
    text, _ = add_application(spaced, company="Acme", title="SRE", when=DAY, stage="applied")
    assert "sent on a Monday\n\n  - id: acme-sre\n" in text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("Staff Engineer", "Staff Engineer"),
        ("Engineer #2", '"Engineer #2"'),
        ("yes", '"yes"'),
        ("No", '"No"'),
        ("2026-01-01", '"2026-01-01"'),
        ("2048", '"2048"'),
        ("Zürich Labs", '"Zürich Labs"'),
        ('Say "hi": now', '"Say \\"hi\\": now"'),
        ("- dash", '"- dash"'),
    ],
)
def test_values_are_quoted_only_when_yaml_needs_it(value: str, written: str) -> None:
    text, _ = add_application("", company=value, title="T", when=DAY, app_id="x")
    assert f"      company: {written}\n" in text
    assert parse_applications(text).applications[0].posting.company == value
    assert yaml.safe_load(text)["applications"][0]["posting"]["company"] == value  # YAML 1.1


def test_a_new_file_and_a_file_without_the_list() -> None:
    text, _ = add_application("", company="C", title="T", when=DAY)
    assert text.startswith(HEADER + "applications:\n  - id: c-t\n")
    text, _ = add_application("settings: {nudge_days: 5}\n", company="C", title="T", when=DAY)
    assert text.startswith("settings: {nudge_days: 5}\n\napplications:\n  - id: c-t\n")
    assert parse_applications(text).settings.nudge_days == 5


def test_add_refusals() -> None:
    with pytest.raises(InputError, match="is written as an inline"):
        add_application("applications: []\n", company="C", title="T", when=DAY)
    with pytest.raises(InputError, match="--stage: no stage 'hired'"):
        add_application("", company="C", title="T", when=DAY, stage="hired")
    with pytest.raises(InputError, match="--id: 'Not A Slug' is not a slug"):
        add_application("", company="C", title="T", when=DAY, app_id="Not A Slug")
    with pytest.raises(InputError, match="must not be empty"):
        add_application("", company=" ", title="T", when=DAY)


def test_ids_are_made_unique() -> None:
    text, first = add_application(COMPACT, company="Acme", title="SRE", when=DAY)
    text, second = add_application(text, company="Acme", title="SRE", when=DAY)
    text, third = add_application(text, company="Acme", title="SRE", when=DAY)
    assert (first, second, third) == ("acme-sre", "acme-sre-2", "acme-sre-3")


def test_add_stage_to_an_inline_and_a_block_history() -> None:
    text, previous = add_stage(COMPACT, "a", "screen", when=DAY, note="call, 30 min")
    assert previous.stage == "applied"
    assert (
        "    stages: [{stage: applied, date: 2026-11-01}, "
        '{stage: screen, date: 2026-11-26, note: "call, 30 min"}]\n'
    ) in text
    text, _ = add_stage(text, "b", "withdrawn", when=DAY)
    assert text.endswith(
        "      - {stage: applied, date: 2026-11-02}  # sent on a Monday\n"
        "      - {stage: withdrawn, date: 2026-11-26}\n"
        "# the end\n"
    )
    assert [s.stage for s in parse_applications(text).applications[1].stages] == [
        "applied",
        "withdrawn",
    ]


def test_add_stage_after_a_block_scalar_and_before_the_next_key() -> None:
    text = (
        "applications:\n"
        "- id: a\n"
        "  posting: {title: T, company: C}\n"
        "  stages:\n"
        "  - stage: applied\n"
        "    date: 2026-11-01\n"
        "    note: >\n"
        "      folded\n"
        "      note\n"
        "\n"
        "  resume: r.json\n"
    )
    edited, _ = add_stage(text, "a", "onsite", when=DAY)
    assert edited == text.replace(
        "      note\n\n", "      note\n  - stage: onsite\n    date: 2026-11-26\n\n"
    )


def test_add_stage_refusals_name_the_rule() -> None:
    with pytest.raises(InputError) as info:
        add_stage(COMPACT, "a", "wishlist", when=DAY)
    assert str(info.value) == (
        "a: cannot go from applied to wishlist "
        "(allowed after applied: screen, onsite, offer, rejected, withdrawn)"
    )
    with pytest.raises(InputError, match="no application 'z'"):
        add_stage(COMPACT, "z", "screen", when=DAY)
