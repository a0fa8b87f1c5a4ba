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


XSS = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) "
    '<a href="javascript:alert(4)">x</a> ![p](javascript:alert(5)) <javascript:alert(6)> '
    "<svg onload=alert(7)> [d](data:text/html;base64,PHNjcmlwdD4=) [v](VBScript:msgbox(8))"
)


class _Attack(HTMLParser):
    """Every tag, and every attribute that could run script: on*, and URLs with a scheme
    that runs code."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for key, value in attrs:
            url = (value or "").strip().lower()
            if key.startswith("on"):
                self.found.append(f"<{tag} {key}>")
            if url.startswith(("javascript:", "vbscript:", "data:text")):
                self.found.append(f"<{tag} {key}={value}>")


def test_author_text_cannot_inject_script() -> None:
    """Goal AP-3: names, descriptions and ADR text are the author's, and the page is opened
    from the studio: no script element, no event handler, no javascript: link survives."""
    import yaml

    from staffpath.design.load import load_text
    from staffpath.report.document import build

    data = yaml.safe_load((ROOT / "examples" / "url-shortener.yaml").read_text(encoding="utf-8"))
    short = "<script>alert(1)</script><img src=x onerror=alert(2)> [c](javascript:alert(3))"
    data["name"] = f"Shortener {short}"
    data["description"] = XSS
    data["workload"]["flows"]["redirect"]["description"] = XSS
    adr = data["decisions"][0]
    adr["title"] = f"{adr['title']} {short}"
    for key in ("context", "decision", "consequences"):
        adr[key] = f"{adr[key]} {XSS}"
    adr["options"][0]["pros"].append(XSS)
    loaded = load_text(yaml.safe_dump(data, sort_keys=False), name="xss.yaml")
    page = build(loaded.design, simulate=False, with_pdf=False).files["design.html"]
    page = page.decode() if isinstance(page, bytes) else page

    scan = _Attack()
    scan.feed(page)
    assert scan.found == []
    assert "script" not in scan.tags
    assert "<script" not in page.lower()
    assert page.count("&lt;script&gt;alert(1)") >= 5  # the text is there, shown as text
