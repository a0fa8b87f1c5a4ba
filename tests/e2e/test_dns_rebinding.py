"""DNS rebinding in a real browser: Chromium is told that ``rebind.test`` is 127.0.0.1 (what a
rebinding attacker's DNS answers), opens a page of that name on the port of a real
``staffpath serve``, and its script tries to create a design. With the default names the
studio refuses it; with ``--allowed-host '*'`` (the old behaviour) the same page succeeds,
which shows the attack is real and the allowlist is what stops it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from benchmarks.bench_studio import serving
from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.e2e.conftest import CHROMIUM, FLAGS

ATTACK = """async () => {
  const r = await fetch("/api/designs", {
    method: "POST",
    headers: {"content-type": "application/json"},
    body: JSON.stringify({}),
  });
  return [r.status, await r.text()];
}"""


@pytest.fixture(scope="module")
def rebinding_browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run bash scripts/chromium.sh (scripts/test does)")
    with sync_playwright() as p:
        yield _launch(p)


def _launch(p: Playwright) -> Browser:
    rules = "--host-resolver-rules=MAP rebind.test 127.0.0.1"
    return p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*FLAGS, rules])


def _designs(base: str) -> int:
    return len(httpx.get(f"{base}/api/designs", timeout=30).json())


@pytest.mark.parametrize("guarded", [True, False])
def test_a_rebound_page_cannot_drive_the_local_studio(
    rebinding_browser: Browser, tmp_path: Path, guarded: bool
) -> None:
    flags = () if guarded else ("--allowed-host", "*")
    with serving(str(tmp_path), *flags) as (base, _):
        port = base.rsplit(":", 1)[1]
        page = rebinding_browser.new_page()
        try:
            landed = page.goto(f"http://rebind.test:{port}/")
            assert landed is not None
            shown = landed.text()
            status, body = page.evaluate(ATTACK)
        finally:
            page.close()
        if guarded:
            assert landed.status == 400
            assert "DNS rebinding" in json.loads(shown)["detail"]
            assert status == 400 and "DNS rebinding" in json.loads(body)["detail"]
            assert _designs(base) == 0
        else:
            assert landed.status == 200
            assert status == 201
            assert _designs(base) == 1
