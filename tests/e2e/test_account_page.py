"""The Account page in headless Chromium against a real ``staffpath serve --multi-user``: a
new password (a mismatch and a wrong current password said inline first), then two-step
sign-in set up from the QR code's key, a wrong code refused, turned off with a code and on
again with a new key, and signing in with the app's code. Every change after the new
password carries the new session's CSRF token (or it would be refused). Screenshot in
tests/e2e/artefacts/account-*.png."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from benchmarks.bench_studio import serving
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTEFACTS
from tests.e2e.test_sharing_page import PASSWORD, add_users
from tests.oracles import totp_code

NEW_PASSWORD = "plum orchard ferry lantern"


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("account")
    add_users(data, ["ada"])
    with serving(str(data), "--multi-user") as (base, _):
        yield base


def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"account-{name}.png"), full_page=True)


def sign_in(page: Page, base: str, password: str, code: str | None = None) -> None:
    page.goto(f"{base}/login?next=/account")
    page.fill("#login-username", "ada")
    page.fill("#login-password", password)
    page.click("#login-submit")
    if code is not None:
        expect(page.locator("#login-code")).to_be_visible()
        page.fill("#login-code", code)
        page.click("#login-submit")
    page.wait_for_url(f"{base}/account")
    expect(page.locator("body[data-ready]")).to_have_count(1)


def key_shown(page: Page) -> str:
    page.click("#two-step-begin")
    expect(page.locator("#two-step-qr svg")).to_be_visible()
    key = page.locator("#two-step-key").inner_text().replace(" ", "")
    assert len(key) == 32
    return key


def test_password_and_two_step_from_the_account_page(
    page: Page, multi: str, refusals: list[str]
) -> None:
    sign_in(page, multi, PASSWORD)
    expect(page.locator("a.account-name")).to_have_attribute("aria-current", "page")
    expect(page.locator("#two-step-state")).to_have_attribute("data-state", "off")

    # a new password: the mistakes are said inline, then it changes
    page.fill("#password-current", PASSWORD)
    page.fill("#password-new", NEW_PASSWORD)
    page.fill("#password-repeat", NEW_PASSWORD + "!")
    page.click("#password-submit")
    expect(page.locator("#password-status")).to_have_text("The two new passwords differ.")
    page.fill("#password-current", "not my password at all")
    page.fill("#password-repeat", NEW_PASSWORD)
    page.click("#password-submit")
    expect(page.locator("#password-status")).to_have_text("the current password is wrong")
    page.fill("#password-current", PASSWORD)
    page.click("#password-submit")
    expect(page.locator("#password-status")).to_contain_text("Password changed")

    # two-step on: the QR code's key, a wrong code refused, then the app's code
    key = key_shown(page)
    right = totp_code(key, time.time() - 30)  # the last step's: this step's stays fresh
    page.fill("#two-step-code", str((int(right) + 1) % 10**6).zfill(6))
    page.fill("#two-step-password", NEW_PASSWORD)
    page.click("#two-step-on")
    expect(page.locator("#two-step-on-status")).to_contain_text("does not match")
    shot(page, "two-step-setup")
    page.fill("#two-step-code", right)
    page.click("#two-step-on")  # refused with 403 if the page still sent the old CSRF token
    expect(page.locator("#two-step-state")).to_have_attribute("data-state", "on")
    expect(page.locator("#two-step-off-status")).to_contain_text("is on")

    # off with the password and a code, then on again with a new key
    page.fill("#two-step-off-password", NEW_PASSWORD)
    page.fill("#two-step-off-code", "000000" if right != "000000" else "111111")
    page.click("#two-step-off")
    expect(page.locator("#two-step-off-status")).to_contain_text("that code is wrong")
    page.fill("#two-step-off-code", totp_code(key, time.time()))
    page.click("#two-step-off")
    expect(page.locator("#two-step-state")).to_have_attribute("data-state", "off")
    second = key_shown(page)
    assert second != key
    page.fill("#two-step-code", totp_code(second, time.time() - 30))
    page.fill("#two-step-password", NEW_PASSWORD)
    page.click("#two-step-on")
    expect(page.locator("#two-step-state")).to_have_attribute("data-state", "on")
    shot(page, "two-step-on")

    # signing in now takes the new password and the app's code
    page.click("#sign-out")
    page.wait_for_url(f"{multi}/login")
    sign_in(page, multi, NEW_PASSWORD, code=totp_code(second, time.time()))
    expect(page.locator("#two-step-state")).to_have_attribute("data-state", "on")
    # the wrong current password, the wrong code to turn it off, the sign-in's ask for the
    # code (the wrong code to turn it on is a 422, whose line the suite's page lets pass)
    statuses = [re.search(r"status of (\d+)", r).group(1) for r in refusals]  # type: ignore[union-attr]
    assert statuses == ["403", "403", "401"], refusals
