"""The resume PDF: both templates compile offline, pypdf reads them back, the same input gives
the same bytes, and text that looks like Typst markup is printed as text."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from staffpath.career.resume.ats import check_pdf, extract_text, normalise
from staffpath.career.resume.model import load_resume
from staffpath.career.resume.pdf import TEMPLATES, render_pdf, render_png, span, view, when
from staffpath.errors import InputError
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "career" / "resume.json"


@pytest.fixture(scope="module")
def master() -> dict[str, Any]:
    return load_resume(EXAMPLE).data


@pytest.mark.parametrize("template", TEMPLATES)
def test_both_templates_make_a_readable_pdf(template: str, master: dict[str, Any]) -> None:
    pdf = render_pdf(master, template=template)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None and reader.metadata.title == "Maya Okonkwo-Lindqvist"
    text = reader.pages[0].extract_text()
    assert "Maya Okonkwo-Lindqvist" in text
    assert "Fjordpay" in text
    assert pdf == render_pdf(master, template=template)  # deterministic


def test_compact_fits_one_page_and_classic_two(master: dict[str, Any]) -> None:
    pages = {t: len(PdfReader(io.BytesIO(render_pdf(master, template=t))).pages) for t in TEMPLATES}
    assert pages == {"classic": 2, "compact": 1}


def test_png_pages(master: dict[str, Any]) -> None:
    pages = render_png(master, template="compact")
    assert len(pages) == 1
    assert pages[0].startswith(b"\x89PNG")


INJECTION = '#import "/etc/passwd": * ] [ " \\ $x^2$ <label> @ref *bold* _em_ `raw` // no comment'


def test_typst_injection_renders_literally(master: dict[str, Any]) -> None:
    hostile = {
        **master,
        "basics": {**master["basics"], "name": 'Maya "]#set page(width: 1cm)'},
        "work": [{**master["work"][0], "highlights": [INJECTION, "a \\ b \\\\ c ]]] 1"]}],
    }
    for template in TEMPLATES:
        pdf = render_pdf(hostile, template=template)
        text = normalise(extract_text(pdf))
        assert normalise(INJECTION) in text
        assert normalise("a \\ b \\\\ c ]]] 1") in text
        assert normalise('Maya "]#set page(width: 1cm)') in text
        assert check_pdf(pdf, view(hostile)).passed


def test_unknown_template(master: dict[str, Any]) -> None:
    with pytest.raises(InputError, match="unknown template 'fancy'"):
        render_pdf(master, template="fancy")


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        ("2021-03", None, "Mar 2021 \u2013 present"),
        ("2015-06", "2017-08", "Jun 2015 \u2013 Aug 2017"),
        ("2019", "2020-01-07", "2019 \u2013 7 Jan 2020"),
        (None, "2022-11", "Nov 2022"),
        (None, None, ""),
    ],
)
def test_date_spans(start: str | None, end: str | None, text: str) -> None:
    assert span(start, end) == text


def test_view_orders_sections_and_keeps_every_field(master: dict[str, Any]) -> None:
    v = view(master)
    assert [s.title for s in v.sections] == [
        "Summary",
        "Experience",
        "Projects",
        "Skills",
        "Education",
        "Certificates",
        "Publications",
        "Volunteering",
        "Languages",
        "Interests",
    ]
    job = v.sections[1].entries[0]
    assert (job.title, job.subtitle, job.dates) == (
        "Senior Backend Engineer",
        "Fjordpay",
        "Mar 2021 \u2013 present",
    )
    assert len(job.bullets) == 5
    assert v.contact[-1] == "https://linkedin.com/in/maya-okonkwo-lindqvist"
    assert when("2022-11") == "Nov 2022"
