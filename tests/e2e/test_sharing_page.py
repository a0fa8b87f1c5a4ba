"""The Sharing page in headless Chromium against a real ``staffpath serve --multi-user``, each
person signed in through the sign-in page in turn: ada shares a design with bob as a viewer
through the form (after a refused name shows its reason inline), bob's page lists it and
opens it, ada revokes it through the page and bob's list and the API forget it; cy invites
dan as a mentor and shares a story with her mentors, dan accepts on his page and reads it,
cy ends it; ada names eve the peer of a mock interview, eve opens the interviewer's page
without the key and saves notes, the key link still works, and ada removes eve. A studio
without accounts says that sharing needs them. No console errors (the shared ``page``
fixture). Screenshots in tests/e2e/artefacts/sharing-*.png."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from benchmarks.bench_studio import serving
from playwright.sync_api import Page, expect

from staffpath.web.api import BLANK
from tests.conftest import ROOT
from tests.e2e.conftest import ARTEFACTS

PASSWORD = "correct horse battery staple"
CLI = [sys.executable, "-m", "staffpath.cli"]
USERS = ("ada", "bob", "cy", "dan", "eve")
DESIGN = BLANK.replace("name: New design", "name: Zebra ledger")  # the studio's blank design
STORY = (ROOT / "examples" / "stories" / "billing-migration.yaml").read_text()


def add_users(data: Path, names: Iterable[str]) -> None:
    """An account for each of ``names`` in the studio at ``data``, made from the terminal."""
    env = {k: v for k, v in os.environ.items() if k != "STAFFPATH_DATABASE_URL"}
    for name in names:
        subprocess.run(
            [*CLI, "users", "add", name, "--password-stdin", "--data-dir", str(data)],
            input=PASSWORD + "\n",
            text=True,
            capture_output=True,
            check=True,
            env=env,
            cwd=ROOT,
        )


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A multi-user studio with an account for each of USERS."""
    data = tmp_path_factory.mktemp("multi")
    add_users(data, USERS)
    with serving(str(data), "--multi-user") as (base, _):
        yield base


def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"sharing-{name}.png"), full_page=True)


def sign_in(page: Page, base: str, name: str) -> None:
    """Sign in as ``name`` through the sign-in page (the last person's cookie dropped first),
    and land on the Sharing page once it has loaded."""
    page.goto("about:blank")  # nothing of the last page polls with a dropped cookie
    page.context.clear_cookies()
    page.goto(f"{base}/login?next=/sharing")
    page.fill("#login-username", name)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/sharing")
    expect(page.locator("body[data-ready]")).to_have_count(1)
    expect(page.locator(".account-name")).to_have_text(name)


def post(page: Page, base: str, path: str, body: object) -> dict[str, object]:
    """An API call as the signed-in person, with the page's CSRF token (outside the page:
    for what the test sets up)."""
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    r = page.request.post(base + path, data=body, headers={"X-CSRF-Token": csrf})
    assert r.status in (200, 201), r.text()
    out: dict[str, object] = r.json()
    return out


