"""``staffpath diagram``: formats, files written whole or not at all, clear errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from staffpath.cli.app import app
from tests.conftest import ROOT

runner = CliRunner()
SHORTENER = str(ROOT / "examples" / "url-shortener.yaml")


def test_svg_to_standard_output_by_default() -> None:
    result = runner.invoke(app, ["diagram", SHORTENER])
    assert result.exit_code == 0, result.output
    root = ET.fromstring(result.stdout)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["--format", "mermaid"], "---\ntitle:"),
        (["-f", "d2"], "# URL shortener"),
        (["--format", "DOT", "-o", "-"], 'digraph "URL shortener"'),
    ],
)
def test_text_formats_print(args: list[str], start: str) -> None:
    result = runner.invoke(app, ["diagram", SHORTENER, *args])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(start)


@pytest.mark.parametrize(
    ("name", "start"),
    [("d.png", b"\x89PNG"), ("d.svg", b"<svg"), ("d.mmd", b"---"), ("d.gv", b"digraph")],
)
def test_the_suffix_picks_the_format(tmp_path: Path, name: str, start: bytes) -> None:
    out = tmp_path / name
    result = runner.invoke(app, ["diagram", SHORTENER, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(start)
    assert f"wrote {out}" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary file left


def test_format_wins_over_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "diagram.txt"
    result = runner.invoke(app, ["diagram", SHORTENER, "-f", "dot", "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_text().startswith("digraph")


def test_bad_format_is_a_user_error() -> None:
    result = runner.invoke(app, ["diagram", SHORTENER, "--format", "gif"])
    assert result.exit_code == 1
    assert "--format: unknown format 'gif' (choose one of svg, png, mermaid, d2, dot)" in (
        result.output
    )


def test_png_needs_a_file() -> None:
    result = runner.invoke(app, ["diagram", SHORTENER, "--format", "png"])
    assert result.exit_code == 1
    assert "a PNG is binary: give a file with -o" in result.output


def test_a_failure_leaves_the_old_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "d.svg"
    out.write_text("old")

    def broken(*args: object) -> str:
        raise RuntimeError("drawing failed")

    monkeypatch.setattr("staffpath.cli.diagram.render", broken)
    result = runner.invoke(app, ["diagram", SHORTENER, "-o", str(out)])
    assert result.exit_code != 0
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["d.svg"]


def test_missing_folder(tmp_path: Path) -> None:
    out = tmp_path / "nope" / "d.svg"
    result = runner.invoke(app, ["diagram", SHORTENER, "-o", str(out)])
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_at_changes_the_figures() -> None:
    result = runner.invoke(app, ["diagram", SHORTENER, "-f", "dot", "--at", "51k/s"])
    assert result.exit_code == 0
    assert "51k/s at peak" in result.stdout


def test_broken_design_lists_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\nworkload: {flows: {a: {rate: 1/s, steps: [nope]}}}\n"
        "components: {api: {kind: service}}\n"
    )
    result = runner.invoke(app, ["diagram", str(bad)])
    assert result.exit_code == 1
    assert "step names unknown component 'nope'" in result.output
