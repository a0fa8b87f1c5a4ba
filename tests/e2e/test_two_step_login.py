"""Two-step sign-in end to end (goal AN-7): ``staffpath users two-step`` run as a person runs
it (the key read off its output, the code typed back), then the sign-in page of a real
``staffpath serve --multi-user`` in headless Chromium: the password, then the code field,
a wrong code refused, the right one signs in. Screenshot in tests/e2e/artefacts/."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.bench_studio import serving
from playwright.sync_api import Page, expect

from tests.conftest import ROOT
from tests.e2e.conftest import ARTEFACTS
from tests.e2e.test_sharing_page import CLI, PASSWORD, add_users
from tests.oracles import totp_code


def turn_on(data: Path, name: str) -> str:
    """``staffpath users two-step NAME``: read the key it shows, answer with a code (the last
    step's, still accepted, so that this step's code is fresh for the sign-in)."""
    env = {k: v for k, v in os.environ.items() if k != "STAFFPATH_DATABASE_URL"}
    command = subprocess.Popen(
        [*CLI, "users", "two-step", name, "--data-dir", str(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert command.stdin and command.stderr
    key = None
    for line in command.stderr:
        found = re.search(r"type the key: ((?:[A-Z2-7]{4} ?){8})", line)
        if found:
            key = found.group(1).replace(" ", "")
            break
    assert key, "no key shown"
    out, err = command.communicate(totp_code(key, time.time() - 30) + "\n", timeout=60)
    assert command.returncode == 0, out + err
    assert f"two-step sign-in is on for {name}" in out
    return key


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    data = tmp_path_factory.mktemp("two-step")
    add_users(data, ["ada"])
    key = turn_on(data, "ada")
    with serving(str(data), "--multi-user") as (base, _):
        yield base, key


def test_the_sign_in_page_asks_for_the_code_after_the_password(
    page: Page, studio: tuple[str, str], refusals: list[str]
) -> None:
    base, key = studio
    page.goto(f"{base}/login?next=/stories")
    code = page.locator("#login-code")
    expect(code).to_be_hidden()
    page.fill("#login-username", "ada")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(code).to_be_visible()
    expect(code).to_be_focused()
    expect(page.locator("#login-status")).to_contain_text("6-digit code")

    page.click("#login-submit")  # nothing typed: said so, nothing sent
    expect(page.locator("#login-status")).to_have_text(
        "Enter the code your authenticator app shows."
    )
    right = totp_code(key, time.time())
    code.fill(str((int(right) + 1) % 10**6).zfill(6))
    page.click("#login-submit")
    expect(page.locator("#login-status")).to_contain_text("that code is wrong")
    expect(page).to_have_url(re.compile(r"/login"))
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "login-two-step.png"), full_page=True)

    code.fill(totp_code(key, time.time()))
    page.click("#login-submit")
    page.wait_for_url(f"{base}/stories")
    expect(page.locator(".account-name")).to_have_text("ada")
    assert len(refusals) == 2 and all("401" in r for r in refusals), refusals
