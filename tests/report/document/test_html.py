"""The HTML page: self-contained (no network), ids unique across inlined pictures, golden."""

from __future__ import annotations

from html.parser import HTMLParser

from staffpath.report.document import pictures
from staffpath.report.document.html import _scope, render
from staffpath.report.document.markdown import render as markdown
from tests.conftest import ROOT, compare_golden
from tests.report.document.test_content import content

GOLDEN = ROOT / "tests" / "report" / "document" / "golden"


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.external: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for key, value in attrs:
            if key == "id" and value:
                self.ids.append(value)
            outside = key in ("src", "href") and value and not value.startswith("#")
            if outside and (key == "src" or tag in ("link", "script")):
                self.external.append(f"{tag} {key}={value}")


def page(name: str) -> str:
    c = content(name)
    return render(markdown(c), pictures(c), title=c.design.name)


def test_the_page_loads_nothing_from_anywhere() -> None:
    scan = _Scan()
    scan.feed(page("url-shortener"))
    assert scan.external == []
    assert "script" not in scan.tags and "img" not in scan.tags
    assert scan.tags.count("figure") == 5  # diagram, utilisation, two against load, cost


def test_ids_stay_unique_when_pictures_are_inlined() -> None:
    scan = _Scan()
    scan.feed(page("news-feed"))
    assert len(scan.ids) == len(set(scan.ids))


def test_scope_rewrites_references_to_the_ids_it_renamed() -> None:
    svg = '<svg><clipPath id="c"/><g clip-path="url(#c)"/><use href="#c"/><a href="#other"/></svg>'
    assert _scope(svg, "p-") == (
        '<svg><clipPath id="p-c"/><g clip-path="url(#p-c)"/><use href="#p-c"/><a href="#other"/></svg>'
    )


def test_page_matches_golden(update_golden: bool) -> None:
    compare_golden(GOLDEN / "url-shortener.html", page("url-shortener"), update_golden)
