"""The library a page at a time, in headless Chromium against a real ``staffpath serve``: with
more designs than a page holds, the library shows the newest hundred, says how many there are,
and "Show more" brings the rest without losing or repeating a row; the compare page's pickers
still offer every design (they read every page); the search box finds a design on any page."""

from __future__ import annotations

import json
import urllib.request

from playwright.sync_api import Page, expect

from staffpath.web.api import BLANK

COUNT = 130


def _post(base: str, path: str, body: object) -> dict[str, object]:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        out: dict[str, object] = json.load(response)
    return out


def test_the_library_pages_and_the_pickers_see_everything(page: Page, studio: str) -> None:
    names = [f"Paged {i:03d}" for i in range(COUNT)]
    for name in names:
        _post(studio, "/api/designs", {"yaml": BLANK.replace("New design", name)})
    newest_first = names[::-1]

    page.goto(studio + "/")
    rows = page.locator("#designs-body tr .design-link")
    expect(rows).to_have_count(100)
    expect(page.locator("#library-status")).to_have_text(f"100 of {COUNT} designs")
    more = page.locator("#library-more")
    expect(more).to_have_text(f"Show {COUNT - 100} more")
    assert rows.all_inner_texts() == newest_first[:100]

    more.click()
    expect(rows).to_have_count(COUNT)
    expect(more).to_be_hidden()
    expect(page.locator("#library-status")).to_have_text(f"{COUNT} designs")
    assert rows.all_inner_texts() == newest_first
    expect(rows.nth(100)).to_be_focused()  # the first new row

    # a delete (undone from its toast, not confirmed) reloads the list and keeps as many rows
    page.locator("#designs-body tr", has_text=names[0]).locator("[data-action=delete]").click()
    expect(page.locator("#library-status")).to_have_text(f"{COUNT - 1} designs")
    expect(rows).to_have_count(COUNT - 1)

    # the search box asks the server, so it finds designs beyond the rows on the page
    search = page.locator("#library-search")
    search.fill("paged 00")  # "Paged 000" .. "Paged 009", the oldest: none was on page one
    expect(rows).to_have_count(9)  # "Paged 000" was deleted
    assert rows.all_inner_texts() == [f"Paged 00{i}" for i in range(9, 0, -1)]
    expect(page.locator("#library-status")).to_have_text("9 designs named like “paged 00”")
    expect(more).to_be_hidden()
    search.fill("no such design")
    expect(page.locator("#library-none")).to_be_visible()
    expect(page.locator("#library-none")).to_contain_text("“no such design”")
    expect(page.locator("#library-empty")).to_be_hidden()  # not the welcome of an empty library
    search.fill("")
    expect(rows).to_have_count(100)  # back to the first page of everything
    expect(more).to_be_visible()

    page.goto(studio + "/compare")
    options = page.locator("#a-design option")
    expect(options).to_have_count(COUNT)  # every design but the deleted one, and "Choose…"
    assert set(options.all_inner_texts()[1:]) == set(names[1:])
