"""A design back to YAML text, in the short human forms (``load(dump(d)) == d``)."""

from __future__ import annotations

import yaml

from staffpath.design.model import Design


def design_to_data(design: Design) -> dict[str, object]:
    """The JSON-compatible form of a design, as a person would write it."""
    return design.model_dump(mode="json", by_alias=True, exclude_defaults=True)


def dump_design(design: Design) -> str:
    return yaml.safe_dump(design_to_data(design), sort_keys=False, allow_unicode=True, width=100)
