"""The API the design document calls: one function per format, and ``render`` by name."""

from __future__ import annotations

import pytest

from staffpath.report import diagram as api
from tests.report.diagram.cases import example


def test_every_format_renders() -> None:
    case = example("url-shortener")
    svg = api.render_svg(case.design, case.analysis)
    assert svg.startswith("<svg ") and svg.endswith("</svg>\n")
    assert api.render_png(case.design, case.analysis, scale=1)[:4] == b"\x89PNG"
    assert api.render_mermaid(case.design, case.analysis).startswith("---\n")
    assert api.render_d2(case.design, case.analysis).startswith("# URL shortener")
    assert api.render_dot(case.design, case.analysis).startswith('digraph "URL shortener"')
    for fmt in api.FORMATS:
        out = api.render(case.design, case.analysis, fmt)
        assert isinstance(out, bytes) == (fmt == "png")
    assert api.render(case.design, case.analysis, "svg") == svg


def test_unknown_format() -> None:
    case = example("url-shortener")
    with pytest.raises(ValueError, match="unknown diagram format 'gif'"):
        api.render(case.design, case.analysis, "gif")
