"""A design back to YAML text, in the short human forms (``load(dump(d)) == d``)."""

from __future__ import annotations

import yaml

from staffpath.design.model import Design
from staffpath.design.yamltext import plain_is_text


class _Dumper(yaml.SafeDumper):
    """Writes text of several lines as a literal block, the way a person writes a paragraph."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # The emitter falls back to quotes where a block cannot hold the text exactly. Text that
    # our YAML 1.2 reader would take for a number or a boolean (``08``) is quoted: PyYAML's
    # 1.1 rules would write it bare.
    style = "|" if "\n" in value else (None if plain_is_text(value) else "'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def design_to_data(design: Design) -> dict[str, object]:
    """The JSON-compatible form of a design, as a person would write it."""
    return design.model_dump(mode="json", by_alias=True, exclude_defaults=True)


def dump_data(data: object) -> str:
    """YAML text that our reader reads back as ``data`` (quotes where YAML 1.2 needs them)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def dump_design(design: Design) -> str:
    return dump_data(design_to_data(design))
