"""``staffpath schema``: the JSON Schema of the design language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from staffpath.cli.files import write_atomic
from staffpath.design.schema import design_schema


def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of design files, for editor completion.

    Examples:

        staffpath schema -o staffpath.schema.json

    Then, with the YAML language server, start a design with:
    # yaml-language-server: $schema=./staffpath.schema.json
    """
    text = json.dumps(design_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(output, text)
        typer.echo(f"wrote {output}", err=True)
