"""The PDF: Typst made from the Markdown's tokens; nothing an author writes becomes markup."""

from __future__ import annotations

import re

import typst

from staffpath.report.document import pictures
from staffpath.report.document.markdown import render as markdown
from staffpath.report.document.pdf import render, to_typst
from tests.report.document.test_content import content

HOSTILE = '# A #heading $x$ "q" \\ back [b] <l> @ref // not a comment _u_ *s*\n'


def test_text_reaches_typst_as_string_literals() -> None:
    source = to_typst(HOSTILE + "\nplain `#code` and **bold**\n", title='t"')
    assert (
        '#heading(level: 1)[#"A #heading $x$ \\"q\\" \\\\ back [b] <l> @ref // not a comment "'
        in source
    )
    assert '#raw("#code")' in source and '#strong[#"bold"]' in source
    assert 'title: "t\\""' in source


def test_hostile_text_compiles() -> None:
    pdf = typst.compile(to_typst(HOSTILE, title="x").encode(), format="pdf")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")


def test_tables_keep_their_columns_and_alignment() -> None:
    source = to_typst("| a | b |\n| --- | ---: |\n| 1 | 2 |\n", title="x")
    assert "#table(columns: 2, align: (left, right,)," in source
    assert '[#"1"]' in source and '[#"2"]' in source


def test_the_document_compiles_with_its_pictures() -> None:
    c = content("url-shortener")
    pdf = render(markdown(c), pictures(c), title=c.design.name)
    pages = re.search(rb"/Type\s*/Pages\s*/Count (\d+)", pdf)
    assert pdf.startswith(b"%PDF") and pages and int(pages.group(1)) >= 4
