"""The practice pages in headless Chromium against a real studio: a story written from the
starter with its check following the typing, saved, listed and in the coverage; a story
imported through the file input; flashcards reviewed with the keyboard (the due count drops)
and crammed (nothing saved); the review coach's lint and a kata. No console errors on any page.
Screenshots in tests/e2e/artefacts/practice-*.png."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Route, expect

from tests.conftest import ROOT
from tests.e2e.conftest import ARTEFACTS

BILLING = ROOT / "examples" / "stories" / "billing-migration.yaml"
# The one console error a page may cause on purpose: the browser logs every 4xx answer, and
# the story page is sent a text that does not parse (a 422 it shows as a message).

STORY = """\
title: Rescuing the search rollout
summary: I took over a stalled search rollout and shipped it.
competencies: [ownership, delivery]
situation: >-
  Our search rollout had stalled for two months and three teams were waiting on it to ship
  their own features.
task: >-
  I was asked to get it to every customer before the end of the quarter.
action: >-
  I split the rollout into stages, I wrote the rollback plan, and I paired with the on-call
  engineer each week.
result: >-
  It went well for the team."""


def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"practice-{name}.png"), full_page=True)


def finding(page: Page, rule: str) -> str | None:
    return page.locator(f'#check .finding[data-rule="{rule}"]').get_attribute("data-passed")


def test_a_story_from_the_starter_checked_as_typed_saved_and_covered(
    page: Page, studio: str
) -> None:
    page.goto(studio + "/stories")
    expect(page.locator("#stories-body")).to_contain_text("No stories yet")
    page.click("#new-story")
    text = page.locator("#story-text")
    expect(text).to_be_focused()
    expect(text).to_have_value(re.compile(r"^title: A title a listener remembers"))
    expect(page.locator("#check .check-summary")).to_have_attribute("data-strength", "weak")

    # the check follows the typing: the result becomes measurable as the number is typed
    text.fill(STORY)
    expect(page.locator('#check .finding[data-rule="measurable"]')).to_have_attribute(
        "data-passed", "false"
    )
    expect(page.locator("#check-seconds")).to_contain_text("spoken")
    text.press("Control+End")
    page.keyboard.type(" The p99 latency fell by 40% in six weeks.", delay=15)
    expect(page.locator('#check .finding[data-rule="measurable"]')).to_have_attribute(
        "data-passed", "true"
    )
    assert finding(page, "follow-ups") == "false"
    expect(page.locator("#save-state")).to_have_text("Not saved yet")

    # saved: in the list and in the coverage
    page.keyboard.press("Control+s")
    expect(page.locator("#save-state")).to_have_text("Saved")
    row = page.locator("#stories-body tr", has_text="Rescuing the search rollout")
    expect(row).to_have_count(1)
    expect(row.locator(".strength")).to_have_text("weak")
    cell = page.locator('#matrix [data-competency="ownership"]')
    expect(cell).to_have_attribute("class", re.compile("cell-weak"))
    expect(cell).to_contain_text("Rescuing the search rollout")
    expect(page.locator('#matrix [data-competency="conflict"]')).to_have_attribute(
        "class", re.compile("cell-gap")
    )
    best = page.locator("#questions-body tr", has_text="Rescuing the search rollout")
    assert best.count() >= 1
    shot(page, "stories-editor")

    # a text that does not parse: the message is shown and the text kept
    text.fill("title: [unclosed")
    page.click("#save-story")
    expect(page.locator("#save-error")).to_contain_text("Not saved: not YAML (line 1")
    expect(text).to_have_value("title: [unclosed")
    expect(page.locator("#check .check-summary")).to_have_attribute("data-strength", "invalid")
    page.once("dialog", lambda d: d.accept())
    page.click("#close-story")
    expect(page.locator("#editor-card")).to_be_hidden()


def test_import_delete_undo_rehearse_and_export(page: Page, studio: str) -> None:
    page.goto(studio + "/stories")
    expect(page.locator("#stories-status")).not_to_be_empty()
    page.set_input_files("#import-file", str(BILLING))
    row = page.locator("#stories-body tr", has_text="Moving billing off the shared database")
    expect(row).to_have_count(1)
    expect(row.locator(".strength")).to_have_text("strong")
    expect(page.locator("#check .check-summary")).to_have_attribute("data-strength", "strong")
    expect(page.locator('#matrix [data-competency="delivery"]')).to_have_attribute(
        "class", re.compile("cell-strong")
    )
    q = page.locator('#questions-body tr[data-question="delivery-large-migration"]')
    expect(q).to_have_attribute("data-status", "strong")

    # delete, then undo from the toast
    row.get_by_role("button", name=re.compile("^Delete")).click()
    expect(row).to_have_count(0)
    page.locator("#toasts").get_by_role("button", name="Undo").click()
    expect(row).to_have_count(1)

    # rehearsal: a question, a running clock, the story picked for it, its check at the stop
    page.select_option("#rehearse-competency", "delivery")
    page.click("#draw")
    expect(page.locator("#question-meta")).to_contain_text("delivery")
    expect(page.locator("#rehearse-clock")).not_to_have_text("0:00", timeout=5000)
    expect(page.locator("#rehearse-story option:checked")).to_have_text(
        "Moving billing off the shared database"
    )
    page.click("#stop")
    verdict = page.locator("#rehearse-result .rehearse-verdict")
    expect(verdict).to_have_attribute("data-state", "short")
    expect(verdict).to_contain_text("short of 1:30")
    expect(page.locator('#rehearse-result .finding[data-rule="measurable"]')).to_have_count(1)
    shot(page, "stories-rehearse")

    link = page.locator("#export-all").get_attribute("href")
    assert link == "/api/stories/export"
    export = page.request.get(studio + link)
    assert export.ok and export.headers["content-type"] == "application/zip"


def due_of(page: Page, deck: str) -> int:
    return int(page.locator(f'#decks-body tr[data-deck="{deck}"] .due').inner_text())


def test_flashcards_by_keyboard_and_cram_saves_nothing(page: Page, studio: str) -> None:
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(studio + "/cards")
    expect(page.locator('#decks-body tr[data-deck="latency"]')).to_have_count(1)
    before = due_of(page, "latency")
    assert before > 3

    # choose the deck from its row, start with the keyboard
    page.locator('#decks-body tr[data-deck="latency"]').get_by_role(
        "button", name=re.compile("^Choose")
    ).click()
    expect(page.locator("#start")).to_be_focused()
    page.keyboard.press("Enter")
    card = page.locator("#flashcard")
    expect(card).to_be_focused()
    expect(page.locator("#progress")).to_have_text(re.compile(r"^1 of \d+$"))
    for n, key in enumerate(["3", "1", "4"], start=1):
        expect(card).to_have_attribute("data-side", "front")
        expect(page.locator("#card-back-box")).to_be_hidden()
        page.keyboard.press("Space" if n != 2 else "Enter")
        expect(card).to_have_attribute("data-side", "back")
        expect(page.locator("#card-back")).not_to_be_empty()
        if n == 3:
            shot(page, "cards-review")
        page.keyboard.press(key)
        expect(page.locator("#progress")).to_have_text(re.compile(rf"^{n + 1} of \d+$"))
    assert len([u for u in posts if "/api/cards/" in u]) == 3
    page.click("#end")
    expect(page.locator("#stats-card")).to_be_visible()
    expect(page.locator("#stats-summary")).to_contain_text(
        "3 cards rated: 1 again, 0 hard, 1 good, 1 easy."
    )
    expect(page.locator("#stats")).to_contain_text("Reviewed")
    expect(page.locator('#decks-body tr[data-deck="latency"] .due')).to_have_text(str(before - 3))
    shot(page, "cards-stats")

    # cram: every card, no rating leaves the page, the due count stays
    after = due_of(page, "latency")
    page.check("#mode-cram")
    expect(page.locator("#mode-note")).to_be_visible()
    page.click("#start")
    expect(page.locator("#review-mode")).to_have_text("cram: nothing saved")
    expect(page.locator("#progress")).to_have_text(re.compile(rf"^1 of {before}$"))
    for n in (1, 2):
        page.keyboard.press("Space")
        page.keyboard.press("3")
        expect(page.locator("#progress")).to_have_text(re.compile(rf"^{n + 1} of "))
    page.click("#end")
    expect(page.locator("#stats-summary")).to_contain_text("nothing was saved")
    expect(page.locator('#decks-body tr[data-deck="latency"] .due')).to_have_text(str(after))
    assert len([u for u in posts if "/api/cards/" in u]) == 3
    stats = page.request.get(studio + "/api/cards/stats?deck=latency").json()
    assert stats["reviews"] == 3

    # deadline mode asks for a date (two weeks ahead unless changed) and a target; the new
    # cards are all below it. The Anki export is a real download.
    page.check("#mode-deadline")
    expect(page.locator("#deadline")).to_be_visible()
    assert page.locator("#deadline").input_value() > "2000-01-01"
    page.select_option("#target", "0.95")
    page.click("#start")
    expect(page.locator("#review-mode")).to_have_text("deadline")
    expect(page.locator("#progress")).to_have_text(re.compile(r"^1 of \d+$"))
    page.click("#end")
    expect(page.locator("#stats-summary")).to_contain_text("0 cards rated")
    href = page.locator('#decks-body tr[data-deck="latency"] a').get_attribute("href")
    assert href == "/api/cards/decks/latency/export"
    apkg = page.request.get(studio + href)
    assert apkg.ok and apkg.body()[:2] == b"PK"
    shot(page, "cards")


def test_review_coach_lint_and_a_kata(page: Page, studio: str) -> None:
    page.goto(studio + "/review")
    page.fill("#lint-text", "just rename this")
    page.click("#lint")
    belittling = page.locator('#lint-result [data-rule="belittling"]')
    expect(belittling).to_have_count(1)
    expect(belittling).to_contain_text("`just`")
    expect(belittling).to_contain_text("drop `just`")
    expect(page.locator('#lint-result [data-rule="label-missing"]')).to_have_count(1)

    page.select_option("#kata-select", "go-config")
    expect(page.locator("#diff")).to_contain_text("time.Duration(v)")
    expect(page.locator('#diff .diff-line[data-line="14"]')).to_contain_text("time.Duration")
    page.fill(
        "#kata-text",
        "issue (blocking): line 14 `time.Duration(v)` is v nanoseconds, so a timeout of 30 "
        "means 30 ns and every call times out. Could we multiply by `time.Second`?",
    )
    page.press("#kata-text", "Control+Enter")
    expect(page.locator("#found-count")).to_have_text("Found 1 of 4 seeded problems.")
    expect(page.locator('.seeded-item[data-problem="duration-units"]')).to_have_attribute(
        "data-found", "true"
    )
    expect(page.locator('.seeded-item[data-found="false"]')).to_have_count(3)
    expect(page.locator(".rubric li")).not_to_have_count(0)
    shot(page, "review")


def test_a_slow_kata_never_overwrites_the_one_on_screen(page: Page, studio: str) -> None:
    """The first kata's answer is held until a second kata is open and checked; when it lands
    late it is dropped, and choosing the kata already open does not reload it either."""
    held: list[Route] = []
    page.route("**/api/katas/go-config", lambda route: held.append(route))
    page.goto(studio + "/review")
    expect(page.locator("#kata-select option")).not_to_have_count(0)
    for _ in range(50):  # the route's handler runs while the test waits on the page
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1
    page.select_option("#kata-select", "py-retry")
    expect(page.locator("#kata-meta")).to_contain_text("python")
    page.fill("#kata-text", "issue (blocking): line 3 retries forever.")
    page.click("#check-kata")
    expect(page.locator("#found-count")).to_contain_text("seeded problems")
    held[0].continue_()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#kata-meta")).to_contain_text("python")
    expect(page.locator("#found-count")).to_contain_text("seeded problems")
    expect(page.locator("#kata-select")).to_have_value("py-retry")

    page.unroute("**/api/katas/go-config")
    page.select_option("#kata-select", "py-retry")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#found-count")).to_contain_text("seeded problems")


def test_two_stories_opened_quickly_leave_the_second_open(page: Page, studio: str) -> None:
    first = STORY.replace("Rescuing the search rollout", "The slow first story")
    second = STORY.replace("Rescuing the search rollout", "The quick second story")
    ids = []
    for text in (first, second):
        r = page.request.post(studio + "/api/stories", data={"text": text})
        assert r.ok, r.text()
        ids.append(r.json()["id"])
    held: list[Route] = []
    page.route(f"**/api/stories/{ids[0]}", lambda route: held.append(route))
    page.goto(studio + "/stories")
    page.locator(f'#stories-body tr[data-id="{ids[0]}"] .story-title').click()
    for _ in range(50):  # the route's handler runs while the test waits on the page
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1
    page.locator(f'#stories-body tr[data-id="{ids[1]}"] .story-title').click()
    expect(page.locator("#story-text")).to_have_value(re.compile("The quick second story"))
    held[0].continue_()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#story-text")).to_have_value(re.compile("The quick second story"))
    for story in ids:
        assert page.request.delete(f"{studio}/api/stories/{story}").ok
