"""Every page of the studio in headless Chromium under its Content-Security-Policy (goal AP-3:
``style-src 'self'`` plus a per-page nonce, no ``'unsafe-inline'``): not one
``securitypolicyviolation`` event.

The pages are the app's own routes (every GET outside /api), so a new page is visited without
touching this file; a page with a path parameter this file does not know how to fill fails the
test until it does. Each page is visited with its dynamic content drawn: the design editor
(CodeMirror, whose theme is a ``<style>`` element carrying the nonce) with a problem marked and
the completion open, the analysis with its charts and diagram, a simulation's timeline, a
comparison, a live and a finished interview, a story's check and the rehearsal band, a
flashcard session, a review, every career kind saved with its pictures, and the dashboard of
all that. Single-user through a real ``staffpath serve``; multi-user (the sign-in page, an
incomplete and a good sign-in, then every page again) through the same app in this process.

A listener added before any page script (``add_init_script``) keeps each violation in
``window.__csp``; the ``page`` fixture also fails on the console error Chromium logs for one.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect

from staffpath.practice.problems import design_text
from staffpath.store import accounts
from staffpath.store.accounts import HashParams
from staffpath.store.database import sqlite_url
from staffpath.web.app import create_app
from staffpath.web.policy import declared
from staffpath.web.settings import Settings
from tests.conftest import ROOT
from tests.servers import free_port

BILLING = ROOT / "examples" / "stories" / "billing-migration.yaml"
PASSWORD = "correct horse battery staple"

LISTEN = """
window.__csp = [];
window.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push({
    directive: e.violatedDirective,
    blocked: e.blockedURI,
    sample: e.sample,
    source: `${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
  });
}, true);
"""
# Violations are reported in a task queued after the blocked style: wait one turn first.
VIOLATIONS = "() => new Promise((done) => setTimeout(() => done(window.__csp || []), 50))"


def html_pages(app: FastAPI) -> list[str]:
    """The studio's pages: its GET routes outside the API (and the API's description)."""
    return sorted(
        {
            d.path
            for d in declared(app)
            if "GET" in d.methods and not d.path.startswith("/api/") and d.path != "/openapi.json"
        }
    )


@dataclass
class Seeded:
    """What the studio holds before the pages are visited, to fill the paths' parameters."""

    designs: list[int]
    interviews: list[dict[str, Any]]  # a live one and a finished one, with their keys
    kinds: list[str] = field(default_factory=list)

    def urls(self, path: str) -> list[str]:
        """The concrete addresses of a page's route: one per value of its parameters."""
        if path == "/designs/{design_id}" or path == "/designs/{design_id}/simulate":
            return [path.replace("{design_id}", str(self.designs[0]))]
        if path == "/interviews/{interview_id}":
            return [f"/interviews/{i['id']}" for i in self.interviews]
        if path == "/interviews/{interview_id}/interviewer":
            return [f"/interviews/{i['id']}/interviewer?key={i['key']}" for i in self.interviews]
        if path == "/career/{kind}":
            return [f"/career/{kind}" for kind in self.kinds]
        if path == "/compare":
            return [f"/compare?a={self.designs[0]}&b={self.designs[1]}"]
        if "{" in path:
            pytest.fail(f"a new page {path}: say in Seeded.urls how to fill its parameters")
        return [path]


def seed(page: Page, base: str, headers: dict[str, str]) -> Seeded:
    """Two designs, a live and a finished interview, and a story, through the API."""

    def call(method: str, url: str, body: dict[str, Any] | None = None) -> Any:
        r = page.request.fetch(
            base + url, method=method, data=body, headers=headers, timeout=180_000
        )
        assert r.ok, (method, url, r.status, r.text())
        return r.json()

    examples = [e["name"] for e in call("GET", "/api/examples")]
    other = next(e for e in examples if e != "url-shortener")
    designs = [call("POST", "/api/designs", {"example": e})["id"] for e in ("url-shortener", other)]
    live = call("POST", "/api/interviews", {"problem": "url-shortener", "minutes": 30})
    done = call("POST", "/api/interviews", {"problem": "url-shortener", "minutes": 30})
    reference = design_text("url-shortener", "reference")
    call("PUT", f"/api/interviews/{done['id']}", {"design_yaml": reference})
    call("POST", f"/api/interviews/{done['id']}/finish", {})
    call("POST", "/api/stories", {"text": BILLING.read_text(), "format": "yaml"})
    kinds = [k["id"] for k in call("GET", "/api/career/kinds")]
    return Seeded(designs=designs, interviews=[live, done], kinds=kinds)


# ---- what is done on each page once it has loaded -----------------------------------------


def editor_page(page: Page) -> None:
    """The design editor: CodeMirror's theme applies (its nonce is right), a typed mistake is
    marked in the text and the gutter, the completion opens, the analysis draws its charts."""
    expect(page.locator("#editor")).to_have_attribute("data-state", "ready")
    expect(page.locator("#verdict")).to_have_attribute("data-state", re.compile("meets|misses"))
    expect(page.locator("#diagram svg")).to_have_count(1)
    expect(page.locator("#chart-utilization svg")).to_have_count(1)
    expect(page.locator("#components .ubar-fill")).not_to_have_count(0)  # sized by the CSSOM
    assert_editor_theme_applies(page)
    page.click("#editor .cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("replcas: 3")
    expect(page.locator("#editor .cm-lintRange-error")).not_to_have_count(0)
    expect(page.locator("#editor .cm-lint-marker")).not_to_have_count(0)
    page.locator("#editor .cm-lintRange-error").first.hover()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+Space")
    expect(page.locator(".cm-tooltip-autocomplete")).to_have_count(1)
    page.keyboard.press("Escape")


def assert_editor_theme_applies(page: Page) -> None:
    """The studio's theme (13.5px text, a grey gutter) is in effect: the <style> element
    CodeMirror wrote was applied, not merely left unreported."""
    size = page.locator(".cm-editor").first.evaluate("e => getComputedStyle(e).fontSize")
    assert size == "13.5px", size
    gutter = page.locator(".cm-gutters").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert gutter == "rgb(246, 248, 250)", gutter


def simulate_page(page: Page) -> None:
    page.select_option("#failure", index=1)  # index 0 is "no failure"
    page.fill("#requests", "20000")
    page.click("#run")
    expect(page.locator("#sim-status")).to_have_attribute("data-state", "done", timeout=120_000)
    expect(page.locator("#timeline svg")).not_to_have_count(0)


def compare_page(page: Page) -> None:
    expect(page.locator("#comparison")).to_be_visible()
    expect(page.locator("#compare-table-host table")).to_have_count(1)


def interviews_page(page: Page) -> None:
    expect(page.locator("#history tbody tr[data-id]")).not_to_have_count(0)


def interview_page(page: Page) -> None:
    """A live interview (its editor, phases and clock) or a finished one (its report)."""
    page.wait_for_function(
        "() => document.querySelector('#editor[data-state=ready]')"
        " || !document.querySelector('#report').hidden"
    )
    if page.locator("#report").is_visible():
        expect(page.locator("#report-body")).not_to_be_empty()
    else:
        assert_editor_theme_applies(page)
        expect(page.locator("#phases li")).not_to_have_count(0)


def interviewer_page(page: Page) -> None:
    page.wait_for_load_state("networkidle")


def stories_page(page: Page) -> None:
    """A story's check, and the rehearsal band with its moving needle."""
    expect(page.locator("#stories-body tr")).not_to_have_count(0)
    page.click("#new-story")
    expect(page.locator("#check .check-summary")).to_have_count(1)
    page.click("#close-story")
    page.select_option("#rehearse-competency", "delivery")
    page.click("#draw")
    expect(page.locator("#rehearse-clock")).not_to_have_text("0:00", timeout=5000)
    page.click("#stop")
    expect(page.locator("#rehearse-result")).to_be_visible()


def cards_page(page: Page) -> None:
    page.click("#start")
    expect(page.locator("#progress")).to_have_text(re.compile(r"^1 of \d+$"))
    page.keyboard.press("Space")
    page.keyboard.press("3")
    expect(page.locator("#progress")).to_have_text(re.compile(r"^2 of \d+$"))
    page.click("#end")
    expect(page.locator("#stats-card")).to_be_visible()


def review_page(page: Page) -> None:
    page.fill("#lint-text", "nit: rename this\n\nissue (blocking): the error is dropped.")
    page.click("#lint")
    expect(page.locator("#lint-result")).not_to_be_empty()


def career_page(page: Page) -> None:
    """The kind's example in the editor, its report, saved, and its pictures loaded."""
    page.click("#new-doc")
    expect(page.locator("#report")).to_have_attribute("data-state", "fresh")
    assert_editor_theme_applies(page)
    page.click("#save-doc")
    expect(page.locator("#save-state")).to_have_text("Saved")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#pictures img')]"
        ".every((i) => i.complete && i.naturalWidth > 0)"
    )


def dashboard_page(page: Page) -> None:
    expect(page.locator("body[data-ready]")).to_have_count(1)


def account_page(page: Page) -> None:
    """With accounts, the QR code of a new key is drawn (an SVG from the server)."""
    expect(page.locator("body[data-ready]")).to_have_count(1)
    begin = page.locator("#two-step-begin")
    if begin.count():
        begin.click()
        expect(page.locator("#two-step-qr svg")).to_be_visible()


def settled(page: Page) -> None:
    page.wait_for_load_state("networkidle")


EXERCISE: dict[str, Callable[[Page], None]] = {
    "/designs/{design_id}": editor_page,
    "/designs/{design_id}/simulate": simulate_page,
    "/compare": compare_page,
    "/interviews": interviews_page,
    "/interviews/{interview_id}": interview_page,
    "/interviews/{interview_id}/interviewer": interviewer_page,
    "/stories": stories_page,
    "/cards": cards_page,
    "/review": review_page,
    "/career/{kind}": career_page,
    "/dashboard": dashboard_page,
    "/account": account_page,
}
# The dashboard sums up what the other pages stored: it comes last.
LAST = ("/dashboard",)


def visit_every_page(page: Page, base: str, paths: list[str], seeded: Seeded) -> list[str]:
    """Each page loaded (as HTML, with a nonce in its policy) and exercised; the violations
    found, one line each."""
    page.add_init_script(LISTEN)
    page.on("dialog", lambda d: d.accept())  # "discard the unsaved changes?"
    found: list[str] = []
    ordered = sorted(paths, key=lambda p: (p in LAST, paths.index(p)))
    for path in ordered:
        for url in seeded.urls(path):
            response = page.goto(base + url)
            assert response is not None and response.ok, (url, response and response.status)
            headers = response.all_headers()
            assert headers["content-type"].startswith("text/html"), url
            policy = headers["content-security-policy"]
            assert "unsafe-inline" not in policy and "unsafe-hashes" not in policy, policy
            assert re.search(r"style-src 'self' 'nonce-[\w-]{22}';", policy), policy
            settled(page)
            EXERCISE.get(path, settled)(page)
            found += [f"{url}: {v}" for v in page.evaluate(VIOLATIONS)]
    return found


# ---- the studios ----------------------------------------------------------------------------


@dataclass
class MultiUser:
    base: str
    app: FastAPI


@contextmanager
def multi_user_studio(data_dir: Path) -> Iterator[MultiUser]:
    """The studio with accounts (one: ada), served by uvicorn on a thread of this process."""
    port = free_port()
    settings = Settings(
        data_dir=data_dir,
        database_url=sqlite_url(data_dir),
        port=port,
        multi_user=True,
        password_hash=HashParams.fast(),
    )
    app = create_app(settings)
    with app.state.sessions.begin() as db:
        accounts.add_user(
            session=db,
            username="ada",
            password_hash=app.state.passwords.hash(PASSWORD),
            is_admin=False,
            now=datetime.now(UTC),
        )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(300):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the multi-user studio did not start"
    try:
        yield MultiUser(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MultiUser]:
    with multi_user_studio(tmp_path_factory.mktemp("csp-multi")) as served:
        yield served


# ---- the tests ------------------------------------------------------------------------------


def test_every_page_single_user_without_a_violation(
    page: Page, studio: str, multi: MultiUser
) -> None:
    paths = html_pages(multi.app)  # the same routes as the served single-user studio
    assert {"/", "/designs/{design_id}", "/stories", "/cards", "/career/{kind}"} <= set(paths)
    seeded = seed(page, studio, {})
    found = visit_every_page(page, studio, paths, seeded)
    assert found == [], "\n".join(found)


def test_the_sign_in_page_and_every_page_multi_user_without_a_violation(
    page: Page, multi: MultiUser
) -> None:
    page.add_init_script(LISTEN)
    response = page.goto(multi.base + "/designs/1")  # signed out: to the sign-in page
    assert response is not None
    assert re.search(r"/login\?next=", page.url)
    policy = response.all_headers()["content-security-policy"]
    assert "unsafe-inline" not in policy and "'nonce-" in policy
    page.fill("#login-username", "ada")
    page.click("#login-submit")  # no password: the page says so (a 401 would log an error)
    expect(page.locator("#login-status")).to_have_attribute("data-state", "failed")
    assert page.evaluate(VIOLATIONS) == []
    page.goto(multi.base + "/login")
    page.fill("#login-username", "ada")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(page.locator("#sign-out")).to_be_visible()
    assert page.evaluate(VIOLATIONS) == []

    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert csrf
    seeded = seed(page, multi.base, {"X-CSRF-Token": csrf})
    paths = [p for p in html_pages(multi.app) if p != "/login"]  # signed in: /login redirects
    found = visit_every_page(page, multi.base, paths, seeded)
    assert found == [], "\n".join(found)


def test_a_blocked_style_is_seen(browser: Browser, studio: str) -> None:
    """The listener sees what the policy blocks: a style attribute in parsed HTML and a
    ``<style>`` element without the nonce (so an empty list above means something); with the
    page's nonce the same ``<style>`` applies."""
    ctx = browser.new_context()
    page = ctx.new_page()
    page.add_init_script(LISTEN)
    page.goto(studio + "/review")
    settled(page)
    meta = page.locator('meta[name="csp-nonce"]')
    assert meta.get_attribute("nonce") == ""  # hidden from the DOM and CSS selectors,
    assert re.fullmatch(r"[\w-]{22}", meta.evaluate("m => m.nonce"))  # not from scripts
    page.evaluate(
        """() => {
          const p = document.createElement("p");
          p.id = "probe";
          p.textContent = "probe";
          document.body.append(p);
          document.body.insertAdjacentHTML("beforeend", '<p style="color: red">attr</p>');
          const bad = document.createElement("style");
          bad.textContent = "#probe { margin-left: 31px }";
          document.head.append(bad);
        }"""
    )
    violations = page.evaluate(VIOLATIONS)
    directives = sorted(v["directive"] for v in violations)
    assert directives == ["style-src-attr", "style-src-elem"], violations
    probe = page.locator("#probe")
    assert probe.evaluate("e => getComputedStyle(e).marginLeft") != "31px"
    page.evaluate(
        """() => {
          const good = document.createElement("style");
          good.nonce = document.querySelector('meta[name="csp-nonce"]').nonce;
          good.textContent = "#probe { margin-left: 29px }";
          document.head.append(good);
        }"""
    )
    assert probe.evaluate("e => getComputedStyle(e).marginLeft") == "29px"
    assert len(page.evaluate(VIOLATIONS)) == 2
    ctx.close()
