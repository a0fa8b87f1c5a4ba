"""The studio in headless Chromium against a real ``staffpath serve``: a new user's journey
from an example to a broken and fixed design, a simulated failure, a comparison and an export.
Screenshots of each step are kept in tests/e2e/artefacts/ for a human to look at."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTEFACTS

TIMEOUT_MS = 30_000


def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"studio-{name}.png"))


def test_a_new_users_journey(browser: Browser, studio: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # a broken design is answered 422 on purpose, which Chromium logs as a failed resource
    expected = "the server responded with a status of 422"
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and expected not in m.text else None,
    )

    # 1. the library: new from an example
    page.goto(studio + "/")
    page.select_option("#example-select", "url-shortener")
    page.click("#new-example")
    page.wait_for_url(re.compile(r"/designs/\d+$"))
    design_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("#editor")).to_have_attribute("data-state", "ready")
    expect(page.locator("#verdict")).to_have_attribute("data-state", "meets")
    expect(page.locator("#diagram svg")).to_have_count(1)
    shot(page, "1-editor")

    # 2. break it by typing: an unknown top-level field on a new last line
    text = page.evaluate("window.studio.editor.getText()")
    last_line = text.count("\n") + 1 + (0 if text.endswith("\n") else 1)
    page.click("#editor .cm-content")
    page.keyboard.press("Control+End")
    if not text.endswith("\n"):
        page.keyboard.press("Enter")
    page.keyboard.type("replcas: 3")
    expect(page.locator("#verdict")).to_have_attribute("data-state", "invalid")
    problem = page.locator(f'li.problem[data-line="{last_line}"]')
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("replcas")
    expect(page.locator("#editor .cm-lintRange-error")).not_to_have_count(0)
    shot(page, "2-problem")

    # 3. fix it, and change the design: the analysis follows
    for _ in range(len("replcas: 3")):
        page.keyboard.press("Backspace")
    expect(page.locator("#verdict")).to_have_attribute("data-state", "meets")
    before = page.locator("#components-table").inner_text()
    fixed = page.evaluate("window.studio.editor.getText()")
    page.evaluate(
        "t => window.studio.editor.setText(t)", fixed.replace("replicas: 21", "replicas: 12", 1)
    )
    expect(page.locator("#components-table")).not_to_have_text(before)
    page.keyboard.press("Control+s")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "clean")
    expect(page.locator("#versions li[data-version]")).to_have_count(2)
    shot(page, "3-fixed-and-saved")

    # 4. simulate a scripted failure and see its window on the timeline
    page.goto(f"{studio}/designs/{design_id}/simulate")
    page.select_option("#failure", index=1)  # index 0 is "no failure"
    page.fill("#requests", "50000")
    page.click("#run")
    expect(page.locator("#sim-status")).to_have_attribute("data-state", "done")
    expect(page.locator("#timeline rect.failure-window")).to_have_count(1)
    expect(page.locator("#timeline path.p99-line")).to_have_count(1)
    shot(page, "4-simulated-failure")

    # 5. compare the saved version with the first one
    page.goto(f"{studio}/compare?a={design_id}&b={design_id}")
    page.select_option("#a-version", "1")
    page.click("#compare-run")
    expect(page.locator("#compare-table")).to_be_visible()
    expect(page.locator("#compare-sentences")).to_contain_text("api")
    shot(page, "5-compare")

    # 6. export the design document
    page.goto(f"{studio}/designs/{design_id}")
    href = page.locator('#export a[data-format="html"]').get_attribute("href")
    assert href is not None
    response = page.request.get(studio + href if href.startswith("/") else href)
    assert response.ok and "<svg" in response.text()

    assert errors == [], errors
    page.close()
