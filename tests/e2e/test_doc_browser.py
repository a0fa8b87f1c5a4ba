"""The design document's HTML page in headless Chromium, offline: it renders, every picture
has a size, nothing asks the network, and the console stays clean. A screenshot of each page
is kept in tests/e2e/artefacts/ for a human to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from staffpath.report.document import pictures
from staffpath.report.document.html import render
from staffpath.report.document.markdown import render as markdown
from tests.e2e.conftest import ARTEFACTS
from tests.report.document.test_content import content


@pytest.mark.parametrize("name", ["url-shortener", "news-feed"])
def test_the_document_renders_offline_without_errors(
    browser: Browser, name: str, tmp_path: Path
) -> None:
    c = content(name, simulate=True)
    page_file = tmp_path / "design.html"
    page_file.write_text(render(markdown(c), pictures(c), title=c.design.name), encoding="utf-8")

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    asked: list[str] = []
    errors: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("file:", "data:"))
            else (asked.append(route.request.url), route.abort())[1]
        ),
    )
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.as_uri())

    assert page.title() == c.design.name
    sizes = page.eval_on_selector_all(
        "figure svg",
        "els => els.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])",
    )
    assert len(sizes) == len(pictures(c))
    assert all(w > 100 and h > 40 for w, h in sizes), sizes
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the page scrolls sideways"
    toc = page.eval_on_selector_all("nav.toc a", "els => els.map(e => e.textContent)")
    assert "Failure analysis" in toc
    assert asked == [] and errors == []

    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"doc-{name}.png"), full_page=False)
    page.close()
