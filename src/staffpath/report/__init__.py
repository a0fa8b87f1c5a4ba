"""Rendering only: diagrams, charts, comparison tables and the design document.

Nothing here computes a figure; every number comes from ``staffpath.engine``.
"""
