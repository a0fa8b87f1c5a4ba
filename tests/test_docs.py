"""The docs keep up with the code: every command is documented, every doc example checks."""

from __future__ import annotations

import re

import pytest
import typer.main

from staffpath.cli.app import app
from staffpath.design.load import load_text
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()
LANGUAGE = ROOT / "docs" / "design-language.md"


def commands() -> list[str]:
    group = typer.main.get_group(app)
    return sorted(group.commands)


@pytest.mark.parametrize("command", commands())
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"staffpath {command}" in README


def test_readme_quick_start_is_two_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", quick, re.S)
    lines = [ln for b in blocks for ln in b.splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines == ["bash scripts/studio", "bash scripts/test"]


def doc_examples() -> list[tuple[str, str]]:
    text = LANGUAGE.read_text() if LANGUAGE.exists() else ""
    return re.findall(r"```yaml\n# example: (\S+)\n(.*?)```", text, re.S)


def test_language_guide_has_examples() -> None:
    assert len(doc_examples()) >= 3


@pytest.mark.parametrize(("name", "text"), doc_examples(), ids=[n for n, _ in doc_examples()])
def test_language_guide_examples_load(name: str, text: str) -> None:
    assert load_text(text, name=name).design.name
