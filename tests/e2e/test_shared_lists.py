"""The lists of a multi-user studio in headless Chromium, from the side of the person things are
shared with: ana shares designs, stories and a mentoring log with ben, some as viewer, some as
editor. Ben's library, story bank and career page tag each of those rows "shared by ana ·
role" and offer no Delete for them (only the owner deletes; a viewer has no Save either),
while his own rows and all of ana's rows (on her pages) carry no tag. A viewer's shared design
can still be duplicated, into a design of ben's own. A story opens from its address,
``/stories#ID``, and the Sharing page links a shared story there; an address naming a story
ben cannot read says so instead of opening anything. No console errors (the ``page``
fixture). Screenshots in tests/e2e/artefacts/shared-*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from benchmarks.bench_studio import serving
from playwright.sync_api import Browser, Locator, Page, expect

from staffpath.web.api import BLANK
from tests.conftest import ROOT
from tests.e2e.conftest import ARTEFACTS
from tests.e2e.test_sharing_page import add_users, post, sign_in

STORY = (ROOT / "examples" / "stories" / "billing-migration.yaml").read_text()
STORY_TITLE = "Moving billing off the shared database"
MENTORING = (ROOT / "examples" / "career" / "mentoring.yaml").read_text()
# what ana makes, and the role she shares it with ben as (None: not shared)
DESIGNS = {"Zebra ledger": "viewer", "Yak register": "editor", "Ana only": None}
STORIES = {"Viewer story": "viewer", "Editor story": "editor", "Ana private story": None}


def design(name: str) -> dict[str, str]:
    return {"yaml": BLANK.replace("name: New design", f"name: {name}")}


def story(title: str) -> dict[str, str]:
    assert STORY_TITLE in STORY
    return {"text": STORY.replace(STORY_TITLE, title)}


@dataclass(frozen=True)
class Seeded:
    base: str
    designs: dict[str, int]  # name -> id
    stories: dict[str, int]  # title -> id
    documents: dict[str, int]  # mentoring log name -> id


def made(page: Page, base: str, path: str, body: object) -> int:
    """The id of what a POST made."""
    made_id = post(page, base, path, body)["id"]
    assert isinstance(made_id, int)
    return made_id


def share(page: Page, base: str, obj: str, object_id: int, role: str) -> None:
    post(page, base, "/api/shares", {"object": obj, "id": object_id, "user": "ben", "role": role})


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Seeded]:
    """A multi-user studio where ana shares with ben, and each has things of their own."""
    data = tmp_path_factory.mktemp("shared-lists")
    add_users(data, ("ana", "ben"))
    with serving(str(data), "--multi-user") as (base, _):
        ctx = browser.new_context()
        page = ctx.new_page()
        designs: dict[str, int] = {}
        stories: dict[str, int] = {}
        documents: dict[str, int] = {}
        sign_in(page, base, "ben")
        own = "Ben own design"
        designs[own] = made(page, base, "/api/designs", design(own))
        own = "Ben own story"
        stories[own] = made(page, base, "/api/stories", story(own))
        sign_in(page, base, "ana")
        for name, role in DESIGNS.items():
            designs[name] = made(page, base, "/api/designs", design(name))
            if role:
                share(page, base, "design", designs[name], role)
        for title, role in STORIES.items():
            stories[title] = made(page, base, "/api/stories", story(title))
            if role:
                share(page, base, "story", stories[title], role)
        log = {"text": MENTORING, "name": "Ana's log"}
        documents["Ana's log"] = made(page, base, "/api/career/mentoring", log)
        share(page, base, "document", documents["Ana's log"], "viewer")
        ctx.close()
        yield Seeded(base, designs, stories, documents)


def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"shared-{name}.png"), full_page=True)


def tag(row: Locator) -> Locator:
    return row.locator(".shared-tag")


def test_the_library_tags_shared_designs_and_offers_no_delete(page: Page, seeded: Seeded) -> None:
    base = seeded.base
    sign_in(page, base, "ben")
    page.goto(f"{base}/")
    body = page.locator("#designs-body")
    expect(body.locator("tr")).to_have_count(3)  # his own and the two ana shares, not "Ana only"
    expect(body).not_to_contain_text("Ana only")

    viewer = body.locator(f'tr[data-design-id="{seeded.designs["Zebra ledger"]}"]')
    expect(tag(viewer)).to_have_text("shared by ana · viewer")
    expect(tag(viewer)).to_have_attribute("data-shared-by", "ana")
    expect(viewer.locator('[data-action="delete"]')).to_have_count(0)
    expect(viewer.get_by_role("link", name="Simulate Zebra ledger")).to_be_visible()
    expect(viewer.locator('[data-action="duplicate"]')).to_be_visible()

    editor = body.locator(f'tr[data-design-id="{seeded.designs["Yak register"]}"]')
    expect(tag(editor)).to_have_text("shared by ana · editor")
    expect(editor.locator('[data-action="delete"]')).to_have_count(0)

    own = body.locator(f'tr[data-design-id="{seeded.designs["Ben own design"]}"]')
    expect(tag(own)).to_have_count(0)
    expect(own.locator('[data-action="delete"]')).to_be_visible()
    shot(page, "library")

    # a viewer may read, so may copy: the copy is ben's own, untagged, and his to delete
    viewer.locator('[data-action="duplicate"]').click()
    copy = body.locator("tr", has_text="Zebra ledger (copy)")
    expect(copy).to_have_count(1)
    expect(tag(copy)).to_have_count(0)
    expect(copy.locator('[data-action="delete"]')).to_be_visible()
    expect(body.locator(".shared-tag")).to_have_count(2)


def test_the_owner_sees_no_tag_on_her_own_rows(page: Page, seeded: Seeded) -> None:
    base = seeded.base
    sign_in(page, base, "ana")
    page.goto(f"{base}/")
    body = page.locator("#designs-body")
    expect(body.locator("tr")).to_have_count(3)
    expect(body.locator(".shared-tag")).to_have_count(0)
    expect(body.locator('[data-action="delete"]')).to_have_count(3)

    page.goto(f"{base}/stories")
    stories = page.locator("#stories-body")
    expect(stories.locator("tr[data-id]")).to_have_count(3)
    expect(stories.locator(".shared-tag")).to_have_count(0)
    expect(stories.get_by_role("button", name=re.compile("^Delete"))).to_have_count(3)

    page.goto(f"{base}/career/mentoring")
    expect(page.locator("#docs-body tr[data-id]")).to_have_count(1)
    expect(page.locator("#docs-body .shared-tag")).to_have_count(0)
    deletes = page.locator("#docs-body").get_by_role("button", name=re.compile("^Delete"))
    expect(deletes).to_have_count(1)


def test_the_story_bank_tags_shared_stories_and_offers_what_the_role_allows(
    page: Page, seeded: Seeded
) -> None:
    base = seeded.base
    sign_in(page, base, "ben")
    page.goto(f"{base}/stories")
    body = page.locator("#stories-body")
    expect(body.locator("tr[data-id]")).to_have_count(3)
    expect(body).not_to_contain_text("Ana private story")

    viewer = body.locator(f'tr[data-id="{seeded.stories["Viewer story"]}"]')
    expect(tag(viewer)).to_have_text("shared by ana · viewer")
    expect(viewer.get_by_role("button", name=re.compile("^Delete"))).to_have_count(0)
    expect(viewer.get_by_role("button", name=re.compile("^Edit"))).to_have_count(0)
    expect(viewer.get_by_role("button", name="Open : Viewer story")).to_be_visible()

    editor = body.locator(f'tr[data-id="{seeded.stories["Editor story"]}"]')
    expect(tag(editor)).to_have_text("shared by ana · editor")
    expect(editor.get_by_role("button", name=re.compile("^Delete"))).to_have_count(0)
    expect(editor.get_by_role("button", name="Edit : Editor story")).to_be_visible()

    own = body.locator(f'tr[data-id="{seeded.stories["Ben own story"]}"]')
    expect(tag(own)).to_have_count(0)
    expect(own.get_by_role("button", name="Delete : Ben own story")).to_be_visible()
    shot(page, "stories")

    # the viewer's story opens read only: no Save, no Delete, and says why
    viewer.get_by_role("button", name="Open : Viewer story").click()
    expect(page.locator("#editor-heading")).to_have_text("Viewer story")
    expect(page.locator("#story-text")).not_to_be_editable()
    expect(page.locator("#save-story")).to_be_hidden()
    expect(page.locator("#delete-story")).to_be_hidden()
    expect(page.locator("#save-state")).to_have_text("Read only")
    expect(page.locator("#shared-note")).to_have_text(
        "Shared with you by ana as viewer: this story is read only for you."
    )
    assert page.evaluate("() => location.hash") == f"#{seeded.stories['Viewer story']}"

    # the editor's story may be saved, still not deleted
    editor.get_by_role("button", name="Edit : Editor story").click()
    expect(page.locator("#editor-heading")).to_have_text("Editor story")
    expect(page.locator("#story-text")).to_be_editable()
    expect(page.locator("#save-story")).to_be_visible()
    expect(page.locator("#delete-story")).to_be_hidden()
    expect(page.locator("#shared-note")).to_contain_text("as editor: you may save changes")
    text = page.input_value("#story-text")
    page.fill("#story-text", text.replace("title: Editor story", "title: Edited story"))
    page.click("#save-story")
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(editor.locator(".story-title")).to_have_text("Edited story")
    expect(tag(editor)).to_have_text("shared by ana · editor")

    # his own story: everything, and no note
    own.get_by_role("button", name="Edit : Ben own story").click()
    expect(page.locator("#delete-story")).to_be_visible()
    expect(page.locator("#save-story")).to_be_visible()
    expect(page.locator("#shared-note")).to_be_hidden()
    page.click("#close-story")
    assert page.evaluate("() => location.hash") == ""


def test_a_story_opens_from_its_address(page: Page, seeded: Seeded) -> None:
    base = seeded.base
    sign_in(page, base, "ben")
    wanted = seeded.stories["Viewer story"]
    page.goto(f"{base}/stories#{wanted}")
    card = page.locator("#editor-card")
    expect(card).to_be_visible()
    expect(page.locator("#editor-heading")).to_have_text("Viewer story")
    expect(page.locator("#story-text")).to_have_value(re.compile("title: Viewer story"))
    expect(page.locator("#check .check-summary")).to_be_visible()
    expect(page.locator(f'#stories-body tr[data-id="{wanted}"]')).to_have_attribute(
        "aria-current", "true"
    )
    expect(page.locator("#address-status")).to_be_hidden()
    expect(card).to_be_in_viewport()
    shot(page, "story-address")

    # a new address on the open page opens that story
    own = seeded.stories["Ben own story"]
    page.evaluate(f"() => {{ location.hash = '#{own}'; }}")
    expect(page.locator("#editor-heading")).to_have_text("Ben own story")
    expect(page.locator(f'#stories-body tr[data-id="{wanted}"]')).not_to_have_attribute(
        "aria-current", "true"
    )


@pytest.mark.parametrize("which", ["unknown", "not shared"])
def test_a_story_address_ben_cannot_read_says_so(page: Page, seeded: Seeded, which: str) -> None:
    base = seeded.base
    sign_in(page, base, "ben")
    wanted = 999_999 if which == "unknown" else seeded.stories["Ana private story"]
    page.goto(f"{base}/stories#{wanted}")
    status = page.locator("#address-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text(f"There is no story {wanted} for you to open")
    expect(page.locator("#editor-card")).to_be_hidden()
    expect(page.locator("#stories-body tr[data-id]")).to_have_count(3)  # the list is still there
    if which == "unknown":
        shot(page, "story-address-unknown")


def test_the_sharing_page_links_a_shared_story_to_the_story(page: Page, seeded: Seeded) -> None:
    base = seeded.base
    sign_in(page, base, "ben")
    wanted = seeded.stories["Viewer story"]
    link = page.locator(f'#received-body tr[data-object="story"][data-object-id="{wanted}"] th a')
    expect(link).to_have_attribute("href", f"/stories#{wanted}")
    link.click()
    page.wait_for_url(f"{base}/stories#{wanted}")
    expect(page.locator("#editor-card")).to_be_visible()
    expect(page.locator("#editor-heading")).to_have_text("Viewer story")
    expect(page.locator("#shared-note")).to_contain_text("by ana as viewer")


def test_a_career_list_tags_a_shared_document(page: Page, seeded: Seeded) -> None:
    base = seeded.base
    sign_in(page, base, "ben")
    log = seeded.documents["Ana's log"]
    page.goto(f"{base}/career/mentoring")
    row = page.locator(f'#docs-body tr[data-id="{log}"]')
    expect(tag(row)).to_have_text("shared by ana · viewer")
    expect(row.get_by_role("button", name=re.compile("^Delete"))).to_have_count(0)
    shot(page, "career")

    row.get_by_role("button", name="Open : Ana's log").click()
    expect(page.locator("#editor-heading")).to_have_text("Ana's log")
    expect(page.locator("#save-doc")).to_be_hidden()
    expect(page.locator("#delete-doc")).to_be_hidden()
    expect(page.locator("#save-state")).to_have_text("Read only")
    expect(page.locator("#shared-note")).to_have_text(
        "Shared with you by ana as viewer: this document is read only for you."
    )
    expect(page.locator("#export")).to_be_visible()  # a viewer may export
    # the text itself is locked: typing changes nothing (CodeMirror is not editable)
    content = page.locator("#editor .cm-content")
    expect(content).to_have_attribute("contenteditable", "false")
    before = page.evaluate("() => window.career.editor.getText()")
    content.click()
    page.keyboard.type("typed by ben")
    assert page.evaluate("() => window.career.editor.getText()") == before


@pytest.mark.parametrize(("name", "role"), [("Zebra ledger", "viewer"), ("Yak register", "editor")])
def test_the_design_page_offers_what_the_role_allows(
    page: Page, seeded: Seeded, name: str, role: str
) -> None:
    """A viewer reads, analyses and exports a shared design but cannot change or save it (no
    Save, no Restore, a locked text); an editor may save it."""
    base = seeded.base
    if role == "viewer":  # a second version, so the history has one to restore
        sign_in(page, base, "ana")
        csrf = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
        body = {"yaml": design(name)["yaml"] + "# v2\n"}
        url = f"{base}/api/designs/{seeded.designs[name]}"
        assert page.request.put(url, data=body, headers={"X-CSRF-Token": csrf}).status == 200
    sign_in(page, base, "ben")
    page.goto(f"{base}/designs/{seeded.designs[name]}")
    expect(page.locator("#editor")).to_have_attribute("data-state", "ready")
    expect(page.locator("#verdict")).not_to_have_attribute("data-state", "pending")
    note = page.locator("#shared-note")
    content = page.locator("#editor .cm-content")
    if role == "viewer":
        expect(note).to_have_text(
            "Shared with you by ana as viewer: this design is read only for you."
        )
        expect(page.locator("#save")).to_be_hidden()
        expect(page.locator("#save-state")).to_have_text("Read only")
        expect(content).to_have_attribute("contenteditable", "false")
        before = page.evaluate("() => window.studio.editor.getText()")
        content.click()
        page.keyboard.type("typed by ben")
        page.keyboard.press("Control+s")
        assert page.evaluate("() => window.studio.editor.getText()") == before
        restore = page.locator("#versions [data-action='restore']")
        expect(restore).to_have_count(1)  # version 1's, drawn by the history ...
        expect(restore).to_be_hidden()  # ... and not offered
        shot(page, "design-viewer")
    else:
        expect(note).to_contain_text("as editor: you may save changes to this design")
        expect(page.locator("#save")).to_be_visible()
        expect(content).to_have_attribute("contenteditable", "true")
        page.evaluate("() => window.studio.editor.setText(window.studio.editor.getText() + '\\n')")
        page.click("#save")
        expect(page.locator("#save-state")).to_have_text(re.compile("^Saved as version 2"))


def test_the_owners_design_page_has_no_note(page: Page, seeded: Seeded) -> None:
    sign_in(page, seeded.base, "ana")
    page.goto(f"{seeded.base}/designs/{seeded.designs['Zebra ledger']}")
    expect(page.locator("#editor")).to_have_attribute("data-state", "ready")
    expect(page.locator("#shared-note")).to_be_hidden()
    expect(page.locator("#save")).to_be_visible()
    expect(page.locator("#editor .cm-content")).to_have_attribute("contenteditable", "true")
