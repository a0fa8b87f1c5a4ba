"""A mock interview in headless Chromium against a real studio, in peer mode: the candidate
asks, estimates, designs, meets the curveball and finishes; the interviewer's page follows
live, scores a phase, and sees the report. Screenshots in tests/e2e/artefacts/."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from staffpath.practice.problems import design_text
from tests.e2e.conftest import ARTEFACTS

REFERENCE = design_text("url-shortener", "reference")


def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"interview-{name}.png"))


def test_a_peer_mock_interview(browser: Browser, studio: str) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    expected = "the server responded with a status of 422"
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and expected not in m.text else None,
    )

    # start in peer mode: the interviewer link is shown to be shared
    page.goto(studio + "/interviews")
    page.wait_for_selector("#problem-select option[value=url-shortener]", state="attached")
    page.select_option("#problem-select", "url-shortener")
    page.fill("#minutes", "30")
    page.check("#mode-peer")
    page.click("#start")
    link = page.locator("#interviewer-link")
    expect(link).to_be_visible()
    interviewer_url = (
        link.input_value() if link.evaluate("e => e.tagName") == "INPUT" else link.inner_text()
    )
    assert "key=" in interviewer_url
    page.click("#go")
    page.wait_for_url(re.compile(r"/interviews/\d+$"))
    expect(page.locator("#editor")).to_have_attribute("data-state", "ready")

    # requirements: questions answered from the problem
    page.fill("#question", "How many URLs a day?")
    page.press("#question", "Enter")
    expect(page.locator("#qa li").first).to_contain_text("100 million")
    page.click("#next-phase")
    expect(page.locator('#phases li[data-phase="estimation"]')).to_have_attribute(
        "data-state", "current"
    )
    page.fill('#estimates-form input[name="writes_per_s"]', "1.2k/s")
    page.evaluate("t => window.studio.editor.setText(t)", REFERENCE)
    expect(page.locator("#verdict")).to_have_attribute("data-state", re.compile("meets|misses"))
    shot(page, "1-candidate")

    # the interviewer follows live and scores a phase
    ipage = ctx.new_page()
    ipage.set_default_timeout(60_000)
    ipage.goto(interviewer_url if interviewer_url.startswith("http") else studio + interviewer_url)
    expect(ipage.locator("#hidden-scenarios")).to_contain_text("viral-surge")
    expect(ipage.locator("#qa li")).to_have_count(1)
    ipage.select_option('#scores select[name="requirements"]', "3")
    shot(ipage, "2-interviewer")

    # the deep dive's curveball, then the end
    for phase in ("api", "high_level", "deep_dive"):  # one phase change in flight at a time
        page.click("#next-phase")
        expect(page.locator(f'#phases li[data-phase="{phase}"]')).to_have_attribute(
            "data-state", "current"
        )
    page.click("#curveball")
    expect(page.locator("#curveball-result")).to_contain_text(
        re.compile("curveball", re.I), timeout=120_000
    )
    page.on("dialog", lambda d: d.accept())
    page.click("#finish")
    expect(page.locator("#report")).to_be_visible(timeout=120_000)
    expect(page.locator("#report-scenarios")).to_contain_text("zone-lost")
    expect(page.locator("#practise-next")).not_to_be_empty()
    shot(page, "3-report")
    expect(ipage.locator("#report")).to_be_visible(timeout=30_000)  # the next 2 s poll

    page.goto(studio + "/interviews")
    expect(page.locator("#history tbody tr[data-id]")).to_have_count(1)
    assert errors == [], errors
    ctx.close()
