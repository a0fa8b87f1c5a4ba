"""``staffpath doc``: the files land whole, or not at all, with clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from staffpath.cli.app import app
from tests.conftest import ROOT

runner = CliRunner()
EXAMPLE = str(ROOT / "examples" / "url-shortener.yaml")


def test_writes_markdown_html_pdf_and_pictures(tmp_path: Path) -> None:
    out = tmp_path / "doc"
    result = runner.invoke(app, ["doc", EXAMPLE, "-o", str(out), "--no-simulate", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["meets_goals"] is True
    assert {"design.md", "design.html", "design.pdf", "diagram.svg"} <= set(report["files"])
    for rel in report["files"]:
        assert (out / rel).stat().st_size > 0
    assert (out / "design.pdf").read_bytes().startswith(b"%PDF")
    assert not list(out.rglob("*.tmp"))


def test_a_missing_parent_folder_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "folder"
    result = runner.invoke(app, ["doc", EXAMPLE, "-o", str(out), "--no-simulate", "--no-pdf"])
    assert result.exit_code == 1
    assert "parent folder" in result.stderr and "Traceback" not in result.output
    assert not out.exists()


def test_a_broken_design_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nworkload: {flows: {}}\ncomponents: {}\n")
    out = tmp_path / "doc"
    result = runner.invoke(app, ["doc", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert "bad.yaml:" in result.stderr
    assert not out.exists()