def test_a_design_shared_opened_and_revoked_through_the_page(page: Page, multi: str) -> None:
    sign_in(page, multi, "ada")
    expect(page.locator('.topnav a[aria-current="page"]')).to_have_text("Sharing")
    expect(page.locator("#given-body")).to_contain_text("You share nothing yet")
    design = post(page, multi, "/api/designs", {"yaml": DESIGN})["id"]
    page.reload()
    expect(page.locator("body[data-ready]")).to_have_count(1)
    option = page.locator(f'#share-object option[value="design:{design}"]')
    expect(option).to_have_text("Zebra ledger")

    # a name that is no account: refused, and said so next to the form
    page.select_option("#share-object", f"design:{design}")
    page.fill("#share-user", "nobody")
    page.click("#share-submit")
    status = page.locator("#share-status")
    expect(status).to_have_attribute("data-state", "failed")
    expect(status).to_contain_text("Not shared:")
    expect(status).to_contain_text("nobody")
    expect(page.locator("#given-body")).to_contain_text("You share nothing yet")

    page.fill("#share-user", "bob")
    page.select_option("#share-role", "viewer")
    page.click("#share-submit")
    expect(status).to_have_text("Shared “Zebra ledger” with bob as viewer.")
    expect(status).not_to_have_attribute("data-state", "failed")
    row = page.locator("#given-body tr", has_text="Zebra ledger")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("bob")
    expect(row.locator("td").nth(2)).to_have_text("viewer")
    shot(page, "given")

    # bob's page lists it, and its link opens it in the editor
    sign_in(page, multi, "bob")
    got = page.locator("#received-body tr", has_text="Zebra ledger")
    expect(got).to_have_count(1)
    expect(got.locator("td").nth(1)).to_have_text("ada")
    expect(got.locator("td").nth(2)).to_have_text("viewer")
    shot(page, "received")
    got.locator("th a").click()
    page.wait_for_url(f"{multi}/designs/{design}")
    expect(page.locator("#editor")).to_have_attribute("data-state", "ready")
    expect(page.locator("#design-name")).to_contain_text("Zebra ledger")

    # ada revokes it through her page
    sign_in(page, multi, "ada")
    page.locator("#given-body tr", has_text="Zebra ledger").get_by_role("button").click()
    expect(page.locator("#given-body")).to_contain_text("You share nothing yet")
    expect(page.locator("#toasts")).to_contain_text("no longer shared with bob")

    # from bob's next request: gone from his page, and the design is a 404 for him
    sign_in(page, multi, "bob")
    expect(page.locator("#received-body")).to_contain_text("Nothing is shared with you yet")
    assert page.request.get(f"{multi}/api/designs/{design}").status == 404


def test_a_mentor_invited_accepted_and_ended_through_the_pages(page: Page, multi: str) -> None:
    sign_in(page, multi, "cy")
    story = post(page, multi, "/api/stories", {"text": STORY})
    page.reload()
    expect(page.locator("body[data-ready]")).to_have_count(1)

    mentor_status = page.locator("#mentor-status")
    page.fill("#mentor-user", "nobody")
    page.click("#mentor-invite")
    expect(mentor_status).to_have_attribute("data-state", "failed")
    expect(mentor_status).to_contain_text("Not invited:")
    page.fill("#mentor-user", "dan")
    page.click("#mentor-invite")
    expect(mentor_status).to_contain_text("Invited dan")
    pending = page.locator('#mentors-body tr[data-user="dan"]')
    expect(pending).to_have_attribute("data-accepted", "false")
    expect(pending).to_contain_text("invited")

    # shared with "my mentors": read only, so the role cannot be chosen
    page.select_option("#share-object", f"story:{story['id']}")
    page.check("#audience-mentors")
    expect(page.locator("#share-user")).to_be_disabled()
    expect(page.locator("#share-role")).to_be_disabled()
    page.click("#share-submit")
    expect(page.locator("#share-status")).to_contain_text("with your mentors as viewer")
    expect(page.locator("#given-body tr", has_text=str(story["title"]))).to_contain_text(
        "my mentors"
    )

    # dan sees the invitation, accepts it, and then reads what cy shares with her mentors
    sign_in(page, multi, "dan")
    expect(page.locator("#received-body")).to_contain_text("Nothing is shared with you yet")
    invitation = page.locator('#mentees-body tr[data-user="cy"]')
    expect(invitation).to_contain_text("invites you")
    shot(page, "invitation")
    invitation.get_by_role("button", name=re.compile("^Accept")).click()
    expect(invitation).to_have_attribute("data-accepted", "true")
    expect(page.locator("#mentor-status")).to_contain_text("You now mentor cy")
    shared = page.locator("#received-body tr", has_text=str(story["title"]))
    expect(shared).to_contain_text("mentor")
    expect(shared.locator("th a")).to_have_attribute("href", f"/stories#{story['id']}")

    # cy sees dan accepted, and ends it; dan then reads nothing of hers
    sign_in(page, multi, "cy")
    accepted = page.locator('#mentors-body tr[data-user="dan"]')
    expect(accepted).to_have_attribute("data-accepted", "true")
    accepted.get_by_role("button", name=re.compile("^End")).click()
    expect(page.locator("#mentors-body")).to_contain_text("No mentor yet")
    sign_in(page, multi, "dan")
    expect(page.locator("#mentees-body")).to_contain_text("Nobody has invited you")
    expect(page.locator("#received-body")).to_contain_text("Nothing is shared with you yet")
    assert page.request.get(f"{multi}/api/stories/{story['id']}").status == 404


