"""The ATS round trip: read our own PDF back as plain text and check that everything is there.

Applicant tracking systems do not look at a resume; they extract its text. If a heading, a
date or a highlight does not come back out of the PDF, or comes back in another order, the
parser sees a different resume from the one the reader sees. So we extract the text with
``pypdf`` (a different program from the one that wrote the PDF) and look for every expected
string of the print view, in order.

Comparison ignores case, all whitespace (a line break may fall anywhere, and extractors
disagree about spaces) and Unicode compatibility forms (a ``ﬁ`` ligature reads as ``fi``).
The most expected strings that can be read one after another in the text are *ok*; a string
found only elsewhere is *out of order*; one not found at all is *missing*.
"""

from __future__ import annotations

import bisect
import io
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Literal

from staffpath.career.resume.pdf import View

Status = Literal["ok", "missing", "out of order"]
_SPACE = re.compile(r"\s+")
MAX_OCCURRENCES = 500  # of one string; enough for any resume


@dataclass(frozen=True, slots=True)
class Expected:
    where: str  # e.g. "Experience / Fjordpay / bullet 2"
    text: str


@dataclass(frozen=True, slots=True)
class Found:
    where: str
    text: str
    status: Status


@dataclass(frozen=True, slots=True)
class AtsReport:
    items: tuple[Found, ...]

    @property
    def passed(self) -> bool:
        return all(i.status == "ok" for i in self.items)

    @property
    def problems(self) -> list[Found]:
        return [i for i in self.items if i.status != "ok"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "checked": len(self.items),
            "missing": sum(i.status == "missing" for i in self.items),
            "out_of_order": sum(i.status == "out of order" for i in self.items),
            "problems": [asdict(i) for i in self.problems],
        }


def expected(view: View) -> list[Expected]:
    """Every string the templates print, in print order, with where it comes from."""
    out = [Expected("name", view.name)]
    if view.headline:
        out.append(Expected("headline", view.headline))
    out += [Expected(f"contact {i + 1}", c) for i, c in enumerate(view.contact)]
    for section in view.sections:
        out.append(Expected(f"{section.title} / heading", section.title))
        if section.text:
            out.append(Expected(f"{section.title} / text", section.text))
        for entry in section.entries:
            for name, text in entry.fields():
                out.append(Expected(f"{section.title} / {entry.title} / {name}", text))
        for row in section.rows:
            for name, text in row.fields():
                out.append(Expected(f"{section.title} / {row.label} / {name}", text))
    return out


def extract_text(pdf: bytes) -> str:
    """The text of every page, as ``pypdf`` reads it."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def normalise(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


def _occurrences(hay: str, needle: str) -> list[int]:
    out: list[int] = []
    at = hay.find(needle)
    while at >= 0 and len(out) < MAX_OCCURRENCES:
        out.append(at)
        at = hay.find(needle, at + 1)
    return out


def _longest_chain(occurrences: list[list[int]]) -> set[int]:
    """The largest set of items that can be read in order: one occurrence per item, with
    positions strictly increasing (a longest increasing subsequence; each item's positions
    are fed in decreasing order so an item never follows itself)."""
    tails: list[int] = []  # tails[k]: smallest end position of an in-order chain of k + 1
    tail_nodes: list[int] = []
    nodes: list[tuple[int, int]] = []  # (item, parent node)
    for item, positions in enumerate(occurrences):
        for pos in sorted(positions, reverse=True):
            k = bisect.bisect_left(tails, pos)
            nodes.append((item, tail_nodes[k - 1] if k else -1))
            if k == len(tails):
                tails.append(pos)
                tail_nodes.append(len(nodes) - 1)
            else:
                tails[k] = pos
                tail_nodes[k] = len(nodes) - 1
    chosen: set[int] = set()
    node = tail_nodes[-1] if tail_nodes else -1
    while node >= 0:
        item, node = nodes[node]
        chosen.add(item)
    return chosen


def check_text(text: str, wanted: list[Expected]) -> AtsReport:
    """Look for each expected string in ``text``. The most items that read in order are
    *ok*; an item found only out of that order is *out of order*; one not found, *missing*.
    (Taking the longest in-order chain, rather than scanning forward, keeps one misplaced
    field from making everything after it look misplaced.)"""
    hay = normalise(text)
    occurrences = [_occurrences(hay, normalise(item.text)) for item in wanted]
    in_order = _longest_chain(occurrences)
    found = []
    for i, item in enumerate(wanted):
        status: Status = "ok" if i in in_order else "out of order" if occurrences[i] else "missing"
        found.append(Found(item.where, item.text, status))
    return AtsReport(tuple(found))


def check_pdf(pdf: bytes, view: View) -> AtsReport:
    return check_text(extract_text(pdf), expected(view))
