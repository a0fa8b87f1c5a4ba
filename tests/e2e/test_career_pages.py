"""The career pages and the dashboard in headless Chromium against a real studio: an
assessment made from the example shows its radar and its next skill; a broken text shows
its problem at its line and keeps the text, and is not saved; a saved text survives a
reload; the dashboard shows the numbers seeded through the API and ranks the next actions.
No console errors. Screenshots in tests/e2e/artefacts/career-*.png."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import yaml
from playwright.sync_api import Page, expect

from staffpath.practice.problems import design_text
from tests.conftest import ROOT
from tests.e2e.conftest import ARTEFACTS

MENTORING = ROOT / "examples" / "career" / "mentoring.yaml"
ASSESSMENT = ROOT / "examples" / "career" / "assessment.yaml"
APPLICATIONS = ROOT / "examples" / "career" / "applications.yaml"
BILLING = ROOT / "examples" / "stories" / "billing-migration.yaml"


def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"career-{name}.png"), full_page=True)


def set_text(page: Page, text: str) -> None:
    page.evaluate("t => window.career.editor.setText(t)", text)


def editor_text(page: Page) -> str:
    text: str = page.evaluate("() => window.career.editor.getText()")
    return text


def test_an_empty_dashboard_says_where_to_start(page: Page, studio: str) -> None:
    page.goto(studio + "/dashboard")
    expect(page.locator("body[data-ready]")).to_have_count(1)
    expect(page.locator('#actions li[data-kind="interview"]')).to_have_text(
        re.compile("Do a mock design interview")
    )
    expect(page.locator("#dash-practice")).to_contain_text("No finished interview yet")
    expect(page.locator("#dash-tracks")).to_contain_text("No track assessment yet")
    shot(page, "dashboard-empty")


def test_an_assessment_from_the_example_broken_saved_and_reloaded(page: Page, studio: str) -> None:
    page.goto(studio + "/career/assessment")
    expect(page.locator("#docs-body")).to_contain_text("Nothing stored yet")
    expect(page.locator('#career-nav a[aria-current="page"]')).to_have_text("Track assessment")
    expect(page.locator("#career-nav a")).to_have_count(
        len(page.request.get(studio + "/api/career/kinds").json())
    )
    page.click("#new-doc")
    expect(page.locator("#save-state")).to_have_text("Not saved yet")
    # the live report of the example: its first next skill, with the reasons
    report = page.request.post(
        studio + "/api/career/assessment/check", data={"text": ASSESSMENT.read_text()}
    ).json()["report"]
    first = report["next"][0]
    expect(page.locator("#report .next-skills li").first).to_contain_text(first["title"])
    expect(page.locator("#report .figures")).to_contain_text("Backed by evidence")
    assert editor_text(page) == ASSESSMENT.read_text()

    page.fill("#doc-name", "Messaging")
    page.click("#save-doc")
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(page.locator("#docs-body tr")).to_have_count(1)
    expect(page.locator("#docs-body")).to_contain_text("Messaging")
    radar = page.locator('#pictures img[data-picture="radar"]')
    expect(radar).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.querySelector('#pictures img'); "
        "return i && i.complete && i.naturalWidth > 0; }"
    )
    expect(page.locator("#export-list a")).to_have_count(
        1 + len(page.request.get(studio + "/api/career/kinds").json()[0]["exports"])
    )
    shot(page, "assessment")

    # a typo in the track: the problem at its line, the report greyed, the text kept
    broken = ASSESSMENT.read_text().replace("track: backend-messaging", "track: backend-mesaging")
    set_text(page, broken)
    problem = page.locator("#problems li").first
    track_line = ASSESSMENT.read_text().splitlines().index("track: backend-messaging") + 1
    expect(problem).to_have_attribute("data-line", str(track_line))
    expect(problem).to_contain_text("backend-mesaging")
    expect(page.locator("#report")).to_have_attribute("data-state", "stale")
    expect(page.locator(".cm-lintRange-error")).not_to_have_count(0)
    page.click("#save-doc")
    expect(page.locator("#save-error")).to_contain_text("Not saved")
    assert editor_text(page) == broken
    shot(page, "assessment-broken")

    # fixed and changed, saved, and there after a reload
    fixed = ASSESSMENT.read_text().replace(
        "stream-processing:\n    level: none", "stream-processing:\n    level: mid"
    )
    assert fixed != ASSESSMENT.read_text()
    set_text(page, fixed)
    expect(page.locator("#problems-section")).to_be_hidden()
    page.keyboard.press("Control+s")
    expect(page.locator("#save-state")).to_have_text("Saved")
    assert page.url.endswith("#1")
    page.reload()
    expect(page.locator("#editor-card")).to_be_visible()
    page.wait_for_function("() => window.career && window.career.editor")
    assert editor_text(page) == fixed
    expect(page.locator("#doc-name")).to_have_value("Messaging")


def test_import_delete_and_undo(page: Page, studio: str) -> None:
    page.goto(studio + "/career/mentoring")
    expect(page.locator("#docs-status")).to_be_empty()
    page.set_input_files("#import-file", str(MENTORING))
    expect(page.locator("#editor-heading")).to_have_text("Imported “mentoring.yaml”")
    expect(page.locator("#save-state")).to_have_text("Not saved yet")
    expect(page.locator("#doc-name")).to_have_value("mentoring")
    expect(page.locator("#report .report-mentoring")).to_be_visible()
    assert editor_text(page) == MENTORING.read_text()
    page.click("#save-doc")
    expect(page.locator("#save-state")).to_have_text("Saved")
    shot(page, "mentoring")
    page.click("#delete-doc")
    expect(page.locator("#docs-body")).to_contain_text("Nothing stored yet")
    page.locator("#toasts button", has_text="Undo").click()
    expect(page.locator("#docs-body tr[data-id]")).to_have_count(1)
    expect(page.locator('#career-nav a[aria-current="page"] .count')).to_have_text("1")
    page.locator("#docs-body tr[data-id] button", has_text="Delete").click()  # gone for good
    expect(page.locator("#docs-body")).to_contain_text("Nothing stored yet")


def test_every_kind_from_its_example(page: Page, studio: str) -> None:
    """Each kind the studio lists: its example checks, renders a report, saves, and its
    pictures load (a variant needs the resume stored before it: the kinds come in order; the
    review needs the design it reviews)."""
    kinds = page.request.get(studio + "/api/career/kinds").json()
    # the example review is of the URL shortener: the design must be in the studio
    assert page.request.post(studio + "/api/designs", data={"example": "url-shortener"}).ok
    for kind in kinds:
        if kind["id"] in ("assessment", "mentoring"):
            continue
        page.goto(f"{studio}/career/{kind['id']}")
        page.click("#new-doc")
        expect(page.locator("#report")).to_have_attribute("data-state", "fresh")
        expect(page.locator("#report > .report")).to_have_count(1)
        page.click("#save-doc")
        expect(page.locator("#save-state")).to_have_text("Saved")
        for name in kind["pictures"]:
            page.wait_for_function(
                "n => { const i = document.querySelector(`#pictures img[data-picture='${n}']`);"
                " return i && i.complete && i.naturalWidth > 0; }",
                arg=name,
            )
        expect(page.locator("#export-list a")).to_have_count(1 + len(kind["exports"]))
        shot(page, kind["id"])


def post(page: Page, url: str, body: dict[str, Any]) -> dict[str, Any]:
    r = page.request.post(url, data=body)
    assert r.ok, r.text()
    out: dict[str, Any] = r.json()
    return out


def test_the_dashboard_shows_what_was_seeded(page: Page, studio: str) -> None:
    api = studio + "/api"
    post(page, f"{api}/stories", {"text": BILLING.read_text(), "format": "yaml"})
    iv = post(page, f"{api}/interviews", {"problem": "url-shortener", "minutes": 30})
    r = page.request.put(
        f"{api}/interviews/{iv['id']}",
        data={"design_yaml": design_text("url-shortener", "reference")},
    )
    assert r.ok
    score = post(page, f"{api}/interviews/{iv['id']}/finish", {})["grading"]["score"]
    today = date.today()
    mentoring = f"""\
