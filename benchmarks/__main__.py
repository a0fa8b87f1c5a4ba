"""Run every benchmark and print staffpath's time beside its peer's, with the ratio.

Usage: scripts/bench [--quick] [--memory]
"""

from __future__ import annotations

import sys

from benchmarks import (
    bench_accuracy,
    bench_analyze,
    bench_loader,
    bench_login,
    bench_memory,
    bench_simulate,
    bench_studio,
)


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    bench_loader.run(quick=quick)
    bench_analyze.run(quick=quick)
    bench_accuracy.run(quick=quick)
    bench_simulate.run(quick=quick)
    bench_studio.run(quick=quick)
    bench_login.run(quick=quick)
    if "--memory" in sys.argv[1:]:
        bench_memory.run(quick=quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
