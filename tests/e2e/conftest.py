"""A real ``staffpath serve`` on a free port, and headless Chromium, for the browser tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from tests.conftest import ROOT
from tests.servers import serve

ARTEFACTS = ROOT / "tests" / "e2e" / "artefacts"
# The browser logs every 4xx answer; pages that are sent a broken text on purpose get a 422.
EXPECTED_422 = "the server responded with a status of 422"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("studio")) as served:
        yield served.base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run bash scripts/chromium.sh (scripts/test does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


# An assertion waits up to 15 s for the page to get there (Playwright's default is 5 s): a
# passing check returns as soon as it holds, and a CI machine busier than this one still
# passes. A page that never gets there fails all the same.
expect.set_options(timeout=15_000)

REFUSED = re.compile(r"the server responded with a status of 4\d\d")


@pytest.fixture
def refusals() -> list[str]:
    """For a test that expects the server to refuse some of its requests (a wrong password):
    the browser's console line for each 4xx answer lands here instead of failing the test,
    and the test checks them."""
    return []


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page that fails its test on any script error or console error (but the
    browser's own line for an expected 422, and for any 4xx when the test asks for
    ``refusals``)."""
    refused = request.getfixturevalue("refusals") if "refusals" in request.fixturenames else None
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    p = ctx.new_page()
    p.set_default_timeout(30_000)
    errors: list[str] = []

    def console(m: ConsoleMessage) -> None:
        if m.type != "error" or EXPECTED_422 in m.text:
            return
        if refused is not None and REFUSED.search(m.text):
            refused.append(m.text)
        else:
            errors.append(m.text)

    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", console)
    yield p
    ctx.close()
    assert errors == [], errors