mentor: Sam Okafor
mentees:
  - id: ana
    name: Ana Silva
    started: {today - timedelta(days=30)}
    goals:
      - id: outbox
        text: Replace the dual writes with an outbox
sessions:
  - mentee: ana
    date: {today - timedelta(days=20)}
    goals: [outbox]
    actions:
      - {{text: Write the outbox proposal, owner: mentee, due: {today - timedelta(days=3)}, status: open}}
"""
    post(page, f"{api}/career/mentoring", {"text": mentoring, "name": "Mentoring"})
    card = page.request.get(f"{api}/cards/queue?limit=1").json()["cards"][0]
    post(page, f"{api}/cards/{card['id']}/review", {"rating": "good"})
    expected = page.request.get(f"{api}/dashboard").json()

    page.goto(studio + "/dashboard")
    expect(page.locator("body[data-ready]")).to_have_count(1)
    practice = page.locator("#dash-practice")
    expect(practice.locator(".figure", has_text="Finished")).to_contain_text("1")
    expect(practice.locator(".figure", has_text="Last score")).to_contain_text(
        str(round(score)) if score == round(score) else f"{score:.3g}"
    )
    expect(practice.locator("svg.trend-chart circle")).to_have_count(1)
    # the assessment saved by the first test
    expect(page.locator("#dash-tracks li")).to_have_count(1)
    expect(page.locator("#dash-tracks .next-skill")).to_contain_text(
        expected["tracks"][0]["next"]["title"]
    )
    stories = page.locator("#dash-stories")
    expect(stories.locator(".figure dd").nth(0)).to_have_text("1")  # stories
    expect(stories.locator(".figure dd").nth(1)).to_have_text("1")  # strong stories
    strong = expected["stories"]["competencies"]["strong"]
    assert strong == 4  # billing-migration.yaml: delivery, ownership, influence, trade-off
    expect(stories.locator("tbody tr").first.locator('td[data-status="strong"]')).to_have_text("4")
    cards = page.locator("#dash-cards")
    expect(cards.locator(".figure", has_text="Reviews done")).to_contain_text("1")
    mentoring_card = page.locator("#dash-mentoring")
    expect(mentoring_card.locator(".figure", has_text="Overdue actions")).to_contain_text("1")
    expect(mentoring_card).to_contain_text("Write the outbox proposal")
    # the applications stored by the test before: the example's eight, in the funnel
    apps = yaml.safe_load(APPLICATIONS.read_text())["applications"]
    applications = page.locator("#dash-applications")
    expect(applications.locator(".figure", has_text="Applications")).to_contain_text(str(len(apps)))
    expect(applications.locator(".funnel-row")).to_have_count(
        len(expected["applications"]["funnel"]["stages"])
    )
    # the next actions as ranked: late follow-ups, then the overdue mentoring action, then
    # stories for the gaps and the next skill
    actions = page.locator("#actions li")
    expect(actions).to_have_count(len(expected["actions"]))
    kinds = [a["kind"] for a in expected["actions"]]
    assert kinds[0] == "follow-up" and "mentoring" in kinds
    assert kinds.index("mentoring") < kinds.index("story") < kinds.index("skill")
    expect(actions.first).to_have_attribute("data-kind", "follow-up")
    mentoring_action = page.locator('#actions li[data-kind="mentoring"]').first
    expect(mentoring_action).to_contain_text("Write the outbox proposal")
    expect(page.locator('#actions li[data-kind="skill"]')).to_have_count(1)
    expect(page.locator('#actions li[data-kind="story"]').first).to_be_visible()
    shot(page, "dashboard")
