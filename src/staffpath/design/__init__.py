"""The design language: model, safe loading, the catalog and the JSON Schema."""

from staffpath.design.load import Loaded, load, load_design, load_text
from staffpath.design.model import Design

__all__ = ["Design", "Loaded", "load", "load_design", "load_text"]
