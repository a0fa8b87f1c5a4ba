"""The design document as one self-contained HTML page, made from the Markdown.

markdown-it (CommonMark with tables) renders the Markdown; every picture the Markdown
references is inlined as SVG, so the page needs no other file and no network. Element ids
inside each SVG are prefixed, because several inline SVGs share one id space.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from markdown_it import MarkdownIt

_IMG = re.compile(r'<img src="([^"]+)" alt="([^"]*)" ?/?>')
_ID = re.compile(r'\bid="([^"]+)"')
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>\s*")

CSS = """
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       color: var(--ink); background: white; }
main { max-width: 62rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 2rem; margin: 0 0 1rem; }
h2 { font-size: 1.45rem; margin: 2.4rem 0 .8rem; padding-bottom: .3rem;
     border-bottom: 1px solid var(--line); }
h3 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
p, ul, ol { margin: 0 0 1rem; }
code { font: .88em/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
       background: var(--bg); padding: .1em .3em; border-radius: 4px; }
.table { overflow-x: auto; margin: 0 0 1.2rem; }
table { border-collapse: collapse; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .35rem .6rem; vertical-align: top; }
th { background: var(--bg); text-align: left; }
td[style*="right"], th[style*="right"] { font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0 1.6rem; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .3rem; }
blockquote { margin: 0 0 1rem; padding: .2rem 1rem; color: var(--muted);
             border-left: 4px solid var(--line); }
nav.toc { background: var(--bg); border: 1px solid var(--line); border-radius: 6px;
          padding: .6rem 1rem; margin: 0 0 1.5rem; font-size: .95rem; }
nav.toc ol { margin: 0; padding-left: 1.3rem; }
footer { color: var(--muted); font-size: .85rem; margin-top: 3rem; }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; }
               figure, table { break-inside: avoid; } nav.toc { display: none; } }
"""


def _scope(svg: str, prefix: str) -> str:
    """Prefix every id in ``svg`` and every reference to one, so inlined SVGs cannot clash."""
    svg = _XML_DECL.sub("", svg)
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)

    def ref(m: re.Match[str]) -> str:
        name = m.group(2)
        return f"{m.group(1)}#{prefix}{name}" if name in ids else m.group(0)

    return re.sub(r'(url\(|href=")#([^)"]+)', ref, svg)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def render(markdown: str, pictures: Mapping[str, str], *, title: str, footer: str = "") -> str:
    """The page: ``pictures`` maps each path the Markdown references to its SVG text."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    tokens = md.parse(markdown)
    headings: list[tuple[str, str]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h2":
            text = tokens[i + 1].content
            anchor = _slug(text)
            tok.attrSet("id", anchor)
            headings.append((anchor, text))
    body = md.renderer.render(tokens, md.options, {})
    body = body.replace("<table>", '<div class="table"><table>').replace(
        "</table>", "</table></div>"
    )
    count = 0

    def inline(m: re.Match[str]) -> str:
        nonlocal count
        src, alt = html.unescape(m.group(1)), m.group(2)
        svg = pictures.get(src)
        if svg is None:
            return m.group(0)
        count += 1
        return (
            f'<figure role="img" aria-label="{alt}">{_scope(svg, f"f{count}-")}'
            f"<figcaption>{alt}</figcaption></figure>"
        )

    body = _IMG.sub(inline, body)
    # a picture alone in its paragraph: drop the <p> around the <figure>
    body = re.sub(r"<p>(<figure .*?</figure>)</p>", r"\1", body, flags=re.S)
    toc = "".join(f'<li><a href="#{a}">{html.escape(t)}</a></li>' for a, t in headings)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        + _after_h1(body, f'<nav class="toc" aria-label="Contents"><ol>{toc}</ol></nav>\n')
        + (f"<footer>{html.escape(footer)}</footer>\n" if footer else "")
        + "</main>\n</body>\n</html>\n"
    )


def _after_h1(body: str, nav: str) -> str:
    """The contents go after the title and its summary paragraph."""
    end = body.find("</h1>")
    if end < 0:
        return nav + body
    para = body.find("</p>", end)
    at = para + len("</p>\n") if para >= 0 else end + len("</h1>\n")
    return body[:at] + nav + body[at:]
