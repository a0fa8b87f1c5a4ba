"""The self-review packet: summary, escaping, PDF read back, an empty period."""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pytest

from staffpath.career.evidence import Evidence, Record, load_evidence
from staffpath.career.packet import groups, md_text, packet_markdown, packet_pdf, summary
from staffpath.errors import InputError
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "career" / "evidence.yaml"
TODAY = date(2026, 11, 26)


def _rec(ev: Evidence) -> Record:
    return Record(ev, "log.yaml", 1)


def test_summary_counts_each_competency_a_win_shows() -> None:
    records = load_evidence(EXAMPLE, today=TODAY).records
    rows = {r["competency"]: (r["wins"], r["period"]) for r in summary(records)}
    # counted by hand from examples/career/evidence.yaml
    assert rows["ownership"] == (4, "2026-01-22 to 2026-07-30")
    assert rows["mentoring"] == (1, "2026-03-05")
    assert rows["failure"] == (2, "2026-02-10 to 2026-10-02")
    assert sum(n for n, _ in rows.values()) == sum(len(r.evidence.competencies) for r in records)
    assert [g.competency for g in groups(records)] == [
        "leadership",
        "conflict",
        "failure",
        "ambiguity",
        "trade-off",
        "mentoring",
        "delivery",
        "ownership",
    ]


INJECTION = '#set page(fill: red)] \\ #emph[x] *bold* `code` <b>html</b> &amp; $x$ "q"'


def test_markdown_escaping_reads_back_literally() -> None:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parseInline(md_text(INJECTION))
    (inline,) = tokens
    assert [t.type for t in inline.children or []] == ["text"]
    assert (inline.children or [])[0].content == INJECTION


def test_packet_pdf_has_every_title_in_order_and_injection_stays_text() -> None:
    records = list(load_evidence(EXAMPLE, today=TODAY).records)
    hostile = Evidence(
        id="hostile",
        date=date(2026, 11, 1),
        title="Literal ] #set \\ test",
        what=INJECTION,
        metric="1 injection",
        competencies=["growth"],
    )
    records.append(_rec(hostile))
    markdown = packet_markdown(records, title="Packet #set text(red)")
    pdf = pypdf.PdfReader(io.BytesIO(packet_pdf(markdown, title="Packet")))
    text = " ".join(p.extract_text() for p in pdf.pages)
    flat = " ".join(text.split())
    order = [r.evidence.headline for g in groups(records) for r in g.records]
    positions = [flat.find(" ".join(h.split())) for h in order]
    assert -1 not in positions, [h for h, p in zip(order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert "Packet #set text(red)" in flat
    assert "#set page(fill: red)] \\ #emph[x] *bold* `code` <b>html</b> &amp; $x$" in flat


def test_packet_of_nothing_is_an_error() -> None:
    with pytest.raises(InputError, match="no evidence in the period"):
        packet_markdown([])


# ----------------------------------------------------------------------------- appending
