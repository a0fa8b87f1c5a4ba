"""``staffpath check``: validate design files and summarise them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from staffpath.design.load import load
from staffpath.design.summary import summarise
from staffpath.errors import DesignError, InputError, Problem

console = Console(highlight=False, soft_wrap=True)


def check(
    files: Annotated[list[Path], typer.Argument(help="Design files (YAML).", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print every problem as JSON.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Check design files: exit 0 and a summary each, or exit 1 and every problem located.

    Examples:

        staffpath check examples/*.yaml

        staffpath check design.yaml --json | jq '.[].message'
    """
    records: list[dict[str, object]] = []
    failed = False
    for file in files:
        name = str(file)
        try:
            loaded = load(file)
        except DesignError as exc:
            failed = True
            _report(exc.problems, exc.source, as_json, records)
            continue
        except InputError as exc:
            failed = True
            _report(
                [Problem(0, 0, "", str(exc).removeprefix(f"{file}: "), "check the path")],
                name,
                as_json,
                records,
            )
            continue
        _report(loaded.warnings, name, as_json, records)
        if strict and loaded.warnings:
            failed = True
        if not as_json:
            console.print(f"[green]ok[/green] {name}: {summarise(loaded.design)}")
    if as_json:
        typer.echo(json.dumps(records, indent=2, ensure_ascii=False))
    if failed:
        raise typer.Exit(1)


def _report(
    problems: tuple[Problem, ...] | list[Problem],
    name: str,
    as_json: bool,
    records: list[dict[str, object]],
) -> None:
    for p in problems:
        if as_json:
            records.append(p.to_dict(name))
        else:
            style = "yellow" if p.severity == "warning" else "red"
            console.print(p.render(name), style=style, markup=False)
