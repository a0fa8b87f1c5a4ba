"""A design back to YAML text, in the short human forms (``load(dump(d)) == d``)."""

from __future__ import annotations

import yaml

from staffpath.design.model import Design


class _Dumper(yaml.SafeDumper):
    """Writes text of several lines as a literal block, the way a person writes a paragraph."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # The emitter falls back to quotes where a block cannot hold the text exactly.
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    )


_Dumper.add_representer(str, _text)


def design_to_data(design: Design) -> dict[str, object]:
    """The JSON-compatible form of a design, as a person would write it."""
    return design.model_dump(mode="json", by_alias=True, exclude_defaults=True)


def dump_design(design: Design) -> str:
    return yaml.dump(
        design_to_data(design), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
