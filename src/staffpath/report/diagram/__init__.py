"""Architecture diagrams generated from the model: one graph, five formats.

::

    from staffpath.report.diagram import render_svg, render_png
    svg = render_svg(design, analyze(design))

:func:`build_diagram` turns a design and its analysis into a :class:`Diagram` (nodes, edges
in request-path order with their rates, the bottleneck and single points of failure);
:func:`lay_out` places it with a layered layout of our own (no Graphviz); the renderers
draw it as SVG, PNG (the SVG through vl-convert), Mermaid, D2 or Graphviz DOT.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from staffpath.report.diagram import d2, dot, mermaid, png, svg
from staffpath.report.diagram.graph import Diagram, Edge, Node, build_diagram
from staffpath.report.diagram.layout import Layout, lay_out

if TYPE_CHECKING:  # the engine (numpy, scipy) loads only when an analysis is made
    from staffpath.design.model import Design
    from staffpath.engine.analyze import Analysis

FORMATS = ("svg", "png", "mermaid", "d2", "dot")
"""Every format, the default first."""

__all__ = [
    "FORMATS",
    "Diagram",
    "Edge",
    "Layout",
    "Node",
    "build_diagram",
    "lay_out",
    "render",
    "render_d2",
    "render_dot",
    "render_mermaid",
    "render_png",
    "render_svg",
]


def render_svg(design: Design, analysis: Analysis) -> str:
    """A self-contained SVG document of ``design`` with the figures of ``analysis``."""
    return svg.draw(build_diagram(design, analysis))


def render_png(design: Design, analysis: Analysis, *, scale: float = png.SCALE) -> bytes:
    """The SVG as a PNG, ``scale`` pixels per SVG unit."""
    return png.svg_to_png(render_svg(design, analysis), scale=scale)


def render_mermaid(design: Design, analysis: Analysis) -> str:
    return mermaid.render_mermaid(build_diagram(design, analysis))


def render_d2(design: Design, analysis: Analysis) -> str:
    return d2.render_d2(build_diagram(design, analysis))


def render_dot(design: Design, analysis: Analysis) -> str:
    return dot.render_dot(build_diagram(design, analysis))


def render(design: Design, analysis: Analysis, fmt: str) -> str | bytes:
    """Any format of :data:`FORMATS` by name: text for all but ``png``, which is bytes."""
    renderers: dict[str, Callable[[Design, Analysis], str | bytes]] = {
        "svg": render_svg,
        "png": render_png,
        "mermaid": render_mermaid,
        "d2": render_d2,
        "dot": render_dot,
    }
    if fmt not in renderers:
        raise ValueError(f"unknown diagram format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](design, analysis)
