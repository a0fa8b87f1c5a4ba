"""``staffpath schema``: a valid draft 2020-12 schema that accepts the examples."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from staffpath.cli.app import app
from tests.conftest import ROOT

runner = CliRunner()
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def schema() -> dict[str, object]:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    parsed: dict[str, object] = json.loads(result.output)
    return parsed


def test_schema_is_valid_draft_2020_12() -> None:
    s = schema()
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(s)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_schema_accepts_every_example(example: Path) -> None:
    jsonschema.Draft202012Validator(schema()).validate(yaml.safe_load(example.read_text()))


def test_schema_rejects_what_the_loader_rejects() -> None:
    validator = jsonschema.Draft202012Validator(schema())
    bad = {
        "name": "x",
        "workload": {"flows": {"a": {"rate": "5/s", "steps": ["api"]}}},
        "components": {"api": {"kind": "service", "replcas": 2}},
    }
    assert not validator.is_valid(bad)
    bad["components"] = {"api": {"kind": "service", "service_time": "4 parsecs!"}}
    assert not validator.is_valid(bad)


def test_schema_to_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    result = runner.invoke(app, ["schema", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text()) == schema()
    assert list(tmp_path.iterdir()) == [out]
