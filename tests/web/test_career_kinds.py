"""Every kind's example is a valid document with a report; error lines become problems."""

from __future__ import annotations

from datetime import date

import pytest

from staffpath.errors import DesignError, InputError, Problem
from staffpath.web.career_kinds import KINDS, Context, problems_of
from tests.conftest import ROOT


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_has_a_starter_that_reports(kind: str) -> None:
    k = KINDS[kind]
    text = k.starter()
    assert text, f"{kind} has no example to start from"
    stored = {other: KINDS[other].starter() for other in KINDS}
    designs = {"../url-shortener.yaml": (ROOT / "examples" / "url-shortener.yaml").read_text()}
    ctx = Context(today=date(2026, 11, 26), latest=stored.get, design=designs.get)
    report = k.report(text, ctx)
    assert report
    for draw in k.pictures.values():
        assert draw(text, ctx).startswith("<svg")
    for export in k.exports.values():
        assert export.make(text, ctx)


def test_error_lines_become_located_problems() -> None:
    exc = InputError("a.yaml:3:5: track: no track 'x'\nsomething without a place")
    assert problems_of(exc) == [
        {"line": 3, "column": 5, "message": "track: no track 'x'", "severity": "error"},
        {"line": 0, "column": 0, "message": "something without a place", "severity": "error"},
    ]
    design = DesignError([Problem(2, 1, "a.b", "bad", "fix it")])
    assert problems_of(design)[0]["path"] == "a.b"
