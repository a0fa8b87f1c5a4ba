"""The JSON Schema (draft 2020-12) of the design language, for editors and other tools."""

from __future__ import annotations

from typing import Any

from staffpath.design.model import Design

SCHEMA_ID = "https://staffpath.dev/schema/design.json"


def design_schema() -> dict[str, Any]:
    """The schema of what a person writes (human units as strings, steps in short form)."""
    schema = Design.model_json_schema(mode="validation", by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