def test_a_peer_opens_the_interviewer_page_without_the_key(page: Page, multi: str) -> None:
    sign_in(page, multi, "ada")
    iv = post(page, multi, "/api/interviews", {"problem": "url-shortener", "minutes": 30})
    page.reload()
    expect(page.locator("body[data-ready]")).to_have_count(1)
    page.select_option("#peer-interview", str(iv["id"]))
    page.fill("#peer-user", "eve")
    page.click("#peer-add")
    expect(page.locator("#peer-status")).to_contain_text("eve is a peer of")
    granted = page.locator(f'#peers-body tr[data-interview="{iv["id"]}"][data-user="eve"]')
    expect(granted).to_contain_text("open")
    page.reload()  # the page is given the peers it lists
    expect(granted).to_contain_text("open")
    shot(page, "peers")

    # eve's page links the interviewer's page without a key; she scores and writes notes
    sign_in(page, multi, "eve")
    link = page.locator(f'#peer-of li[data-interview="{iv["id"]}"] a')
    expect(link).to_have_attribute("href", f"/interviews/{iv['id']}/interviewer")
    link.click()
    page.wait_for_url(f"{multi}/interviews/{iv['id']}/interviewer")
    expect(page.locator("#live")).to_have_attribute("data-state", "live")
    expect(page.locator("#problem-meta")).to_contain_text("(as a peer)")
    expect(page.locator("#clarifications li")).not_to_have_count(0)
    page.fill("#interviewer-notes", "Clear capacity maths.")
    expect(page.locator("#inotes-state")).to_have_attribute("data-state", "clean")
    page.locator("#scores select").first.select_option("3")
    expect(page.locator("#scores-state")).to_have_text("Saved")
    seen = page.request.get(f"{multi}/api/interviews/{iv['id']}").json()
    assert seen["interviewer_notes"] == "Clear capacity maths." and "key" not in seen
    assert list(seen["scores"].values()) == [3]
    shot(page, "peer-interviewer")

    # the key link keeps working (for anyone signed in); without key or grant: 404
    sign_in(page, multi, "cy")
    no_grant = page.request.get(f"{multi}/interviews/{iv['id']}/interviewer", max_redirects=0)
    assert no_grant.status == 404
    page.goto(f"{multi}/interviews/{iv['id']}/interviewer?key={iv['key']}")
    expect(page.locator("#live")).to_have_attribute("data-state", "live")
    expect(page.locator("#interviewer-notes")).to_have_value("Clear capacity maths.")

    # ada removes eve through her page: eve's page is gone from her next request
    sign_in(page, multi, "ada")
    page.locator(f'#peers-body tr[data-user="eve"][data-interview="{iv["id"]}"]').get_by_role(
        "button"
    ).click()
    expect(page.locator("#peer-status")).to_contain_text("eve is no longer a peer")
    expect(page.locator("#peers-body")).to_contain_text("You have named no peer")
    sign_in(page, multi, "eve")
    expect(page.locator("#peer-of")).to_contain_text("nobody has named you")
    gone = page.request.get(f"{multi}/interviews/{iv['id']}/interviewer", max_redirects=0)
    assert gone.status == 404


def test_without_accounts_the_page_says_what_sharing_needs(page: Page, studio: str) -> None:
    page.goto(studio + "/sharing")
    expect(page.locator("#single-user")).to_contain_text("staffpath serve --multi-user")
    expect(page.locator("#given")).to_have_count(0)
    expect(page.locator("#share-form")).to_have_count(0)
    expect(page.locator('.topnav a[aria-current="page"]')).to_have_text("Sharing")
