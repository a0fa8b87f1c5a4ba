"""Benchmarks: staffpath against named peers, run by ``scripts/bench`` (not part of the tests)."""
