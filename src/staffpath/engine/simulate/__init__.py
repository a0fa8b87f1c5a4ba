"""The discrete-event simulator: a design run request by request (numba-compiled kernel).

Importing this package compiles nothing; the kernel is compiled (or loaded from numba's
cache) on the first run.
"""

from staffpath.engine.simulate.driver import Simulation, simulate, warm

__all__ = ["Simulation", "simulate", "warm"]
