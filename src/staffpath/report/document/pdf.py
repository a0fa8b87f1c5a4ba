"""The design document as PDF: the Markdown's tokens written as Typst, compiled by ``typst``.

The ``typst`` package carries the Typst compiler and its fonts, so a PDF needs no system
binary and no network. Text goes into Typst as string literals (``#"..."``), which need only
``\\`` and ``"`` escaped: nothing a design's author writes can turn into Typst markup.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

PREAMBLE = """#set document(title: {title})
#set page(paper: "a4", margin: (x: 1.8cm, y: 2cm), numbering: "1")
#set text(font: ("Libertinus Serif", "New Computer Modern"), size: 10pt, lang: "en")
#set par(justify: false, leading: 0.6em)
#set heading(numbering: none)
#show heading.where(level: 1): set text(size: 20pt)
#show heading.where(level: 2): it => {{ v(0.8em); text(size: 14pt, it); v(0.2em) }}
#show raw: set text(font: "DejaVu Sans Mono", size: 8.5pt)
#set table(stroke: 0.5pt + luma(200), inset: 4pt)
#show table: set text(size: 8.5pt)
#show figure: set block(breakable: false)
"""


def _str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _inline(children: Sequence[Token] | None) -> str:
    """Inline tokens as Typst content (markup made only of #-calls and string literals)."""
    out: list[str] = []
    stack: list[str] = []
    for tok in children or []:
        if tok.type == "text":
            out.append(f"#{_str(tok.content)}")
        elif tok.type == "code_inline":
            out.append(f"#raw({_str(tok.content)})")
        elif tok.type in ("softbreak", "hardbreak"):
            out.append('#" "' if tok.type == "softbreak" else "#linebreak()")
        elif tok.type == "strong_open":
            out.append("#strong[")
            stack.append("]")
        elif tok.type == "em_open":
            out.append("#emph[")
            stack.append("]")
        elif tok.type == "link_open":
            out.append(f"#link({_str(str(tok.attrGet('href') or ''))})[")
            stack.append("]")
        elif tok.type in ("strong_close", "em_close", "link_close"):
            out.append(stack.pop() if stack else "")
        elif tok.type == "image":
            out.append(f"#{_str(tok.content)}")
    out += reversed(stack)
    return "".join(out)


def _table(tokens: list[Token], start: int) -> tuple[str, int]:
    """A Markdown table from ``tokens[start]`` (``table_open``); returns Typst and the end."""
    header: list[str] = []
    rows: list[list[str]] = []
    aligns: list[str] = []
    row: list[str] = []
    in_head = False
    i = start + 1
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(row)
        elif tok.type in ("th_open", "td_open"):
            if in_head:
                style = str(tok.attrGet("style") or "")
                aligns.append("right" if "right" in style else "left")
            row.append(_inline(tokens[i + 1].children))
        i += 1
    cells = [f"table.header({', '.join(f'[*{h}*]' for h in header)})"]
    cells += [f"[{c}]" for r in rows for c in r]
    body = (
        f"#table(columns: {len(header)}, align: ({', '.join(aligns)},),\n  "
        + ",\n  ".join(cells)
        + ",\n)\n"
    )
    return body, i


TEXT_WIDTH_CM = 17.4  # A4 less the margins
MAX_HEIGHT_CM = 19.0  # a picture this tall still fits a page under its heading


def _fit(svg: str) -> str:
    """Full width, unless that would make the picture taller than a page can hold."""
    box = re.search(r'viewBox="\s*[-\d.]+[ ,]+[-\d.]+[ ,]+([\d.]+)[ ,]+([\d.]+)', svg)
    if box is None:
        return "width: 100%"
    width, height = float(box.group(1)), float(box.group(2))
    if width <= 0 or height / width * TEXT_WIDTH_CM <= MAX_HEIGHT_CM:
        return "width: 100%"
    return f"height: {MAX_HEIGHT_CM:g}cm"


def to_typst(markdown: str, *, title: str, pictures: Mapping[str, str] | None = None) -> str:
    """The Typst source of the document; ``pictures`` (path -> SVG) lets tall ones shrink."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(markdown)
    out = [PREAMBLE.format(title=_str(title))]
    lists: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            out.append(f"#heading(level: {level})[{_inline(tokens[i + 1].children)}]\n")
            i += 3
            continue
        if tok.type == "paragraph_open":
            inline = tokens[i + 1]
            kids = inline.children or []
            if len(kids) == 1 and kids[0].type == "image":
                img = kids[0]
                src = str(img.attrGet("src") or "")
                size = _fit(pictures.get(src, "")) if pictures else "width: 100%"
                out.append(
                    f"#figure(image({_str(src)}, {size}), caption: [{_inline(img.children)}])\n"
                )
            else:
                out.append(_inline(kids) + ("\n" if lists else "\n\n"))
            i += 3
            continue
        if tok.type == "table_open":
            text, i = _table(tokens, i)
            out.append(text)
            i += 1
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("-" if tok.type == "bullet_list_open" else "+")
            i += 1
            continue
        if tok.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            out.append("\n")
            i += 1
            continue
        if tok.type == "list_item_open":
            out.append("  " * (len(lists) - 1) + lists[-1] + " ")
            i += 1
            continue
        if tok.type in ("fence", "code_block"):
            out.append(f"#raw(block: true, {_str(tok.content)})\n")
        elif tok.type == "hr":
            out.append("#line(length: 100%)\n")
        elif tok.type == "blockquote_open":
            out.append("#quote(block: true)[\n")
        elif tok.type == "blockquote_close":
            out.append("]\n")
        i += 1
    return "".join(out)


def render(markdown: str, pictures: Mapping[str, str], *, title: str) -> bytes:
    """The PDF; ``pictures`` maps each path the Markdown references to its SVG text."""
    import typst

    source = to_typst(markdown, title=title, pictures=pictures)
    with tempfile.TemporaryDirectory(prefix="staffpath-pdf-") as tmp:
        root = Path(tmp)
        for rel, svg in pictures.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(svg, encoding="utf-8")
        main = root / "document.typ"
        main.write_text(source, encoding="utf-8")
        pdf = typst.compile(str(main), root=str(root), format="pdf")
    assert isinstance(pdf, bytes)
    return pdf
