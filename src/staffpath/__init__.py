"""staffpath: a local-first studio for engineers growing into senior and staff roles.

The public API::

    from staffpath import load_design, DesignError
    design = load_design("examples/url-shortener.yaml")
"""

from staffpath.design import Design, load_design
from staffpath.errors import DesignError, InputError, Problem, StaffpathError, UserError

__version__ = "0.1.0"

__all__ = [
    "Design",
    "DesignError",
    "InputError",
    "Problem",
    "StaffpathError",
    "UserError",
    "__version__",
    "analyze",
    "load_design",
]


def __getattr__(name: str) -> object:
    # The analytic engine needs numpy and scipy: load it on first use, not on import.
    if name == "analyze":
        from staffpath.engine.analyze import analyze

        return analyze
    if name == "simulate":  # numba compiles (or loads) its kernel on first use only
        from staffpath.engine.simulate import simulate

        return simulate
    raise AttributeError(f"module 'staffpath' has no attribute {name!r}")
